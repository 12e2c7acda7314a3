// synth/selftest: a clean design: the flow must pass
`default_nettype none
module nw_walker(input wire clk, input wire a, output reg y);
always @(posedge clk) y <= a;
endmodule
`default_nettype wire
