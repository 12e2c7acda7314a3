/*
 * The image loader on arbitrary bytes (nw_mem_load_bytes): NW_FUZZ_FORMAT
 * 1 makes every input an ELF core, 2 a kdump dump (the magic written over
 * the first bytes), 0 leaves the format to the input (raw, or either).
 * Besides the sanitizers: a refusal is one line; what the loader keeps is
 * at most twice the input plus a page (an input that makes it allocate
 * more is a finding); nw_mem_foreach visits the pages nw_mem_pages counts;
 * the loaded memory is then read, copied and written as the walker, the
 * harness and the tests use it, and a copy reads as the original.
 */
#include <sanitizer/allocator_interface.h>
#include <stdint.h>

#include "fuzz.h"
#include "nestwalk.h"

static const char magic[3][9] = {"", "\177ELF\2\1", "KDUMP   "};

typedef struct {
    long pages;
} visit;

static void count_page(void *ctx, uint64_t pa, const uint64_t *words)
{
    visit *v = ctx;
    v->pages += (pa & 0xfff) == 0 && words != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = strlen(magic[NW_FUZZ_FORMAT]);
    uint8_t *bytes = malloc(size + n);
    if (!bytes)
        return 0;
    memcpy(bytes, magic[NW_FUZZ_FORMAT], n);
    memcpy(bytes + n, data, size);
    size += n;
    nw_mem *m = nw_mem_new(), *copy = nw_mem_new();
    char err[512] = "";
    size_t before = __sanitizer_get_current_allocated_bytes();
    int rc = nw_mem_load_bytes(m, "fuzz", bytes, size, err, sizeof err);
    /* the count is the process's: libFuzzer's own frees in the meantime
     * can take it below where it was, which is no finding */
    size_t after = __sanitizer_get_current_allocated_bytes();
    size_t held = after > before ? after - before : 0;
    if (held > 2 * size + 4096) {
        fprintf(stderr, "fuzz: the loader holds %zu bytes for a %zu-byte input\n", held,
                size);
        abort();
    }
    if (rc) {
        fuzz_one_line(err);
    } else {
        size_t pages = nw_mem_pages(m);
        if (pages <= 512) {
            visit v = {0};
            nw_mem_foreach(m, count_page, &v);
            /* a kdump page whose descriptor or data are damaged is counted
             * (the index has it) but cannot be visited */
            int kdump = size >= 8 && memcmp(bytes, "KDUMP   ", 8) == 0;
            if (kdump ? (size_t)v.pages > pages : (size_t)v.pages != pages) {
                fprintf(stderr, "fuzz: %zu pages counted, %ld visited\n", pages, v.pages);
                abort();
            }
        }
        /* reads spread over the first 64 GiB and at every 8th byte of the input's
         * own offsets, through a copy at +16 GiB, then one write */
        uint64_t x = size * 0x9e3779b97f4a7c15ull, v = 0, w = 0;
        nw_mem_copy(copy, m, 16ull << 30);
        for (int i = 0; i < 256; i++) {
            uint64_t pa = i < 128 ? nw_splitmix64(&x) & 0xffffffff8ull : (uint64_t)i * 4088;
            int a = nw_mem_read(m, pa, &v), b = nw_mem_read(copy, pa + (16ull << 30), &w);
            if (nw_mem_has_page(m, pa) != nw_mem_has_page(copy, pa + (16ull << 30)) ||
                (a == 0 && (b != 0 || v != w)) || (a != 0 && nw_mem_has_page(m, pa) == 0 && b == 0)) {
                fprintf(stderr, "fuzz: the copy reads 0x%llx otherwise\n", (unsigned long long)pa);
                abort();
            }
            if (i == 200) {
                nw_mem_write(m, pa, ~v);
                if (nw_mem_read(m, pa, &w) == 0 && a == 0 && w != ~v) {
                    fprintf(stderr, "fuzz: a write to 0x%llx did not stick\n",
                            (unsigned long long)pa);
                    abort();
                }
            }
        }
    }
    nw_mem_free(m);
    nw_mem_free(copy);
    free(bytes);
    return 0;
}
