/*
 * [fsdev.ID]: driver (default local), path, security_model (required for
 * local: passthrough, mapped-xattr (or mapped), mapped-file or none), every other key
 * passed through in file order -> -fsdev local,id=ID,path=P,security_model=M
 */
#include "idopt.h"

#include <string.h>

static const struct idopt fsdev_opt = {
	.flag = "-fsdev",
	.head_key = "driver",
	.head_default = "local",
	.what = "a driver such as local",
};

static int fsdev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const models[] = {
		"passthrough", "mapped-xattr", "mapped-file", "none", "mapped", NULL,
	};
	const char *driver = "local", *path, *dummy;
	size_t i;
	int r = 0, got;

	api->get_string(ctx, "driver", &driver);
	if (api->get_string(ctx, "security-model", &dummy) > 0)
		return api->error(ctx, "security-model", "QEMU spells this key security_model, expected security_model");
	got = api->get_enum(ctx, "security_model", models, &i);
	if (got < 0)
		r = got;
	if (strcmp(driver, "local") == 0) {
		if (got == 0)
			r = api->error(ctx, NULL, "missing key 'security_model' (QEMU requires it for local), "
				       "expected passthrough, mapped-xattr, mapped-file or none");
		if (api->get_string(ctx, "path", &path) <= 0)
			r = api->error(ctx, NULL, "missing key 'path', expected the host directory to share");
		else if (!*path)
			r = api->error(ctx, "path", "empty path, expected the host directory to share");
	}
	return r < 0 ? r : idopt_emit(ctx, api, &fsdev_opt);
}

static const struct ql_section_type fsdev_sections[] = {
	{ "fsdev", QL_SECTION_MULTI, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "fsdev",
	.version = "1.0",
	.description = "file system devices for 9p sharing (-fsdev)",
	.sections = fsdev_sections,
	.order = QL_ORDER_FSDEV,
	.emit = fsdev_emit,
};
