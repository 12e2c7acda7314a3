/*
 * nw_translate on arbitrary memory and registers. The input: a count k
 * (first byte, mod 16) of register writes, each a byte (address / 8 over
 * the register map) and 8 value bytes; a byte of access and user; four
 * VAs; the rest is memory, a raw image at PA 0. Besides the sanitizers: a
 * result stays within its bounds (refs <= NW_MAX_READS, names for its
 * status, reason and size) and a second walk gives the same result.
 */
#include <stdint.h>

#include "fuzz.h"
#include "nestwalk.h"

static uint64_t take(const uint8_t **p, const uint8_t *end, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n && *p < end; i++)
        v |= (uint64_t)*(*p)++ << (8 * i);
    return v;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    nw_state *s = nw_new(NW_FEAT_ALL);
    for (uint64_t k = take(&p, end, 1) % 16; k-- > 0;) {
        /* any word up to the last DMT window: the configuration, the
         * filters, WC_FLUSH, the counters, the windows and the gaps */
        unsigned addr = (unsigned)(take(&p, end, 1) % (NW_REG_HDMT_BASE(4) / 8)) * 8;
        nw_reg_write(s, addr, take(&p, end, 8));
    }
    uint64_t mode = take(&p, end, 1), va[4];
    for (int i = 0; i < 4; i++)
        va[i] = take(&p, end, 8);
    nw_mem *m = nw_mem_new();
    char err[512] = "";
    if (p < end && nw_mem_load_bytes(m, "fuzz", p, (size_t)(end - p), err, sizeof err))
        fuzz_one_line(err);
    for (int i = 0; i < 4; i++) {
        nw_request rq = {va[i], (int)(mode % 3), (int)(mode >> 2 & 1)};
        nw_result a, b;
        nw_translate(s, &rq, nw_mem_read, m, &a);
        nw_translate(s, &rq, nw_mem_read, m, &b);
        check(a.refs >= 0 && a.refs <= NW_MAX_READS, "refs out of bounds");
        check(strcmp(nw_status_name(a.status), "?") && strcmp(nw_reason_name(a.reason), "?") &&
                  (a.status != NW_OK || strcmp(nw_size_name(a.size), "?")),
              "a result without a name");
        check(a.status == b.status && a.reason == b.reason && a.pa == b.pa,
              "two walks of one request differ");
        /* with walk caches the second walk may start below where the first
         * did, never above it; without them it reads the same addresses */
        if (nw_reg_read(s, NW_REG_CTRL) & NW_CTRL_WC_EN)
            check(b.refs <= a.refs, "a walk read more than the same walk before it");
        else
            check(a.refs == b.refs &&
                      memcmp(a.reads, b.reads, sizeof a.reads[0] * (size_t)a.refs) == 0,
                  "two walks of one request read different addresses");
    }
    nw_mem_free(m);
    nw_free(s);
    return 0;
}
