#include <qlconfig.h>

#include "arena.h"

#include <stdlib.h>
#include <string.h>

/* Blocks stay under glibc's mmap threshold, so they come from the heap.
 * The first is small: most configs are a few hundred bytes, and every page
 * a launch touches costs a fault. */
#define ARENA_BLOCK 65536
#define ARENA_FIRST 4096

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

static struct arena_block *new_block(size_t cap)
{
	struct arena_block *b = malloc(sizeof(*b) + cap);

	if (b) {
		b->next = NULL;
		b->used = 0;
		b->cap = cap;
	}
	return b;
}

char *ar_strndup(struct arena *a, const char *s, size_t n)
{
	struct arena_block *b = a->head;
	char *p;

	if (n >= ARENA_BLOCK / 4) {
		/* A large string gets a block of its own, behind the head, so
		 * that the head's free space is not wasted. */
		b = new_block(n + 1);
		if (!b)
			return NULL;
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			a->head = b;
		}
	} else if (!b || b->cap - b->used < n + 1) {
		size_t cap = (b || n + 1 > ARENA_FIRST / 2 ? ARENA_BLOCK : ARENA_FIRST) - sizeof(*b);

		b = new_block(cap);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

char *ar_strdup(struct arena *a, const char *s)
{
	return ar_strndup(a, s, strlen(s));
}

void ar_release(struct arena *a)
{
	if (!a)
		return;
	while (a->head) {
		struct arena_block *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}
