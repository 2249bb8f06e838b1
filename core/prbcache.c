#include <qlconfig.h>

#include "prbcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#include "errbuf.h"
#include "io.h"
#include "safedir.h"

/* A cache file larger than this is not read. */
#define PRB_MAX_CACHE (16u << 20)

/* --- identity ------------------------------------------------------------- */

int prb_identity(const char *path, struct prb_id *id)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	*id = (struct prb_id){
		.path = path, .dev = st.st_dev, .ino = st.st_ino, .size = (unsigned long long)st.st_size,
		.mtime = st.st_mtim.tv_sec, .mtime_ns = st.st_mtim.tv_nsec,
		.ctime = st.st_ctim.tv_sec, .ctime_ns = st.st_ctim.tv_nsec,
	};
	return 0;
}

struct json_object *prb_id_json(const struct prb_id *id)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (json_object_object_add(o, "path", json_object_new_string(id->path)) < 0 ||
	    json_object_object_add(o, "dev", json_object_new_int64((int64_t)id->dev)) < 0 ||
	    json_object_object_add(o, "ino", json_object_new_int64((int64_t)id->ino)) < 0 ||
	    json_object_object_add(o, "size", json_object_new_int64((int64_t)id->size)) < 0 ||
	    json_object_object_add(o, "mtime", json_object_new_int64(id->mtime)) < 0 ||
	    json_object_object_add(o, "mtime-ns", json_object_new_int64(id->mtime_ns)) < 0 ||
	    json_object_object_add(o, "ctime", json_object_new_int64(id->ctime)) < 0 ||
	    json_object_object_add(o, "ctime-ns", json_object_new_int64(id->ctime_ns)) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* --- shape ------------------------------------------------------------------ */

static int int_is(struct json_object *o, const char *key, int64_t want)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int) &&
	       json_object_get_int64(v) == want;
}

int prb_string_array(struct json_object *a)
{
	if (!json_object_is_type(a, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i), json_type_string))
			return 0;
	return 1;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* Is o an object whose every value passes ok? */
static int map_of(struct json_object *o, int (*ok)(struct json_object *))
{
	if (!json_object_is_type(o, json_type_object))
		return 0;
	{
		json_object_object_foreach(o, key, v) {
			(void)key;
			if (!ok(v))
				return 0;
		}
	}
	return 1;
}

static int is_string(struct json_object *v)
{
	return json_object_is_type(v, json_type_string);
}

static int is_param_map(struct json_object *v)
{
	return map_of(v, is_string);
}

/* A SPEC (probe.h): nested objects are as deep as the probe keeps them,
 * and json-c's parser limits the depth of what it reads. */
static int is_spec(struct json_object *v)
{
	return is_string(v) || prb_string_array(v) || map_of(v, is_spec);
}

static int is_variants(struct json_object *v)
{
	return map_of(v, is_spec);
}

static int is_prop(struct json_object *v)
{
	struct json_object *d;

	return json_object_is_type(v, json_type_object) && is_string(get(v, "type")) &&
	       (!json_object_object_get_ex(v, "description", &d) || is_string(d));
}

static int is_props_or_null(struct json_object *v)
{
	return !v || map_of(v, is_prop);
}

int prb_validate(struct json_object *root, const struct prb_id *id)
{
	struct json_object *v, *bin;

	if (!json_object_is_type(root, json_type_object) || !int_is(root, "qlaunch-probe", PRB_FORMAT))
		return -EINVAL;
	if (!json_object_object_get_ex(root, "version", &v) || !json_object_is_type(v, json_type_string) ||
	    !json_object_object_get_ex(root, "package", &v) || !json_object_is_type(v, json_type_string))
		return -EINVAL;
	for (size_t i = 0; i < PRB_NLISTS; i++)
		if (!json_object_object_get_ex(root, prb_list_keys[i], &v) || !prb_string_array(v))
			return -EINVAL;
	if (!map_of(get(root, "machine-aliases"), is_string) || !map_of(get(root, "cpu-typenames"), is_string) ||
	    !map_of(get(root, "options"), is_param_map) || !map_of(get(root, "arguments"), is_variants) ||
	    !map_of(get(root, "properties"), is_props_or_null))
		return -EINVAL;
	if (!json_object_object_get_ex(root, "binary", &bin) || !json_object_is_type(bin, json_type_object) ||
	    !json_object_object_get_ex(bin, "path", &v) || !json_object_is_type(v, json_type_string))
		return -EINVAL;
	if (strcmp(json_object_get_string(v), id->path) != 0 ||
	    !int_is(bin, "dev", (int64_t)id->dev) || !int_is(bin, "ino", (int64_t)id->ino) ||
	    !int_is(bin, "size", (int64_t)id->size) || !int_is(bin, "mtime", id->mtime) ||
	    !int_is(bin, "mtime-ns", id->mtime_ns) || !int_is(bin, "ctime", id->ctime) ||
	    !int_is(bin, "ctime-ns", id->ctime_ns))
		return -ESTALE;
	return 0;
}

/* --- the cache directory ------------------------------------------------------ */

static const char *env(const char *name)
{
#ifdef HAVE_SECURE_GETENV
	return secure_getenv(name);
#else
	return getenv(name);
#endif
}

char *prb_default_dir(void)
{
	const char *xdg = env("XDG_CACHE_HOME"), *home = env("HOME");
	char *out = NULL;

	/* the XDG base directory spec: a relative value is to be ignored */
	if (xdg && xdg[0] == '/')
		return asprintf(&out, "%s/qlaunch", xdg) < 0 ? NULL : out;
	if (geteuid() == 0)
		return strdup("/var/cache/qlaunch");
	if (home && home[0] == '/' && asprintf(&out, "%s/.cache/qlaunch", home) < 0)
		return NULL;
	return out;
}

/* mkdir -p, each new directory 0700. */
static int make_dirs(const char *dir)
{
	char *p = strdup(dir);
	int r = 0;

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = 0;
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				r = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return r;
}

/* Open dir for the cache: its fd (close-on-exec) or -errno, with the
 * reason in err for -EPERM. */
static int open_dir(const char *dir, char *err, size_t errlen)
{
	static const char *const why[] = {
		[SD_OWNER] = "belongs to another user",
		[SD_GROUP_WRITABLE] = "its group may write it",
		[SD_OTHERS_WRITABLE] = "others may write it",
	};
	struct stat st;
	char *bad = NULL;
	unsigned uid;
	int fd, r;

	if (dir[0] != '/')
		return eb_fail(err, errlen, -EINVAL, "%s: not an absolute path", dir);
	if ((r = make_dirs(dir)) < 0)
		return eb_fail(err, errlen, r, "%s: cannot create it: %s", dir, strerror(-r));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return eb_fail(err, errlen, -errno, "%s: %s", dir, strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = eb_fail(err, errlen, -errno, "%s: %s", dir, strerror(errno));
		goto bad;
	}
	if (st.st_uid != geteuid()) {
		r = eb_fail(err, errlen, -EPERM, "%s belongs to user %u, expected a directory of user %u",
			 dir, (unsigned)st.st_uid, (unsigned)geteuid());
		goto bad;
	}
	if (st.st_mode & 022) {
		r = eb_fail(err, errlen, -EPERM, "%s: %s may write it (mode %04o), expected mode 0700",
			 dir, st.st_mode & 002 ? "others" : "its group", (unsigned)(st.st_mode & 07777));
		goto bad;
	}
	r = sd_check_tree(dir, &bad, &uid);
	if (r != SD_SAFE) {
		if (r < 0)
			r = eb_fail(err, errlen, r, "%s: %s", bad ? bad : dir, strerror(-r));
		else
			r = eb_fail(err, errlen, -EPERM, "%s: the directory %s above it %s", dir,
				 bad ? bad : "?", r < (int)(sizeof(why) / sizeof(why[0])) && why[r] ?
				 why[r] : "could be changed by another user");
		free(bad);
		goto bad;
	}
	free(bad);
	return fd;
bad:
	close(fd);
	return r;
}

int prb_cache_dir_ok(const char *dir, char *err, size_t errlen)
{
	int fd = open_dir(dir, err, errlen);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* The file's name in the directory: FNV-1a of the binary's path. */
static void file_name(const char *binary, char *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const unsigned char *s = (const unsigned char *)binary; *s; s++)
		h = (h ^ *s) * 0x100000001b3ull;
	snprintf(buf, len, "qemu-%016llx.json", (unsigned long long)h);
}

char *prb_cache_path(const char *dir, const char *binary)
{
	char name[64], *out;

	file_name(binary, name, sizeof(name));
	return asprintf(&out, "%s/%s", dir, name) < 0 ? NULL : out;
}

int prb_cache_read(const char *dir, const struct prb_id *id, struct json_object **root)
{
	struct json_tokener *tok = NULL;
	struct json_object *o = NULL;
	struct stat st;
	char name[64], *buf = NULL;
	size_t len = 0;
	int dfd, fd = -1, r;

	*root = NULL;
	if ((dfd = open_dir(dir, NULL, 0)) < 0)
		return dfd;
	file_name(id->path, name, sizeof(name));
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		r = errno == ELOOP ? -EPERM : -errno;
		goto out;
	}
	r = -EPERM;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077))
		goto out;
	r = -EINVAL;
	if (st.st_size <= 0 || (unsigned long long)st.st_size > PRB_MAX_CACHE)
		goto out;
	if ((r = io_read_all(fd, (size_t)st.st_size, &buf, &len)) < 0)
		goto out;
	r = -ENOMEM;
	if (!(tok = json_tokener_new()))
		goto out;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	r = -EINVAL;
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len)
		goto out;
	if ((r = prb_validate(o, id)) < 0)
		goto out;
	*root = o;
	o = NULL;
out:
	json_object_put(o);
	if (tok)
		json_tokener_free(tok);
	free(buf);
	if (fd >= 0)
		close(fd);
	close(dfd);
	return r;
}

int prb_cache_write(const char *dir, const struct prb_id *id, struct json_object *root)
{
	char name[64], tmp[96];
	const char *text;
	int dfd, fd = -1, r;

	if ((dfd = open_dir(dir, NULL, 0)) < 0)
		return dfd;
	file_name(id->path, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	r = -ENOMEM;
	if (!(text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)))
		goto out;
	r = 0;
	(void)unlinkat(dfd, tmp, 0);    /* one of ours, left by a crash */
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (fchmod(fd, 0600) < 0 || (r = io_write_all(fd, text, strlen(text))) < 0 ||
	    (r = io_write_all(fd, "\n", 1)) < 0 || fsync(fd) < 0) {
		r = r < 0 ? r : -errno;
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		goto out;
	}
	fd = -1;
	r = renameat(dfd, tmp, dfd, name) < 0 ? -errno : 0;
out:
	if (fd >= 0)
		close(fd);
	if (r < 0)
		(void)unlinkat(dfd, tmp, 0);
	close(dfd);
	return r;
}
