#include <qlconfig.h>

#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "io.h"
#include "strmap.h"

/* State of one scan over the file's bytes. */
struct scan {
	const char *path;     /* for messages */
	const char *open_path;
	struct diag *dg;
	struct cfg *cfg;
	struct strmap seen;   /* lower-case "type.id" and "type.id:key" -> line */
	struct arena names;   /* the strings seen points to */
	size_t nentries;      /* sections and keys stored, as iniparser will */
	int in_section;       /* 0 before the first header */
	int bad_section;      /* the current header was rejected: skip its keys */
	int failed;           /* an error was reported */
	int too_many;         /* CFG_MAX_ENTRIES reached: stop */
	int oom;
};

/* Grow an array of n elements to hold n + 1: doubling, so that many
 * sections or keys cost linear time.  Returns the new array or NULL. */
static void *grow(void *v, size_t n, size_t size)
{
	size_t cap = 1;

	while (cap < n)
		cap *= 2;
	if (n && n < cap)
		return v;       /* room left */
	return realloc(v, (n ? 2 * n : 1) * size);
}

static int quiet_errback(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

static char *strip(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

int cfg_valid_id(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return 0;
	return 1;
}

static int valid_type(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (s++; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-' && *s != '_')
			return 0;
	return 1;
}

static int valid_key(const char *s)
{
	if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
		return 0;
	for (s++; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("-._", *s))
			return 0;
	return 1;
}

__attribute__((format(printf, 3, 4)))
static void scan_error(struct scan *sc, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dg_verror(sc->dg, sc->path, line, NULL, NULL, fmt, ap);
	va_end(ap);
	sc->failed = 1;
}

/* Remember a lower-case name; returns 0 if new, else the first line. */
static unsigned scan_remember(struct scan *sc, const char *lcname, unsigned line)
{
	unsigned old = 0;
	char *copy;

	if (sc->nentries >= CFG_MAX_ENTRIES) {
		if (!sc->too_many)
			scan_error(sc, line, "more than %d sections and keys, expected a smaller file",
				   CFG_MAX_ENTRIES);
		sc->too_many = 1;
		return 0;
	}
	if (sm_get(&sc->seen, lcname, &old))
		return old;
	copy = ar_strdup(&sc->names, lcname);
	if (!copy || sm_insert(&sc->seen, copy, line, NULL) < 0) {
		sc->oom = 1;
		return 0;
	}
	sc->nentries++;
	return 0;
}

static void scan_section(struct scan *sc, char *line, unsigned lineno)
{
	size_t len = strlen(line), tlen;
	char *close, *name, *dot, lc[CFG_MAX_LINE + 1];
	struct cfg_section *sec, *secs;
	unsigned first;

	sc->in_section = 1;
	sc->bad_section = 1;
	close = strchr(line, ']');
	if (line[len - 1] != ']' || close != line + len - 1) {
		scan_error(sc, lineno, "malformed section header '%s', expected [TYPE] or [TYPE.ID]",
			   line);
		return;
	}
	*close = '\0';
	name = strip(line + 1);
	if (!*name) {
		scan_error(sc, lineno, "empty section name, expected [TYPE] or [TYPE.ID]");
		return;
	}
	if (strchr(name, ':')) {
		dg_error(sc->dg, sc->path, lineno, name, NULL,
			 "':' is not allowed in a section name, expected [TYPE] or [TYPE.ID]");
		sc->failed = 1;
		return;
	}
	dot = strchr(name, '.');
	tlen = dot ? (size_t)(dot - name) : strlen(name);
	snprintf(lc, sizeof(lc), "%s", name);  /* a logical line fits */
	lower(lc);
	lc[tlen] = '\0';
	if (!valid_type(lc) || (dot && !cfg_valid_id(dot + 1))) {
		dg_error(sc->dg, sc->path, lineno, name, NULL, "invalid section name, expected [TYPE] or [TYPE.ID] "
			 "(TYPE: letters, digits, '-', '_'; ID: a letter, then letters, digits, '-', '.', '_')");
		sc->failed = 1;
		return;
	}
	if (dot)
		lc[tlen] = '.';
	first = scan_remember(sc, lc, lineno);
	if (sc->too_many)
		return;
	if (first) {
		dg_error(sc->dg, sc->path, lineno, name, NULL,
			 "repeats the section of line %u (section names ignore case), expected each section once",
			 first);
		sc->failed = 1;
		return;
	}
	secs = grow(sc->cfg->sections, sc->cfg->nsections, sizeof(*secs));
	if (!secs) {
		sc->oom = 1;
		return;
	}
	sc->cfg->sections = secs;
	sec = &secs[sc->cfg->nsections];
	memset(sec, 0, sizeof(*sec));
	sec->name = ar_strdup(&sc->cfg->strings, name);
	sec->type = ar_strndup(&sc->cfg->strings, lc, tlen);
	if (!sec->name || !sec->type) {
		sc->oom = 1;
		return;
	}
	if (dot)
		sec->id = sec->name + tlen + 1;
	sec->line = lineno;
	sc->cfg->nsections++;
	sc->bad_section = 0;
}

/*
 * iniparser takes a quoted value up to its closing quote and silently drops
 * whatever follows; an unclosed quote it keeps as text.  Both lose what the
 * user wrote, so both are errors here; a comment after the quote is fine.
 */
static int check_quotes(struct scan *sc, const char *value,
			const char *section, const char *key, unsigned lineno)
{
	const char *close, *rest;

	if (*value != '"' && *value != '\'')
		return 0;
	close = strchr(value + 1, *value);
	if (!close) {
		sc->failed = 1;
		return dg_error(sc->dg, sc->path, lineno, section, key,
				"the value opens a quote (%c) but does not close it, expected a closing %c",
				*value, *value);
	}
	rest = close + 1;
	while (isspace((unsigned char)*rest))
		rest++;
	if (*rest && *rest != ';' && *rest != '#') {
		sc->failed = 1;
		return dg_error(sc->dg, sc->path, lineno, section, key,
				"text after the closing quote ('%s') would be lost, expected the whole value inside the quotes",
				rest);
	}
	return 0;
}

static void scan_key(struct scan *sc, char *line, unsigned lineno)
{
	char *eq = strchr(line, '='), *key;
	struct cfg_section *sec;
	struct cfg_key *keys;
	char full[2 * CFG_MAX_LINE + 2];
	unsigned first;

	if (!eq) {
		scan_error(sc, lineno, "expected 'key = value', '[section]' or a comment, got '%s'", line);
		return;
	}
	*eq = '\0';
	key = strip(line);
	lower(key);
	if (!*key) {
		scan_error(sc, lineno, "missing key name before '='");
		return;
	}
	if (!sc->in_section) {
		scan_error(sc, lineno, "key '%s' is outside any section, expected a [section] header first", key);
		return;
	}
	if (sc->bad_section)
		return;
	sec = &sc->cfg->sections[sc->cfg->nsections - 1];
	if (!valid_key(key)) {
		dg_error(sc->dg, sc->path, lineno, sec->name, NULL,
			 "invalid key name '%s', expected letters, digits, '-', '_' and '.'", key);
		sc->failed = 1;
		return;
	}
	if (check_quotes(sc, strip(eq + 1), sec->name, key, lineno) < 0)
		return;
	/* the section's name and the key each fit in a logical line */
	snprintf(full, sizeof(full), "%s:%s", sec->name, key);
	lower(full);
	first = scan_remember(sc, full, lineno);
	if (sc->too_many)
		return;
	if (first) {
		dg_error(sc->dg, sc->path, lineno, sec->name, key,
			 "duplicate key (first set at line %u), expected each key once per section", first);
		sc->failed = 1;
		return;
	}
	keys = grow(sec->keys, sec->nkeys, sizeof(*keys));
	if (!keys) {
		sc->oom = 1;
		return;
	}
	sec->keys = keys;
	keys[sec->nkeys].name = ar_strdup(&sc->cfg->strings, key);
	keys[sec->nkeys].value = NULL;
	keys[sec->nkeys].line = lineno;
	keys[sec->nkeys].file = NULL;
	keys[sec->nkeys].is_default = 0;
	if (!keys[sec->nkeys].name) {
		sc->oom = 1;
		return;
	}
	sec->nkeys++;
}

/* One logical line, as iniparser_line() would see it. */
static void scan_logical(struct scan *sc, char *raw, unsigned lineno)
{
	char *line = strip(raw);

	if (!*line || *line == '#' || *line == ';')
		return;
	if (*line == '[')
		scan_section(sc, line, lineno);
	else
		scan_key(sc, line, lineno);
}

/*
 * Split buf into physical lines and join them into logical lines exactly as
 * iniparser_load() does: a line whose last non-blank character is '\' goes
 * on with the next line, and the joined line must fit its 1024-byte buffer.
 */
static void scan_lines(struct scan *sc, const char *buf, size_t len)
{
	struct strbuf logical = STRBUF_INIT;
	unsigned lineno = 0, start = 0;
	size_t pos = 0;

	while (pos < len && !sc->oom && !sc->too_many) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		size_t last = logical.len;

		lineno++;
		if (last + n > CFG_MAX_LINE) {
			scan_error(sc, lineno, "line too long (%zu bytes%s), expected at most %d bytes per line",
				   last + n, last ? " with the lines it continues" : "", CFG_MAX_LINE);
			sb_reset(&logical);
			pos += n + 1;
			continue;
		}
		if (!last)
			start = lineno;
		if (sb_add(&logical, buf + pos, n) < 0) {
			sc->oom = 1;
			break;
		}
		pos += n + 1;
		while (logical.len && isspace((unsigned char)logical.buf[logical.len - 1]))
			logical.buf[--logical.len] = '\0';
		if (logical.len && logical.buf[logical.len - 1] == '\\') {
			const char *first = logical.buf + strspn(logical.buf, " \t\r\f\v");

			logical.buf[--logical.len] = '\0';
			if (*first == '#' || *first == ';') {
				scan_error(sc, lineno, "comment ends with '\\', which would join the next line to it; "
					   "expected no backslash at the end of a comment");
				sb_reset(&logical);
			}
			continue;
		}
		if (logical.len)
			scan_logical(sc, logical.buf, start);
		sb_reset(&logical);
	}
	if (logical.len && !sc->oom)
		scan_error(sc, lineno, "the last line ends with '\\' but no line follows, expected a value");
	sb_release(&logical);
}

static int read_config(struct scan *sc, char **out, size_t *outlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, r = -EINVAL;

	fd = open(sc->open_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		dg_error(sc->dg, sc->path, 0, NULL, NULL, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		dg_error(sc->dg, sc->path, 0, NULL, NULL, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		dg_error(sc->dg, sc->path, 0, NULL, NULL, "not a regular file (%s), expected an INI file",
			 S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a fifo" :
			 S_ISCHR(st.st_mode) ? "a character device" : S_ISSOCK(st.st_mode) ? "a socket" :
			 S_ISBLK(st.st_mode) ? "a block device" : "a special file");
		goto out;
	}
	if (st.st_size > (off_t)CFG_MAX_SIZE) {
		dg_error(sc->dg, sc->path, 0, NULL, NULL, "file too large (%lld bytes), expected at most %u bytes",
			 (long long)st.st_size, CFG_MAX_SIZE);
		goto out;
	}
	sc->cfg->dev = st.st_dev;
	sc->cfg->ino = st.st_ino;
	r = io_read_all(fd, (size_t)st.st_size, &buf, &len);
	if (r == -EFBIG) {
		r = -EINVAL;
		dg_error(sc->dg, sc->path, 0, NULL, NULL, "file grew while being read");
		goto out;
	}
	if (r < 0) {
		if (r != -ENOMEM)
			dg_error(sc->dg, sc->path, 0, NULL, NULL, "cannot read: %s", strerror(-r));
		goto out;
	}
	*out = buf;
	*outlen = len;
	buf = NULL;
	r = 0;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return r;
}

/* Reject bytes iniparser cannot read; returns 0 if the scan may go on. */
static int check_bytes(struct scan *sc, const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		scan_error(sc, 1, "file starts with a UTF-8 byte order mark (BOM), expected plain text without a BOM");
		return -EINVAL;
	}
	if (nul) {
		unsigned line = 1;

		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		scan_error(sc, line, "NUL byte in the file, expected text");
		return -EINVAL;
	}
	return 0;
}

/*
 * Let iniparser parse the very bytes we scanned: through a memfd where we
 * can, else the path itself (the step-by-step comparison catches a file
 * changed in between).
 */
static dictionary *ini_load(const char *path, const char *buf, size_t len)
{
	dictionary *d = NULL;
#ifdef HAVE_MEMFD_CREATE
	char proc[64];
	int fd = memfd_create("qlaunch-config", MFD_CLOEXEC);

	if (fd >= 0) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (io_write_all(fd, buf, len) == 0)
			d = iniparser_load(proc);
		close(fd);
	}
#else
	(void)buf;
	(void)len;
#endif
	if (!d)
		d = iniparser_load(path);
	return d;
}

/* If lc spells s in lower case, followed by more, return where s ends in lc. */
static const char *skip_folded(const char *lc, const char *s)
{
	for (; *s; s++, lc++)
		if (*lc != (char)tolower((unsigned char)*s))
			return NULL;
	return lc;
}

/*
 * Walk the dictionary once, in step with the scan, taking the values.  With
 * no duplicates (the scan rejected them) iniparser stores each section's
 * lower-case name, then its "section:key" entries, in file order: exactly
 * the sections and keys the scan collected, in the same order.
 */
static int take_values(struct scan *sc, const dictionary *d)
{
	struct cfg *cfg = sc->cfg;
	struct cfg_section *sec = NULL;
	size_t e = 0, next = 0, ki = 0;
	const char *rest;

	for (int i = 0; i < d->size; i++) {
		if (!d->key[i])
			continue;
		if (sec && ki < sec->nkeys) {
			rest = skip_folded(d->key[i], sec->name);
			if (!rest || *rest != ':' || strcmp(rest + 1, sec->keys[ki].name) != 0)
				goto mismatch;
			sec->keys[ki].value = ar_strdup(&cfg->strings, d->val[i] ? d->val[i] : "");
			if (!sec->keys[ki].value)
				return -ENOMEM;
			ki++;
		} else {
			if (next >= cfg->nsections)
				goto mismatch;
			sec = &cfg->sections[next++];
			ki = 0;
			rest = skip_folded(d->key[i], sec->name);
			if (!rest || *rest || d->val[i])
				goto mismatch;
		}
		e++;
	}
	if (next != cfg->nsections || (sec && ki != sec->nkeys))
		goto mismatch;
	return 0;
mismatch:
	dg_error(sc->dg, sc->path, 0, NULL, NULL,
		 "iniparser read this file differently from qlaunch's own scan (near entry %zu); please report this", e);
	return -EIO;
}

int cfg_load(const char *path, struct diag *dg, struct cfg **out)
{
	return cfg_load_as(path, path, dg, out);
}

struct cfg *cfg_new(const char *path)
{
	struct cfg *cfg = calloc(1, sizeof(*cfg));

	if (cfg && !(cfg->path = strdup(path))) {
		free(cfg);
		cfg = NULL;
	}
	return cfg;
}

int cfg_load_as(const char *open_path, const char *path, struct diag *dg,
		struct cfg **out)
{
	struct scan sc = { .path = path, .open_path = open_path, .dg = dg,
			   .seen = STRMAP_INIT, .names = ARENA_INIT };
	dictionary *d = NULL;
	char *buf = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	sc.cfg = cfg_new(path);
	if (!sc.cfg) {
		r = -ENOMEM;
		goto out;
	}
	r = read_config(&sc, &buf, &len);
	if (r < 0)
		goto out;
	r = check_bytes(&sc, buf, len);
	if (r < 0)
		goto out;
	scan_lines(&sc, buf, len);
	r = sc.oom ? -ENOMEM : sc.failed ? -EINVAL : 0;
	if (r < 0)
		goto out;
	iniparser_set_error_callback(quiet_errback);
	d = ini_load(open_path, buf, len);
	if (!d) {
		r = dg_error(dg, path, 0, NULL, NULL, "iniparser could not parse the file");
		goto out;
	}
	r = take_values(&sc, d);
	if (r < 0)
		goto out;
	*out = sc.cfg;
	sc.cfg = NULL;
out:
	if (d)
		iniparser_freedict(d);
	free(buf);
	sm_release(&sc.seen);
	ar_release(&sc.names);
	cfg_free(sc.cfg);
	return r;
}

const char *cfg_intern_file(struct cfg *cfg, const char *file)
{
	if (!file)
		return NULL;
	for (size_t i = 0; i < cfg->files.n; i++)
		if (strcmp(cfg->files.v[i], file) == 0)
			return cfg->files.v[i];
	if (sv_push(&cfg->files, file) < 0)
		return NULL;
	return cfg->files.v[cfg->files.n - 1];
}

int cfg_copy_section(struct cfg *cfg, const struct cfg_section *src,
		     const char *file, struct cfg_section **out)
{
	struct cfg_section *secs = grow(cfg->sections, cfg->nsections, sizeof(*secs));
	struct cfg_section *sec;

	if (!secs)
		return -ENOMEM;
	cfg->sections = secs;
	sec = &secs[cfg->nsections];
	memset(sec, 0, sizeof(*sec));
	sec->name = ar_strdup(&cfg->strings, src->name);
	sec->type = ar_strdup(&cfg->strings, src->type);
	if (!sec->name || !sec->type)
		return -ENOMEM;
	if (src->id)
		sec->id = sec->name + (src->id - src->name);
	sec->line = src->line;
	sec->file = file;
	cfg->nsections++;
	*out = sec;
	return 0;
}

int cfg_add_section(struct cfg *cfg, const char *type, const char *file,
		    unsigned line, struct cfg_section **out)
{
	const struct cfg_section src = { .name = (char *)type, .type = (char *)type, .line = line };

	return cfg_copy_section(cfg, &src, file, out);
}

int cfg_add_key(struct cfg *cfg, struct cfg_section *sec, const char *name,
		const char *value, const char *file, unsigned line)
{
	struct cfg_key *keys = grow(sec->keys, sec->nkeys, sizeof(*keys));
	struct cfg_key *k;

	if (!keys)
		return -ENOMEM;
	sec->keys = keys;
	k = &keys[sec->nkeys];
	k->name = ar_strdup(&cfg->strings, name);
	k->value = ar_strdup(&cfg->strings, value);
	k->line = line;
	k->file = file;
	k->is_default = 0;
	if (!k->name || !k->value)
		return -ENOMEM;
	sec->nkeys++;
	return 0;
}

int cfg_set_key(struct cfg *cfg, const char *type, const char *key,
		const char *value, const char *file)
{
	struct cfg_section *sec = NULL;
	struct cfg_key *k;
	int r;

	for (size_t i = 0; i < cfg->nsections && !sec; i++)
		if (!cfg->sections[i].id && strcmp(cfg->sections[i].type, type) == 0)
			sec = &cfg->sections[i];
	if (!sec && (r = cfg_add_section(cfg, type, file, 0, &sec)) < 0)
		return r;
	k = (struct cfg_key *)cfg_key_find(sec, key);
	if (!k)
		return cfg_add_key(cfg, sec, key, value, file, 0);
	if (cfg_key_set_value(cfg, k, value) < 0)
		return -ENOMEM;
	k->file = file;
	k->line = 0;
	k->is_default = 0;
	return 0;
}

int cfg_key_set_value(struct cfg *cfg, struct cfg_key *k, const char *value)
{
	char *v = ar_strdup(&cfg->strings, value);

	if (!v)
		return -ENOMEM;
	k->value = v;   /* the old value stays in the arena until cfg_free */
	return 0;
}

const struct cfg_key *cfg_key_find(const struct cfg_section *sec,
				   const char *name)
{
	for (size_t i = 0; i < sec->nkeys; i++)
		if (strcmp(sec->keys[i].name, name) == 0)
			return &sec->keys[i];
	return NULL;
}

void cfg_free(struct cfg *cfg)
{
	if (!cfg)
		return;
	for (size_t s = 0; s < cfg->nsections; s++)
		free(cfg->sections[s].keys);
	free(cfg->sections);
	ar_release(&cfg->strings);
	sv_release(&cfg->files);
	free(cfg->path);
	free(cfg);
}
