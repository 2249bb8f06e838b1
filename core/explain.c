#include <qlconfig.h>

#include "explain.h"

#include "output.h"

/* Where k (or, k NULL, sec itself) came from: "FILE:LINE", "--qemu". */
static int origin(struct strbuf *sb, const struct cfg *cfg, const struct cfg_section *sec,
		  const struct cfg_key *k)
{
	const char *file = cfg_origin(sec, k, cfg->path);
	unsigned line = k ? k->line : sec->line;
	int r = line ? sb_printf(sb, "%s:%u", file, line) : sb_adds(sb, file);

	if (r == 0 && k && k->is_default)
		r = sb_adds(sb, ", a plugin-set default");
	return r;
}

/* The words argv[start..end) on one line, quoted for a shell. */
static int words(struct strbuf *sb, const struct strv *argv, size_t start, size_t end)
{
	int r = 0;

	for (size_t i = start; i < end && r == 0; i++) {
		if (i > start)
			r = sb_addc(sb, ' ');
		if (r == 0)
			r = out_shell_quote(sb, argv->v[i]);
	}
	return r ? r : sb_addc(sb, '\n');
}

int xp_explain(const struct launch *l, const struct cfg *cfg, struct strbuf *sb)
{
	int r = sb_adds(sb, "# the QEMU binary\n");

	if (r == 0)
		r = words(sb, &l->argv, 0, 1);
	for (size_t i = 0; i < l->nparts && r == 0; i++) {
		const struct launch_part *p = &l->parts[i];
		int again = 0;

		for (size_t j = 0; j < i && !again; j++)
			again = l->parts[j].sec == p->sec;
		r = sb_printf(sb, "# [%s] ", p->sec->name);
		if (r == 0)
			r = origin(sb, cfg, p->sec, NULL);
		if (r == 0)
			r = sb_adds(sb, again ? " (its keys are listed above)\n" : "\n");
		for (size_t k = 0; !again && k < p->sec->nkeys && r == 0; k++) {
			const struct cfg_key *key = &p->sec->keys[k];

			r = sb_printf(sb, "#   %s = ", key->name);
			if (r == 0)
				r = out_shell_quote(sb, key->value);
			if (r == 0)
				r = sb_adds(sb, "  (");
			if (r == 0)
				r = origin(sb, cfg, p->sec, key);
			if (r == 0)
				r = sb_adds(sb, ")\n");
		}
		if (r == 0)
			r = words(sb, &l->argv, p->start, p->end);
	}
	return r;
}
