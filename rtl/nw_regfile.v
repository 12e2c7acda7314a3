// nw_regfile: the register map of SPEC section 4 with the masks, feature
// gating and counters of BEHAVIOUR.md, and the two escape filters. The
// register port is only open between walks, so the configuration it hands
// to the walk FSM is stable for a whole walk.
`default_nettype none

module nw_regfile #(
    parameter ENABLE_VIRT   = 1,  // HCR3, host segment and filter, VIRT/H5/HSEG/HFILT bits
    parameter ENABLE_SEG    = 1,  // segment registers, GSEG_EN/HSEG_EN
    parameter ENABLE_FILT   = 1,  // filter storage and inserts, GFILT_EN/HFILT_EN
    parameter ENABLE_SHADOW = 1,  // SCR3, SHADOW_EN
    parameter ENABLE_LA57   = 1   // G5/H5
) (
    input  wire          clk_i,
    input  wire          rst_i,
    // register access, already qualified by the port's handshake
    input  wire          acc_i,
    input  wire          write_i,
    /* verilator lint_off UNUSEDSIGNAL */  // bits 2:0 are ignored (BEHAVIOUR.md)
    input  wire [11:0]   addr_i,
    /* verilator lint_on UNUSEDSIGNAL */
    // which bits are stored depends on the features built
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [63:0]   wdata_i,
    /* verilator lint_on UNUSEDSIGNAL */
    output reg  [63:0]   rdata_o,
    // configuration
    output wire [10:0]   ctrl_o,
    output wire [51:12]  gcr3_o,
    output wire [51:12]  hcr3_o,
    output wire [52:12]  scr3_o,
    output wire [6*52-1:0] seg_o,     // GSEG_BASE .. HSEG_OFFSET, 52 bits each (63:12)
    output wire [2:0]    gattr_o,     // {XD, U, W}
    output wire [1:0]    hattr_o,     // {XD, W}
    // escape filter lookups (unused in builds without filters)
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [51:0]   gfilt_page_i,
    output wire          gfilt_hit_o,
    input  wire [51:0]   hfilt_page_i,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire          hfilt_hit_o,
    // counter events, one bit per counter of BEHAVIOUR.md's table
    input  wire [11:0]   cnt_inc_i
);
    localparam HAS_SEG   = ENABLE_SEG != 0;
    localparam HAS_GFILT = HAS_SEG && ENABLE_FILT != 0;
    localparam HAS_HFILT = HAS_GFILT && ENABLE_VIRT != 0;
    localparam HAS_HSEG  = HAS_SEG && ENABLE_VIRT != 0;
    localparam HAS_SCR3  = ENABLE_VIRT != 0 && ENABLE_SHADOW != 0;

    // CTRL bits that exist in this build
    localparam [10:0] CTRL_MASK =
        11'h1c0 | 11'h001 * (ENABLE_VIRT != 0)              // VIRT
                | 11'h002 * (ENABLE_LA57 != 0)              // G5
                | 11'h004 * (ENABLE_LA57 != 0 && ENABLE_VIRT != 0) // H5
                | 11'h008 * HAS_SEG                         // GSEG_EN
                | 11'h010 * HAS_HSEG                        // HSEG_EN
                | 11'h020 * HAS_SCR3                        // SHADOW_EN
                | 11'h200 * HAS_GFILT                       // GFILT_EN
                | 11'h400 * HAS_HFILT;                      // HFILT_EN

    wire [8:0] word = addr_i[11:3];
    wire       wr   = acc_i && write_i;

    // ---- configuration registers ----
    reg [10:0]  ctrl_q,  ctrl_d;
    reg [51:12] gcr3_q,  gcr3_d;
    reg [51:12] hcr3_q,  hcr3_d;
    reg [52:12] scr3_q,  scr3_d;
    reg [2:0]   gattr_q, gattr_d;
    reg [1:0]   hattr_q, hattr_d;

    always @* begin
        ctrl_d  = ctrl_q;
        gcr3_d  = gcr3_q;
        hcr3_d  = hcr3_q;
        scr3_d  = scr3_q;
        gattr_d = gattr_q;
        hattr_d = hattr_q;
        if (wr) begin
            case (word)
                9'd0:  ctrl_d  = wdata_i[10:0] & CTRL_MASK;
                9'd1:  gcr3_d  = wdata_i[51:12];
                9'd2:  hcr3_d  = ENABLE_VIRT != 0 ? wdata_i[51:12] : 40'd0;
                9'd3:  scr3_d  = HAS_SCR3 ? wdata_i[52:12] : 41'd0;
                9'd10: gattr_d = HAS_SEG ? {wdata_i[63], wdata_i[2:1]} : 3'd0;
                9'd11: hattr_d = HAS_HSEG ? {wdata_i[63], wdata_i[1]} : 2'd0;
                default: ;
            endcase
        end
    end

    always @(posedge clk_i) begin
        if (rst_i) begin
            ctrl_q  <= 11'd0;
            gcr3_q  <= 40'd0;
            hcr3_q  <= 40'd0;
            scr3_q  <= 41'd0;
            gattr_q <= 3'd0;
            hattr_q <= 2'd0;
        end else begin
            ctrl_q  <= ctrl_d;
            gcr3_q  <= gcr3_d;
            hcr3_q  <= hcr3_d;
            scr3_q  <= scr3_d;
            gattr_q <= gattr_d;
            hattr_q <= hattr_d;
        end
    end

    // ---- segment registers (words 4..9); the host three need VIRT ----
    genvar k;
    generate
        for (k = 0; k < 6; k = k + 1) begin : g_seg
            if (HAS_SEG && (k < 3 || HAS_HSEG)) begin : g_on
                reg [63:12] seg_q, seg_d;
                always @* begin
                    seg_d = seg_q;
                    if (wr && word == 9'd4 + k)
                        seg_d = wdata_i[63:12];
                end
                always @(posedge clk_i) begin
                    if (rst_i)
                        seg_q <= 52'd0;
                    else
                        seg_q <= seg_d;
                end
                assign seg_o[52*k +: 52] = seg_q;
            end else begin : g_off
                assign seg_o[52*k +: 52] = 52'd0;
            end
        end
    endgenerate

    // ---- escape filters: guest (words 16..19), host (words 20..23) ----
    wire [255:0] gfilt_bits, hfilt_bits;
    /* verilator lint_off UNUSEDSIGNAL */  // unused in builds without filters
    wire         clear = wr && word == 9'd14;
    /* verilator lint_on UNUSEDSIGNAL */

    generate
        if (HAS_GFILT) begin : g_gfilt
            nw_filter u_filt (
                .clk_i       (clk_i),
                .rst_i       (rst_i),
                .clear_i     (clear && wdata_i[0]),
                .ins_i       (wr && word == 9'd12),
                .ins_page_i  (wdata_i[51:0]),
                .wr_i        (wr && word[8:2] == 7'd4),
                .wr_idx_i    (word[1:0]),
                .wr_data_i   (wdata_i),
                .look_page_i (gfilt_page_i),
                .hit_o       (gfilt_hit_o),
                .bits_o      (gfilt_bits)
            );
        end else begin : g_no_gfilt
            assign gfilt_hit_o = 1'b0;
            assign gfilt_bits  = 256'd0;
        end
        if (HAS_HFILT) begin : g_hfilt
            nw_filter u_filt (
                .clk_i       (clk_i),
                .rst_i       (rst_i),
                .clear_i     (clear && wdata_i[1]),
                .ins_i       (wr && word == 9'd13),
                .ins_page_i  ({12'd0, wdata_i[39:0]}),
                .wr_i        (wr && word[8:2] == 7'd5),
                .wr_idx_i    (word[1:0]),
                .wr_data_i   (wdata_i),
                .look_page_i (hfilt_page_i),
                .hit_o       (hfilt_hit_o),
                .bits_o      (hfilt_bits)
            );
        end else begin : g_no_hfilt
            assign hfilt_hit_o = 1'b0;
            assign hfilt_bits  = 256'd0;
        end
    endgenerate

    // ---- event counters (words 32..43); a write to any of them clears all ----
    reg [12*32-1:0] cnt_q, cnt_d;
    integer c;
    always @* begin
        for (c = 0; c < 12; c = c + 1)
            cnt_d[32*c +: 32] = (wr && word >= 9'd32 && word < 9'd44)
                                ? 32'd0 : cnt_q[32*c +: 32] + {31'd0, cnt_inc_i[c]};
    end
    always @(posedge clk_i) begin
        if (rst_i)
            cnt_q <= {12*32{1'b0}};
        else
            cnt_q <= cnt_d;
    end

    // ---- read side ----
    always @* begin
        rdata_o = 64'd0;
        if (acc_i && !write_i) begin
            case (word)
                9'd0:  rdata_o = {53'd0, ctrl_q};
                9'd1:  rdata_o = {12'd0, gcr3_q, 12'd0};
                9'd2:  rdata_o = {12'd0, hcr3_q, 12'd0};
                9'd3:  rdata_o = {11'd0, scr3_q, 12'd0};
                // segment registers: one item per word (an indexed
                // seg_o[52*(word-4) +: 52] is a multiplier and a shifter)
                9'd4:  rdata_o = {seg_o[52*0 +: 52], 12'd0};
                9'd5:  rdata_o = {seg_o[52*1 +: 52], 12'd0};
                9'd6:  rdata_o = {seg_o[52*2 +: 52], 12'd0};
                9'd7:  rdata_o = {seg_o[52*3 +: 52], 12'd0};
                9'd8:  rdata_o = {seg_o[52*4 +: 52], 12'd0};
                9'd9:  rdata_o = {seg_o[52*5 +: 52], 12'd0};
                9'd10: rdata_o = {gattr_q[2], 60'd0, gattr_q[1:0], 1'b0};
                9'd11: rdata_o = {hattr_q[1], 61'd0, hattr_q[0], 1'b0};
                9'd16, 9'd17, 9'd18, 9'd19:
                       rdata_o = gfilt_bits[64*word[1:0] +: 64];
                9'd20, 9'd21, 9'd22, 9'd23:
                       rdata_o = hfilt_bits[64*word[1:0] +: 64];
                default:
                    if (word >= 9'd32 && word < 9'd44)
                        rdata_o = {32'd0, cnt_q[32*word[3:0] +: 32]};  // words 32..43
            endcase
        end
    end

    assign ctrl_o  = ctrl_q;
    assign gcr3_o  = gcr3_q;
    assign hcr3_o  = hcr3_q;
    assign scr3_o  = scr3_q;
    assign gattr_o = gattr_q;
    assign hattr_o = hattr_q;
endmodule

`default_nettype wire
