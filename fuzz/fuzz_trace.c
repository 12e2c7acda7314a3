/* The trace reader (nw_trace_read: lackey text or the binary form, gzip or
 * not) on an arbitrary file, and a short trace it accepts through the TLB
 * simulator in two modes (its OS mapping of any address). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "fuzz.h"
#include "nestwalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    if (fuzz_to_file("trace", data, size, path, sizeof path))
        return 0;
    nw_trace *t = nw_trace_new();
    char err[512] = "";
    if (!t) {
        remove(path);
        return 0;
    }
    if (nw_trace_read(t, path, 0, 100000, 0, err, sizeof err)) {
        fuzz_one_line(err);
    } else {
        /* what was read decodes to exactly its count */
        nw_trace_cursor c;
        nw_trace_rec r;
        uint64_t n = 0;
        int got;
        nw_trace_begin(t, &c);
        while ((got = nw_trace_next(&c, &r)) == 1)
            n++;
        if (got != 0 || n != nw_trace_count(t)) {
            fprintf(stderr, "fuzz: %llu records decoded of %llu\n", (unsigned long long)n,
                    (unsigned long long)nw_trace_count(t));
            abort();
        }
        if (n <= 64) {
            nw_sim_config sc;
            nw_sim_result res;
            nw_sim_defaults(&sc);
            sc.modes = 1u << NW_SIM_NATIVE | 1u << NW_SIM_AGILE;
            sc.guest_mem = 64ull << 20;
            if (nw_sim_run(&sc, t, &res, err, sizeof err))
                fuzz_one_line(err);
        }
    }
    nw_trace_free(t);
    remove(path);
    return 0;
}
