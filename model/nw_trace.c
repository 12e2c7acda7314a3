/*
 * Memory-access traces for `nestwalk sim`: valgrind lackey's
 * `--trace-mem=yes` text and the compact binary form stored traces use.
 *
 * A trace is held in memory in that binary encoding (a few bytes a
 * record), so that the simulator replays it at memory speed and the file
 * form is the same bytes behind a magic line. A record is one byte, the
 * kind in bits 1:0 and the size in bits 7:2 (0: a varint with the size
 * follows), then the zigzag varint of the address minus the previous
 * address of the same stream (instruction fetches, data accesses): code
 * and data each move by small steps, so most records take two or three
 * bytes before gzip.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "nw_internal.h"

/* The binary form's first bytes, after gzip (if any) is undone. */
static const char TRACE_MAGIC[] = "NWTRACE1\n";

struct nw_trace {
    unsigned char *buf;
    size_t len, cap;
    uint64_t prev[2]; /* the last address of each stream, for the deltas */
    uint64_t count;
};

nw_trace *nw_trace_new(void) { return calloc(1, sizeof(nw_trace)); }

void nw_trace_free(nw_trace *t)
{
    if (t)
        free(t->buf);
    free(t);
}

uint64_t nw_trace_count(const nw_trace *t) { return t->count; }

static void put_varint(nw_trace *t, uint64_t v)
{
    do {
        t->buf[t->len++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
}

int nw_trace_add(nw_trace *t, const nw_trace_rec *r)
{
    /* the longest record: a byte and two 10-byte varints */
    if (t->cap - t->len < 21) {
        size_t cap = t->cap ? 2 * t->cap : 1 << 16;
        unsigned char *b = realloc(t->buf, cap);
        if (!b)
            return -1;
        t->buf = b;
        t->cap = cap;
    }
    int stream = r->kind != NW_TR_INSTR;
    uint64_t d = r->addr - t->prev[stream];
    t->prev[stream] = r->addr;
    unsigned small = r->size < 64 ? r->size : 0;
    t->buf[t->len++] = (unsigned char)(r->kind | small << 2);
    if (!small)
        put_varint(t, r->size);
    put_varint(t, d << 1 ^ (uint64_t)-(int64_t)(d >> 63));
    t->count++;
    return 0;
}

void nw_trace_begin(const nw_trace *t, nw_trace_cursor *c)
{
    c->p = t->buf;
    c->end = t->buf ? t->buf + t->len : t->buf; /* an empty trace has no buffer */
    c->prev[0] = c->prev[1] = 0;
}

/* A varint at *p (below end): 0 and *v, or -1 when it is cut short or
   longer than 64 bits. */
static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p == end)
            return -1;
        unsigned char b = *(*p)++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return 0;
        }
    }
    return -1;
}

int nw_trace_next(nw_trace_cursor *c, nw_trace_rec *r)
{
    if (c->p == c->end)
        return 0;
    unsigned b = *c->p++;
    uint64_t size = b >> 2, z;
    if ((!size && get_varint(&c->p, c->end, &size)) || get_varint(&c->p, c->end, &z) ||
        !size || size > NW_TRACE_MAX_SIZE)
        return -1;
    r->kind = (int)(b & 3);
    r->size = (unsigned)size;
    int stream = r->kind != NW_TR_INSTR;
    c->prev[stream] += z >> 1 ^ (uint64_t)-(int64_t)(z & 1);
    r->addr = c->prev[stream];
    return 1;
}

int nw_lackey_parse(const char *line, nw_trace_rec *r, char *err, size_t len)
{
    static const char kinds[] = "ILSM";
    const char *p = line;
    /* valgrind's own lines (==PID== ...) and --log noise; blank lines */
    if (!strncmp(p, "==", 2) || !strncmp(p, "--", 2) || !p[strspn(p, " \t\r\n")])
        return 0;
    /* "I  04016d0,3" or " S 7ff000a08,8": the kind in column 0 or 1 */
    const char *k = p[0] == ' ' ? p + 1 : p;
    const char *at = *k ? strchr(kinds, *k) : NULL;
    if (!at || (k[1] != ' ') || (*k == 'I') != (k == p))
        return nw_fail(err, len, "not a lackey record: '%.40s'", line + strspn(line, " "));
    const char *a = k + 1 + strspn(k + 1, " ");
    char *end;
    errno = 0;
    unsigned long long addr = strtoull(a, &end, 16);
    if (end == a || *end != ',' || errno || (a[0] == '-'))
        return nw_fail(err, len, "malformed address in '%.40s'", line + strspn(line, " "));
    const char *s = end + 1;
    unsigned long size = strtoul(s, &end, 10);
    if (end == s || !(*end == 0 || *end == '\n' || *end == '\r') || !size || s[0] == '-')
        return nw_fail(err, len, "malformed size in '%.40s'", line + strspn(line, " "));
    if (size > NW_TRACE_MAX_SIZE)
        return nw_fail(err, len, "size %lu above %u in '%.40s'", size, NW_TRACE_MAX_SIZE,
                       line + strspn(line, " "));
    r->kind = (int)(at - kinds);
    r->addr = addr;
    r->size = (unsigned)size;
    return 1;
}

/* A gzread or gzgets that failed: the one-line reason. */
static int read_failed(gzFile f, const char *path, char *err, size_t len)
{
    int e;
    const char *why = gzerror(f, &e);
    return nw_fail(err, len, "%s: %s", path,
                   e == Z_ERRNO ? (errno == EISDIR ? "is a directory" : strerror(errno)) : why);
}

/* Reads a whole stream (after the magic) of binary records into t, those
   numbered skip .. skip + limit - 1. */
static int read_binary(nw_trace *t, gzFile f, const char *path, uint64_t skip, uint64_t limit,
                       char *err, size_t len)
{
    nw_trace raw = {0};
    unsigned char chunk[1 << 16];
    int n;
    while ((n = gzread(f, chunk, sizeof chunk)) > 0) {
        if (raw.cap - raw.len < (size_t)n) {
            size_t cap = raw.cap ? raw.cap : 1 << 16;
            while (cap - raw.len < (size_t)n)
                cap *= 2;
            unsigned char *b = realloc(raw.buf, cap);
            if (!b) {
                free(raw.buf);
                return nw_fail(err, len, "out of memory");
            }
            raw.buf = b;
            raw.cap = cap;
        }
        memcpy(raw.buf + raw.len, chunk, (size_t)n);
        raw.len += (size_t)n;
    }
    int bad = n < 0;
    nw_trace_cursor c;
    nw_trace_rec r;
    nw_trace_begin(&raw, &c);
    uint64_t i = 0;
    int got;
    while (!bad && !(i >= skip && i - skip >= limit) && (got = nw_trace_next(&c, &r)) != 0) {
        if (got < 0) {
            free(raw.buf);
            return nw_fail(err, len, "%s: binary trace damaged at record %llu", path,
                           (unsigned long long)i);
        }
        if (i >= skip && nw_trace_add(t, &r)) {
            free(raw.buf);
            return nw_fail(err, len, "out of memory");
        }
        i++;
    }
    free(raw.buf);
    return bad ? read_failed(f, path, err, len) : 0;
}

int nw_trace_read(nw_trace *t, const char *path, uint64_t skip, uint64_t limit, int progress,
                  char *err, size_t len)
{
    /* gzip or plain: zlib reads both */
    gzFile f = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(dup(0), "rb");
    if (!f)
        return nw_fail(err, len, "%s: %s", path, errno ? strerror(errno) : "cannot open");
    gzbuffer(f, 1 << 17);
    char line[256];
    int rc = 0, e;
    char *got_line = gzgets(f, line, sizeof line);
    if (got_line && !strcmp(line, TRACE_MAGIC)) {
        rc = read_binary(t, f, path, skip, limit, err, len);
        gzclose(f);
        return rc;
    }
    uint64_t i = 0;
    for (size_t lineno = 1; !rc && got_line;
         lineno++, got_line = gzgets(f, line, sizeof line)) {
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            /* valgrind's own lines quote the command line, of any length */
            if (!nw_lackey_parse(line, &(nw_trace_rec){0, 0, 0}, err, len)) {
                char rest[256];
                do
                    n = gzgets(f, rest, sizeof rest) ? strlen(rest) : 0;
                while (n == sizeof rest - 1 && rest[n - 1] != '\n');
                continue;
            }
            rc = nw_fail(err, len, "%s line %zu: line too long", path, lineno);
            break;
        }
        nw_trace_rec r;
        char msg[128];
        int got = nw_lackey_parse(line, &r, msg, sizeof msg);
        if (got < 0)
            rc = nw_fail(err, len, "%s line %zu: %s", path, lineno, msg);
        else if (got && i++ >= skip) {
            if (i - skip > limit)
                break;
            if (nw_trace_add(t, &r))
                rc = nw_fail(err, len, "out of memory");
        }
        if (progress && got > 0 && i % (1u << 22) == 0)
            fprintf(stderr, "\rsim: %llu records read, %llu kept", (unsigned long long)i,
                    (unsigned long long)t->count);
    }
    if (progress && i >= (1u << 22))
        fputc('\n', stderr);
    gzerror(f, &e);
    if (!rc && e < 0 && e != Z_BUF_ERROR)
        rc = read_failed(f, path, err, len);
    gzclose(f);
    return rc;
}

int nw_trace_write(const nw_trace *t, const char *path, char *err, size_t len)
{
    gzFile f = gzopen(path, "wb9");
    if (!f)
        return nw_fail(err, len, "%s: %s", path, errno ? strerror(errno) : "cannot create");
    int bad = gzputs(f, TRACE_MAGIC) < 0;
    for (size_t off = 0; !bad && off < t->len; off += 1u << 20) {
        size_t n = t->len - off < (1u << 20) ? t->len - off : 1u << 20;
        bad = gzwrite(f, t->buf + off, (unsigned)n) != (int)n;
    }
    bad |= gzclose(f) != Z_OK;
    return bad ? nw_fail(err, len, "%s: write failed", path) : 0;
}
