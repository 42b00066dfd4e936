#include "strmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t strmap_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void strmap_dispose(strmap *m)
{
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

static size_t strmap_slot(const strmap *m, const char *key)
{
	size_t i = (size_t)strmap_hash(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void strmap_grow(strmap *m)
{
	strmap bigger;
	size_t i;

	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.len = 0;
	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.values = calloc(bigger.cap, sizeof(*bigger.values));
	if (!bigger.keys || !bigger.values) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	for (i = 0; i < m->cap; i++)
		if (m->keys[i])
			strmap_put(&bigger, m->keys[i], m->values[i]);
	strmap_dispose(m);
	*m = bigger;
}

void strmap_put(strmap *m, const char *key, void *value)
{
	size_t i;

	if ((m->len + 1) * 2 > m->cap)
		strmap_grow(m);
	i = strmap_slot(m, key);
	if (!m->keys[i])
		m->len++;
	m->keys[i] = key;
	m->values[i] = value;
}

void *strmap_get(const strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = strmap_slot(m, key);
	return m->keys[i] ? m->values[i] : NULL;
}
