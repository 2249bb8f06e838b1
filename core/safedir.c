#include <qlconfig.h>

#include "safedir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sd_check_tree(const char *dir, char **bad, unsigned *uid)
{
	char *real = realpath(dir, NULL), *end;
	int r = SD_SAFE;

	*bad = NULL;
	*uid = 0;
	if (!real) {
		r = -errno;
		*bad = strdup(dir);
		return r;
	}
	end = real + strlen(real);
	for (;;) {
		char save = *end;
		const char *here;
		struct stat st;

		*end = '\0';
		here = *real ? real : "/";
		memset(&st, 0, sizeof(st));
		if (stat(here, &st) < 0)
			r = -errno;
		else if (st.st_uid != 0 && st.st_uid != geteuid())
			r = SD_OWNER;
		else if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
			r = SD_OTHERS_WRITABLE;
		else if ((st.st_mode & S_IWGRP) && !(st.st_mode & S_ISVTX))
			r = SD_GROUP_WRITABLE;
		if (r != SD_SAFE) {
			*bad = strdup(here);
			*uid = (unsigned)st.st_uid;
		}
		*end = save;
		if (r != SD_SAFE || end == real)
			break;
		while (--end > real && *end != '/')
			;
	}
	free(real);
	return r;
}

/* The rule of sd_check_tree for one directory. */
static int dir_verdict(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return SD_OWNER;
	if ((st->st_mode & S_IWOTH) && !(st->st_mode & S_ISVTX))
		return SD_OTHERS_WRITABLE;
	if ((st->st_mode & S_IWGRP) && !(st->st_mode & S_ISVTX))
		return SD_GROUP_WRITABLE;
	return SD_SAFE;
}

static int trusted_uid(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* The walk's state: the directory reached, its name, and what is left. */
struct walk {
	int dirfd;
	struct stat dir;        /* of dirfd */
	char *done;             /* the names walked, for messages */
	char *todo;             /* the names to walk, '/'-separated */
};

static int fault(struct sd_fault *f, int v, const char *where, const struct stat *st)
{
	f->where = strdup(where);
	f->uid = st ? (unsigned)st->st_uid : 0;
	f->mode = st ? (unsigned)(st->st_mode & 07777) : 0;
	return v;
}

/* Start at / (again, for an absolute link). */
static int walk_root(struct walk *w, struct sd_fault *f)
{
	int v;

	if (w->dirfd >= 0)
		close(w->dirfd);
	w->dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0 || fstat(w->dirfd, &w->dir) < 0)
		return fault(f, -errno, "/", NULL);
	free(w->done);
	w->done = strdup("");
	if (!w->done)
		return -ENOMEM;
	v = dir_verdict(&w->dir);
	return v ? fault(f, v, "/", &w->dir) : 0;
}

/* Put s (len bytes) and then the rest of the names to walk in w->todo. */
static int walk_push(struct walk *w, const char *s, size_t len, const char *rest)
{
	size_t rlen = strlen(rest);
	char *t = malloc(len + 1 + rlen + 1);

	if (!t)
		return -ENOMEM;
	memcpy(t, s, len);
	t[len] = '/';
	memcpy(t + len + 1, rest, rlen + 1);
	free(w->todo);
	w->todo = t;
	return 0;
}

/* w->done + "/" + name, as a new string. */
static char *walk_name(const struct walk *w, const char *name, size_t len)
{
	size_t dlen = strlen(w->done);
	char *s = malloc(dlen + 1 + len + 1);

	if (s) {
		memcpy(s, w->done, dlen);
		s[dlen] = '/';
		memcpy(s + dlen + 1, name, len);
		s[dlen + 1 + len] = '\0';
	}
	return s;
}

int sd_open_file(const char *path, int *out, int *via_link, struct sd_fault *f)
{
	struct walk w = { .dirfd = -1 };
	char cwd[PATH_MAX], *name = NULL;
	int links = 0, r, fd = -1;

	memset(f, 0, sizeof(*f));
	*via_link = 0;
	*out = -1;
	if (*path != '/' && !getcwd(cwd, sizeof(cwd)))
		return fault(f, -errno, ".", NULL);
	r = walk_root(&w, f);
	if (r == 0)
		r = *path == '/' ? walk_push(&w, path, strlen(path), "")
				 : walk_push(&w, cwd, strlen(cwd), path);
	while (r == 0) {
		char *p = w.todo + strspn(w.todo, "/"), *rest;
		size_t len = strcspn(p, "/");
		struct stat st;
		int last, next;

		rest = p + len + strspn(p + len, "/");
		last = !*rest;
		if (!len)
			break;          /* ended with a directory: refused below */
		free(name);
		name = walk_name(&w, p, len);
		if (!name) {
			r = -ENOMEM;
			break;
		}
		p[len] = '\0';
		next = openat(w.dirfd, p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 || fstat(next, &st) < 0) {
			int e = errno;

			if (next >= 0)
				close(next);
			r = fault(f, -e, name, NULL);
			break;
		}
		/* in a sticky directory others may write, only trusted entries */
		if ((w.dir.st_mode & (S_IWOTH | S_IWGRP)) && !trusted_uid(st.st_uid)) {
			close(next);
			r = fault(f, SD_ENTRY_OWNER, name, &st);
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			/* the link checked, through its own fd */
			ssize_t n = readlinkat(next, "", target, sizeof(target));
			int e = n < 0 ? errno : n == (ssize_t)sizeof(target) ? ENAMETOOLONG : ELOOP;

			close(next);
			if (n < 0 || n == (ssize_t)sizeof(target) || ++links > 40) {
				r = fault(f, -e, name, NULL);
				break;
			}
			if (last)
				*via_link = 1;
			target[n] = '\0';
			memmove(w.todo, rest, strlen(rest) + 1);
			r = *target == '/' ? walk_root(&w, f) : 0;
			if (r == 0)
				r = walk_push(&w, target, (size_t)n, w.todo);
			continue;
		}
		if (S_ISDIR(st.st_mode) && !last) {
			int v = dir_verdict(&st);

			close(w.dirfd);
			w.dirfd = next;
			w.dir = st;
			free(w.done);
			w.done = name;
			name = NULL;
			if (v) {
				r = fault(f, v, w.done, &st);
				break;
			}
			memmove(w.todo, rest, strlen(rest) + 1);
			continue;
		}
		close(next);
		if (!last) {
			r = fault(f, -ENOTDIR, name, NULL);
			break;
		}
		if (!S_ISREG(st.st_mode))
			r = fault(f, SD_NOT_REGULAR, name, &st);
		else if (!trusted_uid(st.st_uid))
			r = fault(f, SD_FILE_OWNER, name, &st);
		else if (st.st_mode & (S_IWGRP | S_IWOTH))
			r = fault(f, SD_FILE_WRITABLE, name, &st);
		if (r)
			break;
		fd = openat(w.dirfd, p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd < 0) {
			r = fault(f, -errno, name, NULL);
			break;
		}
		{
			struct stat again;

			if (fstat(fd, &again) < 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino) {
				close(fd);
				fd = -1;
				r = fault(f, -EAGAIN, name, NULL);
			}
		}
		break;
	}
	if (r == 0 && fd < 0)
		r = fault(f, -EISDIR, w.done && *w.done ? w.done : "/", NULL);
	if (w.dirfd >= 0)
		close(w.dirfd);
	free(w.done);
	free(w.todo);
	free(name);
	if (r == 0)
		*out = fd;
	return r;
}

int sd_dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;

	if (slash == path)
		n = 1;
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, slash ? path : ".", n);
	buf[n] = '\0';
	return 0;
}
