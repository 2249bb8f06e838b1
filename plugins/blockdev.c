/*
 * [blockdev.NODE]: driver (required), every other key passed through in
 * file order -> -blockdev driver=D,node-name=NODE,...  Dotted keys
 * (file.driver, file.filename, cache.direct) pass through as written; a
 * plain file = X or backing = X names the node of another [blockdev.X];
 * backing = null opens the image without the backing file its header
 * names.  QEMU's key=value syntax has no null: it is written backing=
 * (empty), which QEMU 7.2 takes for null with a deprecation warning.
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <string.h>

/* QEMU keeps node names in 32 bytes. */
#define NODE_NAME_MAX 31

/* The section with backing = null as backing= (empty): in file order,
 * the way the generic emitter writes it. */
static int null_backing(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const skip[] = { "driver", "backing", NULL };
	const char *driver, *node = api->section_id(ctx);
	int r;

	if (api->get_string(ctx, "driver", &driver) <= 0)
		return -EINVAL;
	if ((r = api->opt_begin(ctx, "-blockdev")) < 0 ||
	    (r = api->opt_pair(ctx, "driver", driver)) < 0 ||
	    (r = api->opt_pair(ctx, "node-name", node)) < 0 ||
	    (r = api->opt_rest(ctx, skip)) < 0 ||
	    (r = api->opt_pair(ctx, "backing", "")) < 0)
		return r;
	return api->opt_end(ctx);
}

static int blockdev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const links[] = { "file", "backing", NULL };
	const char *node = api->section_id(ctx), *v;
	int r = 0, e, none = 0;

	if (node && strlen(node) > NODE_NAME_MAX)
		r = api->error(ctx, NULL, "node name '%s' is longer than %d characters, expected a shorter id",
			       node, NODE_NAME_MAX);
	for (size_t i = 0; links[i]; i++) {
		if (api->get_string(ctx, links[i], &v) <= 0)
			continue;
		if (i == 1 && strcmp(v, "null") == 0)
			none = 1;
		else if (node && strcmp(v, node) == 0)
			r = api->error(ctx, links[i], "'%s' is this node itself, expected another [blockdev.NODE]", v);
		else if ((e = api->require_id(ctx, links[i], "blockdev", v)) < 0)
			r = e;
	}
	if (r < 0)
		return r;
	return none ? null_backing(ctx, api) : api->emit_section(ctx);
}

static const struct ql_key blockdev_keys[] = {
	{ .name = "driver", .kind = QL_KEY_STRING, .flags = QL_KEY_EARLY | QL_KEY_REQUIRED,
	  .what = "a block driver such as file, qcow2 or raw" },
	{ .name = "file", .kind = QL_KEY_STRING },
	{ .name = "backing", .kind = QL_KEY_STRING },
	{ .name = NULL },
};

static const struct ql_section_type blockdev_sections[] = {
	{ .name = "blockdev", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_BLOCKDEV, .option = "-blockdev", .id_key = "node-name",
	  QL_KEYS(blockdev_keys), .emit = blockdev_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "blockdev",
	.version = "1.0",
	.description = "block device nodes (-blockdev)",
	.sections = blockdev_sections,
};
