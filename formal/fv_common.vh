// fv_common.vh: trackers, environment, reference model and properties shared
// by fv_top.v (walker top) and fv_fsm.v (walk state machine); included inside
// the wrapper module, which defines the DUT's port wires and the
// configuration (c_ctrl, c_gcr3, c_hcr3, c_scr3, c_seg[0..5], the DMT windows
// c_gdmt and c_hdmt, gf_hit, hf_hit); with FV_WC, the walk caches' answers.

    // ---------------------------------------------------------------
    // reset: the first cycle resets the walker and the wrapper; no other
    reg init = 1'b1;
    always @(posedge clk_i) init <= 1'b0;
    // the properties are for yosys, whose read_verilog -formal defines FORMAL
    // (Icarus, make formal-lint, parses the rest: it has no labelled assertions)
`ifdef FORMAL
    always @* e_reset: assume(rst_i == init);
`endif

    wire req_hs   = req_valid_i && req_ready_o;
    wire resp_hs  = resp_valid_o && resp_ready_i;
    wire mreq_hs  = mem_req_valid_o && mem_req_ready_i;
    wire mresp_hs = mem_resp_valid_i && mem_resp_ready_o;

    // ---- handshake trackers ----
    reg                pending;      // a request accepted, its response not yet taken
    reg [ID_WIDTH-1:0] pend_id;
    reg                mem_out;      // a read taken, its data not yet returned
    reg [5:0]          nreads;       // reads taken for the pending request
    reg                looked;       // the cycle after a request was accepted
    reg                gwait;        // START waits for the guest filter's answer
    reg                m_gsel;       // the walk caches on: a cycle between (GSEL) ...
    reg                started;      // ... the cycle after those
    reg [9:0]          lat;          // cycles since acceptance, until the response
    always @(posedge clk_i) begin
        if (rst_i) begin
            pending <= 1'b0;
            pend_id <= {ID_WIDTH{1'b0}};
            mem_out <= 1'b0;
            nreads  <= 6'd0;
            looked  <= 1'b0;
            lat     <= 10'd0;
        end else begin
            looked  <= req_hs;
            if (req_hs) begin
                pending <= 1'b1;
                pend_id <= req_id_i;
                nreads  <= 6'd0;
                lat     <= 10'd1;
            end else begin
                if (resp_hs)
                    pending <= 1'b0;
                if (pending && !resp_valid_o && lat != 10'h3ff)
                    lat <= lat + 10'd1;
            end
            if (mreq_hs) begin
                mem_out <= 1'b1;
                if (nreads != 6'h3f) nreads <= nreads + 6'd1;
            end else if (mresp_hs)
                mem_out <= 1'b0;
        end
    end

    // ---- environment ----
    // a request holds with its payload until taken
    reg                req_wait;
    reg [63:0]         req_va_p;
    reg [1:0]          req_acc_p;
    reg                req_user_p;
    reg [ID_WIDTH-1:0] req_id_p;
    always @(posedge clk_i) begin
        req_wait   <= !rst_i && req_valid_i && !req_ready_o;
        req_va_p   <= req_va_i;
        req_acc_p  <= req_access_i;
        req_user_p <= req_user_i;
        req_id_p   <= req_id_i;
    end
`ifdef FORMAL
    always @* if (!init && req_wait)
        e_req_hold: assume(req_valid_i && req_va_i == req_va_p && req_access_i == req_acc_p &&
                           req_user_i == req_user_p && req_id_i == req_id_p);
    // memory answers in order, only a read it took, never in the cycle it
    // takes it
    always @* if (!init) e_mem_resp: assume(!mem_resp_valid_i || mem_out);
`endif

    // P5 only: memory takes a read within MEM_D cycles of its valid and
    // answers within MEM_D cycles after taking it
    reg [7:0] mreq_wait, mresp_wait;
    always @(posedge clk_i) begin
        mreq_wait  <= (rst_i || !mem_req_valid_o || mem_req_ready_i) ? 8'd0 : mreq_wait + 8'd1;
        mresp_wait <= (rst_i || !mem_out || mem_resp_valid_i) ? 8'd0 : mresp_wait + 8'd1;
    end
`ifdef FORMAL
    always @* if (!init && mem_req_valid_o && mreq_wait >= MEM_D - 1)
        e_live_req: assume(mem_req_ready_i);
    always @* if (!init && mem_out && mresp_wait >= MEM_D - 1)
        e_live_resp: assume(mem_resp_valid_i);
`endif

    // ---------------------------------------------------------------
    // registered copies of the outputs, for the hold properties
    reg        resp_stall, mreq_stall, past_ok;
    reg [`NW_RESP_PAYLOAD_W-1:0] p_resp;
    reg [51:0] p_maddr;
    always @(posedge clk_i) begin
        past_ok    <= !rst_i;
        resp_stall <= resp_valid_o && !resp_ready_i;
        mreq_stall <= mem_req_valid_o && !mem_req_ready_i;
        p_resp     <= `NW_RESP_PAYLOAD;
        p_maddr    <= mem_req_addr_o;
    end
    wire resp_same = `NW_RESP_PAYLOAD == p_resp;

    // the configuration's fields the model uses
    wire virt      = c_ctrl[`NW_CTRL_VIRT];
    wire gseg_en   = c_ctrl[`NW_CTRL_GSEG_EN];
    wire hseg_en   = c_ctrl[`NW_CTRL_HSEG_EN] && virt;
    wire shadow_en = c_ctrl[`NW_CTRL_SHADOW_EN] && virt;
    wire gfilt_en  = c_ctrl[`NW_CTRL_GFILT_EN];
    wire hfilt_en  = c_ctrl[`NW_CTRL_HFILT_EN];
    wire g5        = c_ctrl[`NW_CTRL_G5];
    wire h5        = c_ctrl[`NW_CTRL_H5];
    wire gdmt_en   = c_ctrl[`NW_CTRL_GDMT_EN] && !shadow_en;  // no DMT in a shadow walk
`ifdef FV_WC
    wire wc_en     = c_ctrl[`NW_CTRL_WC_EN];
`else
    wire wc_en     = 1'b0;  // no cache built: no lookup's GSEL or HSEL
`endif
    wire hdmt_en   = c_ctrl[`NW_CTRL_HDMT_EN] && virt;
    wire [2:0] glv = g5 ? 3'd5 : 3'd4;
    wire [2:0] hlv = h5 ? 3'd5 : 3'd4;

    // ---------------------------------------------------------------
    // reference model of the read order (SPEC section 6). It predicts the
    // address of the next read, if the walk goes on; faults and permission
    // checks only end a walk, so the model need not know them.
    function [51:0] ent;                 // table | index(x, level) << 3
        input [51:12] tbl;
        input [56:12] x;
        input [2:0]   lvl;
        begin
            case (lvl)
                3'd1: ent = {tbl, x[20:12], 3'd0};
                3'd2: ent = {tbl, x[29:21], 3'd0};
                3'd3: ent = {tbl, x[38:30], 3'd0};
                3'd4: ent = {tbl, x[47:39], 3'd0};
                default: ent = {tbl, x[56:48], 3'd0};
            endcase
        end
    endfunction
    function [51:0] frame;               // a leaf's frame joined with the offset
        input [63:0] d;
        input [29:0] x;
        input [2:0]  lvl;
        begin
            case (lvl)
                3'd2: frame = {d[51:21], x[20:0]};
                3'd3: frame = {d[51:30], x[29:0]};
                default: frame = {d[51:12], x[11:0]};
            endcase
        end
    endfunction

    reg [63:0] m_va;
    reg        m_exp, m_exp_d;           // a read is expected, at m_addr
    reg [51:0] m_addr, m_addr_d;
    reg        m_host, m_host_d;         // ... in the host table (else guest/shadow/direct)
    reg        m_shadow, m_shadow_d;
    reg [2:0]  m_gl, m_gl_d, m_hl, m_hl_d;
    reg [51:0] m_x, m_x_d;               // gPA under host translation
    reg        m_gpt, m_gpt_d;           // ... of a guest table entry
    reg        m_sw, m_sw_d;             // the expected read is the one right after a switch
    reg        m_after, m_after_d;       // a switch happened in this walk
    reg        m_hlook, m_hlook_d;       // a gPA was handed to the host dimension last cycle
    reg        m_hf, m_hf_d;             // ... the cycle before, and the host filter's answer counts
    reg        m_hesc, m_hesc_d;         // ... the cycles after, until the host filter answers
    reg        m_hsel, m_hsel_d;         // the walk caches on: HSEL, a cycle between ...
    reg        m_hgo, m_hgo_d;           // its host step, the cycle after those
    reg [5:0]  m_nh, m_nh_d;             // gPAs handed to the host dimension in this walk
    reg        m_gsd, m_gsd_d;           // this walk's VA hit the guest segment
    reg        m_dd, m_dd_d;             // Dual Direct hit at the start of this walk
    reg        m_swseen, m_swseen_d;     // some read of this walk returned SW (bit 52)
    reg        m_shw, m_shw_d;           // this walk started in the shadow table
    reg        m_gdmt, m_gdmt_d;         // the guest read expected (or the gPA handed over) is the DMT read's
    reg        m_hdmt, m_hdmt_d;         // the host read expected is the DMT read
    reg        m_gd, m_gd_d;             // this walk took a guest DMT window ...
    reg        m_gdpv, m_gdpv_d;         // ... whose TEA is an hPA
    reg        m_nofb, m_nofb_d;         // no dimension of this walk fell back to or started a walk
`ifdef FV_WC
    reg        m_gkeep, m_gkeep_d;       // the guest PSC keeps the entry whose next table's
                                         // gPA the host translates
`endif

    // segments of the SPEC: BASE <= x < LIMIT on bits 63:12, x + OFFSET
    // (of the VA on the port while no request is pending, registered then
    // as the walker does, so that the two registers are plainly equal; the
    // DMT windows at the registered VA in the cycle after it is accepted)
    wire [63:12] gs_x  = m_va[63:12];
    wire [63:12] gs_px = req_va_i[63:12];
    reg          gs_hit, gd_hit, gd_pv;
    reg  [51:0]  gs_y, gd_ea;
    // the DMT windows (SPEC section 10) through the unit P11 proves equal
    // to the SPEC's formula (fv_dmt.v), looked at when the segments are
    wire         gd_hit_w, gd_pv_w, hd_hit_w;
    wire [51:0]  gd_ea_w, hd_ea_w;
    nw_dmt f_gdmt (.en_i (gdmt_en), .win_i (c_gdmt), .x_i (gs_x),
                   .hit_o (gd_hit_w), .ea_o (gd_ea_w), .pv_o (gd_pv_w));
    // (reset as the walker's registers are, so that the two are equal in
    // every state, not only after the first request: a latch for latch
    // equality that scorr proves, and PDR would learn a cube at a time)
    always @(posedge clk_i)
        if (rst_i) begin
            gs_hit <= 1'b0; gs_y <= 52'd0;
            gd_hit <= 1'b0; gd_pv <= 1'b0; gd_ea <= 52'd0;
        end else begin
            if (!pending) gs_hit <= gseg_en && gs_px >= c_seg[0] && gs_px < c_seg[1];
            if (!pending && gseg_en) gs_y <= {req_va_i[51:12] + c_seg[2][51:12], req_va_i[11:0]};
            if (looked) begin
                gd_hit <= gd_hit_w; gd_pv <= gd_pv_w; gd_ea <= gd_ea_w;
            end
        end
    // the filters answer two to five cycles after the lookup, at the first
    // clear bit (nw_filter): the guest one looks up the VA being accepted
    // (with its filter on), the host one the gPA handed over in the cycle
    // after (m_hlook, where its answer counts); a delay line a filter
    // (gflk, hflk, as the walker's) says which bit the answer is at. The
    // guest filter's answer is waited for (gwait, from the cycle after
    // looked) only for a canonical VA in the segment with the filter on,
    // and the walk starts with it in the next (started); else, with the
    // walk caches on, the walk starts after GSEL (m_gsel), the cycle that
    // reads the guest PSC's entry
    wire         m_canon = g5 ? &m_va[63:56] || ~|m_va[63:56] : &m_va[63:47] || ~|m_va[63:47];
    wire         gf_wait = gs_hit && gfilt_en && m_canon;
    reg  [4:0]   gflk, hflk;
    wire         g_ans   = gwait && (gflk[4] || (|gflk[3:1] && !gf_hit));
    wire         h_ans   = hflk[4] || (|hflk[3:1] && !hf_hit);
    reg          gs_esc;
    always @(posedge clk_i) begin
        gflk    <= rst_i ? 5'd0 : {gflk[3:0], gf_lk};
        hflk    <= rst_i ? 5'd0 : {hflk[3:0], hf_lk};
        gwait   <= !rst_i && (looked ? gf_wait : gwait && !g_ans);
        m_gsel  <= !rst_i && looked && !gf_wait && wc_en;
        started <= !rst_i && ((looked && !gf_wait && !wc_en) || (wc_en && m_gsel) || g_ans);
        if (looked) gs_esc <= 1'b0;
        else if (g_ans) gs_esc <= gf_hit;
    end
    assign gf_lk   = req_hs && gfilt_en;
    assign gf_look = req_va_i[63:12];

    // the host segment and filter look at the gPA in the cycle after it is
    // handed over (m_hlook); for a gPA in the segment with the filter on
    // the filter answers two to five cycles later (in m_hesc, after m_hf);
    // the host step takes their answers in the cycle after those (m_hgo)
    // or, with the walk caches on and no filter answer awaited, a cycle
    // later (after HSEL, m_hsel, the cycle that reads the host caches'
    // entries),
    // as the walker does. The segment also looks at the guest segment's
    // gPA of the VA (gs_y) in the cycle after it is accepted (looked), as
    // the walker does to answer a Dual Direct hit with the host filter off
    // as the walk starts
    reg  [51:0]  hs_in;                  // the gPA handed to the host dimension now
    wire [63:12] hs_x   = {12'd0, m_x[51:12]};
    reg          hs_hit, hs_esc, hd_hit;
    reg  [51:0]  hs_y, hd_ea;
    nw_dmt f_hdmt (.en_i (hdmt_en), .win_i (c_hdmt), .x_i (hs_x),
                   .hit_o (hd_hit_w), .ea_o (hd_ea_w), .pv_o ());  // host windows have no PV
    wire         hs_hit_w = hseg_en && hs_x >= c_seg[3] && hs_x < c_seg[4];
    wire [63:12] ds_x     = {12'd0, gs_y[51:12]};
    wire         ds_hit_w = hseg_en && ds_x >= c_seg[3] && ds_x < c_seg[4];
    // (reset as the walker's are: equal latches in every state)
    always @(posedge clk_i)
        if (rst_i) begin
            hs_hit <= 1'b0; hs_esc <= 1'b0; hs_y <= 52'd0;
        end else if (looked) begin
            hs_hit <= ds_hit_w;
            hs_esc <= 1'b0;
            hs_y   <= {gs_y[51:12] + c_seg[5][51:12], gs_y[11:0]};
        end else if (m_hlook) begin
            hs_hit <= hs_hit_w;
            hs_esc <= 1'b0;
            hs_y   <= {m_x[51:12] + c_seg[5][51:12], m_x[11:0]};
        end else if (m_hesc && h_ans) begin
            hs_esc <= hf_hit;
        end
    always @(posedge clk_i)
        if (rst_i) begin
            hd_hit <= 1'b0; hd_ea <= 52'd0;
        end else if (m_hlook) begin
            hd_hit <= hd_hit_w; hd_ea <= hd_ea_w;
        end
    // the walker looks the gPA up in its HLOOK: where it has answered
    // already (a fault or a Dual Direct hit in START), the model's step
    // after it looks nothing up, as the walker's filter does not, and
    // ends before the next walk's
    wire         h_on   = pending && !resp_valid_o;
    assign hf_lk   = m_hlook && hs_hit_w && hfilt_en && h_on;
    assign hf_look = {12'd0, m_x[51:12]};

    // The walk caches (SPEC section 9). With FV_WC (builds fsm-wc and
    // fsm-wcdmt) the build cuts them out of the walk FSM (jobs.py): their
    // answers are free values, any in any cycle. The walker registers a
    // lookup's answer (level, NTLB hit, entry) in the cycles between its
    // compare and the step that uses it, and keeps it after; the build
    // drives the f_*_q wires with those registers, which the model starts
    // its walks from as the walker does (below the deepest PSC hit, at the
    // table and in the mode it holds; an NTLB hit translates the gPA with
    // no read), and the f_*_look and f_*_ins wires with what the walker
    // gives the caches, which P12 checks against the model. So P3, P4 and
    // P8 hold whatever the caches hold, P12 says that each is given only
    // what the walk read, under the key the SPEC gives it, and P10 that an
    // array answers only what it was given since its last flush. (Between
    // a lookup's compare and its use the walker inserts nothing into that
    // cache: no guest entry is accepted before START or the guest DMT
    // read's fall-back, no host entry between HLOOK and the host DMT
    // read's; that it reads the answer of its compare is the lockstep
    // simulation's to show.) A define, not a parameter: the other builds'
    // netlists are then bit for bit those of a model without caches, and
    // PDR's run times move by 10x on a netlist one AND gate apart.
`ifdef FV_WC
    // (keep: the build connects them whole, so yosys must not narrow them
    // to the bits the model uses)
    (* keep *) wire [2:0]   f_gpsc_lvl, f_hpsc_lvl;   // the PSCs' answers: a level they have
    (* keep *) wire [2:0]   f_gpsc_lvl_q, f_hpsc_lvl_q; // the walker's: the deepest level hit (0: none) ...
    (* keep *) wire [43:0]  f_gpsc_ent_q, f_hpsc_ent_q; // ... and its entry
    (* keep *) wire         f_ntlb_hit_q;             // the NTLB hit ...
    (* keep *) wire [51:12] f_ntlb_hpa_q;             // ... with this frame
    (* keep *) wire [56:21] f_gpsc_look, f_hpsc_look; // the keys looked up
    (* keep *) wire [51:12] f_ntlb_look;
    (* keep *) wire         f_gpsc_ins, f_hpsc_ins, f_ntlb_ins;  // an insert ...
    (* keep *) wire [2:0]   f_gpsc_ins_lvl, f_hpsc_ins_lvl;      // ... of this level
    (* keep *) wire [56:21] f_gpsc_ins_x, f_hpsc_ins_x;          // ... and key
    (* keep *) wire [43:0]  f_gpsc_ins_data, f_hpsc_ins_data;    // {shadow, XD, U, W, table}
    (* keep *) wire [51:12] f_ntlb_ins_gpa, f_ntlb_ins_hpa;
    (* keep *) wire [1:0]   f_ntlb_ins_size;
`ifdef FORMAL
    // a PSC answers a level it has (nw_psc: 2..5) or none
    always @* if (!init) e_wc_lvl: assume(f_gpsc_lvl != 3'd1 && f_gpsc_lvl <= 3'd5 &&
                                          f_hpsc_lvl != 3'd1 && f_hpsc_lvl <= 3'd5);
`endif
    // a VA's key: its bits above the guest walk's reach are not looked at
    function [56:21] gkey;
        input [56:21] x;
        gkey = {g5 ? x[56:48] : 9'd0, x[47:21]};
    endfunction
    // the answers the steps use
    wire [2:0]  m_gpl  = f_gpsc_lvl_q, m_hpl = f_hpsc_lvl_q;
    wire        m_ntlb = f_ntlb_hit_q;
`endif

    reg [51:0] nx;
    reg        h_go, h_gpt;
    reg        lf, sw;
    reg        gw, hw;                   // walk the guest (host) tables from the root
`ifdef FV_WC
    reg        t_done;                   // a guest table's gPA is translated ...
    reg [51:0] t_hpa;                    // ... to this hPA
    // the inserts the walk calls for now (P12): ok, level, key, entry
    reg        gi_ok, hi_ok, ni_ok;
    reg        gk_ok, gk_sh;             // the host step's keep, given a cycle later
    reg [2:0]  gk_lvl;
    reg [51:12] gk_tbl;
    reg [2:0]  gi_lvl;
    reg        gi_sh;
    reg [51:12] gi_tbl, hi_tbl, ni_hpa;
`endif
    // a read's data is looked at in the cycle after it is taken, as the
    // walker decodes it (ENTRY)
    reg        m_ent, m_ent_err;
    reg [63:0] d;
    // (registered at the transfer, as the walker registers it)
    always @(posedge clk_i) begin
        m_ent <= !rst_i && mresp_hs;
        if (mresp_hs) begin
            m_ent_err <= mem_resp_err_i;
            d         <= mem_resp_data_i;
        end
    end

    // A lemma, proven on its own (the pte-lemma jobs, which drop
    // e_pte_ent) and assumed by every other job: the walker's entry decode,
    // registered as the entry is taken, is in the cycle after it nw_pte's
    // decode of the data taken with the decode's inputs of that cycle (the
    // level, mode, permissions and address of the read, which do not change
    // from the transfer to ENTRY). It holds by a one-step argument about the
    // walker's registers; assumed, the walker's decisions in ENTRY are
    // functions of the data taken, d, as the model's are, and the other
    // proofs need not learn the decode's registers bit by bit. The build
    // connects the f_pte_* wires to the walker's (jobs.py, _pte_taps).
    wire [2:0]   f_pte_level;
    wire         f_pte_sw_en, f_pte_nxe, f_pte_w_in, f_pte_u_in, f_pte_xd_in;
    wire [29:0]  f_pte_x;
    wire [102:0] f_pte_q;           // the walker's registered decode
    wire         fp_np, fp_rsv, fp_sw, fp_page, fp_leaf, fp_w, fp_u, fp_xd, fp_a;
    wire [51:12] fp_next;
    wire [51:0]  fp_pa;
    wire [1:0]   fp_size;
    nw_pte f_pte (
        .pte_i (d), .level_i (f_pte_level), .sw_en_i (f_pte_sw_en), .nxe_i (f_pte_nxe),
        .x_i (f_pte_x), .w_i (f_pte_w_in), .u_i (f_pte_u_in), .xd_i (f_pte_xd_in),
        .np_o (fp_np), .rsv_o (fp_rsv), .sw_o (fp_sw), .page_o (fp_page), .leaf_o (fp_leaf),
        .next_o (fp_next), .pa_o (fp_pa), .size_o (fp_size),
        .w_o (fp_w), .u_o (fp_u), .xd_o (fp_xd), .a_o (fp_a)
    );
    wire [102:0] f_pte_d = {fp_np, fp_rsv, fp_sw, fp_page, fp_leaf, fp_w, fp_u, fp_xd, fp_a,
                            fp_size, fp_next, fp_pa};
`ifdef FV_WC
    wire         f_pte_same = f_pte_q == f_pte_d;
`else
    // (no walk cache built: nothing reads the A bit, bit 94, and synthesis
    // leaves no register of it to tap)
    wire         f_pte_same = {f_pte_q[102:95], f_pte_q[93:0]} == {f_pte_d[102:95], f_pte_d[93:0]};
`endif
`ifdef FORMAL
    always @* if (!init && m_ent) begin
        a_pte_ent: assert(f_pte_same);
        e_pte_ent: assume(f_pte_same);
    end
`endif

    always @* begin
        m_exp_d = m_exp && !mreq_hs;
        m_addr_d = m_addr; m_host_d = m_host; m_shadow_d = m_shadow;
        m_gl_d = m_gl; m_hl_d = m_hl; m_x_d = m_x; m_gpt_d = m_gpt;
        m_sw_d = m_sw && !mreq_hs; m_after_d = m_after; m_dd_d = m_dd; m_shw_d = m_shw;
        m_hlook_d = 1'b0; m_hf_d = hf_lk; m_hesc_d = m_hf || (m_hesc && !h_ans);
        m_hsel_d = m_hlook && !hf_lk && wc_en;
        m_hgo_d = (m_hlook && !hf_lk && !wc_en) || (wc_en && m_hsel) || (m_hesc && h_ans); m_nh_d = req_hs ? 6'd0 : m_nh; m_gsd_d = m_gsd;
        m_swseen_d = m_swseen || (m_ent && d[52]);
        m_gdmt_d = m_gdmt; m_hdmt_d = m_hdmt; m_gd_d = m_gd; m_gdpv_d = m_gdpv;
        h_go = 1'b0; h_gpt = 1'b0; hs_in = 52'd0; nx = 52'd0; lf = 1'b0; sw = 1'b0;
        gw = 1'b0; hw = 1'b0;
`ifdef FV_WC
        t_done = 1'b0; t_hpa = 52'd0; m_gkeep_d = m_gkeep;
        gi_ok = 1'b0; gi_lvl = 3'd0; gi_sh = 1'b0; gi_tbl = 40'd0;
        hi_ok = 1'b0; hi_tbl = 40'd0; ni_ok = 1'b0; ni_hpa = 40'd0;
`endif
        if (started) begin
`ifdef FV_WC
            m_gkeep_d = 1'b0;
`endif
            m_exp_d = 1'b0; m_shadow_d = 1'b0; m_gl_d = glv; m_after_d = 1'b0;
            m_dd_d = 1'b0; m_swseen_d = 1'b0; m_sw_d = 1'b0; m_shw_d = 1'b0;
            m_gsd_d = gs_hit && !gs_esc;
            m_gdmt_d = 1'b0; m_hdmt_d = 1'b0; m_gd_d = 1'b0; m_gdpv_d = 1'b0;
            if (gs_hit && !gs_esc) begin
                // (a Dual Direct hit with the host filter off: the walker
                // answers now, as it answers a fault, and the model's host
                // step follows it, its response already given)
                h_go = virt; h_gpt = 1'b0; hs_in = gs_y;
            end else if (gd_hit) begin
                // the level-1 entry by arithmetic: an hPA natively or with
                // PV, else a gPA the host translates first
                m_gdmt_d = 1'b1; m_gd_d = 1'b1; m_gdpv_d = gd_pv; m_gl_d = 3'd1;
                if (!virt || gd_pv) begin
                    m_exp_d = 1'b1; m_host_d = 1'b0; m_addr_d = gd_ea;
                end else begin
                    h_go = 1'b1; h_gpt = 1'b1; hs_in = gd_ea;
                end
            end else
                gw = 1'b1;
        end else if (m_ent && !m_ent_err) begin
            m_exp_d = 1'b0;
            if (m_host && m_hdmt && !d[0]) begin
                // not in the host TEA: the host walk
                m_hdmt_d = 1'b0; hw = 1'b1;
            end else if (!m_host && m_gdmt && !d[0]) begin
                // not in the guest TEA: the guest walk
                m_gdmt_d = 1'b0; gw = 1'b1;
            end else if (m_host) begin
                m_hdmt_d = 1'b0;
                lf = m_hl == 3'd1 || (d[7] && (m_hl == 3'd2 || m_hl == 3'd3));
                if (lf) begin
                    if (m_gpt) begin
                        m_exp_d = 1'b1; m_host_d = 1'b0;
                        m_addr_d = frame(d, m_x[29:0], m_hl);
                    end
`ifdef FV_WC
                    // (the NTLB keeps a walk's leaf, not a DMT read's)
                    t_done = 1'b1; t_hpa = frame(d, m_x[29:0], m_hl);
                    ni_ok = wc_en && d[5] && !m_hdmt; ni_hpa = t_hpa[51:12];
`endif
                end else begin
`ifdef FV_WC
                    hi_ok = wc_en && d[5]; hi_tbl = d[51:12];
`endif
                    m_exp_d = 1'b1; m_hl_d = m_hl - 3'd1;
                    m_addr_d = ent(d[51:12], {5'd0, m_x[51:12]}, m_hl - 3'd1);
                end
            end else begin
                m_gdmt_d = 1'b0;
                sw = m_shadow && m_gl >= 3'd2 && d[52];
                lf = !sw && (m_gl == 3'd1 || (d[7] && (m_gl == 3'd2 || m_gl == 3'd3)));
                if (lf) begin
                    h_go = virt && !m_shadow; h_gpt = 1'b0;
                    hs_in = frame(d, m_va[29:0], m_gl);
                end else begin
                    m_gl_d = m_gl - 3'd1;
                    nx = ent(d[51:12], m_va[56:12], m_gl - 3'd1);
                    if (m_shadow || !virt) begin
                        m_exp_d = 1'b1; m_host_d = 1'b0; m_addr_d = nx;
                        m_shadow_d = m_shadow && !sw;
                        m_sw_d = sw;
                        m_after_d = m_after || sw;
`ifdef FV_WC
                        // the guest PSC keeps it now, with the table read next
                        gi_ok = wc_en && d[5]; gi_lvl = m_gl; gi_sh = m_shadow && !sw;
                        gi_tbl = d[51:12];
`endif
                    end else begin
`ifdef FV_WC
                        // ... or once the host has translated that table's gPA
                        m_gkeep_d = wc_en && d[5];
`endif
                        h_go = 1'b1; h_gpt = 1'b1; hs_in = nx;
                    end
                end
            end
        end else if (m_hgo) begin
            // the host step of the gPA handed over in the last cycle
            m_dd_d = m_gsd && hs_hit && !hs_esc;
            if (hs_hit && !hs_esc) begin
                m_exp_d = m_gpt; m_host_d = 1'b0; m_addr_d = hs_y;
`ifdef FV_WC
                t_done = 1'b1; t_hpa = hs_y;
`endif
            end else if (hd_hit) begin
                // the host level-1 entry by arithmetic, before the reach check
                m_exp_d = 1'b1; m_host_d = 1'b1; m_hl_d = 3'd1; m_hdmt_d = 1'b1;
                m_addr_d = hd_ea;
            end else
                hw = 1'b1;
        end
        // the walks from the root (after a start or a DMT fall-back)
        if (gw) begin
            m_gl_d = glv;
`ifdef FV_WC
            m_gkeep_d = 1'b0;
            if (m_gpl != 3'd0) begin
                // below the deepest guest PSC hit, in the mode it holds, at
                // the table's hPA it holds
                m_exp_d = 1'b1; m_host_d = 1'b0; m_gl_d = m_gpl - 3'd1;
                m_shadow_d = f_gpsc_ent_q[43];
                m_addr_d = ent(f_gpsc_ent_q[39:0], m_va[56:12], m_gpl - 3'd1);
            end else
`endif
            if (shadow_en) begin
                m_exp_d = 1'b1; m_host_d = 1'b0; m_shadow_d = !c_scr3[52]; m_shw_d = !c_scr3[52];
                m_addr_d = ent(c_scr3[51:12], m_va[56:12], glv);
            end else if (!virt) begin
                m_exp_d = 1'b1; m_host_d = 1'b0;
                m_addr_d = ent(c_gcr3, m_va[56:12], glv);
            end else begin
                h_go = 1'b1; h_gpt = 1'b1; hs_in = ent(c_gcr3, m_va[56:12], glv);
            end
        end
        if (hw) begin
            if (!h5 && m_x[51:48] != 4'd0) begin
                m_exp_d = 1'b0;
`ifdef FV_WC
            end else if (m_ntlb) begin
                // the whole host walk cached
                m_exp_d = m_gpt; m_host_d = 1'b0; m_addr_d = {f_ntlb_hpa_q, m_x[11:0]};
                t_done = 1'b1; t_hpa = {f_ntlb_hpa_q, m_x[11:0]};
            end else if (m_hpl != 3'd0) begin
                // below the deepest host PSC hit
                m_exp_d = 1'b1; m_host_d = 1'b1; m_hl_d = m_hpl - 3'd1;
                m_addr_d = ent(f_hpsc_ent_q[39:0], {5'd0, m_x[51:12]}, m_hpl - 3'd1);
`endif
            end else begin
                m_exp_d = 1'b1; m_host_d = 1'b1; m_hl_d = hlv;
                m_addr_d = ent(c_hcr3, {5'd0, m_x[51:12]}, hlv);
            end
        end
`ifdef FV_WC
        // a guest table entry's gPA translated (the cycle before): the
        // guest PSC keeps the entry that named that table now
        if (gk_ok) begin
            gi_ok = 1'b1; gi_lvl = gk_lvl; gi_sh = gk_sh; gi_tbl = gk_tbl;
        end
`endif
        m_nofb_d = (started || m_nofb) && !gw && !hw;
        if (h_go) begin
            m_x_d = hs_in; m_gpt_d = h_gpt; m_hlook_d = 1'b1;
            if (m_nh != 6'h3f) m_nh_d = m_nh_d + 6'd1;
        end
    end

    always @(posedge clk_i) begin
        if (rst_i) begin
            m_va <= 64'd0; m_exp <= 1'b0; m_addr <= 52'd0; m_host <= 1'b0;
            m_shadow <= 1'b0; m_gl <= 3'd0; m_hl <= 3'd0; m_x <= 52'd0; m_gpt <= 1'b0;
            m_sw <= 1'b0; m_after <= 1'b0; m_dd <= 1'b0; m_swseen <= 1'b0; m_shw <= 1'b0;
            m_hlook <= 1'b0; m_hf <= 1'b0; m_hesc <= 1'b0; m_hsel <= 1'b0; m_hgo <= 1'b0;
            m_nh <= 6'd0; m_gsd <= 1'b0;
            m_gdmt <= 1'b0; m_hdmt <= 1'b0; m_gd <= 1'b0; m_gdpv <= 1'b0; m_nofb <= 1'b0;
`ifdef FV_WC
            m_gkeep <= 1'b0;
`endif
        end else begin
            if (req_hs) m_va <= req_va_i;
            m_exp <= m_exp_d; m_addr <= m_addr_d; m_host <= m_host_d;
            m_shadow <= m_shadow_d; m_gl <= m_gl_d; m_hl <= m_hl_d; m_x <= m_x_d;
            m_gpt <= m_gpt_d; m_sw <= m_sw_d; m_after <= m_after_d; m_dd <= m_dd_d;
            m_swseen <= m_swseen_d; m_shw <= m_shw_d;
            m_hlook <= m_hlook_d; m_hf <= m_hf_d; m_hesc <= m_hesc_d; m_hsel <= m_hsel_d;
            m_hgo <= m_hgo_d; m_nh <= m_nh_d; m_gsd <= m_gsd_d;
            m_gdmt <= m_gdmt_d; m_hdmt <= m_hdmt_d; m_gd <= m_gd_d; m_gdpv <= m_gdpv_d;
            m_nofb <= m_nofb_d;
`ifdef FV_WC
            m_gkeep <= m_gkeep_d;
`endif
        end
    end
`ifdef FV_WC
    // the guest PSC's keep of a guest entry whose next table the host step
    // translated, given in the cycle after as the walker gives it
    always @(posedge clk_i) begin
        gk_ok  <= !rst_i && t_done && m_gpt && m_gkeep;
        gk_lvl <= m_gl + 3'd1;
        gk_sh  <= m_shadow;
        gk_tbl <= t_hpa[51:12];
    end
`endif

    // read-count bound of the walk's configuration: G (native) or
    // G*H + G + H (nested; shadow and agile walks make fewer), and with DMT
    // windows the reads of the ones that fell back: one for each of the
    // G + 1 host translations, and for a guest window natively or with PV
    // one, else its TEA address's host translation and the read
    wire [5:0] gl6 = {3'd0, glv}, hl6 = {3'd0, hlv};
    wire [5:0] rmax = (virt ? gl6 * hl6 + gl6 + hl6 : gl6) +
                      (hdmt_en ? gl6 + 6'd1 : 6'd0) +
                      (!gdmt_en ? 6'd0 : !virt ? 6'd1 : hl6 + 6'd1 + {5'd0, hdmt_en});
    localparam [5:0] LV_ALL   = HAS_G5 ? 6'd5 : 6'd4;
    localparam [5:0] RMAX_ALL = (HAS_VIRT ? LV_ALL * LV_ALL + 2 * LV_ALL : LV_ALL) +
                                (HAS_HDMT ? LV_ALL + 6'd1 : 6'd0) +
                                (!HAS_GDMT ? 6'd0 : !HAS_VIRT ? 6'd1 : LV_ALL + 6'd1 + HAS_HDMT);
    // VMM Direct with every gPA (52 bits, pages below 2^40) inside the
    // host segment, and no host escape filter
    // (and no guest DMT window, whose fall-back adds its read)
    wire vmm_all = virt && hseg_en && !shadow_en && !hfilt_en && !gdmt_en && c_seg[3] == 52'd0 &&
                   c_seg[4][63:52] != 12'd0;

    // ---------------------------------------------------------------
    // P1 interfaces
`ifdef FORMAL
    always @* if (!init && past_ok) begin
        // a response, once valid, holds with its payload until taken
        if (resp_stall) a_p1_resp_hold: assert(resp_valid_o && resp_same);
        // a memory read, once valid, holds with its address until taken
        if (mreq_stall) a_p1_mreq_hold: assert(mem_req_valid_o && mem_req_addr_o == p_maddr);
        // no response without an accepted request; it carries its id
        if (resp_valid_o) a_p1_resp_req: assert(pending && resp_id_o == pend_id);
        // one request at a time: none is accepted while one is pending, so
        // with the above exactly one response answers each request
        if (req_hs) a_p1_one: assert(!pending);
        // register accesses win over requests; the register port is closed
        // while a request is pending
        if (req_hs) a_p1_reg_prio: assert(!reg_valid_i);
        if (pending) a_p1_reg_closed: assert(!reg_ready_o);
        c_p1_1: assert(!(resp_hs && resp_id_o != 0 && resp_refs_o != 0));
        c_p1_2: assert(!(resp_stall && resp_valid_o && resp_refs_o >= 6'd2));
        c_p1_3: assert(!(mreq_stall && mem_req_valid_o && pending));
    end

    // P2 memory port
    always @* if (!init && past_ok) begin
        // at most one read outstanding; its data is always taken
        if (mem_req_valid_o) a_p2_one: assert(!mem_out);
        if (mem_out) a_p2_taken: assert(mem_resp_ready_o);
        // no read while idle (no request pending or its response presented)
        if (mem_req_valid_o) a_p2_idle: assert(pending && !resp_valid_o);
        // 8-byte aligned (the port is 52 bits wide, so within 52 bits)
        if (mem_req_valid_o) a_p2_align: assert(mem_req_addr_o[2:0] == 3'd0);
        c_p2_1: assert(!(mresp_hs && nreads == 6'd2));
        c_p2_2: assert(!(mreq_hs && mem_req_addr_o[51:48] != 4'd0));
    end

    // P3 reads follow the tables: every read is the one the SPEC's walk
    // prescribes: root or previous entry's address field (after host
    // translation in a nested walk) joined with the index bits
    // (e_p3_addr, P3 as an assumption, is kept only by the jobs that ask
    // for it, each on a build where a job proves P3: P8, whose reads are
    // P3's)
    always @* if (!init && past_ok) begin
        if (mem_req_valid_o) a_p3_addr: assert(m_exp && mem_req_addr_o == m_addr);
        if (mem_req_valid_o) e_p3_addr: assume(m_exp && mem_req_addr_o == m_addr);
        c_p3_1: assert(!(mreq_hs && virt && !shadow_en && nreads == 6'd23));
        c_p3_2: assert(!(mreq_hs && virt && !shadow_en && g5 && h5 && nreads == 6'd34));
        c_p3_3: assert(!(mreq_hs && !virt && nreads == 6'd3));
        // a guest segment hit that escapes through the filter and walks
        c_p3_4: assert(!(mreq_hs && gs_esc && nreads == 6'd1));
        // a host DMT read, and a read of the walk a guest DMT window fell back to
        c_p3_5: assert(!(mreq_hs && m_hdmt && m_gd));
        c_p3_6: assert(!(mreq_hs && m_gd && !m_nofb && virt && nreads >= 6'd3));
    end

    // P4 read-count bounds
    always @* if (!init && past_ok) begin
        if (pending) a_p4_refs: assert(resp_refs_o == nreads);
        if (pending) a_p4_max: assert(nreads <= rmax && nreads <= RMAX_ALL);
        if (m_dd) a_p4_dual: assert(nreads == 6'd0 && !mem_req_valid_o);
        if (pending && vmm_all) a_p4_vmm: assert(nreads <= gl6);
        if (pending && m_shw && !m_swseen) a_p4_shadow: assert(nreads <= gl6);
        // a guest DMT window with no fall-back and no host walk: 1 read
        // natively, 2 with PV (and a host window over the final gPA), 3
        // without (host windows over the TEA's gPA and the final gPA)
        if (pending && m_gd && m_nofb) a_p4_dmt: assert(nreads <= (!virt ? 6'd1 : m_gdpv ? 6'd2 : 6'd3));
        c_p4_1: assert(!(resp_valid_o && nreads == rmax && virt && g5 && h5));
        c_p4_2: assert(!(resp_valid_o && m_dd && resp_status_o == `NW_ST_OK));
        c_p4_3: assert(!(resp_valid_o && vmm_all && nreads == 6'd4 && resp_status_o == `NW_ST_OK));
        c_p4_4: assert(!(resp_valid_o && m_shw && !m_swseen && nreads == 6'd4 &&
                         resp_status_o == `NW_ST_OK));
        c_p4_5: assert(!(resp_valid_o && m_gd && m_nofb && virt && !m_gdpv && nreads == 6'd3 &&
                         resp_status_o == `NW_ST_OK));
    end
`endif

    // P5 bounded latency: with memory answering within MEM_D (assumptions
    // e_live_*), the walker answers 3 + (2*MEM_D+1)*refs + 2*nh + bg +
    // hf + bh cycles after the acceptance at most (LOOK, START; per read
    // at most MEM_D cycles presented, MEM_D waiting for its data, one
    // decoding it; per gPA handed over two, HLOOK and HOST (none for a
    // Dual Direct hit with the host filter off, answered in START); a
    // guest filter answer waited for one a bit the filter reads, up to
    // four, in START; a host filter answer one more, HOST's first, and
    // HESC's one a bit). The step forms (a_p5_*) charge
    // each read 16 cycles instead: 5 for the read and at most 7 for a gPA
    // its entry hands over (START's gPA and the guest filter are in the
    // constant). A multiple of a power of two is wiring, so the invariants
    // PDR has to find need no adder, nor the count of gPAs; with refs <=
    // rmax (P4) the bound is 15 + 16*rmax.
    wire in_start = pending && !mem_req_valid_o && !mem_out && !resp_valid_o;
    wire [9:0] refs10  = {4'd0, nreads};
    wire [9:0] reads_t = 16 * refs10;
`ifdef FORMAL
    always @* if (!init && past_ok) begin
        if (looked) a_p5_look: assert(in_start && lat == 10'd1);
        if (gwait) a_p5_gfilt: assert(in_start && gflk[4:1] != 4'd0);
        if (gwait && gflk[1]) a_p5_gfilt1: assert(lat == 10'd2);
        if (gwait && gflk[2]) a_p5_gfilt2: assert(lat == 10'd3);
        if (gwait && gflk[3]) a_p5_gfilt3: assert(lat == 10'd4);
        if (gwait && gflk[4]) a_p5_gfilt4: assert(lat == 10'd5);
        if (started) a_p5_start: assert(in_start && lat <= 10'd6);
        // between reads the walker starts, decodes an entry or takes a gPA over
        if (in_start) a_p5_start1: assert(looked || gwait || started || m_ent || m_hlook ||
                                          m_hf || m_hesc || m_hgo);
        if (m_ent) a_p5_entry: assert(in_start && nreads != 0 && lat <= 10'd3 + reads_t);
        // (unless the walk ended there: the model knows no faults)
        if (m_hlook && h_on) a_p5_hlook: assert(in_start && lat <= 10'd8 + reads_t);
        if (m_hf && h_on) a_p5_hfilt: assert(in_start && lat <= 10'd9 + reads_t);
        if (m_hesc && h_on) a_p5_hesc: assert(in_start && hflk[4:1] != 4'd0);
        if (m_hesc && hflk[1] && h_on) a_p5_hesc1: assert(lat <= 10'd10 + reads_t);
        if (m_hesc && hflk[2] && h_on) a_p5_hesc2: assert(lat <= 10'd11 + reads_t);
        if (m_hesc && hflk[3] && h_on) a_p5_hesc3: assert(lat <= 10'd12 + reads_t);
        if (m_hesc && hflk[4] && h_on) a_p5_hesc4: assert(lat <= 10'd13 + reads_t);
        if (m_hgo && h_on) a_p5_host: assert(in_start && lat <= 10'd14 + reads_t);
        if (mem_req_valid_o) a_p5_mreq: assert(lat <= 10'd15 + reads_t + mreq_wait);
        if (mem_out) a_p5_mresp: assert(nreads != 0 &&
                                        lat + 10'd1 <= reads_t + MEM_D + mresp_wait);
        if (mem_req_valid_o) a_p5_mreq_wait: assert(mreq_wait < MEM_D);
        if (mem_out) a_p5_mresp_wait: assert(mresp_wait < MEM_D);
        if (pending) a_p5_bound: assert(nreads <= rmax && lat <= 10'd15 + 16 * {4'd0, rmax});
        // the walker's own figure is tight: a walk of 4 reads at the slowest
        // memory, no filter answer waited for, answers exactly
        // 3 + (2*MEM_D+1)*reads + 2*gPAs cycles in
        c_p5_1: assert(!(resp_valid_o && nreads >= 6'd4 &&
                         lat == 10'd3 + (2 * MEM_D + 1) * refs10 + 2 * {4'd0, m_nh}));
    end

    // P8 agile switch: the read after a shadow entry with SW at level 2 or
    // above is that entry's address joined with the index (m_sw: no host
    // read before it), and every later read of the walk is the nested
    // walk's (m_after: the model no longer reads the shadow table). Its
    // jobs assume P3 (e_p3_addr), proven on the same build: that every
    // read is the model's, so what P8 adds is the model's mode at those
    // reads, which PDR need not relate to the walker's registers again
    // (on the netlists of the walk caches' three-cycle lookup P8 on
    // fsm-dmt alone took 540 s to more than 1,400 s, P3 there 74-285 s)
    always @* if (!init && past_ok) begin
        if (mem_req_valid_o && m_sw) a_p8_switch: assert(m_exp && !m_host && !m_shadow &&
                                                          mem_req_addr_o == m_addr);
        if (mem_req_valid_o && m_after) a_p8_nested: assert(m_exp && !m_shadow &&
                                                             mem_req_addr_o == m_addr);
        c_p8_1: assert(!(mreq_hs && m_sw && m_gl == 3'd1));
        c_p8_2: assert(!(resp_valid_o && m_after && resp_status_o == `NW_ST_OK && nreads >= 6'd8));
    end
`ifdef FV_WC

    // P12 walk-cache fills: a cache is looked up under the key of the SPEC
    // (a VA's bits within the guest walk's reach, the gPA), and given only
    // an entry the walk has just read, under its key: the guest PSC a
    // guest entry's next table as the walk reads it (its hPA) and the mode
    // below it, the host PSC a host entry's next table, the NTLB a host
    // leaf's frame and size. (Permissions are not in the model: the
    // lockstep runs compare them.) An array writes an insert in the cycle
    // after it is given (nw_wc_array registers it): no lookup that counts
    // falls in that cycle, so every lookup sees every insert before it.
    reg f_gins_q, f_hins_q, f_nins_q;
    always @(posedge clk_i) begin
        f_gins_q <= f_gpsc_ins;
        f_hins_q <= f_hpsc_ins;
        f_nins_q <= f_ntlb_ins;
    end
    always @* if (!init && past_ok) begin
        if (looked && wc_en) a_p12_glook: assert(f_gpsc_look == gkey(m_va[56:21]) && !f_gins_q);
        // (unless the walk ended there: the model knows no faults; with the
        // caches off their keys are not loaded)
        if (m_hlook && !resp_valid_o && wc_en) a_p12_hlook: assert(f_hpsc_look == {5'd0, m_x[51:21]} &&
                                         f_ntlb_look == m_x[51:12] && !f_hins_q && !f_nins_q);
        if (f_gpsc_ins) a_p12_gins: assert(gi_ok && f_gpsc_ins_lvl == gi_lvl &&
                                           f_gpsc_ins_x == gkey(m_va[56:21]) &&
                                           f_gpsc_ins_data[43] == gi_sh &&
                                           f_gpsc_ins_data[39:0] == gi_tbl);
        if (f_hpsc_ins) a_p12_hins: assert(hi_ok && f_hpsc_ins_lvl == m_hl &&
                                           f_hpsc_ins_x == {5'd0, m_x[51:21]} &&
                                           f_hpsc_ins_data[39:0] == hi_tbl);
        if (f_ntlb_ins) a_p12_nins: assert(ni_ok && f_ntlb_ins_gpa == m_x[51:12] &&
                                           f_ntlb_ins_hpa == ni_hpa &&
                                           f_ntlb_ins_size == m_hl[1:0] - 2'd1);
        // a nested walk below a guest PSC hit at level 2, its final gPA in
        // the NTLB: one read; one below a host PSC hit; the fills
        c_p12_1: assert(!(resp_valid_o && virt && !shadow_en && m_gpl == 3'd2 && m_ntlb &&
                          resp_status_o == `NW_ST_OK && nreads == 6'd1));
        c_p12_2: assert(!(mreq_hs && m_host && m_hpl == 3'd3 && m_hl == 3'd2));
        c_p12_3: assert(!(f_gpsc_ins && virt && !shadow_en && f_gpsc_ins_lvl == 3'd2));
        c_p12_4: assert(!(f_hpsc_ins && f_hpsc_ins_lvl == 3'd4));
        c_p12_5: assert(!(f_ntlb_ins && f_ntlb_ins_size == 2'd1));
    end
`endif
`endif
