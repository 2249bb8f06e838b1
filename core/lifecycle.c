#include <qlconfig.h>

#include "lifecycle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "clock.h"
#include "qemu.h"
#include "qmpc.h"
#include "value.h"

#define QMP_SECTION "qmp"
/* After SHUTDOWN, how long QEMU may take to exit by itself before it
 * counts as staying (-no-shutdown). */
#define LC_SHUTDOWN_GRACE_MS 2000
/* After quit: its reply, the socket closing, the process gone. */
#define LC_QUIT_TIMEOUT_MS 10000
/* Between two tries of wait. */
#define LC_RETRY_MS 50

/* What a command works with: who, where, by when. */
struct lc {
	const struct lc_request *rq;
	const char *name;         /* for its lines: [qemu] name, file, socket */
	char *name_buf;
	const char *path;         /* the socket */
	int timeout_ms;
	long long deadline;
	struct diag *dg;
	char err[1024];
};

static int left_ms(const struct lc *c)
{
	return clk_left_ms(c->deadline);
}

/* "qlaunch: NAME: MESSAGE" into dg (without NAME when it is the socket,
 * which the messages of qmpc name already; with_name 0: never); returns
 * status. */
__attribute__((format(printf, 4, 5)))
static int lc_message(struct lc *c, int status, int with_name, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	if (sb_adds(&sb, "qlaunch: ") < 0 ||
	    (with_name && c->name != c->path && sb_printf(&sb, "%s: ", c->name) < 0) ||
	    sb_vprintf(&sb, fmt, ap) < 0)
		c->dg->oom = 1;
	else
		dg_error(c->dg, NULL, 0, NULL, NULL, "%s", sb.buf);
	va_end(ap);
	sb_release(&sb);
	return status;
}

#define lc_error(c, status, ...) lc_message(c, status, 1, __VA_ARGS__)

int lc_parse_arguments(const char *text, json_object **out, char *err, size_t errlen)
{
	enum json_tokener_error e = json_tokener_success;
	json_object *o = json_tokener_parse_verbose(text, &e);

	*out = NULL;
	if (!o && e != json_tokener_success) {
		snprintf(err, errlen, "invalid JSON arguments '%s': %s, expected an object such as "
			 "'{\"id\": \"net0\"}'", text, json_tokener_error_desc(e));
		return -EINVAL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "JSON arguments '%s' are not an object (%s), expected an object such as "
			 "'{\"id\": \"net0\"}'", text, json_type_to_name(json_object_get_type(o)));
		json_object_put(o);
		return -EINVAL;
	}
	*out = o;
	return 0;
}

int lc_config_socket(const struct cfg *cfg, struct diag *dg, const char **path)
{
	*path = NULL;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		const struct cfg_key *sock, *tcp, *server;
		int on = 1;

		if (strcmp(sec->type, QMP_SECTION) != 0)
			continue;
		sock = cfg_key_find(sec, "socket");
		tcp = cfg_key_find(sec, "tcp");
		server = cfg_key_find(sec, "server");
		if (!sock && tcp)
			return dg_error(dg, cfg_origin(sec, tcp, cfg->path), tcp->line, sec->name, "tcp",
					"qlaunch talks to QEMU over a unix socket only, expected socket = PATH "
					"in the first [qmp] section (or --qmp PATH)");
		if (!sock || !*sock->value)
			return dg_error(dg, cfg_origin(sec, NULL, cfg->path), sec->line, sec->name, NULL,
					"no socket, expected socket = PATH in the first [qmp] section "
					"(or --qmp PATH)");
		if (server && (val_bool(server->value, &on) < 0 || !on))
			return dg_error(dg, cfg_origin(sec, server, cfg->path), server->line, sec->name,
					"server", "QEMU does not listen on this socket, expected server = on "
					"in the first [qmp] section (or --qmp PATH)");
		*path = sock->value;
		return 0;
	}
	return dg_error(dg, cfg->path, 0, NULL, NULL, "no [qmp] section, expected one with "
			"socket = PATH for qlaunch to reach QEMU (or --qmp PATH)");
}

/* [qemu] name, else the config's file name without ".ini", else the
 * socket. */
static int find_name(struct lc *c)
{
	const struct lc_request *rq = c->rq;

	if (rq->cfg)
		for (size_t i = 0; i < rq->cfg->nsections; i++) {
			const struct cfg_section *sec = &rq->cfg->sections[i];
			const struct cfg_key *k;

			if (strcmp(sec->type, QEMU_SECTION) == 0 && !sec->id &&
			    (k = cfg_key_find(sec, "name")) && *k->value) {
				c->name = k->value;
				return 0;
			}
		}
	if (rq->config) {
		const char *base = strrchr(rq->config, '/');
		size_t n;

		base = base ? base + 1 : rq->config;
		n = strlen(base);
		if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
			n -= 4;
		c->name_buf = strndup(base, n);
		if (!c->name_buf)
			return -ENOMEM;
		c->name = c->name_buf;
		return 0;
	}
	c->name = c->path;
	return 0;
}

/* The threads /proc lists for pid (0 if it cannot tell). */
static int tasks(pid_t pid)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Has pid exited (gone, or a zombie no one has reaped yet)? */
static int pid_gone(pid_t pid)
{
	char path[64], buf[512];
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : kill(pid, 0) < 0 && errno == ESRCH;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || (p[2] != 'Z' && p[2] != 'X'))
		return 0;
	/* a zombie main thread while other threads still run (QEMU's vCPU
	 * and RCU threads end after it) is not yet a process that has
	 * exited: wait until its task list is the main thread alone */
	return tasks(pid) <= 1;
}

/* Wait at most ms for pid to exit; 1 if it did (or is unknown). */
static int wait_pid_gone(pid_t pid, int ms)
{
	long long end = clk_now_ms() + ms;

	if (pid <= 0)
		return 1;
	while (!pid_gone(pid)) {
		if (clk_now_ms() >= end)
			return 0;
		poll(NULL, 0, 10);
	}
	return 1;
}

static int absent(int r)
{
	return r == -ENOENT || r == -ECONNREFUSED;
}

/* --- the commands ---------------------------------------------------------------- */

static int do_wait(struct lc *c)
{
	char t[32];
	int r;

	for (;;) {
		struct qmpc *q = NULL;
		json_object *ret = NULL;

		r = qmpc_connect(c->path, left_ms(c), &q, c->err, sizeof(c->err));
		if (r == 0)
			r = qmpc_execute(q, "query-status", NULL, left_ms(c), &ret, c->err, sizeof(c->err));
		json_object_put(ret);
		qmpc_close(q);
		if (r == 0)
			return 0;
		/* not there yet, or not ready yet: again; anything else stays */
		if (!absent(r) && r != -ECONNRESET && r != -ETIMEDOUT)
			return lc_error(c, LC_EXIT_ERROR, "%s", c->err);
		if (left_ms(c) == 0)
			return lc_error(c, LC_EXIT_ERROR, "QEMU did not answer within %s: %s",
					clk_span(c->timeout_ms, t, sizeof(t)), c->err);
		poll(NULL, 0, left_ms(c) < LC_RETRY_MS ? left_ms(c) : LC_RETRY_MS);
	}
}

/* Connect for status, stop and qmp: 0 and *q, or an exit status. */
static int open_monitor(struct lc *c, struct qmpc **q, int *status)
{
	int r = qmpc_connect(c->path, left_ms(c), q, c->err, sizeof(c->err));

	if (r == 0)
		return 0;
	if (absent(r)) {
		*status = LC_EXIT_ABSENT;
		return -1;
	}
	*status = lc_error(c, LC_EXIT_ERROR, "%s", c->err);
	return -1;
}

static int pid_text(const struct qmpc *q, char *buf, size_t len)
{
	pid_t pid = qmpc_pid(q);

	return pid > 0 ? snprintf(buf, len, "pid %ld", (long)pid) : snprintf(buf, len, "pid unknown");
}

static int do_status(struct lc *c)
{
	struct qmpc *q = NULL;
	json_object *ret = NULL, *st;
	const char *state;
	char pid[32];
	int status = LC_EXIT_ERROR, r;

	if (open_monitor(c, &q, &status) < 0) {
		if (status == LC_EXIT_ABSENT)
			printf("%s: absent (no QEMU listens on %s)\n", c->name, c->path);
		goto out;
	}
	r = qmpc_execute(q, "query-status", NULL, left_ms(c), &ret, c->err, sizeof(c->err));
	if (r < 0) {
		status = lc_error(c, LC_EXIT_ERROR, "%s", c->err);
		goto out;
	}
	if (!json_object_object_get_ex(ret, "status", &st) || !json_object_is_type(st, json_type_string)) {
		status = lc_error(c, LC_EXIT_ERROR, "%s: query-status answered without a status",
				  c->path);
		goto out;
	}
	state = json_object_get_string(st);
	pid_text(q, pid, sizeof(pid));
	printf("%s: %s (%s)\n", c->name, state, pid);
	status = strcmp(state, "running") == 0 ? 0 : LC_EXIT_NOT_RUNNING;
out:
	json_object_put(ret);
	qmpc_close(q);
	return status;
}

/* quit QEMU and wait until it is gone: 0, or an exit status. */
static int quit_qemu(struct lc *c, struct qmpc *q, pid_t pid)
{
	json_object *ret = NULL;
	char t[32];
	int r = qmpc_execute(q, "quit", NULL, LC_QUIT_TIMEOUT_MS, &ret, c->err, sizeof(c->err));

	json_object_put(ret);
	/* QEMU may close the socket before its reply comes through */
	if (r == 0 || r == -ECONNRESET)
		r = qmpc_wait_hangup(q, LC_QUIT_TIMEOUT_MS, c->err, sizeof(c->err));
	if (r < 0)
		return lc_error(c, LC_EXIT_ERROR, "cannot quit QEMU: %s", c->err);
	if (!wait_pid_gone(pid, LC_QUIT_TIMEOUT_MS))
		return lc_error(c, LC_EXIT_ERROR, "QEMU (pid %ld) still runs %s after quit",
				(long)pid, clk_span(LC_QUIT_TIMEOUT_MS, t, sizeof(t)));
	return 0;
}

static int do_stop(struct lc *c)
{
	struct qmpc *q = NULL;
	json_object *ret = NULL;
	char t[32];
	pid_t pid;
	int status = LC_EXIT_ERROR, r;

	if (open_monitor(c, &q, &status) < 0) {
		if (status == LC_EXIT_ABSENT)
			printf("%s: not running (no QEMU listens on %s): nothing to stop\n", c->name, c->path);
		goto out;
	}
	pid = qmpc_pid(q);
	r = qmpc_execute(q, "system_powerdown", NULL, left_ms(c), &ret, c->err, sizeof(c->err));
	if (r == 0)
		r = qmpc_wait_event(q, "SHUTDOWN", left_ms(c), c->err, sizeof(c->err));
	if (r == 0) {
		/* the guest is down; QEMU exits by itself unless -no-shutdown */
		r = qmpc_wait_hangup(q, LC_SHUTDOWN_GRACE_MS, c->err, sizeof(c->err));
		if (r == 0 && wait_pid_gone(pid, LC_QUIT_TIMEOUT_MS)) {
			printf("%s: the guest powered down and QEMU exited\n", c->name);
			status = 0;
		} else if (r == -ETIMEDOUT && (status = quit_qemu(c, q, pid)) == 0) {
			printf("%s: the guest powered down; QEMU stayed (no-shutdown), so qlaunch quit it\n",
			       c->name);
		} else if (r < 0 && r != -ETIMEDOUT) {
			status = lc_error(c, LC_EXIT_ERROR, "%s", c->err);
		} else if (r == 0) {
			status = lc_error(c, LC_EXIT_ERROR, "QEMU (pid %ld) closed its monitor but "
					  "still runs", (long)pid);
		}
	} else if (r == -ECONNRESET) {
		/* gone without a word: its SHUTDOWN was lost in the hang-up */
		printf("%s: the guest powered down and QEMU exited\n", c->name);
		status = 0;
	} else if (r == -ETIMEDOUT || r == -EREMOTEIO) {
		/* no ACPI in the guest, or no OS listening to it */
		if ((status = quit_qemu(c, q, pid)) == 0) {
			if (r == -EREMOTEIO)
				printf("%s: QEMU refused the powerdown (%s), so qlaunch quit it\n", c->name, c->err);
			else
				printf("%s: the guest did not power down within %s, so qlaunch quit QEMU\n",
				       c->name, clk_span(c->timeout_ms, t, sizeof(t)));
			status = LC_EXIT_NOT_RUNNING;
		}
	} else {
		status = lc_error(c, LC_EXIT_ERROR, "%s", c->err);
	}
out:
	json_object_put(ret);
	qmpc_close(q);
	return status;
}

static int do_qmp(struct lc *c)
{
	struct qmpc *q = NULL;
	json_object *ret = NULL;
	int status = LC_EXIT_ERROR, r;

	if (open_monitor(c, &q, &status) < 0) {
		if (status == LC_EXIT_ABSENT)
			lc_error(c, status, "%s", c->err);
		goto out;
	}
	r = qmpc_execute(q, c->rq->command, c->rq->args, left_ms(c), &ret, c->err, sizeof(c->err));
	if (r == -EREMOTEIO) {
		status = lc_message(c, LC_EXIT_ERROR, 0, "QEMU says: %s", c->err);
	} else if (r < 0) {
		status = lc_error(c, LC_EXIT_ERROR, "%s", c->err);
	} else if (printf("%s\n", json_object_to_json_string_ext(ret, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 ||
		   fflush(stdout) != 0) {
		status = lc_error(c, LC_EXIT_ERROR, "cannot write the reply: %s", strerror(errno));
	} else {
		status = 0;
	}
out:
	json_object_put(ret);
	qmpc_close(q);
	return status;
}

int lc_run(const struct lc_request *rq, struct diag *dg)
{
	static const int defaults[] = {
		[LC_WAIT] = LC_WAIT_TIMEOUT_MS, [LC_STATUS] = LC_STATUS_TIMEOUT_MS,
		[LC_STOP] = LC_STOP_TIMEOUT_MS, [LC_QMP] = LC_QMP_TIMEOUT_MS,
	};
	struct lc c = { .rq = rq, .dg = dg };
	int status = LC_EXIT_ERROR;

	c.timeout_ms = rq->timeout_ms >= 0 ? rq->timeout_ms : defaults[rq->cmd];
	c.deadline = clk_now_ms() + c.timeout_ms;
	c.path = rq->qmp_path;
	if (!c.path && (!rq->cfg || lc_config_socket(rq->cfg, dg, &c.path) < 0))
		goto out;
	if (find_name(&c) < 0) {
		dg->oom = 1;
		goto out;
	}
	switch (rq->cmd) {
	case LC_WAIT:
		status = do_wait(&c);
		break;
	case LC_STATUS:
		status = do_status(&c);
		break;
	case LC_STOP:
		status = do_stop(&c);
		break;
	case LC_QMP:
		status = do_qmp(&c);
		break;
	}
	if (fflush(stdout) != 0 && status != LC_EXIT_ERROR)
		status = lc_error(&c, LC_EXIT_ERROR, "cannot write to stdout: %s", strerror(errno));
out:
	free(c.name_buf);
	return status;
}
