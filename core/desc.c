#include <qlconfig.h>

#include "desc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"

/* The size of each struct in ABI 2.0: a plugin's is never smaller.  It is
 * larger only for a plugin of a newer minor, and then the members this
 * core does not know must be zero (unused), as the kernel asks of an
 * extensible system call's struct: what the plugin asks for is then all
 * that this core knows, and anything else is refused, never ignored. */
#define END_OF(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
#define PLUGIN_2_0 END_OF(struct ql_plugin, sections)
#define SECTION_2_0 END_OF(struct ql_section_type, emit)
#define KEY_2_0 END_OF(struct ql_key, dflt)
/* Bounds that no descriptor of any 2.x comes near: a size or count beyond
 * them is a bug (a wrong size, a missing terminator), refused before the
 * core reads past the plugin's arrays. */
#define MAX_STRUCT 1024
#define MAX_TYPES 256
#define MAX_KEYS 512

/* What reading one descriptor needs to know. */
struct reader {
	const char *path;
	struct diag *dg;
	unsigned major, minor;  /* the plugin's ABI */
};

#define KEY_FLAGS (QL_KEY_REQUIRED | QL_KEY_HEAD | QL_KEY_RAW | QL_KEY_EARLY | \
		   QL_KEY_ARG | QL_KEY_HOOK | QL_KEY_EXISTS)
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

const char *dsc_next_type(const char **s, size_t *len)
{
	const char *start = *s + strspn(*s, " ");

	*len = strcspn(start, " ");
	*s = start + *len;
	return *len ? start : NULL;
}

int dsc_valid_type_list(const char *s)
{
	char name[64];
	size_t n = 0, len;
	const char *t;

	if (!s)
		return 0;
	while ((t = dsc_next_type(&s, &len))) {
		if (len >= sizeof(name))
			return 0;
		memcpy(name, t, len);
		name[len] = '\0';
		if (!dsc_valid_type_name(name))
			return 0;
		n++;
	}
	return n > 0;
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

/* Is size, given for a struct whose 2.0 size is min and whose size in this
 * core is ours, usable?  Reports why not. */
static int check_size(const struct reader *rd, const char *what, uint32_t size,
		      size_t min, size_t ours)
{
	size_t max = rd->minor > QL_ABI_MINOR ? (size_t)MAX_STRUCT : ours;

	if (size >= min && size <= max)
		return 0;
	if (min == max)
		return dg_error(rd->dg, rd->path, 0, NULL, NULL,
				"plugin gives %s a size of %u bytes, expected %zu for ABI %u.%u",
				what, (unsigned)size, min, rd->major, rd->minor);
	return dg_error(rd->dg, rd->path, 0, NULL, NULL,
			"plugin gives %s a size of %u bytes, expected %zu to %zu for ABI %u.%u",
			what, (unsigned)size, min, max, rd->major, rd->minor);
}

/* Copy a struct of size bytes at src into dst (ours bytes): the prefix
 * this core knows.  Members past it must be zero; reports one that is not. */
static int copy_struct(const struct reader *rd, const char *what, void *dst,
		       const void *src, size_t size, size_t ours)
{
	const unsigned char *p = src;

	memset(dst, 0, ours);
	memcpy(dst, src, size < ours ? size : ours);
	for (size_t i = ours; i < size; i++)
		if (p[i])
			return dg_error(rd->dg, rd->path, 0, NULL, NULL,
					"plugin uses members of %s from ABI %u.%u that this qlaunch (ABI %d.%d) "
					"does not know, expected them unset; upgrade qlaunch",
					what, rd->major, rd->minor, QL_ABI_MAJOR, QL_ABI_MINOR);
	return 0;
}

int dsc_valid_flag(const char *s)
{
	return valid_key_name(s, 1);
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

/* Is unit a bare number's unit the emitter can spell: 1, K, M, G or T? */
static int spellable_unit(uint64_t unit)
{
	for (int shift = 0; shift <= 40; shift += 10)
		if (unit == 1ull << shift)
			return 1;
	return unit == 0;
}

/* Is v usable as the implied first value of an option? */
static int valid_default(const struct ql_key *k, const char *v)
{
	if (!*v || strpbrk(v, ",=") || strcmp(v, "help") == 0 || strcmp(v, "?") == 0)
		return 0;
	if (k->kind != QL_KEY_CHOICE)
		return k->kind == QL_KEY_STRING || k->kind == QL_KEY_PATH;
	for (const char *const *c = k->choices; *c; c++)
		if (strcmp(*c, v) == 0)
			return 1;
	return 0;
}

/* The name a key has on QEMU's side of an option. */
static const char *qemu_name(const struct ql_key *k)
{
	return k->qemu ? k->qemu : k->name;
}

/* Why key k of type t is unusable, or NULL. */
static const char *bad_key(const struct ql_section_type *t, const struct ql_key *k)
{
	const uint32_t placement = QL_KEY_HEAD | QL_KEY_EARLY | QL_KEY_ARG | QL_KEY_HOOK;
	const uint32_t where = k->flags & placement;

	if (!valid_key_name(k->name, 0))
		return "an invalid key name";
	if (k->kind < QL_KEY_STRING || k->kind > QL_KEY_PATH)
		return "an unknown kind";
	if (k->flags & ~(uint32_t)KEY_FLAGS)
		return "unknown flags";
	if ((k->flags & QL_KEY_EXISTS) && k->kind != QL_KEY_PATH)
		return "QL_KEY_EXISTS, but it is no QL_KEY_PATH";
	if (where & (where - 1))
		return "more than one of QL_KEY_HEAD, QL_KEY_EARLY, QL_KEY_ARG and QL_KEY_HOOK";
	if (k->kind == QL_KEY_CHOICE && (!k->choices || !k->choices[0]))
		return "no choices";
	if (k->kind != QL_KEY_CHOICE && k->choices)
		return "choices, but it is no QL_KEY_CHOICE";
	if (k->kind == QL_KEY_REF && !dsc_valid_type_list(k->ref))
		return "no valid section type to refer to";
	if (k->kind != QL_KEY_REF && k->ref)
		return "a section type to refer to, but it is no QL_KEY_REF";
	if (k->kind == QL_KEY_UINT && k->max && k->max < k->min)
		return "a range whose max is below its min";
	if (k->kind != QL_KEY_UINT && (k->min || k->max))
		return "a range, but it is no QL_KEY_UINT";
	if (k->kind == QL_KEY_SIZE && !spellable_unit(k->unit))
		return "a unit other than 1, 1K, 1M, 1G or 1T";
	if (k->kind != QL_KEY_SIZE && k->unit)
		return "a unit, but it is no QL_KEY_SIZE";
	if ((k->flags & QL_KEY_ARG) && !valid_key_name(k->qemu, 1))
		return "QL_KEY_ARG without a QEMU flag such as -kernel";
	if (!(k->flags & QL_KEY_ARG) && k->qemu && !av_valid_key(k->qemu))
		return "an invalid QEMU name";
	if ((k->flags & (QL_KEY_HEAD | QL_KEY_EARLY)) && !t->option)
		return "QL_KEY_HEAD or QL_KEY_EARLY in a section type without an option";
	if (!where && !t->option && !t->emit)
		return "nowhere to go: the section type has no option and no emit hook";
	if ((k->flags & QL_KEY_HOOK) && !t->emit)
		return "QL_KEY_HOOK in a section type without an emit hook";
	if (k->dflt && !(k->flags & (QL_KEY_HEAD | QL_KEY_EARLY)))
		return "a default without QL_KEY_HEAD or QL_KEY_EARLY";
	if (k->dflt && (k->flags & QL_KEY_REQUIRED))
		return "a default, but it is required";
	if (k->dflt && !valid_default(k, k->dflt))
		return "a default that is not a plain value of its kind";
	if ((k->flags & QL_KEY_HEAD) && k->kind == QL_KEY_LIST)
		return "a list as the head";
	return NULL;
}

/* Two keys that would write the same QEMU key, or the id's. */
static const char *clash(const struct ql_section_type *t, const struct ql_key *keys, size_t i)
{
	const struct ql_key *k = &keys[i];

	if (t->id_key && strcmp(k->name, t->id_key) == 0)
		return "the name of the id key";
	if (k->flags & (QL_KEY_HEAD | QL_KEY_ARG | QL_KEY_HOOK))
		return NULL;            /* written without a key, or not at all */
	if (t->id_key && strcmp(qemu_name(k), t->id_key) == 0)
		return "the QEMU name of the id key";
	for (size_t j = 0; j < i; j++) {
		if (strcmp(keys[j].name, k->name) == 0)
			return "a second declaration";
		if (!(keys[j].flags & (QL_KEY_HEAD | QL_KEY_ARG | QL_KEY_HOOK)) &&
		    strcmp(qemu_name(&keys[j]), qemu_name(k)) == 0)
			return "the QEMU name of another key";
	}
	return NULL;
}

/* Copy the name-terminated keys at src (stride bytes each) into an array
 * of the core's layout for t, and check them. */
static int read_keys(const struct reader *rd, struct ql_section_type *t,
		     const unsigned char *src, size_t stride)
{
	size_t n = 0, heads = 0;
	struct ql_key *keys;
	char what[96];

	while (n <= MAX_KEYS && ((const struct ql_key *)(const void *)(src + n * stride))->name)
		n++;
	if (n > MAX_KEYS)
		return dg_error(rd->dg, rd->path, 0, NULL, NULL,
				"section type [%s] declares more than %d keys, expected fewer (is the "
				"array's last key { .name = NULL }?)", t->name, MAX_KEYS);
	keys = calloc(n + 1, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	t->keys = keys;
	t->key_size = sizeof(struct ql_key);
	for (size_t i = 0; i < n; i++) {
		const char *why;

		snprintf(what, sizeof(what), "a key of section type [%s]", t->name);
		if (copy_struct(rd, what, &keys[i], src + i * stride, stride, sizeof(*keys)) < 0)
			return -EINVAL;
		why = bad_key(t, &keys[i]);
		heads += !!(keys[i].flags & QL_KEY_HEAD);
		if (!why)
			why = clash(t, keys, i);
		if (!why && heads > 1)
			why = "a second QL_KEY_HEAD";
		if (why)
			return dg_error(rd->dg, rd->path, 0, NULL, NULL,
					"plugin declares key '%s' of section type [%s] with %s",
					keys[i].name ? keys[i].name : "(null)", t->name, why);
	}
	return 0;
}

/* Check section type t (in the core's layout; orig is the plugin's). */
static int check_section(const struct reader *rd, const struct ql_section_type *t)
{
	if (!dsc_valid_type_name(t->name) || !(t->flags & (QL_SECTION_SINGLE | QL_SECTION_MULTI)) ||
	    (t->flags & ~(uint32_t)SECTION_FLAGS))
		return dg_error(rd->dg, rd->path, 0, NULL, NULL,
				"plugin declares an invalid section type '%s'", t->name);
	if (t->option && !valid_key_name(t->option, 1))
		return dg_error(rd->dg, rd->path, 0, NULL, NULL,
				"section type [%s] has the invalid option '%s', expected a QEMU flag such as -device",
				t->name, t->option);
	if ((t->flags & QL_SECTION_PASS) && !t->option && !t->emit)
		return dg_error(rd->dg, rd->path, 0, NULL, NULL,
				"section type [%s] passes keys through but has no option and no emit hook "
				"to put them in", t->name);
	if (t->id_key && (!av_valid_key(t->id_key) || !(t->flags & QL_SECTION_MULTI) || !t->option))
		return dg_error(rd->dg, rd->path, 0, NULL, NULL,
				"section type [%s] has an id key but no [%s.ID] form or no option, or an invalid one",
				t->name, t->name);
	return 0;
}

/* Copy the name-terminated section types at src (stride bytes each) into
 * d->sections, with their keys, and check them. */
static int read_sections(const struct reader *rd, const unsigned char *src,
			 size_t stride, struct ql_plugin *d)
{
	struct ql_section_type *v;
	size_t n = 0;
	int r = 0;

	while (n <= MAX_TYPES && ((const struct ql_section_type *)(const void *)(src + n * stride))->name)
		n++;
	if (n == 0)
		return dg_error(rd->dg, rd->path, 0, NULL, NULL, "plugin declares no section type");
	if (n > MAX_TYPES)
		return dg_error(rd->dg, rd->path, 0, NULL, NULL,
				"plugin declares more than %d section types, expected fewer (is the "
				"array's last type { .name = NULL }?)", MAX_TYPES);
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	d->sections = v;
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct ql_section_type *orig = (const void *)(src + i * stride);
		struct ql_section_type *t = &v[i];
		char what[96];

		snprintf(what, sizeof(what), "section type [%.40s]", orig->name);
		if (copy_struct(rd, what, t, orig, stride, sizeof(*t)) < 0)
			return -EINVAL;
		t->keys = NULL;         /* until read_keys owns a copy */
		t->key_size = 0;
		if (check_section(rd, t) < 0)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[j].name, t->name) == 0)
				return dg_error(rd->dg, rd->path, 0, NULL, NULL,
						"plugin declares section type [%s] twice", t->name);
		snprintf(what, sizeof(what), "the keys of section type [%s]", t->name);
		if (orig->keys && check_size(rd, what, orig->key_size, KEY_2_0, sizeof(struct ql_key)) < 0)
			return -EINVAL;
		if (orig->keys)
			r = read_keys(rd, t, (const unsigned char *)orig->keys, orig->key_size);
		else if (!t->option && !t->emit)
			return dg_error(rd->dg, rd->path, 0, NULL, NULL,
					"section type [%s] has no keys, no option and no emit hook, "
					"expected a way to emit it", t->name);
	}
	return r;
}

int dsc_read(const char *path, const char *stem, const void *sym,
	     struct diag *dg, struct ql_plugin *out)
{
	const struct ql_plugin *d = sym;
	struct reader rd = { path, dg, 0, 0 };
	int r;

	memset(out, 0, sizeof(*out));
	/* The fixed header first: only a descriptor of our major says how
	 * much more there is. */
	memcpy(out, d, offsetof(struct ql_plugin, struct_size));
	rd.major = out->abi_major;
	rd.minor = out->abi_minor;
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
	r = check_size(&rd, "its descriptor", d->struct_size, PLUGIN_2_0, sizeof(*out));
	if (r == 0)
		r = copy_struct(&rd, "its descriptor", out, d, d->struct_size, sizeof(*out));
	out->sections = NULL;   /* the plugin's: until read_sections owns a copy */
	if (r == 0)
		r = check_size(&rd, "its section types", out->section_size, SECTION_2_0,
			       sizeof(struct ql_section_type));
	if (r < 0)
		goto fail;
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
	r = read_sections(&rd, (const unsigned char *)d->sections, out->section_size, out);
	if (r == 0) {
		out->struct_size = sizeof(*out);        /* now in our layout */
		out->section_size = sizeof(struct ql_section_type);
		return 0;
	}
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
					"ABI %d.%d (%s): port it to ABI 2 (see qlaunch-plugin(7)) and rebuild it",
					major, d->abi_minor, sym, QL_ABI_MAJOR, QL_ABI_MINOR,
					QL_PLUGIN_SYMBOL);
		return dg_error(dg, path, 0, NULL, NULL,
				"plugin built for ABI %d (it exports %s), this qlaunch supports ABI %d.%d (%s)",
				major, sym, QL_ABI_MAJOR, QL_ABI_MINOR, QL_PLUGIN_SYMBOL);
	}
	return dg_error(dg, path, 0, NULL, NULL,
			"not a qlaunch plugin: it does not export %s", QL_PLUGIN_SYMBOL);
}
