/*
 * Sparse physical memory for the model, the tests and the harness. Loaded
 * images (nw_image.c) are layers at the bottom, shared, never copied; the
 * 4 KiB pages that are written live above them in an open-addressing hash
 * table (a written page of an image is copied up first). A small
 * direct-mapped table of recently read pages keeps a walk's reads to a load.
 * A read of a page no layer holds and none wrote is a bus error, as a read
 * outside the image is in SPEC section 8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nw_image.h"
#include "nw_internal.h"

#define NW_HOT 1024 /* recently read pages */

typedef struct {
    uint64_t key;   /* page number + 1; 0 marks an empty slot */
    uint32_t valid; /* bytes readable from the page's start */
    int below;      /* a layer holds this page too */
    uint64_t *data; /* 512 words */
} nw_page;

/* Page q of the memory is page q - shift of the image. */
typedef struct {
    nw_image *img;
    uint64_t shift;
    int whole; /* copied (nw_mem_copy): every page it has is fully readable */
} nw_layer;

typedef struct {
    uint64_t key;        /* page number + 1, 0 when empty */
    const uint8_t *data; /* the page's bytes: a written page, the file, or buf */
    uint32_t valid;
    uint8_t *buf;        /* a page put together or decompressed */
} nw_hot;

struct nw_mem {
    nw_page *slot;
    size_t cap, used; /* cap is a power of two */
    nw_layer *layer;  /* oldest first */
    size_t nlayers;
    uint64_t layer_pages; /* pages the layers hold together */
    nw_hot hot[NW_HOT];
    uint8_t scratch[4096];
};

static void out_of_memory(void)
{
    fputs("nestwalk: out of memory\n", stderr);
    exit(2);
}

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
    for (size_t i = 0; i < m->nlayers; i++)
        nw_image_put(m->layer[i].img);
    for (size_t i = 0; i < NW_HOT; i++)
        free(m->hot[i].buf);
    free(m->layer);
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

static nw_page *find(const nw_mem *m, uint64_t page)
{
    nw_page *p = &m->slot[slot_of(m, page + 1)];
    return p->key ? p : NULL;
}

static nw_hot *hot_of(nw_mem *m, uint64_t page)
{
    return &m->hot[(page * 0x9e3779b97f4a7c15ull) >> 54];
}

/* Rehashes the written pages into a table of cap slots, leaving out those
 * for which drop says so. */
static void rehash(nw_mem *m, size_t cap, const nw_layer *drop)
{
    nw_page *old = m->slot;
    size_t n = m->cap;
    m->slot = calloc(cap, sizeof *m->slot);
    if (!m->slot)
        out_of_memory();
    m->cap = cap;
    m->used = 0;
    for (size_t i = 0; i < n; i++) {
        if (!old[i].key)
            continue;
        uint64_t q = old[i].key - 1;
        if (drop && q >= drop->shift && nw_image_has(drop->img, q - drop->shift)) {
            free(old[i].data);
            continue;
        }
        m->slot[slot_of(m, old[i].key)] = old[i];
        m->used++;
    }
    free(old);
}

/* The first run [*lo, *hi) of pages of layer l with *hi > from (memory page
 * numbers). */
static int layer_span(const nw_layer *l, uint64_t from, uint64_t *lo, uint64_t *hi)
{
    if (!nw_image_span(l->img, from > l->shift ? from - l->shift : 0, lo, hi))
        return 0;
    *lo += l->shift;
    *hi += l->shift;
    if (*lo < from)
        *lo = from;
    return 1;
}

/* The first run of pages that some layer holds with *hi > from. */
static int union_span(const nw_mem *m, uint64_t from, uint64_t *lo, uint64_t *hi)
{
    int any = 0;
    uint64_t a, b;
    for (size_t i = 0; i < m->nlayers; i++)
        if (layer_span(&m->layer[i], from, &a, &b) && (!any || a < *lo)) {
            *lo = a;
            *hi = b;
            any = 1;
        }
    for (int grew = any; grew;) {
        grew = 0;
        for (size_t i = 0; i < m->nlayers; i++)
            if (layer_span(&m->layer[i], *hi, &a, &b) && a == *hi) {
                *hi = b;
                grew = 1;
            }
    }
    return any;
}

static int in_layers(const nw_mem *m, uint64_t page)
{
    for (size_t i = 0; i < m->nlayers; i++)
        if (page >= m->layer[i].shift && nw_image_has(m->layer[i].img, page - m->layer[i].shift))
            return 1;
    return 0;
}

/* The page as the newest layer holding it shows it: 1 with its bytes and
 * readable length, 0 if none holds it or its data are damaged. */
static int layer_page(const nw_mem *m, uint64_t page, uint8_t *buf, const uint8_t **data,
                      uint32_t *valid)
{
    for (size_t i = m->nlayers; i-- > 0;) {
        const nw_layer *l = &m->layer[i];
        if (page < l->shift || !nw_image_has(l->img, page - l->shift))
            continue;
        if (!nw_image_page(l->img, page - l->shift, buf, data, valid))
            return 0;
        if (l->whole)
            *valid = 4096;
        return 1;
    }
    return 0;
}

/* The page holding pa, created if absent: a copy of the layers' page, or
 * zeroed and fully readable. */
static nw_page *page_for_write(nw_mem *m, uint64_t pa)
{
    uint64_t page = pa >> 12;
    nw_page *p = find(m, page);
    if (p)
        return p;
    if (2 * (m->used + 1) > m->cap)
        rehash(m, 2 * m->cap, NULL);
    p = &m->slot[slot_of(m, page + 1)];
    p->data = calloc(512, sizeof(uint64_t));
    if (!p->data)
        out_of_memory();
    const uint8_t *src;
    p->key = page + 1;
    p->valid = 4096;
    p->below = in_layers(m, page);
    if (layer_page(m, page, m->scratch, &src, &p->valid))
        memcpy(p->data, src, 4096);
    m->used++;
    nw_hot *h = hot_of(m, page);
    if (h->key == page + 1) {
        h->data = (const uint8_t *)p->data;
        h->valid = p->valid;
    }
    return p;
}

/* A read of a page not in the hot table: fills its entry from the written
 * pages or the layers, then reads. Kept out of nw_mem_read (a tail call),
 * whose hit then needs no registers saved. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int read_miss(nw_mem *m, uint64_t pa, uint64_t *data)
{
    uint64_t page = pa >> 12;
    if (pa > NW_PA_MASK)
        return 1;
    nw_hot *h = hot_of(m, page);
    nw_page *p = find(m, page);
    if (p) {
        h->data = (const uint8_t *)p->data;
        h->valid = p->valid;
    } else {
        if (!layer_page(m, page, m->scratch, &h->data, &h->valid))
            return 1;
        if (h->data == m->scratch) {
            if (!h->buf && !(h->buf = malloc(4096)))
                out_of_memory();
            memcpy(h->buf, m->scratch, 4096);
            h->data = h->buf;
        }
    }
    h->key = page + 1;
    return nw_mem_read(m, pa, data);
}

int nw_mem_read(void *mem, uint64_t pa, uint64_t *data)
{
    nw_mem *m = mem;
    uint64_t page = pa >> 12;
    const nw_hot *h = hot_of(m, page);
    if (h->key != page + 1)
        return read_miss(m, pa, data);
    unsigned off = (unsigned)(pa & 0xff8);
    if (off + 8 > h->valid)
        return 1;
    memcpy(data, h->data + off, 8);
    return 0;
}

void nw_mem_write(nw_mem *m, uint64_t pa, uint64_t value)
{
    page_for_write(m, pa)->data[(pa & 0xff8) >> 3] = value;
}

int nw_mem_has_page(const nw_mem *m, uint64_t pa)
{
    return find(m, pa >> 12) != NULL || in_layers(m, pa >> 12);
}

size_t nw_mem_pages(const nw_mem *m)
{
    size_t n = (size_t)m->layer_pages;
    for (size_t i = 0; i < m->cap; i++)
        n += m->slot[i].key && !m->slot[i].below;
    return n;
}

/* Puts img under the written pages as the newest layer; the written pages
 * it holds give way to its own. */
static void attach(nw_mem *m, nw_image *img, uint64_t shift, int whole)
{
    nw_layer *nl = realloc(m->layer, (m->nlayers + 1) * sizeof *nl);
    if (!nl)
        out_of_memory();
    m->layer = nl;
    nw_layer *l = &m->layer[m->nlayers++];
    *l = (nw_layer){img, shift, whole};
    img->refs++;
    rehash(m, m->cap, l);
    m->layer_pages = 0;
    uint64_t lo, hi;
    for (uint64_t from = 0; union_span(m, from, &lo, &hi); from = hi)
        m->layer_pages += hi - lo;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            m->slot[i].below = in_layers(m, m->slot[i].key - 1);
    for (size_t i = 0; i < NW_HOT; i++)
        m->hot[i].key = 0;
}

void nw_mem_foreach(const nw_mem *m,
                    void (*fn)(void *ctx, uint64_t pa, const uint64_t *words),
                    void *ctx)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            fn(ctx, (m->slot[i].key - 1) << 12, m->slot[i].data);
    uint64_t *words = malloc(2 * 4096), lo, hi;
    if (!words)
        out_of_memory();
    uint8_t *buf = (uint8_t *)(words + 512);
    for (uint64_t from = 0; union_span(m, from, &lo, &hi); from = hi)
        for (uint64_t q = lo; q < hi; q++) {
            const uint8_t *data;
            uint32_t valid;
            if (find(m, q) || !layer_page(m, q, buf, &data, &valid))
                continue;
            memcpy(words, data, 4096);
            fn(ctx, q << 12, words);
        }
    free(words);
}

void nw_mem_copy(nw_mem *dst, const nw_mem *src, uint64_t offset)
{
    for (size_t i = 0; i < src->nlayers; i++)
        attach(dst, src->layer[i].img, src->layer[i].shift + (offset >> 12), 1);
    for (size_t i = 0; i < src->cap; i++)
        if (src->slot[i].key) {
            nw_page *p = page_for_write(dst, ((src->slot[i].key - 1) << 12) + offset);
            memcpy(p->data, src->slot[i].data, 4096);
        }
}

static int load_image(nw_mem *m, nw_image *img)
{
    if (!img)
        return -1;
    attach(m, img, 0, 0);
    nw_image_put(img);
    return 0;
}

int nw_mem_load(nw_mem *m, const char *path, char *err, size_t len)
{
    return load_image(m, nw_image_open(path, err, len));
}

int nw_mem_load_bytes(nw_mem *m, const char *name, const void *data, size_t size,
                      char *err, size_t len)
{
    return load_image(m, nw_image_wrap(name, data, size, err, len));
}
