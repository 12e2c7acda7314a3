// nw_filter: one 256-bit escape filter (Bloom filter, SPEC section 5) with
// its register-port side (clear, insert, word write) and its lookup.
//
// One hash unit serves inserts and lookups, and both use its four hashes
// one per cycle: hash_q holds them, registered from the unit in the cycle
// the page is presented, and shifts a hash down per cycle for the three
// cycles after. So the filter reads one bit a cycle, through one 256:1
// select, and sets one bit a cycle, through one decoder: four selects side
// by side (one a hash) were 1,020 of the filter's 2,285 cells, and its
// 64 column registers 48 more.
//
// A lookup is a pipeline of registers. A page presented with look_i is
// hashed into hash_q; then, for each hash in turn, its low nibble picks
// one bit of every 16-bit row into col_q (its high nibble into hsel_q),
// and in the next cycle the high nibble picks among those. hit_o is the
// AND of the bits read so far (and_q holds it for the cycle after): two
// to five cycles after the page it is the AND of its first one to four
// bits, so a 0 answers the lookup as it is read (a miss, most often at
// the first bit), and in the fifth cycle hit_o is the answer. No path
// through the filter is longer than a 16:1 select: page -> H3 -> hash_q,
// hash_q -> 16 16:1 selects -> col_q, col_q -> 16:1 select -> and_q or
// hit_o.
//
// An insert sets its four bits one per cycle, in the second to fifth
// cycles after it is presented, and every bit is a flop with an enable:
// the insert's hash or a word write of its word enables it, its data is
// shared by the four words, and a clear is its synchronous reset. Each
// hash in hash_q[7:0] is decoded into a one-hot register a nibble (lo_q,
// hi_q), which enables its bit in the cycle after: decoded in the cycle
// of the set, the insert's step and hash fanned out through two levels of
// logic to 256 enables, the full walker's longest path on the ECP5 (10.5
// ns, most of it routing); decoded from the H3 unit's output, to set the
// first bit a cycle sooner, the path from a lookup's page through the
// unit into those registers was longer still (12.6 ns).
//
// While busy_o is high hash_q is shifting in the next cycle, or holds a
// hash an insert has still to set: nothing may be presented (the register
// port stays closed and no walk starts; a walk would also look up bits an
// insert has still to set). In the last cycle of an insert a walk may
// start, as its lookup reads the bits after the last is set.
//
// The bits are kept in bits_o's polarity (bits_q, 1 = set): kept inverted
// they took an inverter each for bits_o, and the selects cost the same in
// either.
`default_nettype none

module nw_filter (
    input  wire         clk_i,
    input  wire         rst_i,
    // at most one of clear_i, ins_i, wr_i, look_i in a cycle, none while
    // busy_o is high
    input  wire         clear_i,     // clear every bit
    input  wire         ins_i,       // insert ins_page_i
    input  wire [51:0]  ins_page_i,
    input  wire         wr_i,        // write word wr_idx_i with wr_data_i
    input  wire [1:0]   wr_idx_i,
    input  wire [63:0]  wr_data_i,
    input  wire         look_i,      // look up look_page_i
    input  wire [51:0]  look_page_i,
    output wire         hit_o,       // the first k bits of the page looked up k + 1 cycles ago
                                     // are set (k = 1..4; k = 4: the filter hits it)
    output wire         busy_o,      // hash_q shifts after this cycle
    output wire [255:0] bits_o
);
    reg  [255:0] bits_q, bits_d;
    reg  [31:0]  hash_q;
    reg  [15:0]  col_q;              // row r: bit 16 r + the hash's low nibble
    reg  [3:0]   hsel_q;             // the hash's high nibble
    reg          and_q;              // hit_o of the cycle before
    reg  [4:0]   step_q;             // bit j: an insert was presented j + 1 cycles ago
    reg  [2:0]   look_q;             // bit j: a lookup j + 1 cycles ago reads hash_q[7:0]'s bit
    reg  [15:0]  lo_q;               // one-hot: hash_q[3:0] of the cycle before
    reg  [15:0]  hi_q;               // one-hot: hash_q[7:4] of the cycle before, if an
                                     // insert decoded it (0: none)
    wire [31:0]  hash;

    nw_h3 u_h3 (
        .page_i (ins_i ? ins_page_i : look_page_i),
        .hash_o (hash)
    );

    // an insert decodes hash_q[7:0] while step_q[3:0] and sets its bit
    // while step_q[4:1]
    wire dec = |step_q[3:0];
    wire set = |step_q[4:1];
    assign busy_o = dec || |look_q;

    // Bit k = 16 hi + lo is enabled when hi_en[hi] && lo_en[lo]: for an
    // insert the two nibbles of the hash being set, for a word write every
    // lo and the four hi of its word, so no bit needs an OR of its own.
    // Only hi_q says whether an insert sets a bit (a word write's hi_en
    // implies wr_i), so lo_q needs neither that term nor a reset.
    reg [15:0] lo_d, hi_d, lo_en, hi_en;
    integer n;
    always @* begin
        for (n = 0; n < 16; n = n + 1) begin
            lo_d[n]  = hash_q[3:0] == n[3:0];
            hi_d[n]  = dec && hash_q[7:4] == n[3:0];
            lo_en[n] = wr_i || lo_q[n];
            hi_en[n] = (wr_i && wr_idx_i == n[3:2]) || hi_q[n];
        end
    end

    integer k;
    always @* begin
        for (k = 0; k < 256; k = k + 1)
            bits_d[k] = hi_en[k / 16] && lo_en[k % 16] ? set || wr_data_i[k % 64] : bits_q[k];
    end

    // no hash shifts into the top byte, so it loads as for a new page
    wire [31:0] hash_d = {hash[31:24], busy_o ? hash_q[31:8] : hash[23:0]};

    // the lookup's first select: the bit the low nibble of hash_q[7:0]
    // picks in each row; its high nibble picks the row in the next cycle
    reg [15:0] col_d;
    integer r;
    always @* begin
        for (r = 0; r < 16; r = r + 1)
            col_d[r] = bits_q[16 * r + {28'd0, hash_q[3:0]}];
    end
    // the bit of the hash whose row was picked in the cycle before, ANDed
    // with those before it (the first hash's, read while look_q[1], starts
    // the AND)
    wire bit_w = col_q[hsel_q];
    wire hit_w = bit_w && (look_q[1] || and_q);

    // a clear resets the bits (the flops' reset, not a mux per bit); the
    // lookup's registers need none, they are loaded in every cycle and
    // read only in the cycles of a lookup
    always @(posedge clk_i) begin
        if (rst_i || clear_i)
            bits_q <= 256'd0;
        else
            bits_q <= bits_d;
        if (rst_i) begin
            step_q <= 5'd0;
            look_q <= 3'd0;
            hi_q   <= 16'd0;
        end else begin
            step_q <= {step_q[3:0], ins_i};
            look_q <= {look_q[1:0], look_i};
            hi_q   <= hi_d;
        end
        hash_q <= hash_d;
        lo_q   <= lo_d;
        col_q  <= col_d;
        hsel_q <= hash_q[7:4];
        and_q  <= hit_w;
    end

    assign hit_o  = hit_w;
    assign bits_o = bits_q;
endmodule

`default_nettype wire
