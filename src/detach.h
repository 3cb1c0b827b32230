/*
 * detach.h: puffsd -b, the background mode of the mount helper.  main.c
 * calls detach_begin() before it starts the server, detach_child() in the
 * server's child process, and detach_ready() once the mount is live.
 */
#ifndef PUFFSD_DETACH_H
#define PUFFSD_DETACH_H

struct event_base;

void	detach_begin(void);
void	detach_child(void);
void	detach_ready(struct event_base *);

#endif
