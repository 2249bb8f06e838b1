/*
 * Loading a qlaunch INI file.
 *
 * iniparser 4.1 parses the values, but it merges duplicate sections, keeps
 * the last of duplicate keys, lower-cases section names, drops line numbers
 * and mishandles long lines, NUL bytes and BOMs.  cfg_load therefore scans
 * the same bytes first, mirroring iniparser's line rules, to recover line
 * numbers and the original spelling of section ids and to reject what
 * iniparser would get wrong; then it walks iniparser's dictionary once, in
 * step with its own scan, to take the values.
 */
#ifndef QL_CONFIG_H
#define QL_CONFIG_H

#include <stddef.h>
#include <sys/types.h>

#include "arena.h"
#include "diag.h"
#include "strbuf.h"

/* Longest physical line iniparser 4.1 reads, without the newline (the sum
 * over lines joined with a trailing backslash). */
#define CFG_MAX_LINE 1022
/* Largest config file accepted, and most sections plus keys: iniparser's
 * load is quadratic in the entries (about 1 s for 65536 here). */
#define CFG_MAX_SIZE (4u << 20)
#define CFG_MAX_ENTRIES 65536

struct cfg_key {
	char *name;     /* lower case, as iniparser folds it */
	char *value;    /* as iniparser returns it (quotes removed) */
	unsigned line;
	const char *file; /* where it came from if not the config itself (a
			   * base file it includes, a plugin set, an
			   * option), else NULL; see cfg_where */
	unsigned char is_default; /* a plugin set's default: yields to a
				   * family that says the same at length */
};

struct cfg_section {
	char *name;     /* as spelled in the file: "device.Net0" */
	char *type;     /* lower case: "device" */
	const char *id; /* points into name after the dot, or NULL */
	unsigned line;
	const char *file; /* as in cfg_key */
	struct cfg_key *keys;
	size_t nkeys;
	unsigned char removed; /* [include] remove dropped it (while merging) */
};

struct cfg {
	char *path;     /* the path given, used in messages */
	struct arena strings; /* every name and value of the sections below */
	struct cfg_section *sections; /* in file order */
	size_t nsections;
	struct strv files;    /* the other files named by file fields */
	dev_t dev;            /* the file read, as fstat saw it */
	ino_t ino;
};

/*
 * Load path.  On success returns 0 and *out (free with cfg_free).  On any
 * problem every error found is added to dg and -EINVAL (or -ENOMEM, -EIO)
 * is returned; *out is left NULL.
 */
int cfg_load(const char *path, struct diag *dg, struct cfg **out);

/* The same, but open open_path and name it path in messages (a resolved
 * name for one whose directories another user could change). */
int cfg_load_as(const char *open_path, const char *path, struct diag *dg,
		struct cfg **out);

/* An empty config named path (for merging into).  NULL if out of memory. */
struct cfg *cfg_new(const char *path);

/* A copy of file, kept by cfg, for file fields (NULL stays NULL).  The
 * same name gives the same pointer.  NULL if out of memory. */
const char *cfg_intern_file(struct cfg *cfg, const char *file);

/* Append a copy of src's header (name, type, id, line; not its keys) with
 * this file field.  Takes no section pointers across it.  0 or -ENOMEM. */
int cfg_copy_section(struct cfg *cfg, const struct cfg_section *src,
		     const char *file, struct cfg_section **out);

/* The file a key of sec (or, if k is NULL, sec itself) came from: a plugin
 * set's file, or deflt (the config's path). */
static inline const char *cfg_origin(const struct cfg_section *sec,
				     const struct cfg_key *k, const char *deflt)
{
	const char *file = k ? k->file : sec->file;

	return file ? file : deflt;
}

/* The file to name in a message about an entry with this file field. */
static inline const char *cfg_where(const struct cfg *cfg, const char *file)
{
	return file ? file : cfg->path;
}

/*
 * Append an empty section [type] (no id) or a key, coming from file at
 * line (file is borrowed and must outlive cfg).  Appending a section may
 * move the others: take no section pointers across it.  0 or -ENOMEM.
 */
int cfg_add_section(struct cfg *cfg, const char *type, const char *file,
		    unsigned line, struct cfg_section **out);
int cfg_add_key(struct cfg *cfg, struct cfg_section *sec, const char *name,
		const char *value, const char *file, unsigned line);

/* Set key in the single-instance section [type] (created if missing) to
 * value, replacing any value from the file: for command-line overrides. */
int cfg_set_key(struct cfg *cfg, const char *type, const char *key,
		const char *value, const char *file);

/* Give k a copy of value (the old one is freed with cfg). 0 or -ENOMEM. */
int cfg_key_set_value(struct cfg *cfg, struct cfg_key *k, const char *value);

/* Look up a key in a section; NULL if absent. */
const struct cfg_key *cfg_key_find(const struct cfg_section *sec,
				   const char *name);

/* Is s a valid QEMU id: a letter, then letters, digits, '-', '.', '_'? */
int cfg_valid_id(const char *s);

void cfg_free(struct cfg *cfg);

#endif
