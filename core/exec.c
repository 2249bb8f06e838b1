#include <qlconfig.h>

#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_SYS_SYSCALL_H
#include <sys/syscall.h>
#endif

#include "fdpass.h"

extern char **environ;

int ex_std_fds(void)
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

/*
 * glibc refuses sigaction() on the signals it keeps for itself (32 and 33
 * on Linux), yet a caller may have left them ignored, and an ignored signal
 * survives exec.  Reset those through the system call itself.
 */
static void signal_default_raw(int sig)
{
#if defined(SYS_rt_sigaction)
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		unsigned long mask[2];
	} ksa;

	memset(&ksa, 0, sizeof(ksa));   /* SIG_DFL is 0 */
	syscall(SYS_rt_sigaction, sig, &ksa, NULL, (size_t)(NSIG / 8));
#else
	(void)sig;
#endif
}

static void signals_reset(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, &sa, NULL) < 0 && errno == EINVAL &&
		    sig != SIGKILL && sig != SIGSTOP)
			signal_default_raw(sig);
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
	r = fdp_place(&l->fds);
	if (r < 0) {
		struct rlimit lim;
		/* placing n fds needs them twice, above 0-2 (fdpass.h) */
		unsigned long need = FDP_FIRST + 2 * (unsigned long)l->fds.n;

		if ((r == -EMFILE || r == -EINVAL || r == -EBADF) && getrlimit(RLIMIT_NOFILE, &lim) == 0 &&
		    lim.rlim_cur != RLIM_INFINITY && need > lim.rlim_cur)
			dg_error(dg, NULL, 0, NULL, NULL,
				 "cannot prepare the %zu fds for QEMU: that needs %lu open at once, more than "
				 "the limit of open files (RLIMIT_NOFILE %llu), expected a higher limit (ulimit -n)",
				 l->fds.n, need, (unsigned long long)lim.rlim_cur);
		else
			dg_error(dg, NULL, 0, NULL, NULL, "cannot prepare fds for QEMU: %s", strerror(-r));
		return 126;
	}
	signals_reset();
	execve(bin, l->argv.v, environ);
	r = errno;
	dg_error(dg, bin, 0, NULL, NULL, "cannot execute QEMU: %s", strerror(r));
	return r == ENOENT || r == ENOTDIR ? 127 : 126;
}
