/*
 * rng: a qlaunch plugin built out of tree, against the installed SDK.
 *
 * [rng.ID]: a virtio RNG device fed from an entropy source of the host
 *   source    = PATH   file to read, default /dev/urandom
 *   max-bytes = N      at most N bytes for the guest per period
 *   period    = MS     the period, in milliseconds
 *   driver    = NAME   virtio-rng-pci (default) or another virtio RNG
 *   bus, addr          where the device goes, passed on as written
 * -> -object rng-random,id=ID,filename=SOURCE
 *    -device virtio-rng-pci,rng=ID,max-bytes=N,period=MS,...
 *
 * The key table says everything about -device: the core checks each key
 * and writes that option.  The emit hook adds what one option cannot, the
 * backend object, then asks the core for the -device.
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <stdint.h>

#if QL_ABI_MAJOR != 2
#error "rng is written for qlaunch plugin ABI 2"
#endif

/*
 * After the [device.ID] devices (QL_ORDER_DEVICES, 70) and before the
 * chardevs (QL_ORDER_CHARDEV, 80).  QEMU gives a PCI device without addr=
 * the next free slot in command-line order, so an RNG placed after the
 * other devices leaves their slots (and the guest's names for them) where
 * they were when it is added or removed.
 */
#define RNG_ORDER 75

_Static_assert(QL_ORDER_DEVICES < RNG_ORDER && RNG_ORDER < QL_ORDER_CHARDEV,
	       "rng must come between devices and chardevs");

static const char *const rng_drivers[] = {
	"virtio-rng-pci", "virtio-rng-pci-non-transitional",
	"virtio-rng-pci-transitional", "virtio-rng-device", NULL,
};

static const struct ql_key rng_keys[] = {
	/* -device's implied first value */
	{ .name = "driver", .kind = QL_KEY_CHOICE, .flags = QL_KEY_HEAD,
	  .choices = rng_drivers, .dflt = "virtio-rng-pci" },
	/* checked by the core (not empty), written by the hook */
	{ .name = "source", .kind = QL_KEY_PATH, .flags = QL_KEY_HOOK },
	/* what QEMU 7.2 accepts: max-bytes below 2^63, period a positive
	 * 32-bit number */
	{ .name = "max-bytes", .kind = QL_KEY_UINT, .min = 1, .max = INT64_MAX },
	{ .name = "period", .kind = QL_KEY_UINT, .min = 1, .max = UINT32_MAX },
	{ .name = "bus", .kind = QL_KEY_STRING },
	{ .name = "addr", .kind = QL_KEY_STRING },
	{ .name = NULL },
};

/* -object rng-random,id=ID,filename=SOURCE, then the generic -device. */
static int rng_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *source = "/dev/urandom";
	int r;

	/* < 0: the core has reported what is wrong with the value */
	if (api->get_string(ctx, "source", &source) < 0)
		return -EINVAL;
	if ((r = api->opt_begin(ctx, "-object")) < 0 ||
	    (r = api->opt_value(ctx, NULL, "rng-random")) < 0 ||
	    (r = api->opt_pair(ctx, "id", api->section_id(ctx))) < 0 ||
	    (r = api->opt_pair_as(ctx, "source", "filename", source)) < 0 ||
	    (r = api->opt_end(ctx)) < 0)
		return r;
	return api->emit_section(ctx);
}

/* id_key "rng": the section's ID goes into rng=, linking the device to
 * the object of the same ID (the device itself gets no id). */
static const struct ql_section_type rng_sections[] = {
	{ .name = "rng", .flags = QL_SECTION_MULTI, .order = RNG_ORDER,
	  .option = "-device", .id_key = "rng", QL_KEYS(rng_keys),
	  .emit = rng_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "rng",
	.version = "1.0",
	.description = "virtio RNG devices fed from a host entropy source (-object rng-random, -device)",
	.sections = rng_sections,
};
