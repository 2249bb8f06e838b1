#include <qlconfig.h>

#include "capcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
 * virtio-blk-pci on a PCI target, and a few old names for new ones. */
static int device_alias(const struct prb *p, const char *name)
{
	static const char *const old[][2] = {
		{ "e1000", "e1000-82540em" }, { "ahci", "ich9-ahci" }, { "lsi", "lsi53c895a" },
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

struct cc {
	const struct cfg *cfg;
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
	const char *near = names ? suggest(name, names) : NULL;
	struct strbuf hint = STRBUF_INIT;
	const char *file = cfg_origin(sec, k, c->cfg->path);
	unsigned line = k ? k->line : sec->line;

	if (!names) {
		c->r = -ENOMEM;
		return;
	}
	if (near)
		sb_printf(&hint, " (did you mean '%s'?)", near);
	if (which == PRB_ACCELS || which == PRB_DISPLAYS) {
		struct strbuf all = STRBUF_INIT;
		size_t n = 0;

		while (names[n])
			n++;
		sb_join(&all, names, n, ", ");
		dg_error(c->dg, file, line, sec->name, k ? k->name : NULL,
			 which == PRB_ACCELS ? "%s '%s' is not in %s%s, expected one of: %s" :
			 "%s '%s' cannot start with %s%s (its UI module is not installed, or it was "
			 "not built in), expected one of: %s", what, name, c->binary,
			 hint.buf ? hint.buf : "", all.buf ? all.buf : "");
		sb_release(&all);
	} else {
		dg_error(c->dg, file, line, sec->name, k ? k->name : NULL,
			 "unknown %s '%s'%s, expected one that %s has ('qlaunch probe --json' lists them)",
			 what, name, hint.buf ? hint.buf : "", c->binary);
	}
	sb_release(&hint);
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
	const char *near, *v;
	char buf[256];
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
	near = suggest(k->value, backends);
	dg_error(c->dg, cfg_origin(sec, k, c->cfg->path), k->line, sec->name, k->name,
		 "unknown chardev backend '%s'%s%s%s, expected one that %s has ('qlaunch probe --json' "
		 "lists them as types chardev-BACKEND)", k->value, near ? " (did you mean '" : "",
		 near ? near : "", near ? "'?)" : "", c->binary);
	c->r = c->r ? c->r : -EINVAL;
	free(backends);
	free(names);
}

/* A list the probe may have left empty (the schema did not say): then
 * nothing is checked against it. */
static void check_key_nonempty(struct cc *c, const struct cfg_section *sec, const char *key,
			       const char *what, enum prb_list which)
{
	const char **names = prb_names(c->p, which);

	if (!names) {
		c->r = -ENOMEM;
		return;
	}
	if (names[0])
		check_key(c, sec, key, what, which);
	free(names);
}

/* A value a property of this type cannot take, with what it can, or NULL.
 * Only types whose every value QEMU 7.2 parses the same way are judged
 * (an int32 such as a PCI addr also takes "06.0"). */
static const char *bad_value(const char *type, const char *value)
{
	static const char *const bools[] = { "on", "off", "yes", "no", "true", "false", "y", "n", NULL };
	static const char *const onoffauto[] = { "on", "off", "auto", NULL };
	const char *const *ok = strcmp(type, "bool") == 0 ? bools :
				strcmp(type, "OnOffAuto") == 0 ? onoffauto : NULL;

	if (!ok || !*value)
		return NULL;
	for (size_t i = 0; ok[i]; i++)
		if (strcasecmp(value, ok[i]) == 0)
			return NULL;
	return ok == bools ? "on or off" : "on, off or auto";
}

/* -device takes these besides properties */
static const char *const device_words[] = { "driver", "bus", "id", NULL };

static void check_props(struct cc *c, const struct cfg_section *sec, const struct cfg_key *drv)
{
	const char **props = NULL;
	int r = prb_device_props(c->p, drv->value, &props);

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
		const char *near;
		int found = str_in_list(k->name, device_words);

		const char *prop = NULL, *type, *want;

		for (size_t j = 0; props[j] && !found; j++)
			if ((found = strcasecmp(props[j], k->name) == 0))
				prop = props[j];
		if (reported(c->dg, file, k->line))
			continue;
		if (prop && (type = prb_device_prop_type(c->p, drv->value, prop)) &&
		    (want = bad_value(type, k->value))) {
			dg_error(c->dg, file, k->line, sec->name, k->name,
				 "invalid value '%s' for %s property '%s' of device type '%s', expected %s",
				 k->value, type, prop, drv->value, want);
			c->r = c->r ? c->r : -EINVAL;
			continue;
		}
		if (found)
			continue;
		near = suggest(k->name, props);
		if (near)
			dg_error(c->dg, file, k->line, sec->name, k->name,
				 "device type '%s' has no property '%s' (did you mean '%s'?)",
				 drv->value, k->name, near);
		else
			dg_error(c->dg, file, k->line, sec->name, k->name,
				 "device type '%s' has no property '%s' ('qlaunch probe --json' "
				 "lists the properties of the device types a config uses)",
				 drv->value, k->name);
		c->r = c->r ? c->r : -EINVAL;
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

int cap_device_types(const struct cfg *cfg, const char ***types, size_t *n)
{
	const char **v = calloc(cfg->nsections + 1, sizeof(*v));

	*types = NULL;
	*n = 0;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		const struct cfg_key *k;

		if (sec->removed || (strcmp(sec->type, "device") != 0 && strcmp(sec->type, "global") != 0) ||
		    !(k = cfg_key_find(sec, "driver")) || !*k->value)
			continue;
		v[(*n)++] = k->value;
	}
	*types = v;
	return 0;
}

/* [global.NAME] driver and property: QEMU ignores a -global for a type
 * it does not have, and fails only when it creates a device of the type
 * for a property that type lacks. */
static void check_global(struct cc *c, const struct cfg_section *sec)
{
	const struct cfg_key *drv = cfg_key_find(sec, "driver"), *prop = cfg_key_find(sec, "property");
	const char **props = NULL;
	const char *near;
	int found = 0;

	if (!drv || !*drv->value || reported(c->dg, cfg_origin(sec, drv, c->cfg->path), drv->line))
		return;
	if (!prb_has(c->p, PRB_TYPES, drv->value)) {
		const char **names = prb_names(c->p, PRB_TYPES);

		if (!names) {
			c->r = -ENOMEM;
			return;
		}
		near = suggest(drv->value, names);
		dg_error(c->dg, cfg_origin(sec, drv, c->cfg->path), drv->line, sec->name, drv->name,
			 "%s has no type '%s'%s%s%s, and QEMU would ignore this -global without a word",
			 c->binary, drv->value, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		free(names);
		c->r = c->r ? c->r : -EINVAL;
		return;
	}
	/* properties are known for device types only (device-list-properties) */
	if (!prop || !*prop->value || reported(c->dg, cfg_origin(sec, prop, c->cfg->path), prop->line) ||
	    prb_device_props(c->p, drv->value, &props) != 1)
		return;
	for (size_t j = 0; props[j] && !found; j++)
		found = strcmp(props[j], prop->value) == 0;
	if (!found) {
		near = suggest(prop->value, props);
		dg_error(c->dg, cfg_origin(sec, prop, c->cfg->path), prop->line, sec->name, prop->name,
			 "device type '%s' has no property '%s'%s%s%s", drv->value, prop->value,
			 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		c->r = c->r ? c->r : -EINVAL;
	}
	free(props);
}

int cap_check(const struct cfg *cfg, const struct registry *reg, const struct prb *p,
	      const char *binary, struct diag *dg)
{
	struct cc c = { cfg, p, binary, dg, 0 };

	for (size_t i = 0; i < cfg->nsections && c.r != -ENOMEM; i++) {
		const struct cfg_section *sec = &cfg->sections[i];
		const struct cfg_key *k;

		if (sec->removed)
			continue;
		if (strcmp(sec->type, "device") == 0 && owned_by(reg, "device", "devices")) {
			if ((k = check_key(&c, sec, "driver", "device type", PRB_DEVICES)))
				check_props(&c, sec, k);
		} else if (strcmp(sec->type, "machine") == 0 && owned_by(reg, "machine", "machine")) {
			check_key(&c, sec, "type", "machine type", PRB_MACHINES);
			check_accel_list(&c, sec);
		} else if (strcmp(sec->type, "accel") == 0 && sec->id && owned_by(reg, "accel", "accel")) {
			if (!prb_has(p, PRB_ACCELS, sec->id) &&
			    !reported(dg, cfg_origin(sec, NULL, cfg->path), sec->line))
				unknown(&c, sec, NULL, "accelerator", sec->id, PRB_ACCELS);
		} else if (strcmp(sec->type, "cpu") == 0 && owned_by(reg, "cpu", "cpu")) {
			check_key(&c, sec, "model", "CPU model", PRB_CPUS);
		} else if (strcmp(sec->type, "object") == 0 && owned_by(reg, "object", "objects")) {
			check_key(&c, sec, "type", "object type", PRB_OBJECTS);
		} else if (strcmp(sec->type, "display") == 0 && owned_by(reg, "display", "display")) {
			check_key(&c, sec, "type", "display back-end", PRB_DISPLAYS);
		} else if (strcmp(sec->type, "global") == 0 && owned_by(reg, "global", "global")) {
			check_global(&c, sec);
		} else if (strcmp(sec->type, "chardev") == 0 && owned_by(reg, "chardev", "chardev")) {
			check_chardev(&c, sec);
		} else if (strcmp(sec->type, "blockdev") == 0 && owned_by(reg, "blockdev", "blockdev")) {
			check_key_nonempty(&c, sec, "driver", "block driver", PRB_BLOCKDEV_DRIVERS);
		} else if (strcmp(sec->type, "netdev") == 0 && owned_by(reg, "netdev", "netdev")) {
			check_key_nonempty(&c, sec, "type", "netdev type", PRB_NETDEV_TYPES);
		} else if (strcmp(sec->type, "nic") == 0 && owned_by(reg, "nic", "nic")) {
			check_key_nonempty(&c, sec, "type", "netdev type", PRB_NETDEV_TYPES);
			check_key(&c, sec, "model", "NIC model", PRB_DEVICES);
		} else if (strcmp(sec->type, "qemu") == 0) {
			check_key(&c, sec, "display", "display back-end", PRB_DISPLAYS);
		}
	}
	return c.r;
}
