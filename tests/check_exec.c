/*
 * run: the fds QEMU gets and nothing else.  Each test starts the real
 * qlaunch binary with tests/fdlist as the "QEMU" binary and reads back
 * what the exec'd program inherited.
 */
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
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v != NULL, "%s is not set", name);
	return v;
}

/* Open path at exactly fd number want, without close-on-exec. */
static void open_at(const char *path, int want)
{
	int fd = open(path, O_RDWR | O_CREAT, 0600);

	ck_assert_int_ge(fd, 0);
	if (fd != want) {
		ck_assert_int_eq(dup2(fd, want), want);
		close(fd);
	}
}

/*
 * Run "qlaunch -P DIR run [extra...] CONFIG" in a child prepared by setup()
 * and return what fdlist printed (malloc'd); *status gets the exit status.
 */
static char *run_qlaunch(const char *config, const char *const *extra,
			 void (*setup)(void), int *status)
{
	int pipefd[2], ws;
	char buf[65536];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		const char *argv[16];
		int argc = 0;

		dup2(pipefd[1], 1);
		if (setup)
			setup();
		argv[argc++] = env("QLAUNCH");
		argv[argc++] = "-P";
		argv[argc++] = env("QLAUNCH_PLUGIN_DIR");
		argv[argc++] = "run";
		for (; extra && *extra; extra++)
			argv[argc++] = *extra;
		argv[argc++] = config;
		argv[argc] = NULL;
		execv(argv[0], (char *const *)argv);
		_exit(99);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(pipefd[0]);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return strdup(buf);
}

static char *config_with(const char *body)
{
	char text[4096];

	snprintf(text, sizeof(text), "[qemu]\nbinary = %s\n%s", env("QLAUNCH_FDLIST"), body);
	return strdup(tu_write("run.ini", text, strlen(text)));
}

/* The "fd N ..." lines of out, without 0-2, joined with ';'. */
static char *passed_fds(const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = out;

	while ((p = strstr(p, "fd "))) {
		const char *nl = strchr(p, '\n');
		int fd = atoi(p + 3);

		if (fd > 2 && (p == out || p[-1] == '\n')) {
			sb_add(&sb, p, (size_t)(nl - p));
			sb_addc(&sb, ';');
		}
		p = nl;
	}
	return sb_detach(&sb);
}

static char tmpbuf[512];

static const char *tmpfile_path(const char *name)
{
	snprintf(tmpbuf, sizeof(tmpbuf), "%s/%s", tu_tmpdir(), name);
	return tmpbuf;
}

static void leak_and_cross(void)
{
	sigset_t set;

	/* inherited sources inside the target window, crossed: 3 <-> 4 */
	open_at(tmpfile_path("three"), 3);
	open_at(tmpfile_path("four"), 4);
	/* leaked by a careless caller, not close-on-exec */
	open_at(tmpfile_path("leak7"), 7);
	open_at(tmpfile_path("leak12"), 12);
	/* a blocked and an ignored signal must not reach QEMU */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

START_TEST(declared_fds_only_at_expected_numbers)
{
	char body[1024], want[2048], *config, *out, *fds;
	const char *dir = tu_tmpdir();
	int status;

	snprintf(body, sizeof(body),
		 "[fd.a]\ninherit = 4\n"          /* crosses: 4 -> 3 */
		 "[fd.b]\ninherit = 3\n"          /*          3 -> 4 */
		 "[fd.log]\npath = %s/log\nmode = append\n"
		 "[fd.late]\n"                    /* bound with --fd */
		 "[qmp]\nsocket = %s/q.sock\nprebind = on\n"
		 "[machine]\ntype = t\nfd = ${fd:late}\n", dir, dir);
	config = config_with(body);
	out = run_qlaunch(config, (const char *const[]){ "--fd", "late=12", NULL },
			  leak_and_cross, &status);
	ck_assert_msg(status == 0, "exit %d: %s", status, out);
	fds = passed_fds(out);
	snprintf(want, sizeof(want),
		 "fd 3 %s/four cloexec=0;fd 4 %s/three cloexec=0;fd 5 %s/log cloexec=0;"
		 "fd 6 %s/leak12 cloexec=0;", dir, dir, dir, dir);
	/* fd 7 is the prebound socket: a socket, not the leaked file */
	ck_assert_msg(strncmp(fds + strlen(want), "fd 7 socket:[", 13) == 0, "got %s", fds);
	ck_assert_msg(strcmp(strchr(fds + strlen(want), ';'), ";") == 0, "more fds than declared: %s", fds);
	ck_assert_ptr_nonnull(strstr(out, "SigBlk:\t0000000000000000\n"));
	ck_assert_msg(strstr(out, "SigIgn:\t0000000000000000\n") != NULL, "%s", out);
	/* argv has the numbers QEMU sees: declared 3-6, the plugin's 7 */
	ck_assert_msg(strstr(out, "argv: -machine t,fd=6 -chardev socket,id=qlaunch-qmp,fd=7,"
			     "server=on,wait=off -mon chardev=qlaunch-qmp,mode=control\n") != NULL, "%s", out);
	free(fds);
	free(out);
	free(config);
}
END_TEST

static void leak_only(void)
{
	open_at(tmpfile_path("leak3"), 3);
	open_at(tmpfile_path("leak5"), 5);
}

START_TEST(no_fds_declared_nothing_passed)
{
	char *config = config_with("[machine]\ntype = t\n"), *out, *fds;
	int status;

	out = run_qlaunch(config, NULL, leak_only, &status);
	ck_assert_msg(status == 0, "exit %d: %s", status, out);
	fds = passed_fds(out);
	ck_assert_str_eq(fds, "");
	ck_assert_ptr_nonnull(strstr(out, "fd 0 "));
	ck_assert_ptr_nonnull(strstr(out, "fd 1 pipe:"));
	ck_assert_ptr_nonnull(strstr(out, "fd 2 "));
	free(fds);
	free(out);
	free(config);
}
END_TEST

static void close_stdin(void)
{
	close(0);
	open_at(tmpfile_path("x"), 5);
}

START_TEST(closed_stdio_reopened)
{
	char *config = config_with("[fd.x]\ninherit = 5\n"), *out, *fds;
	char want[600];
	int status;

	out = run_qlaunch(config, NULL, close_stdin, &status);
	ck_assert_msg(status == 0, "exit %d: %s", status, out);
	ck_assert_ptr_nonnull(strstr(out, "fd 0 /dev/null cloexec=0\n"));
	fds = passed_fds(out);
	snprintf(want, sizeof(want), "fd 3 %s/x cloexec=0;", tu_tmpdir());
	ck_assert_str_eq(fds, want);
	free(fds);
	free(out);
	free(config);
}
END_TEST

START_TEST(fd_errors)
{
	char *config = config_with("[fd.a]\ninherit = 999\n[fd.b]\ninherit = 2\n[fd.c]\n"
				   "[machine]\ntype = t\nx = ${fd:nope}\ny = ${fdset:a}\nz = ${fd:a\n");
	struct diag dg = DIAG_INIT;
	struct strv bind = STRV_INIT;
	struct plg_set *set = tu_plugins(NULL, &dg);
	struct cfg *cfg = NULL;
	struct launch l;
	char *err;

	ck_assert_int_eq(sv_push(&bind, "zz=5"), 0);
	ck_assert_int_eq(cfg_load(config, &dg, &cfg), 0);
	ck_assert_int_eq(bld_launch(cfg, set, QL_MODE_PRINT, "/q", &bind, &dg, &l), -EINVAL);
	dg_sort(&dg);
	err = tu_shorten(tu_join_diag(&dg), config, 'C');
	ck_assert_str_eq(err,
		"--fd zz=5: C has no [fd.zz] section, expected one to bind\n"
		"C:3: [fd.a]: fd 999 is not open, expected qlaunch to be started with it\n"
		"C:6: [fd.b] inherit: fd 2 is stdin, stdout or stderr, expected an fd from 3 up\n"
		"C:7: [fd.c]: no fd, expected inherit = N, path = FILE, or --fd c=N\n"
		"C:10: [machine] x: ${fd:nope} names no fd, expected the NAME of an [fd.NAME] section\n"
		"C:11: [machine] y: ${fdset:a}: [fd.a] has no fdset, expected fdset = S in it\n"
		"C:12: [machine] z: malformed reference in '${fd:a', expected ${fd:NAME} or ${fdset:NAME} (write $${ for a literal ${)");
	free(err);
	sv_release(&bind);
	cfg_free(cfg);
	plg_set_free(set);
	dg_release(&dg);
	free(config);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("exec");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, declared_fds_only_at_expected_numbers);
	tcase_add_test(tc, no_fds_declared_nothing_passed);
	tcase_add_test(tc, closed_stdio_reopened);
	tcase_add_test(tc, fd_errors);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
