// fv_snap: P9, configuration snapshot, by self-composition. Two walkers A
// and B see the same inputs, except that B's register port also gets any
// register access (writes included, to any address with any data) while a
// request is pending, from the cycle after its acceptance to the cycle its
// response is taken. The property: both make the same reads and give the
// same responses (every output of the request, response and memory ports
// is equal in every cycle), so register writes during a walk change
// neither its reads nor its result. The register port's own outputs
// (ready, read data) are compared only outside walks.
`default_nettype none

module fv_snap #(
    parameter ENABLE_VIRT   = 1,
    parameter ENABLE_SEG    = 1,
    parameter ENABLE_FILT   = 1,
    parameter ENABLE_SHADOW = 1,
    parameter ENABLE_LA57   = 1,
    parameter ID_WIDTH      = 2
) (
    input  wire                clk_i,
    input  wire                rst_i,
    input  wire                reg_valid_i,
    input  wire                reg_write_i,
    input  wire [11:0]         reg_addr_i,
    input  wire [63:0]         reg_wdata_i,
    input  wire                x_valid_i,     // B's extra register access
    input  wire                x_write_i,
    input  wire [11:0]         x_addr_i,
    input  wire [63:0]         x_wdata_i,
    input  wire                req_valid_i,
    input  wire [63:0]         req_va_i,
    input  wire [1:0]          req_access_i,
    input  wire                req_user_i,
    input  wire [ID_WIDTH-1:0] req_id_i,
    input  wire                resp_ready_i,
    input  wire                mem_req_ready_i,
    input  wire                mem_resp_valid_i,
    input  wire [63:0]         mem_resp_data_i,
    input  wire                mem_resp_err_i
);
    localparam OW = 1 + 1 + 3 + 3 + 3 + 52 + 2 + 3 + 52 + 1 + 5 + 6 + ID_WIDTH + 1 + 52 + 1;
    wire [OW-1:0] out_a, out_b;
    wire          rdy_a, rdy_b;
    wire [63:0]   rd_a, rd_b;
    wire [5:0]    refs_a, refs_b;
    wire          req_ready_a, resp_valid_a, mreq_valid_a, mresp_ready_a;
    wire          req_ready_b, resp_valid_b, mreq_valid_b, mresp_ready_b;

    reg init = 1'b1;
    always @(posedge clk_i) init <= 1'b0;
    // the properties are for yosys, whose read_verilog -formal defines FORMAL
    // (Icarus, make formal-lint, parses the rest: it has no labelled assertions)
`ifdef FORMAL
    always @* e_reset: assume(rst_i == init);
`endif

    // pending, from A's handshakes (A and B are compared every cycle)
    wire req_hs_a  = req_valid_i && req_ready_a;
    wire resp_hs_a = resp_valid_a && resp_ready_i;
    reg  pending;
    always @(posedge clk_i)
        if (rst_i) pending <= 1'b0;
        else if (req_hs_a) pending <= 1'b1;
        else if (resp_hs_a) pending <= 1'b0;

    wire        b_valid = pending ? (reg_valid_i || x_valid_i) : reg_valid_i;
    wire        b_write = pending && x_valid_i ? x_write_i : reg_write_i;
    wire [11:0] b_addr  = pending && x_valid_i ? x_addr_i  : reg_addr_i;
    wire [63:0] b_wdata = pending && x_valid_i ? x_wdata_i : reg_wdata_i;

    // memory answers only a read it took
    reg mem_out;
    always @(posedge clk_i)
        if (rst_i) mem_out <= 1'b0;
        else if (mreq_valid_a && mem_req_ready_i) mem_out <= 1'b1;
        else if (mem_resp_valid_i && mresp_ready_a) mem_out <= 1'b0;
`ifdef FORMAL
    always @* if (!init) e_mem_resp: assume(!mem_resp_valid_i || mem_out);
`endif

    fv_snap_one #(ENABLE_VIRT, ENABLE_SEG, ENABLE_FILT, ENABLE_SHADOW, ENABLE_LA57, ID_WIDTH, OW) u_a (
        clk_i, rst_i, reg_valid_i, reg_write_i, reg_addr_i, reg_wdata_i, rdy_a, rd_a,
        req_valid_i, req_va_i, req_access_i, req_user_i, req_id_i, resp_ready_i,
        mem_req_ready_i, mem_resp_valid_i, mem_resp_data_i, mem_resp_err_i, out_a, refs_a,
        req_ready_a, resp_valid_a, mreq_valid_a, mresp_ready_a);
    fv_snap_one #(ENABLE_VIRT, ENABLE_SEG, ENABLE_FILT, ENABLE_SHADOW, ENABLE_LA57, ID_WIDTH, OW) u_b (
        clk_i, rst_i, b_valid, b_write, b_addr, b_wdata, rdy_b, rd_b,
        req_valid_i, req_va_i, req_access_i, req_user_i, req_id_i, resp_ready_i,
        mem_req_ready_i, mem_resp_valid_i, mem_resp_data_i, mem_resp_err_i, out_b, refs_b,
        req_ready_b, resp_valid_b, mreq_valid_b, mresp_ready_b);

    reg x_seen;                  // B got an extra write during this walk
    always @(posedge clk_i)
        if (rst_i || req_hs_a) x_seen <= 1'b0;
        else if (pending && x_valid_i && x_write_i) x_seen <= 1'b1;

    // A lemma, proven on its own (job p9-lemma-*, without e_p9_closed) and
    // then assumed: the register port is closed while a request is pending
    // (P1's a_p1_reg_closed, stated here for walker A). With it, the state
    // of B equals that of A in every cycle by a simple induction, which
    // abc's `scorr` finds; without it, induction must also learn how
    // `pending` relates to the walk state of both walkers.
`ifdef FORMAL
    always @* if (!init) begin
        a_p9_closed: assert(!pending || !rdy_a);
        e_p9_closed: assume(!pending || !rdy_a);
    end

    always @* if (!init) begin
        a_p9_same: assert(out_a == out_b);
        if (!pending) a_p9_regport: assert(rdy_a == rdy_b && rd_a == rd_b);
        c_p9_1: assert(!(x_seen && resp_hs_a && refs_a >= 6'd2));
    end
`endif
endmodule

// one walker, its outputs packed
module fv_snap_one #(
    parameter ENABLE_VIRT = 1, ENABLE_SEG = 1, ENABLE_FILT = 1, ENABLE_SHADOW = 1,
    parameter ENABLE_LA57 = 1, ID_WIDTH = 2, OW = 1
) (
    input  wire clk_i, rst_i,
    input  wire reg_valid_i, reg_write_i,
    input  wire [11:0] reg_addr_i,
    input  wire [63:0] reg_wdata_i,
    output wire reg_ready_o,
    output wire [63:0] reg_rdata_o,
    input  wire req_valid_i,
    input  wire [63:0] req_va_i,
    input  wire [1:0] req_access_i,
    input  wire req_user_i,
    input  wire [ID_WIDTH-1:0] req_id_i,
    input  wire resp_ready_i, mem_req_ready_i, mem_resp_valid_i,
    input  wire [63:0] mem_resp_data_i,
    input  wire mem_resp_err_i,
    output wire [OW-1:0] out_o,
    output wire [5:0] refs_o,
    output wire       req_ready_o, resp_valid_o, mreq_valid_o, mresp_ready_o
);
    wire req_ready, resp_valid, w, u, xd, gpt, mreq_valid, mresp_ready;
    wire [2:0] status, reason, level;
    wire [51:0] pa, gpa, maddr;
    wire [1:0] size;
    wire [4:0] pferr;
    wire [5:0] refs;
    wire [ID_WIDTH-1:0] id;
    nw_walker #(
        .ENABLE_VIRT (ENABLE_VIRT), .ENABLE_SEG (ENABLE_SEG), .ENABLE_FILT (ENABLE_FILT),
        .ENABLE_SHADOW (ENABLE_SHADOW), .ENABLE_LA57 (ENABLE_LA57), .ID_WIDTH (ID_WIDTH)
    ) dut (
        .clk_i (clk_i), .rst_i (rst_i),
        .reg_valid_i (reg_valid_i), .reg_ready_o (reg_ready_o), .reg_write_i (reg_write_i),
        .reg_addr_i (reg_addr_i), .reg_wdata_i (reg_wdata_i), .reg_rdata_o (reg_rdata_o),
        .req_valid_i (req_valid_i), .req_ready_o (req_ready), .req_va_i (req_va_i),
        .req_access_i (req_access_i), .req_user_i (req_user_i), .req_id_i (req_id_i),
        .resp_valid_o (resp_valid), .resp_ready_i (resp_ready_i),
        .resp_status_o (status), .resp_reason_o (reason), .resp_level_o (level),
        .resp_pa_o (pa), .resp_size_o (size), .resp_w_o (w), .resp_u_o (u), .resp_xd_o (xd),
        .resp_gpa_o (gpa), .resp_gpt_o (gpt), .resp_pferr_o (pferr), .resp_refs_o (refs),
        .resp_id_o (id),
        .mem_req_valid_o (mreq_valid), .mem_req_ready_i (mem_req_ready_i),
        .mem_req_addr_o (maddr),
        .mem_resp_valid_i (mem_resp_valid_i), .mem_resp_ready_o (mresp_ready),
        .mem_resp_data_i (mem_resp_data_i), .mem_resp_err_i (mem_resp_err_i)
    );
    assign refs_o = refs;
    assign req_ready_o = req_ready;
    assign resp_valid_o = resp_valid;
    assign mreq_valid_o = mreq_valid;
    assign mresp_ready_o = mresp_ready;
    assign out_o = {req_ready, resp_valid, status, reason, level, pa, size, w, u, xd, gpa, gpt,
                    pferr, refs, id, mreq_valid, maddr, mresp_ready};
endmodule

`default_nettype wire
