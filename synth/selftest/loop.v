// synth/selftest: a combinational loop: the flow must fail
`default_nettype none
module nw_walker(input wire a, output wire y);
wire x; assign x = ~(a & y); assign y = x ^ a;
endmodule
`default_nettype wire
