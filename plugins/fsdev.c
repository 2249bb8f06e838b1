/*
 * [fsdev.ID]: driver (default local), path, security_model (required for
 * local: passthrough, mapped-xattr (or mapped), mapped-file or none), every
 * other key passed through in file order
 * -> -fsdev local,id=ID,path=P,security_model=M
 * check and run make sure that path is a directory.
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int fsdev_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *driver = "local", *path, *model;
	struct stat st;
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
		else if (api->mode(ctx) != QL_MODE_PRINT && stat(path, &st) < 0 && errno == ENOENT)
			r = api->error(ctx, "path", "%s does not exist, expected the host directory to share",
				       path);
		else if (api->mode(ctx) != QL_MODE_PRINT && stat(path, &st) < 0)
			r = api->error(ctx, "path", "cannot use %s: %s, expected the host directory to share",
				       path, strerror(errno));
		else if (api->mode(ctx) != QL_MODE_PRINT && !S_ISDIR(st.st_mode))
			r = api->error(ctx, "path", "%s is not a directory, expected the host directory to share",
				       path);
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
