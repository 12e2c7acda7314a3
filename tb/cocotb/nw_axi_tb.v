// nw_axi_tb: nw_axi_walker under the port names cocotbext-axi looks up
// (s_axil_awvalid, m_axi_arvalid, ...: a bus prefix and the AXI signal
// name, no direction suffix) for the cocotb bench, test_axi_walker.py.
// The request and response ports keep their names.
`default_nettype none

module nw_axi_tb #(
    parameter ID_WIDTH = 8
) (
    input  wire                aclk,
    input  wire                aresetn,
    input  wire                s_axil_awvalid,
    output wire                s_axil_awready,
    input  wire [11:0]         s_axil_awaddr,
    input  wire [2:0]          s_axil_awprot,
    input  wire                s_axil_wvalid,
    output wire                s_axil_wready,
    input  wire [63:0]         s_axil_wdata,
    input  wire [7:0]          s_axil_wstrb,
    output wire                s_axil_bvalid,
    input  wire                s_axil_bready,
    output wire [1:0]          s_axil_bresp,
    input  wire                s_axil_arvalid,
    output wire                s_axil_arready,
    input  wire [11:0]         s_axil_araddr,
    input  wire [2:0]          s_axil_arprot,
    output wire                s_axil_rvalid,
    input  wire                s_axil_rready,
    output wire [63:0]         s_axil_rdata,
    output wire [1:0]          s_axil_rresp,
    output wire                m_axi_arvalid,
    input  wire                m_axi_arready,
    output wire [0:0]          m_axi_arid,
    output wire [51:0]         m_axi_araddr,
    output wire [7:0]          m_axi_arlen,
    output wire [2:0]          m_axi_arsize,
    output wire [1:0]          m_axi_arburst,
    output wire                m_axi_arlock,
    output wire [3:0]          m_axi_arcache,
    output wire [2:0]          m_axi_arprot,
    input  wire                m_axi_rvalid,
    output wire                m_axi_rready,
    input  wire [0:0]          m_axi_rid,
    input  wire [63:0]         m_axi_rdata,
    input  wire [1:0]          m_axi_rresp,
    input  wire                m_axi_rlast,
`include "nw_stream_ports.vh"
);
    nw_axi_walker #(
        .ID_WIDTH (ID_WIDTH)
    ) u_dut (
        .aclk_i           (aclk),
        .aresetn_i        (aresetn),
        .s_axil_awvalid_i (s_axil_awvalid),
        .s_axil_awready_o (s_axil_awready),
        .s_axil_awaddr_i  (s_axil_awaddr),
        .s_axil_awprot_i  (s_axil_awprot),
        .s_axil_wvalid_i  (s_axil_wvalid),
        .s_axil_wready_o  (s_axil_wready),
        .s_axil_wdata_i   (s_axil_wdata),
        .s_axil_wstrb_i   (s_axil_wstrb),
        .s_axil_bvalid_o  (s_axil_bvalid),
        .s_axil_bready_i  (s_axil_bready),
        .s_axil_bresp_o   (s_axil_bresp),
        .s_axil_arvalid_i (s_axil_arvalid),
        .s_axil_arready_o (s_axil_arready),
        .s_axil_araddr_i  (s_axil_araddr),
        .s_axil_arprot_i  (s_axil_arprot),
        .s_axil_rvalid_o  (s_axil_rvalid),
        .s_axil_rready_i  (s_axil_rready),
        .s_axil_rdata_o   (s_axil_rdata),
        .s_axil_rresp_o   (s_axil_rresp),
        .m_axi_arvalid_o  (m_axi_arvalid),
        .m_axi_arready_i  (m_axi_arready),
        .m_axi_arid_o     (m_axi_arid),
        .m_axi_araddr_o   (m_axi_araddr),
        .m_axi_arlen_o    (m_axi_arlen),
        .m_axi_arsize_o   (m_axi_arsize),
        .m_axi_arburst_o  (m_axi_arburst),
        .m_axi_arlock_o   (m_axi_arlock),
        .m_axi_arcache_o  (m_axi_arcache),
        .m_axi_arprot_o   (m_axi_arprot),
        .m_axi_rvalid_i   (m_axi_rvalid),
        .m_axi_rready_o   (m_axi_rready),
        .m_axi_rid_i      (m_axi_rid),
        .m_axi_rdata_i    (m_axi_rdata),
        .m_axi_rresp_i    (m_axi_rresp),
        .m_axi_rlast_i    (m_axi_rlast),
`include "nw_stream_conn.vh"
    );
endmodule

`default_nettype wire
