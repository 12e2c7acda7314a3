// nw_smoke_tb: a small Icarus smoke test of nw_walker. A tiny memory holds
// hand-built tables; native, nested and direct-segment walks and a few
// faults are checked against results worked out by hand (below).
//
// Guest tables (a PA natively, a gPA when nested), VA 0x7f123456789a:
//   L4 0x1000[0xfe] -> 0x2000, L3 0x2000[0x48] -> 0x3000,
//   L2 0x3000[0x1a2] -> 0x4000, L1 0x4000[0x167] -> page 0x5555000 (W U)
//   L2 0x3000[0x1a4]: a 2 MiB page at 0x600000, U, not W (VA 0x7f1234800123)
// Host table at 0x10000: L4[0] -> 0x11000, L3[0]: a 1 GiB page at
// 0x1_0000_0000, so hPA = gPA + 4 GiB; the memory mirrors the guest tables
// there.
`default_nettype none
`include "nw_defs.vh"

module nw_smoke_tb;
    localparam ID_WIDTH = 8;
`include "nw_walker_tb.vh"

    nw_walker #(.ID_WIDTH (ID_WIDTH)) dut (
`include "nw_walker_conn.vh"
    );

    always #5 clk_i = ~clk_i;

    // the tiny memory: known entries, zeros in the guest table pages, an
    // error anywhere else
    task mem_lookup(input [51:0] a, output [63:0] d, output e);
        reg [51:0] g;
        begin
            g = a[51:32] == 20'd1 ? {20'd0, a[31:0]} : a; // guest tables at +4 GiB
            e = 1'b0;
            case (g)
                52'h017f0: d = 64'h2007;
                52'h02240: d = 64'h3007;
                52'h03d10: d = 64'h4007;
                52'h03d20: d = 64'h600085;
                52'h04b38: d = 64'h5555007;
                52'h10000: d = 64'h11007;
                52'h11000: d = 64'h1_0000_0087;
                default: begin
                    d = 64'd0;
                    e = !(g >= 52'h1000 && g < 52'h5000);
                end
            endcase
        end
    endtask

    // memory: answers in the cycle after the request (latency 0), records
    // the addresses
    reg  [51:0] reads [0:63];
    integer     nreads = 0;
    reg  [63:0] d;
    reg         e;
    always @(posedge clk_i) begin
        if (mem_resp_valid_i && mem_resp_ready_o)
            mem_resp_valid_i <= 1'b0;
        if (mem_req_valid_o) begin
            reads[nreads] = mem_req_addr_o;
            nreads = nreads + 1;
            mem_lookup(mem_req_addr_o, d, e);
            mem_resp_valid_i <= 1'b1;
            mem_resp_data_i  <= d;
            mem_resp_err_i   <= e;
        end
    end

    integer errors = 0, checks = 0;
    integer cycles;

    task check(input ok, input [8*40-1:0] what);
        begin
            checks = checks + 1;
            if (!ok) begin
                errors = errors + 1;
                $display("FAIL: %0s: status %0d reason %0d level %0d pa %h refs %0d pferr %h",
                         what, resp_status_o, resp_reason_o, resp_level_o, resp_pa_o, resp_refs_o,
                         resp_pferr_o);
            end
        end
    endtask

    task wreg(input [11:0] a, input [63:0] v);
        begin
            @(negedge clk_i);
            reg_valid_i = 1'b1; reg_write_i = 1'b1; reg_addr_i = a; reg_wdata_i = v;
            while (!reg_ready_o) @(negedge clk_i);
            @(negedge clk_i);
            reg_valid_i = 1'b0; reg_write_i = 1'b0;
        end
    endtask

    // a read presented now: its data at its handshake, and the cycles it
    // waited for it (two once the port is open: the word is registered,
    // then each group's part of it)
    reg [63:0] rdata;
    integer    rwait;
    task rreg(input [11:0] a);
        begin
            @(negedge clk_i);
            reg_valid_i = 1'b1; reg_write_i = 1'b0; reg_addr_i = a;
            rwait = 0;
            #1 while (!reg_ready_o) begin
                @(negedge clk_i);
                rwait = rwait + 1;
                #1;
            end
            rdata = reg_rdata_o;
            @(negedge clk_i);
            reg_valid_i = 1'b0;
        end
    endtask

    // one walk; leaves the response on the outputs (resp_ready is tied high,
    // so the result is sampled in its only valid cycle)
    task walk(input [63:0] va, input [1:0] acc, input user);
        begin
            @(negedge clk_i);
            nreads = 0;
            req_valid_i = 1'b1; req_va_i = va; req_access_i = acc; req_user_i = user;
            req_id_i = req_id_i + 1'b1;
            while (!req_ready_o) @(negedge clk_i);
            @(negedge clk_i);
            req_valid_i = 1'b0;
            cycles = 1;
            while (!resp_valid_o) begin
                @(negedge clk_i);
                cycles = cycles + 1;
            end
        end
    endtask

    // no X may reach an output once out of reset
    integer xerrors = 0;
    always @(negedge clk_i)
        if (!rst_i && ^{reg_ready_o, reg_rdata_o, req_ready_o, resp_valid_o, resp_status_o, resp_reason_o,
                      resp_level_o, resp_pa_o, resp_size_o, resp_w_o, resp_u_o, resp_xd_o, resp_gpa_o,
                      resp_gpt_o, resp_pferr_o, resp_refs_o, resp_id_o, mem_req_valid_o, mem_req_addr_o,
                      mem_resp_ready_o} === 1'bx)
            xerrors = xerrors + 1;

    integer i, k, nbits;
    reg [51:0] want [0:13];
    reg        order_ok;

    initial begin
        if ($test$plusargs("vcd")) begin
            $dumpfile("build/tb/nw_smoke.vcd");
            $dumpvars(0, nw_smoke_tb);
        end
        rst_i = 1'b1;
        resp_ready_i = 1'b1;     // the result is sampled in its only valid cycle
        mem_req_ready_i = 1'b1;
        repeat (3) @(posedge clk_i);
        @(negedge clk_i) rst_i = 1'b0;

        // native, 4 KiB page: 4 reads
        wreg(`NW_ADDR_GCR3, 64'h1000);
        wreg(`NW_ADDR_CTRL, 64'h40);                     // NXE
        walk(64'h00007f123456789a, 2'd0, 1'b1);
        check(resp_status_o == 0 && resp_pa_o == 52'h555589a && resp_size_o == 0 && resp_refs_o == 4 &&
              resp_w_o && resp_u_o && !resp_xd_o && resp_id_o == req_id_i, "native 4K");
        check(nreads == 4 && reads[0] == 52'h17f0 && reads[1] == 52'h2240 &&
              reads[2] == 52'h3d10 && reads[3] == 52'h4b38, "native read order");
        // 4 reads answered in the cycle after each is taken: 3 + 4 * (0 + 1 + 2)
        check(cycles == 15, "native latency");
        // native 2 MiB page, and a user write to it (not W): protection
        walk(64'h00007f1234800123, 2'd0, 1'b0);
        check(resp_status_o == 0 && resp_pa_o == 52'h600123 && resp_size_o == 1 && resp_refs_o == 3 &&
              !resp_w_o, "native 2M");
        walk(64'h00007f1234800123, 2'd1, 1'b1);
        check(resp_status_o == 1 && resp_reason_o == 3 && resp_level_o == 2 && resp_pferr_o == 5'h07,
              "native protection");
        // not present at L4, non-canonical, a bus error
        walk(64'h0000000000001000, 2'd0, 1'b0);
        check(resp_status_o == 1 && resp_reason_o == 1 && resp_level_o == 4 && resp_refs_o == 1 &&
              resp_pferr_o == 5'h00, "not present");
        walk(64'h0000800000000000, 2'd2, 1'b0);
        check(resp_status_o == 1 && resp_reason_o == 4 && resp_level_o == 0 && resp_refs_o == 0 &&
              resp_pferr_o == 5'h10, "non-canonical");
        wreg(`NW_ADDR_GCR3, 64'h900000);
        walk(64'h00007f123456789a, 2'd0, 1'b0);
        check(resp_status_o == 4 && resp_level_o == 4 && resp_refs_o == 1 && resp_reason_o == 0,
              "bus error");

        // nested: 4 guest levels x (2 host + 1) + 2 host reads of the final gPA
        wreg(`NW_ADDR_GCR3, 64'h1000);
        wreg(`NW_ADDR_HCR3, 64'h10000);
        wreg(`NW_ADDR_CTRL, 64'h41);                     // VIRT, NXE
        walk(64'h00007f123456789a, 2'd1, 1'b1);
        check(resp_status_o == 0 && resp_pa_o == 52'h1_0555_589a && resp_size_o == 0 &&
              resp_refs_o == 14 && resp_w_o && resp_u_o, "nested 4K");
        for (i = 0; i < 14; i = i + 1)
            want[i] = (i % 3 == 0) ? 52'h10000 : (i % 3 == 1) ? 52'h11000 : 52'h0;
        want[2] = 52'h1_0000_17f0;
        want[5] = 52'h1_0000_2240;
        want[8] = 52'h1_0000_3d10;
        want[11] = 52'h1_0000_4b38;
        order_ok = nreads == 14;
        for (i = 0; i < 14; i = i + 1)
            if (reads[i] != want[i])
                order_ok = 1'b0;
        check(order_ok, "nested read order");
        // nested 2 MiB: 3 guest levels x 3 + 2; the size is the smaller one
        walk(64'h00007f1234800123, 2'd0, 1'b0);
        check(resp_status_o == 0 && resp_pa_o == 52'h1_0060_0123 && resp_size_o == 1 &&
              resp_refs_o == 11, "nested 2M");

        // dual direct: no reads, the answer 3 cycles after the request
        // (LOOK registers both segments' answers, START the result)
        wreg(`NW_ADDR_GSEG_BASE, 64'h00007f1234567000);
        wreg(`NW_ADDR_GSEG_LIMIT, 64'h00007f1234568000);
        wreg(`NW_ADDR_GSEG_OFFSET, 64'h10000000 - 64'h00007f1234567000);
        wreg(`NW_ADDR_HSEG_BASE, 64'h0);
        wreg(`NW_ADDR_HSEG_LIMIT, 64'h100_0000_0000);
        wreg(`NW_ADDR_HSEG_OFFSET, 64'h2_0000_0000);
        wreg(`NW_ADDR_GSEG_ATTR, 64'h6);                // W U
        wreg(`NW_ADDR_HSEG_ATTR, 64'h2);                // W
        wreg(`NW_ADDR_CTRL, 64'h59);                     // VIRT GSEG HSEG NXE
        walk(64'h00007f123456789a, 2'd1, 1'b1);
        check(resp_status_o == 0 && resp_pa_o == 52'h2_1000_089a && resp_refs_o == 0 &&
              resp_size_o == 0 && resp_w_o && resp_u_o, "dual direct");
        check(cycles == 3, "dual direct in 3 cycles");

        // counters: walks, reads; the register port opens the cycle after
        // the last walk's events are counted, and a read presented in the
        // cycle after the response is taken two cycles after that
        rreg(`NW_ADDR_COUNTERS + 8 * `NW_CNT_WALKS);
        check(rdata == 64'd9 && rwait == 3, "walk counter, port waits for the counters");
        rreg(`NW_ADDR_COUNTERS + 8 * `NW_CNT_READS);
        check(rdata == 64'd37 && rwait == 2, "read counter, read in 2 cycles");

        // a filter insert (cycle 0) is presented to the filter in cycle 1,
        // which sets one bit a cycle in cycles 3 to 6: the register port is
        // closed in cycles 1 to 6, requests in 1 to 5
        @(negedge clk_i);
        reg_valid_i = 1'b1; reg_write_i = 1'b1; reg_addr_i = `NW_ADDR_GFILT_INSERT;
        reg_wdata_i = 64'h7f123456;
        #1 check(reg_ready_o, "insert taken");
        @(negedge clk_i);
        // (the write bit left up: ready then shows whether the port is open)
        reg_valid_i = 1'b0;
        order_ok = 1'b1;
        for (i = 1; i <= 6; i = i + 1) begin
            #1 if (reg_ready_o || req_ready_o != (i == 6)) order_ok = 1'b0;
            @(negedge clk_i);
        end
        #1 check(order_ok && reg_ready_o, "insert closes the ports for 6 cycles");
        reg_write_i = 1'b0;
        // the four hashes set one to four bits (they may coincide)
        nbits = 0;
        for (i = 0; i < 4; i = i + 1) begin
            rreg(`NW_ADDR_GFILT + 8 * i);
            for (k = 0; k < 64; k = k + 1) nbits = nbits + rdata[k];
        end
        check(nbits >= 1 && nbits <= 4, "insert sets its bits");

        check(xerrors == 0, "no X on the outputs");
        $display("%0d passed, %0d failed", checks - errors, errors);
        $finish;
    end

    initial begin
        #200000;
        $display("FAIL: timeout");
        $display("0 passed, 1 failed");
        $finish;
    end
endmodule

`default_nettype wire
