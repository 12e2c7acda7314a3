"""A small ctypes binding of libnestwalk, the C golden model (model/nestwalk.h),
for the cocotb bench: the walker, its memory, the image loader, the page-table
builder and QEMU's `info tlb` reader. Register addresses, CTRL bits and
encodings come from defs/nestwalk.toml (scripts/nwdefs.py), as every other
user of them takes them.

    lib = load("build/libnestwalk.so")
    mem = Mem(lib); mem.load(".../pagetables.elf")
    w = Walker(lib, features); w.reg_write(REG["GCR3"], 0x614c000)
    r = w.translate(mem, va, access, user)   # a dict of nw_result's fields
"""
import ctypes as C
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import nwdefs  # noqa: E402

DEFS = nwdefs.load()
_d = DEFS.data
REG = {r["name"]: r["addr"] for r in _d["reg"]}
REG_WORDS = {r["name"]: r.get("words", 1) for r in _d["reg"]}
CTRL = {c["name"]: 1 << c["bit"] for c in _d["ctrl"]}
COUNTERS = [c["name"] for c in _d["counter"]]
ENC = {k: {n: i for i, n in enumerate(v["values"])} for k, v in _d["enc"].items()}
# the response ports and the nw_result field each carries (the lockstep
# harness compares the same pairs: tb/nw_resp_fields.h)
RESP_FIELDS = [(p["name"], p["result"]) for p in _d["port"] if "result" in p]
MAX_READS = 48                  # NW_MAX_READS
PTE_W, PTE_U = 1 << 1, 1 << 2   # NW_PTE_W, NW_PTE_U
PAGE_WORDS = 512


def features(config=None):
    """The model's feature mask of a configuration of defs/nestwalk.toml;
    without one, every feature the RTL has (its default parameters)."""
    if config is None:
        return sum(1 << f["bit"] for f in DEFS.rtl_features)
    return DEFS.mask(config)


class Request(C.Structure):
    _fields_ = [("va", C.c_uint64), ("access", C.c_int), ("user", C.c_int)]


class Result(C.Structure):
    _fields_ = [("status", C.c_int), ("reason", C.c_int), ("level", C.c_int),
                ("pa", C.c_uint64), ("size", C.c_int),
                ("w", C.c_int), ("u", C.c_int), ("xd", C.c_int),
                ("fault_gpa", C.c_uint64), ("gpt", C.c_int), ("pferr", C.c_uint),
                ("refs", C.c_int), ("gpas", C.c_int), ("gfilts", C.c_int), ("hfilts", C.c_int),
                ("gfbits", C.c_int), ("hfbits", C.c_int), ("dual", C.c_int),
                ("reads", C.c_uint64 * MAX_READS)]


class Alloc(C.Structure):
    _fields_ = [("mem", C.c_void_p), ("next", C.c_uint64), ("end", C.c_uint64)]


class TlbLine(C.Structure):
    _fields_ = [("va", C.c_uint64), ("pa", C.c_uint64), ("size", C.c_int),
                ("w", C.c_int), ("u", C.c_int), ("xd", C.c_int)]


READ_FN = C.CFUNCTYPE(C.c_int, C.c_void_p, C.c_uint64, C.POINTER(C.c_uint64))
PAGE_FN = C.CFUNCTYPE(None, C.c_void_p, C.c_uint64, C.POINTER(C.c_uint64))


class ModelError(Exception):
    pass


def load(path):
    lib = C.CDLL(path)
    sig = {
        "nw_new": (C.c_void_p, [C.c_uint]),
        "nw_free": (None, [C.c_void_p]),
        "nw_reg_write": (None, [C.c_void_p, C.c_uint, C.c_uint64]),
        "nw_reg_read": (C.c_uint64, [C.c_void_p, C.c_uint]),
        "nw_translate": (None, [C.c_void_p, C.POINTER(Request), READ_FN, C.c_void_p,
                                C.POINTER(Result)]),
        "nw_mem_new": (C.c_void_p, []),
        "nw_mem_free": (None, [C.c_void_p]),
        "nw_mem_write": (None, [C.c_void_p, C.c_uint64, C.c_uint64]),
        "nw_mem_load": (C.c_int, [C.c_void_p, C.c_char_p, C.c_char_p, C.c_size_t]),
        "nw_mem_copy": (None, [C.c_void_p, C.c_void_p, C.c_uint64]),
        "nw_mem_foreach": (None, [C.c_void_p, PAGE_FN, C.c_void_p]),
        "nw_pt_map": (C.c_int, [C.POINTER(Alloc), C.c_uint64, C.c_int, C.c_uint64,
                                C.c_uint64, C.c_int, C.c_uint64]),
        "nw_alloc_page": (C.c_uint64, [C.POINTER(Alloc)]),
        "nw_tlb_load": (C.c_int, [C.c_char_p, C.POINTER(C.POINTER(TlbLine)),
                                  C.POINTER(C.c_size_t), C.c_char_p, C.c_size_t]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    # the model's own memory reader, handed to nw_translate as it is, so a
    # walk calls no Python
    lib.read_fn = READ_FN(C.cast(lib.nw_mem_read, C.c_void_p).value)
    lib.libc = C.CDLL(None)
    lib.libc.free.argtypes = [C.c_void_p]
    return lib


class Mem:
    """An nw_mem: images and written pages; reads elsewhere are bus errors."""

    def __init__(self, lib):
        self.lib = lib
        self.p = lib.nw_mem_new()

    def __del__(self):
        if getattr(self, "p", None):
            self.lib.nw_mem_free(self.p)
            self.p = None

    def load(self, path):
        err = C.create_string_buffer(256)
        if self.lib.nw_mem_load(self.p, path.encode(), err, len(err)):
            raise ModelError(err.value.decode())

    def write(self, pa, value):
        self.lib.nw_mem_write(self.p, pa, value)

    def copy_from(self, src, offset):
        self.lib.nw_mem_copy(self.p, src.p, offset)

    def pages(self):
        """[(pa, bytes of the 4 KiB page)] of every readable page."""
        out = []

        def one(_ctx, pa, words):
            out.append((pa, C.string_at(words, PAGE_WORDS * 8)))
        self.lib.nw_mem_foreach(self.p, PAGE_FN(one), None)
        return out


class Builder:
    """The model's page-table builder over [base, end) of a memory."""

    def __init__(self, mem, base, end):
        self.mem = mem
        self.a = Alloc(mem.p, base, end)

    def page(self):
        pa = self.mem.lib.nw_alloc_page(C.byref(self.a))
        if not pa:
            raise ModelError("builder: table space exhausted")
        return pa

    def map(self, root, levels, va, pa, size, flags):
        if self.mem.lib.nw_pt_map(C.byref(self.a), root, levels, va, pa, size, flags):
            raise ModelError("builder: cannot map 0x%x" % va)


class Walker:
    def __init__(self, lib, feats):
        self.lib = lib
        self.p = lib.nw_new(feats)

    def __del__(self):
        if getattr(self, "p", None):
            self.lib.nw_free(self.p)
            self.p = None

    def reg_write(self, addr, value):
        self.lib.nw_reg_write(self.p, addr, value)

    def reg_read(self, addr):
        return self.lib.nw_reg_read(self.p, addr)

    def translate(self, mem, va, access, user):
        req = Request(va, access, user)
        res = Result()
        self.lib.nw_translate(self.p, C.byref(req), self.lib.read_fn, mem.p, C.byref(res))
        r = {f: getattr(res, f) for f, _ in Result._fields_ if f != "reads"}
        r["reads"] = list(res.reads[:res.refs])
        return r


def tlb_load(lib, path):
    """QEMU's `info tlb` lines: [(va, pa, size, w, u, xd)]."""
    lines = C.POINTER(TlbLine)()
    n = C.c_size_t()
    err = C.create_string_buffer(256)
    if lib.nw_tlb_load(path.encode(), C.byref(lines), C.byref(n), err, len(err)):
        raise ModelError(err.value.decode())
    out = [(l.va, l.pa, l.size, l.w, l.u, l.xd) for l in lines[:n.value]]
    lib.libc.free(lines)
    return out
