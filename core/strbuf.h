/* Growable NUL-terminated strings and NULL-terminated string vectors. */
#ifndef QL_STRBUF_H
#define QL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/* buf is always NUL-terminated once anything was added; NULL before. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

int sb_add(struct strbuf *sb, const char *s, size_t n);
int sb_adds(struct strbuf *sb, const char *s);
int sb_addc(struct strbuf *sb, char c);
int sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Append the strings of list (NULL-terminated, at most n of them)
 * separated by sep: "a, b, c". */
int sb_join(struct strbuf *sb, const char *const *list, size_t n, const char *sep);
/* Returns the string (caller frees; "" if empty) and resets sb. */
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_release(struct strbuf *sb);

/* A vector of owned strings, v[n] == NULL. */
struct strv {
	char **v;
	size_t n;
	size_t cap;
};

#define STRV_INIT { NULL, 0, 0 }

int sv_push(struct strv *sv, const char *s);  /* copies s */
/* Is s one of the strings of list (NULL-terminated; may be NULL)? */
int str_in_list(const char *s, const char *const *list);
int sv_take(struct strv *sv, char *s);        /* takes s; frees it on error */
void sv_release(struct strv *sv);

#endif
