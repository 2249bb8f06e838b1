/*
 * qlaunch plugin SDK: the interface between the qlaunch core and an option
 * plugin.  This header is the whole contract; a plugin needs nothing else.
 *
 * A plugin is a shared object NAME.so that exports exactly one symbol,
 * QL_PLUGIN_SYMBOL, a const struct ql_plugin describing it.  The core loads
 * it with dlopen, checks the descriptor, and calls its emit callback once per
 * INI section it owns, in file order.  The callback reads the section through
 * the host API table and appends QEMU arguments through the same table.
 *
 * Rules for plugins:
 *   - never print, never exit, keep no global mutable state;
 *   - report every problem with api->error() (it knows file, line, section);
 *   - return 0 on success, a negative errno value on failure.
 *
 * ABI promise: within one major version (QL_ABI_MAJOR) fields are only ever
 * appended to struct ql_plugin and struct ql_host_api, and QL_ABI_MINOR is
 * bumped when that happens.  A core reads any plugin of its major version
 * whose minor is not newer than its own; a plugin may check
 * QL_HOST_HAS(api, member) before calling a host function added after 1.0.
 * Anything else (a removed or reordered member, a changed signature or
 * meaning) bumps QL_ABI_MAJOR and with it the descriptor's symbol name.
 */
#ifndef QLAUNCH_PLUGIN_H
#define QLAUNCH_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QL_ABI_MAJOR 1
#define QL_ABI_MINOR 0

/* "QLPL" in ASCII: first field of every descriptor. */
#define QL_PLUGIN_MAGIC 0x514c504cU

/* The one symbol a plugin exports; it carries the ABI major version. */
#define QL_PLUGIN_SYMBOL "ql_plugin_v1"
#define QL_PLUGIN_DESCRIPTOR ql_plugin_v1

#if defined(__GNUC__)
#define QL_PLUGIN_EXPORT __attribute__((visibility("default")))
#define QL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define QL_PLUGIN_EXPORT
#define QL_PRINTF(f, a)
#endif

/* Where a section type may appear. */
enum ql_section_flags {
	QL_SECTION_SINGLE = 1u << 0, /* [type] */
	QL_SECTION_MULTI = 1u << 1,  /* [type.ID], ID a QEMU id */
};

/*
 * One INI section type a plugin owns.  name is lower-case ([a-z][a-z0-9_-]*).
 * keys is a NULL-terminated list of the keys the section accepts; the core
 * rejects any other key (with a suggestion) before calling the plugin.  NULL
 * means "any key": the plugin passes unknown keys through to QEMU.
 */
struct ql_section_type {
	const char *name;
	unsigned flags;
	const char *const *keys;
};

/* Opaque: the section being emitted and the output it goes to. */
struct ql_ctx;
struct ql_host_api;

/*
 * Called once per section instance, in argv order (see struct ql_plugin's
 * order).  Returns 0, or a negative errno value
 * after reporting the problem with api->error().  On failure the core keeps
 * going with the other sections (so the user sees every error at once) but
 * discards the output.
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
 * The plugin descriptor, ABI 1.0.  Define it with QL_PLUGIN_HEADER first:
 *
 *   QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
 *           QL_PLUGIN_HEADER,
 *           .name = "memory", ...
 *   };
 */
struct ql_plugin {
	uint32_t magic;        /* QL_PLUGIN_MAGIC */
	uint16_t abi_major;    /* QL_ABI_MAJOR the plugin was built with */
	uint16_t abi_minor;    /* QL_ABI_MINOR the plugin was built with */
	uint32_t struct_size;  /* sizeof(struct ql_plugin) at build time */
	const char *name;      /* equal to the file stem: "memory" for memory.so */
	const char *version;   /* the plugin's own version, free form */
	const char *description; /* one line, no trailing period */
	const struct ql_section_type *sections; /* ends with a NULL name */
	int order;             /* argv position of its options: lower first;
				* ties by plugin name, then file order */
	ql_emit_fn *emit;
};

#define QL_PLUGIN_HEADER                                       \
	.magic = QL_PLUGIN_MAGIC, .abi_major = QL_ABI_MAJOR,       \
	.abi_minor = QL_ABI_MINOR, .struct_size = sizeof(struct ql_plugin)

/* Order numbers of the standard families (the documented argv order). */
enum ql_order {
	QL_ORDER_NAME = 0,     /* [qemu] name (core) */
	QL_ORDER_UUID = 10,    /* [qemu] uuid (core) */
	QL_ORDER_ADD_FD = 15,  /* [fd.NAME] -add-fd (core) */
	QL_ORDER_MACHINE = 20,
	QL_ORDER_CPU = 30,
	QL_ORDER_QMP = 40,
	QL_ORDER_MEMORY = 50,
	QL_ORDER_SMP = 60,
	QL_ORDER_DEVICES = 70,
	QL_ORDER_CHARDEV = 80,
	QL_ORDER_FSDEV = 90,
	QL_ORDER_OBJECTS = 100,
	QL_ORDER_RTC = 110,
	QL_ORDER_KERNEL = 120,
	QL_ORDER_GLOBAL = 130,
	QL_ORDER_VGA = 140,
	QL_ORDER_SWITCHES = 1000, /* [qemu] switches (core) */
};

/* What the core is doing.  Plugins open nothing themselves: fds for QEMU
 * come through fd_pass, whose open function runs in QL_MODE_RUN only. */
enum ql_mode {
	QL_MODE_CHECK = 0,
	QL_MODE_PRINT = 1,
	QL_MODE_RUN = 2,
};

/*
 * The host API, ABI 1.0.  Every function takes the ctx the plugin was called
 * with.  Strings returned are owned by the core and live until the launch
 * is over (QEMU exec'd or the command done).
 *
 * Getters return 1 when the key is present and valid (*out set), 0 when it
 * is absent (*out untouched) and a negative errno value when it is present
 * but invalid; the error has then been reported, naming the key's line.
 *
 * Output functions return 0 or -ENOMEM / -EINVAL (the latter reported).
 */
struct ql_host_api {
	uint32_t struct_size;  /* sizeof(struct ql_host_api) in the core */
	uint16_t abi_major;
	uint16_t abi_minor;

	/* --- the section --- */
	/* Section type, lower case: "device". */
	const char *(*section_type)(const struct ql_ctx *ctx);
	/* ID as spelled in the file ("Net0"), or NULL for a [type] section. */
	const char *(*section_id)(const struct ql_ctx *ctx);
	/* Keys in file order; names are lower case (iniparser folds them). */
	size_t (*key_count)(const struct ql_ctx *ctx);
	const char *(*key_name)(const struct ql_ctx *ctx, size_t i);
	const char *(*key_value)(const struct ql_ctx *ctx, size_t i);
	enum ql_mode (*mode)(const struct ql_ctx *ctx);

	/* --- typed getters --- */
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

	/* --- output --- */
	/* Append one raw argv word (no escaping: for -kernel PATH etc.). */
	int (*arg)(struct ql_ctx *ctx, const char *word);
	/*
	 * Option builder for comma-separated QEMU options.  opt_begin starts
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
	 * Hand a file descriptor to QEMU.  *qemu_fd receives the number QEMU
	 * will see, the same in every mode.  Nothing is opened now: in
	 * QL_MODE_RUN the core calls the plugin's open(arg, ...) after every
	 * section has
	 * been read without error, places the fd at *qemu_fd and owns it; a
	 * failure is reported at key's line (key may be NULL).  arg must live
	 * as long as the launch: a string from the host API, or a literal.
	 */
	int (*fd_pass)(struct ql_ctx *ctx, const char *key, ql_open_fn *open,
		       const char *arg, int *qemu_fd);

	/*
	 * Record that key refers to the section [type.id]; the core reports the
	 * key's line if no such section exists once every section is read.
	 */
	int (*require_id)(struct ql_ctx *ctx, const char *key, const char *type,
			  const char *id);

	/*
	 * Report a problem as "FILE:LINE: [section] key: message".  key may be
	 * NULL (the section's header line is used).  Returns -EINVAL, so a
	 * plugin can write: return api->error(ctx, "size", "...");
	 */
	int (*error)(struct ql_ctx *ctx, const char *key, const char *fmt, ...)
		QL_PRINTF(3, 4);
};

/* True if the core's host API table has member m (added in some 1.x). */
#define QL_HOST_HAS(api, m)                                            \
	((api)->struct_size >= offsetof(struct ql_host_api, m) + sizeof((api)->m))

#ifdef __cplusplus
}
#endif

#endif /* QLAUNCH_PLUGIN_H */
