/*
 * The kdump-compressed format that QEMU's `dump-guest-memory -z` and
 * `virsh dump --format=kdump-zlib` write (makedumpfile's disk_dump layout):
 * block 0 the header, block 1 the sub-header, then two page bitmaps, then
 * one page descriptor per page set in the second bitmap (pfn order), then
 * the pages, zlib-compressed or stored. Opening reads only the header and
 * the second bitmap (into a table of ranks); a page is decompressed when it
 * is read, into the caller's buffer (nw_mem keeps a few).
 */
#include <stdlib.h>
#include <zlib.h>

#include "nw_image.h"
#include "nw_internal.h"

#define KD_BLOCK    4096u
#define KD_RANK     1024u /* pfns per entry of the rank table */
#define KD_DESC     24u   /* offset 8, size 4, flags 4, page_flags 8 */
#define KD_ZLIB     1u    /* DUMP_DH_COMPRESSED_ZLIB */

struct nw_kdump {
    uint64_t max_pfn; /* pages [0, max_pfn) are described by the bitmap */
    uint64_t bitmap;  /* file offset of the second bitmap */
    uint64_t desc;    /* file offset of the page descriptors */
    uint64_t *rank;   /* pages present below each KD_RANK-aligned pfn */
};

/* The bitmap word holding pfn w * 64 onwards. */
static uint64_t word(const nw_kdump *kd, const nw_image *img, uint64_t w)
{
    return nw_le(img->bytes + kd->bitmap + 8 * w, 8);
}

void nw_kdump_free(nw_kdump *kd)
{
    if (kd)
        free(kd->rank);
    free(kd);
}

int nw_kdump_parse(nw_image *img, const char *name, char *err, size_t len)
{
    const uint8_t *b = img->bytes;
    uint64_t size = img->size;
    if (size < 464)
        return nw_fail(err, len, "%s: truncated kdump header (%llu bytes)", name,
                       (unsigned long long)size);
    uint64_t version = nw_le(b + 8, 4), block = nw_le(b + 428, 4);
    uint64_t sub = nw_le(b + 432, 4), bitmap_blocks = nw_le(b + 436, 4);
    uint64_t max_pfn = nw_le(b + 440, 4);
    if (block != KD_BLOCK)
        return nw_fail(err, len, "%s: kdump block size %llu (only 4096 is read)", name,
                       (unsigned long long)block);
    if (version >= 6) { /* the 32-bit max_mapnr is obsolete: the 64-bit one */
        if (size < KD_BLOCK + 104)
            return nw_fail(err, len, "%s: truncated kdump sub-header", name);
        max_pfn = nw_le(b + KD_BLOCK + 96, 8);
    }
    if (bitmap_blocks == 0 || bitmap_blocks % 2)
        return nw_fail(err, len, "%s: bad kdump bitmap size (%llu blocks)", name,
                       (unsigned long long)bitmap_blocks);
    uint64_t bitmaps = (1 + sub) * KD_BLOCK, half = bitmap_blocks / 2 * KD_BLOCK;
    uint64_t desc = bitmaps + bitmap_blocks * KD_BLOCK;
    if (desc > size)
        return nw_fail(err, len, "%s: truncated kdump: bitmaps past end of file", name);
    if (max_pfn > half * 8 || max_pfn > (NW_PA_MASK >> 12) + 1)
        return nw_fail(err, len, "%s: bad kdump max_mapnr %llu (bitmap of %llu pages)", name,
                       (unsigned long long)max_pfn, (unsigned long long)(half * 8));
    nw_kdump *kd = calloc(1, sizeof *kd);
    uint64_t nrank = (max_pfn + KD_RANK - 1) / KD_RANK + 1;
    if (kd)
        kd->rank = malloc((size_t)nrank * sizeof *kd->rank);
    if (!kd || !kd->rank) {
        nw_kdump_free(kd);
        return nw_fail(err, len, "%s: out of memory", name);
    }
    *kd = (nw_kdump){max_pfn, bitmaps + half, desc, kd->rank};
    img->kd = kd;
    uint64_t n = 0;
    for (uint64_t w = 0; w * 64 < max_pfn; w++) {
        if (w % (KD_RANK / 64) == 0)
            kd->rank[w / (KD_RANK / 64)] = n;
        uint64_t bits = word(kd, img, w);
        if (max_pfn - w * 64 < 64) /* bits past max_mapnr describe nothing */
            bits &= (1ull << (max_pfn - w * 64)) - 1;
        n += (uint64_t)__builtin_popcountll(bits);
    }
    kd->rank[nrank - 1] = n;
    if (n > (size - desc) / KD_DESC)
        return nw_fail(err, len,
                       "%s: truncated kdump: descriptors of %llu pages past end of file",
                       name, (unsigned long long)n);
    img->npages = n;
    return 0;
}

int nw_kdump_has(const nw_kdump *kd, const nw_image *img, uint64_t pfn)
{
    return pfn < kd->max_pfn && (word(kd, img, pfn / 64) >> (pfn % 64) & 1);
}

int nw_kdump_page(const nw_kdump *kd, const nw_image *img, uint64_t pfn, uint8_t *buf,
                  const uint8_t **data)
{
    if (!nw_kdump_has(kd, img, pfn))
        return 0;
    uint64_t w = pfn / 64, bits = word(kd, img, w);
    uint64_t idx = kd->rank[pfn / KD_RANK];
    for (uint64_t v = pfn / KD_RANK * (KD_RANK / 64); v < w; v++)
        idx += (uint64_t)__builtin_popcountll(word(kd, img, v));
    idx += (uint64_t)__builtin_popcountll(bits & ((1ull << (pfn % 64)) - 1));
    const uint8_t *d = img->bytes + kd->desc + idx * KD_DESC;
    uint64_t off = nw_le(d, 8), csize = nw_le(d + 8, 4), flags = nw_le(d + 12, 4);
    if (off > img->size || csize > img->size - off)
        return 0;
    if (flags == 0 && csize == KD_BLOCK) {
        *data = img->bytes + off;
        return 1;
    }
    uLongf out = KD_BLOCK;
    if (flags != KD_ZLIB || uncompress(buf, &out, img->bytes + off, (uLong)csize) != Z_OK ||
        out != KD_BLOCK)
        return 0;
    *data = buf;
    return 1;
}

int nw_kdump_span(const nw_kdump *kd, const nw_image *img, uint64_t from, uint64_t *lo,
                  uint64_t *hi)
{
    if (from >= kd->max_pfn)
        return 0;
    uint64_t w = from / 64, bits = word(kd, img, w) & (~0ull << (from % 64));
    while (!bits) {
        if (++w * 64 >= kd->max_pfn)
            return 0;
        bits = word(kd, img, w);
    }
    *lo = w * 64 + (uint64_t)__builtin_ctzll(bits);
    if (*lo >= kd->max_pfn)
        return 0;
    bits = ~word(kd, img, w) & (~0ull << (*lo % 64));
    while (!bits) {
        if (++w * 64 >= kd->max_pfn) {
            *hi = kd->max_pfn;
            return 1;
        }
        bits = ~word(kd, img, w);
    }
    *hi = w * 64 + (uint64_t)__builtin_ctzll(bits);
    if (*hi > kd->max_pfn)
        *hi = kd->max_pfn;
    return 1;
}
