/*
 * [firmware]: UEFI (or other flash) firmware.  code (required) is the
 * firmware itself, mapped read-only; vars is the VM's own variable store;
 * vars-template is copied to vars by run when vars does not exist (by the
 * core, once the whole configuration is valid and QEMU executable: 0600,
 * atomically, never over a file; print and check create nothing)
 * -> -drive if=pflash,unit=0,format=raw,readonly=on,file=CODE
 *    -drive if=pflash,unit=1,format=raw,file=VARS
 * The -drive form works with every machine type that has flash (pc and
 * q35); the -blockdev form would need [machine] pflash0=/pflash1=, which
 * is therefore refused next to [firmware].
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <string.h>

/* Machine types without system flash. */
static const char *const flashless[] = { "none", "microvm", "isapc", NULL };

static int machine_conflicts(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *v;
	int r = 0;

	if (!QL_HOST_HAS(api, peek))
		return 0;
	if (api->peek(ctx, "machine", NULL, "type", &v) > 0)
		for (size_t i = 0; flashless[i]; i++)
			if (strcmp(v, flashless[i]) == 0)
				r = api->error(ctx, NULL, "[machine] type %s has no flash for firmware, "
					       "expected a machine type such as q35 or pc", v);
	if (api->peek(ctx, "machine", NULL, "pflash0", &v) > 0 ||
	    api->peek(ctx, "machine", NULL, "pflash1", &v) > 0)
		r = api->error(ctx, NULL, "[machine] sets pflash0 or pflash1 too, expected the "
			       "firmware in [firmware] only");
	return r;
}

/* A name QEMU's -drive would read as protocol:rest (json:, nbd:, ...). */
static int looks_like_protocol(const char *path)
{
	size_t n = strcspn(path, ":/");

	return path[n] == ':';
}

static int flash(struct ql_ctx *ctx, const struct ql_host_api *api, const char *key,
		 const char *unit, const char *path, int readonly)
{
	int r;

	if ((r = api->opt_begin(ctx, "-drive")) < 0 ||
	    (r = api->opt_pair(ctx, "if", "pflash")) < 0 ||
	    (r = api->opt_pair(ctx, "unit", unit)) < 0 ||
	    (r = api->opt_pair(ctx, "format", "raw")) < 0 ||
	    (readonly && (r = api->opt_pair(ctx, "readonly", "on")) < 0) ||
	    (r = api->opt_pair_as(ctx, key, "file", path)) < 0)
		return r;
	return api->opt_end(ctx);
}

static int firmware_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	const char *code, *vars = NULL, *tmpl = NULL;
	int r = 0, e, has_vars, has_tmpl, has_seed = 1;

	if (api->get_string(ctx, "code", &code) <= 0)
		return -EINVAL;  /* reported by the core: missing or empty */
	has_vars = api->get_string(ctx, "vars", &vars);
	has_tmpl = api->get_string(ctx, "vars-template", &tmpl);
	if (has_vars < 0 || has_tmpl < 0)
		r = -EINVAL;
	if (has_tmpl > 0 && has_vars == 0)
		r = api->error(ctx, "vars-template", "a template but no vars, expected vars = the VM's "
			       "own variable store (the template is copied there)");
	if (has_tmpl > 0 && has_vars > 0 && strcmp(tmpl, vars) == 0)
		r = api->error(ctx, "vars", "the same file as vars-template, expected the VM's own copy");
	if (looks_like_protocol(code))
		r = api->error(ctx, "code", "'%s' would be read by QEMU as protocol:name, expected a file "
			       "name (write ./%s for a file of that name)", code, code);
	if (has_vars > 0 && looks_like_protocol(vars))
		r = api->error(ctx, "vars", "'%s' would be read by QEMU as protocol:name, expected a file "
			       "name (write ./%s for a file of that name)", vars, vars);
	if ((e = machine_conflicts(ctx, api)) < 0)
		r = e;
	if (r < 0)
		return r;
	if (has_tmpl > 0 && !QL_HOST_HAS(api, seed_file))
		return api->error(ctx, "vars-template", "this qlaunch cannot copy a template, expected "
				  "qlaunch with plugin ABI 2.1 or later");
	/* vars is checked (and made from the template) when run starts QEMU;
	 * an fd set (${fdset:NAME}) is a file the [fd.NAME] section opened */
	if (has_vars > 0 && strncmp(vars, "/dev/fdset/", 11) == 0) {
		if (has_tmpl > 0)
			return api->error(ctx, "vars-template", "vars is an fd set, which qlaunch opens as "
					  "it is, expected no template with it");
		has_seed = 0;
	}
	if (has_vars > 0 && has_seed && QL_HOST_HAS(api, seed_file) &&
	    (r = api->seed_file(ctx, "vars", has_tmpl > 0 ? tmpl : NULL, vars)) < 0)
		return r;
	if ((r = flash(ctx, api, "code", "0", code, 1)) < 0)
		return r;
	return has_vars > 0 ? flash(ctx, api, "vars", "1", vars, 0) : 0;
}

static const struct ql_key firmware_keys[] = {
	{ .name = "code", .kind = QL_KEY_PATH, .flags = QL_KEY_HOOK | QL_KEY_REQUIRED | QL_KEY_EXISTS,
	  .what = "the firmware image, such as /usr/share/OVMF/OVMF_CODE_4M.fd" },
	{ .name = "vars", .kind = QL_KEY_PATH, .flags = QL_KEY_HOOK },
	{ .name = "vars-template", .kind = QL_KEY_PATH, .flags = QL_KEY_HOOK | QL_KEY_EXISTS },
	{ .name = NULL },
};

static const struct ql_section_type firmware_sections[] = {
	{ .name = "firmware", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_FIRMWARE,
	  QL_KEYS(firmware_keys), .emit = firmware_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "firmware",
	.version = "1.0",
	.description = "UEFI firmware and its variable store in flash (-drive if=pflash)",
	.sections = firmware_sections,
};
