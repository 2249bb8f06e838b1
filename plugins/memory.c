/*
 * [memory]: size, slots, maxmem -> -m SIZE,slots=N,maxmem=MAX.
 * A bare number is MiB for both (QEMU's bare maxmem would be bytes, so it
 * gets an M); values are otherwise passed on as written.
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MIB (1024ull * 1024)

static int memory_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *size_s = NULL, *maxmem_s = NULL, *slots_s = NULL;
	char maxmem_buf[32];
	uint64_t size = 0, maxmem = 0, slots = 0;
	int has_size, has_max, has_slots, r;

	has_size = api->get_size(ctx, "size", MIB, &size);
	has_max = api->get_size(ctx, "maxmem", MIB, &maxmem);
	has_slots = api->get_uint(ctx, "slots", 0, 256, &slots);
	if (has_size < 0 || has_max < 0 || has_slots < 0)
		return -EINVAL;
	if (!has_size)
		return api->error(ctx, NULL, "missing key 'size', expected the RAM size such as 2G");
	if (size == 0)
		return api->error(ctx, "size", "size is 0, expected at least 1M");
	if (has_slots && !has_max)
		return api->error(ctx, "slots", "slots needs maxmem (QEMU refuses slots without it), expected maxmem too");
	if (has_max && maxmem < size)
		return api->error(ctx, "maxmem", "maxmem is smaller than size, expected maxmem >= size");
	api->get_string(ctx, "size", &size_s);
	api->get_string(ctx, "slots", &slots_s);
	api->get_string(ctx, "maxmem", &maxmem_s);
	/* QEMU reads a bare -m size as MiB but a bare maxmem as bytes; we read
	 * both as MiB, so say so to QEMU */
	if (has_max && !strpbrk(maxmem_s, "KMGTkmgt")) {
		snprintf(maxmem_buf, sizeof(maxmem_buf), "%sM", maxmem_s);
		maxmem_s = maxmem_buf;
	}
	if ((r = api->opt_begin(ctx, "-m")) < 0 ||
	    (r = api->opt_value(ctx, "size", size_s)) < 0 ||
	    (has_slots && (r = api->opt_pair(ctx, "slots", slots_s)) < 0) ||
	    (has_max && (r = api->opt_pair(ctx, "maxmem", maxmem_s)) < 0))
		return r;
	return api->opt_end(ctx);
}

static const char *const memory_keys[] = { "size", "slots", "maxmem", NULL };

static const struct ql_section_type memory_sections[] = {
	{ "memory", QL_SECTION_SINGLE, memory_keys },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "memory",
	.version = "1.0",
	.description = "guest RAM size, hotplug slots and maximum (-m)",
	.sections = memory_sections,
	.order = QL_ORDER_MEMORY,
	.emit = memory_emit,
};
