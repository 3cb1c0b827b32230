#!/usr/bin/env python3
"""privilege.py CASE: least privilege of puffsd (issue 6).

Cases:
  unpriv       puffsd run by nobody mounts through fusermount3 without
               root: mountinfo records user_id=65534, no allow_other;
               puffsd and the server hold no capability; the control
               socket is nobody's alone (root and nobody are served, uid
               65533 is refused); nobody unmounts with fusermount3 -u
  allow_other  nobody's -o allow_other is refused when /etc/fuse.conf
               lacks user_allow_other, with a message naming both;
               honoured when it has it; root's mount has it unasked
  setuid       root's mount.puffs -o setuid=nobody: puffsd and the server
               run with nobody's uids, gids and groups and no capability,
               the mount records nobody's uid
  files        nothing puffsd creates is writable by others: /run/puffs,
               the control socket, the socket directory of a user; a
               socket directory someone else could write is not used

The programs run as nobody are copied into a private 0755 directory, so
that the build tree need not be reachable by other users.  The whole
test runs in a private mount namespace (unshare -m): the /dev/fuse node
nobody may open and the fuse.conf variants are bind mounts there, so the
real /etc/fuse.conf is never modified and everything mounted here goes
away with the namespace.  Needs root, /dev/fuse, unshare, setpriv and
fusermount3: without them exit 77, unless PUFFS_REQUIRE_FUSE=1.  Waits
are bounded by a generous deadline; nothing is timed.
"""
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

SKIP = 77
DEADLINE = 20.0
NOBODY = 65534
OTHER = 65533           # a second unprivileged uid, no account needed
PUFFSD = os.environ.get("PUFFSD", "")
MEMFS = os.environ.get("MEMFS", "")
PUFFSCTL = os.environ.get("PUFFSCTL", "")
MOUNT_PUFFS = os.environ.get("MOUNT_PUFFS", "")


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
    print("+", " ".join(argv))
    p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    if p.stdout:
        print(p.stdout, end="")
    if p.stderr:
        print(p.stderr, end="")
    return p


def wait_for(cond, what):
    end = time.monotonic() + DEADLINE
    while not cond():
        if time.monotonic() > end:
            raise Failure("timed out waiting for " + what)
        time.sleep(0.05)


def mountinfo(mnt):
    """(fstype, super options) of mnt in /proc/self/mountinfo, or None."""
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ", 1)
            if left.split()[4].replace("\\040", " ") == mnt:
                fstype, _src, sopts = right.split()[:3]
                return fstype, sopts.split(",")
    return None


def status(pid):
    """The Uid/Gid/Groups/CapEff/CapPrm lines of /proc/PID/status."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, val = line.partition(":")
            if key in ("Uid", "Gid", "Groups", "CapEff", "CapPrm"):
                out[key] = val.split()
    return out


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def server_of(pid):
    """puffsd's children running memfs."""
    found = []
    for c in children(pid):
        try:
            if os.path.basename(os.readlink("/proc/%d/exe" % c)) == "memfs":
                found.append(c)
        except OSError:
            pass
    return found


def socket_in(d):
    """Wait for puffsd's control socket (made just after the mount)."""
    wait_for(lambda: os.path.isdir(d) and os.listdir(d), "a socket in " + d)
    return [os.path.join(d, n) for n in os.listdir(d)]


def pids_serving(mnt):
    """Live processes whose command line names mnt."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                args = f.read().split(b"\0")
            with open("/proc/%s/stat" % d) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
        except OSError:
            continue
        if mnt.encode() in args:
            found.append(int(d))
    return found


def check_unprivileged(pid, who):
    s = status(pid)
    check(set(s["Uid"]) == {str(NOBODY)},
          "%s (pid %d) runs with nobody's uids: %s" % (who, pid, s["Uid"]))
    check(set(s["Gid"]) == {str(NOBODY)},
          "%s has nobody's gids: %s" % (who, s["Gid"]))
    check(set(s.get("Groups", [])) <= {str(NOBODY)},
          "%s has no other supplementary group: %s" % (who, s["Groups"]))
    check(int(s["CapEff"][0], 16) == 0 and int(s["CapPrm"][0], 16) == 0,
          "%s holds no capability (CapEff %s, CapPrm %s)" %
          (who, s["CapEff"][0], s["CapPrm"][0]))


class Env:
    """The private work directory, binaries, and how to run as nobody."""

    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="puffs-priv.")
        os.chmod(self.work, 0o755)
        self.bin = os.path.join(self.work, "bin")
        os.mkdir(self.bin, 0o755)
        for src in (PUFFSD, MEMFS, PUFFSCTL):
            shutil.copy(src, self.bin)
        # memfs finds libpuffs through LD_LIBRARY_PATH (RUNPATH yields).
        lib = os.path.realpath(os.path.join(os.path.dirname(MEMFS),
                                            "../../libpuffs.so.0"))
        shutil.copy(lib, os.path.join(self.bin, "libpuffs.so.0"))
        for name in os.listdir(self.bin):
            os.chmod(os.path.join(self.bin, name), 0o755)
        self.xdg = os.path.join(self.work, "xdg")
        os.mkdir(self.xdg, 0o700)
        os.chown(self.xdg, NOBODY, NOBODY)
        self.procs = []
        self.mnts = []

    def path(self, name):
        return os.path.join(self.bin, name)

    def env(self):
        e = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
             "LD_LIBRARY_PATH": self.bin, "XDG_RUNTIME_DIR": self.xdg}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                e[k] = os.environ[k]
        return e

    @staticmethod
    def as_user(uid, argv):
        return ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid,
                "--clear-groups", "--"] + argv

    def mountpoint(self, name, owner):
        mnt = os.path.join(self.work, name)
        os.mkdir(mnt, 0o755)
        os.chown(mnt, owner, owner)
        self.mnts.append(mnt)
        return mnt

    def start(self, argv, log):
        print("+ (background)", " ".join(argv))
        f = open(log, "w")
        p = subprocess.Popen(argv, env=self.env(), stdin=subprocess.DEVNULL,
                             stdout=f, stderr=f)
        f.close()
        self.procs.append(p)
        return p

    def mounted(self, mnt, p, log):
        """Wait until mnt is a live fuse mount served by p."""
        def live():
            if p.poll() is not None:
                raise Failure("puffsd exited with %d before mounting %s: "
                              "%s" % (p.returncode, mnt, open(log).read()))
            info = mountinfo(mnt)
            return info is not None and info[0].startswith("fuse")
        wait_for(live, "the mount of " + mnt)
        return mountinfo(mnt)

    def cleanup(self):
        for mnt in self.mnts:
            while mountinfo(mnt) is not None:
                subprocess.run(["umount", "-l", mnt],
                               stderr=subprocess.DEVNULL)
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(DEADLINE)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for mnt in self.mnts:
            for pid in pids_serving(mnt):
                os.kill(pid, signal.SIGKILL)
        # The /dev/fuse node of fuse_for_everybody, mounted in here.
        devs = os.path.join(self.work, "devs")
        if os.path.isdir(devs):
            subprocess.run(["umount", "/dev/fuse"], stderr=subprocess.DEVNULL)
            subprocess.run(["umount", devs], stderr=subprocess.DEVNULL)
        shutil.rmtree(self.work, ignore_errors=True)


def nobody_mount(e, name, opts=None):
    mnt = e.mountpoint(name, NOBODY)
    log = os.path.join(e.work, name + ".log")
    argv = [e.path("puffsd")]
    if opts:
        argv += ["-o", opts]
    argv += ["--", e.path("memfs"), "-s", mnt]
    return mnt, e.start(Env.as_user(NOBODY, argv), log), log


def nobody_unmount(e, mnt, p):
    r = run(Env.as_user(NOBODY, ["fusermount3", "-u", mnt]), env=e.env())
    check(r.returncode == 0, "nobody unmounts %s with fusermount3 -u" % mnt)
    p.wait(DEADLINE)
    check(p.returncode == 0, "puffsd exits 0 after the unmount (%d)" %
          p.returncode)


def case_unpriv(e):
    mnt, p, log = nobody_mount(e, "mnt-unpriv")
    fstype, sopts = e.mounted(mnt, p, log)
    check(fstype == "fuse.memfs", "nobody's puffsd mounted %s" % fstype)
    check("user_id=%d" % NOBODY in sopts and
          "group_id=%d" % NOBODY in sopts,
          "mountinfo records nobody's ids: %s" % sopts)
    check("allow_other" not in sopts, "no allow_other unasked")
    check_unprivileged(p.pid, "puffsd")
    # fusermount3, puffsd's other child, may not be reaped yet.
    wait_for(lambda: server_of(p.pid), "puffsd's server")
    check_unprivileged(server_of(p.pid)[0], "the server")
    r = run(Env.as_user(NOBODY, ["sh", "-c", "echo hello >%s/f && cat "
                                 "%s/f" % (mnt, mnt)]))
    check(r.returncode == 0 and r.stdout == "hello\n",
          "nobody writes and reads a file on the mount")
    socks = socket_in(os.path.join(e.xdg, "puffs"))
    check(len(socks) == 1, "one control socket in $XDG_RUNTIME_DIR/puffs")
    ctl = [e.path("puffsctl"), "-S", socks[0], "status"]
    r = run(Env.as_user(NOBODY, ctl), env=e.env())
    check(r.returncode == 0 and "mountpoint:" in r.stdout,
          "the owner (nobody) is served on the control socket")
    r = run(ctl, env=e.env())
    check(r.returncode == 0, "root is served on the control socket")
    r = run(Env.as_user(OTHER, [e.path("puffsctl"), "-S", socks[0],
                                "unmount", "-f"]), env=e.env())
    check(r.returncode != 0 and "permission denied" in r.stderr.lower(),
          "uid %d is refused" % OTHER)
    check(mountinfo(mnt) is not None, "the refused unmount did nothing")
    nobody_unmount(e, mnt, p)


def bind_fuse_conf(e, text):
    path = os.path.join(e.work, "fuse.conf.%d" % len(e.mnts))
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)
    r = run(["mount", "--bind", path, "/etc/fuse.conf"])
    check(r.returncode == 0, "fuse.conf variant bound (private namespace)")


def case_allow_other(e):
    if not os.path.exists("/etc/fuse.conf"):
        raise Failure("/etc/fuse.conf is missing (fuse3 installs it)")
    before = open("/etc/fuse.conf", "rb").read()
    try:
        bind_fuse_conf(e, "# no user_allow_other here\n")
        mnt, p, log = nobody_mount(e, "mnt-ao-refused", "allow_other")
        p.wait(DEADLINE)
        text = open(log).read()
        print(text, end="")
        check(p.returncode != 0 and mountinfo(mnt) is None,
              "nobody's allow_other is refused without user_allow_other")
        check("user_allow_other" in text and "/etc/fuse.conf" in text,
              "the message names user_allow_other and /etc/fuse.conf")
        run(["umount", "/etc/fuse.conf"])

        bind_fuse_conf(e, "user_allow_other\n")
        mnt, p, log = nobody_mount(e, "mnt-ao-allowed", "allow_other")
        _, sopts = e.mounted(mnt, p, log)
        check("allow_other" in sopts,
              "with user_allow_other, nobody's allow_other is honoured")
        nobody_unmount(e, mnt, p)
        run(["umount", "/etc/fuse.conf"])
    finally:
        while subprocess.run(["umount", "/etc/fuse.conf"],
                             stderr=subprocess.DEVNULL).returncode == 0:
            pass
    after = open("/etc/fuse.conf", "rb").read()
    check(after == before, "/etc/fuse.conf is as it was")

    mnt = e.mountpoint("mnt-ao-root", 0)
    log = os.path.join(e.work, "root.log")
    p = e.start([e.path("puffsd"), "--", e.path("memfs"), "-s", mnt], log)
    _, sopts = e.mounted(mnt, p, log)
    check("allow_other" in sopts, "root's mount is usable by everybody "
          "(allow_other, as NetBSD's puffs)")
    run(["umount", mnt])
    p.wait(DEADLINE)


def case_setuid(e):
    mnt = e.mountpoint("mnt-setuid", NOBODY)
    env = e.env()
    env["PUFFS_BRIDGE_PUFFSD"] = e.path("puffsd")
    env["PUFFS_BRIDGE_SERVERDIR"] = e.bin
    shutil.copy(MOUNT_PUFFS, e.bin)
    r = run([os.path.join(e.bin, "mount.puffs"), "memfs", mnt, "-t",
             "puffs.memfs", "-o", "setuid=nobody"], env=env)
    check(r.returncode == 0, "mount.puffs -o setuid=nobody succeeds")
    info = mountinfo(mnt)
    check(info is not None and "user_id=%d" % NOBODY in info[1],
          "the mount records nobody's uid")
    def ours():
        # fusermount3 names the mountpoint too while it lasts.
        return [(pid, comm(pid)) for pid in pids_serving(mnt)
                if comm(pid) in ("puffsd", "memfs")]
    wait_for(lambda: len(ours()) == 2, "puffsd and the server")
    for pid, name in ours():
        check_unprivileged(pid, name)
    r = run(Env.as_user(NOBODY, ["fusermount3", "-u", mnt]), env=env)
    check(r.returncode == 0, "nobody unmounts it with fusermount3 -u")
    wait_for(lambda: not pids_serving(mnt), "puffsd and the server to exit")


def sockname(mnt):
    """The control socket's name for mnt, as src/ctlpath.c makes it."""
    out = ""
    for b in mnt.lstrip("/").encode():
        c = chr(b)
        if c == "/":
            out += "-"
        elif c.isascii() and (c.isalnum() or c in "._"):
            out += c
        else:
            out += "%%%02X" % b
    return (out or "-") + ".sock"


def walk(top):
    yield top
    for d, dirs, files in os.walk(top):
        for n in dirs + files:
            yield os.path.join(d, n)


def case_files(e):
    # Root's mount: /run/puffs and its socket.
    mnt = e.mountpoint("mnt-files-root", 0)
    log = os.path.join(e.work, "root.log")
    p = e.start([e.path("puffsd"), "--", e.path("memfs"), "-s", mnt], log)
    e.mounted(mnt, p, log)
    st = os.stat("/run/puffs")
    check(st.st_uid == 0 and st.st_mode & 0o022 == 0,
          "/run/puffs is root's, mode %o" % (st.st_mode & 0o7777))
    # Other mounts (other tests, older builds) may have sockets there too.
    sock = os.path.join("/run/puffs", sockname(mnt))
    wait_for(lambda: os.path.exists(sock), "root's control socket " + sock)
    mode = os.lstat(sock).st_mode
    check(stat.S_ISSOCK(mode) and mode & 0o077 == 0,
          "root's control socket is owner-only (%o)" % (mode & 0o7777))
    run(["umount", mnt])
    p.wait(DEADLINE)

    # A user's mount: its socket directory and socket.
    mnt, p, log = nobody_mount(e, "mnt-files-nobody")
    e.mounted(mnt, p, log)
    d = os.path.join(e.xdg, "puffs")
    socket_in(d)
    st = os.lstat(d)
    check(st.st_uid == NOBODY and st.st_mode & 0o077 == 0,
          "nobody's socket directory is nobody's, mode %o" %
          (st.st_mode & 0o7777))
    bad = [x for x in walk(e.xdg) if os.lstat(x).st_mode & 0o077]
    check(not bad, "nothing of nobody's puffsd is open to others: %s" % bad)
    nobody_unmount(e, mnt, p)

    # A socket directory that others may write is not used.
    shutil.rmtree(d)
    os.mkdir(d)
    os.chmod(d, 0o777)
    mnt, p, log = nobody_mount(e, "mnt-files-unsafe")
    e.mounted(mnt, p, log)
    wait_for(lambda: "no control socket" in open(log).read(),
             "puffsd's word on the socket directory")
    print(open(log).read(), end="")
    check(os.listdir(d) == [],
          "no control socket in a directory others may write")
    nobody_unmount(e, mnt, p)


CASES = {"unpriv": case_unpriv, "allow_other": case_allow_other,
         "setuid": case_setuid, "files": case_files}


def fuse_for_everybody(e):
    """/dev/fuse usable by nobody, in this namespace only."""
    if os.stat("/dev/fuse").st_mode & 0o006 == 0o006:
        return
    devs = os.path.join(e.work, "devs")
    os.mkdir(devs)
    run(["mount", "-t", "tmpfs", "privdevs", devs])
    node = os.path.join(devs, "fuse")
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(10, 229))
    os.chmod(node, 0o666)
    run(["mount", "--bind", node, "/dev/fuse"])


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: privilege.py " + "|".join(CASES))
        return 2
    if os.geteuid() != 0:
        skip_or_fail("needs root")
    for prog in ("unshare", "setpriv", "fusermount3", "mount"):
        if shutil.which(prog) is None:
            skip_or_fail(prog + " is missing")
    if not os.path.exists("/dev/fuse"):
        skip_or_fail("/dev/fuse is missing")
    if not all((PUFFSD, MEMFS, PUFFSCTL, MOUNT_PUFFS)):
        print("PUFFSD, MEMFS, PUFFSCTL and MOUNT_PUFFS must be set")
        return 99
    if os.environ.get("PRIV_IN_NS") != "1":
        os.environ["PRIV_IN_NS"] = "1"
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private",
                              sys.executable] + sys.argv)
    e = Env()
    try:
        fuse_for_everybody(e)
        CASES[sys.argv[1]](e)
    except (Failure, subprocess.TimeoutExpired) as x:
        print("FAIL:", x)
        return 1
    finally:
        e.cleanup()
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
