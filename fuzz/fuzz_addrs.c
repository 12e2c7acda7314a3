/* The --addrs reader (nw_addrs_read) on an arbitrary file. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "fuzz.h"
#include "nestwalk.h"

static int count(void *ctx, uint64_t va)
{
    (void)va;
    return ++*(long *)ctx > 100000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    if (fuzz_to_file("addrs", data, size, path, sizeof path))
        return 0;
    long n = 0;
    char err[512] = "";
    if (nw_addrs_read(path, count, &n, err, sizeof err))
        fuzz_one_line(err);
    remove(path);
    return 0;
}
