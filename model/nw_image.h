/* Private to the model library: a memory image, the bytes of a dump file
 * (mapped, never copied) and the index that says where each 4 KiB physical
 * page lies in them. nw_mem.c stacks images under the pages it owns;
 * nw_image.c reads ELF64 cores and raw images, nw_kdump.c the
 * kdump-compressed format. An image is immutable once parsed and shared by
 * reference count between the memories that show it. */
#ifndef NW_IMAGE_H
#define NW_IMAGE_H

#include "nestwalk.h"

/* PT_LOAD-style: [paddr, paddr + memsz) of physical memory, the first
 * filesz bytes at file offset off, the rest zeros. */
typedef struct {
    uint64_t paddr, off, filesz, memsz;
    unsigned idx; /* its program header's number, for messages */
} nw_range;

typedef struct nw_kdump nw_kdump;

typedef struct {
    int refs;
    const uint8_t *bytes; /* the file */
    uint64_t size;
    void *map;            /* bytes is this mapping (munmap), or */
    uint8_t *owned;       /* a malloc'd copy of a file that cannot be mapped */
    uint64_t npages;      /* pages present */
    nw_range *r;          /* ELF and raw: sorted by paddr, disjoint, non-empty */
    size_t nr;
    uint64_t (*run)[2];   /* the runs of consecutive present pages [lo, hi) */
    size_t nrun;
    nw_kdump *kd;         /* kdump-compressed */
} nw_image;

/* Opens and parses a file (mapped when it can be); NULL with a one-line
 * message in err. */
nw_image *nw_image_open(const char *path, char *err, size_t len);
/* The same over bytes the caller keeps alive and unchanged (not copied). */
nw_image *nw_image_wrap(const char *name, const void *data, size_t size, char *err,
                        size_t len);
void nw_image_put(nw_image *img); /* drops one reference */

/* Page number `page` of the image: 1 with *data (4096 bytes, into the file
 * or into buf, which it fills) and *valid (the bytes readable from the
 * page's start), or 0 when the image does not hold it or its data are
 * damaged. */
int nw_image_page(const nw_image *img, uint64_t page, uint8_t *buf,
                  const uint8_t **data, uint32_t *valid);
/* Whether the image holds page number `page`. */
int nw_image_has(const nw_image *img, uint64_t page);
/* The first run [*lo, *hi) of present pages with *hi > from, *lo clipped to
 * at least from: 1, or 0 when no page at or above from is present. */
int nw_image_span(const nw_image *img, uint64_t from, uint64_t *lo, uint64_t *hi);

/* kdump-compressed (nw_kdump.c), called by nw_image.c on a "KDUMP   "
 * signature. */
int nw_kdump_parse(nw_image *img, const char *name, char *err, size_t len);
int nw_kdump_page(const nw_kdump *kd, const nw_image *img, uint64_t pfn, uint8_t *buf,
                  const uint8_t **data);
int nw_kdump_has(const nw_kdump *kd, const nw_image *img, uint64_t pfn);
int nw_kdump_span(const nw_kdump *kd, const nw_image *img, uint64_t from, uint64_t *lo,
                  uint64_t *hi);
void nw_kdump_free(nw_kdump *kd);

/* Little-endian field of n bytes at p. */
uint64_t nw_le(const uint8_t *p, int n);

#endif
