// fv_top: formal wrapper of the walker top `nw_walker`.
//
// Every property is stated on the ports of nw_walker. The wrapper never
// looks inside the RTL: it keeps its own shadow state, built only from what
// crosses the ports:
//   - handshake trackers (pending request and its id, outstanding read,
//     reads of this request, cycles since the request was accepted);
//   - a copy of the configuration, decoded from the register-port writes
//     with the masks of docs/BEHAVIOUR.md (the escape filters' bits are
//     kept by two nw_filter instances fed from the register port, the unit
//     whose no-false-negative property P7 proves);
//   - a reference model of the SPEC's read order (section 6): from the
//     accepted VA, the copied configuration and the data of each read it
//     computes the address of the next read, if the walk goes on.
//
// Every property is an immediate assertion with a label; the flow
// (formal/run.py, formal/jobs.py) keeps the labels of one property per
// proof and removes the others:
//   a_p1_*  P1 interfaces          a_p2_*  P2 memory port
//   a_p3_*  P3 reads follow tables a_p4_*  P4 read-count bounds
//   a_p5_*  P5 bounded latency     a_p8_*  P8 agile switch
//   c_pN_k  cover k of property N, written as the assertion of its negation
//           (a counterexample of it is the cover trace)
//   e_live_* the memory-latency assumptions, kept only for P5
`default_nettype none
`include "nw_defs.vh"

module fv_top #(
    parameter ID_WIDTH      = 4,
    parameter MEM_D         = 2,    // P5: memory takes a read and answers it within MEM_D cycles each
    parameter HASHCUT       = 0,    // 1: the build cuts the filters' hash units out (see below)
`include "nw_params.vh"
) (
`include "nw_walker_inputs.vh"
);
`include "nw_walker_outputs.vh"

    nw_walker #(
        .ID_WIDTH (ID_WIDTH),
`include "nw_params_conn.vh"
    ) dut (
`include "nw_walker_conn.vh"
    );

`include "nw_features.vh"

    wire [8:0] word   = reg_addr_i[11:3];
    wire       reg_hs = reg_valid_i && reg_ready_o;
    wire       reg_wr = reg_hs && reg_write_i;

    // The walker applies a write in the cycle after its handshake (the
    // register file's write stage), and so do the copies below, so that
    // they hold its state in every cycle, the filters' hashes included.
    reg        w_wr;
    reg [8:0]  w_word;
    reg [63:0] w_data;
    always @(posedge clk_i) begin
        w_wr   <= !rst_i && reg_wr;
        w_word <= word;
        w_data <= reg_wdata_i;
    end

    // ---------------------------------------------------------------
    // copy of the configuration, from the register-port writes
    reg [`NW_CTRL_W-1:0] c_ctrl;
    reg [51:12] c_gcr3, c_hcr3;
    reg [52:12] c_scr3;
    reg [63:12] c_seg [0:5];
    reg [144:0] c_dmt [0:7];          // DMT windows, guest 0-3, host 4-7: {PV, TEA, LIMIT, BASE}
    integer k;
    function [8:0] dmt_word0;          // the first word of window k
        input integer k;
        dmt_word0 = k < 4 ? `NW_WORD_GDMT + 4 * k : `NW_WORD_HDMT + 4 * (k - 4);
    endfunction
    always @(posedge clk_i) begin
        if (rst_i) begin
            c_ctrl <= {`NW_CTRL_W{1'b0}}; c_gcr3 <= 40'd0; c_hcr3 <= 40'd0; c_scr3 <= 41'd0;
            for (k = 0; k < 6; k = k + 1) c_seg[k] <= 52'd0;
            for (k = 0; k < 8; k = k + 1) c_dmt[k] <= 145'd0;
        end else if (w_wr) begin
            case (w_word)
                `NW_WORD_CTRL: c_ctrl <= w_data[`NW_CTRL_W-1:0] & CTRL_MASK;
                `NW_WORD_GCR3: c_gcr3 <= w_data[51:12];
                `NW_WORD_HCR3: if (HAS_VIRT) c_hcr3 <= w_data[51:12];
                `NW_WORD_SCR3: if (HAS_SCR3) c_scr3 <= w_data[52:12];
                default: ;
            endcase
            for (k = 0; k < 6; k = k + 1)
                if (w_word == `NW_WORD_GSEG_BASE + k && HAS_GSEG && (k < 3 || HAS_HSEG))
                    c_seg[k] <= w_data[63:12];
            // window k's words: BASE, LIMIT, TEA (bit 0: PV, guest only)
            for (k = 0; k < 8; k = k + 1)
                if (k < 4 ? HAS_GDMT : HAS_HDMT) begin
                    if (w_word == dmt_word0(k))
                        c_dmt[k][51:0] <= w_data[63:12];
                    if (w_word == dmt_word0(k) + 9'd1)
                        c_dmt[k][103:52] <= w_data[63:12];
                    if (w_word == dmt_word0(k) + 9'd2)
                        c_dmt[k][144:104] <= {k < 4 && w_data[0], w_data[51:12]};
                end
        end
    end
    wire [4*145-1:0] c_gdmt = {c_dmt[3], c_dmt[2], c_dmt[1], c_dmt[0]};
    wire [4*145-1:0] c_hdmt = {c_dmt[7], c_dmt[6], c_dmt[5], c_dmt[4]};

    // the escape filters' bits, kept from the same register-port traffic
    wire        gf_lk, hf_lk;
    wire [51:0] gf_look, hf_look;
    wire        gf_hit, hf_hit;
    wire        f_clear = w_wr && w_word == `NW_WORD_FILT_CLEAR;
    generate
        if (HAS_GFILT) begin : g_gf
            nw_filter u_gf (
                .clk_i (clk_i), .rst_i (rst_i), .clear_i (f_clear && w_data[0]),
                .ins_i (w_wr && w_word == `NW_WORD_GFILT_INSERT), .ins_page_i (w_data[51:0]),
                .wr_i (w_wr && w_word >> 2 == `NW_WORD_GFILT >> 2), .wr_idx_i (w_word[1:0]),
                .wr_data_i (w_data), .look_i (gf_lk), .look_page_i (gf_look), .hit_o (gf_hit),
                .busy_o (), .bits_o ());
        end else begin : g_no_gf
            assign gf_hit = 1'b0;
        end
        if (HAS_HFILT) begin : g_hf
            nw_filter u_hf (
                .clk_i (clk_i), .rst_i (rst_i), .clear_i (f_clear && w_data[1]),
                .ins_i (w_wr && w_word == `NW_WORD_HFILT_INSERT), .ins_page_i ({12'd0, w_data[39:0]}),
                .wr_i (w_wr && w_word >> 2 == `NW_WORD_HFILT >> 2), .wr_idx_i (w_word[1:0]),
                .wr_data_i (w_data), .look_i (hf_lk), .look_page_i (hf_look), .hit_o (hf_hit),
                .busy_o (), .bits_o ());
        end else begin : g_no_hf
            assign hf_hit = 1'b0;
        end
    endgenerate

`include "fv_common.vh"

    // With HASHCUT (builds top-*-hc) the build cuts the hash units of the
    // walker's filters and of the copies above out (jobs.py) and drives
    // these wires from the cut: each filter's hash and the page it was
    // given. The one assumption: walker and copy hash equal pages equally
    // in the same cycle, as any function does, H3 among them. Then the
    // copies' bits equal the walker's without proving two XOR trees equal.
    wire [51:0] f_gp_w, f_gp_c, f_hp_w, f_hp_c;
    wire [31:0] f_gh_w, f_gh_c, f_hh_w, f_hh_c;
    generate
        if (HASHCUT != 0) begin : g_hashcut
`ifdef FORMAL
            always @* if (!init) begin
                if (HAS_GFILT && f_gp_w == f_gp_c) e_hash_g: assume(f_gh_w == f_gh_c);
                if (HAS_HFILT && f_hp_w == f_hp_c) e_hash_h: assume(f_hh_w == f_hh_c);
            end
`endif
        end
    endgenerate
endmodule

`default_nettype wire
