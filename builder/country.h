/* country: ISO 3166-1 alpha-2 codes. */
#ifndef TRUSTDIR_COUNTRY_H
#define TRUSTDIR_COUNTRY_H

/* The English short name of an upper-case alpha-2 code, or NULL when
 * the code is not assigned.  The string is static. */
const char *country_name(const char *code);

#endif
