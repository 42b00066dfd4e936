/*
 * strmap: a hash map from NUL-terminated strings to pointers.
 *
 * Keys are borrowed: the caller keeps each key alive as long as the
 * map (strmap_put stores the key it is given, also when replacing).  Used to find a vendor by slug among tens of thousands.
 */
#ifndef TRUSTDIR_STRMAP_H
#define TRUSTDIR_STRMAP_H

#include <stddef.h>

typedef struct {
	const char **keys;
	void **values;
	size_t len, cap; /* cap is 0 or a power of two */
} strmap;

#define STRMAP_INIT { NULL, NULL, 0, 0 }

void strmap_dispose(strmap *m);
/* Sets key to value, replacing an earlier value. */
void strmap_put(strmap *m, const char *key, void *value);
/* The value of key, or NULL. */
void *strmap_get(const strmap *m, const char *key);

#endif
