"""The harness of the real-QEMU tests: tests/qemu-*.test, and the Python
parts of tests/examples.test.

A test imports it from its own directory without writing bytecode there
(in 'make distcheck' the source tree is read-only):

    import os, sys
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import qltest
    from qltest import qmp                  # tools/qmp.py

and ends with sys.exit(qltest.main(PARTS, PREFIX)), each part a function
part(log, env, tmp).  What it gets:

  Log             one numbered TAP line per check (check, equal, expect,
                  skip), "# " comments (note); done() prints the plan
  Env             what the automake harness exports: QLAUNCH,
                  QLAUNCH_PLUGIN_DIR, QEMU, srcdir, QLAUNCH_REQUIRE_QEMU
  run_qlaunch     qlaunch run to completion, bounded by TIMEOUT
  write_config    a config written, 'qlaunch check'ed and 'print --null'ed
  start, spawn    QEMU started by 'qlaunch run CONFIG', or from an argv
  launch          start + qmp_session over the config's [qmp] socket,
                  with the check that 'run' exec'd QEMU in place
  qmp_session     connect, the caller's checks, quit, expect exit status 0;
                  QEMU is killed whatever happens (stop)
  write_file, read_text, temp_dir, proc_cmdline, pid_alive, poll,
  chardev, fake_bzimage
  main            signals, environment, temp dir, the parts, the plan

Exit status of a test: 0 pass, 1 fail; a check not run is a TAP skip.

As a command, for tests/examples.test (a shell script):

    qltest.py fake-kernel PATH              write fake_bzimage() to PATH
    qltest.py status-and-quit SOCKET PID [TIMEOUT]
                                            print QEMU's run state, quit it
    qltest.py until-status-and-quit SOCKET PID STATUS [TIMEOUT]
                                            the same once the state is
                                            STATUS (or TIMEOUT has passed)
"""

import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True          # keep srcdir clean (it may be read-only)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import qmp                              # noqa: E402  tools/qmp.py

# Upper bound in seconds for every step: one qlaunch run, QEMU coming up,
# connecting to QMP, one QMP command, QEMU's exit after 'quit'.
TIMEOUT = 10

DEFAULT_QEMU = "/usr/bin/qemu-system-x86_64"
MIB = 1024 * 1024

# The QMP socket in the temp dir that 'launch' talks to.
QMP_SOCK = "qmp.sock"


class Log:
    """Numbered TAP check lines; remembers failures and skips."""

    # What a failed read-back may raise besides a QMP error answer.
    READBACK_ERRORS = (qmp.QMPError, LookupError, TypeError, ValueError, AttributeError)

    def __init__(self):
        self.count = 0
        self.failures = 0
        self.skips = 0

    def check(self, ok, what, got=None, want=None):
        self.count += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.count, what))
        if not ok:
            self.failures += 1
            if want is not None:
                print("#   expected: %r" % (want,))
            if got is not None:
                print("#   got:      %r" % (got,))
        sys.stdout.flush()
        return ok

    def equal(self, got, want, what):
        return self.check(got == want, what, got, want)

    def expect(self, what, fn, want=True):
        """Check fn() == want; an error while reading it back is a failure."""
        try:
            got = fn()
        except self.READBACK_ERRORS as e:
            return self.check(False, what, "%s: %s" % (type(e).__name__, e), want)
        return self.equal(got, want, what)

    def skip(self, what, why):
        self.count += 1
        self.skips += 1
        print("ok %d - %s # SKIP %s" % (self.count, what, why))
        sys.stdout.flush()

    @staticmethod
    def note(text):
        for line in str(text).rstrip("\n").splitlines():
            print("# " + line)
        sys.stdout.flush()

    def done(self):
        """Print the plan; return the exit status (1 if a check failed)."""
        print("1..%d" % self.count)
        if self.failures:
            print("# failed %d of %d checks" % (self.failures, self.count))
        sys.stdout.flush()
        return 1 if self.failures else 0


class Env:
    """What the harness tells us, with defaults for a manual run."""

    def __init__(self):
        here = os.path.dirname(os.path.abspath(__file__))
        self.qlaunch = os.environ.get("QLAUNCH", "")
        self.plugin_dir = os.environ.get("QLAUNCH_PLUGIN_DIR", "")
        self.qemu = os.path.abspath(os.environ.get("QEMU") or DEFAULT_QEMU)
        self.srcdir = os.environ.get("srcdir") or os.path.join(here, "..")
        self.require_qemu = os.environ.get("QLAUNCH_REQUIRE_QEMU") == "1"

    def qlaunch_cmd(self, *args):
        return [self.qlaunch, "-P", self.plugin_dir] + list(args)

    def has_qemu(self, log):
        """True if QEMU can run; else a failed check (QLAUNCH_REQUIRE_QEMU=1)
        or a skipped one, and False."""
        if os.access(self.qemu, os.X_OK):
            return True
        if self.require_qemu:
            log.check(False, "QEMU binary %s is executable (QLAUNCH_REQUIRE_QEMU=1)" % self.qemu)
        else:
            log.skip("QEMU acceptance checks", "%s not found or not executable" % self.qemu)
        return False


def run_qlaunch(env, *args, pass_fds=()):
    """Run qlaunch to completion; return (status, stdout bytes, stderr text)."""
    p = subprocess.run(env.qlaunch_cmd(*args), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=TIMEOUT, pass_fds=pass_fds)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def write_file(path, data, mode=0o644):
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.chmod(path, mode)


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def temp_dir(prefix, sockets=(QMP_SOCK,)):
    """A private directory where every socket name fits a unix socket path
    (< 108 bytes)."""
    longest = max(sockets, key=len)
    tmp = tempfile.mkdtemp(prefix=prefix)
    if len(os.path.join(tmp, longest).encode()) < 108:
        return tmp
    os.rmdir(tmp)
    return tempfile.mkdtemp(prefix=prefix, dir="/tmp")


def fake_bzimage():
    """The smallest file QEMU's x86 loader takes as a Linux kernel."""
    img = bytearray(0x1000)
    img[0x1f1] = 1                                   # setup_sects
    img[0x202:0x206] = b"HdrS"                       # header magic
    img[0x206:0x208] = struct.pack("<H", 0x020c)     # boot protocol 2.12
    img[0x22c:0x230] = struct.pack("<I", 0x37ffffff)  # initrd_addr_max
    return bytes(img)


def proc_cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return None


def pid_alive(pid):
    """Whether pid (not necessarily our child) runs and is no zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        return True     # no /proc: rely on the timeout


def poll(fn, want, interval=0.02):
    """fn() once it equals want, or its last value when TIMEOUT has passed."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        got = fn()
        if got == want or time.monotonic() >= deadline:
            return got
        time.sleep(interval)


def chardev(q, label):
    for c in q.cmd("query-chardev"):
        if c["label"] == label:
            return c
    raise LookupError("query-chardev has no %r" % label)


# --- configs and QEMU processes ---------------------------------------------------

def write_config(log, env, tmp, label, text, args=(), pass_fds=()):
    """Write TMP/LABEL.ini, 'qlaunch check' it and 'print --null' it.

    Returns (path, argv bytes as print --null shows them) or (path, None).
    """
    config = os.path.join(tmp, label + ".ini")
    write_file(config, text)
    status, _, err = run_qlaunch(env, *args, "check", config, pass_fds=pass_fds)
    if not log.check(status == 0 and err == "", "[%s] qlaunch check accepts the config" % label,
                     (status, err)):
        return config, None
    status, out, err = run_qlaunch(env, *args, "print", "--null", config, pass_fds=pass_fds)
    if not log.check(status == 0 and out.endswith(b"\0"),
                     "[%s] print --null exits 0" % label, (status, err)):
        return config, None
    log.note("[%s] %s" % (label, " ".join(os.fsdecode(a) for a in out[:-1].split(b"\0"))))
    return config, out


def spawn(argv, tmp, label, pass_fds=()):
    """Popen argv; its stdout and stderr go to TMP/LABEL.out and .err."""
    with open(os.path.join(tmp, label + ".out"), "wb") as out_f, \
            open(os.path.join(tmp, label + ".err"), "wb") as err_f:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out_f, stderr=err_f,
                                pass_fds=pass_fds)


def start(env, tmp, label, config, args=(), pass_fds=()):
    """Popen 'qlaunch ARGS run CONFIG' (it becomes QEMU), as spawn does."""
    return spawn(env.qlaunch_cmd(*args, "run", config), tmp, label, pass_fds)


def stop(log, tmp, label, proc, before, L=None):
    """Never leave a QEMU behind; show its output, and its exit status if a
    check failed since log.failures was before.  L prefixes the lines
    (default "[LABEL] ")."""
    L = "[%s] " % label if L is None else L
    if proc.poll() is None:
        proc.kill()
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            log.check(False, L + "QEMU (pid %d) dies after SIGKILL" % proc.pid)
    if log.failures != before:
        log.note(L + "QEMU exit status: %s" % proc.returncode)
    for what in ("out", "err"):
        text = read_text(os.path.join(tmp, "%s.%s" % (label, what)))
        if text.strip():
            log.note(L + "QEMU std%s:\n%s" % (what, text))


def quit_and_wait(log, q, proc, L=""):
    """Send quit; QEMU must exit with status 0.  Returns it (None: no exit)."""
    try:
        q.cmd("quit")
    except qmp.QMPConnectionError:
        pass            # QEMU may hang up before its answer arrives
    try:
        code = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        log.check(False, L + "QEMU exits within %ds after quit" % TIMEOUT)
        return None
    log.equal(code, 0, L + "QEMU exits with status 0 after quit")
    return code


def qmp_session(log, tmp, label, proc, sock, connected, body, L=None):
    """Connect to QEMU (proc) over QMP at sock -- the check CONNECTED --,
    run body(q), then quit_and_wait.  A QMP error fails the session; QEMU
    is stopped whatever happens.  Returns QEMU's exit status or None."""
    L = "[%s] " % label if L is None else L
    before = log.failures
    try:
        with qmp.QMP(sock, timeout=TIMEOUT, alive=lambda: proc.poll() is None) as q:
            log.check(True, connected)
            body(q)
            return quit_and_wait(log, q, proc, L)
    except (qmp.QMPError, qmp.QMPConnectionError) as e:
        log.check(False, L + "QMP session with QEMU", str(e))
    finally:
        stop(log, tmp, label, proc, before, L)
    return None


def launch(log, env, tmp, label, config, printed, body, args=(), pass_fds=()):
    """Run a config already checked and printed (write_config) with
    'qlaunch ARGS run', over the config's [qmp] socket TMP/qmp.sock: pid and
    argv are those of print --null, then body(q, proc), then quit.
    Returns QEMU's exit status or None."""
    L = "[%s] " % label
    sock = os.path.join(tmp, QMP_SOCK)
    if os.path.lexists(sock):
        os.unlink(sock)
    proc = start(env, tmp, label, config, args, pass_fds)

    def checks(q):
        log.equal(proc_cmdline(proc.pid), printed,
                  L + "run execs QEMU in place: pid %d has the argv of print --null" % proc.pid)
        body(q, proc)
    return qmp_session(log, tmp, label, proc, sock, L + "QMP monitor of [qmp] answers", checks)


# --- the driver ---------------------------------------------------------------------

def _on_signal(signum, _frame):
    # Unwind through the finally blocks: they kill QEMU and remove the temp dir.
    raise SystemExit(128 + signum)


def run_parts(log, env, tmp, parts):
    """part(log, env, tmp) for each part; an unexpected OS or subprocess
    error fails one check and the next part runs."""
    for part in parts:
        try:
            part(log, env, tmp)
        except (OSError, subprocess.SubprocessError) as e:
            log.check(False, "no unexpected error", "%s: %s" % (type(e).__name__, e))


def main(parts, prefix, sockets=(QMP_SOCK,)):
    """Run a test's parts in a fresh temp dir (see temp_dir); returns the
    exit status."""
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, _on_signal)
    env = Env()
    if not env.qlaunch or not env.plugin_dir:
        print("Bail out! QLAUNCH and QLAUNCH_PLUGIN_DIR must be set")
        return 1
    log = Log()
    log.note("qlaunch: %s, plugins: %s, QEMU: %s" % (env.qlaunch, env.plugin_dir, env.qemu))
    tmp = temp_dir(prefix, sockets)
    try:
        run_parts(log, env, tmp, parts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return log.done()


# --- as a command, for tests/examples.test -----------------------------------------

def status_and_quit(sock, pid, timeout=TIMEOUT, until=None):
    """Print the run state of QEMU (pid, not our child), then quit it; with
    until, the state once it is until or timeout has passed.  Connecting
    gives up as soon as the process is gone or a zombie."""
    with qmp.QMP(sock, timeout=timeout, alive=lambda: pid_alive(pid)) as q:
        status = q.cmd("query-status")["status"]
        deadline = time.monotonic() + timeout
        while until is not None and status != until and time.monotonic() < deadline:
            time.sleep(0.1)
            status = q.cmd("query-status")["status"]
        print(status)
        sys.stdout.flush()
        try:
            q.cmd("quit")
        except qmp.QMPConnectionError:
            pass    # QEMU may hang up before its answer arrives


def _command(argv):
    if len(argv) == 3 and argv[1] == "fake-kernel":
        write_file(argv[2], fake_bzimage())
        return 0
    if len(argv) in (4, 5) and argv[1] == "status-and-quit":
        try:
            status_and_quit(argv[2], int(argv[3]), float(argv[4]) if argv[4:] else TIMEOUT)
        except (qmp.QMPError, qmp.QMPConnectionError) as e:
            print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
            return 1
        return 0
    if len(argv) in (5, 6) and argv[1] == "until-status-and-quit":
        try:
            status_and_quit(argv[2], int(argv[3]), float(argv[5]) if argv[5:] else TIMEOUT,
                            until=argv[4])
        except (qmp.QMPError, qmp.QMPConnectionError) as e:
            print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
            return 1
        return 0
    print("usage: qltest.py fake-kernel PATH | status-and-quit SOCKET PID [TIMEOUT]\n"
          "       | until-status-and-quit SOCKET PID STATUS [TIMEOUT]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_command(sys.argv))
