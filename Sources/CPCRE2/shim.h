#ifndef LEAKWARD_CPCRE2_SHIM_H
#define LEAKWARD_CPCRE2_SHIM_H
/* pcre2.h refuses to compile without a code unit width; system-library targets cannot take defines. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
/* Macros with all bits set do not import into Swift: re-export them as functions. */
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }
#endif
