#include <qlconfig.h>

#include "plgindex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "desc.h"
#include "io.h"
#include "plugin.h"
#include "strbuf.h"

/* An index lists a few dozen plugins; anything much larger is not one. */
#define PIX_MAX_SIZE (1u << 20)

void pix_free_types(struct ql_section_type *types)
{
	if (!types)
		return;
	for (struct ql_section_type *t = types; t->name; t++)
		free((char *)t->name);
	free(types);
}

void pix_release(struct pix *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++) {
		free(ix->v[i].file);
		pix_free_types(ix->v[i].types);
	}
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
}

/* A decimal number of digits only, at most max. */
static int parse_num(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > max ? -1 : 0;
}

/* "TYPE:FLAGS" into t; -1 if malformed. */
static int parse_type(const char *tok, struct ql_section_type *t)
{
	const char *colon = strchr(tok, ':');
	unsigned long long flags;

	if (!colon || parse_num(colon + 1, QL_SECTION_SINGLE | QL_SECTION_MULTI, &flags) < 0 ||
	    !flags)
		return -1;
	t->name = strndup(tok, (size_t)(colon - tok));
	if (!t->name)
		return -ENOMEM;
	t->flags = (unsigned)flags;
	t->keys = NULL;
	if (!dsc_valid_type_name(t->name)) {
		free((char *)t->name);
		t->name = NULL;
		return -1;
	}
	return 0;
}

void pix_id_of(const struct stat *st, struct pix_id *id)
{
	id->dev = (unsigned long long)st->st_dev;
	id->ino = (unsigned long long)st->st_ino;
	id->size = (unsigned long long)st->st_size;
	id->mtime_sec = (long long)st->st_mtim.tv_sec;
	id->mtime_nsec = st->st_mtim.tv_nsec;
	id->ctime_sec = (long long)st->st_ctim.tv_sec;
	id->ctime_nsec = st->st_ctim.tv_nsec;
}

int pix_id_eq(const struct pix_id *a, const struct pix_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec &&
	       a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec;
}

/* One entry line; -1 if malformed, -ENOMEM. */
static int parse_entry(char *line, struct pix_entry *e)
{
	char *save = NULL, *tok[8], *rest;
	unsigned long long num[7];
	size_t len, n = 0;
	int r;

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < 8; i++)
		if (!(tok[i] = strtok_r(i ? NULL : line, " ", &save)))
			return -1;
	len = strlen(tok[0]);
	if (len <= 3 || strcmp(tok[0] + len - 3, ".so") != 0 || strchr(tok[0], '/'))
		return -1;
	for (int i = 0; i < 7; i++)
		if (parse_num(tok[i + 1], i == 4 || i == 6 ? 999999999 :
			      i == 3 || i == 5 ? (unsigned long long)INT64_MAX : ~0ULL, &num[i]) < 0)
			return -1;
	e->id = (struct pix_id){
		.dev = num[0], .ino = num[1], .size = num[2],
		.mtime_sec = (long long)num[3], .mtime_nsec = (long)num[4],
		.ctime_sec = (long long)num[5], .ctime_nsec = (long)num[6],
	};
	e->file = strdup(tok[0]);
	if (!e->file)
		return -ENOMEM;
	while ((rest = strtok_r(NULL, " ", &save))) {
		struct ql_section_type *v = realloc(e->types, (n + 2) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->types = v;
		memset(&v[n], 0, 2 * sizeof(*v));
		r = parse_type(rest, &v[n]);
		if (r < 0)
			return r;
		n++;
	}
	return n ? 0 : -1;
}

/* Parse buf (NUL-terminated, modified); -1 if it is not a valid index. */
static int parse_index(char *buf, struct pix *ix)
{
	char *save = NULL, *line = strtok_r(buf, "\n", &save), magic[64];
	int r;

	snprintf(magic, sizeof(magic), "%s %d", PIX_MAGIC, QL_ABI_MAJOR);
	if (!line || strcmp(line, magic) != 0)
		return -1;              /* not an index, or one for other plugins */
	while ((line = strtok_r(NULL, "\n", &save))) {
		struct pix_entry *v = realloc(ix->v, (ix->n + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ix->v = v;
		r = parse_entry(line, &v[ix->n]);
		if (r < 0) {
			free(v[ix->n].file);
			pix_free_types(v[ix->n].types);
			return r;
		}
		for (size_t i = 0; i < ix->n; i++)
			if (strcmp(ix->v[i].file, v[ix->n].file) == 0) {
				ix->n++;
				return -1;      /* listed twice */
			}
		ix->n++;
	}
	return 0;
}

int pix_read(const char *dir, int allow_unsafe, struct pix *out)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd = -1, r;

	out->v = NULL;
	out->n = 0;
	r = sb_printf(&path, "%s/%s", dir, PIX_FILE);
	if (r < 0)
		goto out;
	fd = open(path.buf, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)PIX_MAX_SIZE || (!allow_unsafe && !plg_file_is_safe(&st)))
		goto out;               /* no usable index: load everything */
	r = io_read_all(fd, (size_t)st.st_size, &buf, &len);
	if (r != -ENOMEM)
		r = 0;          /* an index that cannot be read is not used */
	if (!buf || len != (size_t)st.st_size || memchr(buf, '\0', len))
		goto out;
	r = parse_index(buf, out);
	if (r == -ENOMEM)
		goto out;
	if (r < 0)
		pix_release(out);       /* not a valid index: as if there were none */
	r = 0;
out:
	if (r < 0)
		pix_release(out);
	if (fd >= 0)
		close(fd);
	free(buf);
	sb_release(&path);
	return r;
}

struct pix_entry *pix_match(const struct pix *ix, const char *file,
			    const struct stat *st)
{
	struct pix_id id;

	pix_id_of(st, &id);
	for (size_t i = 0; i < ix->n; i++) {
		struct pix_entry *e = &ix->v[i];

		if (strcmp(e->file, file) == 0)
			return pix_id_eq(&e->id, &id) ? e : NULL;
	}
	return NULL;
}

static int format_index(const struct plg_set *set, struct diag *dg,
			struct strbuf *sb)
{
	int r = sb_printf(sb, "%s %d\n", PIX_MAGIC, QL_ABI_MAJOR);

	for (size_t i = 0; i < set->n && r == 0; i++) {
		const struct plg *p = &set->v[i];
		const char *base = strrchr(p->path, '/');
		const struct pix_id *id = &p->id;
		struct pix_id now;
		struct stat st;

		if (p->builtin)
			continue;       /* nothing to load: not in a directory */
		if (stat(p->path, &st) < 0)
			return dg_error(dg, p->path, 0, NULL, NULL, "cannot stat plugin: %s",
					strerror(errno));
		pix_id_of(&st, &now);
		if (!pix_id_eq(id, &now))
			return dg_error(dg, p->path, 0, NULL, NULL,
					"the plugin file changed while it was being indexed, expected it "
					"to stay put (run 'qlaunch index' again)");
		r = sb_printf(sb, "%s %llu %llu %llu %lld %ld %lld %ld", base ? base + 1 : p->path,
			      id->dev, id->ino, id->size, id->mtime_sec, id->mtime_nsec,
			      id->ctime_sec, id->ctime_nsec);
		for (const struct ql_section_type *t = p->desc.sections; t->name && r == 0; t++)
			r = sb_printf(sb, " %s:%u", t->name,
				      t->flags & (QL_SECTION_SINGLE | QL_SECTION_MULTI));
		if (r == 0)
			r = sb_addc(sb, '\n');
	}
	return r;
}

/* Write all of buf to fd, fsync it and close it; 0 or -errno. */
static int write_out(int fd, const char *buf, size_t len)
{
	int r = io_write_all(fd, buf, len);

	if (r == 0 && (fchmod(fd, 0644) < 0 || fsync(fd) < 0))
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int pix_write(const char *dir, const struct plg_set *set, struct diag *dg)
{
	struct strbuf text = STRBUF_INIT, tmp = STRBUF_INIT, dst = STRBUF_INIT;
	int fd, r;

	r = format_index(set, dg, &text);
	if (r == 0)
		r = sb_printf(&tmp, "%s/.%s.XXXXXX", dir, PIX_FILE);
	if (r == 0)
		r = sb_printf(&dst, "%s/%s", dir, PIX_FILE);
	if (r < 0)
		goto out;
	fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (fd < 0) {
		r = dg_error(dg, dir, 0, NULL, NULL, "cannot create the plugin index: %s",
			     strerror(errno));
		goto out;
	}
	r = write_out(fd, text.buf, text.len);
	if (r == 0 && rename(tmp.buf, dst.buf) < 0)
		r = -errno;
	if (r < 0) {
		dg_error(dg, dst.buf, 0, NULL, NULL, "cannot write the plugin index: %s",
			 strerror(-r));
		unlink(tmp.buf);
		r = -EIO;
	}
out:
	sb_release(&text);
	sb_release(&tmp);
	sb_release(&dst);
	return r;
}
