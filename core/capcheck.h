/*
 * check against the binary: the names a config gives that QEMU itself
 * must know, compared with what the probe found (probe.h).
 *
 * The core checks these well-known keys of the standard section types by
 * name, after the plugins' own checks (a key a plugin already reported is
 * not reported again):
 *   [device.ID] driver        a device type (or one of QEMU's aliases)
 *   [device.ID] other keys    properties of that type (device-list-properties),
 *                             with a value of its type (capvalue.h)
 *   [machine] type            a machine type or alias; other keys its
 *                             properties (smp.cpus by "smp")
 *   [machine] accel           each of its ':'-separated accelerators
 *   [accel.NAME]              NAME an accelerator of the binary; its keys
 *                             the accelerator's properties
 *   [cpu] model               a CPU model; other keys its properties (flags)
 *   [object.ID] type          a user-creatable object type
 *   [display] type, [qemu] display  a display back-end that can start
 *   [global.NAME] driver      a QOM type (abstract ones too: a -global for
 *                             a parent type applies to its children)
 *   [global.NAME] property    a property of driver, if that is a device type
 *   [chardev.ID] backend      a type chardev-BACKEND (or tty, parport)
 *   [blockdev.NODE] driver    a block driver of blockdev-add's schema
 *   [netdev.ID] type, [nic.ID] type  a netdev type of netdev_add's schema
 *   [nic.ID] model            a device type (or virtio, its old name)
 *   [audiodev.ID] driver      an audio driver that can start
 *   the keys of [netdev], [nic] (but model, mac), [blockdev], [object] and
 *   [display]: parameters of the type's schema (probe.h's arguments); of
 *   [chardev], [fsdev] and [vnc]: the option's parameters
 *   (query-command-line-options); each with a value of its type.
 * The head, the id and keys a plugin handles itself (QL_KEY_HOOK,
 * QL_KEY_ARG) are not compared as parameters.
 * Only where the standard plugin owns the section type (a third-party
 * plugin that took its place may mean something else by these keys).
 */
#ifndef QL_CAPCHECK_H
#define QL_CAPCHECK_H

#include "build.h"
#include "config.h"
#include "diag.h"
#include "probe.h"
#include "registry.h"

/* The types whose properties the check needs ([device.ID] and
 * [global.NAME] drivers, the [cpu] model, the [machine] type, each
 * [accel.NAME]), in *want (names borrowed from cfg; free the array), for
 * prb_get.  0 or -ENOMEM. */
int cap_wants(const struct cfg *cfg, struct prb_want **want, size_t *n);

/* Report every name cfg gives that the probe p does not know; binary
 * names it in messages.  0, -EINVAL if something was reported, -ENOMEM. */
int cap_check(const struct cfg *cfg, const struct registry *reg, const struct prb *p,
	      const char *binary, struct diag *dg);

/* The -device and -blockdev words of l (built from cfg) that plugins wrote
 * from sections other than [device] and [blockdev] (the controllers and
 * devices of [disk], say): report, at the section, each device type and
 * block driver p does not know.  0, -EINVAL or -ENOMEM. */
int cap_check_argv(const struct launch *l, const struct cfg *cfg, const struct prb *p,
		   const char *binary, struct diag *dg);

#endif
