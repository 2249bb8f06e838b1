#include <qlconfig.h>

#include "capcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "build.h"
#include "capvalue.h"
#include "desc.h"
#include "plugin.h"
#include "value.h"

/* The plugin that must own a section type for its keys to be checked. */
static int owned_by(const struct registry *reg, const char *type, const char *plugin)
{
	const struct reg_entry *e = reg_find(reg, type);

	return e && e->plugin && strcmp(e->plugin->desc.name, plugin) == 0;
}

/* Has something been said about this file and line already (by a plugin
 * or the core's key checks)?  Then the probe adds nothing there. */
static int reported(const struct diag *dg, const char *file, unsigned line)
{
	char prefix[64];
	size_t fl = strlen(file);

	snprintf(prefix, sizeof(prefix), ":%u:", line);
	for (size_t i = 0; i < dg->msgs.n; i++)
		if (strncmp(dg->msgs.v[i], file, fl) == 0 &&
		    strncmp(dg->msgs.v[i] + fl, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

/* QEMU 7.2's -device aliases (qdev-monitor.c): "virtio-blk" stands for
 * virtio-blk-pci on a PCI target, and a few other names for types
 * (alias, type). */
static int device_alias(const struct prb *p, const char *name)
{
	static const char *const old[][2] = {
		{ "e1000-82540em", "e1000" }, { "ahci", "ich9-ahci" }, { "lsi", "lsi53c895a" },
		{ "ac97", "AC97" }, { "es1370", "ES1370" },
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		if (strcmp(name, old[i][0]) == 0 && prb_has(p, PRB_DEVICES, old[i][1]))
			return 1;
	if (strncmp(name, "virtio-", 7) != 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s-pci", name);
	return prb_has(p, PRB_DEVICES, buf);
}

/* val_suggest, or a candidate one swap of neighbours away ("tgc" for
 * "tcg": two edits to val_suggest, too many for a word that short). */
static const char *suggest(const char *word, const char *const *names)
{
	const char *near = val_suggest(word, names);
	size_t len = strlen(word);

	for (size_t i = 0; !near && names[i]; i++) {
		size_t j = 0;

		if (strlen(names[i]) != len || len < 2)
			continue;
		while (j < len && word[j] == names[i][j])
			j++;
		if (j + 1 < len && word[j] == names[i][j + 1] && word[j + 1] == names[i][j] &&
		    strcmp(word + j + 2, names[i] + j + 2) == 0)
			near = names[i];
	}
	return near;
}

/* "(did you mean 'X'?)" for name among names, or "". */
static const char *did_you_mean(const char *name, const char *const *names, char *buf, size_t len)
{
	const char *near = names ? suggest(name, names) : NULL;

	if (!near)
		return "";
	snprintf(buf, len, " (did you mean '%s'?)", near);
	return buf;
}

struct cc {
	const struct cfg *cfg;
	const struct registry *reg;
	const struct prb *p;
	const char *binary;
	struct diag *dg;
	int r;
};

/* Report name (of key k in sec) as unknown in list which. */
static void unknown(struct cc *c, const struct cfg_section *sec, const struct cfg_key *k,
		    const char *what, const char *name, enum prb_list which)
{
	const char **names = prb_names(c->p, which);
	const char *file = cfg_origin(sec, k, c->cfg->path), *hint;
	unsigned line = k ? k->line : sec->line;
	char buf[256];

	if (!names) {
		c->r = -ENOMEM;
		return;
	}
	hint = did_you_mean(name, names, buf, sizeof(buf));
	if (which == PRB_ACCELS || which == PRB_DISPLAYS || which == PRB_AUDIODEV_DRIVERS) {
		struct strbuf all = STRBUF_INIT;
		size_t n = 0;

		while (names[n])
			n++;
		sb_join(&all, names, n, ", ");
		dg_error(c->dg, file, line, sec->name, k ? k->name : NULL,
			 which == PRB_ACCELS ? "%s '%s' is not in %s%s, expected one of: %s" :
			 which == PRB_DISPLAYS ? "%s '%s' cannot start with %s%s (its UI module is not "
			 "installed, or it was not built in), expected one of: %s" :
			 "%s '%s' cannot start with %s%s (its module is not installed, or it was not "
			 "built in), expected one of: %s", what, name, c->binary,
			 hint, all.buf ? all.buf : "");
		sb_release(&all);
	} else {
		dg_error(c->dg, file, line, sec->name, k ? k->name : NULL,
			 "unknown %s '%s'%s, expected one that %s has ('qlaunch probe --json' lists them)",
			 what, name, hint, c->binary);
	}
	free(names);
	c->r = c->r ? c->r : -EINVAL;
}

/* Check the value of key in sec against list which. */
static const struct cfg_key *check_key(struct cc *c, const struct cfg_section *sec, const char *key,
				       const char *what, enum prb_list which)
{
	const struct cfg_key *k = cfg_key_find(sec, key);

	if (!k || !*k->value || reported(c->dg, cfg_origin(sec, k, c->cfg->path), k->line))
		return NULL;
	if (prb_has(c->p, which, k->value) || (which == PRB_DEVICES && device_alias(c->p, k->value)))
		return k;
	/* -nic model=virtio is QEMU's old name of virtio-net-pci */
	if (which == PRB_DEVICES && strcmp(key, "model") == 0 && strcmp(k->value, "virtio") == 0)
		return k;
	unknown(c, sec, k, what, k->value, which);
	return NULL;
}

/* [chardev.ID] backend: a QOM type chardev-BACKEND (a backend whose
 * module is not installed has none), or one of QEMU 7.2's aliases. */
static void check_chardev(struct cc *c, const struct cfg_section *sec)
{
	static const char *const alias[][2] = { { "tty", "serial" }, { "parport", "parallel" } };
	const struct cfg_key *k = cfg_key_find(sec, "backend");
	const char **names, **backends;
	const char *v;
	char buf[256], hint[256];
	size_t n = 0;

	if (!k || !*k->value || reported(c->dg, cfg_origin(sec, k, c->cfg->path), k->line))
		return;
	v = k->value;
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(v, alias[i][0]) == 0)
			v = alias[i][1];
	snprintf(buf, sizeof(buf), "chardev-%s", v);
	if (prb_has(c->p, PRB_TYPES, buf))
		return;
	if (!(names = prb_names(c->p, PRB_TYPES))) {
		c->r = -ENOMEM;
		return;
	}
	while (names[n])
		n++;
	if (!(backends = calloc(n + 1, sizeof(*backends)))) {
		free(names);
		c->r = -ENOMEM;
		return;
	}
	n = 0;
	for (size_t i = 0; names[i]; i++)
		if (strncmp(names[i], "chardev-", 8) == 0 && names[i][8])
			backends[n++] = names[i] + 8;
	dg_error(c->dg, cfg_origin(sec, k, c->cfg->path), k->line, sec->name, k->name,
		 "unknown chardev backend '%s'%s, expected one that %s has ('qlaunch probe --json' "
		 "lists them as types chardev-BACKEND)", k->value,
		 did_you_mean(k->value, backends, hint, sizeof(hint)), c->binary);
	c->r = c->r ? c->r : -EINVAL;
	free(backends);
	free(names);
}

/* A list the probe may have left empty (the schema did not say): then
 * nothing is checked against it.  Was the key there and known? */
static int check_key_nonempty(struct cc *c, const struct cfg_section *sec, const char *key,
			      const char *what, enum prb_list which)
{
	const char **names = prb_names(c->p, which);
	int ok = 0;

	if (!names) {
		c->r = -ENOMEM;
		return 0;
	}
	if (names[0])
		ok = check_key(c, sec, key, what, which) != NULL;
	free(names);
	return ok;
}

/* -device takes these besides properties */
static const char *const device_words[] = { "driver", "bus", "id", NULL };

static void no_such(struct cc *c, const struct cfg_section *sec, const struct cfg_key *k,
		    const char *whose, const char *what, const char *name, const char *const *names);

static void check_props(struct cc *c, const struct cfg_section *sec, const struct cfg_key *drv)
{
	const char **props = NULL;
	int r = prb_props(c->p, PRB_DEVICE, drv->value, &props);

	if (r == -ENOENT)       /* an alias: not asked for */
		return;
	if (r == 0) {
		dg_error(c->dg, cfg_origin(sec, drv, c->cfg->path), drv->line, sec->name, drv->name,
			 "device type '%s' is listed by %s but cannot be created: QEMU exited when "
			 "asked for its properties (a module it needs is missing?)", drv->value, c->binary);
		c->r = c->r ? c->r : -EINVAL;
		return;
	}
	if (r < 0) {
		c->r = r;
		return;
	}
	for (size_t i = 0; i < sec->nkeys; i++) {
		const struct cfg_key *k = &sec->keys[i];
		const char *file = cfg_origin(sec, k, c->cfg->path);
		const char *prop = NULL, *type, *want;
		int found = str_in_list(k->name, device_words);
		char buf[256];

		for (size_t j = 0; props[j] && !found; j++)
			if ((found = strcasecmp(props[j], k->name) == 0))
				prop = props[j];
		if (reported(c->dg, file, k->line))
			continue;
		if (prop && (type = prb_prop_type(c->p, PRB_DEVICE, drv->value, prop)) &&
		    (want = cv_property(type, prb_prop_description(c->p, PRB_DEVICE, drv->value, prop),
					k->value, buf, sizeof(buf)))) {
			dg_error(c->dg, file, k->line, sec->name, k->name,
				 "invalid value '%s' for %s property '%s' of device type '%s', expected %s",
				 k->value, type, prop, drv->value, want);
			c->r = c->r ? c->r : -EINVAL;
			continue;
		}
		if (found)
			continue;
		snprintf(buf, sizeof(buf), "device type '%s'", drv->value);
		no_such(c, sec, k, buf, "property", k->name, props);
	}
	free(props);
}

/* --- the keys a plugin passes through ---------------------------------------- */

/* Is k a key of sec the check of QEMU's names applies to: not the head
 * or the id (checked as names), not one the plugin treats itself (a
 * hook, its own argv words), not in skip?  Then QEMU's name for it. */
static const char *qemu_name(const struct registry *reg, const struct cfg_section *sec,
			     const struct cfg_key *k, const char *const *skip)
{
	const struct ql_section_type *t = reg_type(reg_find(reg, sec->type));
	const struct ql_key *d = t ? dsc_key(t, k->name) : NULL;

	if (!t || (skip && str_in_list(k->name, skip)) || (t->id_key && strcmp(k->name, t->id_key) == 0))
		return NULL;
	if (d && (d->flags & (QL_KEY_HEAD | QL_KEY_HOOK | QL_KEY_ARG)))
		return NULL;
	return d && d->qemu ? d->qemu : k->name;
}

/* "...has no property 'x' (did you mean 'y'?), expected one of its
 * properties": what is "property", "parameter" or "member". */
static void no_such(struct cc *c, const struct cfg_section *sec, const struct cfg_key *k,
		    const char *whose, const char *what, const char *name, const char *const *names)
{
	char buf[256];

	dg_error(c->dg, cfg_origin(sec, k, c->cfg->path), k->line, sec->name, k->name,
		 "%s has no %s '%s'%s, expected one of its %s ('qlaunch probe --json' lists them)",
		 whose, what, name, did_you_mean(name, names, buf, sizeof(buf)),
		 strcmp(what, "property") == 0 ? "properties" : strcmp(what, "parameter") == 0 ?
		 "parameters" : "members");
	c->r = c->r ? c->r : -EINVAL;
}

static void bad_value(struct cc *c, const struct cfg_section *sec, const struct cfg_key *k,
		      const char *whose, const char *name, const char *want)
{
	dg_error(c->dg, cfg_origin(sec, k, c->cfg->path), k->line, sec->name, k->name,
		 "invalid value '%s' for '%s' of %s, expected %s", k->value, name, whose, want);
	c->r = c->r ? c->r : -EINVAL;
}

/* Names QEMU 7.2 takes besides its schema's, and rewrites into members
 * before it applies the schema: family, variant, key. */
static const char *const spec_extra[][3] = {
	{ "netdev", "user", "ipv6-net" },   /* ipv6-prefix and ipv6-prefixlen */
};

static int spec_extra_key(const char *family, const char *variant, const char *key)
{
	for (size_t i = 0; i < sizeof(spec_extra) / sizeof(spec_extra[0]); i++)
		if (!strcmp(spec_extra[i][0], family) && !strcmp(spec_extra[i][1], variant) &&
		    !strcmp(spec_extra[i][2], key))
			return 1;
	return 0;
}

/*
 * The keys of sec against the SPEC of what variant selects (netdev type
 * 'user', ...): a dotted key (cache.direct) walks into an object's
 * members and stops at "any" (an alternate, an array).
 */
static void check_spec_keys(struct cc *c, const struct cfg_section *sec, const char *family,
			    const char *tag, const char *what, const char *const *skip)
{
	const struct cfg_key *t = cfg_key_find(sec, tag);
	struct json_object *spec;
	char whose[256], buf[512];

	if (!t || !(spec = prb_arguments(c->p, family, t->value)))
		return;
	snprintf(whose, sizeof(whose), "%s '%s'", what, t->value);
	for (size_t i = 0; i < sec->nkeys && c->r != -ENOMEM; i++) {
		const struct cfg_key *k = &sec->keys[i];
		const char *name = qemu_name(c->reg, sec, k, skip), *want;
		struct json_object *at = spec, *m = NULL;
		char part[128];

		if (!name || k == t || spec_extra_key(family, t->value, name) ||
		    reported(c->dg, cfg_origin(sec, k, c->cfg->path), k->line))
			continue;
		for (const char *p = name; json_object_is_type(at, json_type_object); ) {
			size_t l = strcspn(p, ".");

			snprintf(part, sizeof(part), "%.*s", (int)l, p);
			if (!json_object_object_get_ex(at, part, &m)) {
				const char **names = prb_keys(at);

				if (!names)
					c->r = -ENOMEM;
				else
					no_such(c, sec, k, whose, p == name ? "parameter" : "member", part, names);
				free(names);
				m = NULL;
				break;
			}
			at = m;
			if (!p[l])
				break;
			p += l + 1;
		}
		if (m && (want = cv_member(m, k->value, buf, sizeof(buf))))
			bad_value(c, sec, k, whose, name, want);
	}
}

/* The keys of sec against the parameters query-command-line-options
 * lists for option (if it lists any). */
static void check_option_keys(struct cc *c, const struct cfg_section *sec, const char *option)
{
	struct json_object *params = prb_option(c->p, option), *type;
	char whose[128];

	if (!params)
		return;
	snprintf(whose, sizeof(whose), "-%s of %s", option, c->binary);
	for (size_t i = 0; i < sec->nkeys && c->r != -ENOMEM; i++) {
		const struct cfg_key *k = &sec->keys[i];
		const char *name = qemu_name(c->reg, sec, k, NULL), *want;

		if (!name || reported(c->dg, cfg_origin(sec, k, c->cfg->path), k->line))
			continue;
		if (!json_object_object_get_ex(params, name, &type)) {
			const char **names = prb_keys(params);

			if (!names)
				c->r = -ENOMEM;
			else
				no_such(c, sec, k, whose, "parameter", name, names);
			free(names);
		} else if ((want = cv_parameter(json_object_get_string(type), k->value))) {
			bad_value(c, sec, k, whose, name, want);
		}
	}
}

/*
 * The keys of sec against the properties of a QOM type (kind, name):
 * a machine's (structured ones such as smp.cpus by their first part), a
 * CPU model's (flags: '_' is '-' to -cpu) or an accelerator's.
 */
static void check_qom_keys(struct cc *c, const struct cfg_section *sec, enum prb_kind kind,
			   const char *name, const char *whose, const char *const *skip)
{
	const char **props = NULL;
	int r = prb_props(c->p, kind, name, &props);

	if (r <= 0) {
		c->r = r == -ENOMEM ? r : c->r;
		return;
	}
	for (size_t i = 0; i < sec->nkeys; i++) {
		const struct cfg_key *k = &sec->keys[i];
		const char *key = qemu_name(c->reg, sec, k, skip), *type, *want;
		char first[128], prop[128], buf[256];
		int found = 0, whole;

		if (!key || reported(c->dg, cfg_origin(sec, k, c->cfg->path), k->line))
			continue;
		whole = kind != PRB_MACHINE || !strchr(key, '.');
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(key, whole ? "" : "."), key);
		memcpy(prop, first, sizeof(prop));
		/* -machine and -cpu read '_' as '-' (and the first part of a
		 * dotted machine key names the property) */
		for (int pass = 0; pass < 2 && !found; pass++) {
			for (size_t j = 0; props[j] && !found; j++)
				found = strcmp(props[j], prop) == 0;
			if (kind == PRB_ACCEL)
				break;
			for (char *u = prop; *u; u++)
				*u = *u == '_' ? '-' : *u;
		}
		/* -cpu's one legacy name (it takes a metric size there) */
		if (kind == PRB_CPU && strcmp(prop, "tsc-freq") == 0)
			continue;
		if (!found) {
			no_such(c, sec, k, whose, "property", first, props);
			continue;
		}
		if (whole && (type = prb_prop_type(c->p, kind, name, prop)) &&
		    (want = cv_property(type, prb_prop_description(c->p, kind, name, prop),
					k->value, buf, sizeof(buf))))
			bad_value(c, sec, k, whose, prop, want);
	}
	free(props);
}

/* [machine] accel = kvm:tcg */
static void check_accel_list(struct cc *c, const struct cfg_section *sec)
{
	const struct cfg_key *k = cfg_key_find(sec, "accel");
	char *copy, *save = NULL;

	if (!k || reported(c->dg, cfg_origin(sec, k, c->cfg->path), k->line))
		return;
	if (!(copy = strdup(k->value))) {
		c->r = -ENOMEM;
		return;
	}
	for (char *a = strtok_r(copy, ":", &save); a; a = strtok_r(NULL, ":", &save))
		if (!prb_has(c->p, PRB_ACCELS, a))
			unknown(c, sec, k, "accelerator", a, PRB_ACCELS);
	free(copy);
}

int cap_wants(const struct cfg *cfg, struct prb_want **want, size_t *n)
{
	static const struct { const char *type, *key; enum prb_kind kind; } from[] = {
		{ "device", "driver", PRB_DEVICE }, { "global", "driver", PRB_DEVICE },
		{ "cpu", "model", PRB_CPU }, { "machine", "type", PRB_MACHINE },
	};
	struct prb_want *v = calloc(cfg->nsections + 1, sizeof(*v));

	*want = NULL;
	*n = 0;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		const struct cfg_key *k;

		if (sec->removed)
			continue;
		if (strcmp(sec->type, "accel") == 0 && sec->id) {
			v[(*n)++] = (struct prb_want){ PRB_ACCEL, sec->id };
			continue;
		}
		for (size_t j = 0; j < sizeof(from) / sizeof(from[0]); j++)
			if (strcmp(sec->type, from[j].type) == 0 && (k = cfg_key_find(sec, from[j].key)) &&
			    *k->value) {
				v[(*n)++] = (struct prb_want){ from[j].kind, k->value };
				break;
			}
	}
	*want = v;
	return 0;
}

/* [global.NAME] driver and property: QEMU ignores a -global for a type
 * it does not have, and fails only when it creates a device of the type
 * for a property that type lacks. */
static void check_global(struct cc *c, const struct cfg_section *sec)
{
	const struct cfg_key *drv = cfg_key_find(sec, "driver"), *prop = cfg_key_find(sec, "property");
	const struct cfg_key *val;
	const char **props = NULL;
	const char *type, *want;
	char buf[256];
	int found = 0;

	if (!drv || !*drv->value || reported(c->dg, cfg_origin(sec, drv, c->cfg->path), drv->line))
		return;
	if (!prb_has(c->p, PRB_TYPES, drv->value)) {
		const char **names = prb_names(c->p, PRB_TYPES);

		if (!names) {
			c->r = -ENOMEM;
			return;
		}
		dg_error(c->dg, cfg_origin(sec, drv, c->cfg->path), drv->line, sec->name, drv->name,
			 "%s has no type '%s'%s, and QEMU would ignore this -global without a word",
			 c->binary, drv->value, did_you_mean(drv->value, names, buf, sizeof(buf)));
		free(names);
		c->r = c->r ? c->r : -EINVAL;
		return;
	}
	/* properties are known for device types only (device-list-properties) */
	if (!prop || !*prop->value || reported(c->dg, cfg_origin(sec, prop, c->cfg->path), prop->line) ||
	    prb_props(c->p, PRB_DEVICE, drv->value, &props) != 1)
		return;
	for (size_t j = 0; props[j] && !found; j++)
		found = strcmp(props[j], prop->value) == 0;
	if (!found) {
		snprintf(buf, sizeof(buf), "device type '%s'", drv->value);
		no_such(c, sec, prop, buf, "property", prop->value, props);
	} else if ((val = cfg_key_find(sec, "value")) &&
		   !reported(c->dg, cfg_origin(sec, val, c->cfg->path), val->line) &&
		   (type = prb_prop_type(c->p, PRB_DEVICE, drv->value, prop->value)) &&
		   (want = cv_property(type, prb_prop_description(c->p, PRB_DEVICE, drv->value, prop->value),
				       val->value, buf, sizeof(buf)))) {
		dg_error(c->dg, cfg_origin(sec, val, c->cfg->path), val->line, sec->name, val->name,
			 "invalid value '%s' for %s property '%s' of device type '%s', expected %s",
			 val->value, type, prop->value, drv->value, want);
		c->r = c->r ? c->r : -EINVAL;
	}
	free(props);
}

/* [machine] keys that are not machine properties: QEMU 7.2 moves them to
 * the accelerator */
static const char *const machine_legacy[] = {
	"accel", "kernel_irqchip", "kernel-irqchip", "kvm_shadow_mem", "kvm-shadow-mem",
	"igd-passthru", "igd_passthru", NULL,
};
/* -nic's own keys, besides its netdev's */
static const char *const nic_own[] = { "model", "mac", NULL };

/* "WHAT 'NAME'" for messages. */
static const char *whose(char *buf, size_t len, const char *what, const char *name)
{
	snprintf(buf, len, "%s '%s'", what, name);
	return buf;
}

int cap_check(const struct cfg *cfg, const struct registry *reg, const struct prb *p,
	      const char *binary, struct diag *dg)
{
	struct cc c = { cfg, reg, p, binary, dg, 0 };

	for (size_t i = 0; i < cfg->nsections && c.r != -ENOMEM; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		const struct cfg_key *k;
		char w[256];

		if (sec->removed)
			continue;
		if (strcmp(sec->type, "device") == 0 && owned_by(reg, "device", "devices")) {
			if ((k = check_key(&c, sec, "driver", "device type", PRB_DEVICES)))
				check_props(&c, sec, k);
		} else if (strcmp(sec->type, "machine") == 0 && owned_by(reg, "machine", "machine")) {
			if ((k = check_key(&c, sec, "type", "machine type", PRB_MACHINES)))
				check_qom_keys(&c, sec, PRB_MACHINE, k->value,
					       whose(w, sizeof(w), "machine type", k->value), machine_legacy);
			check_accel_list(&c, sec);
		} else if (strcmp(sec->type, "accel") == 0 && sec->id && owned_by(reg, "accel", "accel")) {
			if (!prb_has(p, PRB_ACCELS, sec->id)) {
				if (!reported(dg, cfg_origin(sec, NULL, cfg->path), sec->line))
					unknown(&c, sec, NULL, "accelerator", sec->id, PRB_ACCELS);
			} else {
				check_qom_keys(&c, sec, PRB_ACCEL, sec->id,
					       whose(w, sizeof(w), "accelerator", sec->id), NULL);
			}
		} else if (strcmp(sec->type, "cpu") == 0 && owned_by(reg, "cpu", "cpu")) {
			if ((k = check_key(&c, sec, "model", "CPU model", PRB_CPUS)))
				check_qom_keys(&c, sec, PRB_CPU, k->value,
					       whose(w, sizeof(w), "CPU model", k->value), NULL);
		} else if (strcmp(sec->type, "object") == 0 && owned_by(reg, "object", "objects")) {
			if (check_key(&c, sec, "type", "object type", PRB_OBJECTS))
				check_spec_keys(&c, sec, "object", "type", "object type", NULL);
		} else if (strcmp(sec->type, "display") == 0 && owned_by(reg, "display", "display")) {
			if (check_key(&c, sec, "type", "display back-end", PRB_DISPLAYS))
				check_spec_keys(&c, sec, "display", "type", "display back-end", NULL);
		} else if (strcmp(sec->type, "global") == 0 && owned_by(reg, "global", "global")) {
			check_global(&c, sec);
		} else if (strcmp(sec->type, "chardev") == 0 && owned_by(reg, "chardev", "chardev")) {
			check_chardev(&c, sec);
			check_option_keys(&c, sec, "chardev");
		} else if (strcmp(sec->type, "blockdev") == 0 && owned_by(reg, "blockdev", "blockdev")) {
			if (check_key_nonempty(&c, sec, "driver", "block driver", PRB_BLOCKDEV_DRIVERS))
				check_spec_keys(&c, sec, "blockdev", "driver", "block driver", NULL);
		} else if (strcmp(sec->type, "netdev") == 0 && owned_by(reg, "netdev", "netdev")) {
			if (check_key_nonempty(&c, sec, "type", "netdev type", PRB_NETDEV_TYPES))
				check_spec_keys(&c, sec, "netdev", "type", "netdev type", NULL);
		} else if (strcmp(sec->type, "nic") == 0 && owned_by(reg, "nic", "nic")) {
			if (check_key_nonempty(&c, sec, "type", "netdev type", PRB_NETDEV_TYPES))
				check_spec_keys(&c, sec, "netdev", "type", "netdev type", nic_own);
			check_key(&c, sec, "model", "NIC model", PRB_DEVICES);
		} else if (strcmp(sec->type, "fsdev") == 0 && owned_by(reg, "fsdev", "fsdev")) {
			check_option_keys(&c, sec, "fsdev");
		} else if (strcmp(sec->type, "vnc") == 0 && owned_by(reg, "vnc", "vnc")) {
			check_option_keys(&c, sec, "vnc");
		} else if (strcmp(sec->type, "audiodev") == 0 && owned_by(reg, "audiodev", "audiodev")) {
			check_key_nonempty(&c, sec, "driver", "audio driver", PRB_AUDIODEV_DRIVERS);
		} else if (strcmp(sec->type, "qemu") == 0) {
			check_key(&c, sec, "display", "display back-end", PRB_DISPLAYS);
		}
	}
	return c.r;
}

/* The value of item key (NULL: the first item, if it has no '=') of an
 * option's argument, unescaped (",," is a comma), in buf; NULL if none. */
static const char *item(const char *arg, const char *key, char *buf, size_t len)
{
	size_t kl = key ? strlen(key) : 0;

	for (const char *p = arg; *p; ) {
		size_t n = 0;
		const char *q = p;

		while (*q && !(*q == ',' && q[1] != ',')) {
			if (*q == ',')
				q++;
			if (n + 1 < len)
				buf[n++] = *q;
			q++;
		}
		buf[n] = 0;
		if (!key && p == arg)
			return strchr(buf, '=') ? NULL : buf;
		if (key && strncmp(buf, key, kl) == 0 && buf[kl] == '=') {
			memmove(buf, buf + kl + 1, n - kl);
			return buf;
		}
		p = *q ? q + 1 : q;
	}
	return NULL;
}

int cap_check_argv(const struct launch *l, const struct cfg *cfg, const struct prb *p,
		   const char *binary, struct diag *dg)
{
	const char **drivers = prb_names(p, PRB_BLOCKDEV_DRIVERS);
	int r = 0, have_drivers = drivers && drivers[0];

	free(drivers);
	if (!drivers)
		return -ENOMEM;
	for (size_t i = 0; i < l->nparts; i++) {
		const struct launch_part *part = &l->parts[i];
		const struct cfg_section *sec = part->sec;
		const char *file = cfg_origin(sec, NULL, cfg->path);

		/* their own keys were compared with the binary by name */
		if (!sec || !strcmp(sec->type, "device") || !strcmp(sec->type, "blockdev") ||
		    reported(dg, file, sec->line))
			continue;
		for (size_t w = part->start; w + 1 < part->end; w++) {
			const char *opt = l->argv.v[w], *name;
			const struct cfg_key *k;
			int dev = strcmp(opt, "-device") == 0;
			char buf[256];

			if (!dev && strcmp(opt, "-blockdev") != 0)
				continue;
			name = dev ? item(l->argv.v[w + 1], NULL, buf, sizeof(buf)) :
			       item(l->argv.v[w + 1], "driver", buf, sizeof(buf));
			if (!name && dev)
				name = item(l->argv.v[w + 1], "driver", buf, sizeof(buf));
			if (!name || (dev ? prb_has(p, PRB_DEVICES, name) || device_alias(p, name) :
				      !have_drivers || prb_has(p, PRB_BLOCKDEV_DRIVERS, name)))
				continue;
			k = NULL;
			for (size_t j = 0; j < sec->nkeys && !k; j++)
				if (strcmp(sec->keys[j].value, name) == 0)
					k = &sec->keys[j];
			dg_error(dg, cfg_origin(sec, k, cfg->path), k ? k->line : sec->line, sec->name,
				 k ? k->name : NULL, "needs %s '%s' (%s %s), which %s does not have, "
				 "expected %s only what it has ('qlaunch probe --json' lists it)",
				 dev ? "device type" : "block driver", name, opt, l->argv.v[w + 1], binary,
				 k ? "a value that needs" : "settings that need");
			r = -EINVAL;
			w++;
		}
	}
	return r;
}
