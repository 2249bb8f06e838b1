/*
 * [global.NAME]: driver, property, value -> -global DRIVER.PROPERTY=VALUE.
 * QEMU splits that short form at the first dot, so a driver whose name has
 * a dot (cfi.pflash01) gets the long form
 * -global driver=D,property=P,value=V.  Names live in values because
 * iniparser lower-cases keys and QEMU's names are case-sensitive.
 */
#include <qlaunch/plugin.h>

#include <ctype.h>
#include <errno.h>
#include <string.h>

/* QEMU reads at most 63 bytes of each name in the short form. */
#define SHORT_NAME_MAX 63

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return 0;
	return 1;
}

static int global_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const keys[] = { "driver", "property", "value" };
	const char *v[3] = { NULL, NULL, NULL }, *word;
	int r = 0;

	for (size_t i = 0; i < 3; i++)
		if (api->get_string(ctx, keys[i], &v[i]) <= 0)
			r = -EINVAL;    /* missing: the core said so */
	for (size_t i = 0; i < 2 && v[i]; i++)
		if (!valid_name(v[i]))
			r = api->error(ctx, keys[i], "invalid name '%s', expected letters, digits, '-', '_' and '.'", v[i]);
	if (r < 0)
		return r;
	if (strchr(v[0], '.') || strlen(v[0]) > SHORT_NAME_MAX || strlen(v[1]) > SHORT_NAME_MAX)
		return api->emit_section(ctx);
	/* short form: the value is taken as it is, commas included */
	word = api->format(ctx, "%s.%s=%s", v[0], v[1], v[2]);
	if (!word)
		return -ENOMEM;
	if ((r = api->arg(ctx, "-global")) == 0)
		r = api->arg(ctx, word);
	return r;
}

#define NAME(n) { .name = n, .kind = QL_KEY_STRING, .flags = QL_KEY_REQUIRED | QL_KEY_EARLY, \
		  .what = "driver, property and value" }

/* The generic emitter writes the long form, in this order. */
static const struct ql_key global_keys[] = {
	NAME("driver"), NAME("property"), NAME("value"),
	{ .name = NULL },
};

static const struct ql_section_type global_sections[] = {
	{ .name = "global", .flags = QL_SECTION_MULTI, .order = QL_ORDER_GLOBAL,
	  .option = "-global", QL_KEYS(global_keys), .emit = global_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "global",
	.version = "1.0",
	.description = "default values for device properties (-global)",
	.sections = global_sections,
};
