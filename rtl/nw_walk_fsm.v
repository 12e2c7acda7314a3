// nw_walk_fsm: the walk state machine. Takes one request, walks the guest
// (or shadow) dimension and, when virtualized, the host dimension of every
// guest table address and of the final gPA, one memory read at a time in
// the SPEC's order, and answers with the result.
//
// Timing: the request is registered (START evaluates it), then every
// memory response is folded in the cycle it arrives, through as many
// read-free steps as it leads to (segment hits, a guest leaf followed by a
// host segment hit, checks), so the next read or the response is presented
// in the following cycle. See docs/RTL.md for the latency formula.
//
// The logic is split so that no always block both drives and reads the
// path through the host segment and filter: step_guest only looks at
// registered state and the memory response; step_host consumes the gPA
// step_guest hands it.
`default_nettype none

module nw_walk_fsm #(
    parameter ID_WIDTH = 8
) (
    input  wire                clk_i,
    input  wire                rst_i,
    // configuration (stable while a walk is in progress)
    input  wire [10:0]         ctrl_i,
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
    output reg  [11:0]         cnt_inc_o,
    output wire                idle_o,
    input  wire                reg_valid_i,   // a register access wins over a request
    // request
    input  wire                req_valid_i,
    output wire                req_ready_o,
    input  wire [63:0]         req_va_i,
    input  wire [1:0]          req_access_i,
    input  wire                req_user_i,
    input  wire [ID_WIDTH-1:0] req_id_i,
    // response
    output wire                resp_valid_o,
    input  wire                resp_ready_i,
    output wire [2:0]          resp_status_o,
    output wire [2:0]          resp_reason_o,
    output wire [2:0]          resp_level_o,
    output wire [51:0]         resp_pa_o,
    output wire [1:0]          resp_size_o,
    output wire                resp_w_o,
    output wire                resp_u_o,
    output wire                resp_xd_o,
    output wire [51:0]         resp_gpa_o,
    output wire                resp_gpt_o,
    output wire [4:0]          resp_pferr_o,
    output wire [5:0]          resp_refs_o,
    output wire [ID_WIDTH-1:0] resp_id_o,
    // memory
    output wire                mem_req_valid_o,
    input  wire                mem_req_ready_i,
    output wire [51:0]         mem_req_addr_o,
    input  wire                mem_resp_valid_i,
    output wire                mem_resp_ready_o,
    input  wire [63:0]         mem_resp_data_i,
    input  wire                mem_resp_err_i
);
    localparam [2:0] S_IDLE = 3'd0, S_START = 3'd1, S_MREQ = 3'd2, S_MRESP = 3'd3,
                     S_RESP = 3'd4;
    localparam [2:0] ST_OK = 3'd0, ST_GUEST = 3'd1, ST_HOST = 3'd2, ST_SHADOW = 3'd3,
                     ST_BUS = 3'd4;
    localparam [2:0] RS_NONE = 3'd0, RS_NP = 3'd1, RS_RSV = 3'd2, RS_PROT = 3'd3,
                     RS_NC = 3'd4;
    // counter events (BEHAVIOUR.md order)
    localparam C_WALKS = 0, C_READS = 1, C_GSEG = 2, C_HSEG = 3, C_GESC = 4, C_HESC = 5,
               C_SWITCH = 6, C_GFAULT = 7, C_HFAULT = 8, C_SFAULT = 9, C_BUS = 10,
               C_BUSY = 11;

    // ---- configuration ----
    wire virt      = ctrl_i[0];
    wire hseg_en   = ctrl_i[4] && virt;
    wire shadow_en = ctrl_i[5] && virt;
    wire nxe       = ctrl_i[6];
    wire wp        = ctrl_i[7];
    wire smep      = ctrl_i[8];
    wire [2:0] glevels = ctrl_i[1] ? 3'd5 : 3'd4;
    wire [2:0] hlevels = ctrl_i[2] ? 3'd5 : 3'd4;

    // Address of the entry for x at level in table: table | index << 3.
    function [51:0] ent_addr;
        input [51:12] table_f;
        input [56:12] x_f;
        input [2:0]   level_f;
        reg   [8:0]   idx;
        begin
            case (level_f)
                3'd1:    idx = x_f[20:12];
                3'd2:    idx = x_f[29:21];
                3'd3:    idx = x_f[38:30];
                3'd4:    idx = x_f[47:39];
                default: idx = x_f[56:48];
            endcase
            ent_addr = {table_f, idx, 3'd0};
        end
    endfunction

    // ---- registered state ----
    reg [2:0]          state_q,  state_d;
    reg [63:0]         va_q,     va_d;
    reg [1:0]          acc_q,    acc_d;
    reg                user_q,   user_d;
    reg [ID_WIDTH-1:0] id_q,     id_d;
    reg [51:0]         addr_q,   addr_d;    // memory read address
    reg                dimh_q,   dimh_d;    // the outstanding read is a host-table read
    reg [5:0]          refs_q,   refs_d;
    // guest (or shadow) dimension
    reg                shadow_q, shadow_d;  // reading the shadow table
    reg [2:0]          glevel_q, glevel_d;
    reg                gw_q, gw_d, gu_q, gu_d, gxd_q, gxd_d;
    reg [1:0]          gsize_q,  gsize_d;
    // host dimension
    reg [51:0]         hgpa_q,   hgpa_d;    // the gPA being translated
    reg                hgpt_q,   hgpt_d;    // ... is a guest table entry's
    reg [2:0]          hlevel_q, hlevel_d;
    reg                hw_q, hw_d, hxd_q, hxd_d;
    // result
    reg [2:0]          rstatus_q, rstatus_d;
    reg [2:0]          rreason_q, rreason_d;
    reg [2:0]          rlevel_q,  rlevel_d;
    reg [51:0]         rpa_q,     rpa_d;
    reg [1:0]          rsize_q,   rsize_d;
    reg                rw_q, rw_d, ru_q, ru_d, rxd_q, rxd_d;
    reg [51:0]         rgpa_q,    rgpa_d;
    reg                rgpt_q,    rgpt_d;
    reg [4:0]          rpferr_q,  rpferr_d;

    wire is_write = acc_q == 2'd1;
    wire is_fetch = acc_q == 2'd2;
    wire resp_in  = state_q == S_MRESP && mem_resp_valid_i;

    // ---- segments ----
    wire        gseg_hit, hseg_hit;
    wire [51:0] gseg_pa, hseg_pa;
    reg  [51:0] hx;                          // gPA handed to the host dimension

    nw_segment u_gseg (
        .en_i     (ctrl_i[3]),
        .base_i   (seg_i[0*52 +: 52]),
        .limit_i  (seg_i[1*52 +: 52]),
        .offset_i (seg_i[2*52 +: 40]),
        .x_i      (va_q),
        .hit_o    (gseg_hit),
        .y_o      (gseg_pa)
    );
    nw_segment u_hseg (
        .en_i     (hseg_en),
        .base_i   (seg_i[3*52 +: 52]),
        .limit_i  (seg_i[4*52 +: 52]),
        .offset_i (seg_i[5*52 +: 40]),
        .x_i      ({12'd0, hx}),
        .hit_o    (hseg_hit),
        .y_o      (hseg_pa)
    );
    assign gfilt_page_o = va_q[63:12];
    assign hfilt_page_o = {12'd0, hx[51:12]};
    wire gesc = gseg_hit && ctrl_i[9] && gfilt_hit_i;
    wire hesc = hseg_hit && ctrl_i[10] && hfilt_hit_i;

    // ---- the entry being returned, whichever dimension it belongs to ----
    wire        pte_np, pte_rsv, pte_sw, pte_leaf, pte_w, pte_u, pte_xd;
    wire [51:12] pte_next;
    wire [51:0]  pte_pa;
    wire [1:0]  pte_size;

    nw_pte u_pte (
        .pte_i   (mem_resp_data_i),
        .level_i (dimh_q ? hlevel_q : glevel_q),
        .sw_en_i (!dimh_q && shadow_q),
        .nxe_i   (nxe),
        .x_i     (dimh_q ? hgpa_q[29:0] : va_q[29:0]),
        .w_i     (dimh_q ? hw_q : gw_q),
        .u_i     (dimh_q || gu_q),
        .xd_i    (dimh_q ? hxd_q : gxd_q),
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

    // ---- step_guest: START, or an entry of the guest/shadow table ----
    reg        ga_read;                   // read ga_addr directly (an hPA or PA)
    reg [51:0] ga_addr;
    reg        ga_host;                   // hand hx to the host dimension
    reg        ga_hgpt;
    reg        ga_fin;                    // the walk ends here
    reg [2:0]  ga_status, ga_reason, ga_level;
    reg [51:0] ga_pa;
    reg        ga_end;                    // guest dimension done at ga_pa
    reg [2:0]  ga_end_level;
    reg        ga_fail;
    reg [11:0] ga_cnt;

    always @* begin
        shadow_d = shadow_q;
        glevel_d = glevel_q;
        gw_d     = gw_q;
        gu_d     = gu_q;
        gxd_d    = gxd_q;
        gsize_d  = gsize_q;
        ga_read  = 1'b0;
        ga_addr  = 52'd0;
        ga_host  = 1'b0;
        ga_hgpt  = 1'b0;
        hx       = 52'd0;
        ga_fin   = 1'b0;
        ga_status = ST_OK;
        ga_reason = RS_NONE;
        ga_level  = 3'd0;
        ga_pa     = 52'd0;
        ga_end    = 1'b0;
        ga_end_level = 3'd0;
        ga_cnt    = 12'd0;

        if (state_q == S_START) begin
            shadow_d = 1'b0;
            glevel_d = glevels;
            gw_d     = 1'b1;
            gu_d     = 1'b1;
            gxd_d    = 1'b0;
            if (ctrl_i[1] ? !(&va_q[63:56] || ~|va_q[63:56])
                          : !(&va_q[63:47] || ~|va_q[63:47])) begin
                ga_fin    = 1'b1;
                ga_status = ST_GUEST;
                ga_reason = RS_NC;
            end else if (gseg_hit && !gesc) begin
                ga_cnt[C_GSEG] = 1'b1;
                gw_d    = gattr_i[0];
                gu_d    = gattr_i[1];
                gxd_d   = gattr_i[2] && nxe;
                gsize_d = 2'd0;
                ga_end  = 1'b1;
                ga_pa   = gseg_pa;
            end else begin
                ga_cnt[C_GESC] = gesc;
                if (shadow_en) begin
                    // SCR3.SW: SCR3 already holds the guest's top table
                    ga_cnt[C_SWITCH] = scr3_i[52];
                    shadow_d = !scr3_i[52];
                    ga_read  = 1'b1;
                    ga_addr  = ent_addr(scr3_i[51:12], va_q[56:12], glevels);
                end else begin
                    ga_read = !virt;
                    ga_host = virt;
                    ga_hgpt = 1'b1;
                    ga_addr = ent_addr(gcr3_i, va_q[56:12], glevels);
                    hx      = ga_addr;
                end
            end
        end else if (resp_in && !dimh_q && !mem_resp_err_i) begin
            if (pte_np || pte_rsv) begin
                ga_fin    = 1'b1;
                ga_status = shadow_q ? ST_SHADOW : ST_GUEST;
                ga_reason = pte_np ? RS_NP : RS_RSV;
                ga_level  = glevel_q;
            end else begin
                gw_d  = pte_w;
                gu_d  = pte_u;
                gxd_d = pte_xd;
                if (pte_leaf) begin
                    gsize_d      = pte_size;
                    ga_end       = 1'b1;
                    ga_end_level = glevel_q;
                    ga_pa        = pte_pa;
                end else begin
                    // the table below: a switch reads the guest table at
                    // the hPA it names, as does a shadow or native walk
                    glevel_d         = glevel_q - 3'd1;
                    shadow_d         = shadow_q && !pte_sw;
                    ga_cnt[C_SWITCH] = pte_sw;
                    ga_addr          = ent_addr(pte_next, va_q[56:12], glevel_q - 3'd1);
                    ga_host          = virt && !shadow_q && !pte_sw;
                    ga_read          = !ga_host;
                    ga_hgpt          = 1'b1;
                    hx               = ga_addr;
                end
            end
        end

        // the guest dimension is done: x86 permission checks
        ga_fail = (user_q && !gu_d) || (is_write && !gw_d && (user_q || wp)) ||
                  (is_fetch && gxd_d) || (is_fetch && !user_q && gu_d && smep);
        if (ga_end) begin
            if (ga_fail) begin
                ga_fin    = 1'b1;
                ga_status = shadow_d ? ST_SHADOW : ST_GUEST;
                ga_reason = RS_PROT;
                ga_level  = ga_end_level;
            end else if (virt && !shadow_d) begin
                ga_host = 1'b1;
                ga_hgpt = 1'b0;
                hx      = ga_pa;
            end else begin
                ga_fin = 1'b1;
            end
        end
    end

    // ---- step_host: a gPA handed over, or an entry of the host table ----
    reg        hb_read;
    reg [51:0] hb_addr;
    reg        hb_dimh;                   // hb_addr is a host-table entry
    reg        hb_fin;
    reg [2:0]  hb_status, hb_reason, hb_level;
    reg        hb_end;                    // gPA hgpa_d translated to hb_pa
    reg [51:0] hb_pa;
    reg [1:0]  hb_size;
    reg [2:0]  hb_end_level;
    reg [11:0] hb_cnt;

    always @* begin
        hgpa_d   = hgpa_q;
        hgpt_d   = hgpt_q;
        hlevel_d = hlevel_q;
        hw_d     = hw_q;
        hxd_d    = hxd_q;
        hb_read  = 1'b0;
        hb_addr  = 52'd0;
        hb_dimh  = 1'b0;
        hb_fin   = 1'b0;
        hb_status = ST_OK;
        hb_reason = RS_NONE;
        hb_level  = 3'd0;
        hb_end    = 1'b0;
        hb_pa     = 52'd0;
        hb_size   = 2'd0;
        hb_end_level = 3'd0;
        hb_cnt    = 12'd0;

        if (ga_host) begin
            hgpa_d = hx;
            hgpt_d = ga_hgpt;
            if (hseg_hit && !hesc) begin
                hb_cnt[C_HSEG] = 1'b1;
                hw_d   = hattr_i[0];
                hxd_d  = hattr_i[1] && nxe;
                hb_end = 1'b1;
                hb_pa  = hseg_pa;
            end else begin
                hb_cnt[C_HESC] = hesc;
                if (!ctrl_i[2] && hx[51:48] != 4'd0) begin
                    // beyond a 4-level host's reach
                    hb_fin    = 1'b1;
                    hb_status = ST_HOST;
                    hb_reason = RS_NP;
                end else begin
                    hlevel_d = hlevels;
                    hw_d     = 1'b1;
                    hxd_d    = 1'b0;
                    hb_read  = 1'b1;
                    hb_dimh  = 1'b1;
                    hb_addr  = ent_addr(hcr3_i, {5'd0, hx[51:12]}, hlevels);
                end
            end
        end else if (resp_in && dimh_q && !mem_resp_err_i) begin
            if (pte_np || pte_rsv) begin
                hb_fin    = 1'b1;
                hb_status = ST_HOST;
                hb_reason = pte_np ? RS_NP : RS_RSV;
                hb_level  = hlevel_q;
            end else begin
                hw_d  = pte_w;
                hxd_d = pte_xd;
                if (pte_leaf) begin
                    hb_end       = 1'b1;
                    hb_pa        = pte_pa;
                    hb_size      = pte_size;
                    hb_end_level = hlevel_q;
                end else begin
                    hlevel_d = hlevel_q - 3'd1;
                    hb_read  = 1'b1;
                    hb_dimh  = 1'b1;
                    hb_addr  = ent_addr(pte_next, {5'd0, hgpa_q[51:12]}, hlevel_q - 3'd1);
                end
            end
        end

        if (hb_end) begin
            if (hgpt_d) begin
                // a guest table entry: read it at its hPA
                hb_read = 1'b1;
                hb_addr = hb_pa;
            end else if ((is_write && !hw_d) || (is_fetch && hxd_d)) begin
                hb_fin    = 1'b1;
                hb_status = ST_HOST;
                hb_reason = RS_PROT;
                hb_level  = hb_end_level;
            end else begin
                hb_fin = 1'b1;
            end
        end
    end

    // ---- control, result and counters ----
    wire bus_err = resp_in && mem_resp_err_i;

    always @* begin
        state_d = state_q;
        va_d    = va_q;
        acc_d   = acc_q;
        user_d  = user_q;
        id_d    = id_q;
        addr_d  = addr_q;
        dimh_d  = dimh_q;
        refs_d  = refs_q;
        rstatus_d = rstatus_q;
        rreason_d = rreason_q;
        rlevel_d  = rlevel_q;
        rpa_d     = rpa_q;
        rsize_d   = rsize_q;
        rw_d      = rw_q;
        ru_d      = ru_q;
        rxd_d     = rxd_q;
        rgpa_d    = rgpa_q;
        rgpt_d    = rgpt_q;
        rpferr_d  = rpferr_q;
        cnt_inc_o = ga_cnt | hb_cnt;
        cnt_inc_o[C_BUSY] = state_q != S_IDLE;

        case (state_q)
            S_IDLE:
                if (req_valid_i && req_ready_o) begin
                    state_d = S_START;
                    va_d    = req_va_i;
                    acc_d   = req_access_i;
                    user_d  = req_user_i;
                    id_d    = req_id_i;
                    refs_d  = 6'd0;
                end
            S_MREQ:
                if (mem_req_ready_i) begin
                    state_d = S_MRESP;
                    refs_d  = refs_q + 6'd1;
                    cnt_inc_o[C_READS] = 1'b1;
                end
            S_RESP:
                if (resp_ready_i) begin
                    state_d = S_IDLE;
                    cnt_inc_o[C_WALKS] = 1'b1;
                end
            default: ;
        endcase

        if (ga_read || hb_read) begin
            state_d = S_MREQ;
            addr_d  = ga_read ? ga_addr : hb_addr;
            dimh_d  = hb_read && hb_dimh;
        end

        if (ga_fin || hb_fin || bus_err) begin
            state_d   = S_RESP;
            rstatus_d = bus_err ? ST_BUS : ga_fin ? ga_status : hb_status;
            rreason_d = ga_fin ? ga_reason : hb_reason;
            rlevel_d  = bus_err ? (dimh_q ? hlevel_q : glevel_q) :
                        ga_fin ? ga_level : hb_level;
            // fields without meaning for the status are zero
            rpa_d   = 52'd0;
            rsize_d = 2'd0;
            rw_d    = 1'b0;
            ru_d    = 1'b0;
            rxd_d   = 1'b0;
            rgpa_d  = 52'd0;
            rgpt_d  = 1'b0;
            rpferr_d = 5'd0;
            case (rstatus_d)
                ST_OK: begin
                    rpa_d   = ga_fin ? ga_pa : hb_pa;
                    rsize_d = (ga_fin || gsize_d < hb_size) ? gsize_d : hb_size;
                    rw_d    = gw_d && (ga_fin || hw_d);
                    ru_d    = gu_d;
                    rxd_d   = gxd_d || (hb_fin && hxd_d);
                end
                ST_HOST: begin
                    rgpa_d = hgpa_d;
                    rgpt_d = hgpt_d;
                end
                ST_GUEST, ST_SHADOW:
                    rpferr_d = {is_fetch && (nxe || smep), rreason_d == RS_RSV, user_q,
                                is_write, rreason_d == RS_PROT || rreason_d == RS_RSV};
                default: ;
            endcase
            cnt_inc_o[C_GFAULT] = rstatus_d == ST_GUEST;
            cnt_inc_o[C_HFAULT] = rstatus_d == ST_HOST;
            cnt_inc_o[C_SFAULT] = rstatus_d == ST_SHADOW;
            cnt_inc_o[C_BUS]    = rstatus_d == ST_BUS;
        end
    end

    always @(posedge clk_i) begin
        if (rst_i) begin
            state_q   <= S_IDLE;
            va_q      <= 64'd0;
            acc_q     <= 2'd0;
            user_q    <= 1'b0;
            id_q      <= {ID_WIDTH{1'b0}};
            addr_q    <= 52'd0;
            dimh_q    <= 1'b0;
            refs_q    <= 6'd0;
            shadow_q  <= 1'b0;
            glevel_q  <= 3'd0;
            gw_q      <= 1'b0;
            gu_q      <= 1'b0;
            gxd_q     <= 1'b0;
            gsize_q   <= 2'd0;
            hgpa_q    <= 52'd0;
            hgpt_q    <= 1'b0;
            hlevel_q  <= 3'd0;
            hw_q      <= 1'b0;
            hxd_q     <= 1'b0;
            rstatus_q <= ST_OK;
            rreason_q <= RS_NONE;
            rlevel_q  <= 3'd0;
            rpa_q     <= 52'd0;
            rsize_q   <= 2'd0;
            rw_q      <= 1'b0;
            ru_q      <= 1'b0;
            rxd_q     <= 1'b0;
            rgpa_q    <= 52'd0;
            rgpt_q    <= 1'b0;
            rpferr_q  <= 5'd0;
        end else begin
            state_q   <= state_d;
            va_q      <= va_d;
            acc_q     <= acc_d;
            user_q    <= user_d;
            id_q      <= id_d;
            addr_q    <= addr_d;
            dimh_q    <= dimh_d;
            refs_q    <= refs_d;
            shadow_q  <= shadow_d;
            glevel_q  <= glevel_d;
            gw_q      <= gw_d;
            gu_q      <= gu_d;
            gxd_q     <= gxd_d;
            gsize_q   <= gsize_d;
            hgpa_q    <= hgpa_d;
            hgpt_q    <= hgpt_d;
            hlevel_q  <= hlevel_d;
            hw_q      <= hw_d;
            hxd_q     <= hxd_d;
            rstatus_q <= rstatus_d;
            rreason_q <= rreason_d;
            rlevel_q  <= rlevel_d;
            rpa_q     <= rpa_d;
            rsize_q   <= rsize_d;
            rw_q      <= rw_d;
            ru_q      <= ru_d;
            rxd_q     <= rxd_d;
            rgpa_q    <= rgpa_d;
            rgpt_q    <= rgpt_d;
            rpferr_q  <= rpferr_d;
        end
    end

    assign idle_o           = state_q == S_IDLE;
    assign req_ready_o      = state_q == S_IDLE && !reg_valid_i;
    assign resp_valid_o     = state_q == S_RESP;
    assign resp_status_o    = rstatus_q;
    assign resp_reason_o    = rreason_q;
    assign resp_level_o     = rlevel_q;
    assign resp_pa_o        = rpa_q;
    assign resp_size_o      = rsize_q;
    assign resp_w_o         = rw_q;
    assign resp_u_o         = ru_q;
    assign resp_xd_o        = rxd_q;
    assign resp_gpa_o       = rgpa_q;
    assign resp_gpt_o       = rgpt_q;
    assign resp_pferr_o     = rpferr_q;
    assign resp_refs_o      = refs_q;
    assign resp_id_o        = id_q;
    assign mem_req_valid_o  = state_q == S_MREQ;
    assign mem_req_addr_o   = addr_q;
    assign mem_resp_ready_o = state_q == S_MRESP;
endmodule

`default_nettype wire
