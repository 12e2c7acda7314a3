/*
 * QEMU's `info tlb` listing, the Linux fixture's oracle, and the fixture's
 * DMT areas: one reader and one TEA layout for the model's tests, `nestwalk
 * bench` and the RTL harness, so that all three take the same lines as
 * mappings and the same windows.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nw_internal.h"

int nw_tlb_parse_line(const char *line, nw_tlb_line *l)
{
    unsigned long long va, pa;
    char fl[16];
    if (sscanf(line, "%llx: %llx %15s", &va, &pa, fl) != 3 || strlen(fl) != 9)
        return 0;
    /* FLAGS: X G P D A C T U W */
    l->va = va;
    l->pa = pa;
    l->size = fl[2] == 'P' ? NW_SIZE_2M : NW_SIZE_4K;
    l->w = fl[8] == 'W';
    l->u = fl[7] == 'U';
    l->xd = fl[0] == 'X';
    return 1;
}

/* `gzip -dc` of path through the shell: path in single quotes, each of its
 * own quotes written '\''; gzip's messages are replaced by ours. */
static FILE *open_gunzip(const char *path)
{
    size_t quotes = 0;
    for (const char *p = path; *p; p++)
        quotes += *p == '\'';
    static const char head[] = "gzip -dc -- '", tail[] = "' 2>/dev/null";
    char *cmd = malloc(sizeof head + strlen(path) + 3 * quotes + sizeof tail);
    if (!cmd)
        return NULL;
    char *c = cmd + (sizeof head - 1);
    memcpy(cmd, head, sizeof head - 1);
    for (const char *p = path; *p; p++) {
        if (*p == '\'') {
            memcpy(c, "'\\''", 4);
            c += 4;
        } else {
            *c++ = *p;
        }
    }
    memcpy(c, tail, sizeof tail);
    FILE *f = popen(cmd, "r");
    free(cmd);
    return f;
}

int nw_tlb_load(const char *path, nw_tlb_line **lines, size_t *n, char *err, size_t len)
{
    size_t plen = strlen(path);
    int gz = plen >= 3 && !strcmp(path + plen - 3, ".gz");
    /* opened first even when gzip reads it: a missing file gets its errno */
    FILE *f = fopen(path, "r");
    if (!f)
        return nw_fail(err, len, "%s: %s", path, strerror(errno));
    if (gz) {
        fclose(f);
        if (!(f = open_gunzip(path)))
            return nw_fail(err, len, "%s: cannot run gzip", path);
    }
    size_t cap = 1024, got = 0;
    nw_tlb_line *l = malloc(cap * sizeof *l);
    char *buf = NULL;
    size_t bufcap = 0;
    int oom = !l;
    while (!oom && getline(&buf, &bufcap, f) >= 0) {
        if (got == cap) {
            nw_tlb_line *more = realloc(l, 2 * cap * sizeof *l);
            if (!more) {
                oom = 1;
                break;
            }
            l = more;
            cap *= 2;
        }
        got += (size_t)nw_tlb_parse_line(buf, &l[got]);
    }
    int read_errno = ferror(f) ? errno : 0;
    free(buf);
    int status = gz ? pclose(f) : fclose(f);
    int rc = 0;
    if (oom)
        rc = nw_fail(err, len, "%s: out of memory", path);
    else if (read_errno)
        rc = nw_fail(err, len, "%s: %s", path, strerror(read_errno));
    else if (gz && status != 0)
        rc = nw_fail(err, len, "%s: not a readable gzip file", path);
    if (rc) {
        free(l);
        return rc;
    }
    *lines = l;
    *n = got;
    return 0;
}

const nw_fixture_area *nw_fixture_area_get(unsigned k)
{
    static const nw_fixture_area areas[NW_FIXTURE_AREAS] = {
        {"4 KiB area 0xffffff0b00000000, 4 GiB", 0xffffff0b00000000ull, 0xffffff0c00000000ull},
        {"direct map 0xffff888000000000, 256 MiB", 0xffff888000000000ull, 0xffff888010000000ull},
    };
    return k < NW_FIXTURE_AREAS ? &areas[k] : NULL;
}

int nw_fixture_teas(nw_mem *m, uint64_t tea[NW_FIXTURE_AREAS])
{
    /* 64 MiB: the 4 GiB area's 2,048 level-1 tables and the direct map's 128 */
    nw_alloc a = {m, NW_FIXTURE_TEA, NW_FIXTURE_TEA + 0x4000000};
    for (unsigned k = 0; k < NW_FIXTURE_AREAS; k++) {
        const nw_fixture_area *f = nw_fixture_area_get(k);
        if (nw_pt_tea(&a, NW_FIXTURE_CR3, 4, f->base, f->limit - f->base, &tea[k]))
            return -1;
    }
    return 0;
}
