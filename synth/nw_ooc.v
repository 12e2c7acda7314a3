// nw_ooc: out-of-context wrapper of nw_walker (AXI = 0) or of the AXI
// walker nw_axi_walker (AXI = 1) for FPGA place and route.
//
// nw_walker has some 220 input and 260 output bits, the AXI walker some 250
// and 290, more than an iCE40 package has pins. This wrapper gives the core
// four pins besides the clock:
//   sin_i  - serial data, shifted every cycle into a register that drives
//            every input bit of the core (so no core input is a constant);
//   load_i - 1: the output shift register takes the output bits of the
//            core in parallel, 16 at a time, one group a cycle after the
//            one before; 0: it shifts towards sout_o;
//   sout_o - the last bit of the output shift register;
//   rst_i  - the core's synchronous reset (registered here; the AXI
//            walker's ARESETn is its inverse).
// Every output bit of the core reaches sout_o, so synthesis cannot remove
// any of the core's logic; every core input and output sits behind a
// flip-flop of the wrapper, so the timing report covers the core's own
// register-to-register paths and its input-to-output paths between the
// wrapper's registers, not the pads.
//
// The load reaches each group of 16 output bits through a flip-flop of its
// own, a chain from load_i: one load flip-flop driving every output bit's
// select was the longest path of some placements (12.9 ns of routing to
// 260 selects), a path of the wrapper's, not of the core.
//
// The wrapper costs NI + NO + 1 + ceil(NO / 16) flip-flops (about one
// logic cell each), NI and NO being the widths of the flat core's buses
// (nw_defs.vh).
`default_nettype none
`include "nw_defs.vh"

module nw_ooc #(
    parameter AXI           = 0,
    parameter ID_WIDTH      = 8,
    parameter AXI_ID_WIDTH  = 1,
`include "nw_params.vh"
) (
    input  wire clk_i,
    input  wire rst_i,
    input  wire sin_i,
    input  wire load_i,
    output wire sout_o
);
    // core input bits (without the clock and reset), core output bits
    localparam NI = AXI != 0 ? `NW_AXI_NI : `NW_WALKER_NI;
    localparam NO = AXI != 0 ? `NW_AXI_NO : `NW_WALKER_NO;

    localparam NL = (NO + 15) / 16;

    reg          rst_q;
    reg [NL-1:0] load_q;                 // bit g: group g (bits 16 g +: 16) loads
    reg [NI-1:0] in_q;
    reg [NO-1:0] out_q;
    wire [NO-1:0] out_w;
    wire [NO-1:0] shifted = {out_q[NO-2:0], 1'b0};

    integer b;
    always @(posedge clk_i) begin
        rst_q  <= rst_i;
        load_q <= {load_q[NL-2:0], load_i};
        in_q   <= {in_q[NI-2:0], sin_i};
        for (b = 0; b < NO; b = b + 1)
            out_q[b] <= load_q[b / 16] ? out_w[b] : shifted[b];
    end
    assign sout_o = out_q[NO-1];

    generate
        if (AXI != 0) begin : g_axi
            nw_axi_walker_flat #(
                .ID_WIDTH     (ID_WIDTH),
                .AXI_ID_WIDTH (AXI_ID_WIDTH),
`include "nw_params_conn.vh"
            ) u_core (
                .aclk_i    (clk_i),
                .aresetn_i (!rst_q),
                .in_i      (in_q),
                .out_o     (out_w)
            );
        end else begin : g_walker
            nw_walker_flat #(
                .ID_WIDTH (ID_WIDTH),
`include "nw_params_conn.vh"
            ) u_core (
                .clk_i (clk_i),
                .rst_i (rst_q),
                .in_i  (in_q),
                .out_o (out_w)
            );
        end
    endgenerate
endmodule

`default_nettype wire
