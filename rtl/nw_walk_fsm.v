// nw_walk_fsm: the walk state machine. Takes one request, walks the guest
// (or shadow) dimension and, when virtualized, the host dimension of every
// guest table address and of the final gPA, one memory read at a time in
// the SPEC's order, and answers with the result.
//
// Where a walk is: the control state (IDLE, LOOK, START, HLOOK, HOST, MREQ,
// MRESP, ENTRY, RESP) says what the walker is doing; the stage says whose
// entry the outstanding read fetches, or (in HLOOK and HOST) whose gPA the
// host dimension takes:
//   STG_GUEST    a guest or shadow table entry, read at its hPA (or PA);
//   STG_HOST_GPT a host table entry, translating a guest table entry's gPA;
//   STG_HOST_GPA a host table entry, translating the final gPA.
//
// Timing: every step starts at flops. The request is registered with its
// guest segment answer, LOOK registers its guest escape, START evaluates
// it; every memory response is registered and ENTRY decodes it, so the
// next read or the response is presented in the cycle after ENTRY; a gPA
// handed to the host dimension is registered, HLOOK registers its host
// segment and filter answers and HOST acts on them. So no cycle holds the
// memory data, the entry decode and the host segment compare and filter
// lookup together. Each filter hashes its page on the way into a register
// (the guest filter the VA being accepted, the host filter the gPA being
// handed over) and answers from it in the next cycle; counter events are
// counted a cycle later (nw_regfile). See docs/RTL.md for the latency
// formula.
//
// Each dimension's step is a block of its own with one result record
// (read this address / hand this gPA on / finished: a fault or a
// translation), and the two never act in the same cycle; the control
// block merges the records.
`default_nettype none
`include "nw_defs.vh"

module nw_walk_fsm #(
    parameter ID_WIDTH = 8
) (
    // configuration (stable while a walk is in progress)
    input  wire [`NW_CTRL_W-1:0] ctrl_i,
    input  wire [51:12]        gcr3_i,
    input  wire [51:12]        hcr3_i,
    input  wire [52:12]        scr3_i,
    /* verilator lint_off UNUSEDSIGNAL */  // OFFSET bits 63:52 cannot reach a 52-bit address
    input  wire [6*52-1:0]     seg_i,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [2:0]          gattr_i,
    input  wire [1:0]          hattr_i,
    output wire [51:0]         gfilt_page_o,
    input  wire                gfilt_hit_i,
    output wire [51:0]         hfilt_page_o,
    input  wire                hfilt_hit_i,
    output reg  [`NW_NUM_COUNTERS-1:0] cnt_inc_o,
    output wire                idle_next_o,   // idle (no walk) in the next cycle
    input  wire                reg_valid_i,   // a register access (or a filter insert) wins over a request
`include "nw_walk_ports.vh"
);
    localparam [3:0] S_IDLE = 4'd0, S_LOOK = 4'd1, S_START = 4'd2, S_HLOOK = 4'd3,
                     S_HOST = 4'd4, S_MREQ = 4'd5, S_MRESP = 4'd6, S_ENTRY = 4'd7,
                     S_RESP = 4'd8;
    localparam [1:0] STG_GUEST = 2'd0, STG_HOST_GPT = 2'd1, STG_HOST_GPA = 2'd2;

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
    reg [`NW_ACC_W-1:0] access_q, access_d;
    reg                user_q,   user_d;
    reg [ID_WIDTH-1:0] id_q,     id_d;
    reg [51:0]         addr_q,   addr_d;    // memory read address
    reg [5:0]          refs_q,   refs_d;
    // guest (or shadow) dimension
    reg                gseg_hit_q, gseg_hit_d;  // va is in the guest segment ...
    reg [51:0]         gseg_pa_q,  gseg_pa_d;   // ... which maps it here ...
    reg                gesc_q,     gesc_d;      // ... unless it escapes
    reg                gseg_deny_q, gseg_deny_d; // the segment's permissions deny the access
    reg                noncanon_q, noncanon_d;  // va is not canonical
    reg                shadow_q, shadow_d;  // the table read is a shadow table
    reg [2:0]          glevel_q, glevel_d;
    reg                gw_q, gw_d, gu_q, gu_d, gxd_q, gxd_d;
    reg [1:0]          gsize_q,  gsize_d;
    // host dimension
    reg [51:0]         gpa_q,    gpa_d;     // the gPA being translated ...
    reg                hseg_hit_q, hseg_hit_d;  // ... is in the host segment ...
    reg [51:0]         hseg_pa_q,  hseg_pa_d;   // ... which maps it here ...
    reg                hesc_q,     hesc_d;      // ... unless it escapes
    reg [2:0]          hlevel_q, hlevel_d;
    reg                hw_q, hw_d, hxd_q, hxd_d;
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

    // ---- segments and escape filters ----
    // The guest segment looks at the request as it is accepted (its result
    // is registered with it), the host segment at the registered gPA.
    wire        gseg_hit, hseg_hit;
    wire [51:0] gseg_pa, hseg_pa;
    reg  [51:0] g_gpa;                       // the gPA the guest step hands on

    nw_segment u_gseg (
        .en_i     (ctrl_i[`NW_CTRL_GSEG_EN]),
        .base_i   (seg_i[0*52 +: 52]),
        .limit_i  (seg_i[1*52 +: 52]),
        .offset_i (seg_i[2*52 +: 40]),
        .x_i      (req_va_i),
        .hit_o    (gseg_hit),
        .y_o      (gseg_pa)
    );
    nw_segment u_hseg (
        .en_i     (hseg_en),
        .base_i   (seg_i[3*52 +: 52]),
        .limit_i  (seg_i[4*52 +: 52]),
        .offset_i (seg_i[5*52 +: 40]),
        .x_i      ({12'd0, gpa_q}),
        .hit_o    (hseg_hit),
        .y_o      (hseg_pa)
    );
    // pages looked up a cycle ahead: the VA being accepted (its escape is
    // registered in LOOK), the gPA being handed over (below)
    assign gfilt_page_o = req_va_i[63:12];


    // ---- entry decode: the entry being returned, whichever its dimension ----
    // The response is registered as it arrives (every cycle: it is only
    // looked at in ENTRY, right after it is taken) and decoded in ENTRY.
    reg  [63:0]  ent_q;
    reg          ent_err_q;
    always @(posedge clk_i) begin
        ent_q     <= mem_resp_data_i;
        ent_err_q <= mem_resp_err_i;
    end

    wire         pte_np, pte_rsv, pte_sw, pte_leaf, pte_w, pte_u, pte_xd;
    wire [51:12] pte_next;
    wire [51:0]  pte_pa;
    wire [1:0]   pte_size;

    nw_pte u_pte (
        .pte_i   (ent_q),
        .level_i (in_host ? hlevel_q : glevel_q),
        .sw_en_i (!in_host && shadow_q),
        .nxe_i   (nxe),
        .x_i     (in_host ? gpa_q[29:0] : va_q[29:0]),
        .w_i     (in_host ? hw_q : gw_q),
        .u_i     (in_host || gu_q),
        .xd_i    (in_host ? hxd_q : gxd_q),
        .np_o    (pte_np),
        .rsv_o   (pte_rsv),
        .sw_o    (pte_sw),
        .leaf_o  (pte_leaf),
        .next_o  (pte_next),
        .pa_o    (pte_pa),
        .size_o  (pte_size),
        .w_o     (pte_w),
        .u_o     (pte_u),
        .xd_o    (pte_xd)
    );

    // The page of the gPA handed over, without waiting for the checks that
    // decide whether one is (where none is, the hash goes unused): in
    // START the guest segment's output or the guest's top table; in ENTRY
    // the table the entry names, or a leaf's frame with the VA's bits below
    // its size.
    wire         ps = ent_q[7];
    wire [51:12] ent_gpage = {ent_q[51:30],
                              glevel_q == 3'd3 && ps ? va_q[29:21] : ent_q[29:21],
                              (glevel_q == 3'd2 || glevel_q == 3'd3) && ps ? va_q[20:12]
                                                                          : ent_q[20:12]};
    assign hfilt_page_o = {12'd0, entry ? ent_gpage
                                        : gseg_hit_q && !gesc_q ? gseg_pa_q[51:12] : gcr3_i};

    // ---- step_guest: START, or an entry of the guest/shadow table ----
    // Its record: read g_addr directly (g_read: an hPA, or a PA natively),
    // or hand g_gpa to the host (g_host; g_gpt: a guest table entry's), or
    // finish (g_fin) with a fault or a translation; g_done: the guest
    // dimension translated va to g_out.
    reg                 g_read;
    reg [51:0]          g_addr;
    reg                 g_host, g_gpt;
    reg                 g_fin;
    reg [`NW_ST_W-1:0]  g_status;
    reg [`NW_RSN_W-1:0] g_reason;
    reg                 g_done;
    reg [51:0]          g_out;
    reg                 g_denied;          // x86 permission check failed
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
        g_addr       = 52'd0;
        g_host       = 1'b0;
        g_gpt        = 1'b0;
        g_gpa        = 52'd0;
        g_fin        = 1'b0;
        g_status     = `NW_ST_OK;
        g_reason     = `NW_RSN_NONE;
        g_done       = 1'b0;
        g_out        = 52'd0;
        g_cnt        = {`NW_NUM_COUNTERS{1'b0}};

        if (state_q == S_START) begin
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
                g_out   = gseg_pa_q;
            end else begin
                g_cnt[`NW_CNT_GESCAPES] = gesc_q;
                g_gpt = 1'b1;
                if (shadow_en) begin
                    // SCR3.SW: SCR3 already holds the guest's top table
                    g_cnt[`NW_CNT_SWITCHES] = scr3_i[52];
                    shadow_d = !scr3_i[52];
                    direct   = 1'b1;
                    g_addr   = entry_addr(scr3_i[51:12], va_q[56:12], glevels);
                end else begin
                    direct   = !virt;
                    g_addr   = entry_addr(gcr3_i, va_q[56:12], glevels);
                end
            end
        end else if (entry_in && !in_host) begin
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
                    g_out        = pte_pa;
                end else begin
                    // the table below: a switch reads the guest table at
                    // the hPA it names, as does a shadow or native walk
                    glevel_d                = glevel_q - 3'd1;
                    shadow_d                = shadow_q && !pte_sw;
                    g_cnt[`NW_CNT_SWITCHES] = pte_sw;
                    direct                  = !virt || shadow_q || pte_sw;
                    g_gpt                   = 1'b1;
                    g_addr                  = entry_addr(pte_next, va_q[56:12], glevel_q - 3'd1);
                end
            end
        end
        // a table entry's address: read it, or translate it first
        if (g_gpt) begin
            g_read = direct;
            g_host = !direct;
            g_gpa  = g_addr;
        end

        // the guest dimension is done: x86 permission checks
        g_denied = state_q == S_START ? gseg_deny_q
                 : denied(pte_w, pte_u, pte_xd, user_q, is_write, is_fetch, wp, smep);
        if (g_done) begin
            if (g_denied) begin
                g_fin    = 1'b1;
                g_status = shadow_d ? `NW_ST_SHADOW_FAULT : `NW_ST_GUEST_FAULT;
                g_reason = `NW_RSN_PROTECTION;
            end else if (virt && !shadow_d) begin
                g_host = 1'b1;
                g_gpa  = g_out;
            end else begin
                g_fin = 1'b1;
            end
        end
    end

    // ---- step_host: HOST (a gPA handed over), or an entry of the host table ----
    // Its record: read h_addr (h_table: a host table entry; else the guest
    // table entry at its hPA), or finish (h_fin) with a fault or the final
    // hPA; h_done: the host dimension translated gpa_q to h_out.
    reg                 h_read, h_table;
    reg [51:0]          h_addr;
    reg                 h_fin;
    reg [`NW_ST_W-1:0]  h_status;
    reg [`NW_RSN_W-1:0] h_reason;
    reg                 h_done;
    reg [51:0]          h_out;
    reg [1:0]           h_size;
    reg                 h_gpt;             // the gPA is a guest table entry's
    reg [`NW_NUM_COUNTERS-1:0] h_cnt;

    always @* begin : step_host
        gpa_d        = g_host ? g_gpa : gpa_q;
        hseg_hit_d   = hseg_hit_q;
        hseg_pa_d    = hseg_pa_q;
        hesc_d       = hesc_q;
        hlevel_d     = hlevel_q;
        hw_d         = hw_q;
        hxd_d        = hxd_q;
        h_gpt        = stage_q == STG_HOST_GPT;
        h_read       = 1'b0;
        h_table      = 1'b0;
        h_addr       = 52'd0;
        h_fin        = 1'b0;
        h_status     = `NW_ST_OK;
        h_reason     = `NW_RSN_NONE;
        h_done       = 1'b0;
        h_out        = 52'd0;
        h_size       = `NW_SIZE_4K;
        h_cnt        = {`NW_NUM_COUNTERS{1'b0}};

        if (state_q == S_HLOOK) begin
            // the host segment and filter look at the registered gPA
            hseg_hit_d = hseg_hit;
            hseg_pa_d  = hseg_pa;
            hesc_d     = hseg_hit && ctrl_i[`NW_CTRL_HFILT_EN] && hfilt_hit_i;
        end else if (state_q == S_HOST) begin
            if (hseg_hit_q && !hesc_q) begin
                h_cnt[`NW_CNT_HSEG_HITS] = 1'b1;
                hw_d   = hattr_i[0];
                hxd_d  = hattr_i[1] && nxe;
                h_done = 1'b1;
                h_out  = hseg_pa_q;
            end else begin
                h_cnt[`NW_CNT_HESCAPES] = hesc_q;
                if (!h5 && gpa_q[51:48] != 4'd0) begin
                    // beyond a 4-level host's reach
                    h_fin    = 1'b1;
                    h_status = `NW_ST_HOST_FAULT;
                    h_reason = `NW_RSN_NOT_PRESENT;
                end else begin
                    hlevel_d = hlevels;
                    hw_d     = 1'b1;
                    hxd_d    = 1'b0;
                    h_read   = 1'b1;
                    h_table  = 1'b1;
                    h_addr   = entry_addr(hcr3_i, {5'd0, gpa_q[51:12]}, hlevels);
                end
            end
        end else if (entry_in && in_host) begin
            if (pte_np || pte_rsv) begin
                h_fin    = 1'b1;
                h_status = `NW_ST_HOST_FAULT;
                h_reason = pte_np ? `NW_RSN_NOT_PRESENT : `NW_RSN_RESERVED;
            end else begin
                hw_d  = pte_w;
                hxd_d = pte_xd;
                if (pte_leaf) begin
                    h_done       = 1'b1;
                    h_out        = pte_pa;
                    h_size       = pte_size;
                end else begin
                    hlevel_d = hlevel_q - 3'd1;
                    h_read   = 1'b1;
                    h_table  = 1'b1;
                    h_addr   = entry_addr(pte_next, {5'd0, gpa_q[51:12]}, hlevel_q - 3'd1);
                end
            end
        end

        if (h_done) begin
            if (h_gpt) begin
                // a guest table entry: read it at its hPA
                h_read = 1'b1;
                h_addr = h_out;
            end else if ((is_write && !hw_d) || (is_fetch && hxd_d)) begin
                h_fin    = 1'b1;
                h_status = `NW_ST_HOST_FAULT;
                h_reason = `NW_RSN_PROTECTION;
            end else begin
                h_fin = 1'b1;
            end
        end
    end

    // ---- control: ports, the next read, the result and the counters ----
    wire bus_err = entry && ent_err_q;

    always @* begin : control
        state_d     = state_q;
        stage_d     = stage_q;
        va_d        = va_q;
        gseg_hit_d     = gseg_hit_q;
        gseg_pa_d     = gseg_pa_q;
        gesc_d        = gesc_q;
        gseg_deny_d   = gseg_deny_q;
        noncanon_d    = noncanon_q;
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
        cnt_inc_o   = g_cnt | h_cnt;
        cnt_inc_o[`NW_CNT_BUSY_CYCLES] = state_q != S_IDLE;

        case (state_q)
            S_IDLE:
                if (req_valid_i && req_ready_o) begin
                    state_d  = S_LOOK;
                    va_d     = req_va_i;
                    gseg_hit_d  = gseg_hit;
                    gseg_pa_d   = gseg_pa;
                    // the request's checks that need no read, registered
                    // with it so that START only picks among them
                    gseg_deny_d = denied(gattr_i[0], gattr_i[1], gattr_i[2] && nxe, req_user_i,
                                         req_access_i == `NW_ACC_WRITE,
                                         req_access_i == `NW_ACC_FETCH, wp, smep);
                    noncanon_d  = g5 ? !(&req_va_i[63:56] || ~|req_va_i[63:56])
                                     : !(&req_va_i[63:47] || ~|req_va_i[63:47]);
                    access_d = req_access_i;
                    user_d   = req_user_i;
                    id_d     = req_id_i;
                    refs_d   = 6'd0;
                end
            S_HLOOK:
                state_d = S_HOST;
            S_LOOK: begin
                state_d = S_START;
                gesc_d  = gseg_hit_q && ctrl_i[`NW_CTRL_GFILT_EN] && gfilt_hit_i;
            end
            S_MREQ:
                if (mem_req_ready_i) begin
                    state_d = S_MRESP;
                    refs_d  = refs_q + 6'd1;
                    cnt_inc_o[`NW_CNT_READS] = 1'b1;
                end
            S_MRESP:
                if (mem_resp_valid_i)
                    state_d = S_ENTRY;
            S_RESP:
                if (resp_ready_i) begin
                    state_d = S_IDLE;
                    cnt_inc_o[`NW_CNT_WALKS] = 1'b1;
                end
            default: ;
        endcase

        if (g_host) begin
            state_d = S_HLOOK;
            stage_d = g_gpt ? STG_HOST_GPT : STG_HOST_GPA;
        end
        if (g_read || h_read) begin
            state_d = S_MREQ;
            addr_d  = g_read ? g_addr : h_addr;
            stage_d = !(h_read && h_table) ? STG_GUEST :
                      h_gpt ? STG_HOST_GPT : STG_HOST_GPA;
        end

        if (g_fin || h_fin || bus_err) begin
            state_d  = S_RESP;
            // one record: the bus error's, the guest step's or the host step's
            status_d = bus_err ? `NW_ST_BUS_ERROR : g_fin ? g_status : h_status;
            reason_d = g_fin ? g_reason : h_reason;
            // a fault found in an entry is at the entry's level; one found
            // before any read (non-canonical, a segment's permissions, the
            // host's reach) at level 0
            level_d  = entry ? (in_host ? hlevel_q : glevel_q) : 3'd0;
            // every field is loaded whatever the status; the response
            // port shows a field only where the status gives it meaning,
            // so no field waits for the status to be decided
            pa_d        = g_fin ? g_out : h_out;
            size_d      = (g_fin || gsize_d < h_size) ? gsize_d : h_size;
            w_d         = gw_d && (g_fin || hw_d);
            u_d         = gu_d;
            xd_d        = gxd_d || (h_fin && hxd_d);
            gpt_d       = h_gpt;
            cnt_inc_o[`NW_CNT_GUEST_FAULTS]  = status_d == `NW_ST_GUEST_FAULT;
            cnt_inc_o[`NW_CNT_HOST_FAULTS]   = status_d == `NW_ST_HOST_FAULT;
            cnt_inc_o[`NW_CNT_SHADOW_FAULTS] = status_d == `NW_ST_SHADOW_FAULT;
            cnt_inc_o[`NW_CNT_BUS_ERRORS]    = status_d == `NW_ST_BUS_ERROR;
        end
    end

    always @(posedge clk_i) begin
        if (rst_i) begin
            state_q     <= S_IDLE;
            stage_q     <= STG_GUEST;
            va_q        <= 64'd0;
            gseg_hit_q     <= 1'b0;
            gseg_pa_q     <= 52'd0;
            gesc_q        <= 1'b0;
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
            gpa_q       <= 52'd0;
            hseg_hit_q  <= 1'b0;
            hseg_pa_q   <= 52'd0;
            hesc_q      <= 1'b0;
            hlevel_q    <= 3'd0;
            hw_q        <= 1'b0;
            hxd_q       <= 1'b0;
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
            gseg_hit_q     <= gseg_hit_d;
            gseg_pa_q     <= gseg_pa_d;
            gesc_q        <= gesc_d;
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
            gpa_q       <= gpa_d;
            hseg_hit_q  <= hseg_hit_d;
            hseg_pa_q   <= hseg_pa_d;
            hesc_q      <= hesc_d;
            hlevel_q    <= hlevel_d;
            hw_q        <= hw_d;
            hxd_q       <= hxd_d;
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

    assign idle_next_o      = state_d == S_IDLE;
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
    assign mem_resp_ready_o = state_q == S_MRESP;
endmodule

`default_nettype wire
