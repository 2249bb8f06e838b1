#include <qlconfig.h>

#include "fds.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdpass.h"
#include "host.h"
#include "safedir.h"
#include "value.h"

const struct ql_key fd_keys[] = {
	{ .name = "inherit", .kind = QL_KEY_STRING },
	{ .name = "path", .kind = QL_KEY_STRING },
	{ .name = "mode", .kind = QL_KEY_STRING },
	{ .name = "fdset", .kind = QL_KEY_STRING },
	{ .name = NULL },
};

static const char *const modes[] = { "r", "w", "rw", "append", NULL };
static const int mode_flags[] = {
	O_RDONLY,
	O_WRONLY | O_CREAT | O_TRUNC,
	O_RDWR | O_CREAT,
	O_WRONLY | O_CREAT | O_APPEND,
};

static int fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static struct fd_decl *find(const struct fd_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcasecmp(t->v[i].sec->id, name) == 0)   /* as sections compare */
			return &t->v[i];
	return NULL;
}

/* Read one [fd.NAME] section into d; reports and returns -EINVAL. */
static int read_decl(const struct cfg *cfg, const struct cfg_section *sec,
		     struct diag *dg, struct fd_decl *d)
{
	const struct cfg_key *inherit = cfg_key_find(sec, "inherit");
	const struct cfg_key *path = cfg_key_find(sec, "path");
	const struct cfg_key *mode = cfg_key_find(sec, "mode");
	const struct cfg_key *fdset = cfg_key_find(sec, "fdset");
	uint64_t v;
	int r = 0;

	d->sec = sec;
	d->inherit = -1;
	d->fdset = -1;
	d->has_source = inherit || path;
	if (inherit && path)
		r = dg_error(dg, cfg_origin(sec, path, cfg->path), path->line, sec->name, "path",
			     "an fd comes from inherit or path, expected one of them");
	if (inherit) {
		if (val_uint(inherit->value, &v) < 0 || v > INT_MAX)
			r = dg_error(dg, cfg_origin(sec, inherit, cfg->path), inherit->line, sec->name, "inherit",
				     "invalid fd '%s', expected a whole number from 3 up", inherit->value);
		else if (v < 3)
			r = dg_error(dg, cfg_origin(sec, inherit, cfg->path), inherit->line, sec->name, "inherit",
				     "fd %llu is stdin, stdout or stderr, expected an fd from 3 up",
				     (unsigned long long)v);
		else
			d->inherit = (int)v;
	}
	if (path) {
		if (!*path->value)
			r = dg_error(dg, cfg_origin(sec, path, cfg->path), path->line, sec->name, "path",
				     "empty path, expected a file name");
		d->path = path->value;
		if (!mode)
			r = dg_error(dg, cfg_origin(sec, path, cfg->path), path->line, sec->name, "path",
				     "a file needs mode, expected mode = r, w, rw or append too");
	}
	if (mode) {
		size_t i;

		for (i = 0; modes[i] && strcmp(modes[i], mode->value) != 0; i++)
			;
		if (!modes[i])
			r = dg_error(dg, cfg_origin(sec, mode, cfg->path), mode->line, sec->name, "mode",
				     "invalid mode '%s', expected r, w, rw or append", mode->value);
		else if (!path)
			r = dg_error(dg, cfg_origin(sec, mode, cfg->path), mode->line, sec->name, "mode",
				     "mode applies to path only, expected path too");
		else
			d->oflags = mode_flags[i];
	}
	if (fdset) {
		if (val_uint(fdset->value, &v) < 0 || v > INT_MAX)
			r = dg_error(dg, cfg_origin(sec, fdset, cfg->path), fdset->line, sec->name, "fdset",
				     "invalid fd set '%s', expected a whole number from 0 to %d",
				     fdset->value, INT_MAX);
		else
			d->fdset = (long)v;
	}
	return r;
}

/* Apply "NAME=N" bindings from the command line. */
static int bind_cli(const struct cfg *cfg, const struct strv *bindings,
		    struct diag *dg, struct fd_table *t)
{
	int r = 0;

	for (size_t i = 0; bindings && i < bindings->n; i++) {
		const char *b = bindings->v[i], *eq = strchr(b, '=');
		struct fd_decl *d = NULL;
		size_t len = eq ? (size_t)(eq - b) : 0, j;
		char *name;
		uint64_t v;

		if (!eq || eq == b || val_uint(eq + 1, &v) < 0 || v > INT_MAX) {
			r = dg_error(dg, NULL, 0, NULL, NULL,
				     "--fd %s: expected NAME=N with N an fd number", b);
			continue;
		}
		for (j = 0; j < i; j++)
			if (strncmp(bindings->v[j], b, len + 1) == 0)
				break;
		if (j < i) {
			r = dg_error(dg, NULL, 0, NULL, NULL,
				     "--fd %s: %.*s is bound already (--fd %s), expected one --fd per name",
				     b, (int)len, b, bindings->v[j]);
			continue;
		}
		name = strndup(b, len);
		if (!name)
			return -ENOMEM;
		d = find(t, name);
		if (!d) {
			r = dg_error(dg, NULL, 0, NULL, NULL,
				     "--fd %s: %s has no [fd.%s] section, expected one to bind", b,
				     cfg->path, name);
		} else if (d->path) {
			r = dg_error(dg, NULL, 0, NULL, NULL,
				     "--fd %s: [fd.%s] opens a path, expected a section without path to bind", b, name);
		} else if (v < 3) {
			r = dg_error(dg, NULL, 0, NULL, NULL,
				     "--fd %s: fd %llu is stdin, stdout or stderr, expected an fd from 3 up", b,
				     (unsigned long long)v);
		} else {
			d->inherit = (int)v;   /* the command line wins */
		}
		free(name);
	}
	return r;
}

int fdt_build(const struct cfg *cfg, const struct strv *bindings,
	      struct fdp_table *fdp, struct diag *dg, struct fd_table *out)
{
	size_t n = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < cfg->nsections; i++)
		n += strcmp(cfg->sections[i].type, FD_SECTION) == 0 && cfg->sections[i].id;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		struct fd_decl *d;

		if (strcmp(sec->type, FD_SECTION) != 0 || !sec->id)
			continue;
		d = &out->v[out->n++];
		if (read_decl(cfg, sec, dg, d) < 0)
			r = -EINVAL;
		if (fdp_reserve(fdp, d, NULL, NULL, NULL, sec, NULL, &d->target) < 0)
			return -ENOMEM;
	}
	if (bind_cli(cfg, bindings, dg, out) < 0)
		r = -EINVAL;
	for (size_t i = 0; i < out->n; i++) {
		const struct fd_decl *d = &out->v[i];

		if (!d->has_source && d->inherit < 0)
			r = dg_error(dg, cfg_origin(d->sec, NULL, cfg->path), d->sec->line, d->sec->name, NULL,
				     "no fd, expected inherit = N, path = FILE, or --fd %s=N", d->sec->id);
		else if (d->inherit >= 0 && !fd_is_open(d->inherit))
			r = dg_error(dg, cfg_origin(d->sec, NULL, cfg->path), d->sec->line, d->sec->name, NULL,
				     "fd %d is not open, expected qlaunch to be started with it", d->inherit);
	}
	return r;
}

/* Expand the references in one value; *out is NULL if there are none. */
static int expand_value(const struct cfg *cfg, const struct cfg_section *sec,
			const struct cfg_key *k, const struct fd_table *t,
			struct diag *dg, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = k->value, *ref;
	int r = 0, any = 0;

	*out = NULL;
	while ((ref = strstr(p, "${")) && r == 0) {
		const char *end = strchr(ref, '}'), *colon;
		const struct fd_decl *d;
		char kind[8], name[128];
		size_t nlen;

		any = 1;
		if (ref > p && ref[-1] == '$') {     /* "$${" is a literal "${" */
			r = sb_add(&sb, p, (size_t)(ref - p) - 1);
			if (r == 0)
				r = sb_adds(&sb, "${");
			p = ref + 2;
			continue;
		}
		r = sb_add(&sb, p, (size_t)(ref - p));
		if (r < 0)
			break;
		colon = end ? memchr(ref, ':', (size_t)(end - ref)) : NULL;
		nlen = colon ? (size_t)(end - colon - 1) : 0;
		if (!end || !colon || (size_t)(colon - ref - 2) >= sizeof(kind) ||
		    nlen == 0 || nlen >= sizeof(name)) {
			r = dg_error(dg, cfg_origin(sec, k, cfg->path), k->line, sec->name, k->name,
				     "malformed reference in '%s', expected ${fd:NAME} or ${fdset:NAME} (write $${ for a literal ${)",
				     k->value);
			break;
		}
		memcpy(kind, ref + 2, (size_t)(colon - ref - 2));
		kind[colon - ref - 2] = '\0';
		memcpy(name, colon + 1, nlen);
		name[nlen] = '\0';
		if (strcmp(kind, "fd") != 0 && strcmp(kind, "fdset") != 0) {
			r = dg_error(dg, cfg_origin(sec, k, cfg->path), k->line, sec->name, k->name,
				     "unknown reference ${%s:%s}, expected ${fd:NAME} or ${fdset:NAME}", kind, name);
			break;
		}
		d = find(t, name);
		if (!d) {
			r = dg_error(dg, cfg_origin(sec, k, cfg->path), k->line, sec->name, k->name,
				     "${%s:%s} names no fd, expected the NAME of an [fd.NAME] section", kind, name);
			break;
		}
		if (kind[2] == 's' && d->fdset < 0) {
			r = dg_error(dg, cfg_origin(sec, k, cfg->path), k->line, sec->name, k->name,
				     "${fdset:%s}: [fd.%s] has no fdset, expected fdset = S in it", name, name);
			break;
		}
		r = kind[2] == 's' ? sb_printf(&sb, "/dev/fdset/%ld", d->fdset)
				   : sb_printf(&sb, "%d", d->target);
		p = end + 1;
	}
	if (r == 0 && any) {
		r = sb_adds(&sb, p);
		if (r == 0)
			*out = sb_detach(&sb);
	}
	sb_release(&sb);
	return r;
}

int fdt_expand(struct cfg *cfg, const struct fd_table *t, struct diag *dg)
{
	int r = 0;

	for (size_t i = 0; i < cfg->nsections; i++) {
		struct cfg_section *sec = &cfg->sections[i];

		if (strcmp(sec->type, FD_SECTION) == 0)
			continue;
		for (size_t j = 0; j < sec->nkeys; j++) {
			char *v = NULL;
			int e = expand_value(cfg, sec, &sec->keys[j], t, dg, &v);

			if (e == -ENOMEM)
				return e;
			if (e < 0)
				r = e;
			if (v && cfg_key_set_value(cfg, &sec->keys[j], v) < 0)
				e = -ENOMEM;
			free(v);
			if (e == -ENOMEM)
				return e;
		}
	}
	return r;
}

/*
 * Is the file open at fd, from path, one that another user may have put
 * there for us?  That is a file of someone other than root and us in a
 * directory others may write (fs.protected_regular's rule, which this
 * machine's kernel need not apply).  Reports it; 0 if all is well.
 */
static int planted(int fd, const struct fd_decl *d, const char *file, struct diag *dg)
{
	const char *slash = strrchr(d->path, '/');
	char *dir = slash == d->path ? strdup("/") :
		    slash ? strndup(d->path, (size_t)(slash - d->path)) : strdup(".");
	struct stat st, dst;
	int r = 0;

	if (!dir)
		return -ENOMEM;
	if (fstat(fd, &st) == 0 && st.st_uid != 0 && st.st_uid != geteuid() &&
	    stat(dir, &dst) == 0 && (dst.st_mode & (S_IWGRP | S_IWOTH)))
		r = dg_error(dg, file, d->sec->line, d->sec->name, "path",
			     "refused: %s belongs to uid %u and %s may be written by others, expected a file "
			     "of root or uid %u there (anyone could have put it there)",
			     d->path, (unsigned)st.st_uid, dir, (unsigned)geteuid());
	free(dir);
	return r;
}

/* Open d's path: never through a symbolic link, and truncated (mode w)
 * only once it is known to be a file that may be used.  *created tells
 * whether this call made the file.  -1 (errno set) or -EINVAL (reported),
 * else the fd. */
static int open_path(const struct fd_decl *d, const char *file, struct diag *dg, int *created)
{
	/* non-blocking: a fifo with no reader must not hang us */
	const int base = (d->oflags & ~(O_TRUNC | O_CREAT)) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
			 O_NOFOLLOW;
	int fd = -1;

	*created = 0;
	for (int tries = 0; fd < 0 && tries < 4; tries++) {
		fd = open(d->path, base);
		if (fd >= 0 || errno != ENOENT || !(d->oflags & O_CREAT))
			break;
		/* missing: create it, and know that this run did */
		fd = open(d->path, base | O_CREAT | O_EXCL, 0666);
		*created = fd >= 0;
		if (fd < 0 && errno != EEXIST)
			break;
	}

	if (fd < 0 && errno == ELOOP)
		return dg_error(dg, file, d->sec->line, d->sec->name, "path",
				"%s is a symbolic link, expected a file (qlaunch does not follow links for "
				"the files it opens for QEMU)", d->path);
	if (fd < 0)
		return -1;
	if (planted(fd, d, file, dg) < 0 ||
	    ((d->oflags & O_TRUNC) && ftruncate(fd, 0) < 0 && errno != EINVAL) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		if (*created)
			unlink(d->path);
		*created = 0;
		errno = e;
		return dg_failed(dg) ? -EINVAL : -1;
	}
	return fd;
}

int fdt_check_paths(const struct cfg *cfg, const struct fd_table *t, struct diag *dg)
{
	int r = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct fd_decl *d = &t->v[i];
		const struct cfg_key *k = cfg_key_find(d->sec, "path");
		const char *file = cfg_origin(d->sec, k, cfg->path);
		char dir[PATH_MAX] = "";
		struct stat st;

		if (!d->path || !k || !*d->path)
			continue;
		if (!(d->oflags & O_CREAT)) {
			if (stat(d->path, &st) < 0)
				r = dg_error(dg, file, k->line, d->sec->name, "path", errno == ENOENT ?
					     "%s does not exist, expected an existing file for mode = r" :
					     "cannot use %s, expected a file qlaunch can open for mode = r", d->path);
			continue;
		}
		if (sd_dir_of(d->path, dir, sizeof(dir)) < 0 || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			r = dg_error(dg, file, k->line, d->sec->name, "path",
				     "the directory %s of %s does not exist, expected one to create the file in",
				     dir, d->path);
	}
	return r;
}

void fdt_unlink(struct strv *created)
{
	for (size_t i = 0; i < created->n; i++)
		unlink(created->v[i]);
	sv_release(created);
}

int fdt_open_one(const struct fd_decl *d, const char *file, struct diag *dg,
		 struct strv *created)
{
	int made = 0, fd;

	if (d->path)
		fd = open_path(d, file, dg, &made);
	else
		fd = fcntl(d->inherit, F_DUPFD_CLOEXEC, FDP_FIRST);
	if (fd == -EINVAL)
		return fd;              /* reported */
	if (made && sv_push(created, d->path) < 0) {
		unlink(d->path);
		close(fd);
		fd = -1;
		errno = ENOMEM;
	}
	if (fd >= 0)
		return fd;
	if (d->path)
		return dg_error(dg, file, d->sec->line, d->sec->name, "path",
				"cannot open %s: %s", d->path, strerror(errno));
	return dg_error(dg, file, d->sec->line, d->sec->name, "inherit",
			"cannot use fd %d: %s", d->inherit, strerror(errno));
}

int fd_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const struct fd_table *t = ctx->st->fdt;
	const struct fd_decl *d = t ? find(t, ctx->sec->id) : NULL;
	char num[16], set[24];
	int r;

	if (!d || d->fdset < 0)
		return 0;
	snprintf(num, sizeof(num), "%d", d->target);
	snprintf(set, sizeof(set), "%ld", d->fdset);
	if ((r = api->opt_begin(ctx, "-add-fd")) < 0 ||
	    (r = api->opt_pair(ctx, "fd", num)) < 0 ||
	    (r = api->opt_pair(ctx, "set", set)) < 0 ||
	    (r = api->opt_pair(ctx, "opaque", d->sec->id)) < 0)
		return r;
	return api->opt_end(ctx);
}

void fdt_release(struct fd_table *t)
{
	if (!t)
		return;
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
