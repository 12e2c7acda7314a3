/*
 * test_images.c: memory images as users hand them over (docs/IMAGES.md).
 * The fixture rewritten as a kdump-compressed dump must read exactly as
 * the ELF core does; damaged dumps are refused with one line, or (a damaged
 * page) read as a bus error; an ELF core's zero-filled tail takes no
 * storage; overlapping PT_LOADs load only when they agree; an image shared
 * by nw_mem_copy reads the same at its offset and takes writes above it.
 */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"
#include "tu_dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIX_CR3 NW_FIXTURE_CR3
#define GIB     (1ull << 30)

/* A scratch directory for one test and the paths of its files (one or
 * two): 0, or -1 (a failed check). */
typedef struct {
    char dir[32], path[2][512];
} scratch;

static int scratch_open(scratch *t, const char *name0, const char *name1)
{
    strcpy(t->dir, "/tmp/nwimgXXXXXX");
    if (!CHECK(mkdtemp(t->dir) != NULL))
        return -1;
    snprintf(t->path[0], sizeof t->path[0], "%s/%s", t->dir, name0);
    snprintf(t->path[1], sizeof t->path[1], "%s/%s", t->dir, name1 ? name1 : name0);
    return 0;
}

static void scratch_close(const scratch *t)
{
    remove(t->path[0]);
    remove(t->path[1]);
    rmdir(t->dir);
}

static nw_mem *fixture_mem(void)
{
    char path[1024], err[256] = "";
    snprintf(path, sizeof path, "%s/pagetables.elf", nwt.fixture);
    nw_mem *m = nw_mem_new();
    if (!CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err)) {
        nw_mem_free(m);
        return NULL;
    }
    return m;
}

typedef struct {
    nw_mem *other;
    uint64_t offset;
    long pages, words_differ;
} cmp_ctx;

/* Every word of every page of a reads the same at + offset in other. */
static void cmp_page(void *ctx, uint64_t pa, const uint64_t *words)
{
    cmp_ctx *c = ctx;
    c->pages++;
    for (int i = 0; i < 512; i++) {
        uint64_t v = ~words[i];
        if (nw_mem_read(c->other, pa + c->offset + 8 * (uint64_t)i, &v) || v != words[i])
            c->words_differ++;
    }
}

static void expect_same(const nw_mem *a, nw_mem *b, uint64_t offset, long pages)
{
    cmp_ctx c = {b, offset, 0, 0};
    nw_mem_foreach(a, cmp_page, &c);
    CHECK_EQ(c.pages, pages);
    CHECK_EQ(c.words_differ, 0);
}

/* A file that must be refused: -1 and one line naming word. */
static void expect_refused(const char *path, const char *word)
{
    char err[512] = "";
    nw_mem *m = nw_mem_new();
    CHECK_EQ(nw_mem_load(m, path, err, sizeof err), -1);
    CHECK_MSG(strstr(err, word) && !strchr(err, '\n'), "message '%s' should name '%s'",
              err, word);
    CHECK_EQ(nw_mem_pages(m), 0);
    nw_mem_free(m);
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = malloc(*n);
    if (b && fread(b, 1, *n, f) != *n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static void put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The fixture as kdump (zlib, some pages stored) reads as the ELF core:
 * the same 109 pages word for word, nothing else, the same walks. */
static void images_kdump_fixture(void)
{
    if (!nwt.fixture)
        return;
    char path[1024], err[256] = "";
    scratch t;
    nw_mem *elf = fixture_mem();
    if (!elf || scratch_open(&t, "fix.kdump", NULL)) {
        nw_mem_free(elf);
        return;
    }
    CHECK_EQ(tu_dump_kdump(t.path[0], elf, 7), 0);
    nw_mem *kd = nw_mem_new();
    CHECK_MSG(nw_mem_load(kd, t.path[0], err, sizeof err) == 0, "%s", err);
    CHECK_EQ(nw_mem_pages(kd), 109);
    expect_same(elf, kd, 0, 109);
    expect_same(kd, elf, 0, 109);
    uint64_t v;
    CHECK(nw_mem_read(kd, 0x1000, &v) != 0 && !nw_mem_has_page(kd, 0x1000));
    /* the walks of QEMU's first 4096 lines and of the gaps after them */
    nw_tlb_line *l;
    size_t n;
    snprintf(path, sizeof path, "%s/qemu-info-tlb.txt.gz", nwt.fixture);
    if (CHECK_MSG(nw_tlb_load(path, &l, &n, err, sizeof err) == 0, "%s", err)) {
        nw_state *s = nw_new(NW_FEAT_ALL);
        nw_reg_write(s, NW_REG_GCR3, FIX_CR3);
        nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE);
        long differ = 0;
        for (size_t i = 0; i < n && i < 4096; i++)
            for (uint64_t off = 0; off < 2; off++) {
                nw_request rq = {l[i].va + off * 0x1000, NW_ACC_READ, 0};
                nw_result a, b;
                nw_translate(s, &rq, nw_mem_read, elf, &a);
                nw_translate(s, &rq, nw_mem_read, kd, &b);
                differ += a.status != b.status || a.pa != b.pa || a.refs != b.refs;
            }
        CHECK_EQ(differ, 0);
        nw_free(s);
        free(l);
    }
    nw_mem_free(kd);
    nw_mem_free(elf);
    scratch_close(&t);
}

/* A small memory: pages at 0x3000 (data), 0x4000 (zeros) and 0x9000. */
static nw_mem *small_mem(void)
{
    nw_mem *m = nw_mem_new();
    for (uint64_t o = 0; o < 4096; o += 8) {
        nw_mem_write(m, 0x3000 + o, 0x0101010101010101ull * (o % 251) + o);
        nw_mem_write(m, 0x4000 + o, 0);
        nw_mem_write(m, 0x9000 + o, o * o * 0x9e3779b97f4a7c15ull);
    }
    return m;
}

/* Damaged kdump files: the header's own fields refused with one line;
 * a page whose descriptor or data are bad reads as a bus error, the
 * others still read. */
static void images_kdump_malformed(void)
{
    char err[256] = "";
    scratch t;
    if (scratch_open(&t, "ok.kdump", "bad.kdump"))
        return;
    const char *path = t.path[0], *bad = t.path[1];
    nw_mem *m = small_mem();
    CHECK_EQ(tu_dump_kdump(path, m, 0), 0);
    size_t n = 0;
    uint8_t *f = slurp(path, &n), *g = f ? malloc(n) : NULL;
    if (!CHECK(f && g)) {
        free(f);
        nw_mem_free(m);
        scratch_close(&t);
        return;
    }
    nw_mem *k = nw_mem_new();
    CHECK_MSG(nw_mem_load(k, path, err, sizeof err) == 0, "%s", err);
    expect_same(m, k, 0, 3);
    CHECK_EQ(nw_mem_pages(k), 3);
    nw_mem_free(k);

    uint64_t bb = f[TU_KD_BITMAP_BLOCKS], desc = (2 + bb) * 4096;
    struct {
        uint64_t at;
        uint64_t value;
        int bytes;
        size_t len; /* the file cut to this length, 0 whole */
        const char *word;
    } cases[] = {
        {0, 0, 0, 400, "truncated kdump header"},
        {TU_KD_BLOCK_SIZE, 8192, 4, 0, "block size 8192"},
        {TU_KD_BITMAP_BLOCKS, 3, 4, 0, "bitmap size"},
        {TU_KD_BITMAP_BLOCKS, 0, 4, 0, "bitmap size"},
        {TU_KD_BITMAP_BLOCKS, 1u << 30, 4, 0, "bitmaps past end"},
        {TU_KD_MAX_MAPNR64, 1ull << 40, 8, 0, "max_mapnr"},
        {0, 0, 0, (size_t)desc + 30, "descriptors of 3 pages"},
        {0, 0, 0, 4096 + 50, "sub-header"},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nwt_ctx("case %u", i);
        memcpy(g, f, n);
        if (cases[i].bytes)
            put(g + cases[i].at, cases[i].value, cases[i].bytes);
        CHECK_EQ(tu_write_file(bad, g, cases[i].len ? cases[i].len : n), 0);
        expect_refused(bad, cases[i].word);
    }
    nwt_ctx("%s", "");
    memcpy(g, "makedumpfile", 12);
    CHECK_EQ(tu_write_file(bad, g, n), 0);
    expect_refused(bad, "flattened");

    /* descriptor 0 (pfn 3): offset past the end, a size past the end,
     * damaged zlib data, an unknown compression (lzo); descriptor 2 (pfn 9)
     * with a size too short for its page, compressed or stored */
    struct {
        uint64_t at;
        uint64_t value;
        int bytes;
        uint64_t bad_pa;
    } pages[] = {
        {desc, 1ull << 40, 8, 0x3000},
        {desc + 8, 1u << 30, 4, 0x3000},
        {0, 0, 0, 0x3000}, /* the first compressed byte flipped */
        {desc + 12, 2, 4, 0x3000},
        {desc + 48 + 8, 100, 4, 0x9000},
    };
    for (unsigned i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        nwt_ctx("page case %u", i);
        memcpy(g, f, n);
        if (pages[i].bytes)
            put(g + pages[i].at, pages[i].value, pages[i].bytes);
        else
            g[get64(g + desc) + 2] ^= 0xff;
        CHECK_EQ(tu_write_file(bad, g, n), 0);
        k = nw_mem_new();
        CHECK_MSG(nw_mem_load(k, bad, err, sizeof err) == 0, "%s", err);
        uint64_t v = 0;
        CHECK(nw_mem_read(k, pages[i].bad_pa + 8, &v) != 0);
        CHECK(nw_mem_read(k, 0x4ff8, &v) == 0 && v == 0);
        nw_mem_free(k);
    }
    nwt_ctx("%s", "");
    free(f);
    free(g);
    nw_mem_free(m);
    scratch_close(&t);
}

/* ---- ELF cores ---- */
typedef struct {
    uint32_t type;
    uint64_t off, paddr, filesz, memsz;
} phdr;

/* An ELF64 core of n program headers at 64 (e_phnum says phnum) into
 * b[0, size), the rest of b as the caller filled it; written to path. */
static int write_elf(const char *path, uint8_t *b, size_t size, const phdr *ph, int n,
                     unsigned phnum)
{
    memcpy(b, "\177ELF\2\1\1", 7);
    put(b + 16, 4, 2);
    put(b + 18, 62, 2);
    put(b + 32, 64, 8);
    put(b + 54, 56, 2);
    put(b + 56, phnum, 2);
    for (int i = 0; i < n; i++) {
        uint8_t *h = b + 64 + 56 * i;
        put(h, ph[i].type, 4);
        put(h + 8, ph[i].off, 8);
        put(h + 24, ph[i].paddr, 8);
        put(h + 32, ph[i].filesz, 8);
        put(h + 40, ph[i].memsz, 8);
    }
    return tu_write_file(path, b, size);
}

/* A 1.5 KB core whose last PT_LOAD is 16 GiB of zeros (p_filesz 0): loads
 * at once, holds 4 Mi + 1 pages, reads zeros to its end and nothing past. */
static void images_elf_zero_tail(void)
{
    char err[256] = "";
    scratch t;
    if (scratch_open(&t, "tail.elf", NULL))
        return;
    const char *path = t.path[0];
    static uint8_t b[0x600];
    for (unsigned i = 0x200; i < sizeof b; i++)
        b[i] = (uint8_t)(i * 7 + 1);
    phdr ph[] = {{4, 0, 0, 0, 0}, /* PT_NOTE */
                 {1, 0x200, 0x1000, 0x400, 0x400},
                 {1, sizeof b, 16 * GIB, 0, 16 * GIB}};
    CHECK_EQ(write_elf(path, b, sizeof b, ph, 3, 3), 0);
    nw_mem *m = nw_mem_new();
    CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(nw_mem_pages(m), 1 + (16 * GIB >> 12));
    uint64_t v = 0;
    CHECK(nw_mem_read(m, 0x1000, &v) == 0 && v == get64(b + 0x200));
    CHECK(nw_mem_read(m, 0x13f8, &v) == 0 && v == get64(b + 0x5f8));
    CHECK(nw_mem_read(m, 0x1400, &v) != 0); /* past the segment, same page */
    CHECK(nw_mem_read(m, 16 * GIB, &v) == 0 && v == 0);
    CHECK(nw_mem_read(m, 32 * GIB - 8, &v) == 0 && v == 0);
    CHECK(nw_mem_read(m, 32 * GIB, &v) != 0);
    CHECK(nw_mem_has_page(m, 21 * GIB) && !nw_mem_has_page(m, 32 * GIB));
    /* a write lands above the zeros and only there */
    nw_mem_write(m, 20 * GIB + 8, 0x1234);
    CHECK(nw_mem_read(m, 20 * GIB + 8, &v) == 0 && v == 0x1234);
    CHECK(nw_mem_read(m, 20 * GIB, &v) == 0 && v == 0);
    CHECK_EQ(nw_mem_pages(m), 1 + (16 * GIB >> 12));
    nw_mem_free(m);
    scratch_close(&t);
}

/* Overlapping PT_LOADs load when they give the same bytes where they
 * overlap (a vmcore's kernel text repeats part of RAM), and are refused
 * with one line when they do not; an unaligned segment is readable from
 * its page's start to its last whole word, as any image's last page. */
static void images_elf_overlap(void)
{
    char err[256] = "";
    scratch t;
    if (scratch_open(&t, "ovl.elf", NULL))
        return;
    const char *path = t.path[0];
    static uint8_t b[0x6000];
    for (unsigned i = 0x1000; i < sizeof b; i++)
        b[i] = (uint8_t)(i * 13 + (i >> 9));
    memcpy(b + 0x4000, b + 0x3000, 0x1000); /* B's first page = A's third */
    phdr ph[] = {{1, 0x1000, 0x10000, 0x3000, 0x3000},  /* A: 3 pages */
                 {1, 0x4000, 0x12000, 0x2000, 0x2000},  /* B: 1 shared, 1 new */
                 {1, 0x1000, 0x10000, 0x1000, 0x1000},  /* A's first page again */
                 {1, 0x5000, 0x20004, 0xc, 0xc}};       /* 12 bytes at 0x20004 */
    CHECK_EQ(write_elf(path, b, sizeof b, ph, 4, 4), 0);
    nw_mem *m = nw_mem_new();
    CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(nw_mem_pages(m), 5);
    uint64_t v = 0;
    CHECK(nw_mem_read(m, 0x12008, &v) == 0 && v == get64(b + 0x3008));
    CHECK(nw_mem_read(m, 0x13ff8, &v) == 0 && v == get64(b + 0x5ff8));
    CHECK(nw_mem_read(m, 0x14000, &v) != 0);
    CHECK(nw_mem_read(m, 0x20000, &v) == 0 && v == get64(b + 0x5000) << 32);
    CHECK(nw_mem_read(m, 0x20008, &v) == 0 && v == get64(b + 0x5004));
    CHECK(nw_mem_read(m, 0x20010, &v) != 0);
    nw_mem_free(m);

    b[0x4123] ^= 1; /* now B disagrees with A at 0x12123 */
    CHECK_EQ(write_elf(path, b, sizeof b, ph, 4, 4), 0);
    expect_refused(path, "PT_LOAD segments 0 and 1 overlap at paddr 0x12000");
    b[0x4123] ^= 1;
    /* C starts after B but below B's part past A (0x13000): it is compared
       with A, whose bytes it repeats, then with A's bytes from elsewhere */
    phdr late[] = {{1, 0x1000, 0x10000, 0x3000, 0x3000},  /* A */
                   {1, 0x4000, 0x12000, 0x2000, 0x2000},  /* B */
                   {1, 0x3400, 0x12400, 0x100, 0x100}};   /* C: A's bytes at 0x12400 */
    CHECK_EQ(write_elf(path, b, sizeof b, late, 3, 3), 0);
    m = nw_mem_new();
    CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(nw_mem_pages(m), 4);
    nw_mem_free(m);
    late[2].off = 0x3401;
    CHECK_EQ(write_elf(path, b, sizeof b, late, 3, 3), 0);
    expect_refused(path, "PT_LOAD segments 0 and 2 overlap at paddr 0x12400");
    phdr zero[] = {{1, 0x1000, 0x10000, 0x1000, 0x3000}, /* zeros from 0x11000 */
                   {1, 0x2000, 0x11000, 0x0, 0x1000}};   /* zeros there too */
    CHECK_EQ(write_elf(path, b, sizeof b, zero, 2, 2), 0);
    m = nw_mem_new();
    CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(nw_mem_pages(m), 3);
    nw_mem_free(m);
    zero[1].filesz = 0x1000; /* file bytes where A has zeros */
    CHECK_EQ(write_elf(path, b, sizeof b, zero, 2, 2), 0);
    expect_refused(path, "overlap");
    scratch_close(&t);
}

/* e_phnum PN_XNUM: the count is section header 0's sh_info; a count the
 * file has no room for is refused. */
static void images_elf_phnum(void)
{
    char err[256] = "";
    scratch t;
    if (scratch_open(&t, "xnum.elf", NULL))
        return;
    const char *path = t.path[0];
    static uint8_t b[0x2000];
    memset(b + 0x1000, 0x5a, 0x1000);
    put(b + 40, 0x200, 8); /* e_shoff: section header 0 */
    put(b + 0x200 + 44, 1, 4);
    phdr ph[] = {{1, 0x1000, 0x7000, 0x1000, 0x1000}};
    CHECK_EQ(write_elf(path, b, sizeof b, ph, 1, 0xffff), 0);
    nw_mem *m = nw_mem_new();
    uint64_t v = 0;
    CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err);
    CHECK(nw_mem_read(m, 0x7ff8, &v) == 0 && v == 0x5a5a5a5a5a5a5a5aull);
    nw_mem_free(m);
    put(b + 0x200 + 44, 0xffffffffu, 4);
    CHECK_EQ(write_elf(path, b, sizeof b, ph, 1, 0xffff), 0);
    expect_refused(path, "4294967295 program headers past end of file");
    put(b + 40, 0x1fc8, 8);
    CHECK_EQ(write_elf(path, b, sizeof b, ph, 1, 0xffff), 0);
    expect_refused(path, "section header 0 past end of file");
    scratch_close(&t);
}

/* nw_mem_copy shares the image at an offset: the copy reads as the image,
 * outlives the memory it came from, takes writes above it; a load onto
 * written pages replaces them. */
static void images_copy_shared(void)
{
    if (!nwt.fixture)
        return;
    nw_mem *g = fixture_mem(), *ref = fixture_mem(), *h = nw_mem_new();
    if (!g || !ref) {
        nw_mem_free(g);
        nw_mem_free(ref);
        nw_mem_free(h);
        return;
    }
    nw_mem_write(h, 0x1000, 77);
    nw_mem_write(g, 0x2000, 78); /* a written page of g goes along */
    nw_mem_copy(h, g, 16 * GIB);
    nw_mem_free(g);
    CHECK_EQ(nw_mem_pages(h), 111);
    expect_same(ref, h, 16 * GIB, 109);
    uint64_t v = 0, w = 0;
    CHECK(nw_mem_read(h, 16 * GIB + 0x2000, &v) == 0 && v == 78);
    nw_mem_write(h, 16 * GIB + FIX_CR3 + 8, 0xabcdef);
    CHECK(nw_mem_read(h, 16 * GIB + FIX_CR3 + 8, &v) == 0 && v == 0xabcdef);
    CHECK(nw_mem_read(h, 16 * GIB + FIX_CR3 + 0xff8, &v) == 0 &&
          nw_mem_read(ref, FIX_CR3 + 0xff8, &w) == 0 && v == w);
    CHECK(nw_mem_read(ref, FIX_CR3 + 8, &w) == 0 && w != 0xabcdef);
    CHECK_EQ(nw_mem_pages(h), 111);

    /* loading the fixture onto a written page of it: the image's page */
    char path[1024], err[256] = "";
    nw_mem *m = nw_mem_new();
    nw_mem_write(m, FIX_CR3, 5);
    nw_mem_write(m, 0x1000, 6);
    snprintf(path, sizeof path, "%s/pagetables.elf", nwt.fixture);
    CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(nw_mem_pages(m), 110);
    CHECK(nw_mem_read(m, FIX_CR3, &v) == 0 && nw_mem_read(ref, FIX_CR3, &w) == 0 && v == w);
    CHECK(nw_mem_read(m, 0x1000, &v) == 0 && v == 6);
    nw_mem_free(m);
    nw_mem_free(h);
    nw_mem_free(ref);
}

/* nw_mem_load_bytes reads memory the caller holds, without a file. */
static void images_load_bytes(void)
{
    static uint8_t raw[0x2008];
    for (unsigned i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i ^ i >> 8);
    nw_mem *m = nw_mem_new();
    char err[256] = "";
    CHECK_MSG(nw_mem_load_bytes(m, "raw", raw, sizeof raw, err, sizeof err) == 0, "%s", err);
    uint64_t v = 0;
    CHECK(nw_mem_read(m, 0x1ff8, &v) == 0 && v == get64(raw + 0x1ff8));
    CHECK(nw_mem_read(m, 0x2000, &v) == 0 && v == get64(raw + 0x2000));
    CHECK(nw_mem_read(m, 0x2008, &v) != 0);
    CHECK_EQ(nw_mem_pages(m), 3);
    CHECK_EQ(nw_mem_load_bytes(m, "empty", raw, 0, err, sizeof err), -1);
    CHECK_MSG(strstr(err, "empty: empty image") != NULL, "%s", err);
    nw_mem_free(m);
}

void suite_images(void)
{
    NWT_RUN(images_kdump_fixture);
    NWT_RUN(images_kdump_malformed);
    NWT_RUN(images_elf_zero_tail);
    NWT_RUN(images_elf_overlap);
    NWT_RUN(images_elf_phnum);
    NWT_RUN(images_copy_shared);
    NWT_RUN(images_load_bytes);
}
