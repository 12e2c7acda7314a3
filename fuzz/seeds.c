/*
 * seeds FIXTURE_DIR OUT_DIR: the fuzzers' first inputs, one directory per
 * target under OUT_DIR. Images: a slice of the fixture (the table pages
 * of eight of QEMU's mappings) as an ELF core and as a kdump dump written
 * by the tests' writers (model/tests/tu_dump.c), and small built worlds as
 * raw images; the elf and kdump targets get them without the magic they
 * write themselves. translate: registers and VAs ahead of those worlds.
 * options, addrs: arguments and VA files as cli.sh gives them. trace: a
 * lackey trace and its binary form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestwalk.h"
#include "tu_dump.h"

static void die(const char *what)
{
    fprintf(stderr, "seeds: %s\n", what);
    exit(2);
}

static void write_seed(const char *dir, const char *target, const char *name,
                       const void *data, size_t n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
        die(path);
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = malloc(*n ? *n : 1);
    if (!b || fread(b, 1, *n, f) != *n)
        die(path);
    fclose(f);
    return b;
}

/* m as an ELF core and a kdump dump: seeds of image, elf and kdump. */
static void dump_seeds(const char *out, const char *name, const nw_mem *m)
{
    char path[4200], seed[256];
    static const struct {
        const char *target, *ext;
        size_t magic;
    } kinds[] = {{"elf", "elf", 6}, {"kdump", "kdump", 8}};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s.%s", out, name, kinds[k].ext);
        if ((k ? tu_dump_kdump(path, m, 3) : tu_dump_elf(path, m)) != 0)
            die(path);
        size_t n;
        uint8_t *b = slurp(path, &n);
        snprintf(seed, sizeof seed, "%s.%s", name, kinds[k].ext);
        write_seed(out, "image", seed, b, n);
        write_seed(out, kinds[k].target, seed, b + kinds[k].magic, n - kinds[k].magic);
        free(b);
        remove(path);
    }
}

/* The bytes [0, n) of m, a raw image (unwritten words zero). */
static uint8_t *raw_bytes(nw_mem *m, size_t n)
{
    uint8_t *b = calloc(1, n);
    if (!b)
        die("out of memory");
    for (size_t o = 0; o < n; o += 8) {
        uint64_t v = 0;
        nw_mem_read(m, o, &v);
        memcpy(b + o, &v, 8);
    }
    return b;
}

/* A translate seed: k register writes, the mode byte, four VAs, memory. */
static void translate_seed(const char *out, const char *name, const uint64_t (*regs)[2],
                           int k, const uint64_t va[4], const uint8_t *mem, size_t n)
{
    size_t len = 1 + 9 * (size_t)k + 1 + 32 + n;
    uint8_t *b = malloc(len), *p = b;
    if (!b)
        die("out of memory");
    *p++ = (uint8_t)k;
    for (int i = 0; i < k; i++) {
        *p++ = (uint8_t)(regs[i][0] / 8);
        memcpy(p, &regs[i][1], 8);
        p += 8;
    }
    *p++ = 0;
    memcpy(p, va, 32);
    memcpy(p + 32, mem, n);
    write_seed(out, "translate", name, b, len);
    free(b);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        die("usage: seeds FIXTURE_DIR OUT_DIR");
    const char *fix = argv[1], *out = argv[2];
    char path[4200], err[512];

    /* the fixture's slice: the pages eight of QEMU's mappings walk through */
    nw_mem *fm = nw_mem_new(), *slice = nw_mem_new();
    snprintf(path, sizeof path, "%s/pagetables.elf", fix);
    if (nw_mem_load(fm, path, err, sizeof err))
        die(err);
    nw_tlb_line *l;
    size_t nl;
    snprintf(path, sizeof path, "%s/qemu-info-tlb.txt.gz", fix);
    if (nw_tlb_load(path, &l, &nl, err, sizeof err) || nl < 64)
        die(err);
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_GCR3, 0x614c000);
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE);
    for (size_t i = 0; i < 8; i++) {
        nw_request rq = {l[i * (nl / 8)].va, NW_ACC_READ, 0};
        nw_result r;
        nw_translate(s, &rq, nw_mem_read, fm, &r);
        for (int j = 0; j < r.refs; j++)
            for (uint64_t o = 0, base = r.reads[j] & ~0xfffull; o < 4096; o += 8) {
                uint64_t v = 0;
                nw_mem_read(fm, base + o, &v);
                nw_mem_write(slice, base + o, v);
            }
    }
    dump_seeds(out, "fixture-slice", slice);

    /* addrs: QEMU's first 64 VAs, a comment, a blank line */
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "# the fixture's first mappings\n\n");
    for (size_t i = 0; i < 64; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "0x%llx\n", (unsigned long long)l[i].va);
    write_seed(out, "addrs", "fixture-vas", text, n);
    write_seed(out, "addrs", "bare", "400000\n  ffffffffff5fd000  # x\n", 31);
    free(l);

    /* trace: lackey's lines (valgrind's own among them) and the binary form
       of the same records */
    static const char lackey[] = "==12== Lackey, an example Valgrind tool\n"
                                 "I  04016d0,3\n L 04222cac,8\n S 7ff000a08,8\n"
                                 " M 0421c7f0,4\n L 0421cffc,8\n";
    write_seed(out, "trace", "lackey", lackey, sizeof lackey - 1);
    nw_trace *t = nw_trace_new();
    char terr[512], tpath[4200];
    snprintf(tpath, sizeof tpath, "%s/trace/binary.gz", out);
    for (const char *p = strchr(lackey, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        nw_trace_rec r;
        char line[64];
        size_t k = (size_t)(strchr(p, '\n') - p);
        memcpy(line, p, k);
        line[k] = 0;
        if (!t || nw_lackey_parse(line, &r, terr, sizeof terr) != 1 || nw_trace_add(t, &r))
            die("the trace seed");
    }
    if (nw_trace_write(t, tpath, terr, sizeof terr))
        die(terr);
    nw_trace_free(t);

    /* a native world in 16 pages: tables from 0x1000, data pages above */
    nw_mem *w = nw_mem_new();
    nw_alloc a = {w, 0x1000, 0x8000};
    uint64_t cr3 = nw_alloc_page(&a);
    int bad = nw_pt_map(&a, cr3, 4, 0x400000, 0x9000, NW_SIZE_4K, NW_PTE_W | NW_PTE_U);
    bad |= nw_pt_map(&a, cr3, 4, 0x401000, 0xa000, NW_SIZE_4K, NW_PTE_XD);
    bad |= nw_pt_map(&a, cr3, 4, 0x7f0000000000ull, 0x200000, NW_SIZE_2M, NW_PTE_W);
    nw_mem_write(w, 0xfff8, 0);
    dump_seeds(out, "native-world", w);
    uint8_t *raw = raw_bytes(w, 0x10000);
    write_seed(out, "image", "native-world.raw", raw, 0x10000);
    const uint64_t regs[][2] = {{NW_REG_GCR3, cr3}, {NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_WP}};
    const uint64_t va[4] = {0x400008, 0x401000, 0x7f0000012345ull, 0xffff800000000000ull};
    translate_seed(out, "native", regs, 2, va, raw, 0x10000);
    free(raw);

    /* the same guest nested: gPA + 0x10000 under 4 KiB host pages */
    nw_mem *h = nw_mem_new();
    nw_alloc ha = {h, 0x20000, 0x28000};
    uint64_t hcr3 = nw_alloc_page(&ha);
    for (uint64_t g = 0; g < 0x10000; g += 4096)
        bad |= nw_pt_map(&ha, hcr3, 4, g, g + 0x10000, NW_SIZE_4K, NW_PTE_W | NW_PTE_U);
    bad |= nw_pt_map(&ha, hcr3, 4, 0x200000, 0x400000, NW_SIZE_2M, NW_PTE_W | NW_PTE_U);
    nw_mem_copy(h, w, 0x10000);
    if (bad || !cr3 || !hcr3)
        die("building the worlds failed");
    raw = raw_bytes(h, 0x28000);
    const uint64_t nregs[][2] = {{NW_REG_GCR3, cr3}, {NW_REG_HCR3, hcr3},
                                 {NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_VIRT}};
    translate_seed(out, "nested", nregs, 3, va, raw, 0x28000);
    free(raw);

    /* options: cli.sh's kinds of command lines, NUL-separated */
#define OPT(x) {x, sizeof x - 1}
    static const struct {
        const char *s;
        size_t n;
    } opts[] = {
        OPT("--image\0f.elf\0--gcr3\0" "614c000\0--nxe\0" "0x400000"),
        OPT("--image\0f\0--mode\0nested\0--gcr3\0" "1000\0--hcr3\0" "20000\0--levels\0" "5\0"
            "--host-levels\0" "4\0--access\0write\0--user\0" "400000"),
        OPT("--image\0f\0--mode\0dual-direct\0--gseg\0" "1000:2000:3000\0--hseg\0"
            "0:10000:40000\0--gseg-attr\0" "6\0--json\0--addrs\0-"),
        OPT("--image\0f\0--mode\0agile\0--scr3\0" "5001\0--gescape\0" "1,2,3\0--hescape\0"
            "4\0--smep\0--wp"),
        OPT("--image\0f\0--ctrl\0ffff\0--access\0fetch\0ffffffffffffffff"),
    };
#undef OPT
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        snprintf(path, sizeof path, "cli-%zu", i);
        write_seed(out, "options", path, opts[i].s, opts[i].n);
    }
    nw_free(s);
    nw_mem_free(fm);
    nw_mem_free(slice);
    nw_mem_free(w);
    nw_mem_free(h);
    return 0;
}
