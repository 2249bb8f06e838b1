/*
 * Turning a loaded configuration into QEMU's argv with the loaded plugins.
 *
 * argv order: argv[0] is the binary; then the sections sorted by their
 * type's order number (ties broken by the owning plugin's name, then file
 * order).  The core's [qemu] section contributes -name at
 * order 0, -uuid at 10 and its switches at 1000; [fd.NAME] sections with
 * an fdset give -add-fd at order 15.
 */
#ifndef QL_BUILD_H
#define QL_BUILD_H

#include <qlaunch/plugin.h>

#include "config.h"
#include "diag.h"
#include "arena.h"
#include "fdpass.h"
#include "host.h"
#include "plugin.h"

/* The words of argv one emit step of sec wrote: argv[start] up to
 * argv[end] (exclusive).  The [qemu] section has up to three. */
struct launch_part {
	const struct cfg_section *sec;
	size_t start, end;
};

struct launch {
	struct strv argv;   /* argv[0] is the QEMU binary */
	struct fdp_table fds; /* slot i is to become fd fdp_number(i) (its fd
			       * -1 in dry modes) */
	struct strv created; /* files this launch created, to remove if the
			      * exec fails (fdt_unlink) */
	struct arena strings; /* what the host API's format made: the plugins'
			       * fd args among them live as long as the launch */
	struct launch_part *parts; /* the steps that wrote words, in argv order
				    * (their sections are the config's) */
	size_t nparts;
};

/* Section types owned by the core ([qemu], [fd.NAME]), name-terminated;
 * plugins may not claim them. */
extern const struct ql_section_type bld_core_types[];

/*
 * Build the launch for cfg.  fd_bindings ("NAME=N" from --fd, may be NULL)
 * bind [fd.NAME] sections to inherited fds; ${fd:NAME} references in cfg's
 * values are replaced in place.  Every error found is added to dg; on
 * success returns 0 and fills *out (release with launch_release).  In
 * QL_MODE_RUN the fds for QEMU are opened only once everything is valid and
 * the binary is executable; if it is not, the negative errno of access(2)
 * is returned (not -EINVAL).
 */
int bld_launch(struct cfg *cfg, const struct plg_set *plugins,
	       enum ql_mode mode, const char *default_binary,
	       const struct strv *fd_bindings, struct diag *dg,
	       struct launch *out);

void launch_release(struct launch *l);

#endif
