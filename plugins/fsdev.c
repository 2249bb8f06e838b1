/*
 * [fsdev.ID]: driver (default local), path, security_model (required for
 * local: passthrough, mapped-xattr (or mapped), mapped-file or none), every
 * other key passed through in file order
 * -> -fsdev local,id=ID,path=P,security_model=M
 */
#include <qlaunch/plugin.h>

#include <string.h>

static int fsdev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *driver = "local", *path, *model;
	int r = 0;

	api->get_string(ctx, "driver", &driver);
	if (api->get_string(ctx, "security-model", &model) > 0)
		return api->error(ctx, "security-model", "QEMU spells this key security_model, expected security_model");
	if (strcmp(driver, "local") == 0) {
		if (api->get_string(ctx, "security_model", &model) == 0)
			r = api->error(ctx, NULL, "missing key 'security_model' (QEMU requires it for local), "
				       "expected passthrough, mapped-xattr, mapped-file or none");
		if (api->get_string(ctx, "path", &path) <= 0)
			r = api->error(ctx, NULL, "missing key 'path', expected the host directory to share");
		else if (!*path)
			r = api->error(ctx, "path", "empty path, expected the host directory to share");
	}
	return r < 0 ? r : api->emit_section(ctx);
}

static const char *const fsdev_models[] = {
	"passthrough", "mapped-xattr", "mapped-file", "none", "mapped", NULL,
};

static const struct ql_key fsdev_keys[] = {
	{ .name = "driver", .kind = QL_KEY_STRING, .flags = QL_KEY_HEAD, .dflt = "local" },
	{ .name = "security_model", .kind = QL_KEY_CHOICE, .choices = fsdev_models },
	{ .name = "path", .kind = QL_KEY_STRING },
	{ .name = NULL },
};

static const struct ql_section_type fsdev_sections[] = {
	{ .name = "fsdev", .flags = QL_SECTION_MULTI | QL_SECTION_PASS,
	  .order = QL_ORDER_FSDEV, .option = "-fsdev", .id_key = "id",
	  QL_KEYS(fsdev_keys), .emit = fsdev_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "fsdev",
	.version = "1.0",
	.description = "file system devices for 9p sharing (-fsdev)",
	.sections = fsdev_sections,
};
