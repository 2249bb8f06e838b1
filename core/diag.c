#include <qlconfig.h>

#include "diag.h"

#include <errno.h>
#include <stdlib.h>

/*
 * Messages quote what a config says, and a config may hold any byte: show
 * control characters as \xNN so a file cannot drive the user's terminal.
 */
static int escape_controls(struct strbuf *sb)
{
	struct strbuf out = STRBUF_INIT;
	int r = 0;

	if (!sb->buf)
		return 0;
	for (size_t i = 0; i < sb->len && r == 0; i++) {
		unsigned char c = (unsigned char)sb->buf[i];

		r = c < 0x20 || c == 0x7f ? sb_printf(&out, "\\x%02x", c) : sb_addc(&out, (char)c);
	}
	if (r == 0) {
		sb_release(sb);
		*sb = out;
	} else {
		sb_release(&out);
	}
	return r;
}

/* Format one message into list (its lines in *lines). */
static void record(struct diag *dg, struct strv *list, unsigned **lines_p, const char *file,
		   unsigned line, const char *section, const char *key, const char *prefix,
		   const char *fmt, va_list ap)
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
	r |= sb_adds(&sb, prefix);
	r |= sb_vprintf(&sb, fmt, ap);
	if (r == 0)
		r = escape_controls(&sb);
	lines = realloc(*lines_p, (list->n + 1) * sizeof(*lines));
	if (lines)
		*lines_p = lines;
	if (r || !lines || sv_take(list, sb_detach(&sb)) < 0)
		dg->oom = 1;
	else
		lines[list->n - 1] = line;
	sb_release(&sb);
}

int dg_verror(struct diag *dg, const char *file, unsigned line,
	      const char *section, const char *key, const char *fmt,
	      va_list ap)
{
	record(dg, &dg->msgs, &dg->lines, file, line, section, key, "", fmt, ap);
	return -EINVAL;
}

int dg_vwarn(struct diag *dg, const char *file, unsigned line,
	     const char *section, const char *key, const char *fmt,
	     va_list ap)
{
	record(dg, &dg->warns, &dg->warn_lines, file, line, section, key, "warning: ", fmt, ap);
	return 0;
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

static void sort_list(struct strv *list, unsigned *lines)
{
	/* insertion sort: stable, and error lists are short */
	for (size_t i = 1; i < list->n; i++) {
		char *msg = list->v[i];
		unsigned line = lines[i];
		size_t j = i;

		for (; j > 0 && lines[j - 1] > line; j--) {
			list->v[j] = list->v[j - 1];
			lines[j] = lines[j - 1];
		}
		list->v[j] = msg;
		lines[j] = line;
	}
}

void dg_sort(struct diag *dg)
{
	sort_list(&dg->msgs, dg->lines);
	sort_list(&dg->warns, dg->warn_lines);
}

void dg_release(struct diag *dg)
{
	if (!dg)
		return;
	sv_release(&dg->msgs);
	free(dg->lines);
	dg->lines = NULL;
	sv_release(&dg->warns);
	free(dg->warn_lines);
	dg->warn_lines = NULL;
	dg->oom = 0;
}
