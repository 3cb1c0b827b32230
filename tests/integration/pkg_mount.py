#!/usr/bin/env python3
"""pkg_mount.py: the administrator's ways in, tested through real mounts.

Each case runs the documented examples (systemd/fstab, mnt-memfs.mount,
mnt-memfs.automount, puffs-memfs.service) with only the mountpoint replaced
by a private temporary directory:

  fstab       mount -T FSTAB DIR with the example fstab line; the unit
              systemd-fstab-generator makes of it passes systemd-analyze
  options     which -o options mount.puffs keeps, drops and passes on
  fail        the server's message and exit status come back from mount(8)
  setuid      -o setuid=USER: the mount is USER's, fusermount3 -u works
  mountunit   the .mount unit's mount command; the units verify
  service     the .service ExecStart under a fake service manager: READY=1
              only once the mount is live, STOPPING=1 when it goes
  syslog      after puffsd -b detached, its messages and the server's
              reach syslog (/dev/log), none is lost

Two modes.  From the build tree (meson test): mount(8) only looks for
helpers in /sbin, so each case runs in a private mount namespace where a
tmpfs over /sbin holds the build's mount.puffs; programs come from the
environment (PUFFSD, MEMFS, MOUNT_PUFFS, EXAMPLES).  Installed (PKG_INSTALLED=1,
the Debian package test): everything is used from where the packages put it.

Needs root, /dev/fuse, mount(8) and unshare(1): without them exit 77, unless
PUFFS_REQUIRE_FUSE=1.  Every wait is bounded by a generous deadline.
"""
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
DEADLINE = 20.0
INSTALLED = os.environ.get("PKG_INSTALLED") == "1"
EXAMPLES = os.environ.get("EXAMPLES", "/usr/share/doc/puffs-bridge/examples")
SBIN = os.path.realpath("/sbin")


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print("ok:", what)


def skip_or_fail(why):
    if os.environ.get("PUFFS_REQUIRE_FUSE") == "1":
        print("FAIL (required):", why)
        sys.exit(1)
    print("SKIP:", why)
    sys.exit(SKIP)


def run(argv, env=None, timeout=DEADLINE):
    print("+", " ".join(shlex.quote(a) for a in argv))
    p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    if p.stdout:
        print(p.stdout, end="")
    if p.stderr:
        print(p.stderr, end="")
    return p


def mounts():
    """{mountpoint: (source, fstype, options)} of this namespace."""
    table = {}
    with open("/proc/self/mounts") as f:
        for line in f:
            src, mnt, typ, opts = line.split()[:4]
            table[mnt.replace("\\040", " ")] = (src, typ, opts.split(","))
    return table


def wait_for(cond, what):
    end = time.monotonic() + DEADLINE
    while not cond():
        if time.monotonic() > end:
            raise Failure("timed out waiting for " + what)
        time.sleep(0.05)


def pids_serving(mnt):
    """Processes whose command line names mnt (puffsd and its server)."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
            with open(f"/proc/{d}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
        except OSError:
            continue
        if mnt.encode() in args:
            found.append(int(d))
    return found


def unmount_and_wait(mnt):
    if mnt in mounts():
        run(["umount", mnt])
    wait_for(lambda: mnt not in mounts(), "the unmount of " + mnt)
    wait_for(lambda: not pids_serving(mnt), "puffsd and server to exit")
    print("ok: unmounted, puffsd and the server exited")


def cleanup(mnt):
    for pid in pids_serving(mnt):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if mnt in mounts():
        subprocess.run(["umount", "-l", mnt])


def oracle_compare(mnt):
    """The same operations on the mount and on tmpfs give the same result."""
    ref = tempfile.mkdtemp(prefix="pkg-oracle.", dir="/dev/shm")
    try:
        results = []
        for root in (mnt, ref):
            os.mkdir(os.path.join(root, "d"))
            with open(os.path.join(root, "d", "f"), "w") as f:
                f.write("puffs-bridge\n" * 100)
            with open(os.path.join(root, "d", "f")) as f:
                data = f.read()
            st = os.stat(os.path.join(root, "d", "f"))
            results.append((sorted(os.listdir(root)),
                            sorted(os.listdir(os.path.join(root, "d"))),
                            data, st.st_size, st.st_mode))
        check(results[0] == results[1], "file ops agree with tmpfs")
    finally:
        shutil.rmtree(ref)


# Programs: the installed ones, or the build's.
def program(name):
    if INSTALLED:
        return {"puffsd": "/usr/sbin/puffsd", "memfs": "/usr/sbin/memfs",
                "mkdir": "/usr/bin/mkdir"}[name]
    return {"puffsd": os.environ["PUFFSD"], "memfs": os.environ["MEMFS"],
            "mkdir": "/usr/bin/mkdir"}[name]


def example(name, mnt):
    """An example file's text with its mountpoint replaced."""
    with open(os.path.join(EXAMPLES, name)) as f:
        text = f.read()
    return text.replace("/mnt/memfs", mnt)


def unit_settings(text):
    settings = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z]+)=(.*)$", line)
        if m:
            settings.setdefault(m.group(1), []).append(m.group(2))
    return settings


def verify_units(paths):
    # From the build tree the man pages are not installed yet.
    man = [] if INSTALLED else ["--man=no"]
    p = run(["systemd-analyze", "verify", *man, *paths])
    check(p.returncode == 0 and "rror" not in p.stderr,
          "systemd-analyze verify " + " ".join(map(os.path.basename, paths)))


def escaped_unit(mnt, suffix):
    p = run(["systemd-escape", "--path", "--suffix=" + suffix, mnt])
    return p.stdout.strip()


# ---------------------------------------------------------------- cases

def case_fstab(mnt, work):
    line = [l for l in example("fstab", mnt).splitlines()
            if l.strip() and not l.startswith("#")]
    check(len(line) == 1, "the example fstab has one line")
    fstab = os.path.join(work, "fstab")
    with open(fstab, "w") as f:
        f.write(line[0] + "\n")
    p = run(["mount", "-T", fstab, mnt])
    check(p.returncode == 0, "mount -T fstab " + mnt + " succeeds")
    src, typ, opts = mounts().get(mnt, (None, None, []))
    check(src == "memfs" and typ == "fuse.memfs",
          "the mount is live as memfs, type fuse.memfs")
    check({"nosuid", "nodev", "noexec"} <= set(opts),
          "nosuid,nodev,noexec reached the mount")
    oracle_compare(mnt)
    unmount_and_wait(mnt)

    gen = os.path.join(work, "gen")
    os.mkdir(gen)
    genbin = "/lib/systemd/system-generators/systemd-fstab-generator"
    p = run([genbin, gen, gen, gen], env=dict(os.environ, SYSTEMD_FSTAB=fstab))
    check(p.returncode == 0, "systemd-fstab-generator accepts the line")
    unit = os.path.join(gen, escaped_unit(mnt, "mount"))
    auto = os.path.join(gen, escaped_unit(mnt, "automount"))
    with open(unit) as f:
        s = unit_settings(f.read())
    check(s.get("Type") == ["puffs.memfs"] and s.get("What") == ["memfs"],
          "the generated .mount has What=memfs, Type=puffs.memfs")
    check(os.path.exists(auto), "x-systemd.automount made an .automount")
    verify_units([unit, auto])


def case_options(mnt, work):
    opts = ("ro,allow_other,default_permissions,_netdev,nofail,noauto,auto,"
            "user,users,nouser,x-systemd.requires=foo.service,x-gvfs-hide,"
            "noatime")
    p = run(["mount", "-f", "-v", "-t", "puffs.memfs", "-o", opts, "memfs",
             mnt])
    check(p.returncode == 0, "mount -f (fake) succeeds")
    shown = [l for l in p.stderr.splitlines() if "puffsd -b" in l]
    check(len(shown) == 1, "the helper shows the puffsd command")
    argv = shown[0].split(": ", 1)[1].split()
    check(argv[:4] == ["puffsd", "-b", "-o",
                       "allow_other,default_permissions"],
          "allow_other,default_permissions stay with puffsd")
    srv = argv[argv.index("--") + 1:]
    check(os.path.basename(srv[0]) in ("mount_memfs", "memfs"),
          "the server found is memfs")
    # mount(8) itself turns "user" into noexec,nosuid,nodev.
    check(srv[1] == "-o" and srv[3:] == ["memfs", mnt] and
          set(srv[2].split(",")) == {"ro", "noatime", "noexec", "nosuid",
                                     "nodev"},
          "the server gets ro,noatime (+ user's noexec,nosuid,nodev), SPEC "
          "and DIR; the rest is dropped")
    check(mnt not in mounts(), "mount -f mounted nothing")

    # Options may follow the positional arguments, as mount(8) passes them.
    p = run(["mount", "-t", "puffs.memfs", "-o", opts, "memfs", mnt])
    check(p.returncode == 0, "the real mount succeeds")
    src, typ, mopts = mounts()[mnt]
    check("ro" in mopts and "default_permissions" in mopts and
          "allow_other" in mopts and "noatime" in mopts,
          "ro, noatime, allow_other, default_permissions are in effect")
    try:
        open(os.path.join(mnt, "x"), "w")
        check(False, "creating a file on the ro mount fails")
    except OSError as e:
        check(e.errno == 30, "creating a file on the ro mount fails EROFS")
    unmount_and_wait(mnt)

    # fuse.puffs: the server from SERVER#SPEC, through mount.fuse.puffs.
    p = run(["mount", "-t", "fuse.puffs", "memfs#scratch", mnt])
    check(p.returncode == 0, "mount -t fuse.puffs memfs#scratch succeeds")
    check(mounts()[mnt][:2] == ("scratch", "fuse.memfs"),
          "fuse.puffs ran memfs with special \"scratch\"")
    unmount_and_wait(mnt)

    # sync_interval= is puffsd's: it reaches puffsd, not the server.
    p = run(["mount", "-t", "puffs.memfs", "-o", "sync_interval=5", "memfs",
             mnt])
    check(p.returncode == 0, "mount -o sync_interval=5 succeeds")
    argvs = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                argvs.append(f.read().split(b"\0"))
        except (OSError, ValueError):
            continue
    mine = [a for a in argvs if mnt.encode() in a]
    check(any(b"--sync-interval=5" in a and b"--" in a and
              a.index(b"--sync-interval=5") < a.index(b"--") for a in mine),
          "puffsd runs with --sync-interval=5")
    check(not any(b"sync_interval=5" in b"".join(a) for a in mine),
          "the server does not see sync_interval=")
    unmount_and_wait(mnt)
    p = run(["mount", "-t", "puffs.memfs", "-o", "sync_interval=soon",
             "memfs", mnt])
    check(p.returncode != 0 and "sync_interval" in p.stderr,
          "a sync_interval= that is not seconds is refused by name")


def case_fail(mnt, work):
    sdir = os.environ.get("PUFFS_BRIDGE_SERVERDIR")
    if INSTALLED:
        sdir = "/usr/libexec/puffs-bridge/servers"
    failfs = os.path.join(sdir, "mount_pkgtestfail")
    with open(failfs, "w") as f:
        f.write("#!/bin/sh\necho \"pkgtestfail: cannot reach $*\" >&2\n"
                "exit 7\n")
    os.chmod(failfs, 0o755)
    try:
        p = run(["mount", "-t", "puffs.pkgtestfail", "moon", mnt])
    finally:
        os.unlink(failfs)
    check(p.returncode == 7, "mount exits with the server's status 7")
    check("pkgtestfail: cannot reach -o rw moon " + mnt in p.stderr,
          "the server's message reaches mount's stderr")
    check(mnt not in mounts(), "nothing is mounted")
    wait_for(lambda: not pids_serving(mnt), "puffsd to exit")

    p = run(["mount", "-t", "puffs.memfs", "-o", "bogus_option", "memfs",
             mnt])
    check(p.returncode != 0 and "bogus_option" in p.stderr,
          "a server option memfs rejects fails the mount with its message")
    p = run(["mount", "-t", "puffs.nosuchserver", "x", mnt])
    check(p.returncode != 0 and "mount_nosuchserver" in p.stderr,
          "an unknown server fails with a clear message")
    check(mnt not in mounts(), "nothing is mounted")


def case_setuid(mnt, work):
    """setuid=USER: the mount belongs to USER, who can unmount it."""
    import pwd
    nobody = pwd.getpwnam("nobody")
    if os.stat("/dev/fuse").st_mode & 0o006 != 0o006:
        # Distributions make /dev/fuse 0666; some containers do not.  In
        # our private namespace only, put a 0666 node over it.
        check(not INSTALLED, "/dev/fuse is usable by every user")
        devs = os.path.join(work, "devs")
        os.mkdir(devs)
        run(["mount", "-t", "tmpfs", "pkgdevs", devs])
        os.mknod(os.path.join(devs, "fuse"), 0o666 | 0o020000,
                 os.makedev(10, 229))
        os.chmod(os.path.join(devs, "fuse"), 0o666)
        run(["mount", "--bind", os.path.join(devs, "fuse"), "/dev/fuse"])
    os.chmod(work, 0o755)
    os.chown(mnt, nobody.pw_uid, nobody.pw_gid)
    p = run(["mount", "-t", "puffs.memfs", "-o", "setuid=nobody", "memfs",
             mnt])
    check(p.returncode == 0, "mount -o setuid=nobody succeeds")
    opts = mounts().get(mnt, ("", "", []))[2]
    check("user_id=%d" % nobody.pw_uid in opts,
          "the mount records nobody's uid")
    owners = set()
    for pid in pids_serving(mnt):
        with open("/proc/%d/status" % pid) as f:
            owners |= {l.split()[1] for l in f if l.startswith("Uid:")}
    check(owners == {str(nobody.pw_uid)},
          "puffsd and the server run as nobody")
    p = run(["su", "-s", "/bin/sh", "nobody", "-c",
             "fusermount3 -u " + shlex.quote(mnt)])
    check(p.returncode == 0, "nobody unmounts it with fusermount3 -u")
    wait_for(lambda: mnt not in mounts(), "the unmount")
    wait_for(lambda: not pids_serving(mnt), "puffsd and server to exit")
    p = run(["mount", "-t", "puffs.memfs", "-o", "setuid=nosuchuser9",
             "memfs", mnt])
    check(p.returncode != 0 and "nosuchuser9" in p.stderr,
          "an unknown setuid user is refused by name")


def case_mountunit(mnt, work):
    s = unit_settings(example("mnt-memfs.mount", mnt))
    what, where, typ = s["What"][0], s["Where"][0], s["Type"][0]
    options = s["Options"][0]
    check(where == mnt, "the unit's Where= is the mountpoint")
    # What systemd's mount unit runs.
    p = run(["mount", what, where, "-t", typ, "-o", options])
    check(p.returncode == 0, "the .mount unit's mount command succeeds")
    check(mounts().get(mnt, ("", ""))[:2] == ("memfs", "fuse.memfs"),
          "the unit's mount is live")
    oracle_compare(mnt)
    unmount_and_wait(mnt)

    units = []
    for name, suffix in (("mnt-memfs.mount", "mount"),
                         ("mnt-memfs.automount", "automount")):
        path = os.path.join(work, escaped_unit(mnt, suffix))
        with open(path, "w") as f:
            f.write(example(name, mnt))
        units.append(path)
    verify_units(units)


def notify_socket(work, abstract):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if abstract:
        name = "@puffs-pkg-test-%d" % os.getpid()
        sock.bind("\0" + name[1:])
    else:
        name = os.path.join(work, "notify")
        sock.bind(name)
    sock.settimeout(DEADLINE)
    return sock, name


def service_unit(mnt, work):
    text = example("puffs-memfs.service", mnt)
    if not INSTALLED:
        text = text.replace("/usr/sbin/puffsd", program("puffsd"))
        text = text.replace("/usr/sbin/memfs", program("memfs"))
    path = os.path.join(work, "puffs-memfs.service")
    with open(path, "w") as f:
        f.write(text)
    return path, unit_settings(text)


def case_service(mnt, work):
    path, s = service_unit(mnt, work)
    check(s["Type"] == ["notify"], "the service is Type=notify")
    verify_units([path])
    os.rmdir(mnt)
    for pre in s.get("ExecStartPre", []):
        check(run(shlex.split(pre.lstrip("-"))).returncode == 0,
              "ExecStartPre ran")
    for abstract in (True, False):
        sock, name = notify_socket(work, abstract)
        env = dict(os.environ, NOTIFY_SOCKET=name)
        argv = shlex.split(s["ExecStart"][0])
        print("+ NOTIFY_SOCKET=%s %s" % (name, " ".join(argv)))
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL)
        try:
            msg = sock.recv(4096).decode()
            live = mnt in mounts()
            check("READY=1" in msg.splitlines(), "READY=1 arrives (%s)"
                  % ("abstract" if abstract else "path"))
            check(live, "the mount was live when READY=1 arrived")
            check("MAINPID=%d" % proc.pid in msg, "MAINPID is puffsd's")
            oracle_compare(mnt)
            shutil.rmtree(os.path.join(mnt, "d"))
            proc.send_signal(signal.SIGTERM)	# systemctl stop
            msg = sock.recv(4096).decode()
            check("STOPPING=1" in msg, "STOPPING=1 arrives on SIGTERM")
            check(proc.wait(timeout=DEADLINE) == 0, "puffsd exits 0")
            check(mnt not in mounts(), "the mount is gone")
            wait_for(lambda: not pids_serving(mnt), "the server to exit")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            sock.close()


def case_syslog(mnt, work):
    if INSTALLED:
        print("syslog case runs from the build tree only")
        return
    # A private /dev with what the mount needs and a /dev/log we read.
    run(["mount", "-t", "tmpfs", "-o", "mode=755", "pkgdev", "/dev"])
    os.mknod("/dev/null", 0o666 | 0o020000, os.makedev(1, 3))
    os.mknod("/dev/fuse", 0o666 | 0o020000, os.makedev(10, 229))
    log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    log.bind("/dev/log")
    log.settimeout(DEADLINE)
    # A server that speaks once told to, long after the mount is live.
    trigger = os.path.join(work, "speak")
    chatty = os.path.join(os.environ["PUFFS_BRIDGE_SERVERDIR"],
                          "mount_pkgchatty")
    with open(chatty, "w") as f:
        f.write("#!/bin/sh\n"
                "(while [ ! -e %s ]; do sleep 0.1; done\n"
                " echo 'pkgchatty: a message after detaching' >&2) &\n"
                "exec %s -s \"$@\"\n" % (shlex.quote(trigger),
                                        shlex.quote(program("memfs"))))
    os.chmod(chatty, 0o755)
    p = run(["mount", "-t", "puffs.pkgchatty", "memfs", mnt])
    check(p.returncode == 0, "mount with a syslog to read")
    open(trigger, "w").close()
    seen = []

    def logged(text):
        while not any(text in m for m in seen):
            try:
                seen.append(log.recv(4096).decode(errors="replace"))
            except socket.timeout:
                return False
        return True

    check(logged("pkgchatty: a message after detaching"),
          "the server's output after detaching reached syslog")
    run(["umount", mnt])
    check(logged("unmounting " + mnt),
          "puffsd's own message after detaching reached syslog")
    for m in seen:
        print("syslog:", m)
    check(any("puffsd[" in m and "server: pkgchatty:" in m for m in seen),
          "it is logged as puffsd's, marked as the server's")
    wait_for(lambda: not pids_serving(mnt), "puffsd to exit")


CASES = {
    "fstab": case_fstab,
    "options": case_options,
    "fail": case_fail,
    "setuid": case_setuid,
    "mountunit": case_mountunit,
    "service": case_service,
    "syslog": case_syslog,
}


def namespace_setup(work):
    """A tmpfs over /sbin with the build's helpers, in our own namespace."""
    run(["mount", "--make-rprivate", "/"])
    check(run(["mount", "-t", "tmpfs", "-o", "mode=755", "pkgsbin",
               SBIN]).returncode == 0, "tmpfs over " + SBIN)
    os.symlink(os.environ["MOUNT_PUFFS"], os.path.join(SBIN, "mount.puffs"))
    os.symlink("mount.puffs", os.path.join(SBIN, "mount.fuse.puffs"))
    sdir = os.path.join(work, "servers")
    os.mkdir(sdir)
    os.symlink(program("memfs"), os.path.join(sdir, "mount_memfs"))
    os.environ["PUFFS_BRIDGE_SERVERDIR"] = sdir
    os.environ["PUFFS_BRIDGE_PUFFSD"] = program("puffsd")


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: pkg_mount.py " + "|".join(CASES))
        return 2
    if os.geteuid() != 0 or not os.path.exists("/dev/fuse"):
        skip_or_fail("needs root and /dev/fuse")
    for tool in ("mount", "unshare", "systemd-analyze", "systemd-escape"):
        if shutil.which(tool) is None:
            skip_or_fail("needs " + tool)
    if not INSTALLED and os.environ.get("PKG_IN_NAMESPACE") != "1":
        env = dict(os.environ, PKG_IN_NAMESPACE="1")
        os.execvpe("unshare", ["unshare", "-m", sys.executable,
                               os.path.abspath(__file__), sys.argv[1]], env)
    work = tempfile.mkdtemp(prefix="pkg-mount.")
    mnt = os.path.join(work, "mnt")
    os.mkdir(mnt)
    try:
        if not INSTALLED:
            namespace_setup(work)
        CASES[sys.argv[1]](mnt, work)
    except (Failure, subprocess.TimeoutExpired, OSError, KeyError) as e:
        print("FAIL:", e)
        return 1
    finally:
        cleanup(mnt)
        shutil.rmtree(work, ignore_errors=True)
    print("PASS:", sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
