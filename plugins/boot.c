/*
 * [boot]: -boot order=,once=,menu=,splash=,splash-time=,reboot-timeout=,
 * strict= from keys of the same names.  order and once are drive letters
 * (a, b floppies; c first hard disk; d first CD-ROM; n-p network), each
 * at most once.  [qemu] reboot-timeout is the short form of
 * [boot] reboot-timeout: one of them, not both.
 */
#include <qlaunch/plugin.h>

#include <string.h>

static int check_letters(struct ql_ctx *ctx, const struct ql_host_api *api, const char *key)
{
	const char *v;

	if (api->get_string(ctx, key, &v) <= 0)
		return 0;
	if (!*v)
		return api->error(ctx, key, "empty, expected boot drive letters such as cd");
	for (const char *p = v; *p; p++) {
		if (!strchr("abcdnop", *p))
			return api->error(ctx, key, "'%c' is no boot drive, expected letters of a, b (floppy), "
					  "c (hard disk), d (CD-ROM), n-p (network)", *p);
		if (strchr(p + 1, *p))
			return api->error(ctx, key, "'%c' is given twice, expected each drive once", *p);
	}
	return 0;
}

static int boot_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *v;
	int r = 0, e;

	if ((e = check_letters(ctx, api, "order")) < 0)
		r = e;
	if ((e = check_letters(ctx, api, "once")) < 0)
		r = e;
	if (api->get_string(ctx, "reboot-timeout", &v) > 0 && QL_HOST_HAS(api, peek) &&
	    api->peek(ctx, "qemu", NULL, "reboot-timeout", &v) == 1)
		r = api->error(ctx, "reboot-timeout", "also set by [qemu] reboot-timeout, "
			       "expected it in one of the two sections");
	return r < 0 ? r : api->emit_section(ctx);
}

static const struct ql_key boot_keys[] = {
	{ .name = "order", .kind = QL_KEY_STRING },
	{ .name = "once", .kind = QL_KEY_STRING },
	{ .name = "menu", .kind = QL_KEY_BOOL },
	{ .name = "splash", .kind = QL_KEY_PATH, .flags = QL_KEY_EXISTS },
	{ .name = "splash-time", .kind = QL_KEY_UINT, .max = 65535 },
	{ .name = "reboot-timeout", .kind = QL_KEY_UINT, .max = 65535 },
	{ .name = "strict", .kind = QL_KEY_BOOL },
	{ .name = NULL },
};

static const struct ql_section_type boot_sections[] = {
	{ .name = "boot", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_BOOT,
	  .option = "-boot", QL_KEYS(boot_keys), .emit = boot_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "boot",
	.version = "1.0",
	.description = "boot order and boot menu (-boot)",
	.sections = boot_sections,
};
