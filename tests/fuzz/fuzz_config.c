/*
 * libFuzzer harness: config bytes -> argv, the whole path that 'qlaunch
 * print' takes, with the standard plugins loaded.  Any crash, sanitizer
 * report or leak is a finding; every input must end in argv or in errors.
 */
#include <qlconfig.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "diag.h"
#include "plugin.h"

/* libFuzzer's calling convention leaves no other place for these: they
 * are set once in LLVMFuzzerInitialize and only read afterwards. */
static struct plg_set *plugins;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("QLAUNCH_PLUGIN_DIR");
	struct strv p = STRV_INIT;
	struct diag dg = DIAG_INIT;
	int fd;

	(void)argc;
	(void)argv;
	if (!dir || sv_push(&p, dir) < 0 ||
	    plg_load_all(&p, NULL, bld_core_types, &dg, &plugins) < 0 || plugins->n < 13) {
		fprintf(stderr, "fuzz: cannot load the standard plugins from $QLAUNCH_PLUGIN_DIR\n");
		exit(1);
	}
	sv_release(&p);
	dg_release(&dg);
	snprintf(path, sizeof(path), "/tmp/qlaunch-fuzz.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		exit(1);
	close(fd);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag dg = DIAG_INIT;
	struct cfg *cfg = NULL;
	struct launch l;
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if (cfg_load(path, &dg, &cfg) == 0) {
		if (bld_launch(cfg, plugins, QL_MODE_PRINT, "/usr/bin/qemu", NULL, &dg, &l) == 0) {
			/* success means argv and no error */
			if (dg_failed(&dg) || l.argv.n == 0)
				abort();
			launch_release(&l);
		} else if (!dg_failed(&dg)) {
			abort();        /* a failure must say why */
		}
	} else if (!dg_failed(&dg)) {
		abort();
	}
	dg_sort(&dg);
	cfg_free(cfg);
	dg_release(&dg);
	return 0;
}
