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
`include "nw_defs.vh"

module fv_snap #(
    parameter ID_WIDTH      = 2,
`include "nw_params.vh"
) (
    input  wire                x_valid_i,     // B's extra register access
    input  wire                x_write_i,
    input  wire [11:0]         x_addr_i,
    input  wire [63:0]         x_wdata_i,
`include "nw_walker_inputs.vh"
);
    // both walkers as nw_walker_flat: every input on one bus, every output
    // on another, the register port's bits at the bottom of each
    localparam NI = `NW_WALKER_NI, NO = `NW_WALKER_NO, RO = `NW_FO_REG_W;
    wire [NI-1:0] in_a = `NW_WALKER_IN_BUS;
    reg  [NI-1:0] in_b;
    wire [NO-1:0] out_a, out_b;
    wire          req_ready_a  = out_a[`NW_FO_REQ_READY];
    wire          resp_valid_a = out_a[`NW_FO_RESP_VALID];
    wire          mreq_valid_a = out_a[`NW_FO_MEM_REQ_VALID];
    wire          mresp_ready_a = out_a[`NW_FO_MEM_RESP_READY];
    wire          rdy_a        = out_a[`NW_FO_REG_READY];
    wire [5:0]    refs_a       = out_a[`NW_FO_RESP_REFS +: 6];

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

    // B's inputs: A's, but for its register port
    always @* begin
        in_b = in_a;
        in_b[`NW_FI_REG_VALID]       = b_valid;
        in_b[`NW_FI_REG_WRITE]       = b_write;
        in_b[`NW_FI_REG_ADDR +: 12]  = b_addr;
        in_b[`NW_FI_REG_WDATA +: 64] = b_wdata;
    end

    nw_walker_flat #(
        .ID_WIDTH (ID_WIDTH),
`include "nw_params_conn.vh"
    ) u_a (
        .clk_i (clk_i), .rst_i (rst_i), .in_i (in_a), .out_o (out_a)
    );
    nw_walker_flat #(
        .ID_WIDTH (ID_WIDTH),
`include "nw_params_conn.vh"
    ) u_b (
        .clk_i (clk_i), .rst_i (rst_i), .in_i (in_b), .out_o (out_b)
    );

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
        a_p9_same: assert(out_a[NO-1:RO] == out_b[NO-1:RO]);
        if (!pending) a_p9_regport: assert(out_a[RO-1:0] == out_b[RO-1:0]);
        c_p9_1: assert(!(x_seen && resp_hs_a && refs_a >= 6'd2));
    end
`endif
endmodule

`default_nettype wire
