/*
 * tu_dump.h: dump files written from a memory's pages, in the layouts of
 * docs/IMAGES.md, for the image tests and the fuzzers' seeds. Written from
 * the formats' descriptions (QEMU's dump.c layout), not from the loaders.
 */
#ifndef TU_DUMP_H
#define TU_DUMP_H

#include "nestwalk.h"

/* An ELF64 core: one PT_LOAD per run of consecutive pages of m, at page
 * aligned file offsets, after a PT_NOTE as QEMU writes. 0, or -1. */
int tu_dump_elf(const char *path, const nw_mem *m);

/* kdump-compressed (header version 6, 4 KiB blocks): every page of m in
 * both bitmaps, zlib-compressed unless compressing does not make it
 * smaller or it is every stored_every-th page (0: none); all-zero pages
 * share one stored zero page, as QEMU's do. 0, or -1. */
int tu_dump_kdump(const char *path, const nw_mem *m, int stored_every);

/* Byte offsets inside a tu_dump_kdump file, for tests that damage one. */
#define TU_KD_BLOCK_SIZE    428 /* header: block_size */
#define TU_KD_BITMAP_BLOCKS 436 /* header: bitmap_blocks */
#define TU_KD_MAX_MAPNR64   (4096 + 96) /* sub-header: max_mapnr_64 */
#define TU_KD_BITMAPS       (2 * 4096)  /* first bitmap */
/* first page descriptor: after the two bitmaps of bitmap_blocks blocks */

#endif
