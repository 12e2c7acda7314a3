/* The options of `nestwalk translate` (nw_options_parse) on arbitrary
 * arguments: the input split at NUL bytes, at most 64 of them. */
#include <stdint.h>

#include "fuzz.h"
#include "nestwalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *argv[65];
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    int argc = 0;
    for (size_t i = 0; i <= size && argc < 64; i++) {
        argv[argc++] = text + i;
        i += strlen(text + i);
    }
    argv[argc] = NULL;
    nw_options o;
    char err[512] = "";
    if (nw_options_parse(&o, argc, argv, err, sizeof err))
        fuzz_one_line(err);
    else
        nw_options_free(&o);
    free(text);
    return 0;
}
