/*
 * Turning a loaded configuration into QEMU's argv with the loaded plugins.
 *
 * argv order: argv[0] is the binary; then the sections sorted by their
 * owner's order number (ties broken by the owner's name), instances of one
 * owner in file order.  The core's [qemu] section contributes -name and
 * -uuid at order 0 and its switches at order 1000.
 */
#ifndef QL_BUILD_H
#define QL_BUILD_H

#include <qlaunch/plugin.h>

#include "config.h"
#include "diag.h"
#include "host.h"
#include "plugin.h"

struct launch {
	struct strv argv;   /* argv[0] is the QEMU binary */
	int *fds;           /* fds[i] is to become fd 3 + i (-1 in dry modes) */
	size_t nfds;
};

/*
 * Build the launch for cfg.  Every error found is added to dg; on success
 * returns 0 and fills *out (release with launch_release).
 */
int bld_launch(const struct cfg *cfg, const struct plg_set *plugins,
	       enum ql_mode mode, const char *default_binary,
	       struct diag *dg, struct launch *out);

void launch_release(struct launch *l);

#endif
