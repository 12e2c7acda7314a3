// nw_wc_array: one fully associative array of a walk cache (SPEC section
// 9, organisation in docs/BEHAVIOUR.md): N entries of a key and its data.
// A lookup is two cycles: every slot compares look_key_i with its key
// and the hits are registered; in the cycle after, any_o says whether
// exactly one slot held the key and data_o is that slot's data. So a
// key's compare and the select and read of its data are in cycles of
// their own. Two or more slots holding the key answer a miss, and when
// the walker uses that answer (drop_i) they are emptied, two cycles
// later. An insert is registered and written in the next cycle (unseen
// by a compare in that cycle) to the slot a FIFO pointer names,
// advancing it; a hit leaves it alone; a flush empties the array, drops
// an insert not yet written and rewinds the pointer. Both
// kinds of walk cache are built from it: each level of a
// paging-structure cache (nw_psc) and the nested TLB (nw_ntlb).
//
// Parameters:
//   N       entries; 0 leaves the array out (it never hits)
//   KEY_W   key bits
//   DATA_W  data bits
//   SIZED   1: the top two data bits are the entry's page size (SPEC's
//           4K/2M/1G code) and a 2M (1G) entry ignores the low LO_2M
//           (LO_1G) key bits, as the nested TLB's tags are at the host
//           leaf's size
//   LO_2M   key bits below a 2M page (9 for a 4K page number)
//   LO_1G   key bits below a 1G page (18)
`default_nettype none

module nw_wc_array #(
    parameter N      = 4,
    parameter KEY_W  = 40,
    parameter DATA_W = 44,
    parameter SIZED  = 0,
    parameter LO_2M  = 9,
    parameter LO_1G  = 18
) (
    input  wire              clk_i,
    input  wire              rst_i,
    input  wire              flush_i,   // empty the array
    input  wire [KEY_W-1:0]  look_key_i,
    output wire              any_o,     // one slot held the key of the cycle before ...
    output wire [DATA_W-1:0] data_o,    // ... and its data (0: none)
    input  wire              drop_i,    // the answer is used: empty the slots of two or more hits
    input  wire              ins_i,     // insert (ins_key_i, ins_data_i)
    input  wire [KEY_W-1:0]  ins_key_i,
    input  wire [DATA_W-1:0] ins_data_i
);
    // The key bits an entry compares: all, or above its page size.
    function [KEY_W-1:0] cmp_mask;
        input [1:0] size_f;
        cmp_mask = SIZED == 0 || size_f == 2'd0 ? {KEY_W{1'b1}}
                 : size_f == 2'd1 ? {KEY_W{1'b1}} << LO_2M : {KEY_W{1'b1}} << LO_1G;
    endfunction

    // two or more of v's bits are set
    localparam VW = N > 4 ? N : 4;
    function two;
        input [VW-1:0] v;
        integer b;
        reg seen;
        begin
            two  = 1'b0;
            seen = 1'b0;
            for (b = 0; b < VW; b = b + 1) begin
                two  = two || (seen && v[b]);
                seen = seen || v[b];
            end
        end
    endfunction

    generate
        if (N == 0) begin : g_none
            // an array left out looks at nothing
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused = &{1'b0, clk_i, rst_i, flush_i, look_key_i, drop_i, ins_i, ins_key_i,
                            ins_data_i};
            /* verilator lint_on UNUSEDSIGNAL */
            assign any_o  = 1'b0;
            assign data_o = {DATA_W{1'b0}};
        end else begin : g_slots
            localparam PTR_W = N > 1 ? $clog2(N) : 1;
            // The keys (and, in a SIZED array, each entry's size) are
            // compared in every slot at once: flat vectors of flops, slot i
            // at i*KEY_W (a memory would have one read port). The data is
            // read at one slot, so it is a memory with one write port and
            // one asynchronous read port: an FPGA's LUT RAM (the ECP5's
            // 16x4 RAMs), where as flops with an AND-OR select over the
            // slots it made the walk-cache build a third larger and its
            // routing diverge at some placements.
            reg [N-1:0]        valid_q;
            reg [N*KEY_W-1:0]  key_q;
            reg [2*N-1:0]      size_q;
            reg [DATA_W-1:0]   data_q [0:N-1];
            reg [PTR_W-1:0]    next_q;
            reg [N-1:0]        drop_q;     // slots to empty: a multiple hit used
            reg                ins_q;      // the insert register (below)
            reg [KEY_W-1:0]    ins_key_q;
            reg [DATA_W-1:0]   ins_data_q;
            wire [31:0]        next = {{32-PTR_W{1'b0}}, next_q};

            // Every slot's compare, registered (hit_q; a slot an insert
            // overwrites at the cycle's end does not hit; no reset or
            // flush: a compare's answer is used only when no flush fell in
            // its cycle, and the flush's fan-out to every slot's hit was a
            // longest path, 14.5 ns on the ECP5). In the next
            // cycle the answer: a hit when exactly one slot hit, its index
            // the OR of the indices of the slots that hit, and its data
            // read at that index. Two or more slots holding a key answer a
            // miss (docs/BEHAVIOUR.md): the lowest of them, the priority
            // the SPEC leaves open, was an OR tree a slot in front of the
            // data read, the walk-cache build's longest path (13.8 ns on
            // the ECP5), where an OR of half the slots is an index bit;
            // and the walk would insert one more, which missed as well.
            reg [N-1:0]      hit, hit_q;
            reg [PTR_W-1:0]  sel;
            integer i;
            always @* begin
                sel = {PTR_W{1'b0}};
                for (i = 0; i < N; i = i + 1) begin
                    hit[i] = valid_q[i] &&
                             ((key_q[KEY_W*i +: KEY_W] ^ look_key_i) &
                              cmp_mask(size_q[2*i +: 2])) == {KEY_W{1'b0}};
                    if (hit_q[i])
                        sel = sel | i[PTR_W-1:0];
                end
            end
            integer h;
            always @(posedge clk_i)
                for (h = 0; h < N; h = h + 1)
                    hit_q[h] <= hit[h] && !(ins_q && next == h);

            // two or more hits: two in a group of four slots, or hits in
            // two groups (each a function of four bits, one LUT of them)
            localparam G = (N + 3) / 4;
            reg [G-1:0] g_any, g_two;
            reg [4*G-1:0] hits4;
            integer g;
            always @* begin
                hits4 = {{4*G-N{1'b0}}, hit_q};
                for (g = 0; g < G; g = g + 1) begin
                    g_any[g] = |hits4[4*g +: 4];
                    g_two[g] = two({{VW-4{1'b0}}, hits4[4*g +: 4]});
                end
            end
            wire   multi  = |g_two || two({{VW-G{1'b0}}, g_any});
            assign any_o  = |g_any && !multi;
            // zero with no hit: nw_psc ORs its levels' data
            assign data_o = any_o ? data_q[sel] : {DATA_W{1'b0}};

            // The insert register: a walker decides to insert late in its
            // cycle (behind its entry decode), and that decision would
            // otherwise be the enable of every slot's flops. Its key and
            // data load in every cycle (no enable) and count only while
            // ins_q is set. Only the valid bits, the pointer and ins_q are
            // reset: a slot's key, size and data are looked at only while
            // it is valid.
            integer k;
            always @(posedge clk_i) begin
                if (rst_i || flush_i) begin
                    valid_q <= {N{1'b0}};
                    next_q  <= {PTR_W{1'b0}};
                    ins_q   <= 1'b0;
                end else begin
                    // (drop_q: drop_i is a step's decision, late in its
                    // cycle; no lookup of the array comes before the slots
                    // are emptied, and an insert's slot is valid after)
                    valid_q <= valid_q & ~drop_q;
                    if (ins_q) begin
                        for (k = 0; k < N; k = k + 1)
                            if (next == k)
                                valid_q[k] <= 1'b1;
                        next_q <= next == N - 1 ? {PTR_W{1'b0}} : next_q + 1'b1;
                    end
                    ins_q <= ins_i;
                end
            end
            always @(posedge clk_i) begin
                drop_q     <= drop_i && multi ? hit_q : {N{1'b0}};
                ins_key_q  <= ins_key_i;
                ins_data_q <= ins_data_i;
                for (k = 0; k < N; k = k + 1)
                    if (ins_q && next == k) begin
                        key_q[KEY_W*k +: KEY_W] <= ins_key_q;
                        size_q[2*k +: 2]        <= ins_data_q[DATA_W-1 -: 2];
                    end
                if (ins_q)
                    data_q[next_q] <= ins_data_q;
            end
        end
    endgenerate
endmodule

`default_nettype wire
