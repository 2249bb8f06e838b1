/* Writing an argv for people and programs: shell line, NUL list, JSON. */
#ifndef QL_OUTPUT_H
#define QL_OUTPUT_H

#include <stdio.h>

#include "strbuf.h"

enum out_format {
	OUT_SHELL,   /* one line, each word quoted for a POSIX shell if needed */
	OUT_NULL,    /* each word followed by a NUL byte */
	OUT_JSON,    /* a JSON array of strings */
};

/* Append word to sb quoted for a POSIX shell. */
int out_shell_quote(struct strbuf *sb, const char *word);
/* Append word to sb as a JSON string; -EILSEQ if it is not valid UTF-8. */
int out_json_string(struct strbuf *sb, const char *word);
/* Render argv in fmt into sb.  Returns 0, -ENOMEM or -EILSEQ (JSON only;
 * *bad is then the index of the offending word). */
int out_render(const struct strv *argv, enum out_format fmt,
	       struct strbuf *sb, size_t *bad);

#endif
