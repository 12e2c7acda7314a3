// synth/selftest: an undriven net: the flow must fail
`default_nettype none
module nw_walker(input wire a, output wire y);
wire x; assign y = a & x;
endmodule
`default_nettype wire
