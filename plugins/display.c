/*
 * [display]: type (required), every other key passed through in file order
 * -> -display TYPE,key=value,...   [qemu] display is its short form (the
 * type alone): one of them, not both.
 * [spice]: every key passed through -> -spice key=value,...
 */
#include <qlaunch/plugin.h>

static const char *const display_types[] = {
	"none", "gtk", "sdl", "curses", "egl-headless", "spice-app", "dbus", NULL,
};

static int display_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *v;

	if (QL_HOST_HAS(api, peek) && api->peek(ctx, "qemu", NULL, "display", &v) == 1)
		return api->error(ctx, NULL, "[qemu] display = %s is set too, expected the display "
				  "in one of the two sections ([qemu] display is the short form)", v);
	return api->emit_section(ctx);
}

static const struct ql_key display_keys[] = {
	{ .name = "type", .kind = QL_KEY_CHOICE, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .choices = display_types },
	{ .name = NULL },
};

static const struct ql_key spice_keys[] = {
	{ .name = "password-secret", .kind = QL_KEY_REF, .ref = "object" },
	{ .name = "tls-creds", .kind = QL_KEY_REF, .ref = "object" },
	{ .name = NULL },
};

static const struct ql_section_type display_sections[] = {
	{ .name = "display", .flags = QL_SECTION_SINGLE | QL_SECTION_PASS, .order = QL_ORDER_DISPLAY,
	  .option = "-display", QL_KEYS(display_keys), .emit = display_emit },
	{ .name = "spice", .flags = QL_SECTION_SINGLE | QL_SECTION_PASS, .order = QL_ORDER_DISPLAY,
	  .option = "-spice", QL_KEYS(spice_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "display",
	.version = "1.0",
	.description = "the display back-end and SPICE (-display, -spice)",
	.sections = display_sections,
};
