#include <qlconfig.h>

#include "plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "desc.h"
#include "plgindex.h"
#include "safedir.h"
#include "strmap.h"

int plg_search_path(const char *const *dirs, size_t ndirs, const char *env,
		    const char *deflt, struct strv *out)
{
	struct strbuf sb = STRBUF_INIT;
	int r = 0;

	/* tagged, so that a directory whose name starts with '?' is not
	 * taken for an optional one */
	for (size_t i = 0; i < ndirs && r == 0; i++) {
		sb_reset(&sb);
		r = sb_printf(&sb, "=%s", dirs[i]);
		if (r == 0)
			r = sv_push(out, sb.buf);
	}
	while (env && *env && r == 0) {
		size_t n = strcspn(env, ":");

		if (n) {
			sb_reset(&sb);
			r = sb_addc(&sb, '?');
			if (r == 0)
				r = sb_add(&sb, env, n);
			if (r == 0)
				r = sv_push(out, sb.buf);
		}
		env += n + (env[n] == ':');
	}
	if (r == 0 && deflt) {
		sb_reset(&sb);
		r = sb_printf(&sb, "?%s", deflt);
		if (r == 0)
			r = sv_push(out, sb.buf);
	}
	sb_release(&sb);
	return r;
}

/* A *.so file found on the search path, with its status. */
struct found {
	char *path;
	struct stat st;
};

struct found_list {
	struct found *v;
	size_t n;
};

static int cmp_found(const void *a, const void *b)
{
	return strcmp(((const struct found *)a)->path, ((const struct found *)b)->path);
}

/* Record dir/name if it is a regular *.so file (a symbolic link is not
 * followed): one stat per file, whose result the index uses later.  dfd
 * is dir, open. */
static int consider(int dfd, const char *dir, const char *name, struct found_list *files)
{
	size_t len = strlen(name);
	struct found *v;
	struct stat st;
	char *path;

	if (len <= 3 || strcmp(name + len - 3, ".so") != 0)
		return 0;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
		free(path);
		return 0;
	}
	v = realloc(files->v, (files->n + 1) * sizeof(*v));
	if (!v) {
		free(path);
		return -ENOMEM;
	}
	files->v = v;
	v[files->n++] = (struct found){ path, st };
	return 0;
}

#ifdef HAVE_GETDENTS64
/* glibc's opendir allocates a 32 KiB buffer for a directory of a dozen
 * files; getdents64 into a small one on the stack does the same walk. */
static int walk_dir(int fd, const char *dir, struct found_list *files)
{
	char buf[4096];
	ssize_t n;
	int r = 0;

	while (r == 0 && (n = getdents64(fd, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < n && r == 0;) {
			const struct dirent64 *de = (const void *)(buf + off);

			r = consider(fd, dir, de->d_name, files);
			off += de->d_reclen;
		}
	return r;
}
#else
static int walk_dir(int fd, const char *dir, struct found_list *files)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int r = 0;

	if (!d)
		return -errno;
	while (r == 0 && (de = readdir(d)))
		r = consider(fd, dir, de->d_name, files);
	closedir(d);        /* closes fd: the caller must not */
	return r;
}
#endif

/*
 * May qlaunch trust what is in dir?  Anyone who can write dir, or a
 * directory above it, can put a plugin there or swap one, and qlaunch runs
 * plugins with its own rights: see safedir.h.
 */
static int check_tree(const char *dir, struct diag *dg)
{
	char *bad = NULL;
	unsigned uid;
	int v = sd_check_tree(dir, &bad, &uid), r = 0;
	const char *here = bad ? bad : dir;

	if (v < 0 && (!bad || strcmp(bad, dir) == 0))
		r = dg_error(dg, dir, 0, NULL, NULL, "cannot resolve plugin directory: %s", strerror(-v));
	else if (v < 0)
		r = dg_error(dg, dir, 0, NULL, NULL, "cannot stat %s: %s", here, strerror(-v));
	else if (v == SD_OWNER)
		r = dg_error(dg, dir, 0, NULL, NULL,
			     "refused: %s belongs to uid %u, expected plugin directories and those above "
			     "them to belong to root or uid %u (or --allow-unsafe-plugins)",
			     here, uid, (unsigned)geteuid());
	else if (v != SD_SAFE)
		r = dg_error(dg, dir, 0, NULL, NULL,
			     "refused: %s is writable by %s, expected plugin directories and those above "
			     "them writable by their owner only (or --allow-unsafe-plugins)",
			     here, v == SD_OTHERS_WRITABLE ? "others" : "its group");
	free(bad);
	return r;
}

/* The regular *.so files of dir, sorted by name, as full paths. */
static int list_dir(const char *dir, int optional, int allow_unsafe, struct diag *dg,
		    struct found_list *files)
{
	size_t first = files->n;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0) {
		if (optional && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		return dg_error(dg, dir, 0, NULL, NULL, "cannot open plugin directory: %s",
				strerror(errno));
	}
	if (!allow_unsafe && (r = check_tree(dir, dg)) < 0) {
		close(fd);
		return r;
	}
	r = walk_dir(fd, dir, files);
#ifdef HAVE_GETDENTS64
	close(fd);
#endif
	if (files->n > first)
		qsort(files->v + first, files->n - first, sizeof(*files->v), cmp_found);
	return r;
}

static void found_release(struct found_list *files)
{
	for (size_t i = 0; i < files->n; i++)
		free(files->v[i].path);
	free(files->v);
}

/* "dir/name.so" -> "name" (caller frees). */
static char *stem_of(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strndup(base, strlen(base) - 3);
}

static void *lookup(void *h, const char *sym)
{
	return dlsym(h, sym);
}

int plg_file_is_safe(const struct stat *st)
{
	return !(st->st_mode & (S_IWGRP | S_IWOTH)) && (st->st_uid == 0 || st->st_uid == geteuid());
}

/* Who may change the code we are about to run (st is the file's)? */
static int check_owner(const char *path, const struct stat *st, int allow_unsafe,
		       struct diag *dg)
{
	if (allow_unsafe || plg_file_is_safe(st))
		return 0;
	if (st->st_mode & S_IWOTH)
		return dg_error(dg, path, 0, NULL, NULL,
				"refused: the plugin file is world-writable, expected it writable by its owner only "
				"(or --allow-unsafe-plugins)");
	if (st->st_mode & S_IWGRP)
		return dg_error(dg, path, 0, NULL, NULL,
				"refused: the plugin file is group-writable, expected it writable by its owner only "
				"(or --allow-unsafe-plugins)");
	return dg_error(dg, path, 0, NULL, NULL,
			"refused: the plugin file belongs to uid %u, expected root or uid %u "
			"(or --allow-unsafe-plugins)", (unsigned)st->st_uid, (unsigned)geteuid());
}

/*
 * Open the plugin at path once and load that very file: the checks are
 * made on the open fd and dlopen gets /proc/self/fd/N, so a file swapped
 * in between is never run.  The fd stays open while the plugin is loaded
 * (glibc knows a loaded object by the name it was opened with).
 */
static int load_one(const char *path, const char *stem, int allow_unsafe,
		    struct diag *dg, struct plg *out)
{
	char proc[64];
	const void *d;
	struct stat st;
	void *h;
	int r, fd, have_proc;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return dg_error(dg, path, 0, NULL, NULL, "cannot open plugin: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = dg_error(dg, path, 0, NULL, NULL, "cannot load plugin: not a regular file");
		goto fail_fd;
	}
	if ((r = check_owner(path, &st, allow_unsafe, dg)) < 0)
		goto fail_fd;
	pix_id_of(&st, &out->id);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	have_proc = access(proc, F_OK) == 0;
	if (!have_proc && !allow_unsafe) {
		r = dg_error(dg, path, 0, NULL, NULL,
			     "cannot load plugin: %s is missing, expected /proc mounted (qlaunch loads the "
			     "file it checked through it; or --allow-unsafe-plugins)", proc);
		goto fail_fd;
	}
	dlerror();
	h = dlopen(have_proc ? proc : path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();

		r = dg_error(dg, path, 0, NULL, NULL, "cannot load plugin: %s",
			     why ? why : "unknown dlopen error");
		goto fail_fd;
	}
	d = dlsym(h, QL_PLUGIN_SYMBOL);
	r = d ? dsc_read(path, stem, d, dg, &out->desc) : dsc_no_symbol(path, lookup, h, dg);
	if (r < 0)
		goto fail;
	out->path = strdup(path);
	if (!out->path) {
		r = -ENOMEM;
		goto fail;
	}
	out->handle = h;
	out->fd = fd;
	out->loaded = 1;
	return 0;
fail:
	dsc_release(&out->desc);
	dlclose(h);
fail_fd:
	close(fd);
	return r;
}

static int load_builtin(const struct plg_builtin *b, struct diag *dg, struct plg *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (asprintf(&out->path, "built-in %s", b->name) < 0) {
		out->path = NULL;
		return -ENOMEM;
	}
	r = dsc_read(out->path, b->name, b->desc, dg, &out->desc);
	if (r < 0) {
		free(out->path);
		out->path = NULL;
		return r;
	}
	out->builtin = out->loaded = 1;
	return 0;
}

/* Describe the plugin at path from its index entry e, without loading it;
 * takes e's types. */
static int make_stub(const char *path, const char *stem, struct pix_entry *e,
		     struct plg *out)
{
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	out->id = e->id;
	out->path = strdup(path);
	out->stub_name = strdup(stem);
	if (!out->path || !out->stub_name) {
		free(out->path);
		free(out->stub_name);
		return -ENOMEM;
	}
	out->stub_types = e->types;
	e->types = NULL;
	out->desc.magic = QL_PLUGIN_MAGIC;
	out->desc.abi_major = QL_ABI_MAJOR;
	out->desc.name = out->stub_name;
	out->desc.version = "";
	out->desc.description = "";
	out->desc.sections = out->stub_types;
	return 0;
}

static void plg_release(struct plg *p)
{
	free(p->path);
	if (p->loaded)
		dsc_release(&p->desc);
	if (p->handle)
		dlclose(p->handle);
	if (p->fd >= 0)
		close(p->fd);
	free(p->stub_name);
	pix_free_types(p->stub_types);
}

/* The flags an index records: where a type may appear. */
#define PLACEMENT (QL_SECTION_SINGLE | QL_SECTION_MULTI)

/* Does the loaded plugin declare exactly the types its index entry gave? */
static int same_types(const struct ql_section_type *a, const struct ql_section_type *b)
{
	for (; a->name && b->name; a++, b++)
		if (strcmp(a->name, b->name) != 0 ||
		    (a->flags & PLACEMENT) != (b->flags & PLACEMENT))
			return 0;
	return !a->name && !b->name;
}

/* Load the stub p stands for, in place, checking it against its index
 * entry.  0, -ENOMEM, or a reported -EINVAL. */
static int load_stub(struct plg_set *set, struct plg *p, struct diag *dg)
{
	const char *base = strrchr(p->path, '/');
	struct plg fresh;
	int r;

	r = load_one(p->path, p->stub_name, set->allow_unsafe, dg, &fresh);
	if (r < 0)
		return r;
	if (!same_types(fresh.desc.sections, p->stub_types)) {
		plg_release(&fresh);
		return dg_error(dg, p->path, 0, NULL, NULL,
				"the plugin declares other section types than %.*s/%s says, expected "
				"that index to be up to date (run 'qlaunch index %.*s')",
				(int)(base - p->path), p->path, PIX_FILE,
				(int)(base - p->path), p->path);
	}
	/* in place: the registry points at p, and the types are the same;
	 * its map keeps the names of the stub's types, so they stay */
	fresh.stub_types = p->stub_types;
	p->stub_types = NULL;
	plg_release(p);
	*p = fresh;
	return 0;
}

int plg_load_used(struct plg_set *set, const struct cfg *cfg, struct diag *dg)
{
	unsigned char *tried = calloc(set->n ? set->n : 1, 1);
	int r = 0, failed = 0;

	if (!tried)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nsections && r != -ENOMEM; i++) {
		const struct reg_entry *e = reg_find(&set->reg, cfg->sections[i].type);
		size_t n;

		if (!e || !e->plugin || e->plugin->loaded)
			continue;       /* unknown (reported later), the core's, or loaded */
		n = (size_t)(e->plugin - set->v);
		if (tried[n])
			continue;       /* failed for an earlier section: said so */
		tried[n] = 1;
		r = load_stub(set, &set->v[n], dg);
		failed |= r == -EINVAL;
	}
	free(tried);
	return r == -ENOMEM ? r : failed ? -EINVAL : 0;
}

static int cmp_plg(const void *a, const void *b)
{
	return strcmp(((const struct plg *)a)->desc.name,
		      ((const struct plg *)b)->desc.name);
}

/* Record that path was not loaded: reason, and an optional detail. */
static int skip(struct plg_set *set, const char *path, const char *reason,
		const char *detail)
{
	struct plg_skip *v = realloc(set->skipped, (set->nskipped + 1) * sizeof(*v));
	struct strbuf sb = STRBUF_INIT;

	if (!v)
		return -ENOMEM;
	set->skipped = v;
	v[set->nskipped].path = strdup(path);
	if (sb_printf(&sb, "%s%s%s", reason, detail ? " " : "", detail ? detail : "") < 0 ||
	    !v[set->nskipped].path) {
		free(v[set->nskipped].path);
		sb_release(&sb);
		return -ENOMEM;
	}
	v[set->nskipped++].reason = sb_detach(&sb);
	return 0;
}

/* May the plugin called stem load?  1 yes, 0 no (recorded), -ENOMEM. */
static int allowed(struct plg_set *set, const struct plg_filter *filter,
		   const char *stem, const char *path)
{
	if (filter && str_in_list(stem, filter->disable))
		return skip(set, path, "disabled by the plugin set", NULL);
	if (filter && filter->enable && !str_in_list(stem, filter->enable))
		return skip(set, path, "not enabled by the plugin set", NULL);
	return 1;
}

/* Count the outcome r of loading set->v[set->n]: kept if 0, a reported
 * failure noted in *failed; returns -ENOMEM (stop) or 0. */
static int added(struct plg_set *set, int r, int *failed)
{
	if (r == 0)
		set->n++;
	else if (r != -ENOMEM)
		*failed = 1;
	return r == -ENOMEM ? r : 0;
}

/* Report the names filter->enable asks for that neither a directory nor
 * the built-ins have. */
static void missing_enabled(const struct plg_filter *filter,
			    const struct strmap *seen, struct diag *dg)
{
	unsigned dummy;

	for (const char *const *e = filter ? filter->enable : NULL; e && *e; e++)
		if (!sm_get(seen, *e, &dummy))
			dg_error(dg, NULL, 0, NULL, NULL,
				 "the plugin set enables '%s', but no %s.so is on the plugin search path", *e, *e);
}

int plg_load_all(const struct strv *path, const struct plg_filter *filter,
		 const struct ql_section_type *core, struct diag *dg,
		 struct plg_set **out)
{
	const struct plg_builtin *builtins = filter ? filter->builtins : NULL;
	struct found_list files = { NULL, 0 };
	struct strmap seen = STRMAP_INIT;
	struct strv stems = STRV_INIT;
	struct plg_set *set;
	struct pix *index = NULL;       /* per directory, when lazy */
	size_t *dir_end = NULL;         /* files of path->v[d] end at dir_end[d] */
	size_t nbuiltin = 0;
	int lazy = filter && filter->lazy, allow_unsafe = filter && filter->allow_unsafe;
	unsigned first;
	int r = 0, failed = 0;

	*out = NULL;
	for (; builtins && builtins[nbuiltin].name; nbuiltin++)
		;
	set = calloc(1, sizeof(*set));
	index = calloc(path->n ? path->n : 1, sizeof(*index));
	dir_end = calloc(path->n ? path->n : 1, sizeof(*dir_end));
	if (!set || !index || !dir_end) {
		r = -ENOMEM;
		goto out;
	}
	set->allow_unsafe = allow_unsafe;
	for (size_t i = 0; i < path->n && r >= 0; i++) {
		const char *dir = path->v[i];
		int optional = dir[0] == '?', tagged = optional || dir[0] == '=';

		r = list_dir(dir + tagged, optional, allow_unsafe, dg, &files);
		if (r == -EINVAL) {
			failed = 1;
			r = 0;
		}
		dir_end[i] = files.n;
		if (r == 0 && lazy && dir_end[i] > (i ? dir_end[i - 1] : 0))
			r = pix_read(dir + tagged, allow_unsafe, &index[i]);
	}
	if (r < 0)
		goto out;
	set->v = calloc(files.n + nbuiltin + 1, sizeof(*set->v));
	if (!set->v) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < files.n; i++) {
		const struct found *f = &files.v[i];
		char *stem = stem_of(f->path);

		if (!stem || sv_take(&stems, stem) < 0) {
			r = -ENOMEM;
			goto out;
		}
		r = sm_insert(&seen, stem, (unsigned)i, &first);
		if (r < 0)
			goto out;
		if (r == 0)             /* masked by an earlier directory */
			r = skip(set, f->path, "masked by", files.v[first].path);
		else
			r = allowed(set, filter, stem, f->path);
		if (r < 0)
			goto out;
		if (r == 0)
			continue;
		if (lazy) {
			size_t d = 0;
			struct pix_entry *e;

			while (i >= dir_end[d])
				d++;
			if (index[d].n) {
				r = check_owner(f->path, &f->st, allow_unsafe, dg);
				if (r < 0) {
					failed = 1;
					continue;
				}
				e = pix_match(&index[d], strrchr(f->path, '/') + 1, &f->st);
				if (e) {
					r = make_stub(f->path, stem, e, &set->v[set->n]);
					if (r < 0)
						goto out;
					set->n++;
					continue;
				}
			}
		}
		r = added(set, load_one(f->path, stem, allow_unsafe, dg, &set->v[set->n]), &failed);
		if (r < 0)
			goto out;
	}
	for (size_t i = 0; i < nbuiltin; i++) {
		const struct plg_builtin *b = &builtins[i];
		char *where;

		if (asprintf(&where, "built-in %s", b->name) < 0 || sv_take(&stems, where) < 0) {
			r = -ENOMEM;
			goto out;
		}
		r = sm_insert(&seen, b->name, (unsigned)(files.n + i), &first);
		if (r == 0 && first < files.n)  /* a file on the path masks it */
			r = skip(set, where, "masked by", files.v[first].path);
		else if (r == 0)
			r = skip(set, where, "a second built-in plugin of this name", NULL);
		else if (r > 0)
			r = allowed(set, filter, b->name, where);
		if (r < 0)
			goto out;
		if (r == 0)
			continue;
		r = added(set, load_builtin(b, dg, &set->v[set->n]), &failed);
		if (r < 0)
			goto out;
	}
	qsort(set->v, set->n, sizeof(*set->v), cmp_plg);
	missing_enabled(filter, &seen, dg);
	if (dg_failed(dg))
		failed = 1;
	r = reg_build(&set->reg, core, set, dg);
	if (r == 0 && failed)
		r = -EINVAL;
out:
	for (size_t i = 0; index && i < path->n; i++)
		pix_release(&index[i]);
	free(index);
	free(dir_end);
	sm_release(&seen);
	sv_release(&stems);
	found_release(&files);
	if (r == -ENOMEM) {
		plg_set_free(set);
		set = NULL;
	}
	*out = set;
	return r;
}

void plg_set_free(struct plg_set *set)
{
	if (!set)
		return;
	reg_release(&set->reg);
	for (size_t i = 0; i < set->n; i++)
		plg_release(&set->v[i]);
	for (size_t i = 0; i < set->nskipped; i++) {
		free(set->skipped[i].path);
		free(set->skipped[i].reason);
	}
	free(set->skipped);
	free(set->v);
	free(set);
}
