/*
 * Memory images: a dump file is mapped, not read, and indexed. An ELF64
 * core becomes a table of its PT_LOAD ranges sorted by paddr, a raw image
 * one range at PA 0; a read is a binary search and a load from the mapping,
 * the zero-filled tail of a PT_LOAD is zeros that take no storage. Whatever
 * the file claims, parsing allocates no more than a fraction of its size.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nw_image.h"
#include "nw_internal.h"

/* A page of the zero-filled tail of a PT_LOAD. */
static const uint8_t zero_page[4096];

uint64_t nw_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint64_t first_page(const nw_range *r) { return r->paddr >> 12; }
static uint64_t last_page(const nw_range *r) { return (r->paddr + r->memsz - 1) >> 12; }

static int by_paddr(const void *a, const void *b)
{
    const nw_range *x = a, *y = b;
    if (x->paddr != y->paddr)
        return x->paddr < y->paddr ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int all_zero(const uint8_t *p, uint64_t n)
{
    return n == 0 || (p[0] == 0 && memcmp(p, p + 1, (size_t)n - 1) == 0);
}

/* Whether ranges a and c give the same bytes over [lo, hi) (file bytes or
 * the zeros of a tail): 1, 0, or -1 when that needs more file bytes looked
 * at than *budget still allows. */
static int same_bytes(const uint8_t *b, const nw_range *a, const nw_range *c, uint64_t lo,
                      uint64_t hi, uint64_t *budget)
{
    uint64_t fa = a->paddr + a->filesz, fc = c->paddr + c->filesz;
    while (lo < hi) {
        uint64_t end = hi;
        if (lo < fa && fa < end)
            end = fa;
        if (lo < fc && fc < end)
            end = fc;
        uint64_t n = end - lo;
        const uint8_t *pa = lo < fa ? b + a->off + (lo - a->paddr) : NULL;
        const uint8_t *pc = lo < fc ? b + c->off + (lo - c->paddr) : NULL;
        if (pa || pc) {
            if (n > *budget)
                return -1;
            *budget -= n;
            if (pa && pc ? memcmp(pa, pc, (size_t)n) != 0 : !all_zero(pa ? pa : pc, n))
                return 0;
        }
        lo = end;
    }
    return 1;
}

/* Sorts the ranges and makes them disjoint. Ranges that overlap must give
 * the same bytes there (a kdump vmcore's kernel-text PT_LOAD repeats part of
 * RAM); the later one then keeps only what the earlier does not cover. The
 * bytes compared are bounded by the file's size. */
static int disjoin(nw_image *img, const char *name, char *err, size_t len)
{
    qsort(img->r, img->nr, sizeof *img->r, by_paddr);
    uint64_t budget = img->size;
    size_t kept = 0;
    for (size_t i = 0; i < img->nr; i++) {
        nw_range r = img->r[i];
        if (kept) {
            const nw_range *p = &img->r[kept - 1];
            uint64_t pend = p->paddr + p->memsz, rend = r.paddr + r.memsz;
            if (r.paddr < pend) {
                /* r may start below p, which a cut moved up to the end of
                   the range before it: compare r with every kept range it
                   overlaps (they are disjoint and in order) */
                for (size_t k = kept; k-- > 0;) {
                    const nw_range *q = &img->r[k];
                    uint64_t qend = q->paddr + q->memsz;
                    if (qend <= r.paddr)
                        break;
                    uint64_t lo = r.paddr > q->paddr ? r.paddr : q->paddr;
                    uint64_t hi = rend < qend ? rend : qend;
                    if (lo >= hi)
                        continue;
                    int same = same_bytes(img->bytes, q, &r, lo, hi, &budget);
                    if (same < 0)
                        return nw_fail(err, len, "%s: too many overlapping PT_LOAD segments",
                                       name);
                    if (!same)
                        return nw_fail(err, len,
                                       "%s: PT_LOAD segments %u and %u overlap at paddr 0x%llx "
                                       "with different contents",
                                       name, q->idx, r.idx, (unsigned long long)lo);
                }
                if (rend <= pend)
                    continue;
                uint64_t cut = pend - r.paddr, file = cut < r.filesz ? cut : r.filesz;
                r.paddr = pend;
                r.off += file;
                r.filesz -= file;
                r.memsz -= cut;
            }
        }
        img->r[kept++] = r;
    }
    img->nr = kept;
    return 0;
}

/* The runs of consecutive pages the ranges cover, and their page count. */
static int index_runs(nw_image *img, const char *name, char *err, size_t len)
{
    img->run = malloc((img->nr ? img->nr : 1) * sizeof *img->run);
    if (!img->run)
        return nw_fail(err, len, "%s: out of memory", name);
    img->nrun = 0;
    img->npages = 0;
    for (size_t i = 0; i < img->nr; i++) {
        uint64_t lo = first_page(&img->r[i]), hi = last_page(&img->r[i]) + 1;
        if (img->nrun && lo <= img->run[img->nrun - 1][1])
            img->run[img->nrun - 1][1] = hi;
        else {
            img->run[img->nrun][0] = lo;
            img->run[img->nrun++][1] = hi;
        }
    }
    for (size_t i = 0; i < img->nrun; i++)
        img->npages += img->run[i][1] - img->run[i][0];
    return 0;
}

/* The PT_LOAD segments of an ELF64 little-endian file, at p_paddr. */
static int parse_elf(nw_image *img, const char *name, char *err, size_t len)
{
    const uint8_t *b = img->bytes;
    uint64_t size = img->size;
    if (size < 64)
        return nw_fail(err, len, "%s: truncated ELF header (%llu bytes)", name,
                       (unsigned long long)size);
    if (b[4] != 2)
        return nw_fail(err, len, "%s: not an ELF64 file (class %u)", name, b[4]);
    if (b[5] != 1)
        return nw_fail(err, len, "%s: not a little-endian ELF file", name);
    uint64_t phoff = nw_le(b + 32, 8), phentsize = nw_le(b + 54, 2);
    uint64_t phnum = nw_le(b + 56, 2);
    if (phnum == 0xffff) {
        /* PN_XNUM: the count is section header 0's sh_info, as QEMU writes
         * it for a guest with more RAM blocks than that */
        uint64_t shoff = nw_le(b + 40, 8);
        if (shoff > size || size - shoff < 64)
            return nw_fail(err, len, "%s: truncated ELF: section header 0 past end of file",
                           name);
        phnum = nw_le(b + shoff + 44, 4);
    }
    if (phnum == 0)
        return nw_fail(err, len, "%s: ELF file has no program headers", name);
    if (phentsize < 56)
        return nw_fail(err, len, "%s: bad ELF program header size %llu", name,
                       (unsigned long long)phentsize);
    if (phoff > size || phnum > (size - phoff) / phentsize)
        return nw_fail(err, len,
                       "%s: truncated ELF: %llu program headers past end of file", name,
                       (unsigned long long)phnum);
    uint64_t loads = 0;
    for (uint64_t i = 0; i < phnum; i++)
        loads += nw_le(b + phoff + i * phentsize, 4) == 1; /* PT_LOAD */
    if (!loads)
        return nw_fail(err, len, "%s: ELF file has no PT_LOAD segment", name);
    img->r = malloc((size_t)loads * sizeof *img->r);
    if (!img->r)
        return nw_fail(err, len, "%s: out of memory", name);
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + i * phentsize;
        if (nw_le(ph, 4) != 1)
            continue;
        nw_range r = {nw_le(ph + 24, 8), nw_le(ph + 8, 8), nw_le(ph + 32, 8),
                      nw_le(ph + 40, 8), (unsigned)i};
        if (r.off > size || r.filesz > size - r.off)
            return nw_fail(err, len, "%s: truncated ELF: segment %llu past end of file",
                           name, (unsigned long long)i);
        if (r.filesz > r.memsz || r.paddr > NW_PA_MASK || r.memsz > NW_PA_MASK + 1 - r.paddr)
            return nw_fail(err, len, "%s: bad ELF segment %llu (paddr 0x%llx, size 0x%llx)",
                           name, (unsigned long long)i, (unsigned long long)r.paddr,
                           (unsigned long long)r.memsz);
        if (r.memsz) /* an empty segment holds no page */
            img->r[img->nr++] = r;
    }
    if (disjoin(img, name, err, len))
        return -1;
    return index_runs(img, name, err, len);
}

static int parse(nw_image *img, const char *name, char *err, size_t len)
{
    const uint8_t *b = img->bytes;
    if (img->size == 0)
        return nw_fail(err, len, "%s: empty image", name);
    if (img->size >= 4 && memcmp(b, "\177ELF", 4) == 0)
        return parse_elf(img, name, err, len);
    if (img->size >= 8 && memcmp(b, "KDUMP   ", 8) == 0)
        return nw_kdump_parse(img, name, err, len);
    if (img->size >= 12 && memcmp(b, "makedumpfile", 12) == 0)
        return nw_fail(err, len,
                       "%s: makedumpfile's flattened format: convert it with "
                       "`makedumpfile -R` first",
                       name);
    if (img->size > NW_PA_MASK + 1)
        return nw_fail(err, len, "%s: raw image larger than 2^52 bytes", name);
    img->r = malloc(sizeof *img->r);
    if (!img->r)
        return nw_fail(err, len, "%s: out of memory", name);
    img->r[0] = (nw_range){0, 0, img->size, img->size, 0};
    img->nr = 1;
    return index_runs(img, name, err, len);
}

void nw_image_put(nw_image *img)
{
    if (!img || --img->refs > 0)
        return;
    if (img->map)
        munmap(img->map, (size_t)img->size);
    free(img->owned);
    free(img->r);
    free(img->run);
    nw_kdump_free(img->kd);
    free(img);
}

static nw_image *parsed(nw_image *img, const char *name, char *err, size_t len)
{
    if (parse(img, name, err, len)) {
        nw_image_put(img);
        return NULL;
    }
    return img;
}

nw_image *nw_image_wrap(const char *name, const void *data, size_t size, char *err,
                        size_t len)
{
    nw_image *img = calloc(1, sizeof *img);
    if (!img) {
        nw_fail(err, len, "%s: out of memory", name);
        return NULL;
    }
    img->refs = 1;
    img->bytes = data;
    img->size = size;
    return parsed(img, name, err, len);
}

/* A pipe or a device cannot be mapped: its bytes are read into memory. */
static int slurp(nw_image *img, int fd, const char *path, char *err, size_t len)
{
    size_t cap = 0;
    for (;;) {
        if (img->size == cap) {
            cap = cap ? 2 * cap : 1 << 16;
            uint8_t *nb = realloc(img->owned, cap);
            if (!nb)
                return nw_fail(err, len, "%s: out of memory", path);
            img->owned = nb;
        }
        ssize_t got = read(fd, img->owned + img->size, cap - (size_t)img->size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return nw_fail(err, len, "%s: read error: %s", path, strerror(errno));
        if (got == 0)
            break;
        img->size += (uint64_t)got;
    }
    img->bytes = img->owned;
    return 0;
}

nw_image *nw_image_open(const char *path, char *err, size_t len)
{
    nw_image *img = calloc(1, sizeof *img);
    if (!img) {
        nw_fail(err, len, "%s: out of memory", path);
        return NULL;
    }
    img->refs = 1;
    int fd = open(path, O_RDONLY);
    struct stat st;
    int rc = 0;
    if (fd < 0 || fstat(fd, &st) != 0)
        rc = nw_fail(err, len, "%s: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = nw_fail(err, len, "%s: is a directory", path);
    else if (!S_ISREG(st.st_mode))
        rc = slurp(img, fd, path, err, len);
    else if (st.st_size > 0) {
        img->size = (uint64_t)st.st_size;
        void *p = mmap(NULL, (size_t)img->size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
            rc = nw_fail(err, len, "%s: cannot map %llu bytes: %s", path,
                         (unsigned long long)img->size, strerror(errno));
        else
            img->bytes = img->map = p;
    }
    if (fd >= 0)
        close(fd);
    if (rc) {
        nw_image_put(img);
        return NULL;
    }
    return parsed(img, path, err, len);
}

/* The first range whose last page is at or above page, or nr. */
static size_t range_at(const nw_image *img, uint64_t page)
{
    size_t lo = 0, hi = img->nr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (last_page(&img->r[mid]) < page)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int nw_image_page(const nw_image *img, uint64_t page, uint8_t *buf,
                  const uint8_t **data, uint32_t *valid)
{
    *valid = 4096;
    if (img->kd)
        return nw_kdump_page(img->kd, img, page, buf, data);
    size_t i = range_at(img, page);
    if (i == img->nr || first_page(&img->r[i]) > page)
        return 0;
    /* the last range with bytes in this page ends the readable part */
    while (i + 1 < img->nr && first_page(&img->r[i + 1]) == page)
        i++;
    const nw_range *r = &img->r[i];
    uint64_t base = page << 12, end = r->paddr + r->memsz;
    if (end - base < 4096)
        *valid = (uint32_t)(end - base) & ~7u;
    if (r->paddr <= base && base + 4096 <= r->paddr + r->filesz) {
        *data = img->bytes + r->off + (base - r->paddr);
        return 1;
    }
    if (r->paddr + r->filesz <= base) {
        *data = zero_page;
        return 1;
    }
    /* bytes of several ranges, or of a range's start or end: put together */
    memset(buf, 0, 4096);
    for (size_t k = i + 1; k-- > 0 && img->r[k].paddr + img->r[k].memsz > base;) {
        const nw_range *q = &img->r[k];
        uint64_t lo = q->paddr > base ? q->paddr : base;
        uint64_t hi = q->paddr + q->filesz < base + 4096 ? q->paddr + q->filesz : base + 4096;
        if (lo < hi)
            memcpy(buf + (lo - base), img->bytes + q->off + (lo - q->paddr), (size_t)(hi - lo));
    }
    *data = buf;
    return 1;
}

int nw_image_has(const nw_image *img, uint64_t page)
{
    if (img->kd)
        return nw_kdump_has(img->kd, img, page);
    size_t i = range_at(img, page);
    return i < img->nr && first_page(&img->r[i]) <= page;
}

int nw_image_span(const nw_image *img, uint64_t from, uint64_t *lo, uint64_t *hi)
{
    if (img->kd)
        return nw_kdump_span(img->kd, img, from, lo, hi);
    size_t a = 0, b = img->nrun;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (img->run[mid][1] <= from)
            a = mid + 1;
        else
            b = mid;
    }
    if (a == img->nrun)
        return 0;
    *lo = img->run[a][0] > from ? img->run[a][0] : from;
    *hi = img->run[a][1];
    return 1;
}
