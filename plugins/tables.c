/*
 * What the firmware hands the guest, in sections named only to tell them
 * apart:
 *   [smbios.NAME]    type (an SMBIOS structure number) or file, then its
 *                    keys in file order -> -smbios type=1,manufacturer=...
 *   [fw_cfg.NAME]    name (required, such as opt/org.example/blob) and
 *                    exactly one of file and string -> -fw_cfg name=...,file=...
 *   [acpitable.NAME] its keys in file order (file, sig, ...) -> -acpitable ...
 */
#include <qlaunch/plugin.h>

#include <string.h>

static int fw_cfg_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *v;
	int file = api->get_string(ctx, "file", &v), string = api->get_string(ctx, "string", &v);

	if (file > 0 && string > 0)
		return api->error(ctx, "string", "both file and string, expected exactly one of them");
	if (file == 0 && string == 0)
		return api->error(ctx, NULL, "missing key 'file' or 'string', expected exactly one of them");
	if (api->get_string(ctx, "name", &v) > 0 && strncmp(v, "opt/", 4) != 0)
		return api->error(ctx, "name", "'%s' is not under opt/, expected a name such as "
				  "opt/org.example/blob (QEMU keeps the rest for itself)", v);
	return api->emit_section(ctx);
}

static const struct ql_key smbios_keys[] = {
	{ .name = "type", .kind = QL_KEY_UINT, .flags = QL_KEY_EARLY, .max = 127 },
	{ .name = "file", .kind = QL_KEY_PATH, .flags = QL_KEY_EXISTS },
	{ .name = NULL },
};

static const struct ql_key fw_cfg_keys[] = {
	{ .name = "name", .kind = QL_KEY_STRING, .flags = QL_KEY_EARLY | QL_KEY_REQUIRED,
	  .what = "the item's name, such as opt/org.example/blob" },
	{ .name = "file", .kind = QL_KEY_PATH, .flags = QL_KEY_EXISTS },
	{ .name = "string", .kind = QL_KEY_STRING },
	{ .name = "gen_id", .kind = QL_KEY_STRING },
	{ .name = NULL },
};

static const struct ql_key acpitable_keys[] = {
	{ .name = "file", .kind = QL_KEY_PATH, .flags = QL_KEY_EXISTS },
	{ .name = NULL },
};

static const struct ql_section_type tables_sections[] = {
	{ .name = "smbios", .flags = QL_SECTION_MULTI | QL_SECTION_PASS, .order = QL_ORDER_TABLES,
	  .option = "-smbios", QL_KEYS(smbios_keys) },
	{ .name = "fw_cfg", .flags = QL_SECTION_MULTI, .order = QL_ORDER_TABLES,
	  .option = "-fw_cfg", QL_KEYS(fw_cfg_keys), .emit = fw_cfg_emit },
	{ .name = "acpitable", .flags = QL_SECTION_MULTI | QL_SECTION_PASS, .order = QL_ORDER_TABLES,
	  .option = "-acpitable", QL_KEYS(acpitable_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "tables",
	.version = "1.0",
	.description = "tables for the guest's firmware (-smbios, -fw_cfg, -acpitable)",
	.sections = tables_sections,
};
