/*
 * A QMP client: talk to a running QEMU over its monitor socket.
 *
 * One connection, one command at a time.  qmpc_connect reads the greeting
 * ({"QMP": {...}}) and negotiates (qmp_capabilities); qmpc_execute sends
 * {"execute": C, "arguments": A, "id": "qlaunch-N"} and returns the reply
 * with that id.  Events ({"event": ...}) may arrive at any time, before or
 * between replies: they are skipped, and their names kept (the last
 * QMPC_MAX_EVENTS) for qmpc_wait_event.  Messages are parsed with
 * json_tokener incrementally, so a reply may come split over any number of
 * reads, several messages in one read, and replies of any size up to
 * QMPC_MAX_MESSAGE bytes.
 *
 * Nothing blocks without a bound: every connect, read and write waits at
 * most the timeout given (poll with a deadline on a non-blocking socket).
 * Nor does a wait outlast a signal the caller catches: when a handler runs
 * while qmpc waits, the call returns -EINTR at once (the caller knows what
 * its handler means; a signal left at its default action never ends a
 * wait this way).  The socket is close-on-exec; writes never raise SIGPIPE.
 *
 * Errors are -errno return values, with a message (one line, no newline,
 * no "qlaunch: " prefix) written into the caller's buffer err of errlen
 * bytes (err may be NULL):
 *   -ENOENT        no socket at the path (nothing there: no QEMU)
 *   -ECONNREFUSED  a socket file, but nothing listens on it (no QEMU)
 *   -EPERM         the path is unsafe to use (see qmpc_check_path)
 *   -ETIMEDOUT     no answer in time
 *   -ECONNRESET    the peer closed the connection (between messages, or
 *                  in the middle of one: the message says which)
 *   -EPROTO        the peer sent something that is not a QMP message
 *   -EREMOTEIO     QEMU answered with an error: err holds "CLASS: DESC"
 *   -EINTR         a signal handler of the caller's ran while qmpc waited
 *   -ENOMEM, or another -errno of a system call.
 */
#ifndef QL_QMPC_H
#define QL_QMPC_H

#include <stddef.h>
#include <sys/types.h>

struct json_object;
struct qmpc;

/* A message (or a reply) longer than this is refused as -EPROTO. */
#define QMPC_MAX_MESSAGE (64u << 20)
/* How many event names qmpc keeps for qmpc_wait_event. */
#define QMPC_MAX_EVENTS 64

/*
 * May qlaunch (often root) trust what path names as a QEMU monitor?  Only
 * if it is a socket itself (not a symbolic link), belongs to root or the
 * effective user, and sits in directories no other user could change
 * (safedir.h): otherwise another user could point qlaunch at a different
 * VM's monitor.  The directories are resolved (realpath) once; on success
 * *resolved (if not NULL; malloc'd, the caller frees it) is the socket's
 * path through them, the name to connect to.  0, -ENOENT (nothing there,
 * or a directory on the way missing), -EPERM with the reason in err, or
 * another -errno.
 */
int qmpc_check_path(const char *path, char **resolved, char *err, size_t errlen);

/*
 * Check path (qmpc_check_path), connect, read the greeting and negotiate,
 * all within timeout_ms milliseconds (>= 0).  On success 0 and *out (free
 * with qmpc_close); else -errno and the message, *out NULL.
 */
int qmpc_connect(const char *path, int timeout_ms, struct qmpc **out,
		 char *err, size_t errlen);

/*
 * The same over a socket already connected (a socketpair, in tests).
 * Takes fd in every case (closed on failure).  name is used in messages
 * in place of the path (copied).
 */
int qmpc_attach(int fd, const char *name, int timeout_ms, struct qmpc **out,
		char *err, size_t errlen);

/*
 * Run command with args (a JSON object, or NULL for none; borrowed) and
 * wait at most timeout_ms for its reply.  0 and *ret, the reply's
 * "return" value (the caller owns it: json_object_put), or -errno and the
 * message, *ret NULL (-EREMOTEIO: QEMU's error, "CLASS: DESC" in err).
 * After a timeout, -EINTR or a protocol error the connection is unusable
 * (the reply may still come).
 */
int qmpc_execute(struct qmpc *q, const char *command,
		 struct json_object *args, int timeout_ms,
		 struct json_object **ret, char *err, size_t errlen);

/*
 * Wait at most timeout_ms for the event named event (e.g. "SHUTDOWN"),
 * counting one that arrived already (it is consumed).  0 when seen;
 * -ECONNRESET when the peer closed first; -ETIMEDOUT.
 */
int qmpc_wait_event(struct qmpc *q, const char *event, int timeout_ms,
		    char *err, size_t errlen);

/*
 * Wait at most timeout_ms for the peer to close the connection (QEMU
 * exiting), reading and skipping what it sends.  0 when it closed,
 * -ETIMEDOUT, or another error.
 */
int qmpc_wait_hangup(struct qmpc *q, int timeout_ms, char *err, size_t errlen);

/* The pid of the process that listens on the socket (SO_PEERCRED), or 0
 * if it cannot be told. */
pid_t qmpc_pid(const struct qmpc *q);

/* Close the connection and free q; NULL is fine. */
void qmpc_close(struct qmpc *q);

#endif
