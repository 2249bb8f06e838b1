#include <qlconfig.h>

#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fdpass.h"

extern char **environ;

/* Open /dev/null on any of 0-2 that is closed, so QEMU's fds start at 3. */
static int std_fds_open(void)
{
	for (int fd = 0; fd < 3; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		got = open("/dev/null", O_RDWR);
		if (got < 0)
			return -errno;
		if (got != fd) {       /* lower ones are open, so got > fd */
			close(got);
			return -EBADF;
		}
	}
	return 0;
}

static void signals_reset(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);   /* fails harmlessly on KILL, STOP */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int ex_exec(struct launch *l, struct diag *dg)
{
	const char *bin = l->argv.v[0];
	int r;

	if (bin[0] != '/') {
		dg_error(dg, bin, 0, NULL, NULL, "QEMU binary is not an absolute path");
		return 127;
	}
	r = std_fds_open();
	if (r == 0)
		r = fdp_place(l->fds, l->nfds);
	if (r < 0) {
		dg_error(dg, NULL, 0, NULL, NULL, "cannot prepare fds for QEMU: %s", strerror(-r));
		return 126;
	}
	signals_reset();
	execve(bin, l->argv.v, environ);
	r = errno;
	dg_error(dg, bin, 0, NULL, NULL, "cannot execute QEMU: %s", strerror(r));
	return r == ENOENT || r == ENOTDIR ? 127 : 126;
}
