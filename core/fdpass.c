#include <qlconfig.h>

#include "fdpass.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef HAVE_CLOSE_RANGE
#include <linux/close_range.h>
#endif

/* Mark every fd >= from close-on-exec. */
static int cloexec_from(int from)
{
	DIR *d;
	struct dirent *de;
	int dfd;

#if defined(HAVE_CLOSE_RANGE) && defined(CLOSE_RANGE_CLOEXEC)
	if (close_range((unsigned)from, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
#endif
	d = opendir("/proc/self/fd");
	if (!d)
		return -errno;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || fd < from || fd == dfd)
			continue;
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	}
	closedir(d);
	return 0;
}

int fdp_place(int *fds, size_t n)
{
	int top = 3 + (int)n, r;

	/* 1: every source out of the way, above the window */
	for (size_t i = 0; i < n; i++) {
		int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, top);

		if (moved < 0)
			return -errno;
		fds[i] = moved;      /* the original is closed with the rest */
	}
	/* 2: everything else close-on-exec, including the originals */
	r = cloexec_from(3);
	if (r < 0)
		return r;
	/* 3: into place; dup2 to a new number clears close-on-exec */
	for (size_t i = 0; i < n; i++) {
		int want = 3 + (int)i;

		if (dup2(fds[i], want) < 0)
			return -errno;
		fds[i] = want;
	}
	return 0;
}
