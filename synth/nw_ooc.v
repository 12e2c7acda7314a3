// nw_ooc: out-of-context wrapper of nw_walker for FPGA place and route.
//
// nw_walker has some 220 input and 260 output bits, more than an iCE40
// package has pins. This wrapper gives it four pins besides the clock:
//   sin_i  - serial data, shifted every cycle into a register that drives
//            every input bit of the core (so no core input is a constant);
//   load_i - 1: the output shift register takes every output bit of the
//            core in parallel; 0: it shifts towards sout_o;
//   sout_o - the last bit of the output shift register;
//   rst_i  - the core's synchronous reset (registered here).
// Every output bit of the core reaches sout_o, so synthesis cannot remove
// any of the core's logic; every core input and output sits behind a
// flip-flop of the wrapper, so the timing report covers the core's own
// register-to-register paths and its input-to-output paths between the
// wrapper's registers, not the pads.
//
// The wrapper costs NI + NO + 2 flip-flops (about one logic cell each),
// NI and NO being the widths of nw_walker_flat's buses (nw_defs.vh):
// 483 for ID_WIDTH = 8.
`default_nettype none
`include "nw_defs.vh"

module nw_ooc #(
    parameter ID_WIDTH      = 8,
`include "nw_params.vh"
) (
    input  wire clk_i,
    input  wire rst_i,
    input  wire sin_i,
    input  wire load_i,
    output wire sout_o
);
    localparam NI = `NW_WALKER_NI;    // core input bits (without clk, rst)
    localparam NO = `NW_WALKER_NO;    // core output bits

    reg          rst_q, load_q;
    reg [NI-1:0] in_q;
    reg [NO-1:0] out_q;
    wire [NO-1:0] out_w;

    always @(posedge clk_i) begin
        rst_q  <= rst_i;
        load_q <= load_i;
        in_q   <= {in_q[NI-2:0], sin_i};
        out_q  <= load_q ? out_w : {out_q[NO-2:0], 1'b0};
    end
    assign sout_o = out_q[NO-1];

    nw_walker_flat #(
        .ID_WIDTH (ID_WIDTH),
`include "nw_params_conn.vh"
    ) u_core (
        .clk_i (clk_i),
        .rst_i (rst_q),
        .in_i  (in_q),
        .out_o (out_w)
    );
endmodule

`default_nettype wire
