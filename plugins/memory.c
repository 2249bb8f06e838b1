/*
 * [memory]: size, slots, maxmem -> -m SIZE,slots=N,maxmem=MAX.
 * A bare number is MiB for both (QEMU's bare maxmem would be bytes, so it
 * gets an M); values are otherwise passed on as written.  check and run
 * warn about a size larger than the host's RAM and swap.
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <sys/sysinfo.h>

#define MIB (1024ull * 1024)

/*
 * More RAM than this host has in memory and swap together: QEMU starts
 * (it takes guest RAM as the guest touches it), but the host will run
 * out once the guest uses it.  A warning, in check and run only: print
 * describes the file, not this host.
 */
static int check_host(struct ql_ctx *ctx, const struct ql_host_api *api, uint64_t size)
{
	struct sysinfo si;
	uint64_t host;

	if (!QL_HOST_HAS(api, warn) || api->mode(ctx) == QL_MODE_PRINT || sysinfo(&si) < 0)
		return 0;
	host = ((uint64_t)si.totalram + si.totalswap) * (si.mem_unit ? si.mem_unit : 1);
	if (size <= host)
		return 0;
	return api->warn(ctx, "size", "%llu MiB is more than this host's RAM and swap together "
			 "(%llu MiB): QEMU starts, but the host runs out once the guest uses it",
			 (unsigned long long)(size / MIB), (unsigned long long)(host / MIB));
}

static int memory_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	uint64_t size = 0, maxmem = 0, slots = 0;
	int has_size, has_max, has_slots;

	has_size = api->get_size(ctx, "size", MIB, &size);
	has_max = api->get_size(ctx, "maxmem", MIB, &maxmem);
	has_slots = api->get_uint(ctx, "slots", 0, 256, &slots);
	if (has_size <= 0 || has_max < 0 || has_slots < 0)
		return -EINVAL;         /* the core said what is wrong */
	if (size == 0)
		return api->error(ctx, "size", "size is 0, expected at least 1M");
	if (has_slots && !has_max)
		return api->error(ctx, "slots", "slots needs maxmem (QEMU refuses slots without it), expected maxmem too");
	if (has_max && maxmem < size)
		return api->error(ctx, "maxmem", "maxmem is smaller than size, expected maxmem >= size");
	if (check_host(ctx, api, size) < 0)
		return -ENOMEM;
	return api->emit_section(ctx);
}

static const struct ql_key memory_keys[] = {
	/* QEMU reads a bare -m size as MiB itself: as written */
	{ .name = "size", .kind = QL_KEY_SIZE, .unit = MIB,
	  .flags = QL_KEY_HEAD | QL_KEY_REQUIRED | QL_KEY_RAW,
	  .what = "the RAM size such as 2G" },
	{ .name = "slots", .kind = QL_KEY_UINT, .min = 0, .max = 256, .flags = QL_KEY_EARLY },
	/* but a bare maxmem as bytes: the core adds the M */
	{ .name = "maxmem", .kind = QL_KEY_SIZE, .unit = MIB, .flags = QL_KEY_EARLY },
	{ .name = NULL },
};

static const struct ql_section_type memory_sections[] = {
	{ .name = "memory", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_MEMORY,
	  .option = "-m", QL_KEYS(memory_keys), .emit = memory_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "memory",
	.version = "1.0",
	.description = "guest RAM size, hotplug slots and maximum (-m)",
	.sections = memory_sections,
};
