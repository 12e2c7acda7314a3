// fv_fsm: formal wrapper of the walk state machine `nw_walk_fsm` alone, the
// unit the walker top joins to its register file. The same shadow state,
// reference model and properties as fv_top (fv_common.vh); the
// configuration is driven by the wrapper instead of a register file, so no
// copy of it is needed and the escape filters answer anything.
`default_nettype none
`include "nw_defs.vh"

module fv_fsm #(
    parameter ID_WIDTH      = 4,
    parameter MEM_D         = 2,    // P5: memory takes a read and answers it within MEM_D cycles each
    parameter DMT_W         = 4,    // DMT windows a dimension that take any value (the others empty)
`include "nw_params.vh"
) (
    // the configuration taken while idle, and the filters' answers
    input  wire [`NW_CTRL_W-1:0] n_ctrl,
    input  wire [51:12]        n_gcr3,
    input  wire [51:12]        n_hcr3,
    input  wire [52:12]        n_scr3,
    input  wire [63:12]        n_seg0, n_seg1, n_seg2, n_seg3, n_seg4, n_seg5,
    input  wire [2:0]          n_gattr,
    input  wire [1:0]          n_hattr,
    input  wire [4*145-1:0]    n_gdmt,
    input  wire [4*145-1:0]    n_hdmt,
    input  wire                gf_hit,
    input  wire                hf_hit,
    // the walker's inputs (of the register port only reg_valid_i matters
    // here: it holds requests off)
`include "nw_walker_inputs.vh"
);
`include "nw_walker_outputs.vh"
`include "nw_features.vh"

    // the configuration the walk FSM sees: any value, changed only while
    // the FSM is idle and not accepting a request (in the top the register
    // port is closed during a walk and while a request is accepted: P1
    // a_p1_reg_closed and a_p1_reg_prio, P9). Filter answers are free inputs, any
    // value in any cycle: the proof covers every filter content.
    wire idle_stay;
    reg  idle_q;                    // the FSM is idle, as the top's reg_ready_q
    always @(posedge clk_i) idle_q <= rst_i || idle_stay;
    assign reg_ready_o = idle_q;
    assign reg_rdata_o = 64'd0;
    reg [`NW_CTRL_W-1:0] c_ctrl;
    reg [51:12] c_gcr3, c_hcr3;
    reg [52:12] c_scr3;
    reg [63:12] c_seg [0:5];
    reg [2:0]   c_gattr;
    reg [1:0]   c_hattr;
    reg [4*145-1:0] c_gdmt, c_hdmt;
    // The FSM sees the windows only through nw_dmt's answer (hit, address,
    // PV), which P11 proves to be the SPEC's for any four windows; the
    // reference model asks the same unit. So P3, P4 and P8 with one window a
    // dimension cover every answer the unit can give, overlaps included.
    localparam [4*145-1:0] DMT_ANY = {4*145{1'b1}} >> (145 * (4 - DMT_W));
    always @(posedge clk_i) begin
        if ((idle_q && !(req_valid_i && req_ready_o)) || rst_i) begin
            c_ctrl <= n_ctrl & CTRL_MASK;
            c_gcr3 <= n_gcr3;
            c_hcr3 <= HAS_VIRT ? n_hcr3 : 40'd0;
            c_scr3 <= HAS_SCR3 ? n_scr3 : 41'd0;
            c_seg[0] <= HAS_GSEG ? n_seg0 : 52'd0;
            c_seg[1] <= HAS_GSEG ? n_seg1 : 52'd0;
            c_seg[2] <= HAS_GSEG ? n_seg2 : 52'd0;
            c_seg[3] <= HAS_HSEG ? n_seg3 : 52'd0;
            c_seg[4] <= HAS_HSEG ? n_seg4 : 52'd0;
            c_seg[5] <= HAS_HSEG ? n_seg5 : 52'd0;
            c_gattr <= n_gattr;
            c_hattr <= n_hattr;
            c_gdmt <= HAS_GDMT ? n_gdmt & DMT_ANY : {4*145{1'b0}};
            c_hdmt <= HAS_HDMT ? n_hdmt & DMT_ANY : {4*145{1'b0}};
        end
    end
    wire        gf_lk, hf_lk;            // the model's lookups (unused here)
    wire [51:0] gf_look, hf_look;

    nw_walk_fsm #(
        .ID_WIDTH (ID_WIDTH)
`ifdef FV_WC
        // one walk-cache entry a level, which the build cuts out (fv_common.vh)
        , .GPSC_L2 (1), .GPSC_L3 (1), .GPSC_L4 (1), .GPSC_L5 (1)
        , .HPSC_L2 (1), .HPSC_L3 (1), .HPSC_L4 (1), .HPSC_L5 (1), .NTLB (1)
`endif
    ) dut (
        .ctrl_i (c_ctrl), .gcr3_i (c_gcr3), .hcr3_i (c_hcr3), .scr3_i (c_scr3),
        .seg_i ({c_seg[5], c_seg[4], c_seg[3], c_seg[2], c_seg[1], c_seg[0]}),
        .gattr_i (c_gattr), .hattr_i (c_hattr),
        .gdmt_i (c_gdmt), .hdmt_i (c_hdmt),
        .gfilt_look_o (), .gfilt_page_o (), .gfilt_hit_i (gf_hit && HAS_GFILT),
        .hfilt_look_o (), .hfilt_page_o (), .hfilt_hit_i (hf_hit && HAS_HFILT),
        .cnt_inc_o (), .idle_stay_o (idle_stay), .reg_valid_i (reg_valid_i),
        // no flush (with FV_WC the caches' answers are free anyway)
        .wc_flush_i (2'b00),
`include "nw_walk_conn.vh"
    );

`include "fv_common.vh"
endmodule

`default_nettype wire
