/* fuzz.h: what every libFuzzer target here checks besides ASan and UBSan. */
#ifndef NW_FUZZ_H
#define NW_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

/* A refusal is one line that says something. */
static inline void fuzz_one_line(const char *err)
{
    if (!err[0] || strchr(err, '\n')) {
        fprintf(stderr, "fuzz: bad error message '%s'\n", err);
        abort();
    }
}

/* The input as a file the readers open by name: 0 and its path in path
 * (/tmp/nw-fuzz-TAG.PID), -1 when it cannot be written. */
static inline int fuzz_to_file(const char *tag, const uint8_t *data, size_t size, char *path,
                               size_t len)
{
    snprintf(path, len, "/tmp/nw-fuzz-%s.%ld", tag, (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok ? 0 : -1;
}

#endif
