/*
 * [rtc]: base (utc, localtime, or a start date YYYY-MM-DD or
 * YYYY-MM-DDTHH:MM:SS from 1970 on), clock (host, rt, vm), driftfix (slew, none)
 * -> -rtc base=utc,driftfix=slew,clock=host (keys in file order).
 * QEMU's values are case-sensitive; wrong ones are caught here.
 */
#include <qlaunch/plugin.h>

#include <ctype.h>
#include <string.h>

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[month - 1] + (month == 2 && leap);
}

/* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, a real date from year 1970 on. */
static int valid_date(const char *s)
{
	static const char date[] = "dddd-dd-dd", full[] = "dddd-dd-ddTdd:dd:dd";
	static const int maxv[] = { 9999, 12, 31, 23, 59, 59 };
	size_t len = strlen(s);
	const char *shape = len == sizeof(date) - 1 ? date :
			    len == sizeof(full) - 1 ? full : NULL;
	int field = 0, v = 0, f[6] = { 0 };

	if (!shape)
		return 0;
	for (size_t i = 0; i <= len; i++) {
		if (shape[i] == 'd') {
			if (!isdigit((unsigned char)s[i]))
				return 0;
			v = v * 10 + (s[i] - '0');
			continue;
		}
		if (s[i] != shape[i] || v > maxv[field])
			return 0;
		f[field++] = v;
		v = 0;
	}
	return f[0] >= 1970 && f[1] >= 1 && f[2] >= 1 && f[2] <= days_in_month(f[0], f[1]);
}

static int rtc_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *base;

	if (api->get_string(ctx, "base", &base) > 0 && strcmp(base, "utc") != 0 &&
	    strcmp(base, "localtime") != 0 && !valid_date(base))
		return api->error(ctx, "base", "invalid value '%s', expected utc, localtime or a date like "
				  "2006-06-17 or 2006-06-17T16:01:21", base);
	if (api->key_count(ctx) == 0)
		return api->error(ctx, NULL, "empty section, expected base, clock or driftfix");
	return api->emit_section(ctx);
}

static const char *const rtc_clocks[] = { "host", "rt", "vm", NULL };
static const char *const rtc_driftfixes[] = { "slew", "none", NULL };

static const struct ql_key rtc_keys[] = {
	{ .name = "base", .kind = QL_KEY_STRING },
	{ .name = "clock", .kind = QL_KEY_CHOICE, .choices = rtc_clocks },
	{ .name = "driftfix", .kind = QL_KEY_CHOICE, .choices = rtc_driftfixes },
	{ .name = NULL },
};

static const struct ql_section_type rtc_sections[] = {
	{ .name = "rtc", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_RTC,
	  .option = "-rtc", QL_KEYS(rtc_keys), .emit = rtc_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "rtc",
	.version = "1.0",
	.description = "real-time clock base, clock source and drift fix (-rtc)",
	.sections = rtc_sections,
};
