/*
 * check against the binary: the names a config gives that QEMU itself
 * must know, compared with what the probe found (probe.h).
 *
 * The core checks these well-known keys of the standard section types by
 * name, after the plugins' own checks (a key a plugin already reported is
 * not reported again):
 *   [device.ID] driver        a device type (or one of QEMU's aliases)
 *   [device.ID] other keys    properties of that type (device-list-properties),
 *                             with a value QEMU takes if the property is a
 *                             bool or OnOffAuto
 *   [machine] type            a machine type or alias
 *   [machine] accel           each of its ':'-separated accelerators
 *   [accel.NAME]              NAME an accelerator of the binary
 *   [cpu] model               a CPU model
 *   [object.ID] type          a user-creatable object type
 *   [display] type, [qemu] display  a display back-end that can start
 *   [global.NAME] driver      a QOM type (abstract ones too: a -global for
 *                             a parent type applies to its children)
 *   [global.NAME] property    a property of driver, if that is a device type
 *   [chardev.ID] backend      a type chardev-BACKEND (or tty, parport)
 *   [blockdev.NODE] driver    a block driver of blockdev-add's schema
 *   [netdev.ID] type, [nic.ID] type  a netdev type of netdev_add's schema
 *   [nic.ID] model            a device type (or virtio, its old name)
 * Only where the standard plugin owns the section type (a third-party
 * plugin that took its place may mean something else by these keys).
 */
#ifndef QL_CAPCHECK_H
#define QL_CAPCHECK_H

#include "config.h"
#include "diag.h"
#include "probe.h"
#include "registry.h"

/* The device types the config's [device.ID] and [global.NAME] sections name, in *types
 * (borrowed from cfg; free only the array), for prb_get.  0 or -ENOMEM. */
int cap_device_types(const struct cfg *cfg, const char ***types, size_t *n);

/* Report every name cfg gives that the probe p does not know; binary
 * names it in messages.  0, -EINVAL if something was reported, -ENOMEM. */
int cap_check(const struct cfg *cfg, const struct registry *reg, const struct prb *p,
	      const char *binary, struct diag *dg);

#endif
