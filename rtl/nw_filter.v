// nw_filter: one 256-bit escape filter (Bloom filter, SPEC section 5) with
// its register-port side (clear, insert, word write) and its lookup.
//
// One hash unit serves inserts and lookups (inserts come through the
// register port, which is closed during a walk, so the two never meet),
// and a lookup is a pipeline of three registers: a page presented in one
// cycle is hashed into hash_q, each hash's low nibble picks one bit of
// every 16-bit row into col_q (with the high nibbles into hsel_q), and
// two cycles after the page the high nibbles pick among those (hit_o). So
// no path through the filter is longer than a 16:1 select: page -> H3 ->
// hash_q, hash_q -> 64 16:1 selects -> col_q, col_q -> four 16:1
// selects -> hit_o, and hash_q -> decoder -> bits_q. A single-cycle
// lookup (four 256:1 selects behind hash_q) set the walker's period.
//
// The insert side is kept small. An insert sets its four bits one per
// cycle, in the four cycles after it is presented, through one decoder
// (hash_q shifts a hash down per cycle), and every bit is a flop with an
// enable: the decoder or a word write of its word enables it, its data is
// shared by the four words, and a clear is its synchronous reset. While
// busy_o is high the register port must stay closed in the next cycle and
// no walk may start (its lookup would miss the bits still to be set, and
// hash_q is shifting); in the last of the four cycles a walk may start,
// as its lookup reads the bits after the last is set.
//
// The bits are kept in bits_o's polarity (bits_q, 1 = set): kept inverted
// they took an inverter each for bits_o, and the lookup's selects cost the
// same in either. Its AND of the four selects is one reduction: Yosys's
// ABC maps the chain ((a & b) & c) & d with an inverter on each input of
// two of its selects.
`default_nettype none

module nw_filter (
    input  wire         clk_i,
    input  wire         rst_i,
    // at most one of clear_i, ins_i, wr_i in a cycle, none in the four
    // cycles after an insert
    input  wire         clear_i,     // clear every bit
    input  wire         ins_i,       // insert ins_page_i
    input  wire [51:0]  ins_page_i,
    input  wire         wr_i,        // write word wr_idx_i with wr_data_i
    input  wire [1:0]   wr_idx_i,
    input  wire [63:0]  wr_data_i,
    input  wire [51:0]  look_page_i, // answered two cycles later
    output wire         hit_o,       // every hash of the look_page_i of two cycles ago is set
    output wire         busy_o,      // an insert has bits to set after this cycle's
    output wire [255:0] bits_o
);
    reg  [255:0] bits_q, bits_d;
    reg  [31:0]  hash_q;
    reg  [63:0]  col_q;              // 16 j + hi: bit 16 hi + hash j's low nibble
    reg  [15:0]  hsel_q;             // 4 j +: 4: hash j's high nibble
    reg  [3:0]   step_q;             // bit j: an insert j + 1 cycles ago sets hash_q[7:0]'s bit
    wire [31:0]  hash;

    nw_h3 u_h3 (
        .page_i (ins_i ? ins_page_i : look_page_i),
        .hash_o (hash)
    );

    wire set = |step_q;
    assign busy_o = |step_q[2:0];

    // Bit k = 16 hi + lo is enabled when hi_en[hi] && lo_en[lo]: for an
    // insert the two nibbles of the hash being set, for a word write every
    // lo and the four hi of its word, so no bit needs an OR of its own.
    reg [15:0] lo_en, hi_en;
    integer n;
    always @* begin
        for (n = 0; n < 16; n = n + 1) begin
            lo_en[n] = wr_i || (set && hash_q[3:0] == n[3:0]);
            hi_en[n] = (wr_i && wr_idx_i == n[3:2]) || (set && hash_q[7:4] == n[3:0]);
        end
    end

    integer k;
    always @* begin
        for (k = 0; k < 256; k = k + 1)
            bits_d[k] = hi_en[k / 16] && lo_en[k % 16] ? set || wr_data_i[k % 64] : bits_q[k];
    end

    // no hash shifts into the top byte, so it loads as for a lookup
    wire [31:0] hash_d = {hash[31:24], busy_o ? hash_q[31:8] : hash[23:0]};

    // the lookup's first select: per hash, the bit its low nibble picks in
    // each row; its high nibble picks the row in the next cycle
    reg [63:0] col_d;
    integer j, r;
    always @* begin
        for (j = 0; j < 4; j = j + 1)
            for (r = 0; r < 16; r = r + 1)
                col_d[16 * j + r] = bits_q[16 * r + {28'd0, hash_q[8 * j +: 4]}];
    end

    // a clear resets the bits (the flops' reset, not a mux per bit); hash_q
    // needs none, it is loaded in every cycle but those of an insert
    always @(posedge clk_i) begin
        if (rst_i || clear_i)
            bits_q <= 256'd0;
        else
            bits_q <= bits_d;
        if (rst_i)
            step_q <= 4'd0;
        else
            step_q <= {step_q[2:0], ins_i};
        hash_q  <= hash_d;
        col_q   <= col_d;
        hsel_q  <= {hash_q[31:28], hash_q[23:20], hash_q[15:12], hash_q[7:4]};
    end

    assign hit_o  = &{col_q[0 * 16 + hsel_q[0 * 4 +: 4]], col_q[1 * 16 + hsel_q[1 * 4 +: 4]],
                      col_q[2 * 16 + hsel_q[2 * 4 +: 4]], col_q[3 * 16 + hsel_q[3 * 4 +: 4]]};
    assign bits_o = bits_q;
endmodule

`default_nettype wire
