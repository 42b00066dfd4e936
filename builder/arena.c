#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536
#define ARENA_FIRST_BLOCK 2048

struct arena_block {
	arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

static arena_block *arena_block_new(size_t size)
{
	arena_block *b = calloc(1, sizeof(*b) + size);

	if (!b) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	b->size = size;
	return b;
}

void *arena_alloc(arena *a, size_t size)
{
	size_t align = _Alignof(max_align_t);
	arena_block *b = a->head;
	void *p;

	size = (size + align - 1) & ~(align - 1);
#ifndef TRUSTDIR_ARENA_MALLOC
	if (!b || b->size - b->used < size) {
		if (size > ARENA_FIRST_BLOCK / 4) {
			/* A big allocation gets its own block behind the
			 * current one, so the current one keeps filling. */
			b = arena_block_new(size);
			b->used = size;
			if (a->head) {
				b->next = a->head->next;
				a->head->next = b;
			} else {
				a->head = b;
			}
			return b->data;
		}
		/* Blocks double from a small first one, so that the many
		 * small arenas of a history walk stay small. */
		b = arena_block_new(!a->head ? ARENA_FIRST_BLOCK
				    : a->head->size >= ARENA_BLOCK / 2
					    ? ARENA_BLOCK
					    : a->head->size * 2);
		b->next = a->head;
		a->head = b;
	}
#else
	b = arena_block_new(size);
	b->next = a->head;
	a->head = b;
#endif
	p = b->data + b->used;
	b->used += size;
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void arena_adopt(arena *dst, arena *src)
{
	arena_block **tail = &dst->head;

	/* Behind dst's blocks, so that dst's current block stays first. */
	while (*tail)
		tail = &(*tail)->next;
	*tail = src->head;
	src->head = NULL;
}

void arena_dispose(arena *a)
{
	arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}
