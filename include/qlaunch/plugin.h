/*
 * qlaunch plugin SDK, ABI 2: the interface between the qlaunch core and an
 * option plugin.  This header is the whole contract; a plugin needs nothing
 * else.
 *
 * A plugin is a shared object NAME.so that exports exactly one symbol,
 * QL_PLUGIN_SYMBOL, a const struct ql_plugin.  The descriptor lists the INI
 * section types the plugin owns; each section type declares its keys as
 * data (struct ql_key) and, for the common shape
 *
 *     -OPTION HEAD,id=ID,key=value,...
 *
 * also how it becomes QEMU arguments, so that such a plugin has no code at
 * all.  The core checks every declared key before anything else runs
 * (kinds, ranges, choices, references to other sections, required keys)
 * and reports each problem as "FILE:LINE: [section] key: ..., expected ...".
 * A section type whose rules a table cannot say has an emit hook, which
 * reads the section and appends arguments through the host API table.
 *
 * Rules for plugins:
 *   - never print, never exit, keep no global mutable state;
 *   - report every problem with api->error() (it knows file, line, section);
 *   - return 0 on success, a negative errno value on failure.
 *
 * ABI promise: within one major version (QL_ABI_MAJOR), members are only
 * ever appended to the structs below, and QL_ABI_MINOR is bumped when that
 * happens; each member says since which minor it exists, and a member's
 * zero value always means "not used".  Every struct a plugin hands the core
 * says how big it was when the plugin was built (struct_size, section_size,
 * key_size), so that:
 *   - a core reads an older plugin's structs and treats the members they
 *     lack as zero;
 *   - a core reads a newer plugin's structs up to what it knows, and
 *     refuses the plugin if it sets a member past that (it would ask for
 *     something this core cannot do), naming the file: a plugin rebuilt
 *     against a newer 2.x header that uses nothing new still loads;
 *   - a size smaller than 2.0's, or larger than the core's own for a
 *     plugin that claims the core's minor or an older one, is refused.
 * A minor may also add key kinds, key flags and section flags; a core
 * refuses a plugin that declares one it does not know.  Host functions
 * added after 2.0 are called only after testing QL_HOST_HAS(api, member).  Anything else (a removed or reordered member,
 * a changed signature or meaning) bumps QL_ABI_MAJOR and with it the
 * symbol's name.  A plugin built for another major is refused with a
 * message naming the file and both ABI versions (see qlaunch-plugin(7)).
 */
#ifndef QLAUNCH_PLUGIN_H
#define QLAUNCH_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QL_ABI_MAJOR 2
#define QL_ABI_MINOR 2

/* "QLPL" in ASCII: first member of every descriptor. */
#define QL_PLUGIN_MAGIC 0x514c504cU

/* The one symbol a plugin exports; it carries the ABI major version.  A
 * program that links plugins statically (qlaunch's built-in plugins) gives
 * each its own name by defining QL_PLUGIN_DESCRIPTOR before this header. */
#define QL_PLUGIN_SYMBOL "ql_plugin_v2"
#ifndef QL_PLUGIN_DESCRIPTOR
#define QL_PLUGIN_DESCRIPTOR ql_plugin_v2
#endif

#if defined(__GNUC__)
#define QL_PLUGIN_EXPORT __attribute__((visibility("default")))
#define QL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define QL_PLUGIN_EXPORT
#define QL_PRINTF(f, a)
#endif

/* ------------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------------ */

/* What a key's value must be; the core checks it before the plugin runs. */
enum ql_key_kind {
	QL_KEY_STRING = 1, /* any text */
	QL_KEY_UINT,       /* decimal digits, no sign or leading zero, in
			    * [min, max] (max 0: no upper bound) */
	QL_KEY_SIZE,       /* digits with an optional K, M, G or T suffix
			    * (powers of 1024, either case); a bare number
			    * counts in unit bytes (unit 0: 1).  Emitted as
			    * written, a bare number with unit's suffix added
			    * (unless QL_KEY_RAW) */
	QL_KEY_BOOL,       /* on/off, yes/no, true/false; emitted on/off
			    * (unless QL_KEY_RAW) */
	QL_KEY_CHOICE,     /* one of choices, case-sensitive; "did you mean" */
	QL_KEY_REF,        /* the ID of a [ref.ID] section of this config;
			    * since 2.1 ref may name several types separated
			    * by spaces ("blockdev drive disk"): any will do */
	QL_KEY_LIST,       /* items separated by blanks; each item becomes
			    * the same QEMU key again: a = x y -> a=x,a=y */
	QL_KEY_PATH,       /* a file name: not empty */
};

/* Flags of a key. */
enum ql_key_flags {
	QL_KEY_REQUIRED = 1u << 0, /* missing: "missing key 'K', expected WHAT" */
	QL_KEY_HEAD = 1u << 1,     /* the option's implied first value, written
				    * without "key=" (-device DRIVER,...) */
	QL_KEY_RAW = 1u << 2,      /* emitted exactly as written (only checked) */
	QL_KEY_EARLY = 1u << 3,    /* emitted right after the head, in table
				    * order, not in file order */
	QL_KEY_ARG = 1u << 4,      /* not part of the option: its own argv words
				    * "QEMU VALUE" (qemu is the flag, such as
				    * "-kernel"; the value is not escaped), or
				    * for a boolean just "QEMU" when on; in
				    * table order, after the option */
	QL_KEY_HOOK = 1u << 5,     /* checked, but the generic emitter leaves it
				    * out: the emit hook uses it */
	QL_KEY_EXISTS = 1u << 6,   /* 2.2, QL_KEY_PATH only: QEMU opens the
				    * file, so check and run report a value
				    * that names nothing (print does not look;
				    * an fd set /dev/fdset/N is the fd's) */
};

/*
 * One key of a section type.  Arrays of keys end with a NULL name; the
 * section type gives sizeof(struct ql_key) as key_size (QL_KEYS does).
 */
struct ql_key {
	const char *name;       /* 2.0: INI key, lower case: a letter or digit,
				 * then [a-z0-9_.-] */
	uint32_t kind;          /* 2.0: enum ql_key_kind */
	uint32_t flags;         /* 2.0: enum ql_key_flags */
	const char *qemu;       /* 2.0: QEMU's name if not name (for QL_KEY_ARG
				 * the flag), or NULL */
	const char *what;       /* 2.0: what is expected, for the message about
				 * a missing QL_KEY_REQUIRED key ("a machine
				 * type such as q35 or pc"), or NULL (derived
				 * from the kind) */
	uint64_t min, max;      /* 2.0: QL_KEY_UINT range */
	uint64_t unit;          /* 2.0: QL_KEY_SIZE: bytes of a bare number */
	const char *const *choices; /* 2.0: QL_KEY_CHOICE, NULL-terminated */
	const char *ref;        /* 2.0: QL_KEY_REF: the section type named */
	const char *dflt;       /* 2.0: value emitted when the key is absent,
				 * or NULL; only for a QL_KEY_HEAD (since 2.1
				 * also a QL_KEY_EARLY) that is not
				 * QL_KEY_REQUIRED, of kind STRING, PATH or
				 * CHOICE (then one of choices), not empty, no
				 * ',' or '=', not help or ? */
};

/* ------------------------------------------------------------------------
 * Section types
 * ------------------------------------------------------------------------ */

/* Where a section type may appear, and what it does with other keys. */
enum ql_section_flags {
	QL_SECTION_SINGLE = 1u << 0, /* [type] */
	QL_SECTION_MULTI = 1u << 1,  /* [type.ID], ID a QEMU id */
	QL_SECTION_PASS = 1u << 2,   /* keys it does not declare pass through to
				      * QEMU as key=value, in file order (else
				      * they are errors, with a suggestion) */
};

/* Opaque: the section being emitted and the output it goes to. */
struct ql_ctx;
struct ql_host_api;

/*
 * The emit hook of a section type, called once per section instance in
 * argv order, after the core checked the declared keys (and reported what
 * was wrong: a getter of a key that failed returns -EINVAL without a new
 * message).  It may call api->emit_section() for the generic form.
 * Returns 0, or a negative errno value after reporting the problem with
 * api->error() (no new report is needed if the core already reported one
 * for the section).  On failure the core keeps going with the other
 * sections, so the user sees every error at once, but discards the output.
 */
typedef int ql_emit_fn(struct ql_ctx *ctx, const struct ql_host_api *api);

/*
 * Opens an fd for QEMU (see fd_pass).  Called by the core in QL_MODE_RUN
 * only, once the whole configuration is valid, with the arg given to
 * fd_pass.  Returns a new fd opened close-on-exec, or a negative errno
 * value after writing a one-line reason (no newline) into msg.
 */
typedef int ql_open_fn(const char *arg, char *msg, size_t msglen);

/*
 * Undoes what an open function made outside the fd (a socket's file, say),
 * called by the core with its arg and the fd it returned when the launch
 * fails after it (a later fd cannot be opened, or the exec fails), before
 * the core closes the fd.  Since 2.2, fd is -1 when the fd had gone to
 * QEMU, which then failed ('qlaunch start', new in 2.2: a 2.1 core never
 * does this), so only arg may be relied on.  Must not call the host API,
 * print or exit.
 */
typedef void ql_undo_fn(const char *arg, int fd);

/*
 * One INI section type.  Arrays end with a NULL name; the descriptor gives
 * sizeof(struct ql_section_type) as section_size (QL_PLUGIN_HEADER does).
 *
 * The generic emitter (no emit hook, or api->emit_section from one) writes
 *     OPTION HEAD,EARLY...,ID_KEY=ID,KEY=VALUE...  ARG...
 * the head key bare, then the QL_KEY_EARLY keys in table order, then
 * id_key=ID for a [type.ID] section, then every other key (declared or,
 * with QL_SECTION_PASS, not) in file order, values escaped for QEMU; then
 * the QL_KEY_ARG keys as words of their own.  With option NULL only the
 * QL_KEY_ARG keys are written.
 */
struct ql_section_type {
	const char *name;       /* 2.0: lower case ([a-z][a-z0-9_-]*) */
	uint32_t flags;         /* 2.0: enum ql_section_flags */
	int32_t order;          /* 2.0: argv position of its options: lower
				 * first; ties by plugin name, then file
				 * order (see enum ql_order) */
	const char *option;     /* 2.0: the generic emitter's QEMU option
				 * ("-device"), or NULL */
	const char *id_key;     /* 2.0: QEMU key that gets a [type.ID]
				 * section's ID ("id"), or NULL; needs option
				 * and QL_SECTION_MULTI; a key of that name in
				 * the section is refused, in either form */
	const struct ql_key *keys; /* 2.0: declared keys, or NULL */
	uint32_t key_size;      /* 2.0: sizeof(struct ql_key) */
	ql_emit_fn *emit;       /* 2.0: hook, or NULL: the generic emitter */
};

/* .keys and .key_size of a section type in one go. */
#define QL_KEYS(array) .keys = (array), .key_size = sizeof(struct ql_key)

/* Order numbers of the standard families (the documented argv order). */
enum ql_order {
	QL_ORDER_NAME = 0,     /* [qemu] name: -name (core) */
	QL_ORDER_UUID = 10,    /* [qemu] uuid: -uuid (core) */
	QL_ORDER_ADD_FD = 15,  /* [fd.NAME] -add-fd (core) */
	QL_ORDER_RUNCTL = 16,   /* 2.1: [overcommit], [sandbox], [msg], [action] */
	QL_ORDER_MACHINE = 20,
	QL_ORDER_ACCEL = 24,    /* 2.1 */
	QL_ORDER_FIRMWARE = 26, /* 2.1 */
	QL_ORDER_CPU = 30,
	QL_ORDER_QMP = 40,
	QL_ORDER_MEMORY = 50,
	QL_ORDER_NUMA = 55,     /* 2.1 */
	QL_ORDER_SMP = 60,
	QL_ORDER_BLOCKDEV = 64, /* 2.1 */
	QL_ORDER_DRIVE = 65,    /* 2.1 */
	QL_ORDER_NETDEV = 66,   /* 2.1 */
	QL_ORDER_NIC = 67,      /* 2.1 */
	QL_ORDER_DEVICES = 70,
	QL_ORDER_DISK = 75,     /* 2.1: after [device]: PCI slots stay */
	QL_ORDER_CHARDEV = 80,
	QL_ORDER_MONITOR = 85,  /* 2.1 */
	QL_ORDER_AUDIODEV = 87, /* 2.1 */
	QL_ORDER_TPMDEV = 88,   /* 2.1 */
	QL_ORDER_FSDEV = 90,
	QL_ORDER_OBJECTS = 100,
	QL_ORDER_RTC = 110,
	QL_ORDER_BOOT = 115,    /* 2.1 */
	QL_ORDER_TABLES = 117,  /* 2.1: [smbios], [fw_cfg], [acpitable] */
	QL_ORDER_KERNEL = 120,
	QL_ORDER_GLOBAL = 130,
	QL_ORDER_VGA = 140,
	QL_ORDER_DISPLAY = 145, /* 2.1: [display], [vnc], [spice] */
	QL_ORDER_OPTION = 900,  /* 2.2: [option.NAME], after every family */
	QL_ORDER_SWITCHES = 1000, /* [qemu] switches (core) */
};

/* ------------------------------------------------------------------------
 * The descriptor
 * ------------------------------------------------------------------------ */

/*
 * The plugin descriptor.  Define it with QL_PLUGIN_HEADER first:
 *
 *   QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
 *           QL_PLUGIN_HEADER,
 *           .name = "memory", ...
 *   };
 */
struct ql_plugin {
	uint32_t magic;        /* 2.0: QL_PLUGIN_MAGIC */
	uint16_t abi_major;    /* 2.0: QL_ABI_MAJOR the plugin was built with */
	uint16_t abi_minor;    /* 2.0: QL_ABI_MINOR the plugin was built with */
	uint32_t struct_size;  /* 2.0: sizeof(struct ql_plugin) */
	uint32_t section_size; /* 2.0: sizeof(struct ql_section_type) */
	const char *name;      /* 2.0: equal to the file stem: "memory" */
	const char *version;   /* 2.0: the plugin's own version, free form */
	const char *description; /* 2.0: one line, no trailing period */
	const struct ql_section_type *sections; /* 2.0: ends with a NULL name */
};

#define QL_PLUGIN_HEADER                                             \
	.magic = QL_PLUGIN_MAGIC, .abi_major = QL_ABI_MAJOR,             \
	.abi_minor = QL_ABI_MINOR, .struct_size = sizeof(struct ql_plugin), \
	.section_size = sizeof(struct ql_section_type)

/* What the core is doing.  Plugins open nothing themselves: fds for QEMU
 * come through fd_pass, whose open function runs in QL_MODE_RUN only. */
enum ql_mode {
	QL_MODE_CHECK = 0,
	QL_MODE_PRINT = 1,
	QL_MODE_RUN = 2,
};

/* ------------------------------------------------------------------------
 * The host API
 * ------------------------------------------------------------------------ */

/*
 * The host API, ABI 2.0.  Every function takes the ctx the hook was called
 * with and accepts NULL for every pointer argument: a NULL ctx makes it
 * return -EINVAL (or NULL, 0), any other NULL is reported as a plugin bug
 * at the section's line.  Strings returned are owned by the core and live
 * until the launch is over (QEMU exec'd or the command done).
 *
 * Getters return 1 when the key is present and valid (*out set), 0 when it
 * is absent (*out untouched) and a negative errno value when it is present
 * but invalid; the error has then been reported, naming the key's line.
 *
 * Output functions return 0 or -ENOMEM / -EINVAL (the latter reported).
 */
struct ql_host_api {
	uint32_t struct_size;  /* 2.0: sizeof(struct ql_host_api) in the core */
	uint16_t abi_major;    /* 2.0 */
	uint16_t abi_minor;    /* 2.0 */

	/* --- the section (all 2.0) --- */
	/* Section type, lower case: "device". */
	const char *(*section_type)(const struct ql_ctx *ctx);
	/* ID as spelled in the file ("Net0"), or NULL for a [type] section. */
	const char *(*section_id)(const struct ql_ctx *ctx);
	/* Keys in file order; names are lower case (iniparser folds them). */
	size_t (*key_count)(const struct ql_ctx *ctx);
	const char *(*key_name)(const struct ql_ctx *ctx, size_t i);
	const char *(*key_value)(const struct ql_ctx *ctx, size_t i);
	enum ql_mode (*mode)(const struct ql_ctx *ctx);

	/* --- typed getters (all 2.0) --- */
	int (*get_string)(struct ql_ctx *ctx, const char *key, const char **out);
	/* Decimal unsigned integer within [min, max]. */
	int (*get_uint)(struct ql_ctx *ctx, const char *key, uint64_t min,
			uint64_t max, uint64_t *out);
	/* Size: digits with an optional K, M, G or T suffix (powers of 1024,
	 * either case); a bare number is multiplied by unit.  In bytes. */
	int (*get_size)(struct ql_ctx *ctx, const char *key, uint64_t unit,
			uint64_t *out);
	/* on/off, yes/no, true/false (lower case); *out is 1 or 0. */
	int (*get_bool)(struct ql_ctx *ctx, const char *key, int *out);
	/* One of choices (NULL-terminated, case-sensitive); *out is its index. */
	int (*get_enum)(struct ql_ctx *ctx, const char *key,
			const char *const *choices, size_t *out);

	/* --- output (all 2.0) --- */
	/* Append one raw argv word (no escaping: for -kernel PATH etc.). */
	int (*arg)(struct ql_ctx *ctx, const char *word);
	/*
	 * 2.0: option builder for comma-separated QEMU options.  opt_begin starts
	 * "FLAG", opt_value appends a bare (implied-key) value, opt_pair
	 * appends key=value, opt_end appends FLAG and the joined string to
	 * argv.  Every value has its commas doubled (QEMU's escaping); a key
	 * must be [A-Za-z0-9_.-]+.  A bare value must be non-empty and may not
	 * contain '=' or be "help" or "?" (QEMU would read it as a key or a
	 * request for help); key names the INI key it came from, for the error
	 * message, and may be NULL.  One option is open at a time per ctx.
	 */
	int (*opt_begin)(struct ql_ctx *ctx, const char *flag);
	int (*opt_value)(struct ql_ctx *ctx, const char *key, const char *value);
	int (*opt_pair)(struct ql_ctx *ctx, const char *key, const char *value);
	/* Append every key of the section not listed in skip (NULL-terminated,
	 * may be NULL) as key=value, in file order. */
	int (*opt_rest)(struct ql_ctx *ctx, const char *const *skip);
	int (*opt_end)(struct ql_ctx *ctx);

	/*
	 * 2.0: hand a file descriptor to QEMU.  *qemu_fd receives the number QEMU
	 * will see, the same in every mode.  Nothing is opened now: in
	 * QL_MODE_RUN the core calls open(arg, ...) after every section has
	 * been read without error, places the fd at *qemu_fd and owns it; a
	 * failure is reported at key's line (key may be NULL).  If the launch
	 * fails after open succeeded, the core calls undo(arg, fd) (undo may
	 * be NULL: nothing to undo).  arg must live as long as the launch: a
	 * string from the host API, or a literal.
	 */
	int (*fd_pass)(struct ql_ctx *ctx, const char *key, ql_open_fn *open,
		       ql_undo_fn *undo, const char *arg, int *qemu_fd);

	/*
	 * 2.0: record that key refers to the section [type.id]; the core reports the
	 * key's line if no such section exists once every section is read.
	 * (A QL_KEY_REF key needs no call: the core records it.)
	 */
	int (*require_id)(struct ql_ctx *ctx, const char *key, const char *type,
			  const char *id);

	/*
	 * 2.0: report a problem as "FILE:LINE: [section] key: message".  key
	 * may be NULL (the section's header line is used).  Returns -EINVAL,
	 * so a plugin can write: return api->error(ctx, "size", "...");
	 * verror is the same with a va_list.
	 */
	int (*error)(struct ql_ctx *ctx, const char *key, const char *fmt, ...)
		QL_PRINTF(3, 4);
	int (*verror)(struct ql_ctx *ctx, const char *key, const char *fmt,
		      va_list ap) QL_PRINTF(3, 0);

	/*
	 * 2.0: a string formatted like printf, owned by the core and valid until
	 * the launch is over: for building values and arg()s without buffers.
	 * NULL when out of memory (or for a NULL ctx or fmt).
	 */
	const char *(*format)(struct ql_ctx *ctx, const char *fmt, ...)
		QL_PRINTF(2, 3);

	/*
	 * 2.0: opt_pair writing qemu_key=value for the INI key key: a
	 * message about the pair names key and its line (opt_pair(ctx, k, v)
	 * is opt_pair_as(ctx, k, k, v)).
	 */
	int (*opt_pair_as)(struct ql_ctx *ctx, const char *key, const char *qemu_key,
			   const char *value);

	/* 2.0: the generic emitter on this section (see struct ql_section_type):
	 * -EINVAL without a new message if a problem with the section was
	 * reported already (by the core's checks, or by the hook itself). */
	int (*emit_section)(struct ql_ctx *ctx);

	/* --- since 2.1: test QL_HOST_HAS(api, member) before calling --- */

	/*
	 * 2.1: how many times this launch called counter with name before: 0
	 * the first time, then 1, 2, ... (or a negative errno value).  For
	 * what the sections of a kind share, in argv order: the controller
	 * the first SCSI disk adds, the port the next SATA disk takes.
	 */
	long (*counter)(struct ql_ctx *ctx, const char *name);

	/*
	 * 2.1: look at another section of the configuration: *value receives
	 * key's value (as written) in [type] (id NULL) or [type.id]; returns
	 * 1 if the file sets it, 2 if it is a default of the plugin set (a
	 * default yields to what the file says elsewhere), 0 if that section
	 * or key is absent.  With key and value NULL: 1 if the section
	 * exists, and with id NULL too, if any [type] or [type.ID] does.  For
	 * rules across sections ("not together with [machine] accel").
	 */
	int (*peek)(struct ql_ctx *ctx, const char *type, const char *id,
		    const char *key, const char **value);

	/*
	 * 2.1: make sure the file path exists when QEMU starts: in QL_MODE_RUN,
	 * once the whole configuration is valid and QEMU is known to be
	 * executable, the core creates path as a copy of template if path
	 * does not exist (mode 0600, atomically: it appears whole or not at
	 * all, and an existing file, even one made meanwhile, is never
	 * overwritten), and removes the copy again if the launch then fails.
	 * With template NULL, path must exist already.  An existing path must
	 * be a regular file (not a symbolic link, not the template).  QEMU
	 * opens path by name later, so no other user may be able to swap it:
	 * the directories from its own up to / must belong to root or the
	 * user and be writable by their owner only (or be sticky, the file
	 * then the user's).  Nothing happens in the other modes.  Problems
	 * are reported at key.
	 */
	int (*seed_file)(struct ql_ctx *ctx, const char *key, const char *template_path,
			 const char *path);

	/* --- since 2.2 --- */

	/*
	 * 2.2: "did you mean": the one of candidates (NULL-terminated) closest
	 * to word, by the core's rule for its own suggestions (edit distance
	 * at most 2, at most 1 for words of 3 letters, none for shorter
	 * ones), or NULL.  Returns a pointer into candidates.  For names a
	 * key table cannot list as choices (a section's ID, say).
	 */
	const char *(*suggest)(struct ql_ctx *ctx, const char *word,
			       const char *const *candidates);

	/*
	 * 2.2: report something that is likely wrong but not invalid, as
	 * "FILE:LINE: [section] key: warning: message" (key may be NULL).  A
	 * warning never fails the launch or changes the exit status.  For
	 * what depends on this host rather than on the file (more memory
	 * than the host has): give it in QL_MODE_CHECK and QL_MODE_RUN only.
	 * Returns 0 (or -ENOMEM, -EINVAL for a NULL ctx or fmt).
	 */
	int (*warn)(struct ql_ctx *ctx, const char *key, const char *fmt, ...)
		QL_PRINTF(3, 4);
};

/* True if the core's host API table has member m (added in some 2.x). */
#define QL_HOST_HAS(api, m)                                            \
	((api)->struct_size >= offsetof(struct ql_host_api, m) + sizeof((api)->m))

#ifdef __cplusplus
}
#endif

#endif /* QLAUNCH_PLUGIN_H */
