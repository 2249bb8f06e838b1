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
	if (r == 0)
		r = escape_controls(&sb);
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
