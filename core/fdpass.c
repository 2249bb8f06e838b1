#include <qlconfig.h>

#include "fdpass.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_CLOSE_RANGE
#include <linux/close_range.h>
#endif

#include "fds.h"

int fdp_reserve(struct fdp_table *t, const struct fd_decl *decl, ql_open_fn *open,
		ql_undo_fn *undo, const char *arg, const struct cfg_section *sec,
		const char *key, int *number)
{
	struct fdp_slot *v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->v = v;
	v[t->n] = (struct fdp_slot){ -1, decl, open, undo, arg, sec, key, 0 };
	*number = fdp_number(t->n++);
	return 0;
}

/* Open a plugin's slot; reports a failure at its key (or section). */
static int open_plugin_slot(const struct fdp_slot *s, const char *file, struct diag *dg)
{
	const struct cfg_key *k = s->key ? cfg_key_find(s->sec, s->key) : NULL;
	char msg[256] = "";
	int fd = s->open(s->arg, msg, sizeof(msg));

	if (fd < 0)
		return dg_error(dg, cfg_origin(s->sec, k, file), k ? k->line : s->sec->line, s->sec->name,
				s->key, "%s", msg[0] ? msg : strerror(-fd));
	return fd;
}

int fdp_open(struct fdp_table *t, const char *file, struct diag *dg, struct strv *created)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct fdp_slot *s = &t->v[i];

		s->fd = s->decl ? fdt_open_one(s->decl, file, dg, created) :
			open_plugin_slot(s, file, dg);
		if (s->fd < 0) {
			s->fd = -1;
			break;
		}
	}
	if (i == t->n)
		return 0;
	fdp_undo(t);
	fdt_unlink(created);
	return -EINVAL;
}

void fdp_undo(struct fdp_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct fdp_slot *s = &t->v[i];

		if (s->fd < 0 && !s->handed)
			continue;
		if (s->undo)
			s->undo(s->arg, s->fd);
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		s->handed = 0;
	}
}

void fdp_handed(struct fdp_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct fdp_slot *s = &t->v[i];

		if (s->fd < 0)
			continue;
		close(s->fd);
		s->fd = -1;
		s->handed = 1;
	}
}

void fdp_release(struct fdp_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].fd >= 0)
			close(t->v[i].fd);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

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

int fdp_place(struct fdp_table *t)
{
	const size_t n = t->n;
	int top = fdp_number(n), r;

	/* 1: every source out of the way, above the window */
	for (size_t i = 0; i < n; i++) {
		int moved = fcntl(t->v[i].fd, F_DUPFD_CLOEXEC, top);

		if (moved < 0)
			return -errno;
		t->v[i].fd = moved;  /* the original is closed with the rest */
	}
	/* 2: everything else close-on-exec, including the originals */
	r = cloexec_from(FDP_FIRST);
	if (r < 0)
		return r;
	/* 3: into place; dup2 to a new number clears close-on-exec */
	for (size_t i = 0; i < n; i++) {
		int want = fdp_number(i);

		if (dup2(t->v[i].fd, want) < 0)
			return -errno;
		t->v[i].fd = want;
	}
	return 0;
}
