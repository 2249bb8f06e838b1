/*
 * An arena of strings: many small strings that live and die together (the
 * names and values of a loaded config) are packed into large blocks and
 * freed at once.  A 10,000-section config has some 50,000 of them; one
 * malloc each costs a header, rounding and, on a VM where a page fault is
 * expensive, many more pages touched than the bytes need.
 */
#ifndef QL_ARENA_H
#define QL_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* the block being filled; older ones follow */
};

#define ARENA_INIT { NULL }

/* Copy the n bytes at s, plus a NUL, into the arena; NULL if out of memory. */
char *ar_strndup(struct arena *a, const char *s, size_t n);
char *ar_strdup(struct arena *a, const char *s);
/* Free every string of the arena; a may be NULL.  The arena is reusable. */
void ar_release(struct arena *a);

#endif
