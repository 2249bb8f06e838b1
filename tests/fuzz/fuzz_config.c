/*
 * libFuzzer harness: everything a launch reads from outside, up to argv,
 * with the standard plugins compiled in (so they are instrumented too, as
 * built-in plugins: tests/fuzz/run.sh builds each with its descriptor
 * renamed ql_builtin_NAME).
 *
 * An input is up to four parts separated by a line "===":
 *   1. the config (read through a memfd, as cfg_load reads any file),
 *   2. a plugin set, whose defaults and fills are applied to the config,
 *   3. a plugin index (written to a directory of its own, then parsed),
 *   4. --fd bindings, one NAME=N per line.
 * The first byte of the config part chooses the mode (check or print) and
 * the output format (shell, NUL, JSON).  Any crash, sanitizer report or
 * leak is a finding; every input must end in argv or in errors.
 */
#include <qlconfig.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "diag.h"
#include "output.h"
#include "plgindex.h"
#include "plugin.h"
#include "pset.h"
#include "qemu.h"

/* PLUGINS(X): every standard plugin, written by run.sh from plugins/. */
#include "fuzz_plugins.h"

#define X(n) extern const struct ql_plugin ql_builtin_##n;
PLUGINS(X)
#undef X

static const struct plg_builtin builtins[] = {
#define X(n) { #n, &ql_builtin_##n },
	PLUGINS(X)
#undef X
	{ NULL, NULL },
};

/* libFuzzer's calling convention leaves no other place for these: they
 * are set once in LLVMFuzzerInitialize and only read afterwards. */
static struct plg_set *plugins;
static int cfg_fd = -1, set_fd = -1;
static char cfg_path[64], set_path[64], index_dir[64], index_path[96];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd(const char *name, char *path, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		exit(1);
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct plg_filter f = { .builtins = builtins };
	struct strv none = STRV_INIT;
	struct diag dg = DIAG_INIT;

	(void)argc;
	(void)argv;
	if (plg_load_all(&none, &f, bld_core_types, &dg, &plugins) < 0 ||
	    plugins->n != sizeof(builtins) / sizeof(builtins[0]) - 1) {
		fprintf(stderr, "fuzz: the built-in standard plugins do not load\n");
		exit(1);
	}
	dg_release(&dg);
	cfg_fd = memfd("config", cfg_path, sizeof(cfg_path));
	set_fd = memfd("plugin-set", set_path, sizeof(set_path));
	snprintf(index_dir, sizeof(index_dir), "/tmp/qlaunch-fuzz.XXXXXX");
	if (!mkdtemp(index_dir))
		exit(1);
	snprintf(index_path, sizeof(index_path), "%s/%s", index_dir, PIX_FILE);
	return 0;
}

/* Make fd hold exactly the n bytes at p. */
static void fill(int fd, const uint8_t *p, size_t n)
{
	if (ftruncate(fd, 0) < 0 || (n && pwrite(fd, p, n, 0) != (ssize_t)n))
		abort();
}

/* The next part of [*p, end): up to a line "===", or the rest. */
static size_t part(const uint8_t **p, const uint8_t *end, const uint8_t **start)
{
	static const char sep[] = "\n===\n";
	const uint8_t *s = *p, *q = s;

	*start = s;
	while (q + sizeof(sep) - 1 <= end && memcmp(q, sep, sizeof(sep) - 1) != 0)
		q++;
	if (q + sizeof(sep) - 1 > end) {
		*p = end;
		return (size_t)(end - s);
	}
	*p = q + sizeof(sep) - 1;
	return (size_t)(q - s) + 1;     /* with its newline */
}

/* The plugin index part: written and read back, matched against a name. */
static void index_part(const uint8_t *p, size_t n)
{
	struct pix ix = PIX_INIT;
	struct stat st;
	int fd = open(index_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n) || close(fd) < 0)
		abort();
	if (pix_read(index_dir, 0, &ix) < 0)
		return;                 /* out of memory */
	if (stat(index_path, &st) == 0)
		pix_match(&ix, "machine.so", &st);
	pix_release(&ix);
}

/* --fd bindings: the lines of the part. */
static void binding_part(const uint8_t *p, size_t n, struct strv *out)
{
	while (n) {
		const uint8_t *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;
		char *line;

		if (memchr(p, '\0', len))      /* no command-line argument holds one */
			return;
		line = strndup((const char *)p, len);
		if (!line || sv_take(out, line) < 0)
			return;
		p += len + !!nl;
		n -= len + !!nl;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const core_single[] = { QEMU_SECTION, NULL };
	const uint8_t *p = data, *end = data + size, *s;
	struct strv bindings = STRV_INIT;
	struct strbuf out = STRBUF_INIT;
	struct diag dg = DIAG_INIT;
	struct pset ps;
	struct cfg *cfg = NULL;
	struct launch l;
	enum ql_mode mode = size && (data[0] & 1) ? QL_MODE_CHECK : QL_MODE_PRINT;
	enum out_format fmt = size ? (enum out_format)((data[0] >> 1) % 3) : OUT_SHELL;
	size_t n, bad;
	int have_set, ok = 0;

	memset(&ps, 0, sizeof(ps));
	n = part(&p, end, &s);
	fill(cfg_fd, s, n);
	n = part(&p, end, &s);
	have_set = n > 0;
	if (have_set)
		fill(set_fd, s, n);
	n = part(&p, end, &s);
	if (n)
		index_part(s, n);
	n = part(&p, end, &s);
	binding_part(s, n, &bindings);

	if (have_set && pset_load(set_path, &dg, &ps) < 0)
		goto out;
	if (cfg_load(cfg_path, &dg, &cfg) < 0 || pset_apply(&ps, plugins, core_single, cfg, &dg) < 0)
		goto out;
	if (bld_launch(cfg, plugins, mode, "/usr/bin/qemu", &bindings, &dg, &l) == 0) {
		/* success means argv and no error */
		if (dg_failed(&dg) || l.argv.n == 0)
			abort();
		if (out_render(&l.argv, fmt, &out, &bad) == -EILSEQ && fmt != OUT_JSON)
			abort();
		launch_release(&l);
		ok = 1;
	}
out:
	if (!ok && !dg_failed(&dg))
		abort();        /* every failure says why */
	dg_sort(&dg);
	sb_release(&out);
	sv_release(&bindings);
	pset_release(&ps);
	cfg_free(cfg);
	dg_release(&dg);
	return 0;
}
