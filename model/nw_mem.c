/*
 * Sparse physical memory for the model, the tests and the harness: 4 KiB
 * pages in an open-addressing hash table, plus loading of ELF64 core files
 * and raw images. A read of a page that was never written or loaded is a
 * bus error, as a read outside the image is in SPEC section 8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nw_internal.h"

typedef struct {
    uint64_t key;   /* page number + 1; 0 marks an empty slot */
    uint32_t valid; /* bytes readable from the page's start */
    uint64_t *data; /* 512 words */
} nw_page;

struct nw_mem {
    nw_page *slot;
    size_t cap, used; /* cap is a power of two */
    nw_page *last;    /* the last page read: walks stay in a few pages */
};

nw_mem *nw_mem_new(void)
{
    nw_mem *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 1024;
    m->slot = calloc(m->cap, sizeof *m->slot);
    if (!m->slot) {
        free(m);
        return NULL;
    }
    return m;
}

void nw_mem_free(nw_mem *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slot[i].data);
    free(m->slot);
    free(m);
}

static size_t slot_of(const nw_mem *m, uint64_t key)
{
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (m->cap - 1);
    while (m->slot[i].key && m->slot[i].key != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static nw_page *find(const nw_mem *m, uint64_t pa)
{
    uint64_t key = (pa >> 12) + 1;
    nw_page *p = &m->slot[slot_of(m, key)];
    return p->key ? p : NULL;
}

static void grow(nw_mem *m)
{
    nw_page *old = m->slot;
    size_t n = m->cap;
    nw_page *slot = calloc(2 * n, sizeof *slot);
    if (!slot) {
        fputs("nestwalk: out of memory\n", stderr);
        exit(2);
    }
    m->slot = slot;
    m->cap = 2 * n;
    m->last = NULL;
    for (size_t i = 0; i < n; i++)
        if (old[i].key)
            m->slot[slot_of(m, old[i].key)] = old[i];
    free(old);
}

/* The page holding pa, created zeroed and fully readable if absent. */
static nw_page *page_for_write(nw_mem *m, uint64_t pa)
{
    nw_page *p = find(m, pa);
    if (p)
        return p;
    if (2 * (m->used + 1) > m->cap)
        grow(m);
    uint64_t key = (pa >> 12) + 1;
    p = &m->slot[slot_of(m, key)];
    p->data = calloc(512, sizeof(uint64_t));
    if (!p->data) {
        fputs("nestwalk: out of memory\n", stderr);
        exit(2);
    }
    p->key = key;
    p->valid = 4096;
    m->used++;
    return p;
}

int nw_mem_read(void *mem, uint64_t pa, uint64_t *data)
{
    nw_mem *m = mem;
    nw_page *p = m->last;
    if (!p || p->key != (pa >> 12) + 1) {
        if (pa > NW_PA_MASK || !(p = find(m, pa)))
            return 1;
        m->last = p;
    }
    unsigned off = (unsigned)(pa & 0xff8);
    if (off + 8 > p->valid)
        return 1;
    *data = p->data[off >> 3];
    return 0;
}

void nw_mem_write(nw_mem *m, uint64_t pa, uint64_t value)
{
    page_for_write(m, pa)->data[(pa & 0xff8) >> 3] = value;
}

int nw_mem_has_page(const nw_mem *m, uint64_t pa) { return find(m, pa) != NULL; }

size_t nw_mem_pages(const nw_mem *m) { return m->used; }

void nw_mem_foreach(const nw_mem *m,
                    void (*fn)(void *ctx, uint64_t pa, const uint64_t *words),
                    void *ctx)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            fn(ctx, (m->slot[i].key - 1) << 12, m->slot[i].data);
}

typedef struct {
    nw_mem *dst;
    uint64_t offset;
} copy_ctx;

static void copy_page(void *ctx, uint64_t pa, const uint64_t *words)
{
    copy_ctx *c = ctx;
    nw_page *p = page_for_write(c->dst, pa + c->offset);
    memcpy(p->data, words, 4096);
}

void nw_mem_copy(nw_mem *dst, const nw_mem *src, uint64_t offset)
{
    copy_ctx c = {dst, offset};
    nw_mem_foreach(src, copy_page, &c);
}

/* Copies bytes (zeros when src is NULL) to physical memory; a page that is
 * new is readable only up to the last byte the image gives it. */
static void put_bytes(nw_mem *m, uint64_t pa, const uint8_t *src, uint64_t n)
{
    while (n) {
        int fresh = find(m, pa) == NULL;
        nw_page *p = page_for_write(m, pa);
        unsigned off = (unsigned)(pa & 0xfff);
        uint64_t take = 4096 - off < n ? 4096 - off : n;
        if (src)
            memcpy((uint8_t *)p->data + off, src, (size_t)take);
        uint32_t end = (uint32_t)((off + take) & ~7ull);
        if (fresh || end > p->valid)
            p->valid = end;
        pa += take;
        n -= take;
        if (src)
            src += take;
    }
}

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* PT_LOAD segments of an ELF64 little-endian file, placed at p_paddr. */
static int load_elf(nw_mem *m, const char *path, const uint8_t *b, uint64_t size,
                    char *err, size_t len)
{
    if (size < 64)
        return nw_fail(err, len, "%s: truncated ELF header (%llu bytes)", path,
                       (unsigned long long)size);
    if (b[4] != 2)
        return nw_fail(err, len, "%s: not an ELF64 file (class %u)", path, b[4]);
    if (b[5] != 1)
        return nw_fail(err, len, "%s: not a little-endian ELF file", path);
    uint64_t phoff = le(b + 32, 8), phentsize = le(b + 54, 2);
    uint64_t phnum = le(b + 56, 2);
    if (phnum == 0)
        return nw_fail(err, len, "%s: ELF file has no program headers", path);
    if (phentsize < 56)
        return nw_fail(err, len, "%s: bad ELF program header size %llu", path,
                       (unsigned long long)phentsize);
    if (phoff > size || phnum * phentsize > size - phoff)
        return nw_fail(err, len, "%s: truncated ELF: program headers past end of file",
                       path);
    int loads = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + i * phentsize;
        if (le(ph, 4) != 1) /* PT_LOAD */
            continue;
        uint64_t off = le(ph + 8, 8), paddr = le(ph + 24, 8);
        uint64_t filesz = le(ph + 32, 8), memsz = le(ph + 40, 8);
        if (off > size || filesz > size - off)
            return nw_fail(err, len, "%s: truncated ELF: segment %llu past end of file",
                           path, (unsigned long long)i);
        if (filesz > memsz || paddr > NW_PA_MASK || memsz > NW_PA_MASK + 1 - paddr)
            return nw_fail(err, len, "%s: bad ELF segment %llu (paddr 0x%llx, size 0x%llx)",
                           path, (unsigned long long)i, (unsigned long long)paddr,
                           (unsigned long long)memsz);
        put_bytes(m, paddr, b + off, filesz);
        put_bytes(m, paddr + filesz, NULL, memsz - filesz);
        loads++;
    }
    if (!loads)
        return nw_fail(err, len, "%s: ELF file has no PT_LOAD segment", path);
    return 0;
}

int nw_mem_load(nw_mem *m, const char *path, char *err, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return nw_fail(err, len, "%s: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0, got;
    do {
        if (size == cap) {
            cap = cap ? 2 * cap : 1 << 16;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return nw_fail(err, len, "%s: out of memory", path);
            }
            buf = nb;
        }
        got = fread(buf + size, 1, cap - size, f);
        size += got;
    } while (got);
    int bad = ferror(f);
    fclose(f);
    int rc;
    if (bad)
        rc = nw_fail(err, len, "%s: read error", path);
    else if (size == 0)
        rc = nw_fail(err, len, "%s: empty image", path);
    else if (size >= 4 && memcmp(buf, "\177ELF", 4) == 0)
        rc = load_elf(m, path, buf, size, err, len);
    else if (size > NW_PA_MASK + 1)
        rc = nw_fail(err, len, "%s: raw image larger than 2^52 bytes", path);
    else {
        put_bytes(m, 0, buf, size);
        rc = 0;
    }
    free(buf);
    return rc;
}
