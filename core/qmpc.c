#include <qlconfig.h>

#include "qmpc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "clock.h"
#include "errbuf.h"
#include "safedir.h"

struct qmpc {
	int fd;
	char *name;               /* the path, or the caller's name */
	json_tokener *tok;
	char buf[65536];          /* bytes read, buf[pos..len) not parsed yet */
	size_t pos, len;
	size_t msg_bytes;         /* fed to tok for the message being parsed */
	unsigned long next_id;
	pid_t pid;
	uid_t uid;                /* of the peer, when has_cred */
	int has_cred;
	char *events[QMPC_MAX_EVENTS]; /* names seen, oldest first */
	size_t nevents;
};

/* --- time ------------------------------------------------------------------ */

static long long deadline_of(int timeout_ms)
{
	return clk_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
}

/* "2 s", "1.5 s", "200 ms" */
static const char *span(int ms, char *buf, size_t len)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%d s", ms / 1000);
	else if (ms > 1000)
		snprintf(buf, len, "%.1f s", ms / 1000.0);
	else
		snprintf(buf, len, "%d ms", ms);
	return buf;
}

/* --- the path ---------------------------------------------------------------- */

int qmpc_check_path(const char *path, char **resolved, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = NULL, *real = NULL, *full = NULL, *bad = NULL;
	unsigned uid = 0;
	struct stat st;
	size_t n;
	int v, r;

	if (resolved)
		*resolved = NULL;
	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return eb_fail(err, errlen, -ENOMEM, "out of memory");
	/* the directories resolved once: what is checked is what is used */
	real = realpath(dir, NULL);
	if (!real) {
		r = eb_fail(err, errlen, -errno, "%s: no QMP socket there: %s", path, strerror(errno));
		goto out;
	}
	n = strlen(real) + strlen(base) + 2;
	full = malloc(n);
	if (!full) {
		r = eb_fail(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	snprintf(full, n, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", base);
	if (lstat(full, &st) < 0) {
		r = eb_fail(err, errlen, -errno, "%s: no QMP socket there: %s", path, strerror(errno));
		goto out;
	}
	r = -EPERM;
	if (S_ISLNK(st.st_mode)) {
		eb_fail(err, errlen, r, "%s is a symbolic link, expected the QMP socket itself "
		     "(a link could point qlaunch at another VM's monitor)", path);
		goto out;
	}
	if (!S_ISSOCK(st.st_mode)) {
		eb_fail(err, errlen, r, "%s is not a socket, expected QEMU's QMP socket", path);
		goto out;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		eb_fail(err, errlen, r, "%s belongs to uid %u, expected a socket of root or uid %u "
		     "(another user's socket could lead to another VM's monitor)",
		     path, (unsigned)st.st_uid, (unsigned)geteuid());
		goto out;
	}
	v = sd_check_tree(real, &bad, &uid);
	if (v < 0)
		r = eb_fail(err, errlen, v, "cannot use %s: %s: %s", path, bad ? bad : real, strerror(-v));
	else if (v == SD_OWNER)
		eb_fail(err, errlen, r, "%s is in %s, which belongs to uid %u, expected the socket in "
		     "directories of root or uid %u only (another user could swap it for another VM's)",
		     path, bad ? bad : real, uid, (unsigned)geteuid());
	else if (v != SD_SAFE)
		eb_fail(err, errlen, r, "%s is in %s, which %s may write, expected the socket in "
		     "directories only their owner writes (another user could swap it for another VM's)",
		     path, bad ? bad : real, v == SD_OTHERS_WRITABLE ? "others" : "its group");
	else
		r = 0;
	if (r == 0 && resolved) {
		*resolved = full;
		full = NULL;
	}
out:
	free(bad);
	free(full);
	free(real);
	free(dir);
	return r;
}

/* --- reading messages ------------------------------------------------------------ */

static void remember_event(struct qmpc *q, const char *name)
{
	char *copy = strdup(name);

	if (!copy)
		return;         /* an event lost to ENOMEM: waiting times out */
	if (q->nevents == QMPC_MAX_EVENTS) {
		free(q->events[0]);
		memmove(q->events, q->events + 1, (QMPC_MAX_EVENTS - 1) * sizeof(q->events[0]));
		q->nevents--;
	}
	q->events[q->nevents++] = copy;
}

/* Consume a remembered event called name: 1 if there was one. */
static int take_event(struct qmpc *q, const char *name)
{
	for (size_t i = 0; i < q->nevents; i++) {
		if (strcmp(q->events[i], name) != 0)
			continue;
		free(q->events[i]);
		memmove(q->events + i, q->events + i + 1, (q->nevents - i - 1) * sizeof(q->events[0]));
		q->nevents--;
		return 1;
	}
	return 0;
}

/* Read more bytes into q->buf by deadline.  0, or -errno with message. */
static int fill(struct qmpc *q, long long deadline, const char *waiting, char *err, size_t errlen)
{
	struct pollfd p = { .fd = q->fd, .events = POLLIN };
	ssize_t n;
	int r;

	if (q->pos == q->len)
		q->pos = q->len = 0;
	for (;;) {
		r = poll(&p, 1, clk_left_ms(deadline));
		if (r < 0 && errno == EINTR)    /* the caller's handler ran */
			return eb_fail(err, errlen, -EINTR, "%s: interrupted by a signal %s", q->name, waiting);
		if (r < 0)
			return eb_fail(err, errlen, -errno, "%s: %s", q->name, strerror(errno));
		if (r == 0)
			return -ETIMEDOUT;      /* the caller knows what it waited for */
		n = read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0 && errno != ECONNRESET)
			return eb_fail(err, errlen, -errno, "%s: %s", q->name, strerror(errno));
		if (n <= 0)
			return q->msg_bytes ?
				eb_fail(err, errlen, -ECONNRESET, "%s: QEMU closed the connection in the middle "
				     "of a message (after %zu bytes of it) %s", q->name, q->msg_bytes, waiting) :
				eb_fail(err, errlen, -ECONNRESET, "%s: QEMU closed the connection %s",
				     q->name, waiting);
		q->len += (size_t)n;
		return 0;
	}
}

/*
 * The next complete message, a JSON object (the caller owns it), by
 * deadline.  waiting says what for, in messages ("waiting for the reply
 * to query-status").
 */
static int next_message(struct qmpc *q, long long deadline, const char *waiting,
			json_object **msg, char *err, size_t errlen)
{
	int r;

	*msg = NULL;
	for (;;) {
		while (q->pos < q->len) {
			size_t n = q->len - q->pos, used;
			enum json_tokener_error e;
			json_object *o;

			/* skip the blanks between messages: they are no part of one */
			if (q->msg_bytes == 0 && strchr(" \t\r\n", q->buf[q->pos]) && q->buf[q->pos]) {
				q->pos++;
				continue;
			}
			if (n > INT_MAX)
				n = INT_MAX;
			o = json_tokener_parse_ex(q->tok, q->buf + q->pos, (int)n);
			e = json_tokener_get_error(q->tok);
			used = e == json_tokener_continue ? n : json_tokener_get_parse_end(q->tok);
			q->pos += used;
			q->msg_bytes += used;
			if (e == json_tokener_continue) {
				if (q->msg_bytes > QMPC_MAX_MESSAGE)
					return eb_fail(err, errlen, -EPROTO, "%s: a message of more than %u bytes, "
						    "expected QMP messages of at most that size", q->name,
						    QMPC_MAX_MESSAGE);
				continue;
			}
			q->msg_bytes = 0;
			json_tokener_reset(q->tok);
			if (e != json_tokener_success)
				return eb_fail(err, errlen, -EPROTO, "%s: not JSON (%s), expected a QMP message "
					    "%s", q->name, json_tokener_error_desc(e), waiting);
			if (!json_object_is_type(o, json_type_object)) {
				const char *type = json_type_to_name(json_object_get_type(o));

				json_object_put(o);     /* type names are static */
				return eb_fail(err, errlen, -EPROTO, "%s: a JSON %s, expected a QMP message "
					    "(an object) %s", q->name, type, waiting);
			}
			*msg = o;
			return 0;
		}
		r = fill(q, deadline, waiting, err, errlen);
		if (r < 0)
			return r;
	}
}

/* An event: remember it.  1 if msg was one (and is freed), else 0. */
static int skip_event(struct qmpc *q, json_object *msg)
{
	json_object *ev;

	if (!json_object_object_get_ex(msg, "event", &ev))
		return 0;
	if (json_object_is_type(ev, json_type_string))
		remember_event(q, json_object_get_string(ev));
	json_object_put(msg);
	return 1;
}

/* --- connecting --------------------------------------------------------------- */

static int greet(struct qmpc *q, int timeout_ms, char *err, size_t errlen)
{
	long long deadline = deadline_of(timeout_ms);
	json_object *msg = NULL, *qmp, *ret = NULL;
	char t[32];
	int r;

	r = next_message(q, deadline, "(its greeting)", &msg, err, errlen);
	if (r == -ETIMEDOUT)
		return eb_fail(err, errlen, r, "%s: no QMP greeting within %s (is another client "
			    "connected? QEMU serves one at a time)", q->name, span(timeout_ms, t, sizeof(t)));
	if (r < 0)
		return r;
	if (!json_object_object_get_ex(msg, "QMP", &qmp) || !json_object_is_type(qmp, json_type_object)) {
		json_object_put(msg);
		return eb_fail(err, errlen, -EPROTO, "%s: no QMP greeting, expected {\"QMP\": {...}} first",
			    q->name);
	}
	json_object_put(msg);
	r = qmpc_execute(q, "qmp_capabilities", NULL, clk_left_ms(deadline), &ret, err, errlen);
	json_object_put(ret);
	return r;
}

static int new_qmpc(int fd, const char *name, struct qmpc **out)
{
	struct qmpc *q = calloc(1, sizeof(*q));

	*out = NULL;
	if (!q)
		return -ENOMEM;
	q->fd = fd;
	q->name = strdup(name);
	q->tok = json_tokener_new();
	q->next_id = 1;
	if (!q->name || !q->tok) {
		q->fd = -1;             /* the caller closes it */
		qmpc_close(q);
		return -ENOMEM;
	}
#ifdef SO_PEERCRED
	{
		struct ucred uc;
		socklen_t len = sizeof(uc);

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 && len == sizeof(uc)) {
			q->pid = uc.pid;
			q->uid = uc.uid;
			q->has_cred = 1;
		}
	}
#endif
	*out = q;
	return 0;
}

int qmpc_attach(int fd, const char *name, int timeout_ms, struct qmpc **out,
		char *err, size_t errlen)
{
	struct qmpc *q = NULL;
	int flags, r;

	*out = NULL;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		r = eb_fail(err, errlen, -errno, "%s: %s", name, strerror(errno));
		close(fd);
		return r;
	}
	if (new_qmpc(fd, name, &q) < 0) {
		close(fd);
		return eb_fail(err, errlen, -ENOMEM, "out of memory");
	}
	r = greet(q, timeout_ms, err, errlen);
	if (r < 0) {
		qmpc_close(q);
		return r;
	}
	*out = q;
	return 0;
}

/* A non-blocking connect to real by deadline; the socket, or -errno.
 * Messages name path. */
static int connect_by(const char *real, const char *path, long long deadline, char *err,
		      size_t errlen)
{
	struct sockaddr_un sa;
	int fd, r;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(real) >= sizeof(sa.sun_path))
		return eb_fail(err, errlen, -ENAMETOOLONG, "%s: path is %zu bytes (%s), expected at most %zu "
			    "(the limit of unix sockets)", path, strlen(real), real, sizeof(sa.sun_path) - 1);
	memcpy(sa.sun_path, real, strlen(real));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return eb_fail(err, errlen, -errno, "cannot make a socket: %s", strerror(errno));
	for (;;) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		r = -errno;
		if (r == -EINTR)
			continue;
		if (r == -EINPROGRESS) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			socklen_t len = sizeof(r);
			int e = 0;

			int n = poll(&p, 1, clk_left_ms(deadline));

			if (n < 0 && errno == EINTR) {
				r = -EINTR;
				break;
			}
			if (n <= 0) {
				r = -ETIMEDOUT;
				break;
			}
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
				e = errno;
			if (e == 0)
				return fd;
			r = -e;
			break;
		}
		/* EAGAIN: the listener's backlog is full; try again shortly */
		if (r != -EAGAIN || clk_left_ms(deadline) == 0)
			break;
		if (poll(NULL, 0, clk_left_ms(deadline) < 10 ? clk_left_ms(deadline) : 10) < 0 &&
		    errno == EINTR) {
			r = -EINTR;
			break;
		}
	}
	close(fd);
	if (r == -EINTR)
		return eb_fail(err, errlen, r, "%s: interrupted by a signal (connecting)", path);
	if (r == -ECONNREFUSED)
		return eb_fail(err, errlen, r, "%s: nothing listens on this socket (no QEMU)", path);
	if (r == -ENOENT)
		return eb_fail(err, errlen, r, "%s: no QMP socket there: %s", path, strerror(-r));
	if (r == -ETIMEDOUT || r == -EAGAIN)
		return eb_fail(err, errlen, -ETIMEDOUT, "%s: cannot connect in time (QEMU is busy)", path);
	return eb_fail(err, errlen, r, "cannot connect to %s: %s", path, strerror(-r));
}

int qmpc_connect(const char *path, int timeout_ms, struct qmpc **out, char *err, size_t errlen)
{
	long long deadline = deadline_of(timeout_ms);
	struct qmpc *q = NULL;
	char *real = NULL;
	int fd, r;

	*out = NULL;
	if ((r = qmpc_check_path(path, &real, err, errlen)) < 0)
		return r;
	/* by the resolved name: a directory on the way that is a link could
	 * be changed after the check, the checked ones cannot */
	fd = connect_by(real, path, deadline, err, errlen);
	free(real);
	if (fd < 0)
		return fd;
	if (new_qmpc(fd, path, &q) < 0) {
		close(fd);
		return eb_fail(err, errlen, -ENOMEM, "out of memory");
	}
	/* the checks and the connect are two lookups: in a sticky directory
	 * another user could have bound a socket of theirs in between */
	if (q->has_cred && q->uid != 0 && q->uid != geteuid()) {
		r = eb_fail(err, errlen, -EPERM, "%s: the process listening there is uid %u's, expected "
			 "root's or uid %u's", path, (unsigned)q->uid, (unsigned)geteuid());
		qmpc_close(q);
		return r;
	}
	r = greet(q, clk_left_ms(deadline), err, errlen);
	if (r < 0) {
		qmpc_close(q);
		return r;
	}
	*out = q;
	return 0;
}

/* --- commands ------------------------------------------------------------------- */

/* Write all of s by deadline.  0 or -errno with message. */
static int send_all(struct qmpc *q, const char *s, size_t len, long long deadline,
		    const char *command, char *err, size_t errlen)
{
	while (len) {
		struct pollfd p = { .fd = q->fd, .events = POLLOUT };
		ssize_t n = send(q->fd, s, len, MSG_NOSIGNAL);
		int ready;

		if (n >= 0) {
			s += n;
			len -= (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE || errno == ECONNRESET)
			return eb_fail(err, errlen, -ECONNRESET, "%s: QEMU closed the connection before %s "
				    "was sent", q->name, command);
		if (errno != EAGAIN)
			return eb_fail(err, errlen, -errno, "%s: cannot send %s: %s", q->name, command,
				    strerror(errno));
		ready = poll(&p, 1, clk_left_ms(deadline));
		if (ready < 0 && errno == EINTR)
			return eb_fail(err, errlen, -EINTR, "%s: interrupted by a signal (sending %s)",
				    q->name, command);
		if (ready == 0)
			return eb_fail(err, errlen, -ETIMEDOUT, "%s: QEMU does not read %s", q->name, command);
	}
	return 0;
}

/* The reply's error as "CLASS: DESC". */
static int qemu_error(json_object *error, char *err, size_t errlen)
{
	json_object *cls = NULL, *desc = NULL;

	json_object_object_get_ex(error, "class", &cls);
	json_object_object_get_ex(error, "desc", &desc);
	return eb_fail(err, errlen, -EREMOTEIO, "%s: %s",
		    json_object_is_type(cls, json_type_string) ? json_object_get_string(cls) : "(no class)",
		    json_object_is_type(desc, json_type_string) ? json_object_get_string(desc) : "(no description)");
}

int qmpc_execute(struct qmpc *q, const char *command, json_object *args, int timeout_ms,
		 json_object **ret, char *err, size_t errlen)
{
	long long deadline = deadline_of(timeout_ms);
	json_object *cmd = json_object_new_object(), *msg = NULL;
	char id[32], waiting[160], t[32];
	const char *text;
	int r;

	*ret = NULL;
	snprintf(id, sizeof(id), "qlaunch-%lu", q->next_id++);
	snprintf(waiting, sizeof(waiting), "(waiting for the reply to %s)", command);
	if (!cmd || json_object_object_add(cmd, "execute", json_object_new_string(command)) < 0 ||
	    (args && json_object_object_add(cmd, "arguments", json_object_get(args)) < 0) ||
	    json_object_object_add(cmd, "id", json_object_new_string(id)) < 0 ||
	    !(text = json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN))) {
		r = eb_fail(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	if ((r = send_all(q, text, strlen(text), deadline, command, err, errlen)) < 0 ||
	    (r = send_all(q, "\r\n", 2, deadline, command, err, errlen)) < 0)
		goto out;
	for (;;) {
		json_object *rid = NULL, *val = NULL;
		int is_ret;

		r = next_message(q, deadline, waiting, &msg, err, errlen);
		if (r == -ETIMEDOUT)
			r = eb_fail(err, errlen, r, "%s: no reply to %s within %s", q->name, command,
				 span(timeout_ms, t, sizeof(t)));
		if (r < 0)
			goto out;
		if (skip_event(q, msg)) {
			msg = NULL;
			continue;
		}
		is_ret = json_object_object_get_ex(msg, "return", &val);
		if (!is_ret && !json_object_object_get_ex(msg, "error", &val)) {
			r = eb_fail(err, errlen, -EPROTO, "%s: a message with neither \"return\", \"error\" nor "
				 "\"event\", expected a QMP reply %s", q->name, waiting);
			goto out;
		}
		/* a reply of another id is not ours; one without an id is QEMU's
		 * error about a command it could not read */
		if (json_object_object_get_ex(msg, "id", &rid) &&
		    (!json_object_is_type(rid, json_type_string) ||
		     strcmp(json_object_get_string(rid), id) != 0)) {
			json_object_put(msg);
			msg = NULL;
			continue;
		}
		if (!rid && is_ret) {
			json_object_put(msg);
			msg = NULL;
			continue;
		}
		if (!is_ret) {
			r = qemu_error(val, err, errlen);
			goto out;
		}
		*ret = json_object_get(val);
		r = 0;
		goto out;
	}
out:
	json_object_put(msg);
	json_object_put(cmd);
	return r;
}

/* --- waiting ---------------------------------------------------------------- */

int qmpc_wait_event(struct qmpc *q, const char *event, int timeout_ms, char *err, size_t errlen)
{
	long long deadline = deadline_of(timeout_ms);
	char waiting[160], t[32];

	snprintf(waiting, sizeof(waiting), "(waiting for the event %s)", event);
	for (;;) {
		json_object *msg = NULL;
		int r;

		if (take_event(q, event))
			return 0;
		r = next_message(q, deadline, waiting, &msg, err, errlen);
		if (r == -ETIMEDOUT)
			return eb_fail(err, errlen, r, "%s: no %s event within %s", q->name, event,
				    span(timeout_ms, t, sizeof(t)));
		if (r < 0)
			return r;
		if (!skip_event(q, msg))
			json_object_put(msg);   /* a stray reply */
	}
}

int qmpc_wait_hangup(struct qmpc *q, int timeout_ms, char *err, size_t errlen)
{
	long long deadline = deadline_of(timeout_ms);
	char t[32];

	for (;;) {
		json_object *msg = NULL;
		int r = next_message(q, deadline, "(waiting for QEMU to exit)", &msg, err, errlen);

		if (r == -ECONNRESET)
			return 0;
		if (r == -ETIMEDOUT)
			return eb_fail(err, errlen, r, "%s: QEMU did not close the connection within %s",
				    q->name, span(timeout_ms, t, sizeof(t)));
		if (r < 0)
			return r;
		if (!skip_event(q, msg))
			json_object_put(msg);
	}
}

pid_t qmpc_pid(const struct qmpc *q)
{
	return q->pid;
}

void qmpc_close(struct qmpc *q)
{
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	if (q->tok)
		json_tokener_free(q->tok);
	for (size_t i = 0; i < q->nevents; i++)
		free(q->events[i]);
	free(q->name);
	free(q);
}
