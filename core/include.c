#include <qlconfig.h>

#include "include.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safedir.h"
#include "strmap.h"
#include "value.h"

/* One file on the chain of includes that led here. */
struct frame {
	dev_t dev;
	ino_t ino;
	const char *path;       /* as named (for messages) */
	char *dir;              /* relative names resolve here ("" = cwd) */
};

struct inc {
	struct diag *dg;
	struct frame stack[INC_MAX_DEPTH + 1];
	size_t depth;           /* files on the chain: the config is the first */
	size_t nfiles;          /* base files read so far */
	size_t bytes;           /* of every file read, against CFG_MAX_SIZE */
	size_t entries;         /* their sections and keys, against CFG_MAX_ENTRIES */
};

/* One file's [include] section, or sec NULL if it has none. */
struct inc_keys {
	const struct cfg_section *sec;
	const struct cfg_key *path, *remove, *unset;
};

static const char *const inc_keys[] = { "path", "remove", "unset", NULL };

/* The next blank-separated word of *p: its start and length (0 at the end). */
static const char *next_word(const char **p, size_t *len)
{
	const char *s = *p + strspn(*p, " \t");

	*len = strcspn(s, " \t");
	*p = s + *len;
	return s;
}

static char *lower_dup(struct arena *a, const char *s, size_t n)
{
	char *c = ar_strndup(a, s, n);

	for (char *q = c; q && *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return c;
}

__attribute__((format(printf, 4, 5)))
static int key_error(struct inc *in, const struct inc_keys *ik, const struct cfg_key *k,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dg_verror(in->dg, in->stack[in->depth - 1].path, k ? k->line : ik->sec->line,
		  ik->sec->name, k ? k->name : NULL, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Find own's [include] and check its keys. */
static int read_keys(struct inc *in, const struct cfg *own, struct inc_keys *ik)
{
	int r = 0;

	memset(ik, 0, sizeof(*ik));
	for (size_t i = 0; i < own->nsections; i++) {
		const struct cfg_section *s = &own->sections[i];

		if (strcmp(s->type, INC_SECTION) != 0)
			continue;
		if (s->id) {
			struct inc_keys one = { .sec = s };

			r = key_error(in, &one, NULL, "[include] takes no id, expected [include]");
		} else {
			ik->sec = s;
		}
	}
	if (r < 0 || !ik->sec)
		return r;
	for (size_t i = 0; i < ik->sec->nkeys; i++) {
		const struct cfg_key *k = &ik->sec->keys[i];
		const char *hint = val_suggest(k->name, inc_keys);
		size_t len;

		if (strcmp(k->name, "path") == 0)
			ik->path = k;
		else if (strcmp(k->name, "remove") == 0)
			ik->remove = k;
		else if (strcmp(k->name, "unset") == 0)
			ik->unset = k;
		else if (hint)
			r = key_error(in, ik, k, "unknown key (did you mean '%s'?), expected one of: "
				      "path, remove, unset", hint);
		else
			r = key_error(in, ik, k, "unknown key, expected one of: path, remove, unset");
		if (k == ik->path || k == ik->remove || k == ik->unset) {
			const char *p = k->value;

			next_word(&p, &len);
			if (!len)
				r = key_error(in, ik, k, "empty, expected %s", k == ik->path ?
					      "one or more base files, separated by blanks" :
					      "one or more names, separated by blanks");
		}
	}
	if (!ik->path && r == 0)
		r = key_error(in, ik, NULL, "missing key 'path', expected the base files to include");
	return r;
}

/* name (len bytes) resolved against dir ("" for the current directory). */
static char *join(const char *dir, const char *name, size_t len)
{
	size_t dlen = *name != '/' && *dir ? strlen(dir) + 1 : 0;
	char *s = malloc(dlen + len + 1);

	if (s) {
		if (dlen) {
			memcpy(s, dir, dlen - 1);
			s[dlen - 1] = '/';
		}
		memcpy(s + dlen, name, len);
		s[dlen + len] = '\0';
	}
	return s;
}

/* The directory of path ("" if it has none), as a new string. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup("");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/*
 * Where the relative names of a file resolve: the directory of its name,
 * or, if that name is a symbolic link (vms/enabled/db1.ini ->
 * ../available/db1.ini), the directory of the file it leads to, whose
 * neighbours its author meant.  real is the file's resolved name.
 */
static char *names_dir(const char *path, int via_link, const char *real)
{
	return dir_of(via_link && real ? real : path);
}

/* Report why sd_open_file refused shown; f->where is what it reached. */
static int refused(struct inc *in, const struct inc_keys *ik, const char *shown, int v,
		   const struct sd_fault *f)
{
	const struct cfg_key *k = ik->path;
	const char *w = f->where ? f->where : shown;

	switch (v) {
	case SD_OWNER:
		return key_error(in, ik, k, "base file %s is in %s, which belongs to uid %u, expected it in "
				 "directories of root or uid %u only (another user could swap it)",
				 shown, w, f->uid, (unsigned)geteuid());
	case SD_OTHERS_WRITABLE:
	case SD_GROUP_WRITABLE:
		return key_error(in, ik, k, "base file %s is in %s, which %s may write, expected it in "
				 "directories only their owner writes (another user could swap it)",
				 shown, w, v == SD_OTHERS_WRITABLE ? "others" : "its group");
	case SD_ENTRY_OWNER:
		return key_error(in, ik, k, "base file %s: %s belongs to uid %u in a directory others may "
				 "write, expected only root's or uid %u's names on the way",
				 shown, w, f->uid, (unsigned)geteuid());
	case SD_FILE_OWNER:
		return key_error(in, ik, k, "base file %s belongs to uid %u, expected a file of root or "
				 "uid %u", shown, f->uid, (unsigned)geteuid());
	case SD_FILE_WRITABLE:
		return key_error(in, ik, k, "base file %s may be written by %s (mode %04o), expected a "
				 "file only its owner may write", shown,
				 f->mode & S_IWOTH ? "others" : "its group", f->mode);
	case SD_NOT_REGULAR:
		return key_error(in, ik, k, "base file %s is not a regular file, expected an INI file", shown);
	case -EAGAIN:
		return key_error(in, ik, k, "base file %s changed while being opened", shown);
	default:
		if (strcmp(w, shown) != 0 && v != -ENOENT)
			return key_error(in, ik, k, "cannot open base file %s: %s: %s", shown, w, strerror(-v));
		return key_error(in, ik, k, "cannot open base file %s: %s", shown, strerror(-v));
	}
}

/* The chain from the config to the file on top, then name: "a -> b -> a". */
static int chain(const struct inc *in, const char *name, struct strbuf *sb)
{
	int r = 0;

	for (size_t i = 0; i < in->depth && r == 0; i++)
		r = sb_printf(sb, "%s -> ", in->stack[i].path);
	return r ? r : sb_adds(sb, name);
}

/* Index dst's sections ("type.id", lower case) and keys ("type.id:key"). */
static int index_cfg(const struct cfg *dst, struct arena *names, struct strmap *secs,
		     struct strmap *keys)
{
	struct strbuf full = STRBUF_INIT;
	int r = 0;

	for (size_t i = 0; i < dst->nsections && r == 0; i++) {
		const struct cfg_section *s = &dst->sections[i];
		size_t n = strlen(s->name);
		char *lc = lower_dup(names, s->name, n);

		if (!lc || sm_insert(secs, lc, (unsigned)i, NULL) < 0)
			r = -ENOMEM;
		for (size_t j = 0; j < s->nkeys && r == 0; j++) {
			char *key;

			sb_reset(&full);
			r = sb_printf(&full, "%s:%s", lc, s->keys[j].name);
			key = r == 0 ? ar_strdup(names, full.buf) : NULL;
			if (!key || sm_insert(keys, key, (unsigned)j, NULL) < 0)
				r = -ENOMEM;
		}
	}
	sb_release(&full);
	return r;
}

/*
 * Lay src over dst, key by key.  own: src is the including file itself
 * (its entries keep file NULL; its [include] is skipped); else a base,
 * whose entries are given its name.  0, -EINVAL (reported) or -ENOMEM.
 */
static int merge(struct diag *dg, struct cfg *dst, const struct cfg *src, int own)
{
	struct strmap secs = STRMAP_INIT, keys = STRMAP_INIT;
	struct arena names = ARENA_INIT;
	const char *deflt = own ? NULL : cfg_intern_file(dst, src->path);
	int r = own || deflt ? index_cfg(dst, &names, &secs, &keys) : -ENOMEM, failed = 0;

	for (size_t i = 0; i < src->nsections && r == 0; i++) {
		const struct cfg_section *s = &src->sections[i];
		const char *sfile = s->file ? cfg_intern_file(dst, s->file) : deflt;
		struct cfg_section *d = NULL;
		struct strbuf full = STRBUF_INIT;
		unsigned at;
		int existed;

		if (own && strcmp(s->type, INC_SECTION) == 0)
			continue;
		if (s->file && !sfile) {
			r = -ENOMEM;
			break;
		}
		r = sb_adds(&full, s->name);
		for (char *q = full.buf; r == 0 && *q; q++)
			*q = (char)tolower((unsigned char)*q);
		existed = r == 0 && sm_get(&secs, full.buf, &at);
		if (existed && dst->sections[at].removed) {
			/* removed from the bases, defined afresh: its place, the
			 * file's header and spelling, none of the bases' keys */
			d = &dst->sections[at];
			d->removed = 0;
			d->name = ar_strdup(&dst->strings, s->name);
			if (!d->name) {
				r = -ENOMEM;
			} else {
				d->id = s->id ? d->name + (s->id - s->name) : NULL;
				d->file = sfile;
				d->line = s->line;
			}
		} else if (existed) {
			d = &dst->sections[at];
			/* the type in any case, as in one file; the id exactly */
			if ((d->id || s->id) && (!d->id || !s->id || strcmp(d->id, s->id) != 0)) {
				dg_error(dg, cfg_where(src, s->file), s->line, s->name, NULL,
					 "is spelt [%s] in %s:%u, expected the same id (QEMU ids are "
					 "case-sensitive)", d->name, cfg_where(dst, d->file), d->line);
				failed = 1;
				sb_release(&full);
				continue;
			}
		} else if (r == 0) {
			r = cfg_copy_section(dst, s, sfile, &d);
		}
		if (r == 0)
			r = sb_addc(&full, ':');
		for (size_t j = 0; j < s->nkeys && r == 0; j++) {
			const struct cfg_key *k = &s->keys[j];
			const char *kfile = k->file ? cfg_intern_file(dst, k->file) : deflt;
			size_t base = full.len;
			unsigned ki;

			if (k->file && !kfile) {
				r = -ENOMEM;
				break;
			}
			r = sb_adds(&full, k->name);
			if (r == 0 && existed && sm_get(&keys, full.buf, &ki)) {
				struct cfg_key *dk = &d->keys[ki];

				r = cfg_key_set_value(dst, dk, k->value);
				dk->file = kfile;
				dk->line = k->line;
				dk->is_default = k->is_default;
			} else if (r == 0) {
				r = cfg_add_key(dst, d, k->name, k->value, kfile, k->line);
			}
			full.len = base;
			full.buf[base] = '\0';
		}
		sb_release(&full);
	}
	sm_release(&secs);
	sm_release(&keys);
	ar_release(&names);
	return r < 0 ? r : failed ? -EINVAL : 0;
}

/* The section of cfg named name (len bytes, any case), or -1. */
static long find_section(const struct cfg *cfg, const char *name, size_t len)
{
	for (size_t i = 0; i < cfg->nsections; i++)
		if (strlen(cfg->sections[i].name) == len &&
		    strncasecmp(cfg->sections[i].name, name, len) == 0)
			return (long)i;
	return -1;
}

/* [include] unset, then remove, on the merged bases m; own is the file
 * that asks. */
static int drop(struct inc *in, const struct inc_keys *ik, const struct cfg *own, struct cfg *m)
{
	const char *p, *w;
	size_t len;
	int r = 0;

	for (p = ik->unset ? ik->unset->value : ""; (w = next_word(&p, &len)), len;) {
		const char *colon = memchr(w, ':', len);
		struct cfg_section *s;
		long si, oi;
		size_t ki;

		if (!colon || colon == w || colon == w + len - 1 || memchr(colon + 1, ':', len - (size_t)(colon - w) - 1)) {
			r = key_error(in, ik, ik->unset, "'%.*s' is not SECTION:KEY, expected a section name, "
				      "':' and a key (machine:accel, device.nic0:romfile)", (int)len, w);
			continue;
		}
		si = find_section(m, w, (size_t)(colon - w));
		s = si >= 0 ? &m->sections[si] : NULL;
		for (ki = 0; s && ki < s->nkeys; ki++)
			if (strlen(s->keys[ki].name) == len - (size_t)(colon - w) - 1 &&
			    strncasecmp(s->keys[ki].name, colon + 1, len - (size_t)(colon - w) - 1) == 0)
				break;
		if (!s || ki == s->nkeys) {
			r = key_error(in, ik, ik->unset, "'%.*s' names no key of the base files, expected "
				      "SECTION:KEY of a key they set", (int)len, w);
			continue;
		}
		if (s->keys[ki].line == 0) {    /* marked below */
			r = key_error(in, ik, ik->unset, "'%.*s' is listed twice, expected each key once",
				      (int)len, w);
			continue;
		}
		oi = find_section(own, w, (size_t)(colon - w));
		if (oi >= 0 && cfg_key_find(&own->sections[oi], s->keys[ki].name)) {
			const struct cfg_key *again = cfg_key_find(&own->sections[oi], s->keys[ki].name);

			r = key_error(in, ik, ik->unset, "'%.*s' is set again at line %u of this file, expected "
				      "the key either unset or set", (int)len, w, again->line);
			continue;
		}
		s->keys[ki].line = 0;   /* to go once the list is read */
	}
	for (size_t i = 0; i < m->nsections; i++) {
		struct cfg_section *s = &m->sections[i];
		size_t j = 0;

		for (size_t ki = 0; ki < s->nkeys; ki++)
			if (s->keys[ki].line)
				s->keys[j++] = s->keys[ki];
		s->nkeys = j;
	}
	for (p = ik->remove ? ik->remove->value : ""; (w = next_word(&p, &len)), len;) {
		long si = find_section(m, w, len);

		if (si < 0) {
			r = key_error(in, ik, ik->remove, "'%.*s' names no section of the base files, "
				      "expected TYPE or TYPE.ID of a section they have", (int)len, w);
			continue;
		}
		if (m->sections[si].removed) {
			r = key_error(in, ik, ik->remove, "'%.*s' is listed twice, expected each section once",
				      (int)len, w);
			continue;
		}
		m->sections[si].removed = 1;    /* its place stays, for a new one */
		m->sections[si].nkeys = 0;
	}
	return r;
}

static int expand(struct inc *in, struct cfg *own, struct cfg **out);

/* Count cfg against the budgets of the whole include tree. */
static int budget(struct inc *in, const struct inc_keys *ik, const char *shown, const struct cfg *cfg,
		  size_t bytes)
{
	size_t entries = cfg->nsections;

	for (size_t i = 0; i < cfg->nsections; i++)
		entries += cfg->sections[i].nkeys;
	in->bytes += bytes;
	in->entries += entries;
	if (in->bytes > CFG_MAX_SIZE)
		return key_error(in, ik, ik->path, "with %s the files come to %zu bytes, expected at most %u "
				 "bytes for a config and its base files together", shown, in->bytes, CFG_MAX_SIZE);
	if (in->entries > CFG_MAX_ENTRIES)
		return key_error(in, ik, ik->path, "with %s the files hold %zu sections and keys, expected at "
				 "most %d for a config and its base files together", shown, in->entries,
				 CFG_MAX_ENTRIES);
	return 0;
}

/* Read the base named by the word w of [include] path, expanded, and lay
 * it over m.  0, -EINVAL (reported) or -ENOMEM. */
static int add_base(struct inc *in, const struct inc_keys *ik, const char *w, size_t len,
		    struct cfg *m)
{
	char *shown = join(in->stack[in->depth - 1].dir, w, len), *dir = NULL;
	char proc[64], real[PATH_MAX];
	struct cfg *base = NULL, *merged = NULL;
	struct strbuf sb = STRBUF_INIT;
	struct sd_fault f = { NULL, 0, 0 };
	struct stat st;
	int r, fd = -1, via_link = 0;
	ssize_t n;

	if (!shown)
		return -ENOMEM;
	if (in->depth > INC_MAX_DEPTH) {
		r = key_error(in, ik, ik->path, "%s would be a base file %zu levels deep, expected at most "
			      "%d levels of includes", shown, in->depth, INC_MAX_DEPTH);
		goto out;
	}
	if (in->nfiles >= INC_MAX_FILES) {
		r = key_error(in, ik, ik->path, "%s would be the %dth base file read, expected at most %d "
			      "reads of base files in all", shown, INC_MAX_FILES + 1, INC_MAX_FILES);
		goto out;
	}
	r = sd_open_file(shown, &fd, &via_link, &f);
	if (r == 0 && fstat(fd, &st) < 0)
		r = -errno;
	if (r == -ENOMEM)
		goto out;
	if (r) {
		r = refused(in, ik, shown, r, &f);
		goto out;
	}
	for (size_t i = 0; i < in->depth; i++)
		if (in->stack[i].dev == st.st_dev && in->stack[i].ino == st.st_ino) {
			r = chain(in, shown, &sb);
			if (r == 0)
				r = key_error(in, ik, ik->path, "%s includes itself (%s), expected no cycle",
					      shown, sb.buf);
			goto out;
		}
	in->nfiles++;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = via_link ? readlink(proc, real, sizeof(real) - 1) : -1;
	if (n >= 0)
		real[n] = '\0';
	dir = names_dir(shown, via_link, n >= 0 ? real : NULL);
	if (!dir) {
		r = -ENOMEM;
		goto out;
	}
	/* the very file checked, through its fd: nothing is looked up again */
	r = cfg_load_as(proc, shown, in->dg, &base);
	if (r < 0)
		goto out;
	if (base->dev != st.st_dev || base->ino != st.st_ino) {
		r = key_error(in, ik, ik->path, "base file %s changed while being read", shown);
		goto out;
	}
	r = budget(in, ik, shown, base, (size_t)st.st_size);
	if (r < 0)
		goto out;
	in->stack[in->depth++] = (struct frame){ st.st_dev, st.st_ino, base->path, dir };
	r = expand(in, base, &merged);
	base = NULL;            /* expand took it */
	in->depth--;
	if (r == 0)
		r = merge(in->dg, m, merged, 0);
out:
	if (fd >= 0)
		close(fd);
	cfg_free(merged);
	cfg_free(base);
	sb_release(&sb);
	free(f.where);
	free(dir);
	free(shown);
	return r;
}

/* Drop the sections [include] remove left removed (the file did not
 * define them afresh). */
static void compact(struct cfg *m)
{
	size_t j = 0;

	for (size_t i = 0; i < m->nsections; i++) {
		if (m->sections[i].removed)
			free(m->sections[i].keys);
		else
			m->sections[j++] = m->sections[i];
	}
	m->nsections = j;
}

/*
 * own, the file on top of the chain, with its bases: *out is own itself if
 * it includes nothing, else the merge.  Takes own in every case.
 */
static int expand(struct inc *in, struct cfg *own, struct cfg **out)
{
	struct inc_keys ik;
	struct cfg *m = NULL;
	const char *p, *w;
	size_t len;
	int r, failed;

	*out = NULL;
	r = read_keys(in, own, &ik);
	if (r < 0 || !ik.sec) {
		if (r == 0)
			*out = own;
		else
			cfg_free(own);
		return r;
	}
	m = cfg_new(own->path);
	if (!m) {
		r = -ENOMEM;
		goto out;
	}
	failed = 0;
	for (p = ik.path->value; (w = next_word(&p, &len)), len && r != -ENOMEM;) {
		r = add_base(in, &ik, w, len, m);
		failed |= r < 0;
	}
	if (r == -ENOMEM)
		goto out;
	if (!failed)
		failed = drop(in, &ik, own, m) < 0;
	r = merge(in->dg, m, own, 1);
	compact(m);
	if (r == 0 && failed)
		r = -EINVAL;
	if (r == 0) {
		m->dev = own->dev;
		m->ino = own->ino;
		*out = m;
		m = NULL;
	}
out:
	cfg_free(m);
	cfg_free(own);
	return r;
}

int inc_load(const char *path, struct diag *dg, struct cfg **out)
{
	struct inc in = { .dg = dg };
	struct cfg *own = NULL;
	struct stat st;
	char *real = NULL;
	int r, includes = 0;

	*out = NULL;
	r = cfg_load(path, dg, &own);
	if (r < 0)
		return r;
	for (size_t i = 0; i < own->nsections; i++) {
		in.entries += 1 + own->sections[i].nkeys;
		includes |= strcmp(own->sections[i].type, INC_SECTION) == 0;
	}
	if (!includes) {        /* the file is the config: nothing to merge */
		*out = own;
		return 0;
	}
	r = lstat(path, &st);
	if (r == 0 && S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		r = stat(path, &st);
	}
	if (r == 0)
		in.bytes = (size_t)st.st_size;
	in.stack[0] = (struct frame){ own->dev, own->ino, own->path, names_dir(path, !!real, real) };
	free(real);
	if (!in.stack[0].dir) {
		cfg_free(own);
		return -ENOMEM;
	}
	in.depth = 1;
	r = expand(&in, own, out);
	free(in.stack[0].dir);
	return r;
}
