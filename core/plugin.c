#include <qlconfig.h>

#include "plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "plgindex.h"
#include "strmap.h"

int plg_search_path(const char *const *dirs, size_t ndirs, const char *env,
		    const char *deflt, struct strv *out)
{
	struct strbuf sb = STRBUF_INIT;
	int r = 0;

	for (size_t i = 0; i < ndirs && r == 0; i++)
		r = sv_push(out, dirs[i]);
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular *.so files of dir, sorted by name, as full paths. */
static int list_dir(const char *dir, int optional, struct diag *dg,
		    struct strv *files)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	size_t first = files->n;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d) {
		if (optional && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		return dg_error(dg, dir, 0, NULL, NULL, "cannot open plugin directory: %s",
				strerror(errno));
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct stat st;

		if (len <= 3 || strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		sb_reset(&path);
		r = sb_printf(&path, "%s/%s", dir, de->d_name);
		if (r < 0)
			break;
		if (stat(path.buf, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		r = sv_push(files, path.buf);
		if (r < 0)
			break;
	}
	closedir(d);
	sb_release(&path);
	qsort(files->v + first, files->n - first, sizeof(char *), cmp_str);
	return r;
}

/* "dir/name.so" -> "name" (caller frees). */
static char *stem_of(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strndup(base, strlen(base) - 3);
}

int plg_valid_type_name(const char *s)
{
	if (!s || *s < 'a' || *s > 'z')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

int plg_check_desc(const char *path, const char *stem,
		   const struct ql_plugin *d, struct diag *dg)
{
	const struct ql_section_type *t;

	if (d->magic != QL_PLUGIN_MAGIC)
		return dg_error(dg, path, 0, NULL, NULL,
				"not a qlaunch plugin: descriptor %s has magic 0x%08x, expected 0x%08x",
				QL_PLUGIN_SYMBOL, (unsigned)d->magic, QL_PLUGIN_MAGIC);
	if (d->abi_major != QL_ABI_MAJOR)
		return dg_error(dg, path, 0, NULL, NULL,
				"plugin built for ABI %u.%u, this qlaunch supports ABI %d.x (x <= %d)",
				d->abi_major, d->abi_minor, QL_ABI_MAJOR, QL_ABI_MINOR);
	if (d->abi_minor > QL_ABI_MINOR)
		return dg_error(dg, path, 0, NULL, NULL,
				"plugin needs ABI %u.%u, newer than this qlaunch's %d.%d; upgrade qlaunch",
				d->abi_major, d->abi_minor, QL_ABI_MAJOR, QL_ABI_MINOR);
	if (d->struct_size < offsetof(struct ql_plugin, emit) + sizeof(d->emit))
		return dg_error(dg, path, 0, NULL, NULL,
				"plugin descriptor is %u bytes, too small for ABI %d.0",
				(unsigned)d->struct_size, QL_ABI_MAJOR);
	if (!d->name || strcmp(d->name, stem) != 0)
		return dg_error(dg, path, 0, NULL, NULL,
				"plugin calls itself '%s', expected '%s' (its file name)",
				d->name ? d->name : "(null)", stem);
	if (!d->version || !d->description || !d->emit || !d->sections)
		return dg_error(dg, path, 0, NULL, NULL,
				"plugin descriptor lacks a version, description, sections or emit callback");
	for (t = d->sections; t->name; t++)
		if (!plg_valid_type_name(t->name) || !t->flags ||
		    (t->flags & ~(unsigned)(QL_SECTION_SINGLE | QL_SECTION_MULTI)))
			return dg_error(dg, path, 0, NULL, NULL,
					"plugin declares an invalid section type '%s'", t->name);
	if (t == d->sections)
		return dg_error(dg, path, 0, NULL, NULL, "plugin declares no section type");
	return 0;
}

/* Say why a library has no QL_PLUGIN_SYMBOL. */
static int no_symbol(const char *path, void *h, struct diag *dg)
{
	char sym[32];

	for (int major = 0; major < 10; major++) {
		if (major == QL_ABI_MAJOR)
			continue;
		snprintf(sym, sizeof(sym), "ql_plugin_v%d", major);
		if (dlsym(h, sym))
			return dg_error(dg, path, 0, NULL, NULL,
					"plugin built for ABI %d (it exports %s), this qlaunch supports ABI %d (%s)",
					major, sym, QL_ABI_MAJOR, QL_PLUGIN_SYMBOL);
	}
	return dg_error(dg, path, 0, NULL, NULL,
			"not a qlaunch plugin: it does not export %s", QL_PLUGIN_SYMBOL);
}

int plg_file_is_safe(const struct stat *st)
{
	return !(st->st_mode & S_IWOTH) && (st->st_uid == 0 || st->st_uid == geteuid());
}

/* Who may change the code we are about to run?  Fills *st. */
static int check_owner(const char *path, int allow_unsafe, struct diag *dg,
		       struct stat *stp)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return dg_error(dg, path, 0, NULL, NULL, "cannot stat plugin: %s", strerror(errno));
	if (stp)
		*stp = st;
	if (allow_unsafe || plg_file_is_safe(&st))
		return 0;
	if (st.st_mode & S_IWOTH)
		return dg_error(dg, path, 0, NULL, NULL,
				"refused: the plugin file is world-writable, expected it writable by its owner only "
				"(or --allow-unsafe-plugins)");
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return dg_error(dg, path, 0, NULL, NULL,
				"refused: the plugin file belongs to uid %u, expected root or uid %u "
				"(or --allow-unsafe-plugins)", (unsigned)st.st_uid, (unsigned)geteuid());
	return 0;
}

static int load_one(const char *path, const char *stem, int allow_unsafe,
		    struct diag *dg, struct plg *out)
{
	const struct ql_plugin *d;
	struct stat st;
	void *h;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = check_owner(path, allow_unsafe, dg, &st)) < 0)
		return r;
	pix_id_of(&st, &out->id);
	dlerror();
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();

		return dg_error(dg, path, 0, NULL, NULL, "cannot load plugin: %s",
				why ? why : "unknown dlopen error");
	}
	d = dlsym(h, QL_PLUGIN_SYMBOL);
	if (!d) {
		r = no_symbol(path, h, dg);
		goto fail;
	}
	/* Read the fixed header first; only a descriptor of our major tells
	 * how much more there is.  Fields newer than the plugin stay zero. */
	memset(&out->desc, 0, sizeof(out->desc));
	memcpy(&out->desc, d, offsetof(struct ql_plugin, name));
	if (out->desc.magic == QL_PLUGIN_MAGIC && out->desc.abi_major == QL_ABI_MAJOR)
		memcpy(&out->desc, d, out->desc.struct_size < sizeof(*d) ?
		       out->desc.struct_size : sizeof(*d));
	r = plg_check_desc(path, stem, &out->desc, dg);
	if (r < 0)
		goto fail;
	out->path = strdup(path);
	if (!out->path) {
		r = -ENOMEM;
		goto fail;
	}
	out->handle = h;
	return 0;
fail:
	dlclose(h);
	return r;
}

/* Describe the plugin at path from its index entry e, without loading it;
 * takes e's types. */
static int make_stub(const char *path, const char *stem, struct pix_entry *e,
		     struct plg *out)
{
	memset(out, 0, sizeof(*out));
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
	if (p->handle)
		dlclose(p->handle);
	free(p->stub_name);
	pix_free_types(p->stub_types);
}

/* Does the loaded plugin declare exactly the types its index entry gave? */
static int same_types(const struct ql_section_type *a, const struct ql_section_type *b)
{
	for (; a->name && b->name; a++, b++)
		if (strcmp(a->name, b->name) != 0 || a->flags != b->flags)
			return 0;
	return !a->name && !b->name;
}

int plg_load_used(struct plg_set *set, const struct cfg *cfg, struct diag *dg)
{
	struct strmap used = STRMAP_INIT;
	unsigned dummy;
	int r = 0, failed = 0;

	for (size_t i = 0; i < cfg->nsections && r >= 0; i++)
		r = sm_insert(&used, cfg->sections[i].type, 0, NULL);
	for (size_t i = 0; i < set->n && r >= 0; i++) {
		struct plg *p = &set->v[i], fresh;
		const struct ql_section_type *t;
		const char *base;

		if (p->handle)
			continue;
		for (t = p->stub_types; t->name && !sm_get(&used, t->name, &dummy); t++)
			;
		if (!t->name)
			continue;       /* the config does not use it */
		r = load_one(p->path, p->stub_name, set->allow_unsafe, dg, &fresh);
		if (r == -ENOMEM)
			break;
		if (r == 0 && !same_types(fresh.desc.sections, p->stub_types)) {
			base = strrchr(p->path, '/');
			r = dg_error(dg, p->path, 0, NULL, NULL,
				     "the plugin declares other section types than %.*s/%s says, expected "
				     "that index to be up to date (run 'qlaunch index %.*s')",
				     (int)(base - p->path), p->path, PIX_FILE,
				     (int)(base - p->path), p->path);
			plg_release(&fresh);
		}
		if (r < 0) {
			failed = 1;
			r = 0;
			continue;
		}
		plg_release(p);
		*p = fresh;
	}
	sm_release(&used);
	return r == -ENOMEM ? r : failed ? -EINVAL : 0;
}

/* Every section type has one owner: the core (reserved) or one plugin. */
static int check_owners(const struct plg_set *set, const char *const *reserved,
			struct diag *dg)
{
	struct strmap owner = STRMAP_INIT;
	unsigned prev;
	int r = 0;

	for (; reserved && *reserved && r >= 0; reserved++)
		r = sm_insert(&owner, *reserved, UINT32_MAX, NULL);
	for (size_t i = 0; i < set->n && r != -ENOMEM; i++) {
		const struct plg *p = &set->v[i];

		for (const struct ql_section_type *t = p->desc.sections; t->name; t++) {
			r = sm_insert(&owner, t->name, (unsigned)i, &prev);
			if (r == -ENOMEM)
				break;
			if (r == 0 && prev == UINT32_MAX)
				dg_error(dg, p->path, 0, NULL, NULL,
					 "section type [%s] belongs to the qlaunch core, expected another name",
					 t->name);
			else if (r == 0)
				dg_error(dg, p->path, 0, NULL, NULL,
					 "section type [%s] is also claimed by %s, expected one owner per section type",
					 t->name, set->v[prev].path);
		}
	}
	sm_release(&owner);
	return r == -ENOMEM ? r : dg_failed(dg) ? -EINVAL : 0;
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

/* Report the names filter->enable asks for that no directory has. */
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
		 const char *const *reserved, struct diag *dg,
		 struct plg_set **out)
{
	struct strv files = STRV_INIT;
	struct strmap seen = STRMAP_INIT;
	struct strv stems = STRV_INIT;
	struct plg_set *set;
	struct pix *index = NULL;       /* per directory, when lazy */
	size_t *dir_end = NULL;         /* files of path->v[d] end at dir_end[d] */
	int lazy = filter && filter->lazy, allow_unsafe = filter && filter->allow_unsafe;
	unsigned first;
	int r = 0, failed = 0;

	*out = NULL;
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
		int optional = dir[0] == '?';

		r = list_dir(dir + optional, optional, dg, &files);
		if (r == -EINVAL) {
			failed = 1;
			r = 0;
		}
		dir_end[i] = files.n;
		if (r == 0 && lazy && dir_end[i] > (i ? dir_end[i - 1] : 0))
			r = pix_read(dir + optional, allow_unsafe, &index[i]);
	}
	if (r < 0)
		goto out;
	set->v = calloc(files.n ? files.n : 1, sizeof(*set->v));
	if (!set->v) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < files.n; i++) {
		char *stem = stem_of(files.v[i]);

		if (!stem || sv_take(&stems, stem) < 0) {
			r = -ENOMEM;
			goto out;
		}
		r = sm_insert(&seen, stem, (unsigned)i, &first);
		if (r < 0)
			goto out;
		if (r == 0)             /* masked by an earlier directory */
			r = skip(set, files.v[i], "masked by", files.v[first]);
		else if (filter && str_in_list(stem, filter->disable))
			r = skip(set, files.v[i], "disabled by the plugin set", NULL);
		else if (filter && filter->enable && !str_in_list(stem, filter->enable))
			r = skip(set, files.v[i], "not enabled by the plugin set", NULL);
		else
			r = 1;
		if (r < 0)
			goto out;
		if (r == 0)
			continue;
		if (lazy) {
			size_t d = 0;
			struct pix_entry *e;
			struct stat st;

			while (i >= dir_end[d])
				d++;
			if (index[d].n) {
				r = check_owner(files.v[i], allow_unsafe, dg, &st);
				if (r < 0) {
					failed = 1;
					continue;
				}
				e = pix_match(&index[d], strrchr(files.v[i], '/') + 1, &st);
				if (e) {
					r = make_stub(files.v[i], stem, e, &set->v[set->n]);
					if (r < 0)
						goto out;
					set->n++;
					continue;
				}
			}
		}
		r = load_one(files.v[i], stem, allow_unsafe, dg, &set->v[set->n]);
		if (r == -ENOMEM)
			goto out;
		if (r < 0)
			failed = 1;
		else
			set->n++;
	}
	qsort(set->v, set->n, sizeof(*set->v), cmp_plg);
	missing_enabled(filter, &seen, dg);
	if (dg_failed(dg))
		failed = 1;
	r = check_owners(set, reserved, dg);
	if (r == 0 && failed)
		r = -EINVAL;
out:
	for (size_t i = 0; index && i < path->n; i++)
		pix_release(&index[i]);
	free(index);
	free(dir_end);
	sm_release(&seen);
	sv_release(&stems);
	sv_release(&files);
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
