#include <qlconfig.h>

#include "diag.h"

#include <errno.h>
#include <stdlib.h>

int dg_verror(struct diag *dg, const char *file, unsigned line,
	      const char *section, const char *key, const char *fmt,
	      va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned *lines;
	int r = 0;

	if (file)
		r |= sb_printf(&sb, line ? "%s:%u: " : "%s: ", file, line);
	if (section)
		r |= sb_printf(&sb, key ? "[%s] " : "[%s]: ", section);
	if (key)
		r |= sb_printf(&sb, "%s: ", key);
	r |= sb_vprintf(&sb, fmt, ap);
	lines = realloc(dg->lines, (dg->msgs.n + 1) * sizeof(*lines));
	if (lines)
		dg->lines = lines;
	if (r || !lines || sv_take(&dg->msgs, sb_detach(&sb)) < 0)
		dg->oom = 1;
	else
		dg->lines[dg->msgs.n - 1] = line;
	sb_release(&sb);
	return -EINVAL;
}

int dg_error(struct diag *dg, const char *file, unsigned line,
	     const char *section, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dg_verror(dg, file, line, section, key, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void dg_sort(struct diag *dg)
{
	/* insertion sort: stable, and error lists are short */
	for (size_t i = 1; i < dg->msgs.n; i++) {
		char *msg = dg->msgs.v[i];
		unsigned line = dg->lines[i];
		size_t j = i;

		for (; j > 0 && dg->lines[j - 1] > line; j--) {
			dg->msgs.v[j] = dg->msgs.v[j - 1];
			dg->lines[j] = dg->lines[j - 1];
		}
		dg->msgs.v[j] = msg;
		dg->lines[j] = line;
	}
}

void dg_release(struct diag *dg)
{
	if (!dg)
		return;
	sv_release(&dg->msgs);
	free(dg->lines);
	dg->lines = NULL;
	dg->oom = 0;
}
