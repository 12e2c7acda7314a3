/* fuzz.h: what every libFuzzer target here checks besides ASan and UBSan. */
#ifndef NW_FUZZ_H
#define NW_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A refusal is one line that says something. */
static inline void fuzz_one_line(const char *err)
{
    if (!err[0] || strchr(err, '\n')) {
        fprintf(stderr, "fuzz: bad error message '%s'\n", err);
        abort();
    }
}

#endif
