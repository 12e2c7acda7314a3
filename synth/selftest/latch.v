// synth/selftest: a latch: the flow must fail
`default_nettype none
module nw_walker(input wire a, input wire b, output reg y);
always @* if (a) y = b;
endmodule
`default_nettype wire
