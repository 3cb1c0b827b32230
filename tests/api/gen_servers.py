#!/usr/bin/env python3
"""gen_servers.py: turn one servers/NAME.list into C files that check the
compat layer against what that real NetBSD puffs server uses.

A server list is a sequence of translation units, one per source file of
the server.  Each unit includes exactly the headers that source file
includes, in its order (a server-private header is replaced by the system
headers it includes, at the same place), and then checks every name from
libpuffs and the NetBSD userland that file uses.  Line kinds:

  U FILE                  start the unit for the server's source FILE
  I HEADER                #include <HEADER> (in the file's order)
  F/C/T/S/M/R ...         as in surface.list (function type, constant,
                          type, struct member, macro defined, runtime test)
  G NAME TEXT             file-scope TEXT using NAME (e.g. __RCSID(...))
  L DECL                  a local variable for the X statements below
  X NAME STMT             statement using NAME; compiled and linked, never
                          run (it is reached only with a bogus argument)
  N NAME REASON           NAME is used by the server but excluded here:
                          NetBSD-only, cannot exist on Linux (REASON says
                          why); counted and printed, not compiled
  IN HEADER REASON        an excluded include, same meaning

Usage: gen_servers.py LIST OUTDIR  -> writes OUTDIR/NAME_uN.c and
OUTDIR/NAME_main.c and prints their paths, one a line.
"""
import os
import re
import sys


def cstr(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


class Unit:
    def __init__(self, idx, fname):
        self.idx, self.fname = idx, fname
        self.includes, self.static, self.fns = [], [], []
        self.glob, self.locals_, self.stmts, self.runtime = [], [], [], []


def parse(path):
    units, excluded, checked = [], [], 0
    for lineno, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        kind, _, rest = line.partition(' ')
        rest = rest.strip()
        where = '%s:%d' % (os.path.basename(path), lineno)
        if kind == 'U':
            units.append(Unit(len(units), rest))
            continue
        if not units:
            sys.exit('%s: %s before the first U line' % (where, kind))
        u = units[-1]
        if kind == 'I':
            u.includes.append(rest)
        elif kind == 'IN':
            hdr, _, why = rest.partition(' ')
            u.includes.append('/* <%s> excluded: %s */' % (hdr, why))
            excluded.append((u.fname, '<%s>' % hdr, why))
        elif kind == 'N':
            name, _, why = rest.partition(' ')
            excluded.append((u.fname, name, why))
        elif kind == 'L':
            u.locals_.append(rest)
        else:
            checked += 1
            emit(u, kind, rest, where)
    return units, excluded, checked


def emit(u, kind, rest, where):
    if kind == 'F':
        m = re.match(r'(.*?)\b(\w+)\s*\((.*)\)\s*$', rest)
        if not m:
            sys.exit('%s: cannot parse %r' % (where, rest))
        ret, name, fargs = m.groups()
        if ret.startswith('__dead'):
            u.static.append('static void (*const u%d_fp_%s)(%s) '
                            '__attribute__((used)) = %s;'
                            % (u.idx, name, fargs, name))
        else:
            u.static.append('_Static_assert(__builtin_types_compatible_p('
                            '__typeof__(&%s), %s(*)(%s)), %s);'
                            % (name, ret, fargs, cstr(where + ' ' + name)))
        u.fns.append(name)
    elif kind == 'C':
        name, value = rest.split(' ', 1)
        if value.startswith('"'):
            u.runtime.append((where + ' ' + name,
                              '__builtin_strcmp(%s, %s) == 0' % (name, value)))
        else:
            u.static.append('_Static_assert((%s) == (%s), %s);'
                            % (name, value, cstr(where + ' ' + name)))
    elif kind == 'T':
        t, d = [x.strip() for x in rest.split('|', 1)]
        u.static.append('_Static_assert(__builtin_types_compatible_p('
                        '%s, %s), %s);' % (t, d, cstr(where + ' ' + t)))
    elif kind == 'S':
        lhs, ty = [x.strip() for x in rest.split('|', 1)]
        tag = ' '.join(lhs.split()[:2])
        field = lhs.split()[2]
        u.static.append('_Static_assert(__builtin_types_compatible_p('
                        '__typeof__(((%s *)0)->%s), %s), %s);'
                        % (tag, field, ty, cstr(where + ' ' + lhs)))
    elif kind == 'M':
        u.static.append('#ifndef %s\n#error "%s: %s is not defined"\n'
                        '#endif' % (rest, where, rest))
    elif kind == 'R':
        u.runtime.append((where, rest))
    elif kind == 'G':
        u.glob.append(rest.partition(' ')[2])
    elif kind == 'X':
        u.stmts.append(rest.partition(' ')[2])
    else:
        sys.exit('%s: unknown kind %r' % (where, kind))


def write_unit(server, u, out):
    with open(out, 'w') as f:
        f.write('/* Generated by gen_servers.py from servers/%s.list (unit '
                'for %s): do not edit. */\n' % (server, u.fname))
        for inc in u.includes:
            f.write(inc + '\n' if inc.startswith('/*')
                    else '#include <%s>\n' % inc)
        f.write('\n' + '\n'.join(u.glob) + '\n')
        f.write('\n'.join(u.static) + '\n\n')
        f.write('int u%d_run(int, void (*)(const char *));\n' % u.idx)
        f.write('static void (*const u%d_fns[])(void) = {\n' % u.idx)
        for n in u.fns:
            f.write('\t(void (*)(void))%s,\n' % n)
        f.write('\t(void (*)(void))0,\n};\n\n')
        f.write('static void\nu%d_use(void)\n{\n' % u.idx)
        for d in u.locals_:
            f.write('\t__attribute__((unused)) %s;\n' % d)
        for s in u.stmts:
            f.write('\t%s;\n' % s)
        f.write('}\n\n')
        f.write('int\nu%d_run(int bogus, void (*fail)(const char *))\n{\n\tint bad = 0;\n\tunsigned long i;\n\n\t(void)fail;\n'
                % u.idx)
        f.write('\tif (bogus)\n\t\tu%d_use();\n' % u.idx)
        f.write('\tfor (i = 0; i + 1 < sizeof(u%d_fns) / sizeof(u%d_fns[0]);'
                ' i++)\n\t\tbad += u%d_fns[i] == 0;\n'
                % (u.idx, u.idx, u.idx))
        for what, test in u.runtime:
            f.write('\tif (!(%s)) {\n\t\tfail(%s);\n\t\tbad++;\n\t}\n'
                    % (test, cstr(what)))
        f.write('\treturn bad;\n}\n')


def main():
    src, outdir = sys.argv[1:]
    server = os.path.basename(src)[:-len('.list')]
    units, excluded, checked = parse(src)
    paths = []
    for u in units:
        p = os.path.join(outdir, '%s_u%d.c' % (server, u.idx))
        write_unit(server, u, p)
        paths.append(p)
    p = os.path.join(outdir, '%s_main.c' % server)
    with open(p, 'w') as f:
        f.write('/* Generated by gen_servers.py: do not edit. */\n'
                '#include <stdio.h>\n\n')
        for u in units:
            f.write('int u%d_run(int, void (*)(const char *));\n' % u.idx)
        f.write('\nstatic void\nfail(const char *what)\n{\n'
                '\tfprintf(stderr, "FAIL %s\\n", what);\n}\n')
        f.write('\nint\nmain(int argc, char *argv[])\n{\n\tint bad = 0;\n'
                '\tint bogus = argc > 1 && argv[1][0] == \'!\';\n\n')
        for u in units:
            f.write('\tbad += u%d_run(bogus, fail);\n' % u.idx)
        f.write('\tprintf("%s: %d identifiers checked in %d units, '
                '%d excluded\\n");\n' % (server, checked, len(units),
                                         len(excluded)))
        for fname, name, why in excluded:
            f.write('\tprintf("  excluded %s (%s): %s\\n");\n'
                    % (name.replace('%', '%%'), fname,
                       why.replace('"', "'").replace('%', '%%')))
        f.write('\treturn bad != 0;\n}\n')
    paths.append(p)
    print('\n'.join(paths))


main()
