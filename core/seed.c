#include <qlconfig.h>

#include "seed.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safedir.h"

/* Templates are firmware variable stores and the like: a few MiB. */
#define SEED_MAX_BYTES (64ull << 20)

int seed_add(struct seed_list *l, const char *template_path, const char *path,
	     const struct cfg_section *sec, const char *key)
{
	struct seed *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	l->v = v;
	v[l->n++] = (struct seed){ template_path, path, sec, key };
	return 0;
}

void seed_release(struct seed_list *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

__attribute__((format(printf, 4, 5)))
static int report(const struct seed *s, const char *file, struct diag *dg,
		  const char *fmt, ...)
{
	const struct cfg_key *k = s->key ? cfg_key_find(s->sec, s->key) : NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = dg_verror(dg, cfg_origin(s->sec, k, file), k ? k->line : s->sec->line,
		      s->sec->name, s->key, fmt, ap);
	va_end(ap);
	return r;
}

/*
 * May QEMU open what path names, by name, later?  Not if another user
 * could swap it for a link meanwhile: the directories from path's up to /
 * must be safe (safedir.h); in a sticky directory others may write, only a
 * file of ours (or root's) is, as others cannot rename it there.  0, or
 * reported.
 */
static int check_place(const struct seed *s, const struct stat *st, const char *file,
		       struct diag *dg)
{
	char dir[PATH_MAX], *bad = NULL;
	unsigned uid;
	struct stat ds;
	int v, r = 0;

	if (sd_dir_of(s->path, dir, sizeof(dir)) < 0)
		return report(s, file, dg, "cannot use %s: %s", s->path, strerror(ENAMETOOLONG));
	v = sd_check_tree(dir, &bad, &uid);
	if (v < 0)
		r = report(s, file, dg, "cannot use %s: %s: %s", s->path, bad ? bad : dir, strerror(-v));
	else if (v == SD_OWNER)
		r = report(s, file, dg, "%s is in %s, which belongs to uid %u, expected the file in "
			   "directories of root or uid %u only (another user could swap it)", s->path,
			   bad, uid, (unsigned)geteuid());
	else if (v != SD_SAFE)
		r = report(s, file, dg, "%s is in %s, which %s may write, expected the file in directories "
			   "only their owner writes (another user could swap it)", s->path, bad,
			   v == SD_OTHERS_WRITABLE ? "others" : "its group");
	else if (st && st->st_uid != 0 && st->st_uid != geteuid() && stat(dir, &ds) == 0 &&
		 (ds.st_mode & (S_IWGRP | S_IWOTH)))
		r = report(s, file, dg, "%s belongs to uid %u in a directory others may write, expected "
			   "a file of yours", s->path, (unsigned)st->st_uid);
	free(bad);
	return r;
}

/* path exists: may QEMU use it?  A link could point anywhere; the
 * template itself would be written.  0, or reported. */
static int check_existing(const struct seed *s, const struct stat *st, const char *file,
			  struct diag *dg)
{
	struct stat ts;

	if (S_ISLNK(st->st_mode))
		return report(s, file, dg, "%s is a symbolic link, expected the VM's own file "
			      "(or none: it is then copied from the template)", s->path);
	if (!S_ISREG(st->st_mode))
		return report(s, file, dg, "%s is not a regular file, expected the VM's own file "
			      "(or none: it is then copied from the template)", s->path);
	if (s->template_path && stat(s->template_path, &ts) == 0 && ts.st_dev == st->st_dev &&
	    ts.st_ino == st->st_ino)
		return report(s, file, dg, "%s is the template %s itself, expected the VM's own copy",
			      s->path, s->template_path);
	return check_place(s, st, file, dg);
}

/* Copy everything from in to out; 0 or -errno. */
static int copy_all(int in, int out)
{
	char buf[65536];
	unsigned long long total = 0;
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		total += (unsigned long long)n;
		if (total > SEED_MAX_BYTES)
			return -EFBIG;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			off += w;
		}
	}
	return 0;
}

/*
 * A new file in dir with the template's bytes, not yet linked at its
 * name: O_TMPFILE where the file system has it, else a unique name
 * (*tmpname, to be linked and removed).  The fd, or -errno.
 */
static int make_copy(int in, const char *dir, const char *path, char *tmpname, size_t len)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600), r;

	tmpname[0] = '\0';
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		if ((size_t)snprintf(tmpname, len, "%s.qlaunch-XXXXXX", path) >= len)
			return -ENAMETOOLONG;
		fd = mkostemp(tmpname, O_CLOEXEC);
		if (fd < 0)
			tmpname[0] = '\0';
	}
	if (fd < 0)
		return -errno;
	r = copy_all(in, fd);
	if (r == 0 && (fchmod(fd, 0600) < 0 || fsync(fd) < 0))
		r = -errno;
	if (r < 0) {
		if (tmpname[0])
			unlink(tmpname);
		close(fd);
		return r;
	}
	return fd;
}

/* Give the copy its name, failing with -EEXIST rather than replace. */
static int link_copy(int fd, const char *tmpname, const char *path)
{
	char proc[64];
	int r = 0;

	if (tmpname[0]) {
		if (link(tmpname, path) < 0)
			r = -errno;
		unlink(tmpname);
		return r;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
}

/* One seed: 1 made, 0 already there (and usable), else reported. */
static int make_one(const struct seed *s, const char *file, struct diag *dg)
{
	char dir[PATH_MAX], tmpname[PATH_MAX];
	struct stat st;
	int in, fd, r;

	if (lstat(s->path, &st) == 0)
		return check_existing(s, &st, file, dg);
	if (errno != ENOENT)
		return report(s, file, dg, "cannot use %s: %s", s->path, strerror(errno));
	if (!s->template_path)
		return report(s, file, dg, "%s does not exist, expected the VM's own file (or a "
			      "template to copy it from)", s->path);
	if (check_place(s, NULL, file, dg) < 0)
		return -EINVAL;
	in = open(s->template_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (in < 0)
		return report(s, file, dg, "cannot read the template %s: %s", s->template_path,
			      strerror(errno));
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return report(s, file, dg, "the template %s is not a regular file, expected a file to copy",
			      s->template_path);
	}
	if (sd_dir_of(s->path, dir, sizeof(dir)) < 0) {
		close(in);
		return report(s, file, dg, "cannot create %s: %s", s->path, strerror(ENAMETOOLONG));
	}
	fd = make_copy(in, dir, s->path, tmpname, sizeof(tmpname));
	close(in);
	if (fd < 0)
		return report(s, file, dg, "cannot create %s: %s", s->path,
			      fd == -EFBIG ? "the template is larger than 64 MiB" : strerror(-fd));
	r = link_copy(fd, tmpname, s->path);
	close(fd);
	if (r == -EEXIST && lstat(s->path, &st) == 0)  /* made meanwhile: never replaced */
		return check_existing(s, &st, file, dg);
	if (r < 0)
		return report(s, file, dg, "cannot create %s: %s", s->path, strerror(-r));
	return 1;
}

int seed_make(const struct seed_list *l, const char *file, struct diag *dg,
	      struct strv *created)
{
	for (size_t i = 0; i < l->n; i++) {
		int r = make_one(&l->v[i], file, dg);

		if (r < 0)
			return -EINVAL;
		if (r == 1 && sv_push(created, l->v[i].path) < 0) {
			unlink(l->v[i].path);
			return dg_error(dg, file, 0, NULL, NULL, "out of memory");
		}
	}
	return 0;
}
