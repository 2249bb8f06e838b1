/*
 * Collected error messages.  Configuration errors are gathered, not printed
 * at once, so a user sees every problem in one run; only main() prints them.
 */
#ifndef QL_DIAG_H
#define QL_DIAG_H

#include <stdarg.h>

#include "strbuf.h"

struct diag {
	struct strv msgs;  /* each a complete line without '\n' */
	unsigned *lines;   /* lines[i] is the line msgs.v[i] is about, or 0 */
	int oom;           /* a message was lost to ENOMEM */
	struct strv warns; /* warnings, the same way: they fail nothing */
	unsigned *warn_lines;
};

#define DIAG_INIT { STRV_INIT, NULL, 0, STRV_INIT, NULL }

/*
 * Record "FILE:LINE: [SECTION] KEY: MESSAGE".  file may be NULL (no
 * location), line 0 (no line), section NULL (no section; it is the name
 * as spelled in the file, without brackets), key NULL (no key).
 * Always returns -EINVAL so callers can write `return dg_error(...)`.
 */
int dg_error(struct diag *dg, const char *file, unsigned line,
	     const char *section, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int dg_verror(struct diag *dg, const char *file, unsigned line,
	      const char *section, const char *key, const char *fmt,
	      va_list ap) __attribute__((format(printf, 6, 0)));

/* Record "FILE:LINE: [SECTION] KEY: warning: MESSAGE", which does not make
 * dg_failed true.  Returns 0. */
int dg_vwarn(struct diag *dg, const char *file, unsigned line,
	     const char *section, const char *key, const char *fmt,
	     va_list ap) __attribute__((format(printf, 6, 0)));

static inline int dg_failed(const struct diag *dg)
{
	return dg->msgs.n > 0 || dg->oom;
}

/* Order the messages, and the warnings, by line (stable; messages without
 * a line first), so a user reads them top to bottom whatever order they
 * were found in. */
void dg_sort(struct diag *dg);

void dg_release(struct diag *dg);

#endif
