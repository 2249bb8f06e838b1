/*
 * The capability probe: what a QEMU binary has, asked of the binary
 * itself and cached per binary identity.
 *
 * prb_get runs the binary once when the cache does not answer (QMP over
 * a socketpair whose end QEMU inherits as -chardev socket,fd=3: nothing is
 * created on disk; again for each device type that kills it), plus
 * `BINARY -display help` and `BINARY -audiodev help` for the display
 * back-ends and audio drivers whose module is installed, and keeps the
 * answers in one JSON object:
 *
 *   { "qlaunch-probe": 2,
 *     "binary": { "path", "dev", "ino", "size", "mtime", "mtime-ns",
 *                 "ctime", "ctime-ns" },
 *     "version": "7.2.22", "package": "Debian ...",
 *     "machines": [...], "cpus": [...], "devices": [...],
 *     "objects": [...], "accels": [...], "displays": [...], "types": [...],
 *     "blockdev-drivers": [...], "netdev-types": [...], "audiodev-drivers": [...],
 *     "machine-aliases": { "q35": "pc-q35-7.2", ... },
 *     "cpu-typenames": { "max": "max-x86_64-cpu", ... },
 *     "arguments": { "netdev": { "user": SPEC, ... }, "blockdev": {...},
 *                    "object": {...}, "display": {...}, "chardev": {...} },
 *     "options": { "chardev": { "path": "string", ... }, ... },
 *     "properties": { "QOMTYPE": { "name": { "type": "bool",
 *                                            "description": "..." }, ... }
 *                     or null } }
 *
 * arguments come from query-qmp-schema: for each variant of netdev_add's,
 * blockdev-add's and object-add's arguments and of query-display-options'
 * reply, its members (the base's and the variant's, without the tag);
 * for chardev-add's backends, the members of each one's data.  A
 * SPEC maps each member to "str", "int", "bool", "number" or "any" (the
 * JSON type: "int" stands for sizes too), an array of an enum's values,
 * or a SPEC of an object's members (all variants' together); arrays and
 * alternates are "any".  options are query-command-line-options' parameters
 * of the options that list any ("string", "boolean", "number", "size").
 *
 * properties holds only the types asked for (lazily): device and CPU types
 * by device-list-properties, machine and accelerator types by
 * qom-list-properties.  null marks a type QEMU listed but could not
 * describe (it exited while answering, as QEMU 7.2 does for
 * virtio-gpu-gl-pci when its module is missing).
 *
 * The cache (prbcache.h; the one exception to "print and check create
 * nothing"): a file per binary in $XDG_CACHE_HOME/qlaunch if that is set
 * (absolute), else /var/cache/qlaunch for root and ~/.cache/qlaunch for
 * other users.  The directory must be the effective user's, with no group
 * or other write permission, in a tree no other user could change
 * (safedir.h); else the cache is not used (a warning says why) and the
 * probe runs uncached.  Files are 0600, written to a temporary file in the
 * same directory and renamed.  A file that is not the user's private
 * regular file, that does not parse, has the wrong shape or names another
 * identity is ignored and rewritten.
 */
#ifndef QL_PROBE_H
#define QL_PROBE_H

#include <stddef.h>
#include <sys/types.h>

#include "strbuf.h"

struct json_object;

/* What identifies one version of a binary (stat of the path). */
struct prb_id {
	const char *path;
	unsigned long long dev, ino, size;
	long long mtime, mtime_ns, ctime, ctime_ns;
};

struct prb {
	struct json_object *root;   /* the shape above (owned) */
	char *cache_file;           /* where it is cached, or NULL */
	int from_cache;             /* 1: no QEMU was started */
	struct strv warnings;       /* lines for stderr (no "qlaunch: ") */
};

/* The version of the shape above, in "qlaunch-probe". */
#define PRB_FORMAT 2

/* Which set of names (the arrays of the shape above). */
enum prb_list {
	PRB_MACHINES, PRB_CPUS, PRB_DEVICES, PRB_OBJECTS, PRB_ACCELS, PRB_DISPLAYS,
	PRB_TYPES,      /* every QOM type, abstract ones too (-global drivers,
			 * chardev-BACKEND) */
	PRB_BLOCKDEV_DRIVERS, /* query-qmp-schema: blockdev-add's driver */
	PRB_NETDEV_TYPES,     /* query-qmp-schema: netdev_add's type */
	PRB_AUDIODEV_DRIVERS, /* BINARY -audiodev help: those that load */
	PRB_NLISTS
};

/* Each list's key in the JSON object: "machines", ... */
extern const char *const prb_list_keys[PRB_NLISTS];

/* Whose properties: a device type, a CPU model, a machine type (or
 * alias), an accelerator. */
enum prb_kind { PRB_DEVICE, PRB_CPU, PRB_MACHINE, PRB_ACCEL };

struct prb_want {
	enum prb_kind kind;
	const char *name;
};

/*
 * The probe of binary (an absolute path), with the properties of every
 * type in want (n of them, may be 0) known: from the cache if it holds a
 * valid probe of this identity with them, else by running the binary
 * (then the cache is rewritten).  cache_dir: the directory to use, or NULL
 * for the default above.  On success 0 and *out filled (prb_release);
 * else -errno with a message (one line) in err.
 */
int prb_get(const char *binary, const struct prb_want *want, size_t n,
	    const char *cache_dir, struct prb *out, char *err, size_t errlen);

/* Is name in the list?  1 or 0 (0 if the list is missing). */
int prb_has(const struct prb *p, enum prb_list which, const char *name);

/* The list as a NULL-terminated array of borrowed strings (free only the
 * array), for val_suggest; NULL if out of memory. */
const char **prb_names(const struct prb *p, enum prb_list which);

/*
 * The properties of name (asked for with prb_get): 1 and *names (a
 * NULL-terminated borrowed array: free only the array), 0 if QEMU could
 * not describe the type, -ENOENT if it was not asked for or the binary
 * has no such type.
 */
int prb_props(const struct prb *p, enum prb_kind kind, const char *name, const char ***names);

/* The type QEMU gave property prop of name ("bool", "uint32",
 * "OnOffAuto", ...; borrowed), or NULL if not known; its description, or
 * NULL. */
const char *prb_prop_type(const struct prb *p, enum prb_kind kind, const char *name,
			  const char *prop);
const char *prb_prop_description(const struct prb *p, enum prb_kind kind, const char *name,
				 const char *prop);

/* The SPEC of family's ("netdev", "blockdev", "object", "display")
 * variant (borrowed), or NULL if the schema did not say. */
struct json_object *prb_arguments(const struct prb *p, const char *family, const char *variant);

/* The keys of a JSON object of the probe's (a SPEC, an option's
 * parameters) as a NULL-terminated array of borrowed strings (free only
 * the array); NULL if out of memory. */
const char **prb_keys(struct json_object *o);

/* The { parameter: type } of option (without '-'; borrowed), or NULL if
 * QEMU lists none (it then takes any). */
struct json_object *prb_option(const struct prb *p, const char *option);

void prb_release(struct prb *p);

#endif
