/*
 * A small open-addressing hash map from strings to unsigned values, for
 * duplicate detection and name lookups in linear time.  Keys are borrowed:
 * the caller keeps them alive as long as the map.
 */
#ifndef QL_STRMAP_H
#define QL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	const char *key;
	uint32_t hash;  /* of key: most mismatches are told without strcmp */
	unsigned value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;   /* a power of two, or 0 */
	size_t n;
};

#define STRMAP_INIT { NULL, 0, 0 }

/*
 * Insert key unless present.  Returns 1 if inserted, 0 if the key was
 * already there (*old receives its value, may be NULL), -ENOMEM.
 */
int sm_insert(struct strmap *m, const char *key, unsigned value,
	      unsigned *old);
/* Returns 1 and sets *value if found, 0 if not. */
int sm_get(const struct strmap *m, const char *key, unsigned *value);
/* Where key's value is kept, to change it in place; NULL if absent. */
unsigned *sm_value(struct strmap *m, const char *key);
void sm_release(struct strmap *m);

#endif
