// nw_regfile: the register map of SPEC section 4 with the masks, feature
// gating and counters of BEHAVIOUR.md, and the two escape filters. The
// register port is only open between walks, so the configuration it hands
// to the walk FSM is stable for a whole walk.
`default_nettype none
`include "nw_defs.vh"

module nw_regfile #(
`include "nw_params.vh"
) (
    input  wire          clk_i,
    input  wire          rst_i,
    // register access, already qualified by the port's handshake
    input  wire          acc_i,
    input  wire          write_i,
    // a read is presented while the port is open (its handshake waits for
    // rd_ok_o: the read's data is on rdata_o)
    input  wire          rd_i,
    output wire          rd_ok_o,
    /* verilator lint_off UNUSEDSIGNAL */  // bits 2:0 are ignored (BEHAVIOUR.md)
    input  wire [11:0]   addr_i,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [63:0]   wdata_i,
    output wire [63:0]   rdata_o,
    // configuration
    output wire [`NW_CTRL_W-1:0] ctrl_o,
    output wire [51:12]  gcr3_o,
    output wire [51:12]  hcr3_o,
    output wire [52:12]  scr3_o,
    output wire [6*52-1:0] seg_o,     // GSEG_BASE .. HSEG_OFFSET, 52 bits each (63:12)
    output wire [2:0]    gattr_o,     // {XD, U, W}
    output wire [1:0]    hattr_o,     // {XD, W}
    // DMT windows, window w at w * 145: {PV, TEA 51:12, LIMIT 63:12,
    // BASE 63:12} (PV is 0 in the host's)
    output wire [4*145-1:0] gdmt_o,
    output wire [4*145-1:0] hdmt_o,
    // escape filter lookups (unused in builds without filters)
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire          gfilt_look_i,
    input  wire [51:0]   gfilt_page_i,
    output wire          gfilt_hit_o,
    input  wire          hfilt_look_i,
    input  wire [51:0]   hfilt_page_i,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire          hfilt_hit_o,
    // counter events, one bit per counter (docs/REGISTERS.md), counted a
    // cycle later
    input  wire [`NW_NUM_COUNTERS-1:0] cnt_inc_i,
    // in the next cycle a write is applied or a filter insert is setting
    // its bits: the register port must wait (for counter events, the walk
    // FSM's idle_stay_o says when the last are in)
    output wire          busy_next_o,
    // empty the guest PSC (bit 0) or every walk cache (bit 1)
    output wire [1:0]    wc_flush_o,
    // a write is being applied, or a filter insert has bits to set after
    // this cycle's: no walk may start
    output wire          hold_o
);
`include "nw_features.vh"

    wire [8:0] word = addr_i[11:3];      // the word read, or written
    reg  [8:0] rword_q;                  // the word a read presents (read side)

    localparam NC = `NW_NUM_COUNTERS;
    // COUNTERS starts on a 32-word boundary: word[4:0] is the index
    localparam [8:0] CNT_W0 = `NW_WORD_COUNTERS;
    function cnt_word;
        input [8:0] word_f;
        cnt_word = word_f[8:5] == CNT_W0[8:5] && word_f[4:0] < NC;
    endfunction

    // ---- the write stage: a write is applied in the cycle after its
    // handshake, from flops (wr_q, wword_q, wdata_q), so that neither the
    // port's handshake and address decode nor its data meet the thousand
    // and more register and filter-bit enables, or a filter's hash select,
    // in one cycle. busy_next_o closes the port for that cycle (a read
    // sees the write) and hold_o keeps requests out of it (a walk sees it).
    // The writes to a filter or the counters are decoded before the stage
    // (gins_q, hins_q: an insert; gfw_q, hfw_q: a filter word; fclr_q: a
    // filter clear; cclr_q: a counter clear; wcw_q: a configuration
    // register, one bit each): an insert selects the input of the filter's
    // H3 unit, 52 muxes in front of its XOR trees, and the others load or
    // reset 256 filter bits, every counter bit or a 52-bit register, nets
    // whose routing alone takes 5 to 9 ns on the ECP5, too much to follow
    // a decode of the word in the same cycle.
    // the configuration registers, one bit each: the read side's code (its
    // first 12 bits, CTRL .. HSEG_ATTR) then the DMT windows' BASE, LIMIT
    // and TEA, guest 0-3 then host 0-3
    localparam NCW = 14, NWW = 12 + 8 * 3;
    function [NCW-1:0] cfg_hot;
        input [8:0] w;
        cfg_hot = {w >> 4 == `NW_WORD_HDMT >> 4, w >> 4 == `NW_WORD_GDMT >> 4,
                   w == `NW_WORD_HSEG_ATTR, w == `NW_WORD_GSEG_ATTR,
                   w == `NW_WORD_HSEG_OFFSET, w == `NW_WORD_HSEG_LIMIT, w == `NW_WORD_HSEG_BASE,
                   w == `NW_WORD_GSEG_OFFSET, w == `NW_WORD_GSEG_LIMIT, w == `NW_WORD_GSEG_BASE,
                   w == `NW_WORD_SCR3, w == `NW_WORD_HCR3, w == `NW_WORD_GCR3, w == `NW_WORD_CTRL};
    endfunction
    function [NWW-1:0] wr_hot;
        input [8:0] w;
        reg [NCW-1:0] cfg;
        reg [15:0]    field;             // the word within its dimension's windows
        integer i;
        begin
            cfg   = cfg_hot(w);
            field = 16'd1 << w[3:0];
            wr_hot[11:0] = cfg[11:0];
            for (i = 0; i < 4; i = i + 1) begin
                wr_hot[12 + 3 * i +: 3] = cfg[12] ? field[4 * i +: 3] : 3'd0;
                wr_hot[24 + 3 * i +: 3] = cfg[13] ? field[4 * i +: 3] : 3'd0;
            end
        end
    endfunction
    /* verilator lint_off UNUSEDSIGNAL */  // the bits of registers the build lacks
    reg [NWW-1:0] wcw_q;
    /* verilator lint_on UNUSEDSIGNAL */
    reg        wr_q, gins_q, hins_q, cclr_q;
    /* verilator lint_off UNUSEDSIGNAL */  // unused in builds without filters
    reg        gfw_q, hfw_q;
    reg [1:0]  fclr_q;
    reg [51:0] gipage_q;
    reg [39:0] hipage_q;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [8:0]  wword_q;
    /* verilator lint_off UNUSEDSIGNAL */  // which bits are stored depends on the features built
    reg [63:0] wdata_q;
    /* verilator lint_on UNUSEDSIGNAL */
    wire       wr = acc_i && write_i;
    always @(posedge clk_i) begin
        wr_q    <= !rst_i && wr;
        gins_q  <= !rst_i && HAS_GFILT && wr && word == `NW_WORD_GFILT_INSERT;
        hins_q  <= !rst_i && HAS_HFILT && wr && word == `NW_WORD_HFILT_INSERT;
        gfw_q   <= !rst_i && HAS_GFILT && wr && word >> 2 == `NW_WORD_GFILT >> 2;
        hfw_q   <= !rst_i && HAS_HFILT && wr && word >> 2 == `NW_WORD_HFILT >> 2;
        fclr_q  <= !rst_i && wr && word == `NW_WORD_FILT_CLEAR ? wdata_i[1:0] : 2'd0;
        cclr_q  <= !rst_i && wr && cnt_word(word);
        wcw_q   <= !rst_i && wr ? wr_hot(word) : {NWW{1'b0}};
        // loaded by a write only: not copies of the port's inputs, which
        // synthesis would merge with another register of them (the
        // out-of-context wrapper's input chain), and placed by their
        // readers, the write enables and the configuration registers
        if (wr) begin
            wword_q <= word;
            wdata_q <= wdata_i;
        end
        // an insert's page, loaded by that filter's insert only, so placed
        // by its H3 unit: taken from wdata_q, which every configuration
        // register loads from, it came 4.3 ns of routing late to the H3
        // unit's input select
        if (HAS_GFILT && wr && word == `NW_WORD_GFILT_INSERT)
            gipage_q <= wdata_i[51:0];
        if (HAS_HFILT && wr && word == `NW_WORD_HFILT_INSERT)
            hipage_q <= wdata_i[39:0];
    end

    // ---- configuration registers ----
    reg [`NW_CTRL_W-1:0] ctrl_q, ctrl_d;
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
        if (wcw_q[0])  ctrl_d  = wdata_q[`NW_CTRL_W-1:0] & CTRL_MASK;
        if (wcw_q[1])  gcr3_d  = wdata_q[51:12];
        if (wcw_q[2])  hcr3_d  = HAS_VIRT ? wdata_q[51:12] : 40'd0;
        if (wcw_q[3])  scr3_d  = HAS_SCR3 ? wdata_q[52:12] : 41'd0;
        if (wcw_q[10]) gattr_d = HAS_GSEG ? {wdata_q[63], wdata_q[2:1]} : 3'd0;
        if (wcw_q[11]) hattr_d = HAS_HSEG ? {wdata_q[63], wdata_q[1]} : 2'd0;
    end

    always @(posedge clk_i) begin
        if (rst_i) begin
            ctrl_q  <= {`NW_CTRL_W{1'b0}};
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

    // ---- segment registers, GSEG_BASE .. HSEG_OFFSET in address order; the
    // host three need VIRT ----
    genvar k;
    generate
        for (k = 0; k < 6; k = k + 1) begin : g_seg
            if (HAS_GSEG && (k < 3 || HAS_HSEG)) begin : g_on
                reg [63:12] seg_q, seg_d;
                always @* begin
                    seg_d = seg_q;
                    if (wcw_q[4 + k])
                        seg_d = wdata_q[63:12];
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

    // ---- DMT windows: four a dimension, four words apart (BASE, LIMIT,
    // TEA, a word that reads 0); the host four need VIRT ----
    wire [63:0] gdmt_rd, hdmt_rd;         // the word read of the window addressed
    generate
        for (k = 0; k < 8; k = k + 1) begin : g_dmt
            localparam GUEST = k < 4;
            if (GUEST ? HAS_GDMT : HAS_HDMT) begin : g_on
                reg [63:12] base_q, limit_q;
                reg [52:12] tea_q;           // bit 52: PV (guest only)
                always @(posedge clk_i) begin
                    if (rst_i) begin
                        base_q  <= 52'd0;
                        limit_q <= 52'd0;
                        tea_q   <= 41'd0;
                    end else begin
                        if (wcw_q[12 + 3 * k])
                            base_q <= wdata_q[63:12];
                        if (wcw_q[13 + 3 * k])
                            limit_q <= wdata_q[63:12];
                        if (wcw_q[14 + 3 * k])
                            tea_q <= {GUEST && wdata_q[0], wdata_q[51:12]};
                    end
                end
                if (GUEST) begin : g_g
                    assign gdmt_o[145*k +: 145] = {tea_q, limit_q, base_q};
                end else begin : g_h
                    assign hdmt_o[145*(k-4) +: 145] = {tea_q, limit_q, base_q};
                end
            end else if (GUEST) begin : g_goff
                assign gdmt_o[145*k +: 145] = 145'd0;
            end else begin : g_hoff
                assign hdmt_o[145*(k-4) +: 145] = 145'd0;
            end
        end
    endgenerate
    // read back: rword_q[3:2] is the window, rword_q[1:0] the field
    function [63:0] dmt_word;
        input [144:0] win_f;
        input [1:0]   field_f;
        case (field_f)
            2'd0:    dmt_word = {win_f[51:0], 12'd0};
            2'd1:    dmt_word = {win_f[103:52], 12'd0};
            2'd2:    dmt_word = {12'd0, win_f[143:104], 11'd0, win_f[144]};
            default: dmt_word = 64'd0;
        endcase
    endfunction
    // the window addressed (a case: an indexed select would be a shifter)
    reg [144:0] gwin, hwin;
    always @* begin
        case (rword_q[3:2])
            2'd0:    begin gwin = gdmt_o[145*0 +: 145]; hwin = hdmt_o[145*0 +: 145]; end
            2'd1:    begin gwin = gdmt_o[145*1 +: 145]; hwin = hdmt_o[145*1 +: 145]; end
            2'd2:    begin gwin = gdmt_o[145*2 +: 145]; hwin = hdmt_o[145*2 +: 145]; end
            default: begin gwin = gdmt_o[145*3 +: 145]; hwin = hdmt_o[145*3 +: 145]; end
        endcase
    end
    assign gdmt_rd = dmt_word(gwin, rword_q[1:0]);
    assign hdmt_rd = dmt_word(hwin, rword_q[1:0]);

    // ---- escape filters, guest and host (their words are 4-aligned) ----
    wire [255:0] gfilt_bits, hfilt_bits;
    wire         gfilt_busy, hfilt_busy;

    generate
        if (HAS_GFILT) begin : g_gfilt
            nw_filter u_filt (
                .clk_i       (clk_i),
                .rst_i       (rst_i),
                .clear_i     (fclr_q[0]),
                .ins_i       (gins_q),
                .ins_page_i  (gipage_q),
                .wr_i        (gfw_q),
                .wr_idx_i    (wword_q[1:0]),
                .wr_data_i   (wdata_q),
                .look_i      (gfilt_look_i),
                .look_page_i (gfilt_page_i),
                .hit_o       (gfilt_hit_o),
                .busy_o      (gfilt_busy),
                .bits_o      (gfilt_bits)
            );
        end else begin : g_no_gfilt
            assign gfilt_hit_o = 1'b0;
            assign gfilt_busy  = 1'b0;
            assign gfilt_bits  = 256'd0;
        end
        if (HAS_HFILT) begin : g_hfilt
            nw_filter u_filt (
                .clk_i       (clk_i),
                .rst_i       (rst_i),
                .clear_i     (fclr_q[1]),
                .ins_i       (hins_q),
                .ins_page_i  ({12'd0, hipage_q}),
                .wr_i        (hfw_q),
                .wr_idx_i    (wword_q[1:0]),
                .wr_data_i   (wdata_q),
                .look_i      (hfilt_look_i),
                .look_page_i (hfilt_page_i),
                .hit_o       (hfilt_hit_o),
                .busy_o      (hfilt_busy),
                .bits_o      (hfilt_bits)
            );
        end else begin : g_no_hfilt
            assign hfilt_hit_o = 1'b0;
            assign hfilt_busy  = 1'b0;
            assign hfilt_bits  = 256'd0;
        end
    endgenerate

    // ---- walk-cache flushes: a new root or configuration makes what the
    // caches hold stale (a register the build lacks is no write) ----
    assign wc_flush_o[0] = HAS_WC && (wcw_q[1] || (HAS_SCR3 && wcw_q[3]) ||
                                      (wr_q && wword_q == `NW_WORD_WC_FLUSH && wdata_q[0]));
    assign wc_flush_o[1] = HAS_WC && (wcw_q[0] || (HAS_VIRT && wcw_q[2]) ||
                                      (wr_q && wword_q == `NW_WORD_WC_FLUSH && wdata_q[1]));

    // ---- event counters; a write to any of them clears all ----
    // The events are registered before they are added, so that no walk
    // decision feeds a 32-bit carry chain in the cycle it is made. A walk's
    // last events are counted in the cycle after its response, its first
    // idle cycle; the register port opens in the cycle after that (the
    // walk FSM's idle_stay_o), so a read sees every event of the walks
    // before it.
    reg [NC*32-1:0] cnt_q, cnt_d;
    reg [NC-1:0]    inc_q;
    integer c;
    always @* begin
        for (c = 0; c < NC; c = c + 1)
            cnt_d[32*c +: 32] = cclr_q
                                ? 32'd0 : cnt_q[32*c +: 32] + {31'd0, inc_q[c]};
    end
    always @(posedge clk_i) begin
        if (rst_i) begin
            cnt_q <= {NC*32{1'b0}};
            inc_q <= {NC{1'b0}};
        end else begin
            cnt_q <= cnt_d;
            inc_q <= cnt_inc_i;
        end
    end
    assign hold_o      = wr_q || gfilt_busy || hfilt_busy;
    // a write closes the port for a cycle, an insert for as long as it is
    // presented and its bits are set
    assign busy_next_o = wr || gins_q || hins_q || gfilt_busy || hfilt_busy;

    // ---- read side ----
    // A read is answered from flops, like a synchronous RAM: the word it
    // presents is registered (rword_q: RD_WORD next), then each group of
    // registers selects its part of that word (rcfg_q, rfilt_q, rcnt_q,
    // zero when the word is not theirs: RD_DATA next), and the read may be
    // taken (rd_ok_o) with their OR as its data. The registers lie all
    // over the design (the configuration beside the walk FSM, each
    // filter's words in the filter, the counters together): a select of
    // all of them in one cycle was the full walker's longest path, from
    // the port's address to its data output, and from a registered word
    // still 11.5-12.4 ns on the ECP5, 10 of it routing. rdata_o holds
    // until the next read.
    // The configuration's and the filters' parts are selected by one-hot
    // codes of the word, registered with it (rcw_q, rfw_q): no decode of the
    // word lies in front of a register's 64 selects, nor does a decoded
    // select fan out from a LUT (the filters' took 10.3 ns on the ECP5,
    // 6 of it routing from the decode to the selects).
    reg [NCW-1:0] rcw_q;
    reg [7:0]     rfw_q;                 // guest words 0-3, host words 0-3
    function [7:0] filt_hot;
        input [8:0] w;
        reg [3:0] field;
        begin
            field    = 4'd1 << w[1:0];
            filt_hot = {w >> 2 == `NW_WORD_HFILT >> 2 ? field : 4'd0,
                        w >> 2 == `NW_WORD_GFILT >> 2 ? field : 4'd0};
        end
    endfunction
    reg [63:0] rfilt;
    integer f;
    always @* begin
        rfilt = 64'd0;
        for (f = 0; f < 4; f = f + 1)
            rfilt = rfilt | ({64{rfw_q[f]}} & gfilt_bits[64*f +: 64]) |
                            ({64{rfw_q[4 + f]}} & hfilt_bits[64*f +: 64]);
    end
    localparam [1:0] RD_IDLE = 2'd0, RD_WORD = 2'd1, RD_DATA = 2'd2;
    reg [1:0]  rd_q;
    reg [63:0] rcfg_q, rcfg, rfilt_q;
    reg [31:0] rcnt_q;
    always @(posedge clk_i) begin
        if (rst_i) begin
            rd_q    <= RD_IDLE;
            rcfg_q  <= 64'd0;
            rfilt_q <= 64'd0;
            rcnt_q  <= 32'd0;
        end else begin
            case (rd_q)
                RD_IDLE: if (rd_i) rd_q <= RD_WORD;
                RD_WORD: rd_q <= RD_DATA;
                default: if (acc_i) rd_q <= RD_IDLE;
            endcase
            if (rd_q == RD_WORD) begin
                rcfg_q  <= rcfg;
                rfilt_q <= rfilt;
                rcnt_q  <= cnt_word(rword_q) ? cnt_q[32*rword_q[4:0] +: 32] : 32'd0;
            end
        end
        if (rd_q == RD_IDLE) begin
            rword_q <= word;
            rcw_q   <= cfg_hot(word);
            rfw_q   <= filt_hot(word);
        end
    end
    assign rd_ok_o = rd_q == RD_DATA;
    assign rdata_o = rcfg_q | rfilt_q | {32'd0, rcnt_q};

    // the configuration's part
    always @* begin
        rcfg = ({64{rcw_q[0]}}  & {{64-`NW_CTRL_W{1'b0}}, ctrl_q}) |
               ({64{rcw_q[1]}}  & {12'd0, gcr3_q, 12'd0}) |
               ({64{rcw_q[2]}}  & {12'd0, hcr3_q, 12'd0}) |
               ({64{rcw_q[3]}}  & {11'd0, scr3_q, 12'd0}) |
               ({64{rcw_q[4]}}  & {seg_o[52*0 +: 52], 12'd0}) |
               ({64{rcw_q[5]}}  & {seg_o[52*1 +: 52], 12'd0}) |
               ({64{rcw_q[6]}}  & {seg_o[52*2 +: 52], 12'd0}) |
               ({64{rcw_q[7]}}  & {seg_o[52*3 +: 52], 12'd0}) |
               ({64{rcw_q[8]}}  & {seg_o[52*4 +: 52], 12'd0}) |
               ({64{rcw_q[9]}}  & {seg_o[52*5 +: 52], 12'd0}) |
               ({64{rcw_q[10]}} & {gattr_q[2], 60'd0, gattr_q[1:0], 1'b0}) |
               ({64{rcw_q[11]}} & {hattr_q[1], 61'd0, hattr_q[0], 1'b0}) |
               ({64{rcw_q[12]}} & gdmt_rd) |
               ({64{rcw_q[13]}} & hdmt_rd);
    end

    assign ctrl_o  = ctrl_q;
    assign gcr3_o  = gcr3_q;
    assign hcr3_o  = hcr3_q;
    assign scr3_o  = scr3_q;
    assign gattr_o = gattr_q;
    assign hattr_o = hattr_q;
endmodule

`default_nettype wire
