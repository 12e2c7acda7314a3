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
    # the cocotb top takes the walker's default parameters: every feature
    def __init__(self, dut, name, config=None):
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

    async def start(self, mem, axil=True):
        """Resets the DUT and starts the clock; axil=False leaves the
        register slave's inputs to the test (AxilPins) instead of
        cocotbext-axi's master, which drives them whenever it runs."""
        d = self.dut
        # the bus models run from their start until they see reset change
        # to asserted: make them first, then assert it
        self.ram = ImageRam(AxiReadBus.from_prefix(d, "m_axi"), d.aclk, d.aresetn, mem)
        if axil:
            self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(d, "s_axil"), d.aclk, d.aresetn,
                                      reset_active_level=False)
        else:
            for ch in ("aw", "w", "ar"):
                getattr(d, "s_axil_%svalid" % ch).value = 0
            for sig in ("awaddr", "awprot", "wdata", "wstrb", "araddr", "arprot",
                        "bready", "rready"):
                getattr(d, "s_axil_" + sig).value = 0
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
        # T = 3 + sum of (s_i + R_i + 2) + 2 (g - d) + b_g + f_h + b_h
        #     + c (1 - f_g + g - d - f_h): s_i from ARVALID to the AR
        # handshake, R_i from it to the R handshake, c = CTRL.WC_EN
        wc = 1 if self.model.reg_read(nw.REG["CTRL"]) & nw.CTRL["WC_EN"] else 0
        g_d = want["gpas"] - want["dual"]
        t = (3 + sum(r - first + 2 for (first, _, _), r in zip(reads, r_edges))
             + 2 * g_d + want["gfbits"] + want["hfilts"] + want["hfbits"]
             + wc * (1 - want["gfilts"] + g_d - want["hfilts"]))
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


class AxilPins:
    """The register slave driven pin by pin, for what cocotbext-axi's
    master does not do: AW and W at different edges, and a read and a
    write started at the same edge. A request carries the edge after which
    its VALID rises; it holds (with its payload) until the handshake. At
    every edge this records the handshakes and checks the slave's side of
    AXI: BVALID and RVALID, with RDATA, held until taken, BRESP and RRESP
    OKAY, and no response without a request."""

    CHANNELS = {"aw": ("awaddr",), "w": ("wdata", "wstrb"), "ar": ("araddr",)}

    def __init__(self, b, p_ready):
        self.b, self.d, self.rng, self.p = b, b.dut, b.rng, p_ready
        self.queue = {ch: [] for ch in self.CHANNELS}
        self.drv = {ch: None for ch in self.CHANNELS}     # the request on the pins
        self.taken = {ch: [] for ch in self.CHANNELS}     # (edge, request)
        self.bs = []                   # edge of each B handshake
        self.rs = []                   # (edge, RDATA) of each R handshake
        self.b_first = []              # edge BVALID was first seen, each B
        self.r_first = []
        self.bready = self.rready = 0
        self.b_wait = self.r_wait = None
        self.now = b.edge()
        cocotb.start_soon(self.run())

    async def run(self):
        d = self.d
        while True:
            await RisingEdge(d.aclk)
            e = self.now = self.b.edge()
            # the responses first, against the requests of earlier edges
            if int(d.s_axil_bvalid.value):
                assert int(d.s_axil_bresp.value) == AxiResp.OKAY
                writes = min(len(self.taken["aw"]), len(self.taken["w"]))
                assert len(self.bs) < writes, "B with no write outstanding (edge %d)" % e
                if self.b_wait is None:
                    self.b_wait = e
                    self.b_first.append(e)
                if self.bready:
                    self.bs.append(e)
                    self.b_wait = None
            else:
                assert self.b_wait is None, "BVALID dropped before BREADY (edge %d)" % e
            if int(d.s_axil_rvalid.value):
                assert int(d.s_axil_rresp.value) == AxiResp.OKAY
                assert len(self.rs) < len(self.taken["ar"]), "R with no read outstanding"
                data = int(d.s_axil_rdata.value)
                if self.r_wait is None:
                    self.r_wait = data
                    self.r_first.append(e)
                assert data == self.r_wait, "RDATA changed before RREADY (edge %d)" % e
                if self.rready:
                    self.rs.append((e, data))
                    self.r_wait = None
            else:
                assert self.r_wait is None, "RVALID dropped before RREADY (edge %d)" % e
            for ch, sigs in self.CHANNELS.items():
                if self.drv[ch] is not None and int(getattr(d, "s_axil_%sready" % ch).value):
                    self.taken[ch].append((e, self.drv[ch]))
                    self.drv[ch] = None
                q = self.queue[ch]
                if self.drv[ch] is None and q and q[0][0] <= e:
                    self.drv[ch] = q.pop(0)
                    for sig, v in zip(sigs, self.drv[ch][1:]):
                        getattr(d, "s_axil_" + sig).value = v
                getattr(d, "s_axil_%svalid" % ch).value = int(self.drv[ch] is not None)
            self.bready = int(self.rng.random() >= self.p)
            self.rready = int(self.rng.random() >= self.p)
            d.s_axil_bready.value = self.bready
            d.s_axil_rready.value = self.rready

    def later(self, n=2):
        """An edge n edges on: far enough that the requests queued for it are
        still ahead of the driver whichever of the two runs first at an edge."""
        return self.now + n

    def write(self, aw_at, w_at, addr, data, strb):
        self.queue["aw"].append((aw_at, addr))
        self.queue["w"].append((w_at, data, strb))

    def read(self, at, addr):
        self.queue["ar"].append((at, addr))

    async def wait(self, writes, reads):
        """Until writes B and reads R handshakes have been seen."""
        while len(self.bs) < writes or len(self.rs) < reads:
            await RisingEdge(self.d.aclk)

    async def write_word(self, addr, data, strb):
        """One write with the port idle; the model gets what the wrapper
        documents (strobed bytes merged into the read-back value; strobe 0:
        nothing). Returns the edges from the later of AW and W to BVALID."""
        n = len(self.bs)
        self.write(self.later(), self.later(), addr, data, strb)
        await self.wait(n + 1, len(self.rs))
        if strb:
            mask = strb_mask(strb)
            self.b.model.reg_write(addr, (self.b.model.reg_read(addr) & ~mask) | (data & mask))
        self.b.reg_accesses += 1
        return self.b_first[n] - max(self.taken["aw"][n][0], self.taken["w"][n][0])

    async def read_word(self, addr):
        """One read with the port idle: (RDATA, edges from AR to RVALID)."""
        n = len(self.rs)
        self.read(self.later(), addr)
        await self.wait(len(self.bs), n + 1)
        self.b.reg_accesses += 1
        return self.rs[n][1], self.r_first[n] - self.taken["ar"][n][0]

    async def check(self, addr):
        got, _ = await self.read_word(addr)
        want = self.b.model.reg_read(addr)
        assert got == want, "register 0x%x: AXI read 0x%x, model 0x%x" % (addr, got, want)


def strb_mask(strb):
    return sum(0xFF << 8 * i for i in range(8) if strb >> i & 1)


def random_strb(rng):
    """0, all ones, or a random pattern (holes included), each often."""
    return rng.choice((0, 0xFF, rng.randrange(1, 0xFF), rng.randrange(1, 0xFF)))


def plain_regs(b):
    """The registers that read back (part of) what was written and have no
    side effect: a write and a read of one of them show their order."""
    return [r["addr"] + 8 * k for r in nw.DEFS.data["reg"]
            for k in range(len(r.get("fields", ())) or r.get("words", 1))
            if all(str(x).startswith(("bits", "all")) for x in
                   (r["reads"] if isinstance(r["reads"], list) else [r["reads"]]))]


# the wrapper's latencies with the register port open (docs/RTL.md): from
# the handshake (the later of AW and W) to RVALID or BVALID; a read (and
# the read of a partial write) waits two cycles for its registered data
LAT_READ, LAT_WRITE, LAT_MERGE, LAT_NOWRITE = 5, 3, 6, 2


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


@cocotb.test()
async def axil_turns(dut):
    """A write (AW and W) and a read of the same register presented
    together, round after round, with BREADY and RREADY low half the time:
    AW and W at the same edge, AW up to 3 edges before W, or W before AW,
    and AR at the edge the write completes or one of the edges around it.
    The wrapper documents one access at a time, the earlier complete
    request first, and turns when both wait: the one that did not go last.
    The read's data tells which went first (the register before or after
    the write), and is asserted for every round; every register is read
    back at the end, and often after a round whose read went first.
    Between rounds a lone read or write (any strobe) moves the turn, and
    its latency is checked."""
    b = Bench(dut, "axil_turns")
    await b.start(nw.Mem(b.lib), axil=False)
    pins = AxilPins(b, 0.5)
    regs = plain_regs(b)
    rounds = 200
    last = "read"      # after reset the write goes first when both wait
    ties = {"read": 0, "write": 0}
    visible = 0
    for rnd in range(rounds):
        lone = b.rng.choice(("none", "read", "write"))
        if lone == "read":
            a = b.rng.choice(regs)
            got, lat = await pins.read_word(a)
            assert got == b.model.reg_read(a), "lone read 0x%x: 0x%x" % (a, got)
            assert lat == LAT_READ, "lone read: RVALID %d edges after AR" % lat
            last = "read"
        elif lone == "write":
            strb = random_strb(b.rng)
            lat = await pins.write_word(b.rng.choice(regs), b.rng.getrandbits(64), strb)
            want = LAT_WRITE if strb == 0xFF else LAT_NOWRITE if strb == 0 else LAT_MERGE
            assert lat == want, "lone write, WSTRB 0x%02x: BVALID %d edges after" % (strb, lat)
            last = "write"

        a = b.rng.choice(regs)
        data = b.rng.getrandbits(64)
        strb = b.rng.choice((0xFF, 0xFF, 0xFF, random_strb(b.rng)))
        pre = b.model.reg_read(a)
        if strb:
            mask = strb_mask(strb)
            b.model.reg_write(a, (pre & ~mask) | (data & mask))
        post = b.model.reg_read(a)
        k = b.rng.randrange(1, 4)
        t_aw, t_w = b.rng.choice(((0, 0), (0, k), (k, 0)))
        t_wr = max(t_aw, t_w)
        t_ar = t_wr if b.rng.random() < 0.6 else b.rng.randrange(0, k + 2)
        base = pins.later()
        nb, nr = len(pins.bs), len(pins.rs)
        nw_, nr_ = len(pins.taken["w"]), len(pins.taken["ar"])
        pins.write(base + t_aw, base + t_w, a, data, strb)
        pins.read(base + t_ar, a)
        await pins.wait(nb + 1, nr + 1)
        # every holding register was empty, so each VALID was taken at once
        for ch, t, n in (("aw", t_aw, nw_), ("w", t_w, nw_), ("ar", t_ar, nr_)):
            e = pins.taken[ch][n][0]
            assert e == base + t + 1, "round %d: %s taken at edge %d, presented after %d" % (
                rnd, ch.upper(), e, base + t)
        if t_wr != t_ar:
            first = "write" if t_wr < t_ar else "read"
        else:
            first = "write" if last == "read" else "read"
            ties[first] += 1
        got = pins.rs[nr][1]
        want = post if first == "write" else pre
        assert got == want, ("round %d: 0x%x, AW %d W %d AR %d, WSTRB 0x%02x, %s first: "
                             "read 0x%x, want 0x%x (before the write 0x%x, after 0x%x)" % (
                                 rnd, a, t_aw, t_w, t_ar, strb, first, got, want, pre, post))
        last = "read" if first == "write" else "write"
        visible += pre != post
        b.reg_accesses += 2
        if first == "read" and b.rng.random() < 0.5:
            # the read went first, so it did not show the write's value
            await pins.check(a)
            last = "read"
    # and every write landed, whatever the order
    for a in regs:
        await pins.check(a)
    assert min(ties.values()) >= 10, "turns taken when both waited: %s" % ties
    assert visible >= rounds // 2, "the order showed in only %d rounds" % visible
    dut._log.info("axil_turns: both waited in %d rounds (%s first)", sum(ties.values()), ties)
    b.record()


@cocotb.test()
async def axil_wstrb(dut):
    """WSTRB as the wrapper documents it: all ones writes the word, 0
    writes nothing, any other pattern (holes included) writes the
    register's read-back value with the strobed bytes replaced. On the
    plain registers every write is read back; on the command words the
    merged value is what acts: a filter insert through a strobe inserts the
    page made of the strobed bytes (the unstrobed ones read 0), FILT_CLEAR
    clears only when bit 0's byte is strobed, and a counter write through
    strobe 0 leaves the counters while any other clears them all."""
    b = Bench(dut, "axil_wstrb")
    mem = fixture_mem(b)
    await b.start(mem, axil=False)
    b.backpressure(0.3)
    pins = AxilPins(b, 0.3)
    regs = plain_regs(b)
    strbs = {}
    for _ in range(200):
        a = b.rng.choice(regs)
        strb = random_strb(b.rng)
        strbs[strb] = strbs.get(strb, 0) + 1
        await pins.write_word(a, b.rng.getrandbits(64), strb)
        await pins.check(a)
    assert strbs.get(0) and strbs.get(0xFF) and len(strbs) > 20, strbs

    filt = [nw.REG[f] + 8 * k for f in ("GFILT", "HFILT") for k in range(nw.REG_WORDS[f])]
    for f in filt:
        await pins.check(f)
    for _ in range(60):
        reg = nw.REG[b.rng.choice(("GFILT_INSERT", "HFILT_INSERT"))]
        strb = b.rng.choice((0, random_strb(b.rng)))
        await pins.write_word(reg, b.rng.getrandbits(64), strb)
    for f in filt:
        await pins.check(f)
    assert any(b.model.reg_read(f) for f in filt), "no filter bit set"
    # FILT_CLEAR: the merged value's bits 1:0 say what is cleared
    for data, strb in ((3, 0x00), (3, 0xFE), (3, 0x01)):
        before = [b.model.reg_read(f) for f in filt]
        await pins.write_word(nw.REG["FILT_CLEAR"], data, strb)
        after = [b.model.reg_read(f) for f in filt]
        assert (after == before) == (strb & 1 == 0), (strb, before, after)
        for f in filt:
            await pins.check(f)

    # counters: a few walks make them non-zero
    await pins.write_word(nw.REG["GCR3"], CR3, 0xFF)
    await pins.write_word(nw.REG["CTRL"], nw.CTRL["NXE"], 0xFF)
    lines = oracle(b)
    for line, va, pa, acc, user in pick(b, lines, 6):
        await b.walk(mem, va, acc, user)
    base = nw.REG["COUNTERS"]
    busy = base + 8 * nw.COUNTERS.index("BUSY_CYCLES")
    for data, strb in (((1 << 64) - 1, 0x00), (0, 0x10)):
        got, _ = await pins.read_word(busy)
        assert got > 0, "BUSY_CYCLES is 0 before the write"
        await pins.write_word(base + 8 * b.rng.randrange(len(nw.COUNTERS)), data, strb)
        got, _ = await pins.read_word(busy)
        assert (got == 0) == (strb != 0), "WSTRB 0x%02x: BUSY_CYCLES %d after" % (strb, got)
        for k, name in enumerate(nw.COUNTERS):
            if name != "BUSY_CYCLES":
                await pins.check(base + 8 * k)
        if strb == 0:
            assert b.model.reg_read(base) == b.walks, "WALKS is not the walks made"
        else:
            assert b.model.reg_read(base) == 0
        await b.walk(mem, va, acc, user)
    b.record()
