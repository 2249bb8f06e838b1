/*
 * The probe's cache (core/probe.h) without QEMU: what is written, what is
 * read back, and everything that must not be trusted.  The probe of the
 * real binary is tests/probe.test.
 */
#include <qlconfig.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json.h>
#include "capvalue.h"
#include "prbcache.h"
#include "testutil.h"

static void setup(void) { tu_tmpdir(); }
static void teardown(void) { tu_cleanup(); }

static char dir[4096], bin[4096];

/* A cache directory and a "binary" (any file: only its identity counts). */
static void make_paths(struct prb_id *id)
{
	snprintf(dir, sizeof(dir), "%s/cache/qlaunch", tu_tmpdir());
	snprintf(bin, sizeof(bin), "%s", tu_write("qemu", "#!/bin/sh\n", 10));
	ck_assert_int_eq(prb_identity(bin, id), 0);
}

static struct json_object *sample(const struct prb_id *id)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "{\"qlaunch-probe\": 2, \"binary\": {\"path\": \"%s\", \"dev\": %llu, \"ino\": %llu, "
		 "\"size\": %llu, \"mtime\": %lld, \"mtime-ns\": %lld, \"ctime\": %lld, \"ctime-ns\": %lld}, "
		 "\"version\": \"7.2.22\", \"package\": \"test\", \"machines\": [\"q35\", \"pc\"], "
		 "\"cpus\": [\"qemu64\"], \"devices\": [\"virtio-blk-pci\", \"virtio-gpu-gl-pci\", "
		 "\"qemu64-x86_64-cpu\"], "
		 "\"objects\": [\"rng-random\"], \"accels\": [\"tcg\", \"kvm\"], \"displays\": [\"none\"], "
		 "\"types\": [\"device\", \"virtio-blk-pci\", \"pc-q35-7.2-machine\"], "
		 "\"blockdev-drivers\": [\"qcow2\"], \"netdev-types\": [\"user\"], "
		 "\"audiodev-drivers\": [\"none\", \"wav\"], "
		 "\"machine-aliases\": {\"q35\": \"pc-q35-7.2\"}, "
		 "\"cpu-typenames\": {\"qemu64\": \"qemu64-x86_64-cpu\"}, "
		 "\"arguments\": {\"netdev\": {\"user\": {\"ipv4\": \"bool\", \"hostfwd\": \"any\"}}, "
		 "\"blockdev\": {\"qcow2\": {\"cache\": {\"direct\": \"bool\"}, "
		 "\"detect-zeroes\": [\"off\", \"on\", \"unmap\"]}}}, "
		 "\"options\": {\"chardev\": {\"path\": \"string\", \"server\": \"boolean\"}}, "
		 "\"properties\": {\"virtio-blk-pci\": {\"drive\": {\"type\": \"str\"}, "
		 "\"serial\": {\"type\": \"str\", \"description\": \"a serial\"}}, "
		 "\"pc-q35-7.2-machine\": {\"smm\": {\"type\": \"OnOffAuto\"}}, "
		 "\"virtio-gpu-gl-pci\": null}}",
		 id->path, id->dev, id->ino, id->size, id->mtime, id->mtime_ns, id->ctime, id->ctime_ns);
	return json_tokener_parse(text);
}

static char *cache_file(void)
{
	return prb_cache_path(dir, bin);
}

START_TEST(write_then_read)
{
	struct json_object *root, *back = NULL;
	struct prb_id id;
	struct stat st;
	char *file;

	make_paths(&id);
	root = sample(&id);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(prb_validate(root, &id), 0);
	ck_assert_int_eq(prb_cache_dir_ok(dir, NULL, 0), 0);
	ck_assert_int_eq(prb_cache_write(dir, &id, root), 0);
	file = cache_file();
	ck_assert_int_eq(lstat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), 0);
	ck_assert_str_eq(json_object_to_json_string(back), json_object_to_json_string(root));
	{
		struct prb p = { .root = back };
		const char **names = NULL;

		ck_assert_int_eq(prb_has(&p, PRB_MACHINES, "q35"), 1);
		ck_assert_int_eq(prb_has(&p, PRB_MACHINES, "q36"), 0);
		ck_assert_int_eq(prb_props(&p, PRB_DEVICE, "virtio-blk-pci", &names), 1);
		ck_assert_str_eq(names[1], "serial");
		ck_assert_ptr_null(names[2]);
		free(names);
		ck_assert_str_eq(prb_prop_type(&p, PRB_DEVICE, "virtio-blk-pci", "serial"), "str");
		ck_assert_str_eq(prb_prop_description(&p, PRB_DEVICE, "virtio-blk-pci", "serial"), "a serial");
		ck_assert_ptr_null(prb_prop_description(&p, PRB_DEVICE, "virtio-blk-pci", "drive"));
		ck_assert_ptr_null(prb_prop_type(&p, PRB_DEVICE, "virtio-blk-pci", "nosuch"));
		ck_assert_int_eq(prb_props(&p, PRB_DEVICE, "virtio-gpu-gl-pci", &names), 0);
		ck_assert_int_eq(prb_props(&p, PRB_DEVICE, "e1000", &names), -ENOENT);
		/* a machine by its alias, a CPU model by its QOM type */
		ck_assert_str_eq(prb_prop_type(&p, PRB_MACHINE, "q35", "smm"), "OnOffAuto");
		ck_assert_str_eq(prb_prop_type(&p, PRB_MACHINE, "pc-q35-7.2", "smm"), "OnOffAuto");
		ck_assert_int_eq(prb_props(&p, PRB_MACHINE, "pc", &names), -ENOENT);
		ck_assert_int_eq(prb_props(&p, PRB_CPU, "qemu64", &names), -ENOENT);  /* not asked */
		ck_assert_int_eq(prb_props(&p, PRB_ACCEL, "tcg", &names), -ENOENT);
		ck_assert_ptr_nonnull(prb_arguments(&p, "netdev", "user"));
		ck_assert_ptr_null(prb_arguments(&p, "netdev", "tap"));
		ck_assert_ptr_null(prb_arguments(&p, "object", "rng-random"));
		ck_assert_ptr_nonnull(prb_option(&p, "chardev"));
		ck_assert_ptr_null(prb_option(&p, "device"));
		ck_assert_int_eq(prb_has(&p, PRB_AUDIODEV_DRIVERS, "wav"), 1);
	}
	/* no temporary file is left beside it */
	{
		char cmd[8300];

		snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s' | wc -l)\" -eq 1", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
	json_object_put(back);
	json_object_put(root);
	free(file);
}
END_TEST

/* Write text as the cache file (mode 0600). */
static void plant(const char *text)
{
	char *file = cache_file();
	int fd;

	ck_assert_int_eq(prb_cache_dir_ok(dir, NULL, 0), 0);
	unlink(file);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	free(file);
}

START_TEST(corrupt_is_not_trusted)
{
	static const char *const bad[] = {
		"", "{", "not json", "[]", "{\"qlaunch-probe\": 2}", "{\"qlaunch-probe\": 1}", "{\"qlaunch-probe\": 3}",
		"null", "{} {}",
	};
	struct json_object *root, *back = NULL;
	struct prb_id id;
	const char *text;
	char *cut;

	make_paths(&id);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		plant(bad[i]);
		ck_assert_msg(prb_cache_read(dir, &id, &back) == -EINVAL, "trusted '%s'", bad[i]);
		ck_assert_ptr_null(back);
	}
	/* a good file cut short, and one with garbage after it */
	root = sample(&id);
	text = json_object_to_json_string(root);
	cut = strndup(text, strlen(text) / 2);
	plant(cut);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), -EINVAL);
	free(cut);
	ck_assert_int_ge(asprintf(&cut, "%s x", text), 0);
	plant(cut);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), -EINVAL);
	free(cut);
	json_object_put(root);
}
END_TEST

START_TEST(wrong_shape)
{
	static const char *const edits[][2] = {
		{ "[\"q35\",\"pc\"]", "[\"q35\",7]" },              /* a name that is not a string */
		{ "\"cpus\":[\"qemu64\"]", "\"cpus\":{}" },           /* a list that is not one */
		{ "\"virtio-gpu-gl-pci\":null", "\"virtio-gpu-gl-pci\":1" },
		{ "\"version\":\"7.2.22\",", "" },                    /* a key missing */
		{ "\"displays\":[\"none\"],", "" },
		{ "\"types\":[\"device\",\"virtio-blk-pci\",\"pc-q35-7.2-machine\"],", "" },
		{ "\"qlaunch-probe\":2", "\"qlaunch-probe\":\"2\"" },
		{ "\"qlaunch-probe\":2", "\"qlaunch-probe\":1" },     /* the format before */
		{ "\"type\":\"str\"}", "\"type\":[]}" },
		{ "\"description\":\"a serial\"", "\"description\":2" },
		{ "\"audiodev-drivers\":[\"none\",\"wav\"],", "" },
		{ "{\"q35\":\"pc-q35-7.2\"}", "{\"q35\":1}" },
		{ "{\"qemu64\":\"qemu64-x86_64-cpu\"}", "[]" },
		{ "\"ipv4\":\"bool\"", "\"ipv4\":true" },
		{ "\"direct\":\"bool\"", "\"direct\":null" },
		{ "[\"off\",\"on\",\"unmap\"]", "[\"off\",1]" },
		{ "\"server\":\"boolean\"", "\"server\":{}" },
		{ "\"smm\":{\"type\":\"OnOffAuto\"}", "\"smm\":\"OnOffAuto\"" },
	};
	struct json_object *root;
	struct prb_id id;

	make_paths(&id);
	root = sample(&id);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE);
		const char *at = strstr(text, edits[i][0]);
		struct json_object *o;
		char buf[4096];

		ck_assert_msg(at != NULL, "no '%s' in %s", edits[i][0], text);
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - text), text, edits[i][1],
			 at + strlen(edits[i][0]));
		o = json_tokener_parse(buf);
		ck_assert_ptr_nonnull(o);
		ck_assert_msg(prb_validate(o, &id) == -EINVAL, "trusted %s", buf);
		json_object_put(o);
	}
	json_object_put(root);
}
END_TEST

START_TEST(another_identity_is_stale)
{
	struct json_object *root, *back = NULL;
	struct prb_id id, now;
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };

	make_paths(&id);
	root = sample(&id);
	ck_assert_int_eq(prb_cache_write(dir, &id, root), 0);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), 0);
	json_object_put(back);
	/* the binary replaced (here: its times changed) */
	ck_assert_int_eq(utimensat(AT_FDCWD, bin, ts, 0), 0);
	ck_assert_int_eq(prb_identity(bin, &now), 0);
	ck_assert_int_eq(prb_cache_read(dir, &now, &back), -ESTALE);
	ck_assert_ptr_null(back);
	/* another path with the same file */
	now = id;
	now.path = "/usr/bin/other";
	ck_assert_int_eq(prb_validate(root, &now), -ESTALE);
	now = id;
	now.ino++;
	ck_assert_int_eq(prb_validate(root, &now), -ESTALE);
	json_object_put(root);
}
END_TEST

START_TEST(file_not_private)
{
	struct json_object *root, *back = NULL;
	struct prb_id id;
	char *file, link[8300];

	make_paths(&id);
	root = sample(&id);
	ck_assert_int_eq(prb_cache_write(dir, &id, root), 0);
	file = cache_file();
	ck_assert_int_eq(chmod(file, 0644), 0);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), -EPERM);
	ck_assert_int_eq(chmod(file, 0600), 0);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), 0);
	json_object_put(back);
	back = NULL;
	/* a symbolic link in its place is not followed */
	snprintf(link, sizeof(link), "%s.real", file);
	ck_assert_int_eq(rename(file, link), 0);
	ck_assert_int_eq(symlink(link, file), 0);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), -EPERM);
	/* and writing replaces the link, not what it points to */
	ck_assert_int_eq(prb_cache_write(dir, &id, root), 0);
	{
		struct stat st;

		ck_assert_int_eq(lstat(file, &st), 0);
		ck_assert(S_ISREG(st.st_mode));
	}
	json_object_put(root);
	free(file);
}
END_TEST

START_TEST(unsafe_directory)
{
	struct json_object *root, *back = NULL;
	struct prb_id id;
	char err[1024], up[4096];

	make_paths(&id);
	root = sample(&id);
	ck_assert_int_eq(prb_cache_dir_ok(dir, err, sizeof(err)), 0);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(prb_cache_dir_ok(dir, err, sizeof(err)), -EPERM);
	ck_assert_msg(strstr(err, "others may write it (mode 0777), expected mode 0700") != NULL, "%s", err);
	ck_assert_int_eq(prb_cache_write(dir, &id, root), -EPERM);
	ck_assert_int_eq(prb_cache_read(dir, &id, &back), -EPERM);
	ck_assert_int_eq(chmod(dir, 0770), 0);
	ck_assert_int_eq(prb_cache_dir_ok(dir, err, sizeof(err)), -EPERM);
	ck_assert_msg(strstr(err, "its group may write it") != NULL, "%s", err);
	/* a directory above it that others may write (not sticky) */
	ck_assert_int_eq(chmod(dir, 0700), 0);
	snprintf(up, sizeof(up), "%s/cache", tu_tmpdir());
	ck_assert_int_eq(chmod(up, 0777), 0);
	ck_assert_int_eq(prb_cache_dir_ok(dir, err, sizeof(err)), -EPERM);
	ck_assert_msg(strstr(err, "above it others may write it") != NULL, "%s", err);
	ck_assert_int_eq(chmod(up, 0700), 0);
	ck_assert_int_eq(prb_cache_dir_ok(dir, err, sizeof(err)), 0);
	/* another user's */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(dir, 65534, 65534), 0);
		ck_assert_int_eq(prb_cache_dir_ok(dir, err, sizeof(err)), -EPERM);
		ck_assert_msg(strstr(err, "belongs to user 65534, expected a directory of user 0") != NULL,
			      "%s", err);
	}
	json_object_put(root);
}
END_TEST

START_TEST(default_directory)
{
	char *d;

	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	d = prb_default_dir();
	ck_assert_str_eq(d, "/x/cache/qlaunch");
	free(d);
	/* a relative XDG_CACHE_HOME is ignored (the XDG spec) */
	setenv("XDG_CACHE_HOME", "rel", 1);
	setenv("HOME", "/home/u", 1);
	d = prb_default_dir();
	ck_assert_str_eq(d, geteuid() == 0 ? "/var/cache/qlaunch" : "/home/u/.cache/qlaunch");
	free(d);
	unsetenv("XDG_CACHE_HOME");
	d = prb_default_dir();
	ck_assert_str_eq(d, geteuid() == 0 ? "/var/cache/qlaunch" : "/home/u/.cache/qlaunch");
	free(d);
}
END_TEST

START_TEST(not_qemu)
{
	struct prb p;
	char err[1024];

	/* a binary that exits at once: an error, nothing cached */
	snprintf(dir, sizeof(dir), "%s/c2", tu_tmpdir());
	ck_assert_int_lt(prb_get("/bin/true", NULL, 0, dir, &p, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "/bin/true did not answer on QMP, expected a QEMU system emulator") != NULL,
		      "%s", err);
	ck_assert_ptr_null(p.root);
	ck_assert_int_eq(prb_get("/nonexistent/qemu", NULL, 0, dir, &p, err, sizeof(err)), -ENOENT);
}
END_TEST

/* --- what QEMU would take (capvalue.h) ------------------------------------- */

START_TEST(property_values)
{
	static const struct { const char *type, *desc, *value, *want; } cs[] = {
		{ "bool", NULL, "on", NULL }, { "bool", NULL, "No", NULL },
		{ "bool", NULL, "maybe", "on or off" },
		{ "uint8", NULL, "255", NULL }, { "uint8", NULL, "0xff", NULL },
		{ "uint8", NULL, "256", "an integer from 0 to 255" },
		{ "uint32", NULL, "-1", "an integer from 0 to 4294967295" },   /* wraps, too big */
		{ "uint32", NULL, "08", "an integer from 0 to 4294967295" },   /* base 0: octal */
		{ "uint64", NULL, "18446744073709551615", NULL },
		{ "uint64", NULL, "18446744073709551616", "an integer from 0 to 18446744073709551615" },
		{ "int32", NULL, "-2147483648", NULL },
		{ "int32", NULL, "x", "an integer from -2147483648 to 2147483647" },
		{ "int32", "Slot and optional function number, example: 06.0 or 06", "06.0", NULL },
		{ "size", NULL, "1.5G", NULL }, { "size", NULL, "0x1000", NULL }, { "size", NULL, "4k", NULL },
		{ "size", NULL, "4KiB", "a size such as 512, 64K, 2M or 1G" },
		{ "size", NULL, "-1", "a size such as 512, 64K, 2M or 1G" },
		{ "size", NULL, "0x10k", NULL },        /* deprecated in 7.2, but taken */
		{ "size", NULL, "+4K", NULL },
		{ "size", NULL, "0x1.8k", "a size such as 512, 64K, 2M or 1G" },
		{ "size", NULL, "0x", "a size such as 512, 64K, 2M or 1G" },
		{ "OnOffAuto", "on/off/auto", "auto", NULL },
		{ "OnOffAuto", "Enable SMM", "ON", "on, off or auto" },
		{ "BlockdevOnError", "Error handling policy, report/ignore/enospc/stop/auto", "stop", NULL },
		{ "BlockdevOnError", "Error handling policy, report/ignore/enospc/stop/auto", "halt",
		  "report, ignore, enospc, stop or auto" },
		{ "HostMemPolicy", "Set the NUMA policy", "anything", NULL },   /* values not listed */
		{ "str", NULL, "anything", NULL }, { "link<memory-backend>", NULL, "m0", NULL },
		{ "uint32", NULL, "", NULL },
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		const char *got = cv_property(cs[i].type, cs[i].desc, cs[i].value, buf, sizeof(buf));

		if (!cs[i].want)
			ck_assert_msg(!got, "%s '%s': %s", cs[i].type, cs[i].value, got);
		else
			ck_assert_msg(got && strcmp(got, cs[i].want) == 0, "%s '%s': %s", cs[i].type,
				      cs[i].value, got ? got : "(null)");
	}
}
END_TEST

START_TEST(member_and_parameter_values)
{
	struct json_object *en = json_tokener_parse("[\"off\", \"on\", \"unmap\"]");
	struct json_object *b = json_object_new_string("bool"), *i = json_object_new_string("int");
	struct json_object *num = json_object_new_string("number"), *str = json_object_new_string("str");
	char buf[256];

	ck_assert_ptr_null(cv_member(en, "unmap", buf, sizeof(buf)));
	ck_assert_str_eq(cv_member(en, "Unmap", buf, sizeof(buf)), "one of: off, on, unmap");
	ck_assert_ptr_null(cv_member(b, "off", buf, sizeof(buf)));
	ck_assert_str_eq(cv_member(b, "2", buf, sizeof(buf)), "on or off");
	ck_assert_ptr_null(cv_member(i, "-5", buf, sizeof(buf)));
	ck_assert_ptr_null(cv_member(i, "64M", buf, sizeof(buf)));      /* a size member */
	ck_assert_str_eq(cv_member(i, "lots", buf, sizeof(buf)),
			 "an integer (or a size such as 64M: the schema does not tell them apart)");
	ck_assert_ptr_null(cv_member(num, "0.5", buf, sizeof(buf)));
	ck_assert_str_eq(cv_member(num, "half", buf, sizeof(buf)), "a number");
	ck_assert_ptr_null(cv_member(str, "x,y", buf, sizeof(buf)));
	ck_assert_ptr_null(cv_parameter("boolean", "yes"));
	ck_assert_str_eq(cv_parameter("boolean", "1"), "on or off");
	ck_assert_ptr_null(cv_parameter("number", "0x10"));
	ck_assert_str_eq(cv_parameter("number", "ten"), "a number");
	ck_assert_ptr_null(cv_parameter("size", "16M"));
	ck_assert_str_eq(cv_parameter("size", "16 M"), "a size such as 512, 64K, 2M or 1G");
	ck_assert_ptr_null(cv_parameter("string", "anything"));
	json_object_put(en);
	json_object_put(b);
	json_object_put(i);
	json_object_put(num);
	json_object_put(str);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("cache");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, write_then_read);
	tcase_add_test(tc, corrupt_is_not_trusted);
	tcase_add_test(tc, wrong_shape);
	tcase_add_test(tc, another_identity_is_stale);
	tcase_add_test(tc, file_not_private);
	tcase_add_test(tc, unsafe_directory);
	tcase_add_test(tc, default_directory);
	tcase_add_test(tc, not_qemu);
	suite_add_tcase(s, tc);
	tc = tcase_create("values");
	tcase_add_test(tc, property_values);
	tcase_add_test(tc, member_and_parameter_values);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
