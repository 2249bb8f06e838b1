/* INI loading (core/config.c): structure, line numbers, and every input
 * iniparser 4.1 would get wrong. */
#include <qlconfig.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "testutil.h"

/* Load text; on failure return the joined errors (caller frees). */
static struct cfg *load(const char *text, size_t len, char **errors)
{
	struct diag dg = DIAG_INIT;
	struct cfg *cfg = NULL;
	const char *p = tu_write("c.ini", text, len);

	*errors = NULL;
	if (cfg_load(p, &dg, &cfg) < 0) {
		ck_assert_ptr_null(cfg);
		ck_assert(dg_failed(&dg));
		*errors = tu_join_diag(&dg);
	}
	dg_release(&dg);
	return cfg;
}

static struct cfg *load_ok(const char *text)
{
	char *err = NULL;
	struct cfg *cfg = load(text, strlen(text), &err);

	ck_assert_msg(cfg != NULL, "unexpected errors: %s", err);
	return cfg;
}

/* Errors of text, with the temp dir replaced by "T". */
static char *errors_of(const char *text, size_t len)
{
	char *err = NULL;
	struct cfg *cfg = load(text, len, &err);
	ck_assert_msg(cfg == NULL, "expected an error for: %s", text);
	return tu_shorten(err, tu_tmpdir(), 'T');
}

#define ck_load_errors(text, expect) do { \
		char *e_ = errors_of(text, strlen(text)); \
		ck_assert_str_eq(e_, expect); \
		free(e_); \
	} while (0)

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

START_TEST(structure_and_lines)
{
	struct cfg *cfg = load_ok(
		"# comment\n"
		"; another\n"
		"[Machine]\n"
		"Type = q35\n"
		"\n"
		"[device.Net0]\n"
		"driver = virtio-net-pci\n"
		"mac = \"52:54:00:12:34:56\"\n"
		"tag = 'has ; semicolon'\n"
		"cut = value ; trailing comment\n"
		"empty =\n");

	ck_assert_uint_eq(cfg->nsections, 2);
	ck_assert_str_eq(cfg->sections[0].name, "Machine");
	ck_assert_str_eq(cfg->sections[0].type, "machine");
	ck_assert_ptr_null(cfg->sections[0].id);
	ck_assert_uint_eq(cfg->sections[0].line, 3);
	ck_assert_str_eq(cfg->sections[0].keys[0].name, "type");
	ck_assert_str_eq(cfg->sections[0].keys[0].value, "q35");
	ck_assert_uint_eq(cfg->sections[0].keys[0].line, 4);
	ck_assert_str_eq(cfg->sections[1].type, "device");
	ck_assert_str_eq(cfg->sections[1].id, "Net0");
	ck_assert_uint_eq(cfg->sections[1].line, 6);
	ck_assert_uint_eq(cfg->sections[1].nkeys, 5);
	ck_assert_str_eq(cfg->sections[1].keys[1].value, "52:54:00:12:34:56");
	ck_assert_str_eq(cfg->sections[1].keys[2].value, "has ; semicolon");
	ck_assert_str_eq(cfg->sections[1].keys[3].value, "value");
	ck_assert_str_eq(cfg->sections[1].keys[4].value, "");
	ck_assert_uint_eq(cfg->sections[1].keys[4].line, 11);
	ck_assert_ptr_nonnull(cfg_key_find(&cfg->sections[1], "mac"));
	ck_assert_ptr_null(cfg_key_find(&cfg->sections[1], "nope"));
	cfg_free(cfg);
}
END_TEST

START_TEST(crlf_and_continuation)
{
	struct cfg *cfg = load_ok("[kernel]\r\nappend = console=ttyS0 \\\r\n  quiet\r\nx = 1\r\n");

	ck_assert_str_eq(cfg->sections[0].keys[0].value, "console=ttyS0   quiet");
	ck_assert_uint_eq(cfg->sections[0].keys[0].line, 2);
	ck_assert_uint_eq(cfg->sections[0].keys[1].line, 4);
	cfg_free(cfg);
}
END_TEST

START_TEST(duplicates)
{
	ck_load_errors("[smp]\ncpus = 1\n[smp]\ncpus = 2\n",
		  "T/c.ini:3: [smp]: repeats the section of line 1 (section names ignore case), expected each section once");
	ck_load_errors("[device.Net0]\na=1\n[device.net0]\n",
		  "T/c.ini:3: [device.net0]: repeats the section of line 1 (section names ignore case), expected each section once");
	ck_load_errors("[memory]\nsize = 1G\nSize = 2G\n",
		  "T/c.ini:3: [memory] size: duplicate key (first set at line 2), expected each key once per section");
}
END_TEST

START_TEST(bad_structure)
{
	ck_load_errors("size = 1G\n",
		  "T/c.ini:1: key 'size' is outside any section, expected a [section] header first");
	ck_load_errors("[memory]\njunk\n",
		  "T/c.ini:2: expected 'key = value', '[section]' or a comment, got 'junk'");
	ck_load_errors("[memory]\n= 3\n", "T/c.ini:2: missing key name before '='");
	ck_load_errors("[a:b]\nx=1\n",
		  "T/c.ini:1: [a:b]: ':' is not allowed in a section name, expected [TYPE] or [TYPE.ID]");
	ck_load_errors("[]\n", "T/c.ini:1: empty section name, expected [TYPE] or [TYPE.ID]");
	ck_load_errors("[memory\n", "T/c.ini:1: malformed section header '[memory', expected [TYPE] or [TYPE.ID]");
	ck_load_errors("[a]b]\n", "T/c.ini:1: malformed section header '[a]b]', expected [TYPE] or [TYPE.ID]");
	ck_load_errors("[device \"net0\"]\n",
		  "T/c.ini:1: [device \"net0\"]: invalid section name, expected [TYPE] or [TYPE.ID] "
		  "(TYPE: letters, digits, '-', '_'; ID: a letter, then letters, digits, '-', '.', '_')");
	ck_load_errors("[device.0net]\n",
		  "T/c.ini:1: [device.0net]: invalid section name, expected [TYPE] or [TYPE.ID] "
		  "(TYPE: letters, digits, '-', '_'; ID: a letter, then letters, digits, '-', '.', '_')");
	ck_load_errors("[memory]\nsi ze = 1\n",
		  "T/c.ini:2: [memory]: invalid key name 'si ze', expected letters, digits, '-', '_' and '.'");
	ck_load_errors("[memory]\n# note \\\nsize = 1G\n",
		  "T/c.ini:2: comment ends with '\\', which would join the next line to it; expected no backslash at the end of a comment");
	ck_load_errors("[qemu]\nname = \"a b\" c\n",
		  "T/c.ini:2: [qemu] name: text after the closing quote ('c') would be lost, expected the whole value inside the quotes");
	ck_load_errors("[qemu]\nname = 'a b\n",
		  "T/c.ini:2: [qemu] name: the value opens a quote (') but does not close it, expected a closing '");
	ck_load_errors("[memory]\nsize = 1G \\\n",
		  "T/c.ini:2: the last line ends with '\\' but no line follows, expected a value");
}
END_TEST

START_TEST(every_error_reported)
{
	ck_load_errors("x=1\n[a:b]\n[smp]\n[smp]\n",
		  "T/c.ini:1: key 'x' is outside any section, expected a [section] header first\n"
		  "T/c.ini:2: [a:b]: ':' is not allowed in a section name, expected [TYPE] or [TYPE.ID]\n"
		  "T/c.ini:4: [smp]: repeats the section of line 3 (section names ignore case), expected each section once");
}
END_TEST

START_TEST(line_length)
{
	char buf[2100];
	struct cfg *cfg;
	char *err;

	/* "k=" + 1020 bytes = 1022: the longest line iniparser reads */
	memcpy(buf, "[s]\nk=", 6);
	memset(buf + 6, 'a', 1020);
	memcpy(buf + 1026, "\n", 2);
	cfg = load_ok(buf);
	ck_assert_uint_eq(strlen(cfg->sections[0].keys[0].value), 1020);
	cfg_free(cfg);
	/* one more byte */
	memset(buf + 6, 'a', 1021);
	memcpy(buf + 1027, "\n", 2);
	err = errors_of(buf, strlen(buf));
	ck_assert_str_eq(err, "T/c.ini:2: line too long (1023 bytes), expected at most 1022 bytes per line");
	free(err);
	/* two lines joined by a backslash count together */
	memcpy(buf, "[s]\nk=", 6);
	memset(buf + 6, 'a', 600);
	memcpy(buf + 606, "\\\n", 2);
	memset(buf + 608, 'b', 600);
	memcpy(buf + 1208, "\n", 2);
	err = errors_of(buf, strlen(buf));
	ck_assert_str_eq(err, "T/c.ini:3: line too long (1202 bytes with the lines it continues), expected at most 1022 bytes per line");
	free(err);
}
END_TEST

START_TEST(bytes_iniparser_cannot_read)
{
	char *err;

	err = errors_of("[smp]\ncpus = 1\0\n", 16);
	ck_assert_str_eq(err, "T/c.ini:2: NUL byte in the file, expected text");
	free(err);
	err = errors_of("\xef\xbb\xbf[smp]\n", 9);
	ck_assert_str_eq(err, "T/c.ini:1: file starts with a UTF-8 byte order mark (BOM), expected plain text without a BOM");
	free(err);
}
END_TEST

START_TEST(not_regular_files)
{
	struct diag dg = DIAG_INIT;
	struct cfg *cfg = NULL;
	char fifo[512], *err;

	ck_assert_int_eq(cfg_load(tu_tmpdir(), &dg, &cfg), -EINVAL);
	ck_assert_ptr_null(cfg);
	err = tu_join_diag(&dg);
	ck_assert_ptr_nonnull(strstr(err, ": not a regular file (a directory), expected an INI file"));
	free(err);
	dg_release(&dg);

	snprintf(fifo, sizeof(fifo), "%s/fifo", tu_tmpdir());
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(cfg_load(fifo, &dg, &cfg), -EINVAL);   /* must not hang */
	err = tu_join_diag(&dg);
	ck_assert_ptr_nonnull(strstr(err, ": not a regular file (a fifo), expected an INI file"));
	free(err);
	dg_release(&dg);

	ck_assert_int_eq(cfg_load("/dev/zero", &dg, &cfg), -EINVAL);
	err = tu_join_diag(&dg);
	ck_assert_str_eq(err, "/dev/zero: not a regular file (a character device), expected an INI file");
	free(err);
	dg_release(&dg);

	ck_assert_int_eq(cfg_load("/nonexistent/vm.ini", &dg, &cfg), -ENOENT);
	err = tu_join_diag(&dg);
	ck_assert_str_eq(err, "/nonexistent/vm.ini: cannot open: No such file or directory");
	free(err);
	dg_release(&dg);
}
END_TEST

START_TEST(valid_ids)
{
	ck_assert(cfg_valid_id("net0"));
	ck_assert(cfg_valid_id("N.e-t_0"));
	ck_assert(!cfg_valid_id(""));
	ck_assert(!cfg_valid_id("0net"));
	ck_assert(!cfg_valid_id("-x"));
	ck_assert(!cfg_valid_id("a,b"));
	ck_assert(!cfg_valid_id("a b"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, structure_and_lines);
	tcase_add_test(tc, crlf_and_continuation);
	tcase_add_test(tc, duplicates);
	tcase_add_test(tc, bad_structure);
	tcase_add_test(tc, every_error_reported);
	tcase_add_test(tc, line_length);
	tcase_add_test(tc, bytes_iniparser_cannot_read);
	tcase_add_test(tc, not_regular_files);
	tcase_add_test(tc, valid_ids);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
