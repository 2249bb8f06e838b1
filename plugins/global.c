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
#include <stdlib.h>
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
	const char *v[3] = { NULL, NULL, NULL };
	char *word;
	int r = 0;

	for (size_t i = 0; i < 3; i++)
		if (api->get_string(ctx, keys[i], &v[i]) <= 0)
			r = api->error(ctx, NULL, "missing key '%s', expected driver, property and value", keys[i]);
	for (size_t i = 0; i < 2 && v[i]; i++)
		if (!valid_name(v[i]))
			r = api->error(ctx, keys[i], "invalid name '%s', expected letters, digits, '-', '_' and '.'", v[i]);
	if (r < 0)
		return r;
	if (strchr(v[0], '.') || strlen(v[0]) > SHORT_NAME_MAX || strlen(v[1]) > SHORT_NAME_MAX) {
		if ((r = api->opt_begin(ctx, "-global")) < 0 ||
		    (r = api->opt_pair(ctx, "driver", v[0])) < 0 ||
		    (r = api->opt_pair(ctx, "property", v[1])) < 0 ||
		    (r = api->opt_pair(ctx, "value", v[2])) < 0)
			return r;
		return api->opt_end(ctx);
	}
	/* short form: the value is taken as it is, commas included */
	word = malloc(strlen(v[0]) + strlen(v[1]) + strlen(v[2]) + 3);
	if (!word)
		return -ENOMEM;
	strcpy(word, v[0]);
	strcat(word, ".");
	strcat(word, v[1]);
	strcat(word, "=");
	strcat(word, v[2]);
	if ((r = api->arg(ctx, "-global")) == 0)
		r = api->arg(ctx, word);
	free(word);
	return r;
}

static const char *const global_keys[] = { "driver", "property", "value", NULL };

static const struct ql_section_type global_sections[] = {
	{ "global", QL_SECTION_MULTI, global_keys },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "global",
	.version = "1.0",
	.description = "default values for device properties (-global)",
	.sections = global_sections,
	.order = QL_ORDER_GLOBAL,
	.emit = global_emit,
};
