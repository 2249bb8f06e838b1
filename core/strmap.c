#include <qlconfig.h>

#include "strmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t sm_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct strmap_slot *sm_find(const struct strmap *m, const char *key,
				   uint32_t hash)
{
	size_t i = hash & (m->cap - 1);

	while (m->slots[i].key &&
	       (m->slots[i].hash != hash || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static int sm_grow(struct strmap *m)
{
	struct strmap old = *m;
	size_t cap = m->cap ? m->cap * 2 : 64;

	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return -ENOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*sm_find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
	free(old.slots);
	return 0;
}

int sm_insert(struct strmap *m, const char *key, unsigned value,
	      unsigned *old)
{
	uint32_t hash = sm_hash(key);
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap && sm_grow(m) < 0)
		return -ENOMEM;
	s = sm_find(m, key, hash);
	if (s->key) {
		if (old)
			*old = s->value;
		return 0;
	}
	s->key = key;
	s->hash = hash;
	s->value = value;
	m->n++;
	return 1;
}

int sm_get(const struct strmap *m, const char *key, unsigned *value)
{
	const struct strmap_slot *s;

	if (!m->cap)
		return 0;
	s = sm_find(m, key, sm_hash(key));
	if (!s->key)
		return 0;
	*value = s->value;
	return 1;
}

void sm_release(struct strmap *m)
{
	if (!m)
		return;
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

unsigned *sm_value(struct strmap *m, const char *key)
{
	struct strmap_slot *s;

	if (!m->cap)
		return NULL;
	s = sm_find(m, key, sm_hash(key));
	return s->key ? &s->value : NULL;
}
