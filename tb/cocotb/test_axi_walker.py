"""cocotb bench of nw_axi_walker (through tb/cocotb/nw_axi_tb.v).

cocotbext-axi's AXI RAM holds the memory the C model walks (the Linux
fixture's page tables, and the host tables the model's builder makes for
the nested test), its AXI-Lite master writes and reads the registers, and
every translation is compared, field by field, with the model's (ctypes,
nestwalk.py), with the ordered addresses of the AXI reads and with the
walker's latency formula (docs/RTL.md) counted in AXI handshakes. ARREADY,
RVALID, BREADY, RREADY and the response's ready are randomly held back.

Run by tb/cocotb/run.py (`make cocotb`), which passes NW_LIB, NW_FIXTURE,
NW_WALKS and NW_STATS through the environment.
"""
import json
import os
import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import RisingEdge, Timer
from cocotb.utils import get_sim_time
from cocotbext.axi import AxiLiteBus, AxiLiteMaster, AxiReadBus, AxiResp
from cocotbext.axi.axi_ram import AxiRamRead

import nestwalk as nw

PERIOD_NS = 10
CR3 = 0x614C000                 # the fixture's CR3 (regs.txt)
HOST_OFF = 16 << 30             # nested: hPA = gPA + 16 GiB, as tb/nw_fixture.cpp
HOST_TABLES = 32 << 30          # where the builder puts the host tables
DECODED = 64 << 30              # the interconnect's window: DECERR above it
# the read's attributes the wrapper promises (rtl/nw_axi_walker.v)
AR_ATTRS = {"arlen": 0, "arsize": 3, "arburst": 1, "arlock": 0, "arcache": 0b0011,
            "arprot": 0b011, "arid": 0}
ST = nw.ENC["status"]
SIZES = nw.ENC["size"]


class ImageRam(AxiRamRead):
    """The AXI RAM with the model's memory in it: a page the model has
    reads as data, any other page in the decoded window answers SLVERR (the
    model's bus error of a read outside the image), an address above it
    DECERR."""

    def __init__(self, bus, clock, reset, mem):
        super().__init__(bus, clock, reset, reset_active_level=False, size=DECODED)
        self.pages = set()
        for pa, data in mem.pages():
            self.write(pa, data)
            self.pages.add(pa >> 12)
        self._decerr = False
        self.sent = {AxiResp.OKAY: 0, AxiResp.SLVERR: 0, AxiResp.DECERR: 0}
        send = self.r_channel.send

        async def send_resp(r):
            if self._decerr and r.rresp == AxiResp.SLVERR:
                r.rresp = AxiResp.DECERR
            self._decerr = False
            self.sent[AxiResp(int(r.rresp))] += 1
            await send(r)
        self.r_channel.send = send_resp

    async def _read(self, address, length):
        if address >= DECODED:
            self._decerr = True
            raise nw.ModelError("no slave at 0x%x" % address)
        if address >> 12 not in self.pages:
            raise nw.ModelError("no memory at 0x%x" % address)
        return self.read(address, length)


def pauses(rng, p):
    while True:
        yield rng.random() < p


class Bench:
    def __init__(self, dut, name, config="full"):
        self.dut = dut
        self.rng = random.Random("%s-%d" % (name, cocotb.RANDOM_SEED))
        self.lib = nw.load(os.environ["NW_LIB"])
        self.fixture = os.environ["NW_FIXTURE"]
        self.model = nw.Walker(self.lib, nw.features(config))
        self.name = name
        self.walks = 0
        self.reg_accesses = 0
        self.reads = []        # [(edge ARVALID first seen, AR edge, addr)]
        self.r_edges = []      # edge of each R handshake
        self.ram = None

    def edge(self):
        return int(get_sim_time("ns")) // PERIOD_NS

    async def start(self, mem):
        d = self.dut
        # the bus models run from their start until they see reset change
        # to asserted: make them first, then assert it
        self.ram = ImageRam(AxiReadBus.from_prefix(d, "m_axi"), d.aclk, d.aresetn, mem)
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(d, "s_axil"), d.aclk, d.aresetn,
                                  reset_active_level=False)
        d.aresetn.value = 1
        await Timer(1, "ns")
        d.aresetn.value = 0
        d.req_valid_i.value = 0
        d.resp_ready_i.value = 0
        d.req_va_i.value = 0
        d.req_access_i.value = 0
        d.req_user_i.value = 0
        d.req_id_i.value = 0
        await Timer(1, "ns")
        cocotb.start_soon(Clock(d.aclk, PERIOD_NS, unit="ns", impl="gpi").start())
        # the AXI VALIDs are low from the start of reset, the stream's
        # from the first edge in it (a synchronous reset)
        for i in range(5):
            await RisingEdge(d.aclk)
            for s in ("m_axi_arvalid", "s_axil_bvalid", "s_axil_rvalid") + (
                    ("resp_valid_o",) if i else ()):
                assert str(getattr(d, s).value) == "0", "%s is %s in reset" % (
                    s, getattr(d, s).value)
        d.aresetn.value = 1
        await RisingEdge(d.aclk)
        cocotb.start_soon(self.monitor())

    def backpressure(self, p_mem, p_reg=0.0):
        """ARREADY and RVALID low in p_mem of the cycles; BREADY and RREADY
        of the register port in p_reg (each generator costs simulation
        speed: the register test has those)."""
        self.ram.ar_channel.set_pause_generator(pauses(self.rng, p_mem))
        self.ram.r_channel.set_pause_generator(pauses(self.rng, p_mem))
        if p_reg:
            self.axil.write_if.b_channel.set_pause_generator(pauses(self.rng, p_reg))
            self.axil.read_if.r_channel.set_pause_generator(pauses(self.rng, p_reg))

    async def monitor(self):
        """Every AR and R handshake of the memory master, checked against
        the AXI rules the wrapper promises: one read outstanding, one beat,
        ARVALID held with its address until taken, aligned."""
        d = self.dut
        held = None            # (first edge, addr) of an ARVALID not yet taken
        outstanding = 0
        while True:
            await RisingEdge(d.aclk)
            e = self.edge()
            if int(d.m_axi_arvalid.value):
                addr = int(d.m_axi_araddr.value)
                if held is None:
                    assert outstanding == 0, "AR while a read is outstanding"
                    held = (e, addr)
                assert addr == held[1], "ARADDR changed before ARREADY"
                if int(d.m_axi_arready.value):
                    for k, v in AR_ATTRS.items():
                        assert int(getattr(d, "m_axi_" + k).value) == v, \
                            "%s = %s" % (k, getattr(d, "m_axi_" + k).value)
                    assert addr % 8 == 0, "unaligned read 0x%x" % addr
                    self.reads.append((held[0], e, addr))
                    outstanding += 1
                    held = None
            else:
                assert held is None, "ARVALID dropped before ARREADY"
            if int(d.m_axi_rvalid.value) and int(d.m_axi_rready.value):
                assert outstanding == 1, "R with no read outstanding"
                assert int(d.m_axi_rlast.value) == 1
                outstanding -= 1
                self.r_edges.append(e)

    # ---- registers: the same write to the model and over AXI-Lite
    async def reg_write(self, addr, value):
        self.model.reg_write(addr, value)
        r = await self.axil.write(addr, value.to_bytes(8, "little"))
        assert r.resp == AxiResp.OKAY, "write 0x%x: %s" % (addr, r.resp)
        self.reg_accesses += 1

    async def reg_check(self, addr, offset=0, length=8):
        r = await self.axil.read(addr + offset, length)
        assert r.resp == AxiResp.OKAY, "read 0x%x: %s" % (addr, r.resp)
        want = self.model.reg_read(addr).to_bytes(8, "little")[offset:offset + length]
        assert r.data == want, "register 0x%x: AXI read %s, model %s" % (
            addr + offset, r.data.hex(), want.hex())
        self.reg_accesses += 1

    async def counters_check(self):
        base = nw.REG["COUNTERS"]
        for k, name in enumerate(nw.COUNTERS):
            if name == "BUSY_CYCLES":   # the model has no clock
                r = await self.axil.read(base + 8 * k, 8)
                assert int.from_bytes(r.data, "little") > 0 or self.walks == 0
                continue
            await self.reg_check(base + 8 * k)

    # ---- one walk, compared with the model
    async def walk(self, mem, va, access, user, p_resp=0.3):
        d = self.dut
        rid = self.rng.randrange(256)
        want = self.model.translate(mem, va, access, user)
        n0, r0 = len(self.reads), len(self.r_edges)
        d.req_va_i.value = va
        d.req_access_i.value = access
        d.req_user_i.value = user
        d.req_id_i.value = rid
        d.req_valid_i.value = 1
        while True:
            await RisingEdge(d.aclk)
            if int(d.req_ready_o.value):
                break
        t0 = self.edge()
        d.req_valid_i.value = 0
        t_valid = None
        while True:
            ready = self.rng.random() >= p_resp
            d.resp_ready_i.value = int(ready)
            await RisingEdge(d.aclk)
            if int(d.resp_valid_o.value):
                if t_valid is None:
                    t_valid = self.edge()
                if ready:
                    break
        got = {f: int(getattr(d, port).value) for port, f in nw.RESP_FIELDS}
        got_id = int(d.resp_id_o.value)
        d.resp_ready_i.value = 0
        reads = self.reads[n0:]
        r_edges = self.r_edges[r0:]
        what = "va 0x%x access %d user %d" % (va, access, user)
        diffs = ["%s: RTL 0x%x model 0x%x" % (f, got[f], want[f])
                 for _, f in nw.RESP_FIELDS if got[f] != want[f]]
        assert not diffs, "%s: %s" % (what, "; ".join(diffs))
        assert got_id == rid, "%s: id %d, sent %d" % (what, got_id, rid)
        addrs = [a for _, _, a in reads]
        assert addrs == want["reads"], "%s: AXI reads %s, model %s" % (
            what, [hex(a) for a in addrs], [hex(a) for a in want["reads"]])
        # T = 3 + sum of (s_i + R_i + 2) + 2 g: s_i from ARVALID to the AR
        # handshake, R_i from it to the R handshake
        t = 3 + sum(r - first + 2 for (first, _, _), r in zip(reads, r_edges)) + 2 * want["gpas"]
        assert t_valid - t0 == t, "%s: response valid after %d cycles, formula %d" % (
            what, t_valid - t0, t)
        self.walks += 1
        return want

    def record(self):
        path = os.environ.get("NW_STATS")
        if path:
            with open(path, "a") as f:
                f.write(json.dumps({"test": self.name, "walks": self.walks,
                                    "reg_accesses": self.reg_accesses,
                                    "reads": len(self.reads)}) + "\n")
        self.dut._log.info("%s: %d walks and %d register accesses checked against the model",
                           self.name, self.walks, self.reg_accesses)


def fixture_mem(b):
    mem = nw.Mem(b.lib)
    mem.load(os.path.join(b.fixture, "pagetables.elf"))
    return mem


def oracle(b):
    return nw.tlb_load(b.lib, os.path.join(b.fixture, "qemu-info-tlb.txt.gz"))


def pick(b, lines, n):
    """n oracle pages evenly over the 74,019, each at a random offset, with
    a random access and privilege."""
    step = max(1, len(lines) // n)
    for i in range(0, min(n * step, len(lines)), step):
        va, pa, size, w, u, xd = lines[i]
        off = b.rng.getrandbits(21 if size == SIZES["2M"] else 12)
        yield lines[i], va + off, pa + off, b.rng.randrange(4), b.rng.randrange(2)


@cocotb.test()
async def registers(dut):
    """Every word of the 4 KiB register space written and read back over
    AXI-Lite (unmapped words read 0 with OKAY), reads at unaligned
    addresses, and writes of part of a word (WSTRB not all ones)."""
    b = Bench(dut, "registers")
    await b.start(nw.Mem(b.lib))
    b.backpressure(0.3, 0.4)
    words = list(range(0, 0x1000, 8))
    b.rng.shuffle(words)
    for a in words:
        await b.reg_write(a, b.rng.getrandbits(64))
    b.rng.shuffle(words)
    for a in words:
        await b.reg_check(a)
    regs = [r["addr"] + 8 * k for r in nw.DEFS.data["reg"]
            for k in range(r.get("words", 1))]
    for _ in range(60):
        a = b.rng.choice(regs)
        off = b.rng.randrange(8)
        n = b.rng.randrange(1, 9 - off)
        data = b.rng.getrandbits(8 * n)
        mask = ((1 << 8 * n) - 1) << 8 * off
        merged = (b.model.reg_read(a) & ~mask) | (data << 8 * off)
        b.model.reg_write(a, merged)
        r = await b.axil.write(a + off, data.to_bytes(n, "little"))
        assert r.resp == AxiResp.OKAY
        b.reg_accesses += 1
        await b.reg_check(a)
        await b.reg_check(a, b.rng.randrange(8), 1)
    b.record()


@cocotb.test()
async def fixture_native(dut):
    """QEMU's pages of the Linux fixture, walked natively from the RAM,
    with random offsets, accesses, privilege and CTRL (NXE, WP, SMEP), and
    random canonical and non-canonical addresses; ok walks also agree with
    QEMU."""
    b = Bench(dut, "fixture_native")
    mem = fixture_mem(b)
    await b.start(mem)
    b.backpressure(0.35)
    await b.reg_write(nw.REG["GCR3"], CR3)
    ctrl = nw.CTRL["NXE"] | nw.CTRL["WP"]
    await b.reg_write(nw.REG["CTRL"], ctrl)
    lines = oracle(b)
    assert len(lines) == 74019, "fixture has %d oracle lines" % len(lines)
    n = int(os.environ.get("NW_WALKS", "600"))
    agreed = 0
    for i, (line, va, pa, acc, user) in enumerate(pick(b, lines, n)):
        if i % 50 == 49:
            ctrl = nw.CTRL["NXE"] * (b.rng.random() < 0.8) | \
                nw.CTRL["WP"] * b.rng.randrange(2) | nw.CTRL["SMEP"] * b.rng.randrange(2)
            await b.reg_write(nw.REG["CTRL"], ctrl)
        r = await b.walk(mem, va, acc, user)
        if r["status"] == ST["OK"]:
            assert r["pa"] == pa and r["size"] == line[2], \
                "va 0x%x: pa 0x%x, QEMU 0x%x" % (va, r["pa"], pa)
            agreed += 1
        if i % 8 == 0:
            # anywhere: mostly not-present, some non-canonical
            va = b.rng.getrandbits(48)
            if va >> 47:
                va |= 0xFFFF << 48
            if b.rng.random() < 0.3:
                va ^= 1 << b.rng.randrange(48, 64)
            await b.walk(mem, va, b.rng.randrange(4), b.rng.randrange(2))
    # most of the kernel's pages fault for a user access or a write
    assert agreed > n // 10, "only %d walks agreed with QEMU" % agreed
    await b.counters_check()
    b.record()


@cocotb.test()
async def fixture_nested(dut):
    """The fixture's guest under a host table the model's builder makes
    (gPA + 16 GiB; 4K host pages below 64 MiB, 2M above): 24-read walks."""
    b = Bench(dut, "fixture_nested")
    gmem = fixture_mem(b)
    mem = nw.Mem(b.lib)
    mem.copy_from(gmem, HOST_OFF)
    tb = nw.Builder(mem, HOST_TABLES, HOST_TABLES + (64 << 20))
    hcr3 = tb.page()
    flags = nw.PTE_W | nw.PTE_U
    for p in range(0, 64 << 20, 4096):
        tb.map(hcr3, 4, p, p + HOST_OFF, SIZES["4K"], flags)
    for p in range(64 << 20, 256 << 20, 2 << 20):
        tb.map(hcr3, 4, p, p + HOST_OFF, SIZES["2M"], flags)
    await b.start(mem)
    b.backpressure(0.3)
    await b.reg_write(nw.REG["GCR3"], CR3)
    await b.reg_write(nw.REG["HCR3"], hcr3)
    await b.reg_write(nw.REG["CTRL"], nw.CTRL["VIRT"] | nw.CTRL["NXE"] | nw.CTRL["WP"])
    lines = oracle(b)
    n = max(1, int(os.environ.get("NW_WALKS", "600")) // 4)
    for line, va, pa, acc, user in pick(b, lines, n):
        r = await b.walk(mem, va, acc, user, p_resp=0.2)
        if r["status"] == ST["OK"]:
            assert r["pa"] == pa + HOST_OFF, "va 0x%x: hPA 0x%x, QEMU gPA 0x%x" % (
                va, r["pa"], pa)
    await b.counters_check()
    b.record()


@cocotb.test()
async def bus_errors(dut):
    """SLVERR and DECERR on a read are the walker's bus error: roots outside
    the image (SLVERR), beyond the decoded window (DECERR), every table
    page of the image used as the root (its entries lead out of the image
    at every level), and a nested walk whose host root is missing."""
    b = Bench(dut, "bus_errors")
    mem = fixture_mem(b)
    await b.start(mem)
    b.backpressure(0.3)
    await b.reg_write(nw.REG["CTRL"], nw.CTRL["NXE"])
    seen = {}
    roots = [0x1000000, DECODED, DECODED + (5 << 30), (1 << 52) - 4096]
    roots += sorted(p << 12 for p in b.ram.pages)
    for root in roots:
        await b.reg_write(nw.REG["GCR3"], root)
        va = b.rng.getrandbits(47)
        r = await b.walk(mem, va, b.rng.randrange(4), b.rng.randrange(2))
        seen[r["status"]] = seen.get(r["status"], 0) + 1
    await b.reg_write(nw.REG["GCR3"], CR3)
    await b.reg_write(nw.REG["HCR3"], 0x1000000)
    await b.reg_write(nw.REG["CTRL"], nw.CTRL["VIRT"] | nw.CTRL["NXE"])
    r = await b.walk(mem, 0x400000, 0, 1)
    assert r["status"] == ST["BUS_ERROR"]
    assert seen.get(ST["BUS_ERROR"], 0) >= 8, seen
    assert b.ram.sent[AxiResp.SLVERR] > 0 and b.ram.sent[AxiResp.DECERR] > 0, b.ram.sent
    await b.counters_check()
    b.record()
