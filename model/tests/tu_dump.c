/* tu_dump.c: see tu_dump.h. */
#include "tu_dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    uint64_t pa;
    uint8_t bytes[4096];
} page;

typedef struct {
    page *p;
    size_t n, cap;
    int bad;
} pages;

static void collect(void *ctx, uint64_t pa, const uint64_t *words)
{
    pages *ps = ctx;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 64;
        page *np = realloc(ps->p, cap * sizeof *np);
        if (!np) {
            ps->bad = 1;
            return;
        }
        ps->p = np;
        ps->cap = cap;
    }
    ps->p[ps->n].pa = pa;
    memcpy(ps->p[ps->n++].bytes, words, 4096);
}

static int by_pa(const void *a, const void *b)
{
    const page *x = a, *y = b;
    return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/* m's pages sorted by address: 0, or -1. */
static int sorted_pages(const nw_mem *m, pages *ps)
{
    memset(ps, 0, sizeof *ps);
    nw_mem_foreach(m, collect, ps);
    if (ps->bad) {
        free(ps->p);
        return -1;
    }
    if (ps->n)
        qsort(ps->p, ps->n, sizeof *ps->p, by_pa);
    return 0;
}

static void put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int tu_dump_elf(const char *path, const nw_mem *m)
{
    pages ps;
    if (sorted_pages(m, &ps))
        return -1;
    size_t runs = 0;
    for (size_t i = 0; i < ps.n; i++)
        runs += i == 0 || ps.p[i].pa != ps.p[i - 1].pa + 4096;
    size_t phnum = runs + 1, hdr = 64 + 56 * phnum;
    uint64_t data = (hdr + 4095) & ~4095ull;
    uint8_t *h = calloc(1, (size_t)data);
    FILE *f = h ? fopen(path, "wb") : NULL;
    int ok = f != NULL;
    if (ok) {
        memcpy(h, "\177ELF\2\1\1", 7);
        put(h + 16, 4, 2);  /* ET_CORE */
        put(h + 18, 62, 2); /* EM_X86_64 */
        put(h + 20, 1, 4);
        put(h + 32, 64, 8); /* e_phoff */
        put(h + 52, 64, 2);
        put(h + 54, 56, 2);
        put(h + 56, phnum, 2);
        put(h + 64, 4, 4); /* PT_NOTE, empty */
        uint8_t *ph = h + 64 + 56;
        uint64_t off = data;
        for (size_t i = 0; i < ps.n;) {
            size_t j = i + 1;
            while (j < ps.n && ps.p[j].pa == ps.p[j - 1].pa + 4096)
                j++;
            put(ph, 1, 4);      /* PT_LOAD */
            put(ph + 4, 4, 4);  /* PF_R */
            put(ph + 8, off, 8);
            put(ph + 24, ps.p[i].pa, 8);
            put(ph + 32, 4096 * (j - i), 8);
            put(ph + 40, 4096 * (j - i), 8);
            put(ph + 48, 4096, 8);
            ph += 56;
            off += 4096 * (j - i);
            i = j;
        }
        ok = fwrite(h, 1, (size_t)data, f) == data;
        for (size_t i = 0; ok && i < ps.n; i++)
            ok = fwrite(ps.p[i].bytes, 1, 4096, f) == 4096;
    }
    if (f && fclose(f) != 0)
        ok = 0;
    free(h);
    free(ps.p);
    return ok ? 0 : -1;
}

static int zero(const uint8_t *p)
{
    for (int i = 0; i < 4096; i++)
        if (p[i])
            return 0;
    return 1;
}

int tu_dump_kdump(const char *path, const nw_mem *m, int stored_every)
{
    pages ps;
    if (sorted_pages(m, &ps))
        return -1;
    uint64_t max_pfn = ps.n ? (ps.p[ps.n - 1].pa >> 12) + 1 : 1;
    uint64_t half = ((max_pfn + 7) / 8 + 4095) / 4096; /* blocks per bitmap */
    uint64_t desc = (2 + 2 * half) * 4096, data = desc + 24 * ps.n;
    uint64_t cap = data + 4096 + ps.n * (compressBound(4096) + 0ull);
    uint8_t *f = calloc(1, (size_t)cap);
    if (!f) {
        free(ps.p);
        return -1;
    }
    memcpy(f, "KDUMP   ", 8);
    put(f + 8, 6, 4);                 /* header_version */
    put(f + TU_KD_BLOCK_SIZE, 4096, 4);
    put(f + 432, 1, 4);               /* sub_hdr_size */
    put(f + TU_KD_BITMAP_BLOCKS, 2 * half, 4);
    put(f + 440, max_pfn < (1ull << 32) ? max_pfn : 0, 4);
    put(f + 460, 1, 4);               /* nr_cpus */
    put(f + TU_KD_MAX_MAPNR64, max_pfn, 8);
    uint64_t zero_at = data, end = data + 4096; /* the shared zero page */
    for (size_t i = 0; i < ps.n; i++) {
        uint64_t pfn = ps.p[i].pa >> 12;
        f[TU_KD_BITMAPS + pfn / 8] |= (uint8_t)(1u << (pfn % 8));
        f[TU_KD_BITMAPS + half * 4096 + pfn / 8] |= (uint8_t)(1u << (pfn % 8));
        uint8_t *d = f + desc + 24 * i;
        uLongf clen = compressBound(4096);
        if (zero(ps.p[i].bytes)) {
            put(d, zero_at, 8);
            put(d + 8, 4096, 4);
            continue;
        }
        int stored = (stored_every && i % (size_t)stored_every == 0) ||
                     compress2(f + end, &clen, ps.p[i].bytes, 4096, 6) != Z_OK ||
                     clen >= 4096;
        if (stored) {
            memcpy(f + end, ps.p[i].bytes, 4096);
            clen = 4096;
        }
        put(d, end, 8);
        put(d + 8, clen, 4);
        put(d + 12, stored ? 0 : 1, 4); /* DUMP_DH_COMPRESSED_ZLIB */
        end += clen;
    }
    FILE *out = fopen(path, "wb");
    int ok = out && fwrite(f, 1, (size_t)end, out) == end;
    if (out && fclose(out) != 0)
        ok = 0;
    free(f);
    free(ps.p);
    return ok ? 0 : -1;
}
