#include <qlconfig.h>

#include "capvalue.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

/* QEMU's bool words (qapi_bool_parse); it compares them exactly, this
 * check without case, so as never to be stricter than QEMU. */
static int is_bool(const char *s)
{
	static const char *const words[] = { "on", "off", "yes", "no", "true", "false", "y", "n" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	return 0;
}

/* What a size is expected to look like, in messages. */
static const char want_size[] = "a size such as 512, 64K, 2M or 1G";

int cv_is_size(const char *s)
{
	const char *p = s;
	uint64_t v;
	char *end;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;       /* no '-', no empty number */
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno == ERANGE)
		return 0;
	if (v == 0 && (*end == 'x' || *end == 'X')) {
		/* hexadecimal: no fraction (a suffix is deprecated, but taken) */
		const char *digits = end + 1;

		errno = 0;
		strtoull(p, &end, 16);
		if (errno == ERANGE || end == digits || *end == '.')
			return 0;
	} else if (*end == '.') {
		end++;
		while (isdigit((unsigned char)*end))
			end++;
	}
	if (*end && strchr("BbKkMmGgTtPpEe", *end))
		end++;
	return *end == '\0';
}

/* QEMU's integers (qemu_strtou64/qemu_strtoi64 in base 0, then the
 * width's range). */
static const char *integer(const char *type, const char *value, char *buf, size_t len)
{
	static const struct { const char *name; int sign; unsigned bits; } ts[] = {
		{ "uint8", 0, 8 }, { "uint16", 0, 16 }, { "uint32", 0, 32 }, { "uint64", 0, 64 },
		{ "int8", 1, 8 }, { "int16", 1, 16 }, { "int32", 1, 32 }, { "int64", 1, 64 },
	};
	char *end;

	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		if (strcmp(type, ts[i].name) != 0)
			continue;
		errno = 0;
		if (ts[i].sign) {
			int64_t max = ts[i].bits == 64 ? INT64_MAX : (INT64_C(1) << (ts[i].bits - 1)) - 1;
			long long v = strtoll(value, &end, 0);

			if (end != value && *end == '\0' && errno != ERANGE && v >= -max - 1 && v <= max)
				return NULL;
			snprintf(buf, len, "an integer from %" PRId64 " to %" PRId64, -max - 1, max);
		} else {
			uint64_t max = ts[i].bits == 64 ? UINT64_MAX : (UINT64_C(1) << ts[i].bits) - 1;
			unsigned long long v = strtoull(value, &end, 0);

			if (end != value && *end == '\0' && errno != ERANGE && v <= max)
				return NULL;
			snprintf(buf, len, "an integer from 0 to %" PRIu64, max);
		}
		return buf;
	}
	return NULL;
}

/* The values an enum property lists at the end of its description
 * ("..., auto/none/lba"), in buf as "auto, none or lba"; 0 if it lists
 * none, -1 if value is one of them, 1 if not. */
static int enum_values(const char *desc, const char *value, char *buf, size_t len)
{
	const char *list = desc ? strrchr(desc, ' ') : NULL, *p;
	size_t used = 0, n = 0;

	list = list ? list + 1 : desc;
	if (!list || !strchr(list, '/') || list[strspn(list, "abcdefghijklmnopqrstuvwxyz"
							"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/.")])
		return 0;
	for (p = list; *p; ) {
		size_t l = strcspn(p, "/");

		if (l == strlen(value) && strncmp(p, value, l) == 0)
			return -1;
		n++;
		p += l + (p[l] == '/');
	}
	for (p = list, buf[0] = 0; *p && used < len; n--) {
		size_t l = strcspn(p, "/");
		int w = snprintf(buf + used, len - used, "%s%.*s", used == 0 ? "" : n == 1 ? " or " : ", ",
				 (int)l, p);

		used += w > 0 ? (size_t)w : 0;
		p += l + (p[l] == '/');
	}
	return 1;
}

const char *cv_property(const char *type, const char *desc, const char *value, char *buf, size_t len)
{
	if (!*value)
		return NULL;
	if (strcmp(type, "bool") == 0)
		return is_bool(value) ? NULL : "on or off";
	if (strcmp(type, "size") == 0)
		return cv_is_size(value) ? NULL : want_size;
	if (strcmp(type, "OnOffAuto") == 0)
		return !strcmp(value, "on") || !strcmp(value, "off") || !strcmp(value, "auto") ? NULL :
		       "on, off or auto";
	/* a described integer has a parser of its own ("addr" takes 06.0) */
	if (!desc && integer(type, value, buf, len))
		return buf;
	/* an enum is named in capitals (BlockdevOnError) */
	if (isupper((unsigned char)type[0]) && enum_values(desc, value, buf, len) == 1)
		return buf;
	return NULL;
}

const char *cv_member(struct json_object *spec, const char *value, char *buf, size_t len)
{
	const char *t;
	char *end;

	if (json_object_is_type(spec, json_type_array)) {
		size_t n = json_object_array_length(spec), used = 0;

		for (size_t i = 0; i < n; i++)
			if (strcmp(json_object_get_string(json_object_array_get_idx(spec, i)), value) == 0)
				return NULL;
		buf[0] = 0;
		for (size_t i = 0; i < n && used < len; i++) {
			int w = snprintf(buf + used, len - used, "%s%s", i == 0 ? "one of: " : ", ",
					 json_object_get_string(json_object_array_get_idx(spec, i)));

			used += w > 0 ? (size_t)w : 0;
		}
		return n ? buf : NULL;
	}
	if (!json_object_is_type(spec, json_type_string) || !*value)
		return NULL;
	t = json_object_get_string(spec);
	if (strcmp(t, "bool") == 0)
		return is_bool(value) ? NULL : "on or off";
	if (strcmp(t, "int") == 0)      /* sizes are ints in the schema */
		return cv_is_size(value[0] == '-' ? value + 1 : value) ? NULL :
		       "an integer (or a size such as 64M: the schema does not tell them apart)";
	if (strcmp(t, "number") == 0) {
		strtod(value, &end);
		return end != value && *end == '\0' ? NULL : "a number";
	}
	return NULL;
}

const char *cv_parameter(const char *type, const char *value)
{
	char *end;

	if (!*value)
		return NULL;
	if (strcmp(type, "boolean") == 0)
		return is_bool(value) ? NULL : "on or off";
	if (strcmp(type, "size") == 0)
		return cv_is_size(value) ? NULL : want_size;
	if (strcmp(type, "number") == 0) {
		errno = 0;
		strtoull(value, &end, 0);
		return end != value && *end == '\0' && errno != ERANGE ? NULL : "a number";
	}
	return NULL;
}
