/*
 * arena: many small allocations freed at once.
 *
 * The model of a directory is thousands of short strings that live
 * exactly as long as the model; an arena owns them all.  Built with
 * TRUSTDIR_ARENA_MALLOC (the sanitizer build), every allocation is its
 * own malloc block, so AddressSanitizer and valgrind see each one.
 */
#ifndef TRUSTDIR_ARENA_H
#define TRUSTDIR_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct {
	arena_block *head;
} arena;

#define ARENA_INIT { NULL }

/* Zeroed memory, aligned for any type; aborts when memory runs out. */
void *arena_alloc(arena *a, size_t size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t len);
/* Moves every block of src into dst; src is left empty. */
void arena_adopt(arena *dst, arena *src);
void arena_dispose(arena *a);

#endif
