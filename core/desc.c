#include <qlconfig.h>

#include "desc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The size of each struct in ABI 2.0: a plugin's may be larger (a newer
 * minor: the core reads what it knows), never smaller. */
#define END_OF(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
#define PLUGIN_2_0 END_OF(struct ql_plugin, sections)
#define SECTION_2_0 END_OF(struct ql_section_type, emit)
#define KEY_2_0 END_OF(struct ql_key, dflt)

#define KEY_FLAGS (QL_KEY_REQUIRED | QL_KEY_HEAD | QL_KEY_RAW | QL_KEY_EARLY | \
		   QL_KEY_ARG | QL_KEY_HOOK)
#define SECTION_FLAGS (QL_SECTION_SINGLE | QL_SECTION_MULTI | QL_SECTION_PASS)

int dsc_valid_type_name(const char *s)
{
	if (!s || *s < 'a' || *s > 'z')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* [a-z0-9_.-]+, as iniparser leaves key names; start with a letter or
 * digit.  With dash set, a QEMU flag: '-' then such a name. */
static int valid_key_name(const char *s, int dash)
{
	if (!s || (dash && *s++ != '-'))
		return 0;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* QEMU's own key names may have capitals (property names do). */
static int valid_qemu_key(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

const struct ql_key *dsc_key(const struct ql_section_type *t, const char *name)
{
	for (const struct ql_key *k = t->keys; k && k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int dsc_order(const struct ql_plugin *d)
{
	int order = d->sections && d->sections[0].name ? d->sections[0].order : 0;

	for (const struct ql_section_type *t = d->sections; t && t->name; t++)
		if (t->order < order)
			order = t->order;
	return order;
}

void dsc_release(struct ql_plugin *d)
{
	if (!d)
		return;
	for (const struct ql_section_type *t = d->sections; t && t->name; t++)
		free((void *)t->keys);
	free((void *)d->sections);
	memset(d, 0, sizeof(*d));
}

/* Why key k of type t is unusable, or NULL. */
static const char *bad_key(const struct ql_section_type *t, const struct ql_key *k)
{
	if (!valid_key_name(k->name, 0))
		return "an invalid key name";
	if (k->kind < QL_KEY_STRING || k->kind > QL_KEY_PATH)
		return "an unknown kind";
	if (k->flags & ~(uint32_t)KEY_FLAGS)
		return "unknown flags";
	if (k->kind == QL_KEY_CHOICE && (!k->choices || !k->choices[0]))
		return "no choices";
	if (k->kind == QL_KEY_REF && !dsc_valid_type_name(k->ref))
		return "no valid section type to refer to";
	if (k->kind == QL_KEY_UINT && k->max && k->max < k->min)
		return "a range whose max is below its min";
	if ((k->flags & QL_KEY_ARG) && !valid_key_name(k->qemu, 1))
		return "QL_KEY_ARG without a QEMU flag such as -kernel";
	if (!(k->flags & QL_KEY_ARG) && k->qemu && !valid_qemu_key(k->qemu))
		return "an invalid QEMU name";
	if ((k->flags & (QL_KEY_HEAD | QL_KEY_EARLY)) && !t->option)
		return "QL_KEY_HEAD or QL_KEY_EARLY in a section type without an option";
	if ((k->flags & QL_KEY_HEAD) && (k->flags & (QL_KEY_EARLY | QL_KEY_ARG)))
		return "QL_KEY_HEAD with QL_KEY_EARLY or QL_KEY_ARG";
	if (k->dflt && !(k->flags & QL_KEY_HEAD))
		return "a default without QL_KEY_HEAD";
	if ((k->flags & QL_KEY_HEAD) && k->kind == QL_KEY_LIST)
		return "a list as the head";
	return NULL;
}

/* Copy n keys of size stride from src into a NULL-terminated array of the
 * core's layout and check them. */
static int read_keys(const char *path, struct ql_section_type *t,
		     const unsigned char *src, size_t stride, struct diag *dg)
{
	size_t n = 0, heads = 0, copy = stride < sizeof(struct ql_key) ? stride : sizeof(struct ql_key);
	struct ql_key *keys;

	while (((const struct ql_key *)(const void *)(src + n * stride))->name)
		n++;
	keys = calloc(n + 1, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		memcpy(&keys[i], src + i * stride, copy);
	t->keys = keys;
	t->key_size = sizeof(struct ql_key);
	for (size_t i = 0; i < n; i++) {
		const char *why = bad_key(t, &keys[i]);

		heads += !!(keys[i].flags & QL_KEY_HEAD);
		for (size_t j = 0; j < i && !why; j++)
			if (strcmp(keys[j].name, keys[i].name) == 0)
				why = "a second declaration";
		if (!why && t->id_key && strcmp(keys[i].name, t->id_key) == 0)
			why = "the name of the id key";
		if (!why && heads > 1)
			why = "a second QL_KEY_HEAD";
		if (why)
			return dg_error(dg, path, 0, NULL, NULL,
					"plugin declares key '%s' of section type [%s] with %s",
					keys[i].name ? keys[i].name : "(null)", t->name, why);
	}
	return 0;
}

/* Copy the name-terminated section types at src (stride bytes each) into
 * d->sections, with their keys, and check them. */
static int read_sections(const char *path, const unsigned char *src,
			 size_t stride, struct diag *dg, struct ql_plugin *d)
{
	size_t n = 0, copy = stride < sizeof(struct ql_section_type) ? stride :
			     sizeof(struct ql_section_type);
	struct ql_section_type *v;
	int r = 0;

	while (((const struct ql_section_type *)(const void *)(src + n * stride))->name)
		n++;
	if (n == 0)
		return dg_error(dg, path, 0, NULL, NULL, "plugin declares no section type");
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		memcpy(&v[i], src + i * stride, copy);
		v[i].keys = NULL;       /* until read_keys owns a copy */
	}
	d->sections = v;
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct ql_section_type *orig = (const void *)(src + i * stride);
		struct ql_section_type *t = &v[i];

		if (!dsc_valid_type_name(t->name) || !(t->flags & (QL_SECTION_SINGLE | QL_SECTION_MULTI)) ||
		    (t->flags & ~(uint32_t)SECTION_FLAGS))
			return dg_error(dg, path, 0, NULL, NULL,
					"plugin declares an invalid section type '%s'", t->name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[j].name, t->name) == 0)
				return dg_error(dg, path, 0, NULL, NULL,
						"plugin declares section type [%s] twice", t->name);
		if (t->option && !valid_key_name(t->option, 1))
			return dg_error(dg, path, 0, NULL, NULL,
					"section type [%s] has the invalid option '%s', expected a QEMU flag such as -device",
					t->name, t->option);
		if (t->id_key && (!valid_qemu_key(t->id_key) || !(t->flags & QL_SECTION_MULTI)))
			return dg_error(dg, path, 0, NULL, NULL,
					"section type [%s] has an id key but no [%s.ID] form, or an invalid one",
					t->name, t->name);
		if (orig->keys && orig->key_size < KEY_2_0)
			return dg_error(dg, path, 0, NULL, NULL,
					"section type [%s] declares keys of %u bytes, expected at least %zu "
					"(key_size: use QL_KEYS)", t->name, (unsigned)orig->key_size,
					(size_t)KEY_2_0);
		if (orig->keys)
			r = read_keys(path, t, (const unsigned char *)orig->keys, orig->key_size, dg);
	}
	return r;
}

int dsc_read(const char *path, const char *stem, const void *sym,
	     struct diag *dg, struct ql_plugin *out)
{
	const struct ql_plugin *d = sym;
	int r;

	memset(out, 0, sizeof(*out));
	/* The fixed header first: only a descriptor of our major says how
	 * much more there is. */
	memcpy(out, d, offsetof(struct ql_plugin, struct_size));
	if (out->magic != QL_PLUGIN_MAGIC)
		return dg_error(dg, path, 0, NULL, NULL,
				"not a qlaunch plugin: descriptor %s has magic 0x%08x, expected 0x%08x",
				QL_PLUGIN_SYMBOL, (unsigned)out->magic, QL_PLUGIN_MAGIC);
	if (out->abi_major != QL_ABI_MAJOR) {
		r = dg_error(dg, path, 0, NULL, NULL,
			     "plugin built for ABI %u.%u, this qlaunch supports ABI %d.x (x <= %d)",
			     out->abi_major, out->abi_minor, QL_ABI_MAJOR, QL_ABI_MINOR);
		goto fail;
	}
	if (out->abi_minor > QL_ABI_MINOR) {
		r = dg_error(dg, path, 0, NULL, NULL,
			     "plugin needs ABI %u.%u, newer than this qlaunch's %d.%d; upgrade qlaunch",
			     out->abi_major, out->abi_minor, QL_ABI_MAJOR, QL_ABI_MINOR);
		goto fail;
	}
	if (d->struct_size < PLUGIN_2_0 || d->section_size < SECTION_2_0) {
		r = dg_error(dg, path, 0, NULL, NULL,
			     "plugin descriptor is %u bytes with sections of %u, too small for ABI %d.0",
			     (unsigned)d->struct_size, (unsigned)d->section_size, QL_ABI_MAJOR);
		goto fail;
	}
	memcpy(out, d, d->struct_size < sizeof(*out) ? d->struct_size : sizeof(*out));
	out->sections = NULL;   /* until read_sections owns a copy */
	if (!out->name || strcmp(out->name, stem) != 0) {
		r = dg_error(dg, path, 0, NULL, NULL,
			     "plugin calls itself '%s', expected '%s' (its file name)",
			     out->name ? out->name : "(null)", stem);
		goto fail;
	}
	if (!out->version || !out->description || !d->sections) {
		r = dg_error(dg, path, 0, NULL, NULL,
			     "plugin descriptor lacks a version, description or sections");
		goto fail;
	}
	r = read_sections(path, (const unsigned char *)d->sections, d->section_size, dg, out);
	if (r == 0)
		return 0;
fail:
	dsc_release(out);
	return r;
}

int dsc_no_symbol(const char *path, void *(*lookup)(void *h, const char *sym),
		  void *h, struct diag *dg)
{
	char sym[32];

	for (int major = 0; major < 10; major++) {
		const struct ql_plugin *d;

		if (major == QL_ABI_MAJOR)
			continue;
		snprintf(sym, sizeof(sym), "ql_plugin_v%d", major);
		d = lookup(h, sym);
		if (!d)
			continue;
		/* magic, major and minor lead every descriptor of every ABI */
		if (d->magic == QL_PLUGIN_MAGIC && d->abi_major == major)
			return dg_error(dg, path, 0, NULL, NULL,
					"plugin built for ABI %d.%u (it exports %s), this qlaunch supports "
					"ABI %d.%d (%s): rebuild it against the installed SDK",
					major, d->abi_minor, sym, QL_ABI_MAJOR, QL_ABI_MINOR,
					QL_PLUGIN_SYMBOL);
		return dg_error(dg, path, 0, NULL, NULL,
				"plugin built for ABI %d (it exports %s), this qlaunch supports ABI %d.%d (%s)",
				major, sym, QL_ABI_MAJOR, QL_ABI_MINOR, QL_PLUGIN_SYMBOL);
	}
	return dg_error(dg, path, 0, NULL, NULL,
			"not a qlaunch plugin: it does not export %s", QL_PLUGIN_SYMBOL);
}
