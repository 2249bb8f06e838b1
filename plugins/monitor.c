/*
 * [monitor.ID]: chardev (required: a [chardev.C]), mode = readline (HMP,
 * QEMU's default) | control (QMP), pretty (control only)
 * -> -mon chardev=C,id=ID,mode=M,pretty=on|off
 */
#include <qlaunch/plugin.h>

#include <string.h>

static const char *const monitor_modes[] = { "readline", "control", NULL };

static int monitor_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	size_t mode = 0;
	int pretty;

	api->get_enum(ctx, "mode", monitor_modes, &mode);
	if (mode == 0 && api->get_bool(ctx, "pretty", &pretty) > 0 && pretty)
		return api->error(ctx, "pretty", "only a QMP monitor is pretty-printed, expected mode = control");
	return api->emit_section(ctx);
}

static const struct ql_key monitor_keys[] = {
	{ .name = "chardev", .kind = QL_KEY_REF, .flags = QL_KEY_EARLY | QL_KEY_REQUIRED,
	  .ref = "chardev" },
	{ .name = "mode", .kind = QL_KEY_CHOICE, .choices = monitor_modes },
	{ .name = "pretty", .kind = QL_KEY_BOOL },
	{ .name = NULL },
};

static const struct ql_section_type monitor_sections[] = {
	{ .name = "monitor", .flags = QL_SECTION_MULTI, .order = QL_ORDER_MONITOR,
	  .option = "-mon", .id_key = "id", QL_KEYS(monitor_keys), .emit = monitor_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "monitor",
	.version = "1.0",
	.description = "monitors on character devices, HMP or QMP (-mon)",
	.sections = monitor_sections,
};
