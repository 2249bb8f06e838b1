/*
 * A plugin built against the SDK of qlaunch 0.1 (plugin ABI 1.0): its
 * header is kept in tests/abi1/qlaunch/plugin.h exactly as it was.  The
 * loader must refuse it with a message naming the file and both ABIs.
 */
#include <qlaunch/plugin.h>

#if QL_ABI_MAJOR != 1
#error "tests/plugins/abi1.c must be built against the 1.0 header"
#endif

static int v1_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	return api->arg(ctx, "-v1");
}

static const struct ql_section_type v1_sections[] = {
	{ "tv1", QL_SECTION_SINGLE, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "tabi1",
	.version = "1.0",
	.description = "a plugin of ABI 1.0",
	.sections = v1_sections,
	.order = 500,
	.emit = v1_emit,
};
