/*
 * The [qemu] section, owned by the core: the binary, the VM's name and
 * uuid (first on the command line) and launch switches (last).
 */
#ifndef QL_QEMU_H
#define QL_QEMU_H

#include <qlaunch/plugin.h>

#include "config.h"
#include "diag.h"

#define QEMU_SECTION "qemu"

extern const struct ql_key qemu_keys[];

ql_emit_fn qemu_emit_name;   /* -name */
ql_emit_fn qemu_emit_uuid;   /* -uuid */
ql_emit_fn qemu_emit_tail;   /* -nodefaults ... -daemonize */

/* The binary to run: [qemu] binary if set (it must be absolute), else
 * deflt.  Returns 0 and *out (borrowed), or reports and returns -EINVAL. */
int qemu_binary(const struct cfg *cfg, const struct cfg_section *sec,
		const char *deflt, struct diag *dg, const char **out);

#endif
