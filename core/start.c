#include <qlconfig.h>

#include "start.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_CLOSE_RANGE
#include <linux/close_range.h>
#endif

#include <json.h>

#include "clock.h"
#include "exec.h"
#include "fdpass.h"
#include "fds.h"
#include "lifecycle.h"
#include "qemu.h"
#include "qmpc.h"
#include "value.h"

/* Keep at most this much of QEMU's stderr before it is ready. */
#define ST_MAX_STDERR (1u << 20)
/* After QEMU is gone, how long a helper it forked may hold the pipe. */
#define ST_DRAIN_MS 2000
/* Between two tries to connect to the config's socket. */
#define ST_RETRY_MS 50
/* One try to connect and be greeted, at most; and the longest one wait
 * of start's own lasts, so that a signal that came just before it began
 * is seen within that (one that comes during a wait ends it at once). */
#define ST_TRY_MS 1000

/* --- QEMU's messages, traced to the INI lines -------------------------------- */

/* Where a message of QEMU's belongs: a section and maybe one of its keys. */
struct where {
	const struct cfg_section *sec;
	const struct cfg_key *key;
};

/* The strings QEMU quoted in msg, 'like this'. */
#define MAX_QUOTES 8
struct quotes {
	char v[MAX_QUOTES][256];
	size_t n;
};

static void find_quotes(const char *msg, struct quotes *q)
{
	const char *p = msg;

	q->n = 0;
	while (q->n < MAX_QUOTES && (p = strchr(p, '\''))) {
		const char *end = strchr(p + 1, '\'');
		size_t len;

		if (!end)
			break;
		len = (size_t)(end - p - 1);
		if (len && len < sizeof(q->v[0])) {
			memcpy(q->v[q->n], p + 1, len);
			q->v[q->n++][len] = '\0';
		}
		p = end + 1;
	}
}

/* The key of sec that a quoted string names: first a key whose value it
 * is, then a key it names ('macc', or 'virtio-net-pci.macc'). */
static const struct cfg_key *quoted_key(const struct cfg_section *sec, const struct quotes *q)
{
	for (size_t i = 0; i < q->n; i++)
		for (size_t k = 0; k < sec->nkeys; k++)
			if (strcmp(sec->keys[k].value, q->v[i]) == 0)
				return &sec->keys[k];
	for (size_t i = 0; i < q->n; i++) {
		const char *dot = strrchr(q->v[i], '.');
		const struct cfg_key *k = cfg_key_find(sec, q->v[i]);

		if (!k && dot)
			k = cfg_key_find(sec, dot + 1);
		if (k)
			return k;
	}
	return NULL;
}

/* The part of argv word i, or NULL (the binary, or start's own monitor). */
static const struct launch_part *part_of(const struct launch *l, size_t i)
{
	for (size_t p = 0; p < l->nparts; p++)
		if (i >= l->parts[p].start && i < l->parts[p].end)
			return &l->parts[p];
	return NULL;
}

/*
 * "-OPT ARG: message" or "-OPT: message": the argv word of -OPT (0 if the
 * message names no option of argv) and the message after it.
 */
static size_t find_option(const struct launch *l, const char *msg, const char **rest)
{
	const struct strv *a = &l->argv;

	for (size_t i = 1; i < a->n; i++) {
		size_t n = strlen(a->v[i]), m;

		if (a->v[i][0] != '-' || strncmp(msg, a->v[i], n) != 0)
			continue;
		if (i + 1 < a->n && msg[n] == ' ' &&
		    strncmp(msg + n + 1, a->v[i + 1], m = strlen(a->v[i + 1])) == 0 &&
		    strncmp(msg + n + 1 + m, ": ", 2) == 0) {
			*rest = msg + n + 1 + m + 2;
			return i;
		}
		if (strncmp(msg + n, ": ", 2) == 0) {
			*rest = msg + n + 2;
			return i;
		}
	}
	return 0;
}

/* Does one of the words of part p contain s? */
static int part_says(const struct launch *l, const struct launch_part *p, const char *s)
{
	for (size_t i = p->start; i < p->end; i++)
		if (strstr(l->argv.v[i], s))
			return 1;
	return 0;
}

/* Messages QEMU prints without naming an option, and the section type
 * (and key) they are about. */
static const struct {
	const char *phrase, *type, *key;
} phrases[] = {
	{ "machine type", "machine", "type" },
	{ "guest memory", "memory", "size" },
	{ "ram size", "memory", "size" },
	{ "maxmem", "memory", "maxmem" },
	{ "kernel", "kernel", "path" },
	{ "initrd", "kernel", "initrd" },
	{ "CPU topology", "smp", NULL },
	{ "cpus", "smp", "cpus" },
	{ "accelerator", "machine", "accel" },
	{ "bios", "firmware", NULL },
};

/* A message without an option: the section whose key has a value QEMU
 * quotes (and passed to QEMU), else the section a phrase points to. */
static struct where locate_free(const struct launch *l, const struct cfg *cfg, const char *msg)
{
	struct where w = { NULL, NULL };
	struct quotes q;

	find_quotes(msg, &q);
	for (size_t p = 0; p < l->nparts; p++) {
		const struct cfg_section *sec = l->parts[p].sec;

		for (size_t i = 0; i < q.n; i++)
			for (size_t k = 0; k < sec->nkeys; k++)
				if (strcmp(sec->keys[k].value, q.v[i]) == 0 &&
				    part_says(l, &l->parts[p], q.v[i])) {
					w.sec = sec;
					w.key = &sec->keys[k];
					return w;
				}
	}
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		if (!strstr(msg, phrases[i].phrase))
			continue;
		for (size_t s = 0; s < cfg->nsections; s++) {
			const struct cfg_section *sec = &cfg->sections[s];

			if (strcmp(sec->type, phrases[i].type) != 0)
				continue;
			w.sec = sec;
			w.key = phrases[i].key ? cfg_key_find(sec, phrases[i].key) : NULL;
			return w;
		}
	}
	return w;
}

__attribute__((format(printf, 7, 8)))
static void warn(struct diag *dg, const char *file, unsigned line, const char *section,
		 const char *key, int is_warning, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (is_warning)
		dg_vwarn(dg, file, line, section, key, fmt, ap);
	else
		dg_verror(dg, file, line, section, key, fmt, ap);
	va_end(ap);
}

/* One of QEMU's lines at w; a warning of QEMU's is one of ours too. */
static int report(struct diag *dg, const struct cfg *cfg, struct where w, const char *msg,
		  int is_warning)
{
	size_t before = dg->msgs.n + dg->warns.n;

	if (!w.sec)
		warn(dg, cfg->path, 0, NULL, NULL, is_warning, "QEMU says: %s", msg);
	else
		warn(dg, cfg_origin(w.sec, w.key, cfg->path), w.key ? w.key->line : w.sec->line,
		     w.sec->name, w.key ? w.key->name : NULL, is_warning, "QEMU says: %s", msg);
	return dg->msgs.n + dg->warns.n > before ? 0 : -ENOMEM;
}

/* Where a line that starts with QEMU's prefix goes; *msg is what to say
 * (without the option it names). */
static struct where locate(const struct launch *l, const struct cfg *cfg, const char **msg)
{
	const char *rest = NULL;
	size_t opt = find_option(l, *msg, &rest);
	const struct launch_part *p = opt ? part_of(l, opt) : NULL;
	struct where w;
	struct quotes q;

	if (!p)
		return locate_free(l, cfg, *msg);
	find_quotes(rest, &q);
	w.sec = p->sec;
	w.key = quoted_key(p->sec, &q);
	*msg = rest;
	return w;
}

/* The line without QEMU's "BINARY: " or "qemu: " prefix, or NULL. */
static const char *unprefix(const char *line, const char *bin)
{
	size_t n = strlen(bin);

	if (strncmp(line, bin, n) == 0 && strncmp(line + n, ": ", 2) == 0)
		return line + n + 2;
	if (strncmp(line, "qemu: ", 6) == 0)
		return line + 6;
	return NULL;
}

int st_translate(const struct launch *l, const struct cfg *cfg, const char *text,
		 size_t len, struct diag *dg)
{
	const char *bin = strrchr(l->argv.v[0], '/');
	struct where last = { NULL, NULL };
	int have_last = 0, last_warning = 0, r = 0;
	size_t pos = 0;

	bin = bin ? bin + 1 : l->argv.v[0];
	while (pos < len && r == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *line = strndup(text + pos, n);
		const char *msg;

		pos += n + 1;
		if (!line)
			return -ENOMEM;
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		for (char *c = line; *c; c++)       /* one line each, printable */
			if ((unsigned char)*c < 0x20 && *c != '\t')
				*c = '?';
		if (!*line) {
			free(line);
			continue;
		}
		msg = unprefix(line, bin);
		if (!msg && have_last) {        /* QEMU's hint to its message */
			r = report(dg, cfg, last, line, last_warning);
			free(line);
			continue;
		}
		if (!msg)
			msg = line;
		/* "warning: ..." comes before or after the option */
		last_warning = strncmp(msg, "warning: ", 9) == 0;
		if (last_warning)
			msg += 9;
		last = locate(l, cfg, &msg);
		if (!last_warning && strncmp(msg, "warning: ", 9) == 0) {
			last_warning = 1;
			msg += 9;
		}
		have_last = 1;
		r = report(dg, cfg, last, msg, last_warning);
		free(line);
	}
	return r;
}

/* --- signals while start waits ------------------------------------------------ */

/* The signals that interrupt start (Ctrl-C, a service manager, a closed
 * terminal), and their names for the message. */
static const struct {
	int sig;
	const char *name;
} stop_signals[] = { { SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGTERM, "SIGTERM" } };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

/* The first of them that came while start waited, or 0.  The one global:
 * the handler has nowhere else to say it. */
static volatile sig_atomic_t caught;

static void on_stop_signal(int sig)
{
	if (!caught)
		caught = sig;
}

static const char *signal_name(int sig)
{
	for (size_t i = 0; i < NSTOP; i++)
		if (stop_signals[i].sig == sig)
			return stop_signals[i].name;
	return "a signal";
}

/* Block the stop signals (across a fork); *was is the mask before, for
 * sigprocmask(SIG_SETMASK, was, NULL). */
static void block_stop_signals(sigset_t *was)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < NSTOP; i++)
		sigaddset(&set, stop_signals[i].sig);
	sigprocmask(SIG_BLOCK, &set, was);
}

/* --- the child and waiting for it -------------------------------------------- */

struct st {
	struct launch *l;
	const struct cfg *cfg;
	struct diag *dg;
	pid_t pid;
	int exited, wstatus;     /* reaped, and its status */
	int err_fd;              /* QEMU's stderr, the read end (-1 at EOF) */
	struct strbuf err;       /* what QEMU wrote there */
	int mon_fd;              /* the private monitor, our end, or -1 */
	const char *sock;        /* else the config's socket */
	int sock_was;            /* there was one before (stale) */
	struct stat sock_before;
	int timeout_ms;
	long long deadline;
	int catching;            /* the stop signals are caught; their */
	struct sigaction old[NSTOP]; /* dispositions before */
	char msg[1024];
};

/*
 * Catch the stop signals from here on.  poll(2) is never restarted, so a
 * wait ends with EINTR and the loops look at caught; SA_RESTART keeps a
 * write to a full pipe (detach's) from failing.  One the caller left
 * ignored stays ignored, as a shell's background job expects.
 */
static void catch_signals(struct st *s)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (size_t i = 0; i < NSTOP; i++) {
		sigaction(stop_signals[i].sig, NULL, &s->old[i]);
		if (s->old[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i].sig, &sa, NULL);
	}
	s->catching = 1;
}

/* The dispositions as they were before catch_signals. */
static void restore_signals(const struct st *s)
{
	for (size_t i = 0; s->catching && i < NSTOP; i++)
		sigaction(stop_signals[i].sig, &s->old[i], NULL);
}

static int left_ms(const struct st *s)
{
	return clk_left_ms(s->deadline);
}

/* The next wait of start's own: what is left, at most ST_TRY_MS. */
static int slice_ms(const struct st *s)
{
	return left_ms(s) < ST_TRY_MS ? left_ms(s) : ST_TRY_MS;
}

/* Read what QEMU wrote, waiting at most ms for more; at EOF err_fd is
 * closed. */
static void drain(struct st *s, int ms)
{
	long long end = clk_now_ms() + ms;

	while (s->err_fd >= 0) {
		struct pollfd pfd = { .fd = s->err_fd, .events = POLLIN };
		char buf[4096];
		long long left = end - clk_now_ms();
		ssize_t n;

		if (poll(&pfd, 1, left > 0 ? (int)left : 0) <= 0)
			return;
		n = read(s->err_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			close(s->err_fd);
			s->err_fd = -1;
			return;
		}
		if (s->err.len + (size_t)n <= ST_MAX_STDERR && sb_add(&s->err, buf, (size_t)n) < 0)
			s->dg->oom = 1;
	}
}

/* A short pause, reading QEMU's stderr meanwhile if it is open. */
static void pause_ms(struct st *s, int ms)
{
	if (s->err_fd >= 0)
		drain(s, ms);
	else
		poll(NULL, 0, ms);
}

static int reap(struct st *s, int hang)
{
	while (!s->exited) {
		pid_t r = waitpid(s->pid, &s->wstatus, hang ? 0 : WNOHANG);

		if (r == s->pid)
			s->exited = 1;
		else if (r == 0 || errno != EINTR)
			break;
	}
	return s->exited;
}

/* The first [qmp] section's unix socket with server on, or NULL. */
static const char *config_socket(const struct cfg *cfg)
{
	struct diag quiet = DIAG_INIT;
	const char *path = NULL;

	if (lc_config_socket(cfg, &quiet, &path) < 0)
		path = NULL;
	dg_release(&quiet);
	return path;
}

/* [qemu] key, or NULL. */
static const struct cfg_key *qemu_key(const struct cfg *cfg, const char *name,
				      const struct cfg_section **sec)
{
	for (size_t i = 0; i < cfg->nsections; i++)
		if (strcmp(cfg->sections[i].type, QEMU_SECTION) == 0 && !cfg->sections[i].id) {
			*sec = &cfg->sections[i];
			return cfg_key_find(*sec, name);
		}
	return NULL;
}

/* Add the private monitor: one end of a socketpair as QEMU's fd N. */
static int add_monitor(struct st *s)
{
	char arg[64];
	int sv[2], number, r;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return dg_error(s->dg, NULL, 0, NULL, NULL, "qlaunch: cannot make a monitor for QEMU: %s",
				strerror(errno));
	r = fdp_reserve(&s->l->fds, NULL, NULL, NULL, NULL, NULL, NULL, &number);
	if (r < 0) {
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	s->l->fds.v[s->l->fds.n - 1].fd = sv[1];
	s->mon_fd = sv[0];
	snprintf(arg, sizeof(arg), "socket,id=" ST_CHARDEV_ID ",fd=%d", number);
	if ((r = sv_push(&s->l->argv, "-chardev")) < 0 || (r = sv_push(&s->l->argv, arg)) < 0 ||
	    (r = sv_push(&s->l->argv, "-mon")) < 0 ||
	    (r = sv_push(&s->l->argv, "chardev=" ST_CHARDEV_ID ",mode=control")) < 0)
		return r;
	return 0;
}

/*
 * The child: stdin /dev/null, stdout our stderr, stderr the pipe, then
 * become QEMU as run does.  If that fails, the exit status and the
 * messages go back through report (close-on-exec: EOF means exec'd).
 */
static void child(struct st *s, int null_fd, int err_w, int report_fd)
{
	struct diag dg = DIAG_INIT;
	struct strbuf sb = STRBUF_INIT;
	unsigned char status;

	/* above the window fdp_place fills, so that it survives placing */
	report_fd = fcntl(report_fd, F_DUPFD_CLOEXEC, fdp_number(s->l->fds.n));
	if (report_fd < 0 || dup2(null_fd, 0) < 0 || dup2(2, 1) < 0 || dup2(err_w, 2) < 0)
		_exit(126);
	status = (unsigned char)ex_exec(s->l, &dg);
	sb_add(&sb, (const char *)&status, 1);
	for (size_t i = 0; i < dg.msgs.n; i++)
		sb_printf(&sb, "%s\n", dg.msgs.v[i]);
	if (sb.len && write(report_fd, sb.buf, sb.len) < 0)
		status = 126;
	_exit(status);
}

/* Fork and exec.  0, or an exit status (126, 127) with the reason in dg. */
static int spawn(struct st *s)
{
	int errp[2] = { -1, -1 }, rep[2] = { -1, -1 }, null_fd, status = 126;
	char buf[4096];
	struct strbuf sb = STRBUF_INIT;
	sigset_t was;
	ssize_t n;

	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0 || pipe2(errp, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0) {
		dg_error(s->dg, NULL, 0, NULL, NULL, "qlaunch: cannot start QEMU: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	/* an inherited SIGCHLD = SIG_IGN would reap QEMU before we could */
	signal(SIGCHLD, SIG_DFL);
	/* blocked across the fork: the child runs no handler of ours, and
	 * ex_exec unblocks them with their default actions */
	block_stop_signals(&was);
	s->pid = fork();
	if (s->pid != 0)
		sigprocmask(SIG_SETMASK, &was, NULL);
	if (s->pid < 0) {
		dg_error(s->dg, NULL, 0, NULL, NULL, "qlaunch: cannot start QEMU: %s", strerror(errno));
		goto out;
	}
	if (s->pid == 0)
		child(s, null_fd, errp[1], rep[1]);
	/* QEMU has its fds: ours go, so a socket it listens on resets our
	 * connection once it is gone */
	fdp_handed(&s->l->fds);
	close(rep[1]);
	rep[1] = -1;
	while ((n = read(rep[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || sb_add(&sb, buf, (size_t)n) < 0)
			break;
	}
	if (sb.len == 0) {
		status = 0;
		s->err_fd = errp[0];
		errp[0] = -1;
		fcntl(s->err_fd, F_SETFL, O_NONBLOCK);
		goto out;
	}
	/* the exec failed: the child's messages, one a line */
	status = (unsigned char)sb.buf[0];
	for (char *p = sb.buf + 1, *nl; p < sb.buf + sb.len && (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		dg_error(s->dg, NULL, 0, NULL, NULL, "%s", p);
	}
	reap(s, 1);
out:
	sb_release(&sb);
	if (null_fd >= 0)
		close(null_fd);
	for (int i = 0; i < 2; i++) {
		if (errp[i] >= 0)
			close(errp[i]);
		if (rep[i] >= 0)
			close(rep[i]);
	}
	return status;
}

/* Ask QEMU for its status over q; 0 when it answered. */
static int query(struct st *s, struct qmpc *q)
{
	json_object *ret = NULL;
	int r = qmpc_execute(q, "query-status", NULL, left_ms(s), &ret, s->msg, sizeof(s->msg));

	json_object_put(ret);
	return r;
}

/* Until the private monitor has something to read (the greeting, or the
 * hang-up of a QEMU that exits), reading QEMU's stderr meanwhile: QEMU
 * must never block on a full pipe while qlaunch waits for it. */
static void await_monitor(struct st *s)
{
	while (left_ms(s) > 0 && !caught) {
		struct pollfd pfd[2] = {
			{ .fd = s->mon_fd, .events = POLLIN },
			{ .fd = s->err_fd, .events = POLLIN },
		};
		int n = poll(pfd, s->err_fd >= 0 ? 2 : 1, slice_ms(s));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || pfd[0].revents)
			return;
		drain(s, 0);
	}
}

/*
 * Until QEMU answers: 0; -ECHILD it exited; -ETIMEDOUT; -EINTR a stop
 * signal came (caught); another error with the reason in s->msg.  (A
 * signal that comes while qmpc waits ends that wait; one that comes just
 * before, when qmpc's call returns: soon, but for an answer QEMU began.)
 */
static int wait_ready(struct st *s)
{
	struct qmpc *q = NULL;
	int r;

	if (s->mon_fd >= 0) {
		await_monitor(s);
		if (caught)
			return -EINTR;
		r = qmpc_attach(s->mon_fd, "QEMU's monitor", left_ms(s), &q, s->msg, sizeof(s->msg));
		s->mon_fd = -1;         /* attach took it */
		if (r == 0)
			r = query(s, q);
		qmpc_close(q);
		drain(s, 0);
		if (r == -ECONNRESET)
			r = -ECHILD;    /* the monitor went: QEMU with it */
		return r;
	}
	for (;;) {
		drain(s, 0);
		if (caught)
			return -EINTR;
		if (reap(s, 0))
			return -ECHILD;
		r = qmpc_connect(s->sock, slice_ms(s), &q, s->msg, sizeof(s->msg));
		if (r == 0 && qmpc_pid(q) != s->pid && qmpc_pid(q) != getpid()) {
			/* another QEMU on that path (the old socket, before ours
			 * replaced it), or a prebound socket's listener (us) */
			qmpc_close(q);
			q = NULL;
			r = -ECONNREFUSED;
		} else if (r == 0) {
			r = query(s, q);
			qmpc_close(q);
			q = NULL;
			if (r == 0 || r == -EREMOTEIO)
				return r;
		}
		if (r != -ENOENT && r != -ECONNREFUSED && r != -ECONNRESET && r != -ETIMEDOUT &&
		    r != -EINTR)
			return r;
		if (left_ms(s) == 0)
			return -ETIMEDOUT;
		drain(s, left_ms(s) < ST_RETRY_MS ? left_ms(s) : ST_RETRY_MS);
	}
}

/* Remove what a failed start leaves: the prebound sockets and seeded
 * files (the launch's), the QMP socket and the pidfile QEMU made. */
static void clean_up(struct st *s)
{
	const struct cfg_section *qsec = NULL;
	const struct cfg_key *pidfile = qemu_key(s->cfg, "pidfile", &qsec);
	struct stat st;

	fdp_undo(&s->l->fds);
	fdt_unlink(&s->l->created);
	if (s->sock && lstat(s->sock, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    (!s->sock_was || st.st_dev != s->sock_before.st_dev || st.st_ino != s->sock_before.st_ino))
		unlink(s->sock);
	if (pidfile && *pidfile->value && s->pid > 0) {
		int fd = open(pidfile->value, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		char buf[32];
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (strtol(buf, NULL, 10) == (long)s->pid)     /* QEMU's own */
				unlink(pidfile->value);
		}
	}
}

/* The relay: copies QEMU's stderr to ours until QEMU closes it, so that
 * QEMU never writes into a pipe nobody reads.  Its stdout is /dev/null:
 * whoever reads start's stdout sees it close when start exits. */
static int start_relay(struct st *s)
{
	int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	sigset_t was;
	pid_t pid;

	if (null_fd < 0)
		return -errno;
	block_stop_signals(&was);
	pid = fork();
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &was, NULL);
	if (pid < 0) {
		close(null_fd);
		return -errno;
	}
	if (pid == 0) {
		char buf[4096];
		ssize_t n;

		/* not start's handlers: SIGTERM ends the relay as before */
		restore_signals(s);
		sigprocmask(SIG_SETMASK, &was, NULL);
		signal(SIGHUP, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		if (dup2(s->err_fd, 0) < 0 || dup2(null_fd, 1) < 0 ||
		    fcntl(0, F_SETFL, fcntl(0, F_GETFL) & ~O_NONBLOCK) < 0)
			_exit(1);
#if defined(HAVE_CLOSE_RANGE)
		if (close_range(3, ~0u, 0) < 0)
#endif
		{
			long max = sysconf(_SC_OPEN_MAX);

			for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 1024); fd++)
				close(fd);
		}
		if (chdir("/") < 0)
			_exit(1);
		while ((n = read(0, buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			/* a stderr that went away: go on reading, for QEMU */
			if (write(2, buf, (size_t)n) < 0 && errno != EPIPE && errno != EIO)
				continue;
		}
		_exit(0);
	}
	close(null_fd);
	return 0;
}

/*
 * A stop signal came while start waited: QEMU (if it runs on) gets
 * SIGTERM, ST_GRACE_MS to exit, then SIGKILL, and is reaped.  What it
 * had said is reported as on a failure (not what it says on its way out:
 * that answers our SIGTERM), then one line about the interruption.
 * Returns the exit status, 128 + the signal, as a shell's.
 */
static int stop_interrupted(struct st *s)
{
	size_t said;
	int sig = caught;

	drain(s, 0);
	said = s->err.len;
	/* a terminal's Ctrl-C reaches QEMU too: its answer is no error */
	{
		const char *t = s->err.buf ? memmem(s->err.buf, said, ": terminating on signal ", 24) : NULL;

		while (t && t > s->err.buf && t[-1] != '\n')
			t--;
		if (t)
			said = (size_t)(t - s->err.buf);
	}
	if (!reap(s, 0)) {
		kill(s->pid, SIGTERM);
		for (long long end = clk_now_ms() + ST_GRACE_MS; !reap(s, 0) && clk_now_ms() < end;)
			pause_ms(s, 10);
		if (!s->exited)
			kill(s->pid, SIGKILL);
		reap(s, 1);
	}
	if (st_translate(s->l, s->cfg, s->err.buf ? s->err.buf : "", said, s->dg) < 0)
		s->dg->oom = 1;
	dg_error(s->dg, s->cfg->path, 0, NULL, NULL, "interrupted by %s while waiting for QEMU to "
		 "answer on its monitor: QEMU (pid %ld) is stopped and what the launch made is removed",
		 signal_name(sig), (long)s->pid);
	return 128 + sig;
}

/* QEMU answered: hand its stderr on, and print its pid. */
static int detach(struct st *s)
{
	int r;

	if (s->err.len && write(2, s->err.buf, s->err.len) < 0)
		s->err.len = 0;         /* warnings QEMU gave; nothing to do */
	drain(s, 0);
	if (s->err_fd >= 0 && (r = start_relay(s)) < 0)
		dg_error(s->dg, NULL, 0, NULL, NULL, "qlaunch: warning: cannot relay QEMU's stderr (%s): "
			 "its later messages are lost", strerror(-r));
	if (printf("%ld\n", (long)s->pid) < 0 || fflush(stdout) != 0) {
		dg_error(s->dg, NULL, 0, NULL, NULL, "qlaunch: QEMU runs as pid %ld, but that cannot be "
			 "written to stdout: %s", (long)s->pid, strerror(errno));
		return 1;
	}
	return 0;
}

int st_start(struct launch *l, const struct cfg *cfg, int timeout_ms, struct diag *dg)
{
	struct st s = { .l = l, .cfg = cfg, .dg = dg, .err_fd = -1, .err = STRBUF_INIT,
			.mon_fd = -1 };
	const struct cfg_section *qsec = NULL;
	const struct cfg_key *k = qemu_key(cfg, "daemonize", &qsec);
	int status = 1, on = 0, r;
	char t[32];

	s.timeout_ms = timeout_ms >= 0 ? timeout_ms : ST_TIMEOUT_MS;
	if (k && val_bool(k->value, &on) == 0 && on) {
		dg_error(dg, cfg_origin(qsec, k, cfg->path), k->line, qsec->name, "daemonize",
			 "'qlaunch start' detaches QEMU itself once it answers, expected daemonize = off "
			 "(or 'qlaunch run')");
		goto fail;
	}
	s.sock = config_socket(cfg);
	if (s.sock)
		s.sock_was = lstat(s.sock, &s.sock_before) == 0;
	else if (add_monitor(&s) < 0)
		goto fail;
	s.deadline = clk_now_ms() + s.timeout_ms;
	/* caught from before the fork until the outcome is known; one that
	 * comes after that (while detaching or cleaning up) changes nothing:
	 * start exits moments later anyway */
	catch_signals(&s);
	status = spawn(&s);
	if (status != 0)
		goto fail;
	r = wait_ready(&s);
	if (caught) {
		status = stop_interrupted(&s);
		goto fail;
	}
	if (r == 0) {
		status = detach(&s);
		goto out;
	}
	status = 1;
	/* it is on its way out: let it finish saying why */
	for (long long end = clk_now_ms() + ST_DRAIN_MS; r == -ECHILD && !reap(&s, 0) && clk_now_ms() < end;)
		pause_ms(&s, 10);
	if (!s.exited)
		kill(s.pid, SIGKILL);
	reap(&s, 1);
	drain(&s, ST_DRAIN_MS);
	if (st_translate(l, cfg, s.err.buf ? s.err.buf : "", s.err.len, dg) < 0)
		dg->oom = 1;
	if (r == -ETIMEDOUT)
		dg_error(dg, cfg->path, 0, NULL, NULL, "QEMU did not answer on its monitor within %s, "
			 "so qlaunch killed it (pid %ld)", clk_span(s.timeout_ms, t, sizeof(t)), (long)s.pid);
	else if (r != -ECHILD)
		dg_error(dg, cfg->path, 0, NULL, NULL, "%s%s, so qlaunch killed QEMU (pid %ld)",
			 r == -EREMOTEIO ? "QEMU says: " : "", s.msg, (long)s.pid);
	else if (!s.err.len && WIFEXITED(s.wstatus))
		dg_error(dg, cfg->path, 0, NULL, NULL, "QEMU exited with status %d before it answered "
			 "on its monitor, and said nothing", WEXITSTATUS(s.wstatus));
	else if (!s.err.len && WIFSIGNALED(s.wstatus))
		dg_error(dg, cfg->path, 0, NULL, NULL, "QEMU was killed by signal %d before it answered "
			 "on its monitor", WTERMSIG(s.wstatus));
fail:
	clean_up(&s);
out:
	restore_signals(&s);
	if (s.mon_fd >= 0)
		close(s.mon_fd);
	if (s.err_fd >= 0)
		close(s.err_fd);
	sb_release(&s.err);
	return status;
}
