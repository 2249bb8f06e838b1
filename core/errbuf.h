/* A one-line message into a caller's buffer, for the functions (the QMP
 * client, the probe and its cache) whose callers decide where it goes. */
#ifndef QL_ERRBUF_H
#define QL_ERRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Format into err (errlen bytes; err may be NULL) and return r. */
__attribute__((format(printf, 4, 5)))
static inline int eb_fail(char *err, size_t errlen, int r, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return r;
}

#endif
