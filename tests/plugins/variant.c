/*
 * Plugins built only for the loader tests, one variant per -D flag:
 *   GOOD     a well-formed plugin "tgood" owning [tsingle] and [tmulti.ID]
 *   NOSYM    exports no descriptor at all
 *   MAGIC    wrong magic number
 *   ABI3     built for ABI 3 (exports ql_plugin_v3)
 *   FUTURE   built for ABI 2.99, and sets a descriptor member 2.0 lacks
 *   NAME     descriptor name differs from the file name
 *   DUP      claims [tsingle] too
 *   SILENT   fails without reporting why
 *   OPEN     leaves an option open
 *   MASKVGA  a file "vga" owning [vga]: masks a built-in vga plugin
 * The file name (stem) of each is given as STEM.
 */
#include <qlaunch/plugin.h>

#include <errno.h>

__attribute__((unused))
static int good_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const skip[] = { "ref", NULL };
	const char *id = api->section_id(ctx), *ref;
	int r;

	if (!id) {
		const char *a = "unset";

		api->get_string(ctx, "a", &a);
		return api->arg(ctx, a);
	}
	if (api->get_string(ctx, "ref", &ref) > 0 &&
	    (r = api->require_id(ctx, "ref", "tmulti", ref)) < 0)
		return r;
	if ((r = api->opt_begin(ctx, "-tmulti")) < 0 ||
	    (r = api->opt_pair(ctx, "id", id)) < 0 ||
	    (r = api->opt_rest(ctx, skip)) < 0)
		return r;
	return api->opt_end(ctx);
}

__attribute__((unused))
static int silent_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	(void)ctx;
	(void)api;
	return -EIO;
}

/* Handles its section and has nothing to add to the command line. */
__attribute__((unused))
static int quiet_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	(void)ctx;
	(void)api;
	return 0;
}

__attribute__((unused))
static int open_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	return api->opt_begin(ctx, "-x");
}

#if defined(SILENT)
#define EMIT silent_emit
#elif defined(OPEN)
#define EMIT open_emit
#elif defined(QUIET)
#define EMIT quiet_emit
#else
#define EMIT good_emit
#endif

__attribute__((unused))
static const struct ql_key single_keys[] = {
	{ .name = "a", .kind = QL_KEY_STRING },
	{ .name = "b", .kind = QL_KEY_STRING },
	{ .name = NULL },
};

#define PASS(n, f) { .name = n, .flags = (f) | QL_SECTION_PASS, .order = 500, .emit = EMIT }

__attribute__((unused))
static const struct ql_section_type sections[] = {
#if defined(GOOD)
	{ .name = "tsingle", .flags = QL_SECTION_SINGLE, .order = 500, QL_KEYS(single_keys),
	  .emit = EMIT },
	PASS("tmulti", QL_SECTION_MULTI),
#elif defined(DUP)
	{ .name = "tsingle", .flags = QL_SECTION_SINGLE, .order = 500, QL_KEYS(single_keys),
	  .emit = EMIT },
#elif defined(SILENT)
	PASS("tsilent", QL_SECTION_SINGLE),
#elif defined(OPEN)
	PASS("topen", QL_SECTION_SINGLE),
#elif defined(QUIET)
	PASS("tquiet", QL_SECTION_MULTI),
#elif defined(MASKVGA)
	PASS("vga", QL_SECTION_SINGLE),
#else
	PASS("tother", QL_SECTION_SINGLE),
#endif
	{ .name = NULL },
};

#if defined(NOSYM)
QL_PLUGIN_EXPORT const int tnosym_marker = 1;
#else
#if defined(ABI3)
#define DESCRIPTOR ql_plugin_v3
#else
#define DESCRIPTOR QL_PLUGIN_DESCRIPTOR
#endif
#if defined(MAGIC)
#define MAGIC_VALUE 0xdeadbeefU
#else
#define MAGIC_VALUE QL_PLUGIN_MAGIC
#endif
#if defined(ABI3)
#define MAJOR_VALUE 3
#else
#define MAJOR_VALUE QL_ABI_MAJOR
#endif
#if defined(FUTURE)
#define MINOR_VALUE 99
#else
#define MINOR_VALUE QL_ABI_MINOR
#endif
#if defined(FUTURE)
/* a descriptor of a later minor: one more member, set */
struct later {
	struct ql_plugin p;
	const char *added_in_2_99;
};
QL_PLUGIN_EXPORT const struct later DESCRIPTOR = { {
	.struct_size = sizeof(struct later),
#else
QL_PLUGIN_EXPORT const struct ql_plugin DESCRIPTOR = {
	.struct_size = sizeof(struct ql_plugin),
#endif
	.magic = MAGIC_VALUE,
	.abi_major = MAJOR_VALUE,
	.abi_minor = MINOR_VALUE,
	.section_size = sizeof(struct ql_section_type),
#if defined(NAME)
	.name = "other",
#else
	.name = STEM,
#endif
	.version = "0.1",
	.description = "loader test plugin",
	.sections = sections,
#if defined(FUTURE)
	}, "a member this qlaunch does not know"
#endif
};
#endif
