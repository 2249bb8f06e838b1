/* Parsing of typed values and "did you mean" suggestions. */
#ifndef QL_VALUE_H
#define QL_VALUE_H

#include <stddef.h>
#include <stdint.h>

/* Decimal digits only (no sign, no spaces, no leading zero: QEMU reads
 * some numbers as octal); -ERANGE on overflow. */
int val_uint(const char *s, uint64_t *out);
/* Digits with an optional K/M/G/T suffix (1024-based, either case); a bare
 * number is multiplied by unit.  -EINVAL on syntax, -ERANGE on overflow. */
int val_size(const char *s, uint64_t unit, uint64_t *out);
/* on/yes/true -> 1, off/no/false -> 0; -EINVAL otherwise. */
int val_bool(const char *s, int *out);
/* The candidate closest to word (edit distance at most 2, at most 1 for
 * words of 3 letters, none for shorter ones), or NULL.  candidates is NULL-terminated. */
const char *val_suggest(const char *word, const char *const *candidates);

#endif
