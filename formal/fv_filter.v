// fv_filter: P7, no false negative of the escape filter nw_filter. After a
// page P (any 52-bit value, chosen in the reset cycle) is inserted, and
// with any inserts after it but no clear and no word write, a lookup of P
// (presented in one cycle, its bits read in the next, answered in the one
// after) hits. An insert sets its
// four bits in the four cycles after it is presented, one a cycle; the
// environment keeps the filter's contract: at most one of clear, insert
// and word write in a cycle, none while an insert is being applied (the
// four cycles after it), as the register port does, and no lookup in the
// first three of those cycles (no walk starts in them). The filter's
// busy_o, which closes the register port and holds requests, is high in
// exactly those three cycles.
//
// Proven for every hash function, H3 included. The build (jobs.py, build
// "filt") cuts the filter's hash unit out: after flattening, `cutpoint`
// drives the net dut.hash from a free value ($anyseq) instead of
// dut.u_h3, and `connect` ties the wrapper's otherwise undriven wires
// f_hash to dut.hash and f_hashed to the page the unit was given
// (dut.u_h3.page_i). The only assumption on the cut is that of a function
// at P: whenever the page being hashed is P, the hash is H (f_h, any
// 32-bit value fixed at reset). Any other page may get any hash in any cycle, so the proof
// covers every function from pages to four 8-bit hashes, and H3 is one.
// Stated with the real H3 instead, SAT must prove two 52-input XOR trees
// equal on equal inputs, which no engine here did in 15 minutes (bmc3
// reached 2 cycles in 2 minutes).
`default_nettype none

module fv_filter (
    input wire         clk_i,
    input wire         rst_i,
    input wire         clear_i,
    input wire         ins_i,
    input wire [51:0]  ins_page_i,
    input wire         wr_i,
    input wire [1:0]   wr_idx_i,
    input wire [63:0]  wr_data_i,
    input wire [51:0]  look_page_i,
    input wire [51:0]  page_i,      // P, taken in the reset cycle
    input wire [31:0]  hash_i       // H, P's four hashes, taken in the reset cycle
);
    reg  [51:0]  f_page;
    reg  [31:0]  f_h;
    wire [51:0]  f_hashed;          // driven by the build: dut.u_h3.page_i
    wire [31:0]  f_hash;            // driven by the build: dut.hash
    wire         hit;
    wire         busy;              // the filter's busy_o
    wire [255:0] bits;

    nw_filter dut (
        .clk_i (clk_i), .rst_i (rst_i), .clear_i (clear_i), .ins_i (ins_i),
        .ins_page_i (ins_page_i), .wr_i (wr_i), .wr_idx_i (wr_idx_i),
        .wr_data_i (wr_data_i), .look_page_i (look_page_i), .hit_o (hit),
        .busy_o (busy), .bits_o (bits)
    );

    reg init = 1'b1;
    reg have;                       // P's insert has been applied, no clear or write since
    reg [3:0] f_ins;                // bit j: an insert was presented j + 1 cycles ago
    reg [3:0] f_insp;               // bit j: P's insert was presented j + 1 cycles ago
    wire f_more = |f_ins[2:0];      // the insert being applied has bits left after this cycle's
    reg look1;                      // P was presented for lookup last cycle
    reg looked;                     // ... the cycle before, and its bits were read with P's set
    always @(posedge clk_i) begin
        init <= 1'b0;
        look1  <= !ins_i && !f_more && look_page_i == f_page;
        looked <= look1 && have;
        if (init) begin
            f_page <= page_i;
            f_h    <= hash_i;
        end
        f_ins  <= rst_i ? 4'd0 : {f_ins[2:0], ins_i};
        f_insp <= rst_i ? 4'd0 : {f_insp[2:0], ins_i && ins_page_i == f_page};
        if (rst_i || clear_i || wr_i)
            have <= 1'b0;
        else if (f_insp[3])
            have <= 1'b1;
    end
    // the properties are for yosys, whose read_verilog -formal defines FORMAL
    // (Icarus, make formal-lint, parses the rest: it has no labelled assertions)
`ifdef FORMAL
    always @* e_reset: assume(rst_i == init);
    always @* if (!init) e_one: assume({1'b0, clear_i} + {1'b0, ins_i} + {1'b0, wr_i} <= 2'd1 &&
                                       !(f_ins != 4'd0 && (clear_i || ins_i || wr_i)));
    always @* if (!init && f_hashed == f_page) e_hash: assume(f_hash == f_h);

    always @* if (!init) begin
        // the inductive form: P's four bits are set
        if (have) a_p7_bits: assert(bits[f_h[7:0]] && bits[f_h[15:8]] &&
                                    bits[f_h[23:16]] && bits[f_h[31:24]]);
        if (have && looked) a_p7_hit: assert(hit);
        a_p7_busy: assert(busy == f_more);
        c_p7_1: assert(!(have && looked && hit));
        c_p7_2: assert(!(have && !looked && !hit));
        // another insert being applied after P's
        c_p7_3: assert(!(have && busy));
    end
`endif
endmodule

`default_nettype wire
