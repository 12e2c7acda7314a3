// synth/selftest: a multiply driven net: the flow must fail
`default_nettype none
module nw_walker(input wire a, input wire b, output wire y);
assign y = a; assign y = b;
endmodule
`default_nettype wire
