/*
 * The options of `nestwalk translate` (SPEC section 8), parsed into the
 * register writes they make, so that the command line and the RTL harness's
 * `make diff` read exactly the same options the same way.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nw_internal.h"

int nw_parse_hex(const char *s, uint64_t *v)
{
    const char *p = s;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    if (!*p || strlen(p) > 16)
        return -1;
    uint64_t x = 0;
    for (; *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            return -1;
        x = x << 4 | (uint64_t)d;
    }
    *v = x;
    return 0;
}

int nw_fail(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    /* a message is one line, whatever bytes a file name or an argument
       quoted in it holds */
    for (char *p = err; len && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return -1;
}

int nw_parse_va_line(const char *line, uint64_t *va, char *err, size_t len)
{
    const char *p = line + strspn(line, " \t");
    size_t n = strcspn(p, " \t\r\n#");
    const char *rest = p + n + strspn(p + n, " \t\r\n");
    if (*rest && *rest != '#')
        return nw_fail(err, len, "more than one address");
    if (!n)
        return 0;
    char tok[24];
    if (n >= sizeof tok)
        return nw_fail(err, len, "malformed address '%.*s'", (int)n, p);
    memcpy(tok, p, n);
    tok[n] = 0;
    if (nw_parse_hex(tok, va))
        return nw_fail(err, len, "malformed address '%s'", tok);
    return 1;
}

int nw_addrs_read(const char *path, int (*fn)(void *ctx, uint64_t va), void *ctx, char *err,
                  size_t len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f)
        return nw_fail(err, len, "%s: %s", path, strerror(errno));
    char *buf = NULL, msg[128];
    size_t cap = 0;
    int rc = 0, stop = 0;
    for (int line = 1; !rc && !stop && getline(&buf, &cap, f) >= 0; line++) {
        uint64_t va;
        int got = nw_parse_va_line(buf, &va, msg, sizeof msg);
        if (got < 0)
            rc = nw_fail(err, len, "%s line %d: %s", path, line, msg);
        else if (got)
            stop = fn(ctx, va);
    }
    if (!rc && !stop && ferror(f))
        rc = nw_fail(err, len, "%s: %s", path, strerror(errno));
    free(buf);
    if (f != stdin)
        fclose(f);
    return rc;
}

typedef struct {
    nw_options *o;
    size_t cap;
    char *err;
    size_t len;
    int gdmt, hdmt; /* DMT windows given so far */
} parser;

static int add_op(parser *p, unsigned addr, uint64_t value)
{
    nw_options *o = p->o;
    if (o->nops == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        nw_reg_op *ops = realloc(o->ops, cap * sizeof *ops);
        if (!ops)
            return nw_fail(p->err, p->len, "out of memory");
        o->ops = ops;
        p->cap = cap;
    }
    o->ops[o->nops].addr = addr;
    o->ops[o->nops++].value = value;
    return 0;
}

static int hex_op(parser *p, unsigned addr, const char *v, const char *opt)
{
    uint64_t x;
    if (nw_parse_hex(v, &x))
        return nw_fail(p->err, p->len, "malformed number '%s' for %s", v, opt);
    return add_op(p, addr, x);
}

/* Three hex numbers A:B:C into the registers reg, reg + 8, reg + 16 (a
 * segment's BASE:LIMIT:OFFSET, a DMT window's BASE:LIMIT:TEA), or with
 * `flag` also A:B:C:flag, which sets bit 0 of C. what: the form, for the
 * message. */
static int triple(parser *p, unsigned reg, const char *v, const char *opt, const char *flag,
                  const char *what)
{
    char buf[80];
    char *part[4] = {buf, NULL, NULL, NULL};
    int n = 1;
    if (strlen(v) >= sizeof buf)
        return nw_fail(p->err, p->len, "malformed value '%.40s...' for %s (want %s)", v, opt,
                       what);
    strcpy(buf, v);
    for (char *c = buf; (c = strchr(c, ':')) && n < 5; n++) {
        *c++ = 0;
        if (n < 4)
            part[n] = c;
    }
    int flagged = n == 4 && flag && !strcmp(part[3], flag);
    if (n != 3 && !flagged)
        return nw_fail(p->err, p->len, "malformed value '%s' for %s (want %s)", v, opt, what);
    for (int k = 0; k < 3; k++) {
        uint64_t x;
        if (nw_parse_hex(part[k], &x))
            return nw_fail(p->err, p->len, "malformed number '%s' for %s", part[k], opt);
        if (add_op(p, reg + 8 * (unsigned)k, x | (k == 2 && flagged)))
            return -1;
    }
    return 0;
}

/* --gdmt / --hdmt: the next of the guest's or the host's windows, in order. */
static int window(parser *p, int guest, const char *v, const char *opt)
{
    int *used = guest ? &p->gdmt : &p->hdmt;
    if (*used == (guest ? NW_REG_GDMT_WINDOWS : NW_REG_HDMT_WINDOWS))
        return nw_fail(p->err, p->len, "too many %s windows (at most %d)", opt,
                       guest ? NW_REG_GDMT_WINDOWS : NW_REG_HDMT_WINDOWS);
    int w = (*used)++;
    if (guest)
        return triple(p, NW_REG_GDMT_BASE(w), v, opt, "pv", "BASE:LIMIT:TEA[:pv]");
    return triple(p, NW_REG_HDMT_BASE(w), v, opt, NULL, "BASE:LIMIT:TEA");
}

/* PAGE[,PAGE...] into insert commands of one filter. */
static int pages(parser *p, unsigned reg, const char *v, const char *opt)
{
    const char *s = v;
    for (;;) {
        size_t n = strcspn(s, ",");
        char tok[24];
        if (n == 0 || n >= sizeof tok)
            return nw_fail(p->err, p->len, "malformed page list '%s' for %s", v, opt);
        memcpy(tok, s, n);
        tok[n] = 0;
        if (hex_op(p, reg, tok, opt))
            return -1;
        if (!s[n])
            return 0;
        s += n + 1;
    }
}

static const struct {
    const char *name;
    uint64_t ctrl;
} modes[] = {
    {"native", 0},
    {"nested", NW_CTRL_VIRT},
    {"shadow", NW_CTRL_VIRT | NW_CTRL_SHADOW_EN},
    {"agile", NW_CTRL_VIRT | NW_CTRL_SHADOW_EN},
    {"vmm-direct", NW_CTRL_VIRT | NW_CTRL_HSEG_EN},
    {"guest-direct", NW_CTRL_VIRT | NW_CTRL_GSEG_EN},
    {"dual-direct", NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN},
    {"dmt", NW_CTRL_GDMT_EN},
};

int nw_mode_ctrl(const char *name, uint64_t *ctrl)
{
    for (size_t k = 0; k < sizeof modes / sizeof *modes; k++)
        if (!strcmp(modes[k].name, name)) {
            *ctrl = modes[k].ctrl;
            return 0;
        }
    return -1;
}

/* Options that take a value, and the register each plain hex one writes. */
static const struct {
    const char *name;
    unsigned reg; /* 0: handled by name */
} valued[] = {
    {"--image", 0}, {"--mode", 0}, {"--ctrl", 0}, {"--levels", 0},
    {"--host-levels", 0}, {"--gseg", 0}, {"--hseg", 0}, {"--gescape", 0},
    {"--hescape", 0}, {"--access", 0}, {"--addrs", 0}, {"--flush-every", 0},
    {"--gdmt", 0}, {"--hdmt", 0},
    {"--gcr3", NW_REG_GCR3}, {"--hcr3", NW_REG_HCR3}, {"--scr3", NW_REG_SCR3},
    {"--gseg-attr", NW_REG_GSEG_ATTR}, {"--hseg-attr", NW_REG_HSEG_ATTR},
};

static const struct {
    const char *name;
    uint64_t ctrl;
} switches[] = {
    {"--nxe", NW_CTRL_NXE}, {"--wp", NW_CTRL_WP}, {"--smep", NW_CTRL_SMEP},
    {"--walk-caches", NW_CTRL_WC_EN},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int value_option(parser *p, const char *a, unsigned reg, const char *v,
                        uint64_t *ctrl, uint64_t *flags)
{
    nw_options *o = p->o;
    if (reg)
        return hex_op(p, reg, v, a);
    if (!strcmp(a, "--image")) {
        o->image = v;
    } else if (!strcmp(a, "--addrs")) {
        o->addrs = v;
    } else if (!strcmp(a, "--mode")) {
        if (nw_mode_ctrl(v, ctrl))
            return nw_fail(p->err, p->len, "unknown mode '%s' (native, nested, shadow, "
                           "agile, vmm-direct, guest-direct, dual-direct, dmt)", v);
    } else if (!strcmp(a, "--ctrl")) {
        if (nw_parse_hex(v, ctrl))
            return nw_fail(p->err, p->len, "malformed number '%s' for %s", v, a);
        if (*ctrl & ~(uint64_t)NW_CTRL_MASK(NW_FEAT_ALL))
            return nw_fail(p->err, p->len, "--ctrl 0x%llx sets bits with no meaning "
                           "(CTRL has bits 13:0)", (unsigned long long)*ctrl);
    } else if (!strcmp(a, "--flush-every")) {
        char *end;
        errno = 0;
        unsigned long n = v[0] >= '0' && v[0] <= '9' ? strtoul(v, &end, 10) : 0;
        if (!n || *end || errno)
            return nw_fail(p->err, p->len, "bad value '%s' for --flush-every (want a "
                           "decimal count of VAs, at least 1)", v);
        o->flush_every = n;
    } else if (!strcmp(a, "--levels") || !strcmp(a, "--host-levels")) {
        if (strcmp(v, "4") && strcmp(v, "5"))
            return nw_fail(p->err, p->len, "bad value '%s' for %s (want 4 or 5)", v, a);
        if (v[0] == '5')
            *flags |= a[2] == 'l' ? NW_CTRL_G5 : NW_CTRL_H5;
    } else if (!strcmp(a, "--gseg") || !strcmp(a, "--hseg")) {
        int g = a[2] == 'g';
        *flags |= g ? NW_CTRL_GSEG_EN : NW_CTRL_HSEG_EN;
        return triple(p, g ? NW_REG_GSEG_BASE : NW_REG_HSEG_BASE, v, a, NULL,
                      "BASE:LIMIT:OFFSET");
    } else if (!strcmp(a, "--gdmt")) {
        *flags |= NW_CTRL_GDMT_EN;
        return window(p, 1, v, a);
    } else if (!strcmp(a, "--hdmt")) {
        *flags |= NW_CTRL_HDMT_EN;
        return window(p, 0, v, a);
    } else if (!strcmp(a, "--gescape") || !strcmp(a, "--hescape")) {
        int g = a[2] == 'g';
        *flags |= g ? NW_CTRL_GFILT_EN : NW_CTRL_HFILT_EN;
        return pages(p, g ? NW_REG_GFILT_INSERT : NW_REG_HFILT_INSERT, v, a);
    } else { /* --access */
        static const char *const acc[] = {"read", "write", "fetch"};
        int k = 0;
        while (k < 3 && strcmp(acc[k], v))
            k++;
        if (k == 3)
            return nw_fail(p->err, p->len, "bad access '%s' (read, write or fetch)", v);
        o->access = k;
    }
    return 0;
}

int nw_options_parse(nw_options *o, int argc, char **argv, char *err, size_t len)
{
    memset(o, 0, sizeof *o);
    parser p = {o, 0, err, len, 0, 0};
    uint64_t ctrl = 0, flags = 0;
    /* the segments' permissions default to all allowed */
    if (add_op(&p, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U) ||
        add_op(&p, NW_REG_HSEG_ATTR, NW_PTE_W))
        goto bad;
    o->vas = malloc(((size_t)argc + 1) * sizeof *o->vas);
    if (!o->vas) {
        nw_fail(err, len, "out of memory");
        goto bad;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        size_t k;
        for (k = 0; k < COUNT(valued) && strcmp(a, valued[k].name); k++)
            ;
        if (k < COUNT(valued)) {
            if (i + 1 >= argc) {
                nw_fail(err, len, "option %s needs a value", a);
                goto bad;
            }
            if (value_option(&p, a, valued[k].reg, argv[++i], &ctrl, &flags))
                goto bad;
            continue;
        }
        for (k = 0; k < COUNT(switches) && strcmp(a, switches[k].name); k++)
            ;
        if (k < COUNT(switches))
            flags |= switches[k].ctrl;
        else if (!strcmp(a, "--user"))
            o->user = 1;
        else if (!strcmp(a, "--json"))
            o->json = 1;
        else if (a[0] == '-' && a[1]) {
            nw_fail(err, len, "unknown option '%s'", a);
            goto bad;
        } else if (nw_parse_hex(a, &o->vas[o->nvas++])) {
            nw_fail(err, len, "malformed number '%s' for VA", a);
            goto bad;
        }
    }
    if (!o->image) {
        nw_fail(err, len, "translate needs --image FILE");
        goto bad;
    }
    if (!o->nvas && !o->addrs) {
        nw_fail(err, len, "no addresses: give VAs or --addrs FILE");
        goto bad;
    }
    if (add_op(&p, NW_REG_CTRL, ctrl | flags))
        goto bad;
    return 0;
bad:
    nw_options_free(o);
    return -1;
}

void nw_options_free(nw_options *o)
{
    free(o->ops);
    free(o->vas);
    o->ops = NULL;
    o->vas = NULL;
    o->nops = o->nvas = 0;
}
