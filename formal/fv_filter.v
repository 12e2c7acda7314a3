// fv_filter: P7, no false negative of the escape filter nw_filter. After a
// page P (any 52-bit value, chosen in the reset cycle) is inserted, and
// with any inserts after it but no clear and no word write, a lookup of P
// (presented with look_i in one cycle, its four bits read in the four
// cycles after, the AND of those read so far on hit_o in each cycle after
// those) hits in each of them. An insert sets its four bits in the
// second to fifth cycles after it is presented, one a cycle; the
// environment keeps the filter's contract: at most one of clear, insert,
// word write and lookup in a cycle, none while an insert is being applied
// (the five cycles after it; a lookup may come in the last of them, as a
// walk may start then) or a lookup's hashes are shifting (the three cycles
// after it), as the register port and the walker do. The filter's busy_o,
// which closes the register port and holds requests, is high in exactly
// the first four cycles after an insert and the first three after a
// lookup.
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
    input wire         look_i,
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
        .wr_data_i (wr_data_i), .look_i (look_i), .look_page_i (look_page_i), .hit_o (hit),
        .busy_o (busy), .bits_o (bits)
    );

    reg init = 1'b1;
    reg have;                       // P's insert has been applied, no clear or write since
    reg [4:0] f_ins;                // bit j: an insert was presented j + 1 cycles ago
    reg [4:0] f_insp;               // bit j: P's insert was presented j + 1 cycles ago
    reg [2:0] f_look;               // bit j: a lookup was presented j + 1 cycles ago
    wire f_more = |f_ins[3:0];      // the insert being applied has bits left after this cycle's
    wire f_shift = |f_look;         // a lookup's hashes shift after this cycle
    reg [4:0] f_lp;                 // bit j: P was looked up j + 1 cycles ago, with its bits
                                    // set from the cycle after (j >= 1)
    always @(posedge clk_i) begin
        init <= 1'b0;
        if (init) begin
            f_page <= page_i;
            f_h    <= hash_i;
        end
        f_ins  <= rst_i ? 5'd0 : {f_ins[3:0], ins_i};
        f_insp <= rst_i ? 5'd0 : {f_insp[3:0], ins_i && ins_page_i == f_page};
        f_look <= rst_i ? 3'd0 : {f_look[1:0], look_i};
        f_lp   <= rst_i ? 5'd0 : {f_lp[3:1], f_lp[0] && have,
                                  look_i && look_page_i == f_page};
        if (rst_i || clear_i || wr_i)
            have <= 1'b0;
        else if (f_insp[4])
            have <= 1'b1;
    end
    // the properties are for yosys, whose read_verilog -formal defines FORMAL
    // (Icarus, make formal-lint, parses the rest: it has no labelled assertions)
`ifdef FORMAL
    always @* e_reset: assume(rst_i == init);
    always @* if (!init) e_one: assume({1'b0, clear_i} + {1'b0, ins_i} + {1'b0, wr_i} +
                                       {1'b0, look_i} <= 3'd1 &&
                                       !(f_ins != 5'd0 && (clear_i || ins_i || wr_i)) &&
                                       !((f_more || f_shift) && look_i) &&
                                       !(f_shift && (clear_i || ins_i || wr_i)));
    always @* if (!init && f_hashed == f_page) e_hash: assume(f_hash == f_h);

    always @* if (!init) begin
        // the inductive form: P's four bits are set
        if (have) a_p7_bits: assert(bits[f_h[7:0]] && bits[f_h[15:8]] &&
                                    bits[f_h[23:16]] && bits[f_h[31:24]]);
        // (from the first bit read on: a 0 ends the lookup as a miss)
        if (|f_lp[4:1]) a_p7_hit: assert(hit);
        a_p7_busy: assert(busy == (f_more || f_shift));
        c_p7_1: assert(!(f_lp[4] && hit));
        c_p7_2: assert(!(have && !f_lp[4] && !hit));
        // another insert being applied after P's
        c_p7_3: assert(!(have && busy));
    end
`endif
endmodule

`default_nettype wire
