// nw_walk_fsm: the walk state machine. Takes one request, walks the guest
// (or shadow) dimension and, when virtualized, the host dimension of every
// guest table address and of the final gPA, one memory read at a time in
// the SPEC's order, and answers with the result.
//
// Where a walk is: the control state (IDLE, LOOK, START, HLOOK, HESC,
// HOST, MREQ, MRESP, ENTRY, RESP) says what the walker is
// doing; the stage says whose entry the outstanding read fetches, or (in
// HLOOK and HOST) whose gPA the host dimension takes:
//   STG_GUEST    a guest or shadow table entry, read at its hPA (or PA);
//   STG_HOST_GPT a host table entry, translating a guest table entry's gPA;
//   STG_HOST_GPA a host table entry, translating the final gPA.
//
// Each dimension, in the SPEC's order: its segment (and escape filter),
// its DMT window (a level-1 entry read by arithmetic; not present: the
// walk), then the walk, from the deepest walk-cache hit or from the root
// (the host: its NTLB first, a whole translation with no read).
//
// Timing: every step starts at flops. The request is registered as it is
// (its ports feed flip-flops, the guest filter's hash and the guest
// segment's translation, registered while idle), LOOK registers its guest
// segment, DMT window and guest PSC answers, and the host segment's for
// that translation, START acts on them (and answers a Dual Direct hit
// whose host filter is off); every memory response is registered and
// ENTRY decodes it, so the next read or the response is presented in the
// cycle after ENTRY; a gPA handed to the host dimension is registered, HLOOK
// registers its host segment, DMT window, NTLB and host PSC answers and
// hashes it for the host filter, and HOST acts on them (a walk cache's
// answer is its slot; the entry is read out of it there). So no cycle
// holds the memory data, the entry decode and the host segment compare
// and filter lookup together, nor a compare and the decision it feeds.
// Each filter answers two to five cycles after its page (nw_filter reads
// a hash's bit a cycle and answers at the first clear one: the guest
// filter's page is the VA being accepted, the host filter's the
// registered gPA). Where its answer counts (an address in the segment,
// the filter on), the step waits for it and acts on it registered: START
// registers the guest escape in its first to fourth cycle and acts in the
// next; HOST goes to HESC, which registers the host escape in its first
// to fourth cycle and goes back to HOST to act.
// Counter events are counted a cycle later (nw_regfile). See docs/RTL.md
// for the latency formula.
//
// Each dimension's step is a block of its own with one result record
// (read the next address / hand a gPA on / finished: a fault or a
// translation), and the two never act in the same cycle; the control
// block merges the records. The addresses themselves (next_addr) are
// formed apart from the decisions, from registers and the entry's P and
// PS bits, and loaded whenever a step could use them: the fault and
// permission checks only pick the next state.
`default_nettype none
`include "nw_defs.vh"

module nw_walk_fsm #(
    parameter ID_WIDTH = 8,
    // walk-cache entries (nw_psc, nw_ntlb; 0 leaves an array out)
    parameter GPSC_L2  = 0,
    parameter GPSC_L3  = 0,
    parameter GPSC_L4  = 0,
    parameter GPSC_L5  = 0,
    parameter HPSC_L2  = 0,
    parameter HPSC_L3  = 0,
    parameter HPSC_L4  = 0,
    parameter HPSC_L5  = 0,
    parameter NTLB     = 0
) (
    // configuration (stable while a walk is in progress)
    /* verilator lint_off UNUSEDSIGNAL */  // the CTRL bits of features the RTL lacks read 0
    input  wire [`NW_CTRL_W-1:0] ctrl_i,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [51:12]        gcr3_i,
    input  wire [51:12]        hcr3_i,
    input  wire [52:12]        scr3_i,
    /* verilator lint_off UNUSEDSIGNAL */  // OFFSET bits 63:52 cannot reach a 52-bit address
    input  wire [6*52-1:0]     seg_i,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [2:0]          gattr_i,
    input  wire [1:0]          hattr_i,
    input  wire [4*145-1:0]    gdmt_i,        // the DMT windows (nw_regfile)
    input  wire [4*145-1:0]    hdmt_i,
    output wire                gfilt_look_o,  // look gfilt_page_o up
    output wire [51:0]         gfilt_page_o,
    input  wire                gfilt_hit_i,
    output wire                hfilt_look_o,
    output wire [51:0]         hfilt_page_o,
    input  wire                hfilt_hit_i,
    output reg  [`NW_NUM_COUNTERS-1:0] cnt_inc_o,
    output wire                idle_stay_o,   // idle in this cycle and the next (no walk's
                                              // events are counted in either)
    input  wire                reg_valid_i,   // a register access (or a filter insert) wins over a request
    input  wire [1:0]          wc_flush_i,    // empty the guest PSC / every walk cache
`include "nw_walk_ports.vh"
);
    localparam [3:0] S_IDLE = 4'd0, S_LOOK = 4'd1, S_START = 4'd2, S_HLOOK = 4'd3,
                     S_HESC = 4'd4, S_HOST = 4'd5, S_MREQ = 4'd6, S_MRESP = 4'd7,
                     S_ENTRY = 4'd8, S_RESP = 4'd9, S_GSEL = 4'd10, S_HSEL = 4'd11;
    localparam [1:0] STG_GUEST = 2'd0, STG_HOST_GPT = 2'd1, STG_HOST_GPA = 2'd2;
    // some walk cache is built (GSEL and HSEL exist only then)
    localparam WC = GPSC_L2 + GPSC_L3 + GPSC_L4 + GPSC_L5 + HPSC_L2 + HPSC_L3 + HPSC_L4 +
                    HPSC_L5 + NTLB > 0;

    // ---- configuration ----
    wire virt      = ctrl_i[`NW_CTRL_VIRT];
    wire hseg_en   = ctrl_i[`NW_CTRL_HSEG_EN] && virt;
    wire shadow_en = ctrl_i[`NW_CTRL_SHADOW_EN] && virt;
    wire nxe       = ctrl_i[`NW_CTRL_NXE];
    wire wp        = ctrl_i[`NW_CTRL_WP];
    wire smep      = ctrl_i[`NW_CTRL_SMEP];
    wire g5        = ctrl_i[`NW_CTRL_G5];
    wire h5        = ctrl_i[`NW_CTRL_H5];
    wire [2:0] glevels = g5 ? 3'd5 : 3'd4;
    wire [2:0] hlevels = h5 ? 3'd5 : 3'd4;
    wire wc_en     = ctrl_i[`NW_CTRL_WC_EN];
    wire wc_sel    = WC && wc_en;  // a lookup's entry is read in GSEL / HSEL
    wire gdmt_en   = ctrl_i[`NW_CTRL_GDMT_EN] && !shadow_en;  // not in a shadow walk
    wire hdmt_en   = ctrl_i[`NW_CTRL_HDMT_EN] && virt;

    // The address of x's entry at level in table: table | index << 3.
    function [51:0] entry_addr;
        input [51:12] table_f;
        input [56:12] x_f;
        input [2:0]   level_f;
        reg   [8:0]   index;
        begin
            case (level_f)
                3'd1:    index = x_f[20:12];
                3'd2:    index = x_f[29:21];
                3'd3:    index = x_f[38:30];
                3'd4:    index = x_f[47:39];
                default: index = x_f[56:48];
            endcase
            entry_addr = {table_f, index, 3'd0};
        end
    endfunction

    // The x86 permission check of an access with the permissions folded
    // over a walk.
    function denied;
        input w_f, u_f, xd_f;
        input user_f, write_f, fetch_f;
        input wp_f, smep_f;
        denied = (user_f && !u_f) || (write_f && !w_f && (user_f || wp_f)) ||
                 (fetch_f && xd_f) || (fetch_f && !user_f && u_f && smep_f);
    endfunction

    // ---- registered state ----
    reg [3:0]          state_q,  state_d;
    reg [1:0]          stage_q,  stage_d;
    // the request
    reg [63:0]         va_q,     va_d;
    reg [56:21]        gkey_q;              // its bits within the guest walk's reach: the
                                            // guest PSC's key (loaded with the caches on)
    reg [`NW_ACC_W-1:0] access_q, access_d;
    reg                user_q,   user_d;
    reg [ID_WIDTH-1:0] id_q,     id_d;
    reg [51:0]         addr_q,   addr_d;    // memory read address
    reg [5:0]          refs_q,   refs_d;
    // guest (or shadow) dimension
    reg                gseg_hit_q, gseg_hit_d;  // va is in the guest segment ...
    reg [51:0]         gseg_pa_q,  gseg_pa_d;   // ... which maps it here ...
    reg                gesc_q,     gesc_d;      // ... unless it escapes
    reg                gwait_q,    gwait_d;     // START waits for the guest filter's answer
    reg                gseg_deny_q, gseg_deny_d; // the segment's permissions deny the access
    reg                noncanon_q, noncanon_d;  // va is not canonical
    reg                gdmt_hit_q, gdmt_hit_d;  // a guest DMT window holds va ...
    reg [51:0]         gdmt_ea_q,  gdmt_ea_d;   // ... whose entry is here ...
    reg                gdmt_pv_q,  gdmt_pv_d;   // ... an hPA (pvDMT)
    reg                gdmt_q,     gdmt_d;      // the guest entry awaited is the DMT read's
    reg                shadow_q, shadow_d;  // the table read is a shadow table
    reg [2:0]          glevel_q, glevel_d;
    reg                gw_q, gw_d, gu_q, gu_d, gxd_q, gxd_d;
    reg [1:0]          gsize_q,  gsize_d;
    reg [2:0]          gpsc_lvl_q, gpsc_lvl_d;  // the guest PSC's hit for va (0: none) ...
    reg [43:0]         gpsc_ent_q;              // ... and its entry
    reg                gkeep_q,    gkeep_d;     // the guest PSC takes the last entry once
    reg                gkins_q;                 // ... (now: addr_q holds its next table's hPA)
                                                // the host has translated the next one's gPA
    // host dimension
    reg [51:0]         gpa_q,    gpa_d;     // the gPA being translated ...
    reg [51:12]        hkey_q;              // ... its copy for the host walk caches' keys
    reg [51:12]        hfpage_q;            // ... and for the host filter's page
    reg                hseg_hit_q, hseg_hit_d;  // ... is in the host segment ...
    reg [51:0]         hseg_pa_q,  hseg_pa_d;   // ... which maps it here ...
    reg                hesc_q,     hesc_d;      // ... unless it escapes
    reg                hwait_q,    hwait_d;     // HOST waits for the host filter's answer
    reg [2:0]          hlevel_q, hlevel_d;
    reg                hw_q, hw_d, hxd_q, hxd_d;
    reg                ntlb_hit_q, ntlb_hit_d;  // the NTLB's answer for gpa_q ...
    reg [43:0]         ntlb_ent_q;              // ... its {size, XD, W, hPA frame} ...
    reg [2:0]          hpsc_lvl_q, hpsc_lvl_d;  // ... and the host PSC's
    /* verilator lint_off UNUSEDSIGNAL */  // the host's have no U and no shadow bit
    reg [43:0]         hpsc_ent_q;
    /* verilator lint_on UNUSEDSIGNAL */
    reg                hdmt_hit_q, hdmt_hit_d;  // a host DMT window holds gpa_q ...
    reg [51:0]         hdmt_ea_q,  hdmt_ea_d;   // ... whose entry is here
    reg                hdmt_q,     hdmt_d;      // the host read outstanding is the DMT read
    // the result: the response port's fields but refs and id
    reg [`NW_ST_W-1:0]  status_q, status_d;
    reg [`NW_RSN_W-1:0] reason_q, reason_d;
    reg [2:0]          level_q,  level_d;
    reg [51:0]         pa_q,     pa_d;
    reg [1:0]          size_q,   size_d;
    reg                w_q, w_d, u_q, u_d, xd_q, xd_d;
    reg                gpt_q,    gpt_d;

    wire is_write = access_q == `NW_ACC_WRITE;
    wire is_fetch = access_q == `NW_ACC_FETCH;
    wire entry    = state_q == S_ENTRY;
    wire in_host  = virt && stage_q != STG_GUEST;
    wire entry_in = entry && !ent_err_q;  // an entry to decode
    // The guest filter looks up the VA being accepted, with its filter on
    // (whether its answer counts is known in LOOK), and answers in START's
    // first to fourth cycle (nw_filter: two to five cycles after the page,
    // at its first clear bit); the host filter the registered gPA in HLOOK,
    // where its answer counts, and answers in HESC's first to fourth. A
    // delay line a filter (the guest filter's lookup may still run as the
    // host filter's starts) says which bit it reads.
    assign gfilt_look_o = req_valid_i && req_ready_o && ctrl_i[`NW_CTRL_GFILT_EN];
    assign gfilt_page_o = req_va_i[63:12];
    reg  [4:0] gflook_q, hflook_q;
    always @(posedge clk_i) begin
        gflook_q <= rst_i ? 5'd0 : {gflook_q[3:0], gfilt_look_o};
        hflook_q <= rst_i ? 5'd0 : {hflook_q[3:0], hfilt_look_o};
    end
    // A filter's answer is there when a bit it reads is clear (its hit
    // input, the AND of the bits read so far, is 0 two to four cycles
    // after the page) or when it has read all four (five cycles after).
    wire g_ans = gflook_q[4] || (|gflook_q[3:1] && !gfilt_hit_i);
    wire h_ans = hflook_q[4] || (|hflook_q[3:1] && !hfilt_hit_i);

    // a step acts once its filter's answer is registered where it counts
    // (gwait_q, hwait_q: registered with the segment's answer)
    wire g_start  = state_q == S_START && !gwait_q;
    // a Dual Direct hit: the host step acts in START with the guest's
    // (hseg_hit_q: the guest segment's gPA's, registered in LOOK)
    wire h_dd     = g_start && gseg_hit_q && !gesc_q && !noncanon_q && !gseg_deny_q &&
                    hseg_hit_q && !ctrl_i[`NW_CTRL_HFILT_EN];
    wire h_start  = (state_q == S_HOST && !hwait_q) || h_dd;
    // a step acts (START, HOST or ENTRY), registered from the states that
    // lead there: the enable of the steps' address registers is then one
    // flip-flop (as a decode of state_q, LUT mapping folded it into the
    // steps' decisions, the native walker's longest path: 10.5 ns)
    reg  act_q;
    always @(posedge clk_i)
        act_q <= !rst_i && (state_q == S_LOOK || (WC && state_q == S_GSEL) ||
                            (state_q == S_START && gwait_q && g_ans) ||
                            state_q == S_HLOOK || (WC && state_q == S_HSEL) ||
                            (state_q == S_HESC && h_ans) ||
                            (state_q == S_MRESP && mem_resp_valid_i));

    // ---- segments and escape filters ----
    // The guest segment looks at the VA on the request port while idle,
    // its answer and translation registered in every idle cycle, so that
    // LOOK has them (compared in LOOK from va_q, which most of the walker
    // reads, the compares' inputs came 4 ns of routing late: 11.2 ns in
    // all on the ECP5); the host segment at the registered gPA in HLOOK,
    // its answers registered. A unit of the host segment's own looks at
    // the guest segment's translation in LOOK, so that START answers a Dual
    // Direct hit (looked at by the host segment's unit, it put a mux in
    // front of that unit's compares, or the port's VA behind gpa_q's enable).
    wire        gseg_hit, hseg_hit, dseg_hit;
    wire [51:0] gseg_pa, hseg_pa, dseg_pa;

    nw_segment u_gseg (
        .en_i     (ctrl_i[`NW_CTRL_GSEG_EN]),
        .base_i   (seg_i[0*52 +: 52]),
        .limit_i  (seg_i[1*52 +: 52]),
        .offset_i (seg_i[2*52 +: 40]),
        .x_i      (req_va_i[63:12]),
        .map_i    (req_va_i[51:0]),
        .hit_o    (gseg_hit),
        .y_o      (gseg_pa)
    );
    nw_segment u_hseg (
        .en_i     (hseg_en),
        .base_i   (seg_i[3*52 +: 52]),
        .limit_i  (seg_i[4*52 +: 52]),
        .offset_i (seg_i[5*52 +: 40]),
        .x_i      ({12'd0, gpa_q[51:12]}),
        .map_i    (gpa_q),
        .hit_o    (hseg_hit),
        .y_o      (hseg_pa)
    );
    nw_segment u_dseg (
        .en_i     (hseg_en),
        .base_i   (seg_i[3*52 +: 52]),
        .limit_i  (seg_i[4*52 +: 52]),
        .offset_i (seg_i[5*52 +: 40]),
        .x_i      ({12'd0, gseg_pa_q[51:12]}),
        .map_i    (gseg_pa_q),
        .hit_o    (dseg_hit),
        .y_o      (dseg_pa)
    );
    // DMT windows, looked at like the segments: the guest's at the
    // registered request (in LOOK), the host's at the registered gPA (in
    // HLOOK)
    wire        gdmt_hit, hdmt_hit, gdmt_pv;
    wire [51:0] gdmt_ea, hdmt_ea;
    nw_dmt u_gdmt (
        .en_i  (gdmt_en),
        .win_i (gdmt_i),
        .x_i   (va_q[63:12]),
        .hit_o (gdmt_hit),
        .ea_o  (gdmt_ea),
        .pv_o  (gdmt_pv)
    );
    /* verilator lint_off PINCONNECTEMPTY */  // the host windows have no PV
    nw_dmt u_hdmt (
        .en_i  (hdmt_en),
        .win_i (hdmt_i),
        .x_i   ({12'd0, gpa_q[51:12]}),
        .hit_o (hdmt_hit),
        .ea_o  (hdmt_ea),
        .pv_o  ()
    );
    /* verilator lint_on PINCONNECTEMPTY */

    // ---- entry decode: the entry being returned, whichever its dimension ----
    // The response is decoded as it is taken, with the level, mode,
    // permissions and address of the read it answers (none of them changes
    // while it is awaited), and registered decoded: ENTRY, the cycle after,
    // decides from flip-flops. Decoded in ENTRY, the level's compares, the
    // reserved-bit checks and the permission fold lay in front of every
    // decision of the step, the full configuration's longest paths. Loaded
    // only at the transfer, the registers are no copy of the input port
    // that synthesis would merge with another register of it (an
    // out-of-context wrapper's input chain, a bus register in front).
    wire         pte_np_d, pte_rsv_d, pte_sw_d, pte_page_d, pte_leaf_d, pte_w_d, pte_u_d,
                 pte_xd_d, pte_a_d;
    wire [51:12] pte_next_d;
    wire [51:0]  pte_pa_d;
    wire [1:0]   pte_size_d;

    nw_pte u_pte (
        .pte_i   (mem_resp_data_i),
        .level_i (in_host ? hlevel_q : glevel_q),
        .sw_en_i (!in_host && shadow_q),
        .nxe_i   (nxe),
        .x_i     (in_host ? gpa_q[29:0] : va_q[29:0]),
        .w_i     (in_host ? hw_q : gw_q),
        .u_i     (in_host || gu_q),
        .xd_i    (in_host ? hxd_q : gxd_q),
        .np_o    (pte_np_d),
        .rsv_o   (pte_rsv_d),
        .sw_o    (pte_sw_d),
        .page_o  (pte_page_d),
        .leaf_o  (pte_leaf_d),
        .next_o  (pte_next_d),
        .pa_o    (pte_pa_d),
        .size_o  (pte_size_d),
        .w_o     (pte_w_d),
        .u_o     (pte_u_d),
        .xd_o    (pte_xd_d),
        .a_o     (pte_a_d)
    );

    // The response is awaited (MRESP): a flip-flop loaded from the
    // transitions into and out of MRESP, so that the decode registers'
    // enable is the response's valid and one flip-flop (as a decode of
    // state_q, fanned out to their 120 enables, it was the native walker's
    // longest path, 7.3 ns on the ECP5) and the port's ready is a flop.
    reg          resp_wait_q;
    always @(posedge clk_i)
        resp_wait_q <= !rst_i && (state_q == S_MREQ ? mem_req_ready_i
                                                    : state_q == S_MRESP && !mem_resp_valid_i);
    reg          ent_err_q;
    reg          pte_np, pte_rsv, pte_sw, pte_page, pte_leaf, pte_w, pte_u, pte_xd, pte_a;
    reg  [51:12] pte_next;
    reg  [51:0]  pte_pa;
    reg  [1:0]   pte_size;
    always @(posedge clk_i)
        if (mem_resp_valid_i && mem_resp_ready_o) begin
            ent_err_q <= mem_resp_err_i;
            pte_np    <= pte_np_d;
            pte_rsv   <= pte_rsv_d;
            pte_sw    <= pte_sw_d;
            pte_page  <= pte_page_d;
            pte_leaf  <= pte_leaf_d;
            pte_w     <= pte_w_d;
            pte_u     <= pte_u_d;
            pte_xd    <= pte_xd_d;
            pte_a     <= pte_a_d;
            pte_next  <= pte_next_d;
            pte_pa    <= pte_pa_d;
            pte_size  <= pte_size_d;
        end

    // ---- walk caches (SPEC section 9) ----
    // A lookup is three cycles: the arrays compare the key and register
    // the hits, then select the deepest hit and read its entry, which is
    // registered here, and the step uses it. The guest PSC compares the
    // registered request's key in LOOK, its entry is read in GSEL (or in
    // START's first cycle when START waits for the guest filter) and START
    // uses it; the host PSC and the NTLB compare the registered gPA in
    // HLOOK, their entries are read in HSEL (or in HOST's first cycle when
    // it waits for the host filter) and HOST uses them. (Compared and used
    // in one cycle, the compares of every slot and the select behind them
    // were the walk-cache build's longest paths, 14.6-14.8 ns on the
    // ECP5.) Without the caches on, LOOK and HLOOK go straight on. An
    // entry is inserted by the step that accepts it and can be compared
    // two cycles later (the arrays register an insert); a read lies
    // between an insert and the next lookup of the same cache, so every
    // later lookup of the walk sees it.
    wire [2:0]  gpsc_lvl, hpsc_lvl;
    wire [43:0] gpsc_ent, hpsc_ent, ntlb_ent;
    wire        ntlb_hit;
    wire        gpsc_ins;                  // the guest PSC takes an entry ...
    wire [2:0]  gpsc_ins_lvl;              // ... of this level ...
    wire [43:0] gpsc_ins_data;             // ... {shadow, XD, U, W, next table's hPA}
    reg         g_keep, h_keep_g;          // ... the guest step's, or the host step's
    reg         hpsc_ins, ntlb_ins;        // the host PSC / NTLB takes the entry decoded
    wire        gpsc_drop, hwc_drop;       // a step uses the guest / host caches' answer
    // the cycles a lookup's entry is read into gpsc_ent_q, ntlb_ent_q and
    // hpsc_ent_q (its level and hit with the steps' registers, 0 with the
    // caches off): each from the compare's to the one before the step
    // acts, the key and the arrays unchanged between (the compare's own
    // reads the hits of the cycle before, and only counts with the caches
    // off); none after, so what the step used stays for a DMT fall-back
    wire        g_sel = WC && (state_q == S_LOOK || state_q == S_GSEL ||
                               (state_q == S_START && gwait_q));
    wire        h_sel = WC && (state_q == S_HLOOK || state_q == S_HSEL ||
                               (state_q == S_HOST && hwait_q) || state_q == S_HESC);
    always @(posedge clk_i) begin
        if (g_sel)
            gpsc_ent_q <= gpsc_ent;
        if (h_sel) begin
            ntlb_ent_q <= ntlb_ent;
            hpsc_ent_q <= hpsc_ent;
        end
    end

    // a VA's bits above the guest walk's reach are copies of its top bit
    function [56:21] reach;
        input [56:21] va_f;
        reach = {g5 ? va_f[56:48] : 9'd0, va_f[47:21]};
    endfunction

    // The guest PSC's key, registered with the request only with the
    // caches on: looked up from va_q, its tag compares were behind the
    // segment's and DMT windows' compares, the entry decode's and the
    // addresses' use of it (as gpa_q's are, hkey_q below).
    always @(posedge clk_i)
        if (req_valid_i && req_ready_o && wc_en)
            gkey_q <= reach(req_va_i[56:21]);

    nw_psc #(
        .N2 (GPSC_L2),
        .N3 (GPSC_L3),
        .N4 (GPSC_L4),
        .N5 (GPSC_L5)
    ) u_gpsc (
        .clk_i       (clk_i),
        .rst_i       (rst_i),
        .flush_i     (|wc_flush_i),
        .look_x_i    (gkey_q),
        .hit_level_o (gpsc_lvl),
        .data_o      (gpsc_ent),
        .drop_i      (gpsc_drop),
        .ins_i       (gpsc_ins),
        .ins_level_i (gpsc_ins_lvl),
        .ins_x_i     (gkey_q),
        .ins_data_i  (gpsc_ins_data)
    );
    nw_psc #(
        .N2 (HPSC_L2),
        .N3 (HPSC_L3),
        .N4 (HPSC_L4),
        .N5 (HPSC_L5)
    ) u_hpsc (
        .clk_i       (clk_i),
        .rst_i       (rst_i),
        .flush_i     (wc_flush_i[1]),
        .look_x_i    ({5'd0, hkey_q[51:21]}),
        .hit_level_o (hpsc_lvl),
        .data_o      (hpsc_ent),
        .drop_i      (hwc_drop),
        .ins_i       (hpsc_ins),
        .ins_level_i (hlevel_q),
        .ins_x_i     ({5'd0, hkey_q[51:21]}),
        .ins_data_i  ({1'b0, pte_xd, 1'b1, pte_w, pte_next})
    );
    nw_ntlb #(
        .N (NTLB)
    ) u_ntlb (
        .clk_i      (clk_i),
        .rst_i      (rst_i),
        .flush_i    (wc_flush_i[1]),
        .look_gpa_i (hkey_q),
        .hit_o      (ntlb_hit),
        .gpa_i      (hkey_q[29:12]),
        .hpa_o      (ntlb_ent[39:0]),
        .size_o     (ntlb_ent[43:42]),
        .w_o        (ntlb_ent[40]),
        .xd_o       (ntlb_ent[41]),
        .drop_i     (hwc_drop),
        .ins_i      (ntlb_ins),
        .ins_gpa_i  (hkey_q),
        .ins_hpa_i  (pte_pa[51:12]),
        .ins_size_i (pte_size),
        .ins_w_i    (pte_w),
        .ins_xd_i   (pte_xd)
    );

    // The host filter looks at the registered gPA in HLOOK (its copy
    // hfpage_q, below), as the host segment does: taken from the gPA being
    // handed over, its page select sat behind the step's own and in front
    // of the H3 unit (the full configuration's ECP5 critical path, 12.3 ns).
    assign hfilt_look_o = state_q == S_HLOOK && hseg_hit && ctrl_i[`NW_CTRL_HFILT_EN];
    assign hfilt_page_o = {12'd0, hfpage_q};

    // ---- step_guest: START, or an entry of the guest/shadow table ----
    // Its record: read g_next directly (g_read: an hPA, or a PA natively),
    // or hand a gPA to the host (g_host; g_gpt: a guest table entry's,
    // g_next, else the page's), or finish (g_fin) with a fault or a
    // translation; g_done: the guest dimension translated va. The addresses
    // themselves are formed apart from this decision (next_addr, below).
    reg                 g_read;
    reg                 g_host, g_gpt;
    reg                 g_fin;
    reg [`NW_ST_W-1:0]  g_status;
    reg [`NW_RSN_W-1:0] g_reason;
    reg                 g_done;
    reg                 g_denied;          // x86 permission check failed
    reg                 g_walk;            // walk the tables (no segment or DMT answer)
    reg [`NW_NUM_COUNTERS-1:0] g_cnt;

    always @* begin : step_guest
        reg direct;                        // the next table's address is an hPA
        shadow_d     = shadow_q;
        glevel_d     = glevel_q;
        gw_d         = gw_q;
        gu_d         = gu_q;
        gxd_d        = gxd_q;
        gsize_d      = gsize_q;
        direct       = 1'b0;
        g_read       = 1'b0;
        g_host       = 1'b0;
        g_gpt        = 1'b0;
        g_fin        = 1'b0;
        g_status     = `NW_ST_OK;
        g_reason     = `NW_RSN_NONE;
        g_done       = 1'b0;
        g_cnt        = {`NW_NUM_COUNTERS{1'b0}};
        gkeep_d      = gkeep_q;
        g_keep       = 1'b0;
        // the entry awaited is the DMT read's until it is decoded (and
        // never with the windows off: so a walker without DMT windows
        // keeps no mark, nor the fall-back's address select)
        gdmt_d       = gdmt_en && !g_start && gdmt_q && !(entry_in && !in_host);
        g_walk       = 1'b0;

        if (g_start) begin
            shadow_d = 1'b0;
            glevel_d = glevels;
            gw_d     = 1'b1;
            gu_d     = 1'b1;
            gxd_d    = 1'b0;
            if (noncanon_q) begin
                g_fin    = 1'b1;
                g_status = `NW_ST_GUEST_FAULT;
                g_reason = `NW_RSN_NON_CANONICAL;
            end else if (gseg_hit_q && !gesc_q) begin
                g_cnt[`NW_CNT_GSEG_HITS] = 1'b1;
                gw_d    = gattr_i[0];
                gu_d    = gattr_i[1];
                gxd_d   = gattr_i[2] && nxe;
                gsize_d = `NW_SIZE_4K;
                g_done  = 1'b1;
            end else begin
                g_cnt[`NW_CNT_GESCAPES] = gesc_q;
                if (gdmt_hit_q) begin
                    // DMT: the page's level-1 entry at its TEA address, an
                    // hPA (natively a PA; pvDMT) or a gPA to translate first
                    gdmt_d   = 1'b1;
                    glevel_d = 3'd1;
                    g_gpt    = 1'b1;
                    gkeep_d  = 1'b0;
                    direct   = !virt || gdmt_pv_q;
                end else begin
                    g_walk = 1'b1;
                end
            end
        end else if (entry_in && !in_host && gdmt_q && pte_np) begin
            // not in the TEA: the walk, whose result stands
            g_cnt[`NW_CNT_DMT_FALLBACKS] = 1'b1;
            g_walk = 1'b1;
        end else if (entry_in && !in_host) begin
            // a DMT entry that is present is a level-1 entry like any other,
            // with its own permissions (the fold started at all 1)
            g_cnt[`NW_CNT_DMT_HITS] = gdmt_q;
            if (pte_np || pte_rsv) begin
                g_fin    = 1'b1;
                g_status = shadow_q ? `NW_ST_SHADOW_FAULT : `NW_ST_GUEST_FAULT;
                g_reason = pte_np ? `NW_RSN_NOT_PRESENT : `NW_RSN_RESERVED;
            end else begin
                gw_d  = pte_w;
                gu_d  = pte_u;
                gxd_d = pte_xd;
                if (pte_leaf) begin
                    gsize_d      = pte_size;
                    g_done       = 1'b1;
                end else begin
                    // the table below: a switch reads the guest table at
                    // the hPA it names, as does a shadow or native walk
                    glevel_d                = glevel_q - 3'd1;
                    shadow_d                = shadow_q && !pte_sw;
                    g_cnt[`NW_CNT_SWITCHES] = pte_sw;
                    direct                  = !virt || shadow_q || pte_sw;
                    g_gpt                   = 1'b1;
                    // the guest PSC keeps the entry with the next table's
                    // hPA: now when it has it, else once the host has
                    // translated it (step_host)
                    g_keep  = wc_en && pte_a && direct;
                    gkeep_d = wc_en && pte_a && !direct;
                end
            end
        end

        // the walk from the root, or from below the deepest guest PSC hit
        if (g_walk) begin
            shadow_d = 1'b0;
            glevel_d = glevels;
            gw_d     = 1'b1;
            gu_d     = 1'b1;
            gxd_d    = 1'b0;
            g_gpt    = 1'b1;
            gkeep_d  = 1'b0;
            if (gpsc_lvl_q != 3'd0) begin
                // a guest PSC hit: read on below it, in the mode it holds,
                // at the table's hPA it holds
                g_cnt[`NW_CNT_GPSC_HITS] = 1'b1;
                shadow_d = gpsc_ent_q[43];
                gxd_d    = gpsc_ent_q[42];
                gu_d     = gpsc_ent_q[41];
                gw_d     = gpsc_ent_q[40];
                glevel_d = gpsc_lvl_q - 3'd1;
                direct   = 1'b1;
            end else if (shadow_en) begin
                // SCR3.SW: SCR3 already holds the guest's top table
                g_cnt[`NW_CNT_SWITCHES] = scr3_i[52];
                shadow_d = !scr3_i[52];
                direct   = 1'b1;
            end else begin
                direct   = !virt;
            end
        end

        // a table entry's address: read it, or translate it first
        if (g_gpt) begin
            g_read = direct;
            g_host = !direct;
        end

        // the guest dimension is done: x86 permission checks
        g_denied = g_start ? gseg_deny_q
                 : denied(pte_w, pte_u, pte_xd, user_q, is_write, is_fetch, wp, smep);
        if (g_done) begin
            if (g_denied) begin
                g_fin    = 1'b1;
                g_status = shadow_d ? `NW_ST_SHADOW_FAULT : `NW_ST_GUEST_FAULT;
                g_reason = `NW_RSN_PROTECTION;
            end else if (virt && !shadow_d) begin
                g_host = 1'b1;
            end else begin
                g_fin = 1'b1;
            end
        end
    end

    // ---- step_host: HOST (a gPA handed over), or an entry of the host table ----
    // Its record: read h_next (h_table: a host table entry; else the guest
    // table entry at its hPA), or finish (h_fin) with a fault or the final
    // hPA; h_done: the host dimension translated gpa_q to h_next.
    reg                 h_read, h_table;
    reg                 h_fin;
    reg [`NW_ST_W-1:0]  h_status;
    reg [`NW_RSN_W-1:0] h_reason;
    reg                 h_done;
    reg [1:0]           h_size;
    reg                 h_gpt;             // the gPA is a guest table entry's
    reg                 h_ntlb;            // the NTLB translated it
    reg                 h_walk;            // walk the host tables (no segment or DMT answer)
    reg                 h_reach;           // the gPA is beyond a 4-level host's reach
    reg [`NW_NUM_COUNTERS-1:0] h_cnt;

    always @* begin : step_host
        hseg_hit_d   = hseg_hit_q;
        hseg_pa_d    = hseg_pa_q;
        hesc_d       = hesc_q;
        hlevel_d     = hlevel_q;
        hw_d         = hw_q;
        hxd_d        = hxd_q;
        ntlb_hit_d   = h_sel ? wc_en && ntlb_hit : ntlb_hit_q;
        hpsc_lvl_d   = h_sel && wc_en ? hpsc_lvl : h_sel ? 3'd0 : hpsc_lvl_q;
        h_gpt        = stage_q == STG_HOST_GPT;
        h_ntlb       = 1'b0;
        h_walk       = 1'b0;
        h_reach      = 1'b0;
        hdmt_hit_d   = hdmt_hit_q;
        hdmt_ea_d    = hdmt_ea_q;
        // the read outstanding is the DMT read's until it is decoded (never
        // with the windows off, as gdmt_q)
        hdmt_d       = hdmt_en && !h_start && hdmt_q && !(entry_in && in_host);
        h_keep_g     = 1'b0;
        hpsc_ins     = 1'b0;
        ntlb_ins     = 1'b0;
        h_read       = 1'b0;
        h_table      = 1'b0;
        h_fin        = 1'b0;
        h_status     = `NW_ST_OK;
        h_reason     = `NW_RSN_NONE;
        h_done       = 1'b0;
        h_size       = `NW_SIZE_4K;
        h_cnt        = {`NW_NUM_COUNTERS{1'b0}};

        // the host segment's answer for the registered gPA (HLOOK), or for
        // the guest segment's translation of the VA (LOOK: a Dual Direct
        // hit's)
        if (state_q == S_LOOK) begin
            hseg_hit_d = dseg_hit;
            hseg_pa_d  = dseg_pa;
            hesc_d     = 1'b0;
        end
        if (state_q == S_HLOOK) begin
            hseg_hit_d = hseg_hit;
            hseg_pa_d  = hseg_pa;
            hesc_d     = 1'b0;
            hdmt_hit_d  = hdmt_hit;
            hdmt_ea_d   = hdmt_ea;
        end else if (state_q == S_HESC && h_ans) begin
            hesc_d = hfilt_hit_i;
        end else if (h_start) begin
            if (hseg_hit_q && !hesc_q) begin
                h_cnt[`NW_CNT_HSEG_HITS] = 1'b1;
                hw_d   = hattr_i[0];
                hxd_d  = hattr_i[1] && nxe;
                h_done = 1'b1;
            end else begin
                h_cnt[`NW_CNT_HESCAPES] = hesc_q;
                if (hdmt_hit_q) begin
                    // DMT, before the reach check: a window may map any gPA
                    hdmt_d   = 1'b1;
                    hlevel_d = 3'd1;
                    hw_d     = 1'b1;
                    hxd_d    = 1'b0;
                    h_read   = 1'b1;
                    h_table  = 1'b1;
                end else begin
                    h_walk = 1'b1;
                end
            end
        end else if (entry_in && in_host && hdmt_q && pte_np) begin
            // not in the TEA: the walk, whose result stands
            h_cnt[`NW_CNT_DMT_FALLBACKS] = 1'b1;
            h_walk = 1'b1;
        end else if (entry_in && in_host) begin
            // a DMT entry that is present ends the dimension as a level-1
            // entry does, and a DMT hit fills no walk cache
            h_cnt[`NW_CNT_DMT_HITS] = hdmt_q;
            if (pte_np || pte_rsv) begin
                h_fin    = 1'b1;
                h_status = `NW_ST_HOST_FAULT;
                h_reason = pte_np ? `NW_RSN_NOT_PRESENT : `NW_RSN_RESERVED;
            end else begin
                hw_d  = pte_w;
                hxd_d = pte_xd;
                if (pte_leaf) begin
                    ntlb_ins     = wc_en && pte_a && !hdmt_q;
                    h_done       = 1'b1;
                    h_size       = pte_size;
                end else begin
                    hpsc_ins = wc_en && pte_a;
                    hlevel_d = hlevel_q - 3'd1;
                    h_read   = 1'b1;
                    h_table  = 1'b1;
                end
            end
        end

        // the host walk: its reach, then the NTLB, from the root or below the
        // deepest host PSC hit
        if (h_walk) begin
            hdmt_d = 1'b0;
            if (!h5 && gpa_q[51:48] != 4'd0) begin
                // beyond a 4-level host's reach
                h_reach  = 1'b1;
                h_fin    = 1'b1;
                h_status = `NW_ST_HOST_FAULT;
                h_reason = `NW_RSN_NOT_PRESENT;
            end else if (ntlb_hit_q) begin
                // the whole host walk is cached; a protection fault of the
                // final gPA is at its leaf's level
                h_cnt[`NW_CNT_NTLB_HITS] = 1'b1;
                h_ntlb   = 1'b1;
                hlevel_d = {1'b0, ntlb_ent_q[43:42]} + 3'd1;
                hw_d     = ntlb_ent_q[40];
                hxd_d    = ntlb_ent_q[41];
                h_done   = 1'b1;
                h_size   = ntlb_ent_q[43:42];
            end else begin
                h_cnt[`NW_CNT_HPSC_HITS] = hpsc_lvl_q != 3'd0;
                hlevel_d = hpsc_lvl_q != 3'd0 ? hpsc_lvl_q - 3'd1 : hlevels;
                hw_d     = hpsc_lvl_q == 3'd0 || hpsc_ent_q[40];
                hxd_d    = hpsc_lvl_q != 3'd0 && hpsc_ent_q[42];
                h_read   = 1'b1;
                h_table  = 1'b1;
            end
        end

        if (h_done) begin
            if (h_gpt) begin
                // a guest table entry: read it at its hPA, which the guest
                // PSC may now keep
                h_read   = 1'b1;
                h_keep_g = gkeep_q;
            end else if ((is_write && !hw_d) || (is_fetch && hxd_d)) begin
                h_fin    = 1'b1;
                h_status = `NW_ST_HOST_FAULT;
                h_reason = `NW_RSN_PROTECTION;
            end else begin
                h_fin = 1'b1;
            end
        end
    end

    // the answers a walk looks up (the model's lookups: after the segment,
    // the DMT window and, in the host, the reach check)
    assign gpsc_drop = wc_en && g_walk;
    assign hwc_drop  = wc_en && h_walk && !h_reach;

    // ---- next_addr: what the steps read, hand on or answer ----
    // Formed apart from the steps' decisions, from the walk's registers and
    // the entry's P and PS bits only: addr_q and pa_q are loaded in every
    // cycle a step acts, with what it would read or answer, and gpa_q in
    // every cycle the guest step would hand a gPA on (g_hands), should its
    // entry be valid and the access allowed; the decision (reserved bits,
    // the permission fold and check, the fault) only says whether that is
    // used. So the entry's checks lie on no path into these 52-bit
    // registers nor fan out to their enables. (gpa_q is shown with a host
    // fault and is the host walk's key, so it is not loaded where no gPA
    // can be handed on.)
    //   g_next: the guest step's next table (read, or its gPA handed on);
    //   g_page: the page the guest step maps (a gPA handed on, or the PA);
    //   h_next: the host step's read (a host table entry, or the guest
    //           table entry at its hPA) or the hPA it translated gpa_q to.
    reg  [51:0] g_root, h_root, g_next, g_page, h_next;
    wire        g_fall = gdmt_q && pte_np;  // a DMT entry not present:
    wire        h_fall = hdmt_q && pte_np;  // the walk from the root
    // The selects of these addresses are flip-flops, each the decode of
    // state_q it stands for, registered from the transitions into that
    // state (every step leaves its state in the cycle it acts, so the
    // transitions in are flops' and inputs' only): as decodes of state_q
    // and stage_q, each reached the 52 bits' muxes through a LUT and one
    // net, the full walker's longest paths (on the ECP5 10.3 ns from
    // stage_q into pa_q, a 4.8 ns net of it, and 14.0 ns from state_q into
    // gpa_q, an 8.0 ns net); loaded from the next state (state_d), they
    // were behind the steps' decisions.
    //   start_q:  START (else the step is an entry's, or HOST's);
    //   entry_q:  ENTRY;
    //   h_step_q: the host's step (HOST, or ENTRY in a host stage); 0 with
    //             the host off, so that a native build has no host muxes.
    // h_pa: the step answers the host's address, the host step's or a Dual
    // Direct hit's in START (the host segment's, loaded whatever the guest
    // filter says; should the VA escape, its walk's steps load pa_q
    // again). It is no flip-flop: in LOOK the host segment's hit is its
    // compares' answer, a long path already.
    reg         start_q, entry_q, h_step_q;
    always @(posedge clk_i) begin
        start_q  <= !rst_i && ((state_q == S_LOOK && !(wc_sel && !gwait_d)) ||
                               (WC && state_q == S_GSEL) || (state_q == S_START && gwait_q));
        entry_q  <= !rst_i && state_q == S_MRESP && mem_resp_valid_i;
        h_step_q <= !rst_i && virt && ((state_q == S_HLOOK && !(wc_sel && !hfilt_look_o)) ||
                                       (WC && state_q == S_HSEL) || (state_q == S_HESC && h_ans) ||
                                       (state_q == S_MRESP && mem_resp_valid_i && in_host));
    end
    wire        h_pa = h_step_q || (start_q && hseg_hit_q);
    // the guest step hands on the page it maps, not a table
    wire        g_hand_page = start_q ? gseg_hit_q && !gesc_q : pte_page && !g_fall;
    // a walk from the root hands its first table on: not the shadow table,
    // nor one below a guest PSC hit (their addresses are hPAs)
    wire        g_root_gpa = !shadow_en && gpsc_lvl_q == 3'd0;
    wire        g_hands = virt && (g_start
                                   ? (gseg_hit_q && !gesc_q) || (gdmt_hit_q ? !gdmt_pv_q : g_root_gpa)
                                   : entry_in && !in_host && (g_fall ? g_root_gpa : !shadow_q));
    wire [51:0] g_hand_addr = g_hand_page ? g_page : g_next;
    // The host walk caches' keys: a copy of gpa_q loaded only with the
    // caches on. gpa_q also feeds the host segment, DMT windows and filter
    // hash, the entry decode and the addresses; the tag compares of every
    // slot behind it made it the wc build's longest path (14.7 ns, most
    // of it routing), and a copy loaded as gpa_q is would be merged with it.
    always @(posedge clk_i)
        if (g_hands && wc_en)
            hkey_q <= g_hand_addr[51:12];
    // The host filter's page, likewise a copy loaded only with the filter
    // on: gpa_q also feeding the filter's H3 unit, its nets reached the
    // host segment's compares 6.7 ns late (12.7 ns in all on the ECP5)
    always @(posedge clk_i)
        if (g_hands && ctrl_i[`NW_CTRL_HFILT_EN])
            hfpage_q <= g_hand_addr[51:12];
    always @* begin : next_addr
        // the guest walk: below the deepest guest PSC hit, or from the root
        if (gpsc_lvl_q != 3'd0)
            g_root = entry_addr(gpsc_ent_q[39:0], va_q[56:12], gpsc_lvl_q - 3'd1);
        else
            g_root = entry_addr(shadow_en ? scr3_i[51:12] : gcr3_i, va_q[56:12], glevels);
        // the host walk: the NTLB's whole translation, or below the deepest
        // host PSC hit, or from the root
        if (ntlb_hit_q)
            h_root = {ntlb_ent_q[39:0], gpa_q[11:0]};
        else if (hpsc_lvl_q != 3'd0)
            h_root = entry_addr(hpsc_ent_q[39:0], {5'd0, gpa_q[51:12]}, hpsc_lvl_q - 3'd1);
        else
            h_root = entry_addr(hcr3_i, {5'd0, gpa_q[51:12]}, hlevels);

        if (start_q) begin
            g_next = gdmt_hit_q ? gdmt_ea_q : g_root;
            g_page = gseg_pa_q;
        end else begin
            g_next = g_fall ? g_root : entry_addr(pte_next, va_q[56:12], glevel_q - 3'd1);
            g_page = pte_pa;
        end
        if (!entry_q)  // HOST, or a Dual Direct hit's START
            h_next = hseg_hit_q && !hesc_q ? hseg_pa_q : hdmt_hit_q ? hdmt_ea_q : h_root;
        else
            h_next = h_fall ? h_root : pte_page ? pte_pa : entry_addr(pte_next, {5'd0, gpa_q[51:12]},
                                                                      hlevel_q - 3'd1);
    end

    // the guest PSC's insert: the guest step's (an entry whose next table
    // is read directly) or the host step's (the last guest entry, once its
    // next table's address is translated). The host step's is given in
    // the cycle after, the first of the read at that address (MREQ), from
    // addr_q: given with h_next, the walk caches' slot selects behind it
    // ran on into the array's insert register. No guest step acts in that
    // cycle, and a lookup of the guest PSC is a walk away.
    always @(posedge clk_i)
        gkins_q <= !rst_i && h_keep_g;
    assign gpsc_ins      = g_keep || gkins_q;
    assign gpsc_ins_lvl  = gkins_q ? glevel_q + 3'd1 : glevel_q;
    assign gpsc_ins_data = gkins_q ? {shadow_q, gxd_q, gu_q, gw_q, addr_q[51:12]}
                                   : {shadow_d, pte_xd, pte_u, pte_w, pte_next};

    // ---- control: ports, the next read, the result and the counters ----
    wire bus_err = entry && ent_err_q;

    always @* begin : control
        state_d     = state_q;
        stage_d     = stage_q;
        va_d        = va_q;
        gseg_hit_d    = gseg_hit_q;
        gseg_pa_d     = gseg_pa_q;
        gesc_d        = gesc_q;
        gwait_d       = gwait_q;
        hwait_d       = hwait_q;
        gseg_deny_d   = gseg_deny_q;
        noncanon_d    = noncanon_q;
        gpsc_lvl_d    = !g_sel ? gpsc_lvl_q : wc_en ? gpsc_lvl : 3'd0;
        gdmt_hit_d    = gdmt_hit_q;
        gdmt_ea_d     = gdmt_ea_q;
        gdmt_pv_d     = gdmt_pv_q;
        access_d    = access_q;
        user_d      = user_q;
        id_d        = id_q;
        addr_d      = addr_q;
        refs_d      = refs_q;
        status_d    = status_q;
        reason_d    = reason_q;
        level_d     = level_q;
        pa_d        = pa_q;
        size_d      = size_q;
        w_d         = w_q;
        u_d         = u_q;
        xd_d        = xd_q;
        gpt_d       = gpt_q;
        gpa_d       = gpa_q;
        cnt_inc_o   = g_cnt | h_cnt;
        cnt_inc_o[`NW_CNT_BUSY_CYCLES] = state_q != S_IDLE;

        case (state_q)
            S_IDLE: begin
                if (req_valid_i && req_ready_o) begin
                    state_d  = S_LOOK;
                    va_d     = req_va_i;
                    access_d = req_access_i;
                    user_d   = req_user_i;
                    id_d     = req_id_i;
                    refs_d   = 6'd0;
                end
                // the guest segment's answer for the VA on the port and its
                // translation, should it hit: loaded in every idle cycle,
                // not at the handshake, so that no port's valid is behind
                // their enables
                gseg_hit_d = gseg_hit;
                if (ctrl_i[`NW_CTRL_GSEG_EN])
                    gseg_pa_d = gseg_pa;
            end
            // the answers that need no read, registered so that START
            // only picks among them
            S_LOOK: begin
                // (a Dual Direct hit's host step in START translates the
                // final gPA; the stage is the last walk's until then)
                stage_d     = STG_GUEST;
                gdmt_hit_d  = gdmt_hit;
                gdmt_ea_d   = gdmt_ea;
                gdmt_pv_d   = gdmt_pv;
                gseg_deny_d = denied(gattr_i[0], gattr_i[1], gattr_i[2] && nxe, user_q,
                                     is_write, is_fetch, wp, smep);
                noncanon_d  = g5 ? !(&va_q[63:56] || ~|va_q[63:56])
                                 : !(&va_q[63:47] || ~|va_q[63:47]);
                gesc_d      = 1'b0;
                // the guest filter's answer counts for a canonical VA in
                // the segment
                gwait_d     = gseg_hit_q && ctrl_i[`NW_CTRL_GFILT_EN] && !noncanon_d;
                // the guest PSC's entry is read in GSEL, or in START's
                // first cycle when START waits for the filter
                state_d     = wc_sel && !gwait_d ? S_GSEL : S_START;
            end
            // (without a cache GSEL and HSEL are left to the default, so
            // that the state logic is the same as if they did not exist)
            S_GSEL:
                if (WC) state_d = S_START;
            // a filter's answer is registered as it comes (g_ans, h_ans): the
            // guest filter's in START, the host filter's in HESC
            S_START:
                if (gwait_q && g_ans) begin
                    gesc_d  = gfilt_hit_i;
                    gwait_d = 1'b0;
                end
            S_HLOOK: begin
                // the host caches' entries are read in HSEL, or in HOST's
                // first cycle when HOST waits for the filter
                state_d = wc_sel && !hfilt_look_o ? S_HSEL : S_HOST;
                hwait_d = hfilt_look_o;
            end
            S_HSEL:
                if (WC) state_d = S_HOST;
            S_HOST:
                if (hwait_q) begin
                    state_d = S_HESC;
                    hwait_d = 1'b0;
                end
            S_HESC:
                if (h_ans)
                    state_d = S_HOST;
            S_MREQ:
                if (mem_req_ready_i) begin
                    state_d = S_MRESP;
                    refs_d  = refs_q + 6'd1;
                    cnt_inc_o[`NW_CNT_READS] = 1'b1;
                end
            S_MRESP:
                if (mem_resp_valid_i)
                    state_d = S_ENTRY;
            // a walk's status is counted as it is taken, from its register:
            // decided from the last entry's checks, it would be a long path
            // to the counters' event register
            S_RESP:
                if (resp_ready_i) begin
                    state_d = S_IDLE;
                    cnt_inc_o[`NW_CNT_WALKS]         = 1'b1;
                    cnt_inc_o[`NW_CNT_GUEST_FAULTS]  = status_q == `NW_ST_GUEST_FAULT;
                    cnt_inc_o[`NW_CNT_HOST_FAULTS]   = status_q == `NW_ST_HOST_FAULT;
                    cnt_inc_o[`NW_CNT_SHADOW_FAULTS] = status_q == `NW_ST_SHADOW_FAULT;
                    cnt_inc_o[`NW_CNT_BUS_ERRORS]    = status_q == `NW_ST_BUS_ERROR;
                end
            default: ;
        endcase

        if (g_host) begin
            state_d = S_HLOOK;
            stage_d = g_gpt ? STG_HOST_GPT : STG_HOST_GPA;
        end
        // every step's addresses, used or not (next_addr)
        if (act_q) begin
            addr_d = h_step_q ? h_next : g_next;
            pa_d   = h_pa ? h_next : g_page;
        end
        if (g_hands)
            gpa_d = g_hand_addr;
        if (g_read || h_read) begin
            state_d = S_MREQ;
            stage_d = !(h_read && h_table) ? STG_GUEST :
                      h_gpt ? STG_HOST_GPT : STG_HOST_GPA;
        end

        if (g_fin || h_fin || bus_err) begin
            state_d  = S_RESP;
            // one record: the bus error's, the guest step's or the host step's
            status_d = bus_err ? `NW_ST_BUS_ERROR : g_fin ? g_status : h_status;
            reason_d = g_fin ? g_reason : h_reason;
            // a fault found in an entry is at the entry's level, one of a
            // gPA the NTLB translated at its leaf's; one found without a
            // read (non-canonical, a segment's permissions, the host's
            // reach, also after a DMT fall-back) at level 0
            level_d  = h_ntlb ? hlevel_d
                     : entry && !h_reach ? (in_host ? hlevel_q : glevel_q) : 3'd0;
            // every field is loaded whatever the status; the response
            // port shows a field only where the status gives it meaning,
            // so no field waits for the status to be decided
            size_d      = (g_fin || gsize_d < h_size) ? gsize_d : h_size;
            w_d         = gw_d && (g_fin || hw_d);
            u_d         = gu_d;
            xd_d        = gxd_d || (h_fin && hxd_d);
            gpt_d       = h_gpt;
        end
    end

    always @(posedge clk_i) begin
        if (rst_i) begin
            state_q     <= S_IDLE;
            stage_q     <= STG_GUEST;
            va_q        <= 64'd0;
            gseg_hit_q    <= 1'b0;
            gseg_pa_q     <= 52'd0;
            gesc_q        <= 1'b0;
            gwait_q       <= 1'b0;
            hwait_q       <= 1'b0;
            gseg_deny_q   <= 1'b0;
            noncanon_q    <= 1'b0;
            access_q    <= `NW_ACC_READ;
            user_q      <= 1'b0;
            id_q        <= {ID_WIDTH{1'b0}};
            addr_q      <= 52'd0;
            refs_q      <= 6'd0;
            shadow_q    <= 1'b0;
            glevel_q    <= 3'd0;
            gw_q        <= 1'b0;
            gu_q        <= 1'b0;
            gxd_q       <= 1'b0;
            gsize_q     <= `NW_SIZE_4K;
            gpsc_lvl_q  <= 3'd0;
            gkeep_q     <= 1'b0;
            gdmt_hit_q  <= 1'b0;
            gdmt_ea_q   <= 52'd0;
            gdmt_pv_q   <= 1'b0;
            gdmt_q      <= 1'b0;
            hdmt_hit_q  <= 1'b0;
            hdmt_ea_q   <= 52'd0;
            hdmt_q      <= 1'b0;
            gpa_q       <= 52'd0;
            hseg_hit_q  <= 1'b0;
            hseg_pa_q   <= 52'd0;
            hesc_q      <= 1'b0;
            hlevel_q    <= 3'd0;
            hw_q        <= 1'b0;
            hxd_q       <= 1'b0;
            ntlb_hit_q  <= 1'b0;
            hpsc_lvl_q  <= 3'd0;
            status_q    <= `NW_ST_OK;
            reason_q    <= `NW_RSN_NONE;
            level_q     <= 3'd0;
            pa_q        <= 52'd0;
            size_q      <= `NW_SIZE_4K;
            w_q         <= 1'b0;
            u_q         <= 1'b0;
            xd_q        <= 1'b0;
            gpt_q       <= 1'b0;
        end else begin
            state_q     <= state_d;
            stage_q     <= stage_d;
            va_q        <= va_d;
            gseg_hit_q    <= gseg_hit_d;
            gseg_pa_q     <= gseg_pa_d;
            gesc_q        <= gesc_d;
            gwait_q       <= gwait_d;
            hwait_q       <= hwait_d;
            gseg_deny_q   <= gseg_deny_d;
            noncanon_q    <= noncanon_d;
            access_q    <= access_d;
            user_q      <= user_d;
            id_q        <= id_d;
            addr_q      <= addr_d;
            refs_q      <= refs_d;
            shadow_q    <= shadow_d;
            glevel_q    <= glevel_d;
            gw_q        <= gw_d;
            gu_q        <= gu_d;
            gxd_q       <= gxd_d;
            gsize_q     <= gsize_d;
            gpsc_lvl_q  <= gpsc_lvl_d;
            gkeep_q     <= gkeep_d;
            gdmt_hit_q  <= gdmt_hit_d;
            gdmt_ea_q   <= gdmt_ea_d;
            gdmt_pv_q   <= gdmt_pv_d;
            gdmt_q      <= gdmt_d;
            hdmt_hit_q  <= hdmt_hit_d;
            hdmt_ea_q   <= hdmt_ea_d;
            hdmt_q      <= hdmt_d;
            gpa_q       <= gpa_d;
            hseg_hit_q  <= hseg_hit_d;
            hseg_pa_q   <= hseg_pa_d;
            hesc_q      <= hesc_d;
            hlevel_q    <= hlevel_d;
            hw_q        <= hw_d;
            hxd_q       <= hxd_d;
            ntlb_hit_q  <= ntlb_hit_d;
            hpsc_lvl_q  <= hpsc_lvl_d;
            status_q    <= status_d;
            reason_q    <= reason_d;
            level_q     <= level_d;
            pa_q        <= pa_d;
            size_q      <= size_d;
            w_q         <= w_d;
            u_q         <= u_d;
            xd_q        <= xd_d;
            gpt_q       <= gpt_d;
        end
    end

    // (from flops and the request's handshake: no step's decision, nor a
    // counter event, is behind the register port's ready)
    assign idle_stay_o      = state_q == S_IDLE && !(req_valid_i && req_ready_o);
    assign req_ready_o      = state_q == S_IDLE && !reg_valid_i;
    assign resp_valid_o     = state_q == S_RESP;
    // fields without meaning for the status read zero
    wire st_ok    = status_q == `NW_ST_OK;
    wire st_host  = status_q == `NW_ST_HOST_FAULT;
    wire st_guest = status_q == `NW_ST_GUEST_FAULT || status_q == `NW_ST_SHADOW_FAULT;
    assign resp_status_o    = status_q;
    assign resp_reason_o    = reason_q;
    assign resp_level_o     = st_ok ? 3'd0 : level_q;
    assign resp_pa_o        = st_ok ? pa_q : 52'd0;
    assign resp_size_o      = st_ok ? size_q : `NW_SIZE_4K;
    assign resp_w_o         = st_ok && w_q;
    assign resp_u_o         = st_ok && u_q;
    assign resp_xd_o        = st_ok && xd_q;
    assign resp_gpa_o       = st_host ? gpa_q : 52'd0;    // held while the response waits
    assign resp_gpt_o       = st_host && gpt_q;
    // the page-fault error code of a guest or shadow fault
    assign resp_pferr_o[`NW_PF_P]    = st_guest && (reason_q == `NW_RSN_PROTECTION ||
                                                    reason_q == `NW_RSN_RESERVED);
    assign resp_pferr_o[`NW_PF_W]    = st_guest && is_write;
    assign resp_pferr_o[`NW_PF_U]    = st_guest && user_q;
    assign resp_pferr_o[`NW_PF_RSVD] = st_guest && reason_q == `NW_RSN_RESERVED;
    assign resp_pferr_o[`NW_PF_ID]   = st_guest && is_fetch && (nxe || smep);
    assign resp_refs_o      = refs_q;
    assign resp_id_o        = id_q;
    assign mem_req_valid_o  = state_q == S_MREQ;
    assign mem_req_addr_o   = addr_q;
    assign mem_resp_ready_o = resp_wait_q;
endmodule

`default_nettype wire
