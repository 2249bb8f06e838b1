/*
 * [disk.ID]: one disk, the way QEMU recommends: a protocol node, a format
 * node and the guest device, plus the controller its interface needs.
 *
 *   -blockdev driver=file,node-name=ID-file,filename=FILE,...
 *   -blockdev driver=FORMAT,node-name=ID,file=ID-file,...
 *   -device DEVICE,drive=ID,id=ID,...
 *
 * The format node is ID (a [device] drive = ID may name it), the protocol
 * node ID-file, the guest device ID.  Controllers: one virtio-scsi-pci
 * qlaunch-scsi0 for every scsi disk, an ich9-ahci qlaunch-sataN for each
 * six sata disks, one qemu-xhci qlaunch-usb0 for every usb disk; ide disks
 * take the machine's own IDE places in file order: q35's AHCI ports ide.0
 * to ide.5, the pc's channels ide.0 and ide.1 with units 0 and 1 (other
 * machine types: QEMU picks).
 *
 * Keys: file (required), format (required but for a cdrom: raw; QEMU never
 * guesses), interface, media, readonly, cache, aio, discard,
 * detect-zeroes, bootindex, serial, iothread (an [object.ID]).
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <string.h>

/* QEMU keeps node names in 32 bytes: ID-file must fit. */
#define ID_MAX (31 - 5)
/* Serial numbers: virtio-blk, IDE and NVMe keep 20 bytes. */
#define SERIAL_MAX 20
/* Ports of one ich9-ahci. */
#define AHCI_PORTS 6

enum iface { VIRTIO, SCSI, IDE, SATA, NVME, USB };

static const char *const interfaces[] = { "virtio", "scsi", "ide", "sata", "nvme", "usb", NULL };
static const char *const media[] = { "disk", "cdrom", NULL };
static const char *const formats[] = {
	"raw", "qcow2", "qcow", "qed", "vmdk", "vdi", "vhdx", "vpc", "parallels", "dmg",
	"bochs", "cloop", NULL,
};
static const char *const caches[] = {
	"none", "writeback", "writethrough", "directsync", "unsafe", NULL,
};
static const char *const aios[] = { "threads", "native", "io_uring", NULL };
static const char *const discards[] = { "unmap", "ignore", NULL };
static const char *const zeroes[] = { "off", "on", "unmap", NULL };

/* What each cache mode means for the nodes and the device (QEMU's table). */
static const struct cache_mode {
	const char *direct, *no_flush, *write_cache;
} cache_modes[] = {
	{ "on", "off", "on" },   /* none */
	{ "off", "off", "on" },  /* writeback */
	{ "off", "off", "off" }, /* writethrough */
	{ "on", "off", "off" },  /* directsync */
	{ "off", "on", "on" },   /* unsafe */
};

/* The guest device of each interface, as a disk and as a CD-ROM (NULL: none). */
static const char *const devices[][2] = {
	[VIRTIO] = { "virtio-blk-pci", NULL },
	[SCSI] = { "scsi-hd", "scsi-cd" },
	[IDE] = { "ide-hd", "ide-cd" },
	[SATA] = { "ide-hd", "ide-cd" },
	[NVME] = { "nvme", NULL },
	[USB] = { "usb-storage", NULL },
};

/* The disk as read from its section. */
struct disk {
	const char *id, *file, *format, *serial, *iothread, *bootindex;
	size_t iface, media, cache, aio, discard, zeroes;
	int has_format, has_cache, has_aio, has_discard, has_zeroes, readonly;
};

static int read_disk(struct ql_ctx *ctx, const struct ql_host_api *api, struct disk *d)
{
	int r = 0, got;

	memset(d, 0, sizeof(*d));
	d->id = api->section_id(ctx);
	if (api->get_string(ctx, "file", &d->file) <= 0)
		r = -EINVAL;    /* the core said what is wrong */
	if (api->get_enum(ctx, "interface", interfaces, &d->iface) < 0 ||
	    api->get_enum(ctx, "media", media, &d->media) < 0 ||
	    (d->has_format = api->get_string(ctx, "format", &d->format)) < 0 ||
	    api->get_bool(ctx, "readonly", &d->readonly) < 0)
		r = -EINVAL;
	api->get_string(ctx, "serial", &d->serial);
	api->get_string(ctx, "iothread", &d->iothread);
	api->get_string(ctx, "bootindex", &d->bootindex);
	if ((got = api->get_enum(ctx, "cache", caches, &d->cache)) < 0)
		r = got;
	d->has_cache = got > 0;
	if ((got = api->get_enum(ctx, "aio", aios, &d->aio)) < 0)
		r = got;
	d->has_aio = got > 0;
	if ((got = api->get_enum(ctx, "discard", discards, &d->discard)) < 0)
		r = got;
	d->has_discard = got > 0;
	if ((got = api->get_enum(ctx, "detect-zeroes", zeroes, &d->zeroes)) < 0)
		r = got;
	d->has_zeroes = got > 0;
	return r;
}

/* The names the disk takes must be its own: QEMU has one namespace for
 * node names ([blockdev], [drive], [disk]) and one for devices. */
static const char *const node_types[] = { "blockdev", "drive", "disk", NULL };

static int name_clashes(struct ql_ctx *ctx, const struct ql_host_api *api, const struct disk *d)
{
	const char *file_node = d->id ? api->format(ctx, "%s-file", d->id) : NULL;
	int r = 0;

	if (!file_node || !QL_HOST_HAS(api, peek))
		return 0;
	for (size_t i = 0; node_types[i]; i++)
		if (strcmp(node_types[i], "disk") != 0 && api->peek(ctx, node_types[i], d->id, NULL, NULL) > 0)
			r = api->error(ctx, NULL, "node name '%s' is taken by [%s.%s], expected another id",
				       d->id, node_types[i], d->id);
	for (size_t i = 0; node_types[i]; i++)
		if (api->peek(ctx, node_types[i], file_node, NULL, NULL) > 0)
			r = api->error(ctx, NULL, "node name '%s' is taken by [%s.%s], expected another id",
				       file_node, node_types[i], file_node);
	if (strncmp(d->id, "qlaunch-", 8) == 0)
		r = api->error(ctx, NULL, "ids starting with qlaunch- are the controllers', expected another id");
	if (api->peek(ctx, "device", d->id, NULL, NULL) > 0)
		r = api->error(ctx, NULL, "device id '%s' is taken by [device.%s], expected another id",
			       d->id, d->id);
	return r;
}

/* The rules across keys; every problem is reported. */
static int check_disk(struct ql_ctx *ctx, const struct ql_host_api *api, struct disk *d)
{
	const int cdrom = d->media == 1;
	int r = 0, e;

	if (d->id && strlen(d->id) > ID_MAX)
		r = api->error(ctx, NULL, "id '%s' is longer than %d characters (its node %s-file must fit "
			       "QEMU's 31), expected a shorter id", d->id, ID_MAX, d->id);
	if (cdrom && !devices[d->iface][1])
		r = api->error(ctx, "media", "a cdrom cannot be on interface %s, expected interface = "
			       "ide, sata or scsi", interfaces[d->iface]);
	if (d->has_format == 0 && !cdrom)
		r = api->error(ctx, NULL, "missing key 'format' (qlaunch never lets QEMU guess it), "
			       "expected one of: raw, qcow2, vmdk, ... (only a cdrom defaults to raw)");
	if (d->readonly && !cdrom && (d->iface == IDE || d->iface == SATA))
		r = api->error(ctx, "readonly", "an %s disk cannot be read-only in QEMU, expected "
			       "interface = virtio, scsi, nvme or usb, or media = cdrom",
			       interfaces[d->iface]);
	if (d->has_aio && d->aio == 1 && !(d->has_cache && (d->cache == 0 || d->cache == 3)))
		r = api->error(ctx, "aio", "native needs the host page cache bypassed, expected "
			       "cache = none or directsync with it");
	if (d->has_zeroes && d->zeroes == 2 && !(d->has_discard && d->discard == 0))
		r = api->error(ctx, "detect-zeroes", "unmap needs discard = unmap, expected both or "
			       "detect-zeroes = on");
	if (d->iothread && d->iface != VIRTIO)
		r = api->error(ctx, "iothread", "only a virtio disk has its own I/O thread, expected "
			       "interface = virtio");
	if (d->serial && strlen(d->serial) > SERIAL_MAX)
		r = api->error(ctx, "serial", "'%s' is longer than %d characters, expected a shorter serial",
			       d->serial, SERIAL_MAX);
	if (!d->serial && d->iface == NVME && d->id && strlen(d->id) > SERIAL_MAX)
		r = api->error(ctx, NULL, "an nvme disk needs a serial of at most %d characters and the id "
			       "'%s' is longer, expected serial = a shorter one", SERIAL_MAX, d->id);
	if ((e = name_clashes(ctx, api, d)) < 0)
		r = e;
	return r;
}

/* The machine's own IDE buses: q35's six AHCI ports (ide.0-ide.5, one
 * unit each) or the pc's two IDE channels (ide.0, ide.1, two units each);
 * 0 for any other machine type (QEMU then picks a bus). */
static int ide_family(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *type = "pc";      /* QEMU's default machine */

	if (QL_HOST_HAS(api, peek))
		api->peek(ctx, "machine", NULL, "type", &type);
	if (strcmp(type, "q35") == 0 || strncmp(type, "pc-q35-", 7) == 0)
		return 'q';
	if (strcmp(type, "pc") == 0 || strncmp(type, "pc-i440fx-", 10) == 0)
		return 'p';
	return 0;
}

/* An ide disk's place on the machine's buses: *bus, and *unit on a pc. */
static int ide_place(struct ql_ctx *ctx, const struct ql_host_api *api, const char **bus,
		     const char **unit)
{
	int family = ide_family(ctx, api);
	long n;

	if (!family)
		return 0;
	n = api->counter(ctx, "disk.ide");
	if (n < 0)
		return (int)n;
	if (family == 'q' && n >= 6)
		return api->error(ctx, "interface", "q35 has 6 IDE (AHCI) ports, all taken, expected "
				  "interface = sata (or scsi) for more disks");
	if (family == 'p' && n >= 4)
		return api->error(ctx, "interface", "pc has 4 IDE places, all taken, expected "
				  "interface = sata (or scsi) for more disks");
	*bus = api->format(ctx, "ide.%ld", family == 'q' ? n : n / 2);
	if (family == 'p')
		*unit = n % 2 ? "1" : "0";
	return *bus ? 0 : -ENOMEM;
}

/* The controller this disk needs, first time for each; *bus its bus (and
 * *unit its unit, or NULL). */
static int controller(struct ql_ctx *ctx, const struct ql_host_api *api, const struct disk *d,
		      const char **bus, const char **unit)
{
	const char *driver = NULL, *id = NULL;
	long n;
	int r;

	*bus = *unit = NULL;
	if (d->iface != SCSI && d->iface != SATA && d->iface != USB && d->iface != IDE)
		return 0;
	if (!QL_HOST_HAS(api, counter))
		return api->error(ctx, "interface", "needs qlaunch with plugin ABI 2.1 or later");
	if (d->iface == IDE)
		return ide_place(ctx, api, bus, unit);
	n = api->counter(ctx, d->iface == SCSI ? "disk.scsi" : d->iface == SATA ? "disk.sata" : "disk.usb");
	if (n < 0)
		return (int)n;
	switch (d->iface) {
	case SCSI:
		*bus = "qlaunch-scsi0.0";
		if (n == 0)
			driver = "virtio-scsi-pci", id = "qlaunch-scsi0";
		break;
	case SATA:
		*bus = api->format(ctx, "qlaunch-sata%ld.%ld", n / AHCI_PORTS, n % AHCI_PORTS);
		if (n % AHCI_PORTS == 0)
			driver = "ich9-ahci", id = api->format(ctx, "qlaunch-sata%ld", n / AHCI_PORTS);
		break;
	default:
		*bus = "qlaunch-usb0.0";
		if (n == 0)
			driver = "qemu-xhci", id = "qlaunch-usb0";
		break;
	}
	if (!*bus || (driver && !id))
		return -ENOMEM;
	if (!driver)
		return 0;
	if ((r = api->opt_begin(ctx, "-device")) < 0 || (r = api->opt_value(ctx, NULL, driver)) < 0 ||
	    (r = api->opt_pair(ctx, "id", id)) < 0)
		return r;
	return api->opt_end(ctx);
}

/* cache.direct and cache.no-flush, read-only and discard of both nodes. */
static int node_common(struct ql_ctx *ctx, const struct ql_host_api *api, const struct disk *d)
{
	int r = 0;

	if (d->has_cache &&
	    ((r = api->opt_pair_as(ctx, "cache", "cache.direct", cache_modes[d->cache].direct)) < 0 ||
	     (r = api->opt_pair_as(ctx, "cache", "cache.no-flush", cache_modes[d->cache].no_flush)) < 0))
		return r;
	if ((d->readonly || d->media == 1) && (r = api->opt_pair(ctx, "read-only", "on")) < 0)
		return r;
	if (d->has_discard)
		r = api->opt_pair(ctx, "discard", discards[d->discard]);
	return r;
}

/* The protocol driver for file: a host device (under /dev, but for the
 * fd sets and the files of /dev/shm) or a file. */
static const char *protocol(const struct disk *d)
{
	if (strncmp(d->file, "/dev/", 5) != 0 || strncmp(d->file, "/dev/fdset/", 11) == 0 ||
	    strncmp(d->file, "/dev/shm/", 9) == 0)
		return "file";
	return d->media == 1 ? "host_cdrom" : "host_device";
}

static int nodes(struct ql_ctx *ctx, const struct ql_host_api *api, const struct disk *d)
{
	const char *file_node = api->format(ctx, "%s-file", d->id);
	int r;

	if (!file_node)
		return -ENOMEM;
	if ((r = api->opt_begin(ctx, "-blockdev")) < 0 ||
	    (r = api->opt_pair(ctx, "driver", protocol(d))) < 0 ||
	    (r = api->opt_pair(ctx, "node-name", file_node)) < 0 ||
	    (r = api->opt_pair_as(ctx, "file", "filename", d->file)) < 0 ||
	    (d->has_aio && (r = api->opt_pair(ctx, "aio", aios[d->aio])) < 0) ||
	    (r = node_common(ctx, api, d)) < 0 ||
	    (r = api->opt_end(ctx)) < 0)
		return r;
	if ((r = api->opt_begin(ctx, "-blockdev")) < 0 ||
	    (r = api->opt_pair(ctx, "driver", d->format ? d->format : "raw")) < 0 ||
	    (r = api->opt_pair(ctx, "node-name", d->id)) < 0 ||
	    (r = api->opt_pair(ctx, "file", file_node)) < 0 ||
	    (r = node_common(ctx, api, d)) < 0 ||
	    (d->has_zeroes && (r = api->opt_pair(ctx, "detect-zeroes", zeroes[d->zeroes])) < 0))
		return r;
	return api->opt_end(ctx);
}

static int device(struct ql_ctx *ctx, const struct ql_host_api *api, const struct disk *d,
		  const char *bus, const char *unit)
{
	const char *serial = d->serial ? d->serial : d->iface == NVME ? d->id : NULL;
	int r;

	if ((r = api->opt_begin(ctx, "-device")) < 0 ||
	    (r = api->opt_value(ctx, "interface", devices[d->iface][d->media])) < 0 ||
	    (bus && (r = api->opt_pair(ctx, "bus", bus)) < 0) ||
	    (unit && (r = api->opt_pair(ctx, "unit", unit)) < 0) ||
	    (r = api->opt_pair(ctx, "drive", d->id)) < 0 ||
	    (r = api->opt_pair(ctx, "id", d->id)) < 0 ||
	    (d->bootindex && (r = api->opt_pair(ctx, "bootindex", d->bootindex)) < 0) ||
	    (serial && (r = api->opt_pair_as(ctx, "serial", "serial", serial)) < 0) ||
	    (d->iothread && (r = api->opt_pair(ctx, "iothread", d->iothread)) < 0) ||
	    (d->has_cache && d->media == 0 &&
	     (r = api->opt_pair_as(ctx, "cache", "write-cache", cache_modes[d->cache].write_cache)) < 0))
		return r;
	return api->opt_end(ctx);
}

static int disk_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	struct disk d;
	const char *bus, *unit;
	int r = read_disk(ctx, api, &d), e;

	if ((e = check_disk(ctx, api, &d)) < 0)
		r = e;
	if (r < 0 || !d.id)
		return r < 0 ? r : -EINVAL;
	if ((r = controller(ctx, api, &d, &bus, &unit)) < 0 || (r = nodes(ctx, api, &d)) < 0)
		return r;
	return device(ctx, api, &d, bus, unit);
}

#define HOOKED(n, k, ...) { .name = n, .kind = k, .flags = QL_KEY_HOOK, __VA_ARGS__ }

static const struct ql_key disk_keys[] = {
	{ .name = "file", .kind = QL_KEY_PATH, .flags = QL_KEY_HOOK | QL_KEY_REQUIRED | QL_KEY_EXISTS,
	  .what = "the disk image or host device" },
	HOOKED("format", QL_KEY_CHOICE, .choices = formats),
	HOOKED("interface", QL_KEY_CHOICE, .choices = interfaces),
	HOOKED("media", QL_KEY_CHOICE, .choices = media),
	HOOKED("readonly", QL_KEY_BOOL),
	HOOKED("cache", QL_KEY_CHOICE, .choices = caches),
	HOOKED("aio", QL_KEY_CHOICE, .choices = aios),
	HOOKED("discard", QL_KEY_CHOICE, .choices = discards),
	HOOKED("detect-zeroes", QL_KEY_CHOICE, .choices = zeroes),
	HOOKED("bootindex", QL_KEY_UINT, .max = 2147483647),
	HOOKED("serial", QL_KEY_STRING),
	HOOKED("iothread", QL_KEY_REF, .ref = "object"),
	{ .name = NULL },
};

static const struct ql_section_type disk_sections[] = {
	{ .name = "disk", .flags = QL_SECTION_MULTI, .order = QL_ORDER_DISK,
	  QL_KEYS(disk_keys), .emit = disk_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "disk",
	.version = "1.0",
	.description = "disks: image, format and guest device in one section (-blockdev, -device)",
	.sections = disk_sections,
};
