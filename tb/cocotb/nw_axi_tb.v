// nw_axi_tb: nw_axi_walker under the port names cocotbext-axi looks up
// (s_axil_awvalid, m_axi_arvalid, ...: a bus prefix and the AXI signal
// name, no direction suffix) for the cocotb bench, test_axi_walker.py.
// The request and response ports keep their names. Both port lists and
// the connections are generated from the one table of defs/nestwalk.toml
// that also gives nw_axi_walker its ports (scripts/gen_defs.py), so a port
// added there reaches the bench with `make gen`.
`default_nettype none

module nw_axi_tb #(
    parameter ID_WIDTH     = 8,
    parameter AXI_ID_WIDTH = 1
) (
`include "nw_axi_tb_ports.vh"
`include "nw_stream_ports.vh"
);
    nw_axi_walker #(
        .ID_WIDTH     (ID_WIDTH),
        .AXI_ID_WIDTH (AXI_ID_WIDTH)
    ) u_dut (
`include "nw_axi_tb_conn.vh"
`include "nw_stream_conn.vh"
    );
endmodule

`default_nettype wire
