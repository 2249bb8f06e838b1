/*
 * [tpmdev.ID]: type (required: passthrough or emulator), chardev (an
 * emulator's socket, a [chardev]), every other key passed through in file
 * order -> -tpmdev TYPE,id=ID,key=value,...
 */
#include <qlaunch/plugin.h>

static const char *const tpm_types[] = { "passthrough", "emulator", NULL };

static const struct ql_key tpmdev_keys[] = {
	{ .name = "type", .kind = QL_KEY_CHOICE, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .choices = tpm_types },
	{ .name = "chardev", .kind = QL_KEY_REF, .ref = "chardev" },
	{ .name = NULL },
};

static const struct ql_section_type tpmdev_sections[] = {
	{ .name = "tpmdev", .flags = QL_SECTION_MULTI | QL_SECTION_PASS, .order = QL_ORDER_TPMDEV,
	  .option = "-tpmdev", .id_key = "id", QL_KEYS(tpmdev_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "tpmdev",
	.version = "1.0",
	.description = "TPM back-ends (-tpmdev)",
	.sections = tpmdev_sections,
};
