// Cycle driver of the lockstep harness (see nw_sim.h).
#include "nw_sim.h"

#include "nw_resp_fields.h"
#include "Vnw_walker.h"
#include "verilated.h"
#include "verilated_fst_c.h"

Stats g_stats;

static const unsigned BUSY_CYCLES = NW_REG_COUNTERS + 8 * NW_CNT_BUSY_CYCLES;

Sim::Sim(uint64_t seed, unsigned features, const Knobs &k, long trace_walk,
         const std::string &trace_path)
    : model(nw_new(features)), mem(nw_mem_new()), rng(seed), knobs(k),
      trace_walk_(trace_walk)
{
    ctx_ = new VerilatedContext;
    if (trace_walk_ >= 0)
        ctx_->traceEverOn(true);
    top_ = new Vnw_walker(ctx_);
    if (trace_walk_ >= 0) {
        tfp_ = new VerilatedFstC;
        top_->trace(tfp_, 99);
        tfp_->open(trace_path.c_str());
    }
    top_->rst_i = 1;
    for (int i = 0; i < 2; i++) {
        top_->clk_i = 0;
        top_->eval();
        top_->clk_i = 1;
        top_->eval();
    }
    top_->rst_i = 0;
}

Sim::~Sim()
{
    if (tfp_) {
        tfp_->close();
        delete tfp_;
    }
    top_->final();
    delete top_;
    delete ctx_;
    nw_mem_free(mem);
    nw_free(model);
}

// The model's reads, failing the one the walk injects an error into.
struct ReadCtx {
    nw_mem *mem;
    int n, inject;
};
static int model_read(void *c, uint64_t pa, uint64_t *data)
{
    ReadCtx *r = static_cast<ReadCtx *>(c);
    int err = nw_mem_read(r->mem, pa, data);
    return r->n++ == r->inject ? 1 : err;
}

void Sim::fail(const char *why)
{
    if (failed)
        return;
    failed = true;
    g_stats.failed++;
    printf("FAIL: %s (walk %ld, cycle %llu)\n", why, walk_no,
           (unsigned long long)cycle_);
}

void Sim::expect(bool ok, const char *what)
{
    if (failed)
        return;
    if (ok) {
        g_stats.passed++;
        return;
    }
    fail(what);
    printf("  expectation failed: %s\n", what);
    std::vector<uint64_t> none;
    dump_walk(last, none);
}

static const char *acc_name(int a)
{
    return a == NW_ACC_WRITE ? "write" : a == NW_ACC_FETCH ? "fetch" : "read";
}

static void print_result(const char *who, const nw_result &r, const uint64_t *reads,
                         size_t nreads)
{
    printf("  %-5s status=%s reason=%s level=%d pa=0x%llx size=%s w=%d u=%d xd=%d "
           "gpa=0x%llx gpt=%d pferr=0x%x refs=%d\n        reads:",
           who, nw_status_name(r.status), nw_reason_name(r.reason), r.level,
           (unsigned long long)r.pa, nw_size_name(r.size), r.w, r.u, r.xd,
           (unsigned long long)r.fault_gpa, r.gpt, r.pferr, r.refs);
    for (size_t i = 0; i < nreads; i++)
        printf(" %llx", (unsigned long long)reads[i]);
    printf("\n");
}

void Sim::dump_walk(const nw_result &rtl, const std::vector<uint64_t> &rtl_reads)
{
    printf("  request: va=0x%llx access=%s user=%d id=%u inject=%d\n",
           (unsigned long long)req_.va, acc_name(req_.access), req_.user, req_id_,
           inject_);
    printf("  config:");
    static const unsigned regs[] = {0x000, 0x008, 0x010, 0x018, 0x020, 0x028, 0x030,
                                    0x038, 0x040, 0x048, 0x050, 0x058, 0x080, 0x088,
                                    0x090, 0x098, 0x0a0, 0x0a8, 0x0b0, 0x0b8};
    for (unsigned a : regs)
        printf("%s[%03x]=%llx", a == 0x80 ? "\n         " : " ", a,
               (unsigned long long)nw_reg_read(model, a));
    printf("\n");
    print_result("model", exp_, exp_.reads, (size_t)exp_.refs);
    if (!rtl_reads.empty() || rtl.refs)
        print_result("rtl", rtl, rtl_reads.data(), rtl_reads.size());
}

nw_result Sim::resp_port(unsigned *id) const
{
    nw_result r{};
#define NW_RESP_FIELD(port, field) r.field = top_->port;
    NW_RESP_FIELDS(NW_RESP_FIELD)
#undef NW_RESP_FIELD
    *id = top_->resp_id_o;
    return r;
}

bool Sim::drive()
{
    Vnw_walker *t = top_;
    t->req_valid_i = req_pend_;
    t->req_va_i = req_.va;
    t->req_access_i = (uint8_t)req_.access;
    t->req_user_i = (uint8_t)req_.user;
    t->req_id_i = (uint8_t)req_id_;
    t->reg_valid_i = reg_pend_;
    t->reg_write_i = regop_.write;
    t->reg_addr_i = (uint16_t)regop_.addr;
    t->reg_wdata_i = regop_.data;
    bool stall = knobs.fixed_lat < 0;
    t->mem_req_ready_i = !(stall && rng.pct((unsigned)knobs.req_stall));
    t->resp_ready_i = !(stall && rng.pct((unsigned)knobs.resp_stall));
    bool resp_valid = mem_busy_ && cycle_ >= mem_due_;
    t->mem_resp_valid_i = resp_valid;
    // garbage on the data lines while nothing is valid
    t->mem_resp_data_i = resp_valid ? mem_data_ : rng.next();
    t->mem_resp_err_i = resp_valid ? mem_err_ : (rng.next() & 1);
    return resp_valid;
}

// The register port and the request port never both ready.
void Sim::check_ports()
{
    if (top_->reg_ready_o && active_)
        fail("register port ready during a walk");
    if (top_->req_ready_o && top_->reg_valid_i)
        fail("request ready while a register access is valid");
}

// One memory read outstanding, its address held until taken; returns the
// cycles the read has waited to be taken.
uint64_t Sim::check_mem_req(uint64_t addr, bool taken)
{
    if (mem_busy_)
        fail("a second memory read while one is outstanding");
    if (!active_)
        fail("a memory read outside a walk");
    if (!mreq_seen_) {
        mreq_seen_ = true;
        mreq_first_ = cycle_;
        mreq_addr_ = addr;
    } else if (mreq_addr_ != addr) {
        fail("memory request address changed before it was taken");
    }
    if (taken)
        mreq_seen_ = false;
    return cycle_ - mreq_first_;
}

// A response only inside a walk, its payload held while it waits.
void Sim::check_resp(const nw_result &r, unsigned id)
{
    if (!active_)
        fail("a response outside a walk");
    uint64_t sig = r.pa ^ (r.fault_gpa << 7) ^ ((uint64_t)r.status << 56) ^
                   ((uint64_t)r.refs << 50) ^ ((uint64_t)r.pferr << 44) ^
                   ((uint64_t)id << 36);
    if (resp_seen_ && sig != resp_sig_)
        fail("response payload changed before it was taken");
    resp_sig_ = sig;
}

// A read taken: its data (or a bus error, or the injected one) is valid
// after a random or fixed latency, which is returned.
int Sim::mem_take(uint64_t pa, bool inject)
{
    int lat = knobs.fixed_lat >= 0 ? knobs.fixed_lat
                                   : (int)rng.below((uint64_t)knobs.max_lat + 1);
    mem_err_ = nw_mem_read(mem, pa, &mem_data_) != 0 || inject;
    mem_busy_ = true;
    mem_due_ = cycle_ + 1 + (uint64_t)lat;
    return lat;
}

// A register access taken: a write goes to the model too, a read is
// compared with the model's.
void Sim::reg_taken()
{
    bool counter = (regop_.addr & 0xff8) >= NW_REG_COUNTERS &&
                   (regop_.addr & 0xff8) < NW_REG_COUNTERS + 8 * NW_NUM_COUNTERS;
    if (regop_.write) {
        nw_reg_write(model, regop_.addr, regop_.data);
        if (counter)
            busy_ = 0;
        return;
    }
    reg_rdata_ = top_->reg_rdata_o;
    // the model has no clock: the harness counts the busy cycles
    uint64_t want = (regop_.addr & 0xff8) == BUSY_CYCLES ? (uint32_t)busy_
                                                         : nw_reg_read(model, regop_.addr);
    if (reg_rdata_ == want) {
        g_stats.passed++;
    } else {
        fail("register read differs");
        printf("  read [%03x]: rtl 0x%llx model 0x%llx\n", regop_.addr,
               (unsigned long long)reg_rdata_, (unsigned long long)want);
    }
}

// A request taken: the model walks it now, on the same configuration.
void Sim::req_taken()
{
    active_ = true;
    resp_seen_ = false;
    accept_cycle_ = cycle_;
    reads_.clear();
    ReadCtx rc{mem, 0, inject_};
    nw_translate(model, &req_, model_read, &rc, &exp_);
    // LOOK, START, the response, two cycles (HLOOK, HOST) for each gPA
    // handed to the host dimension but a Dual Direct hit's with the host
    // filter off (answered in START), one a bit an escape filter reads
    // (START's first one to four for the guest filter, HESC's for the host
    // one: it answers at its first clear bit) and one (HOST's first) for
    // each host lookup; with the walk caches on, one more (GSEL, HSEL: a
    // cache's entry read) for the guest step and for each gPA handed over
    // but where the step waits for its filter; the reads add theirs as
    // they are taken
    uint64_t wc = (nw_reg_read(model, NW_REG_CTRL) & NW_CTRL_WC_EN) != 0;
    expect_cycles_ = 3 + 2 * (uint64_t)(exp_.gpas - exp_.dual) + (uint64_t)exp_.gfbits +
                     (uint64_t)exp_.hfilts + (uint64_t)exp_.hfbits +
                     wc * (1 - (uint64_t)exp_.gfilts + (uint64_t)(exp_.gpas - exp_.dual) -
                           (uint64_t)exp_.hfilts);
    last = exp_;
    walk_no++;
}

void Sim::read_taken(uint64_t pa, uint64_t waited, int lat)
{
    reads_.push_back(pa);
    // stall, latency, one cycle for the response, one to decode it (ENTRY),
    // one to the next read
    expect_cycles_ += waited + (uint64_t)lat + 3;
    if (reads_.size() > NW_MAX_READS)
        fail("more than NW_MAX_READS reads");
}

// The walk's latency when its response first shows, the whole response
// when it is taken.
void Sim::resp_valid(const nw_result &r, unsigned id, bool taken)
{
    if (!active_)
        return;
    if (!resp_seen_) {
        resp_seen_ = true;
        last_cycles = cycle_ - accept_cycle_;
        if (last_cycles != expect_cycles_) {
            fail("walk latency differs from the formula");
            printf("  response valid %llu cycles after the request, formula says %llu\n",
                   (unsigned long long)last_cycles, (unsigned long long)expect_cycles_);
        }
    }
    if (taken) {
        active_ = false;
        busy_ += cycle_ - accept_cycle_;
        compare(r, id);
    }
}

void Sim::compare(const nw_result &r, unsigned id)
{
    bool same = r.status == exp_.status && r.reason == exp_.reason &&
                r.level == exp_.level && r.pa == exp_.pa && r.size == exp_.size &&
                r.w == exp_.w && r.u == exp_.u && r.xd == exp_.xd &&
                r.fault_gpa == exp_.fault_gpa && r.gpt == exp_.gpt &&
                r.pferr == exp_.pferr && r.refs == exp_.refs &&
                reads_.size() == (size_t)exp_.refs && id == req_id_;
    for (size_t i = 0; same && i < reads_.size(); i++)
        same = reads_[i] == exp_.reads[i];
    g_stats.walks++;
    if (same) {
        g_stats.passed++;
        return;
    }
    fail(id != req_id_ ? "response id differs" : "RTL and model differ");
    dump_walk(r, reads_);
}

void Sim::step()
{
    Vnw_walker *t = top_;
    bool mem_resp_valid = drive();
    t->clk_i = 0;
    t->eval();
    bool tracing = tfp_ && walk_no >= trace_walk_ - 1;
    if (tracing)
        tfp_->dump(cycle_ * 10);

    check_ports();
    if (reg_pend_ && t->reg_ready_o) {
        reg_pend_ = false;
        reg_taken();
    }
    if (req_pend_ && t->req_ready_o) {
        req_pend_ = false;
        req_taken();
        if (tfp_ && walk_no >= trace_walk_ - 1)
            tracing = true;
    }
    if (t->mem_req_valid_o) {
        uint64_t pa = t->mem_req_addr_o;
        uint64_t waited = check_mem_req(pa, t->mem_req_ready_i);
        if (t->mem_req_ready_i) {
            int lat = mem_take(pa, (int)reads_.size() == inject_);
            read_taken(pa, waited, lat);
        }
    }
    if (mem_resp_valid && t->mem_resp_ready_o)
        mem_busy_ = false;
    if (t->resp_valid_o) {
        unsigned id;
        nw_result r = resp_port(&id);
        check_resp(r, id);
        resp_valid(r, id, t->resp_ready_i);
    }

    t->clk_i = 1;
    t->eval();
    if (tracing)
        tfp_->dump(cycle_ * 10 + 5);
    cycle_++;
    g_stats.cycles++;
}

uint64_t Sim::reg(const RegOp &op)
{
    if (failed)
        return 0;
    regop_ = op;
    reg_pend_ = true;
    for (int n = 0; reg_pend_ && !failed; n++) {
        step();
        if (n > 100)
            fail("register port hangs");
    }
    return reg_rdata_;
}

void Sim::idle(int n)
{
    for (int i = 0; i < n && !failed; i++)
        step();
}

bool Sim::walk(const nw_request &r, int inject, const RegOp *during)
{
    if (failed)
        return false;
    req_ = r;
    req_id_ = (unsigned)rng.below(256);
    inject_ = inject;
    req_pend_ = true;
    // a register access presented together with the request goes first
    if (during && rng.pct(30)) {
        regop_ = *during;
        reg_pend_ = true;
        during = nullptr;
    }
    for (int n = 0; (req_pend_ || active_ || reg_pend_) && !failed; n++) {
        step();
        if (during && active_) {
            regop_ = *during;
            reg_pend_ = true;
            during = nullptr;
        }
        if (n > 20000)
            fail("walk hangs");
    }
    if (failed && tfp_) {
        for (int i = 0; i < 3; i++)
            step();
        tfp_->flush();
    }
    return !failed;
}
