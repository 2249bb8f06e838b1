#!/usr/bin/env python3
"""A small QMP (QEMU Machine Protocol) client, standard library only.

As a module:

    from qmp import QMP, QMPError

    with QMP("/run/vm/qmp.sock", timeout=10) as q:
        print(q.cmd("query-status")["status"])
        q.cmd("qom-get", path="/machine", property="type")
        q.cmd("device_del", **{"id": "net0"})   # any key spelling works

QMP() connects (retrying while the socket does not exist yet or refuses
connections, until the deadline), reads the greeting and negotiates
capabilities.  cmd() sends one command and returns its "return" value, or
raises QMPError if QEMU answered with "error".  Asynchronous events that
arrive meanwhile are kept in the .events list.

As a command:

    qmp.py SOCKET COMMAND [JSON-ARGS]

prints the command's "return" value as JSON.  Exit status: 0 success,
1 QMP error or connection problem, 2 usage error.
"""

import errno
import json
import socket
import sys
import time

__all__ = ["QMP", "QMPError", "QMPConnectionError"]


class QMPError(Exception):
    """QEMU answered a command with an error object."""

    def __init__(self, command, error):
        self.command = command
        self.error_class = error.get("class", "GenericError")
        self.desc = error.get("desc", "")
        super().__init__("%s: %s: %s" % (command, self.error_class, self.desc))


class QMPConnectionError(Exception):
    """The socket could not be reached, closed early, timed out or spoke garbage."""


class QMP:
    """One QMP session over a unix socket."""

    # Pause between connection attempts while QEMU is starting.
    RETRY_INTERVAL = 0.02

    def __init__(self, path, timeout=10.0, alive=None):
        """Connect to the unix socket PATH and enter command mode.

        timeout bounds the whole connection (retries included) and, later,
        each cmd() call.  alive, if given, is called between attempts; when
        it returns false (say, QEMU has already exited) connecting stops at
        once instead of waiting for the deadline.
        """
        self.path = path
        self.timeout = timeout
        self.events = []
        self.greeting = None
        self._sock = None
        self._buf = b""
        self._next_id = 0
        deadline = time.monotonic() + timeout
        self._connect(deadline, alive)
        try:
            self.greeting = self._read_message(deadline)
            if "QMP" not in self.greeting:
                raise QMPConnectionError("%s: expected a QMP greeting, got %r"
                                         % (path, self.greeting))
            self.cmd("qmp_capabilities")
        except BaseException:
            self.close()
            raise

    # --- public interface -------------------------------------------------

    def cmd(self, name, /, **args):
        """Run command NAME with ARGS; return its "return" value.

        Raises QMPError on an error answer and QMPConnectionError if no
        answer comes within the timeout or the connection breaks.
        """
        if self._sock is None:
            raise QMPConnectionError("%s: not connected" % self.path)
        self._next_id += 1
        ident = "qlaunch-%d" % self._next_id
        request = {"execute": name, "id": ident}
        if args:
            request["arguments"] = args
        deadline = time.monotonic() + self.timeout
        self._send(request, deadline)
        while True:
            msg = self._read_message(deadline)
            if "event" in msg:
                self.events.append(msg)
                continue
            if msg.get("id") != ident:
                # Not ours (should not happen: one command at a time).
                continue
            if "error" in msg:
                raise QMPError(name, msg["error"])
            if "return" in msg:
                return msg["return"]
            raise QMPConnectionError("%s: unexpected answer to %s: %r"
                                     % (self.path, name, msg))

    def close(self):
        """Close the connection (idempotent)."""
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # --- internals -------------------------------------------------------------

    def _connect(self, deadline, alive):
        """Connect, retrying while the socket is absent or not listening."""
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock.connect(self.path)
                self._sock = sock
                return
            except OSError as e:
                sock.close()
                transient = e.errno in (errno.ENOENT, errno.ECONNREFUSED,
                                        errno.EAGAIN)
                if not transient:
                    raise QMPConnectionError("%s: cannot connect: %s"
                                             % (self.path, e)) from e
                if alive is not None and not alive():
                    raise QMPConnectionError("%s: cannot connect (%s) and the "
                                             "peer is gone" % (self.path, e.strerror)) from e
                if time.monotonic() + self.RETRY_INTERVAL >= deadline:
                    raise QMPConnectionError("%s: cannot connect within %gs: %s"
                                             % (self.path, self.timeout, e.strerror)) from e
                time.sleep(self.RETRY_INTERVAL)

    def _send(self, obj, deadline):
        data = json.dumps(obj).encode("utf-8") + b"\n"
        try:
            self._sock.settimeout(max(deadline - time.monotonic(), 0.001))
            self._sock.sendall(data)
        except OSError as e:
            raise QMPConnectionError("%s: cannot send: %s" % (self.path, e)) from e

    def _read_message(self, deadline):
        """Return the next JSON object (QMP sends one per line)."""
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QMPConnectionError("%s: no answer within %gs"
                                         % (self.path, self.timeout))
            try:
                self._sock.settimeout(remaining)
                chunk = self._sock.recv(65536)
            except socket.timeout as e:
                raise QMPConnectionError("%s: no answer within %gs"
                                         % (self.path, self.timeout)) from e
            except OSError as e:
                raise QMPConnectionError("%s: cannot read: %s" % (self.path, e)) from e
            if not chunk:
                raise QMPConnectionError("%s: connection closed by QEMU" % self.path)
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            msg = json.loads(line.decode("utf-8"))
        except ValueError as e:
            raise QMPConnectionError("%s: not a JSON message: %r"
                                     % (self.path, line[:200])) from e
        if not isinstance(msg, dict):
            raise QMPConnectionError("%s: not a JSON object: %r" % (self.path, msg))
        return msg


def main(argv):
    prog = "qmp.py"
    if len(argv) not in (3, 4) or argv[1] in ("-h", "--help"):
        out = sys.stdout if len(argv) > 1 and argv[1] in ("-h", "--help") else sys.stderr
        print("Usage: %s SOCKET COMMAND [JSON-ARGS]\n"
              "Run one QMP command and print its result as JSON.\n"
              "Example: %s /tmp/qmp.sock qom-get '{\"path\": \"/machine\", "
              "\"property\": \"type\"}'" % (prog, prog), file=out)
        return 0 if out is sys.stdout else 2
    sock_path, command = argv[1], argv[2]
    args = {}
    if len(argv) == 4:
        try:
            args = json.loads(argv[3])
        except ValueError as e:
            print("%s: JSON-ARGS is not valid JSON: %s" % (prog, e), file=sys.stderr)
            return 2
        if not isinstance(args, dict):
            print("%s: JSON-ARGS must be a JSON object" % prog, file=sys.stderr)
            return 2
    try:
        with QMP(sock_path) as q:
            result = q.cmd(command, **args)
    except (QMPError, QMPConnectionError) as e:
        print("%s: %s" % (prog, e), file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
