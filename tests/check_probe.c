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
	char text[2048];

	snprintf(text, sizeof(text),
		 "{\"qlaunch-probe\": 1, \"binary\": {\"path\": \"%s\", \"dev\": %llu, \"ino\": %llu, "
		 "\"size\": %llu, \"mtime\": %lld, \"mtime-ns\": %lld, \"ctime\": %lld, \"ctime-ns\": %lld}, "
		 "\"version\": \"7.2.22\", \"package\": \"test\", \"machines\": [\"q35\", \"pc\"], "
		 "\"cpus\": [\"qemu64\"], \"devices\": [\"virtio-blk-pci\", \"virtio-gpu-gl-pci\"], "
		 "\"objects\": [\"rng-random\"], \"accels\": [\"tcg\", \"kvm\"], \"displays\": [\"none\"], \"types\": [\"device\", \"virtio-blk-pci\"], "
		 "\"blockdev-drivers\": [\"qcow2\"], \"netdev-types\": [\"user\"], "
		 "\"device-properties\": {\"virtio-blk-pci\": [\"drive\", \"serial\"], "
		 "\"virtio-gpu-gl-pci\": null}, "
		 "\"device-property-types\": {\"virtio-blk-pci\": {\"drive\": \"str\", \"serial\": \"str\"}}}",
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
		ck_assert_int_eq(prb_device_props(&p, "virtio-blk-pci", &names), 1);
		ck_assert_str_eq(names[1], "serial");
		ck_assert_ptr_null(names[2]);
		free(names);
		ck_assert_int_eq(prb_device_props(&p, "virtio-gpu-gl-pci", &names), 0);
		ck_assert_int_eq(prb_device_props(&p, "e1000", &names), -ENOENT);
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
		"", "{", "not json", "[]", "{\"qlaunch-probe\": 2}", "{\"qlaunch-probe\": 1}",
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
		{ "\"types\":[\"device\",\"virtio-blk-pci\"],", "" },
		{ "\"qlaunch-probe\":1", "\"qlaunch-probe\":\"1\"" },
		{ "\"serial\":\"str\"", "\"serial\":[]" },
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
	return tu_run(s);
}
