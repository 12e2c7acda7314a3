// nw_axi_walker: nw_walker as a drop-in block for an AMBA SoC. The register
// port becomes an AXI4-Lite slave, the memory port an AXI4 read master; the
// request and response ports stay the walker's valid/ready streams (a TLB
// miss is not a bus transaction, and they keep the walker's id).
//
// Register slave (s_axil_*), 64-bit data, 12-bit byte address:
// - Each register of SPEC section 4 is one 64-bit word at its byte address,
//   carried whole on RDATA/WDATA; address bits 2:0 are ignored, as on the
//   native port. AWPROT/ARPROT are ignored (every access may configure).
// - Every response is OKAY: an address with no register reads 0 and a write
//   to it is dropped, as the native port answers; no access can fail.
// - WSTRB all ones writes the word; WSTRB 0 writes nothing; any other
//   WSTRB reads the register and writes it back with the strobed bytes
//   replaced, in two back-to-back register-port cycles with no request
//   between them, so that a 32-bit master behind a width converter can set
//   a register half by half. The command words (GFILT_INSERT, HFILT_INSERT,
//   FILT_CLEAR, the counters) act on every write they get: give them whole
//   64-bit writes.
// - One access at a time reaches the walker; when a read and a write both
//   wait, they take turns. An access waits while a walk is in progress (the
//   native port is closed then), so its response can take a whole walk.
//
// Memory master (m_axi_*), read channels only: every read is one burst of
// one 64-bit beat (ARLEN 0, ARSIZE 3, ARBURST INCR), 8-byte aligned, and one
// is outstanding at a time (the walker issues the next only after taking the
// response), so ARID is constant and RID and RLAST carry nothing the walker
// needs. RRESP SLVERR or DECERR is the walker's bus error for that read
// (the walk ends with status bus-error at that read's level); OKAY and
// EXOKAY are data. ARQOS, ARREGION and the user signals are not driven:
// tie them at the interconnect. A 52-bit ARADDR covers every physical
// address; a wider interconnect zero-extends it.
//
// There is no path from an input to an output of a channel: every VALID
// and READY comes from a flip-flop (AR and R from the walker's state),
// gated with ARESETn so that they are low all through reset, which
// the walker's synchronous reset alone would leave high until the first edge.
//
// Parameters, one per line:
//   ID_WIDTH      width of the request id the response echoes
//   AXI_ID_WIDTH  width of ARID and RID
//   AXI_ARID      the ARID of every read
//   AXI_ARCACHE   ARCACHE of every read: 4'b0011, normal non-cacheable
//                 bufferable, so the read is served by memory (not a stale
//                 cache line): right where page tables are written by
//                 non-coherent CPUs that clean their caches; a coherent
//                 system may set 4'b1111 (write-back, allocate)
//   AXI_ARPROT    ARPROT of every read: 3'b011, privileged, non-secure, data
//                 (page tables are privileged data of the non-secure world)
//   ENABLE_*      the walker's features (nw_params.vh, defs/nestwalk.toml)
`default_nettype none

module nw_axi_walker #(
    parameter ID_WIDTH     = 8,
    parameter AXI_ID_WIDTH = 1,
    parameter [AXI_ID_WIDTH-1:0] AXI_ARID = 0,
    parameter [3:0] AXI_ARCACHE = 4'b0011,
    parameter [2:0] AXI_ARPROT  = 3'b011,
`include "nw_params.vh"
) (
    // every port but the request and response ports: defs/nestwalk.toml
`include "nw_axi_ports.vh"
`include "nw_stream_ports.vh"
);
    localparam [1:0] RESP_OKAY = 2'b00;

    // one beat needs none of these (see the header); Verilator's -Wall
    // takes a signal named unused* as deliberately so
    wire unused = &{1'b0, s_axil_awprot_i, s_axil_arprot_i, m_axi_rid_i,
                    m_axi_rlast_i, m_axi_rresp_i[0]};

    wire        rst = !aresetn_i;

    wire        reg_valid, reg_ready, reg_write;
    wire [11:0] reg_addr;
    wire [63:0] reg_rdata;
    wire        mem_req_valid, mem_resp_ready;

    // ---- AXI4-Lite: each channel is taken into a one-entry holding
    // register, so the READYs are flops and AW and W may come in any order
    reg         aw_full_q, w_full_q, ar_full_q;
    reg         b_valid_q, r_valid_q;
    reg  [11:0] aw_addr_q, ar_addr_q;
    reg  [63:0] w_data_q, r_data_q;
    reg  [7:0]  w_strb_q;
    // the register port is presented an access (op_write_q: the write)
    reg         op_q, op_write_q;
    // the started access's address, a flop so that the register read mux
    // and the partial-write merge start at one rather than behind a mux
    reg  [11:0] op_addr_q;
    // the last access started was the write: the read goes next
    reg         last_write_q;

    // a write waits until its previous B is taken, a read its previous R,
    // so that each has one response outstanding
    wire wr_pend  = aw_full_q && w_full_q && !b_valid_q;
    wire rd_pend  = ar_full_q && !r_valid_q;
    wire start    = !op_q && (wr_pend || rd_pend);
    wire start_wr = wr_pend && (!rd_pend || !last_write_q);
    wire xfer     = op_q && reg_ready;
    wire full_wr  = &w_strb_q;

    wire [63:0] strb_mask = {{8{w_strb_q[7]}}, {8{w_strb_q[6]}}, {8{w_strb_q[5]}},
                             {8{w_strb_q[4]}}, {8{w_strb_q[3]}}, {8{w_strb_q[2]}},
                             {8{w_strb_q[1]}}, {8{w_strb_q[0]}}};

    always @(posedge aclk_i) begin
        if (rst) begin
            aw_full_q    <= 1'b0;
            w_full_q     <= 1'b0;
            ar_full_q    <= 1'b0;
            b_valid_q    <= 1'b0;
            r_valid_q    <= 1'b0;
            op_q         <= 1'b0;
            op_write_q   <= 1'b0;
            last_write_q <= 1'b0;
        end else begin
            if (s_axil_awvalid_i && s_axil_awready_o) begin
                aw_full_q <= 1'b1;
                aw_addr_q <= s_axil_awaddr_i;
            end
            if (s_axil_wvalid_i && s_axil_wready_o) begin
                w_full_q <= 1'b1;
                w_data_q <= s_axil_wdata_i;
                w_strb_q <= s_axil_wstrb_i;
            end
            if (s_axil_arvalid_i && s_axil_arready_o) begin
                ar_full_q <= 1'b1;
                ar_addr_q <= s_axil_araddr_i;
            end
            if (s_axil_bvalid_o && s_axil_bready_i)
                b_valid_q <= 1'b0;
            if (s_axil_rvalid_o && s_axil_rready_i)
                r_valid_q <= 1'b0;

            if (start) begin
                last_write_q <= start_wr;
                if (start_wr && w_strb_q == 8'h00) begin
                    // nothing to write: answer without the walker
                    aw_full_q <= 1'b0;
                    w_full_q  <= 1'b0;
                    b_valid_q <= 1'b1;
                end else begin
                    op_q       <= 1'b1;
                    op_write_q <= start_wr;
                    op_addr_q  <= start_wr ? aw_addr_q : ar_addr_q;
                end
            end

            if (xfer) begin
                if (!op_write_q) begin
                    op_q      <= 1'b0;
                    ar_full_q <= 1'b0;
                    r_valid_q <= 1'b1;
                    r_data_q  <= reg_rdata;
                end else if (full_wr) begin
                    op_q      <= 1'b0;
                    aw_full_q <= 1'b0;
                    w_full_q  <= 1'b0;
                    b_valid_q <= 1'b1;
                end else begin
                    // the read of a partial write: the write follows in
                    // the next cycle, op_q still high so no walk slips in
                    w_data_q <= (reg_rdata & ~strb_mask) | (w_data_q & strb_mask);
                    w_strb_q <= 8'hff;
                end
            end
        end
    end

    assign s_axil_awready_o = !aw_full_q && aresetn_i;
    assign s_axil_wready_o  = !w_full_q && aresetn_i;
    assign s_axil_arready_o = !ar_full_q && aresetn_i;
    assign s_axil_bvalid_o  = b_valid_q && aresetn_i;
    assign s_axil_bresp_o   = RESP_OKAY;
    assign s_axil_rvalid_o  = r_valid_q && aresetn_i;
    assign s_axil_rdata_o   = r_data_q;
    assign s_axil_rresp_o   = RESP_OKAY;

    assign reg_valid = op_q;
    assign reg_write = op_write_q && full_wr;
    assign reg_addr  = op_addr_q;

    // ---- AXI4 read master: the walker's memory port already is one
    // outstanding read whose address holds until taken
    assign m_axi_arvalid_o = mem_req_valid && aresetn_i;
    assign m_axi_arid_o    = AXI_ARID;
    assign m_axi_arlen_o   = 8'd0;
    assign m_axi_arsize_o  = 3'd3;
    assign m_axi_arburst_o = 2'b01;
    assign m_axi_arlock_o  = 1'b0;
    assign m_axi_arcache_o = AXI_ARCACHE;
    assign m_axi_arprot_o  = AXI_ARPROT;
    assign m_axi_rready_o  = mem_resp_ready && aresetn_i;

    nw_walker #(
        .ID_WIDTH (ID_WIDTH),
`include "nw_params_conn.vh"
    ) u_walker (
        .clk_i            (aclk_i),
        .rst_i            (rst),
        .reg_valid_i      (reg_valid),
        .reg_ready_o      (reg_ready),
        .reg_write_i      (reg_write),
        .reg_addr_i       (reg_addr),
        .reg_wdata_i      (w_data_q),
        .reg_rdata_o      (reg_rdata),
        .mem_req_valid_o  (mem_req_valid),
        .mem_req_ready_i  (m_axi_arready_i),
        .mem_req_addr_o   (m_axi_araddr_o),
        .mem_resp_valid_i (m_axi_rvalid_i),
        .mem_resp_ready_o (mem_resp_ready),
        .mem_resp_data_i  (m_axi_rdata_i),
        // SLVERR (10) and DECERR (11)
        .mem_resp_err_i   (m_axi_rresp_i[1]),
`include "nw_stream_conn.vh"
    );
endmodule

`default_nettype wire
