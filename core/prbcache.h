/*
 * The probe's cache file (see probe.h for where it lives and why it may
 * be trusted): one JSON object per binary, checked for its shape and its
 * binary's identity when read, written atomically.
 */
#ifndef QL_PRBCACHE_H
#define QL_PRBCACHE_H

#include "probe.h"

/* The identity of path (stat follows links). 0 or -errno. */
int prb_identity(const char *path, struct prb_id *id);

/* id as the "binary" object of the shape (new), or NULL. */
struct json_object *prb_id_json(const struct prb_id *id);

/* Is a a JSON array of strings only? */
int prb_string_array(struct json_object *a);

/* The default cache directory: malloc'd, or NULL if there is none (no
 * HOME, or out of memory). */
char *prb_default_dir(void);

/* Validate a parsed cache file against id: 0 if it can be trusted,
 * -EINVAL if its shape is wrong, -ESTALE if it is about another binary.
 * (Exposed for the unit tests.) */
int prb_validate(struct json_object *root, const struct prb_id *id);

/* Read the cache file name in dir for id: 0 and *root, or -errno
 * (-ENOENT: none; -EINVAL/-ESTALE: not trusted; -EPERM: not the user's
 * private file). */
int prb_cache_read(const char *dir, const struct prb_id *id, struct json_object **root);

/* Write root as the cache file for id in dir, atomically. 0 or -errno. */
int prb_cache_write(const char *dir, const struct prb_id *id, struct json_object *root);

/* May dir hold the cache?  Creates it (0700) if missing, then 0, or
 * -EPERM with the reason in err, or another -errno. */
int prb_cache_dir_ok(const char *dir, char *err, size_t errlen);

/* The cache file's name in dir for a binary path (malloc'd, or NULL). */
char *prb_cache_path(const char *dir, const char *binary);

#endif
