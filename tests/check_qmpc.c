/* The QMP client (core/qmpc.c) against a scripted fake QMP server: a
 * child process on the other end of a socketpair (or of a unix socket,
 * for qmpc_connect), which sends and expects exactly what its script
 * says.  The edge cases of the protocol: events anywhere, replies split
 * byte by byte or sharing a write, a 1 MiB reply, a peer that closes in
 * the middle, garbage, silence (a short timeout), QEMU's error, a signal
 * the client catches while it waits; and the socket path's safety
 * checks. */
#include <qlconfig.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "qmpc.h"
#include "testutil.h"

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

/* --- the fake server ------------------------------------------------------- */

enum op {
	END,
	RECV,     /* read one command; it must be text (its "execute") */
	SEND,     /* write text, "@ID@" replaced by the last command's id */
	BYTES,    /* the same, one byte per write, 1 ms apart */
	BIG,      /* a reply to the last command of a string of ms KiB */
	SLEEP,    /* ms milliseconds */
	CLOSE,    /* close the connection (then wait to be killed) */
	SIGNALS,  /* SIGUSR1 to the client, ms times, 50 ms apart */
};

struct step {
	enum op op;
	const char *text;
	int ms;
};

#define GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, " \
	"\"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}\r\n"
#define NEGOTIATE { RECV, "qmp_capabilities", 0 }, { SEND, "{\"return\": {}, \"id\": \"@ID@\"}\r\n", 0 }
#define HELLO { SEND, GREETING, 0 }, NEGOTIATE

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		s += w;
		n -= (size_t)w;
	}
}

/* Replace @ID@ by id. */
static char *with_id(const char *text, const char *id)
{
	const char *at = strstr(text, "@ID@");
	size_t n = strlen(text) + strlen(id) + 1;
	char *s = malloc(n);

	if (!s)
		_exit(4);
	if (at)
		snprintf(s, n, "%.*s%s%s", (int)(at - text), text, id, at + 4);
	else
		snprintf(s, n, "%s", text);
	return s;
}

/* The child: run script on fd; exit 0 if all went as written. */
static void serve(int fd, const struct step *script)
{
	char line[65536], id[128] = "";
	size_t len = 0;

	for (const struct step *s = script; s->op != END; s++) {
		char *text;

		switch (s->op) {
		case RECV: {
			json_object *cmd, *ex, *jid;
			char *nl;

			while (!(nl = memchr(line, '\n', len))) {
				ssize_t r = read(fd, line + len, sizeof(line) - 1 - len);

				if (r <= 0)
					_exit(5);
				len += (size_t)r;
			}
			*nl = '\0';
			cmd = json_tokener_parse(line);
			if (!cmd || !json_object_object_get_ex(cmd, "execute", &ex) ||
			    strcmp(json_object_get_string(ex), s->text) != 0 ||
			    !json_object_object_get_ex(cmd, "id", &jid))
				_exit(6);
			snprintf(id, sizeof(id), "%s", json_object_get_string(jid));
			json_object_put(cmd);
			len -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, len);
			break;
		}
		case SEND:
			text = with_id(s->text, id);
			write_all(fd, text, strlen(text));
			free(text);
			break;
		case BYTES:
			text = with_id(s->text, id);
			for (size_t i = 0; text[i]; i++) {
				write_all(fd, text + i, 1);
				usleep(1000);
			}
			free(text);
			break;
		case BIG: {
			size_t n = (size_t)s->ms * 1024;
			char *big = malloc(n + 256);
			int h;

			if (!big)
				_exit(4);
			h = snprintf(big, 256, "{\"return\": {\"data\": \"");
			memset(big + h, 'x', n);
			snprintf(big + h + n, 256, "\"}, \"id\": \"%s\"}\r\n", id);
			write_all(fd, big, strlen(big));
			free(big);
			break;
		}
		case SLEEP:
			usleep((useconds_t)s->ms * 1000);
			break;
		case CLOSE:
			close(fd);
			pause();
			_exit(0);
		case SIGNALS:
			for (int i = 0; i < s->ms; i++) {
				kill(getppid(), SIGUSR1);
				usleep(50000);
			}
			break;
		case END:
			break;
		}
	}
	/* the client hangs up when it is done */
	while (read(fd, line, sizeof(line)) > 0)
		;
	_exit(0);
}

struct fake {
	pid_t pid;
	struct qmpc *q;
	int r;
	char err[1024];
};

/* Start a server running script and attach to it with timeout_ms. */
static void start(struct fake *f, const struct step *script, int timeout_ms)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	f->pid = fork();
	ck_assert_int_ge(f->pid, 0);
	if (f->pid == 0) {
		close(sv[0]);
		serve(sv[1], script);
	}
	close(sv[1]);
	f->err[0] = '\0';
	f->r = qmpc_attach(sv[0], "fake", timeout_ms, &f->q, f->err, sizeof(f->err));
	if (f->r == 0) {
		ck_assert_int_eq(fcntl(sv[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
		ck_assert_int_eq(fcntl(sv[0], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	} else {
		/* attach closed it on failure */
		ck_assert_int_eq(fcntl(sv[0], F_GETFD), -1);
	}
}

/* Close the client; the server must have followed its script to the end
 * (exit 0), unless killed (kill: it was still waiting). */
static void finish(struct fake *f, int kill_it)
{
	int st;

	qmpc_close(f->q);
	f->q = NULL;
	if (kill_it)
		kill(f->pid, SIGKILL);
	ck_assert_int_eq(waitpid(f->pid, &st, 0), f->pid);
	if (!kill_it)
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			      "the fake server did not follow its script (status 0x%x)", st);
}

/* Run command with no arguments; its reply's key as a string. */
static const char *reply_string(json_object *ret, const char *key)
{
	json_object *v;

	ck_assert_msg(json_object_object_get_ex(ret, key, &v), "no %s in the reply", key);
	return json_object_get_string(v);
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define STATUS_REPLY "{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": \"@ID@\"}\r\n"

/* --- the tests ------------------------------------------------------------- */

START_TEST(greeting_and_negotiation)
{
	static const struct step script[] = {
		HELLO, { RECV, "query-status", 0 }, { SEND, STATUS_REPLY, 0 }, { END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_pid(f.q), getpid());   /* a socketpair's peer: whoever made it */
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)), 0);
	ck_assert_str_eq(reply_string(ret, "status"), "running");
	json_object_put(ret);
	finish(&f, 0);
}
END_TEST

START_TEST(not_a_greeting)
{
	static const struct step script[] = {
		{ SEND, "{\"return\": {}}\r\n", 0 }, { END, NULL, 0 },
	};
	struct fake f;

	start(&f, script, 2000);
	ck_assert_int_eq(f.r, -EPROTO);
	ck_assert_str_eq(f.err, "fake: no QMP greeting, expected {\"QMP\": {...}} first");
	finish(&f, 0);
}
END_TEST

START_TEST(events_anywhere)
{
	static const struct step script[] = {
		{ SEND, GREETING, 0 },
		{ RECV, "qmp_capabilities", 0 },
		{ SEND, "{\"event\": \"RESUME\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\r\n", 0 },
		{ SEND, "{\"return\": {}, \"id\": \"@ID@\"}\r\n", 0 },
		{ RECV, "query-status", 0 },
		{ SEND, "{\"event\": \"STOP\"}\r\n", 0 },
		{ SLEEP, NULL, 20 },
		{ SEND, "{\"event\": \"POWERDOWN\"}\r\n", 0 },
		{ SEND, STATUS_REPLY, 0 },
		{ RECV, "system_powerdown", 0 },
		{ SEND, "{\"return\": {}, \"id\": \"@ID@\"}\r\n", 0 },
		{ SLEEP, NULL, 50 },
		{ SEND, "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true}}\r\n", 0 },
		{ END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)), 0);
	ck_assert_str_eq(reply_string(ret, "status"), "running");
	json_object_put(ret);
	/* events seen while waiting for replies count, once */
	ck_assert_int_eq(qmpc_wait_event(f.q, "POWERDOWN", 0, f.err, sizeof(f.err)), 0);
	ck_assert_int_eq(qmpc_wait_event(f.q, "RESUME", 0, f.err, sizeof(f.err)), 0);
	ck_assert_int_eq(qmpc_wait_event(f.q, "RESUME", 50, f.err, sizeof(f.err)), -ETIMEDOUT);
	ck_assert_str_eq(f.err, "fake: no RESUME event within 50 ms");
	ck_assert_int_eq(qmpc_execute(f.q, "system_powerdown", NULL, 2000, &ret, f.err, sizeof(f.err)), 0);
	json_object_put(ret);
	/* one that comes later */
	ck_assert_msg(qmpc_wait_event(f.q, "SHUTDOWN", 2000, f.err, sizeof(f.err)) == 0, "%s", f.err);
	finish(&f, 0);
}
END_TEST

START_TEST(split_byte_by_byte)
{
	static const struct step script[] = {
		{ BYTES, GREETING, 0 },
		{ RECV, "qmp_capabilities", 0 },
		{ BYTES, "{\"return\": {}, \"id\": \"@ID@\"}\r\n", 0 },
		{ RECV, "query-name", 0 },
		/* no newline after the last: the client may hang up at its '}' */
		{ BYTES, "{\"event\": \"STOP\"}\r\n{\"return\": {\"name\": \"d\\u00e9j\\u00e0 vu\"}, \"id\": \"@ID@\"}", 0 },
		{ END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;

	start(&f, script, 5000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "query-name", NULL, 5000, &ret, f.err, sizeof(f.err)), 0);
	ck_assert_str_eq(reply_string(ret, "name"), "d\xc3\xa9j\xc3\xa0 vu");
	json_object_put(ret);
	ck_assert_int_eq(qmpc_wait_event(f.q, "STOP", 0, f.err, sizeof(f.err)), 0);
	finish(&f, 0);
}
END_TEST

START_TEST(several_in_one_write)
{
	/* greeting and an event together; then an event, a reply that is
	 * not ours (another id) and ours, all in one write */
	static const struct step script[] = {
		{ SEND, GREETING "{\"event\": \"RESUME\"}\r\n", 0 },
		{ RECV, "qmp_capabilities", 0 },
		{ SEND, "{\"return\": {}, \"id\": \"@ID@\"}\r\n", 0 },
		{ RECV, "query-status", 0 },
		{ SEND, "{\"event\": \"STOP\"}{\"return\": {\"status\": \"stale\"}, \"id\": \"other\"}\r\n"
			"{\"return\": {\"status\": \"paused\", \"running\": false}, \"id\": \"@ID@\"}", 0 },
		{ END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)), 0);
	ck_assert_str_eq(reply_string(ret, "status"), "paused");
	json_object_put(ret);
	ck_assert_int_eq(qmpc_wait_event(f.q, "RESUME", 0, f.err, sizeof(f.err)), 0);
	ck_assert_int_eq(qmpc_wait_event(f.q, "STOP", 0, f.err, sizeof(f.err)), 0);
	finish(&f, 0);
}
END_TEST

START_TEST(large_reply)
{
	static const struct step script[] = {
		HELLO, { RECV, "query-qmp-schema", 0 }, { BIG, NULL, 1024 }, { END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL, *data;

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_msg(qmpc_execute(f.q, "query-qmp-schema", NULL, 5000, &ret, f.err, sizeof(f.err)) == 0,
		      "%s", f.err);
	ck_assert(json_object_object_get_ex(ret, "data", &data));
	ck_assert_int_eq(json_object_get_string_len(data), 1024 * 1024);
	ck_assert_int_eq(json_object_get_string(data)[1024 * 1024 - 1], 'x');
	json_object_put(ret);
	finish(&f, 0);
}
END_TEST

START_TEST(closed_mid_reply)
{
	static const struct step script[] = {
		HELLO, { RECV, "query-status", 0 },
		{ SEND, "{\"return\": {\"status\": \"runn", 0 }, { CLOSE, NULL, 0 }, { END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)),
			 -ECONNRESET);
	ck_assert_ptr_null(ret);
	ck_assert_str_eq(f.err, "fake: QEMU closed the connection in the middle of a message (after 27 "
			 "bytes of it) (waiting for the reply to query-status)");
	finish(&f, 1);
}
END_TEST

START_TEST(closed_between)
{
	static const struct step script[] = {
		HELLO, { RECV, "quit", 0 }, { CLOSE, NULL, 0 }, { END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "quit", NULL, 2000, &ret, f.err, sizeof(f.err)), -ECONNRESET);
	ck_assert_str_eq(f.err, "fake: QEMU closed the connection (waiting for the reply to quit)");
	/* a hang-up is what wait_hangup waits for */
	ck_assert_int_eq(qmpc_wait_hangup(f.q, 1000, f.err, sizeof(f.err)), 0);
	finish(&f, 1);
}
END_TEST

START_TEST(hangup_after_events)
{
	static const struct step script[] = {
		HELLO, { SLEEP, NULL, 20 }, { SEND, "{\"event\": \"SHUTDOWN\"}\r\n", 0 }, { CLOSE, NULL, 0 },
		{ END, NULL, 0 },
	};
	struct fake f;

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_msg(qmpc_wait_hangup(f.q, 2000, f.err, sizeof(f.err)) == 0, "%s", f.err);
	ck_assert_int_eq(qmpc_wait_event(f.q, "SHUTDOWN", 0, f.err, sizeof(f.err)), 0);
	/* and after it, waiting for an event ends at once */
	ck_assert_int_eq(qmpc_wait_event(f.q, "SHUTDOWN", 2000, f.err, sizeof(f.err)), -ECONNRESET);
	finish(&f, 1);
}
END_TEST

START_TEST(garbage)
{
	static const struct step not_json[] = {
		HELLO, { RECV, "query-status", 0 }, { SEND, "hello, world\r\n", 0 }, { END, NULL, 0 },
	};
	static const struct step not_object[] = {
		HELLO, { RECV, "query-status", 0 }, { SEND, "[1, 2]\r\n", 0 }, { END, NULL, 0 },
	};
	static const struct step not_qmp[] = {
		HELLO, { RECV, "query-status", 0 }, { SEND, "{\"hello\": 1}\r\n", 0 }, { END, NULL, 0 },
	};
	static const struct step greeting_garbage[] = {
		{ SEND, "\x01\x02\x03\r\n", 0 }, { END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;

	start(&f, not_json, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)), -EPROTO);
	ck_assert_str_eq(f.err, "fake: not JSON (unexpected character), expected a QMP message "
			 "(waiting for the reply to query-status)");
	finish(&f, 0);

	start(&f, not_object, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)), -EPROTO);
	ck_assert_str_eq(f.err, "fake: a JSON array, expected a QMP message (an object) "
			 "(waiting for the reply to query-status)");
	finish(&f, 0);

	start(&f, not_qmp, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)), -EPROTO);
	ck_assert_str_eq(f.err, "fake: a message with neither \"return\", \"error\" nor \"event\", "
			 "expected a QMP reply (waiting for the reply to query-status)");
	finish(&f, 0);

	start(&f, greeting_garbage, 2000);
	ck_assert_int_eq(f.r, -EPROTO);
	ck_assert_str_eq(f.err, "fake: not JSON (unexpected character), expected a QMP message (its greeting)");
	finish(&f, 0);
}
END_TEST

START_TEST(silence)
{
	static const struct step no_greeting[] = { { SLEEP, NULL, 10000 }, { END, NULL, 0 } };
	static const struct step no_reply[] = {
		HELLO, { RECV, "query-status", 0 }, { SLEEP, NULL, 10000 }, { END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL;
	long long t0 = ms_now();

	start(&f, no_greeting, 100);
	ck_assert_int_eq(f.r, -ETIMEDOUT);
	ck_assert_str_eq(f.err, "fake: no QMP greeting within 100 ms (is another client connected? "
			 "QEMU serves one at a time)");
	ck_assert_int_lt(ms_now() - t0, 1000);
	finish(&f, 1);

	start(&f, no_reply, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	t0 = ms_now();
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 150, &ret, f.err, sizeof(f.err)), -ETIMEDOUT);
	ck_assert_int_lt(ms_now() - t0, 1000);
	ck_assert_int_ge(ms_now() - t0, 140);
	ck_assert_str_eq(f.err, "fake: no reply to query-status within 150 ms");
	ck_assert_int_eq(qmpc_wait_hangup(f.q, 100, f.err, sizeof(f.err)), -ETIMEDOUT);
	ck_assert_str_eq(f.err, "fake: QEMU did not close the connection within 100 ms");
	finish(&f, 1);
}
END_TEST

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

/* A handler that runs while qmpc waits ends the wait (qlaunch start's
 * SIGINT/SIGTERM), rather than being swallowed until the timeout. */
START_TEST(interrupted)
{
	static const struct step script[] = {
		HELLO, { RECV, "query-status", 0 }, { SIGNALS, NULL, 200 }, { END, NULL, 0 },
	};
	struct sigaction sa, old;
	struct fake f;
	json_object *ret = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;        /* no SA_RESTART, as start */
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, &old), 0);
	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	/* (the server signals for 10 s: a swallowed signal is a timeout) */
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 20000, &ret, f.err, sizeof(f.err)),
			 -EINTR);
	ck_assert_ptr_null(ret);
	ck_assert_int_eq(usr1, 1);
	ck_assert_str_eq(f.err, "fake: interrupted by a signal (waiting for the reply to query-status)");
	finish(&f, 1);          /* no more signals, before the default comes back */
	sigaction(SIGUSR1, &old, NULL);
}
END_TEST

START_TEST(error_reply)
{
	static const struct step script[] = {
		HELLO, { RECV, "device_del", 0 },
		{ SEND, "{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'nope' not found\"}, "
			"\"id\": \"@ID@\"}\r\n", 0 },
		{ RECV, "query-status", 0 }, { SEND, STATUS_REPLY, 0 }, { END, NULL, 0 },
	};
	struct fake f;
	json_object *ret = NULL, *args = json_tokener_parse("{\"id\": \"nope\"}");

	start(&f, script, 2000);
	ck_assert_msg(f.r == 0, "attach: %s", f.err);
	ck_assert_int_eq(qmpc_execute(f.q, "device_del", args, 2000, &ret, f.err, sizeof(f.err)), -EREMOTEIO);
	ck_assert_ptr_null(ret);
	ck_assert_str_eq(f.err, "DeviceNotFound: Device 'nope' not found");
	/* the connection is still good after an error */
	ck_assert_int_eq(qmpc_execute(f.q, "query-status", NULL, 2000, &ret, f.err, sizeof(f.err)), 0);
	json_object_put(ret);
	json_object_put(args);
	finish(&f, 0);
}
END_TEST

/* --- the socket path --------------------------------------------------------- */

static const char *at(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", tu_tmpdir(), name);
	return p;
}

/* A listening unix socket at path; its fd. */
static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	return fd;
}

START_TEST(connect_by_path)
{
	static const struct step script[] = {
		HELLO, { RECV, "query-status", 0 }, { SEND, STATUS_REPLY, 0 }, { END, NULL, 0 },
	};
	char path[512], err[1024];
	struct qmpc *q = NULL;
	json_object *ret = NULL;
	int lfd, st;
	pid_t pid;

	snprintf(path, sizeof(path), "%s", at("qmp.sock"));
	lfd = listen_at(path);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int c = accept(lfd, NULL, NULL);

		if (c < 0)
			_exit(7);
		serve(c, script);
	}
	close(lfd);
	ck_assert_msg(qmpc_connect(path, 2000, &q, err, sizeof(err)) == 0, "%s", err);
	/* SO_PEERCRED names the listener: the pid QEMU would have */
	ck_assert_int_eq(qmpc_pid(q), getpid());
	ck_assert_int_eq(qmpc_execute(q, "query-status", NULL, 2000, &ret, err, sizeof(err)), 0);
	json_object_put(ret);
	qmpc_close(q);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* now nobody listens: refused, like no socket at all */
	ck_assert_int_eq(qmpc_connect(path, 2000, &q, err, sizeof(err)), -ECONNREFUSED);
	ck_assert_ptr_null(q);
	ck_assert_str_eq(tu_shorten(err, tu_tmpdir(), 'T'),
			 "T/qmp.sock: nothing listens on this socket (no QEMU)");
	ck_assert_int_eq(qmpc_connect(at("none.sock"), 2000, &q, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(tu_shorten(err, tu_tmpdir(), 'T'),
			 "T/none.sock: no QMP socket there: No such file or directory");
}
END_TEST

START_TEST(unsafe_paths)
{
	char path[512], link[512], err[1024];
	struct qmpc *q = NULL;
	int lfd;

	snprintf(path, sizeof(path), "%s", at("real.sock"));
	lfd = listen_at(path);
	ck_assert_int_eq(qmpc_check_path(path, NULL, err, sizeof(err)), 0);
	/* a link, even to a good socket */
	snprintf(link, sizeof(link), "%s", at("link.sock"));
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(qmpc_connect(link, 2000, &q, err, sizeof(err)), -EPERM);
	ck_assert_str_eq(tu_shorten(err, tu_tmpdir(), 'T'),
			 "T/link.sock is a symbolic link, expected the QMP socket itself (a link could "
			 "point qlaunch at another VM's monitor)");
	/* a link on the way (a directory) is resolved, and the socket used
	 * by its resolved name */
	{
		char dlink[512], via[600], *resolved = NULL;

		snprintf(dlink, sizeof(dlink), "%s", at("dirlink"));
		ck_assert_int_eq(symlink(".", dlink), 0);
		snprintf(via, sizeof(via), "%s/real.sock", dlink);
		ck_assert_int_eq(qmpc_check_path(via, &resolved, err, sizeof(err)), 0);
		{
			char *t = realpath(tu_tmpdir(), NULL);   /* $TMPDIR may be a link */

			ck_assert_ptr_nonnull(t);
			ck_assert_str_eq(tu_shorten(resolved, t, 'T'), "T/real.sock");
			free(t);
		}
		free(resolved);
	}
	/* not a socket */
	tu_write("file.sock", "x", 1);
	ck_assert_int_eq(qmpc_check_path(at("file.sock"), NULL, err, sizeof(err)), -EPERM);
	ck_assert_str_eq(tu_shorten(err, tu_tmpdir(), 'T'),
			 "T/file.sock is not a socket, expected QEMU's QMP socket");
	/* in a directory others may write */
	ck_assert_int_eq(chmod(tu_tmpdir(), 0777), 0);
	ck_assert_int_eq(qmpc_connect(path, 2000, &q, err, sizeof(err)), -EPERM);
	ck_assert_str_eq(tu_shorten(err, tu_tmpdir(), 'T'),
			 "T/real.sock is in T, which others may write, expected the socket in directories "
			 "only their owner writes (another user could swap it for another VM's)");
	ck_assert_int_eq(chmod(tu_tmpdir(), 0770), 0);
	ck_assert_int_eq(qmpc_check_path(path, NULL, err, sizeof(err)), -EPERM);
	ck_assert_str_eq(tu_shorten(err, tu_tmpdir(), 'T'),
			 "T/real.sock is in T, which its group may write, expected the socket in directories "
			 "only their owner writes (another user could swap it for another VM's)");
	/* sticky, like /tmp: others cannot swap what is ours */
	ck_assert_int_eq(chmod(tu_tmpdir(), 01777), 0);
	ck_assert_int_eq(qmpc_check_path(path, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(chmod(tu_tmpdir(), 0700), 0);
	/* another user's socket (only root can make one here) */
	if (geteuid() == 0) {
		ck_assert_int_eq(lchown(path, 65534, 65534), 0);
		ck_assert_int_eq(qmpc_check_path(path, NULL, err, sizeof(err)), -EPERM);
		ck_assert_str_eq(tu_shorten(err, tu_tmpdir(), 'T'),
				 "T/real.sock belongs to uid 65534, expected a socket of root or uid 0 "
				 "(another user's socket could lead to another VM's monitor)");
	}
	close(lfd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("qmpc");
	TCase *tc = tcase_create("qmpc");

	/* a fake server that misbehaves must not hang the suite */
	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, greeting_and_negotiation);
	tcase_add_test(tc, not_a_greeting);
	tcase_add_test(tc, events_anywhere);
	tcase_add_test(tc, split_byte_by_byte);
	tcase_add_test(tc, several_in_one_write);
	tcase_add_test(tc, large_reply);
	tcase_add_test(tc, closed_mid_reply);
	tcase_add_test(tc, closed_between);
	tcase_add_test(tc, hangup_after_events);
	tcase_add_test(tc, garbage);
	tcase_add_test(tc, silence);
	tcase_add_test(tc, interrupted);
	tcase_add_test(tc, error_reply);
	tcase_add_test(tc, connect_by_path);
	tcase_add_test(tc, unsafe_paths);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
