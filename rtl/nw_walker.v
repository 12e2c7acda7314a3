// nw_walker: top of the nestwalk page-table walker (SPEC section 7; its
// ports are declared once, in defs/nestwalk.toml, and listed in
// docs/REGISTERS.md). Joins the register file, which holds the
// configuration, filters and counters, to the walk state machine. The
// register port is open only while no walk is in progress and the register
// file is not busy (applying a write, counting the last walk's events,
// applying a filter insert), and no request is accepted while a write is
// applied or a filter insert still has bits to set, so a walk always sees
// the configuration it was accepted with and a read sees every write and
// walk before it.
//
// Parameters: ID_WIDTH, the width of the request id echoed in the
// response, and the features of defs/nestwalk.toml (nw_params.vh: 0 leaves
// one out, its CTRL bits and registers read 0 and the logic behind them is
// constant and falls away).
`default_nettype none
`include "nw_defs.vh"

module nw_walker #(
    parameter ID_WIDTH = 8,
`include "nw_params.vh"
) (
`include "nw_walker_ports.vh"
);
    wire [`NW_CTRL_W-1:0] ctrl;
    wire [51:12]    gcr3, hcr3;
    wire [52:12]    scr3;
    wire [6*52-1:0] seg;
    wire [2:0]      gattr;
    wire [1:0]      hattr;
    wire            gfilt_look, hfilt_look;
    wire [51:0]     gfilt_page, hfilt_page;
    wire            gfilt_hit, hfilt_hit;
    wire [`NW_NUM_COUNTERS-1:0] cnt_inc;
    wire            idle_stay, rf_busy_next, rf_hold;
    wire [1:0]      wc_flush;
    wire [4*145-1:0] gdmt, hdmt;

    // The port is open when reg_ready_q says so, a flop loaded with what the
    // FSM's and the register file's next state say, so that no decoding
    // logic sits between either and the port's handshake. A write is taken
    // as it is presented, a read two cycles later, once its data is
    // registered (nw_regfile's read side): ready is the open flop gated by
    // the write bit or by the read's registered data.
    reg reg_ready_q;
    wire rf_rd_ok;
    always @(posedge clk_i)
        reg_ready_q <= rst_i || (idle_stay && !rf_busy_next);
    assign reg_ready_o = reg_ready_q && (reg_write_i || rf_rd_ok);

    nw_regfile #(
`include "nw_params_conn.vh"
    ) u_regfile (
        .clk_i        (clk_i),
        .rst_i        (rst_i),
        .acc_i        (reg_valid_i && reg_ready_o),
        .write_i      (reg_write_i),
        .rd_i         (reg_valid_i && !reg_write_i && reg_ready_q),
        .rd_ok_o      (rf_rd_ok),
        .addr_i       (reg_addr_i),
        .wdata_i      (reg_wdata_i),
        .rdata_o      (reg_rdata_o),
        .ctrl_o       (ctrl),
        .gcr3_o       (gcr3),
        .hcr3_o       (hcr3),
        .scr3_o       (scr3),
        .seg_o        (seg),
        .gattr_o      (gattr),
        .hattr_o      (hattr),
        .gdmt_o       (gdmt),
        .hdmt_o       (hdmt),
        .gfilt_look_i (gfilt_look),
        .gfilt_page_i (gfilt_page),
        .gfilt_hit_o  (gfilt_hit),
        .hfilt_look_i (hfilt_look),
        .hfilt_page_i (hfilt_page),
        .hfilt_hit_o  (hfilt_hit),
        .cnt_inc_i    (cnt_inc),
        .busy_next_o  (rf_busy_next),
        .wc_flush_o   (wc_flush),
        .hold_o       (rf_hold)
    );

    // the walk caches of a build without them have no entries, nor the
    // host ones of a build without the host dimension, nor a level 5 of
    // one without 5-level tables
    localparam WC = ENABLE_WC != 0, HWC = WC && ENABLE_VIRT != 0;
    localparam G5 = WC && ENABLE_LA57 != 0, H5 = HWC && ENABLE_LA57 != 0;
    nw_walk_fsm #(
        .ID_WIDTH   (ID_WIDTH),
        .GPSC_L2    (WC  ? WC_GPSC_L2 : 0),
        .GPSC_L3    (WC  ? WC_GPSC_L3 : 0),
        .GPSC_L4    (WC  ? WC_GPSC_L4 : 0),
        .GPSC_L5    (G5  ? WC_GPSC_L5 : 0),
        .HPSC_L2    (HWC ? WC_HPSC_L2 : 0),
        .HPSC_L3    (HWC ? WC_HPSC_L3 : 0),
        .HPSC_L4    (HWC ? WC_HPSC_L4 : 0),
        .HPSC_L5    (H5  ? WC_HPSC_L5 : 0),
        .NTLB       (HWC ? WC_NTLB : 0)
    ) u_fsm (
        .ctrl_i           (ctrl),
        .gcr3_i           (gcr3),
        .hcr3_i           (hcr3),
        .scr3_i           (scr3),
        .seg_i            (seg),
        .gattr_i          (gattr),
        .hattr_i          (hattr),
        .gdmt_i           (gdmt),
        .hdmt_i           (hdmt),
        .gfilt_look_o     (gfilt_look),
        .gfilt_page_o     (gfilt_page),
        .gfilt_hit_i      (gfilt_hit),
        .hfilt_look_o     (hfilt_look),
        .hfilt_page_o     (hfilt_page),
        .hfilt_hit_i      (hfilt_hit),
        .cnt_inc_o        (cnt_inc),
        .idle_stay_o      (idle_stay),
        // a request waits for a register access, a write being applied
        // and a filter insert still setting bits (the walk's lookups
        // would miss them)
        .reg_valid_i      (reg_valid_i || rf_hold),
        .wc_flush_i       (wc_flush),
`include "nw_walk_conn.vh"
    );
endmodule

`default_nettype wire
