// nw_h3: the four H3 hashes of an escape filter (SPEC section 5).
// Purely combinational; each hash is the XOR of the Q bytes selected by the
// set bits of the 52-bit page number.
`default_nettype none

module nw_h3 (
    input  wire [51:0] page_i,
    output reg  [31:0] hash_o   // hash j in bits 8*j +: 8
);
`include "nw_h3_q.vh"

    integer j, i;
    always @* begin
        hash_o = 32'd0;
        for (j = 0; j < 4; j = j + 1)
            for (i = 0; i < 52; i = i + 1)
                if (page_i[i])
                    hash_o[8*j +: 8] = hash_o[8*j +: 8] ^ H3_Q[8*(52*j+i) +: 8];
    end
endmodule

`default_nettype wire
