/*
 * [accel.NAME]: one accelerator, NAME kvm, tcg, xen, ...; every key passed
 * through in file order (thread, tb-size, kernel-irqchip, ...)
 * -> -accel accel=NAME,key=value,...   Several are tried in file order.
 * QEMU refuses -accel together with [machine] accel (a plugin set's default
 * [machine] accel yields to them).  thread, tb-size and split-wx are TCG's.
 */
#include <qlaunch/plugin.h>

#include <string.h>

static const char *const accels[] = {
	"kvm", "tcg", "xen", "hax", "hvf", "nvmm", "whpx", "qtest", NULL,
};

static const char *const tcg_threads[] = { "single", "multi", NULL };
static const char *const tcg_keys[] = { "thread", "tb-size", "split-wx", NULL };

static int accel_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *name = api->section_id(ctx), *v;
	int known = 0, r = 0;

	for (size_t i = 0; name && accels[i] && !known; i++)
		known = strcmp(name, accels[i]) == 0;
	if (!known)
		return api->error(ctx, NULL, "unknown accelerator '%s', expected [accel.NAME] with NAME "
				  "one of: kvm, tcg, xen, hax, hvf, nvmm, whpx, qtest", name ? name : "");
	if (QL_HOST_HAS(api, peek) && api->peek(ctx, "machine", NULL, "accel", &v) == 1)
		return api->error(ctx, NULL, "[machine] accel = %s is set too, and QEMU refuses -accel "
				  "with it, expected the accelerators in [accel.NAME] sections only", v);
	for (size_t i = 0; tcg_keys[i] && strcmp(name, "tcg") != 0; i++)
		if (api->get_string(ctx, tcg_keys[i], &v) > 0)
			r = api->error(ctx, tcg_keys[i], "only TCG has this property, expected it in [accel.tcg]");
	return r < 0 ? r : api->emit_section(ctx);
}

static const struct ql_key accel_keys[] = {
	{ .name = "thread", .kind = QL_KEY_CHOICE,
	  .choices = tcg_threads },
	{ .name = "tb-size", .kind = QL_KEY_UINT },
	{ .name = "split-wx", .kind = QL_KEY_BOOL },
	{ .name = NULL },
};

static const struct ql_section_type accel_sections[] = {
	{ .name = "accel", .flags = QL_SECTION_MULTI | QL_SECTION_PASS, .order = QL_ORDER_ACCEL,
	  .option = "-accel", .id_key = "accel", QL_KEYS(accel_keys), .emit = accel_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "accel",
	.version = "1.0",
	.description = "accelerators, tried in file order (-accel)",
	.sections = accel_sections,
};
