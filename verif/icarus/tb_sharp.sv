// tb_sharp: 4-state (Icarus Verilog) testbench of one generated sharp_top.
//
// It replays a stimulus file written by `sharpgen verify` (stim.bin) through the top-level
// ports with exactly the protocol of the Verilator harness (verif/harness/src/sim_main.cpp),
// writes the output beats in the same binary format as the harness's out.bin (per beat Lanes h
// values then Lanes c values, int32 little-endian, sign-extended), and checks for X/Z:
//   - after reset: every register (all 256 addresses of the register port), the control
//     outputs (w_ready_o, b_ready_o, x_ready_o, o_valid_o);
//   - every cycle after reset: the control outputs, and STATUS and every counter register;
//   - o_h_o / o_c_o: whenever o_valid_o is high (an error). While o_valid_o is low they are
//     only reported (a warning, counted) unless +strict_data is given (then an error);
//   - at the end: every register again.
// Parameters and register addresses come from sharp_tb_params.svh, generated from the
// design's sharp_design.h by verif/icarus/make_params.sh.
//
// Plusargs: +stim=FILE (required) +out=FILE (required) +max_cycles=N (default 2000000)
//           +valid_pct=P +ready_pct=P (stream valid / ready probability in percent, default 100)
//           +seed=S (for the gaps) +strict_data +quiet_cycles (skip the per-cycle register scan)
//           +flip_word=N (invert bit 0 of output word N: proves the comparison with out.bin fails)
// Result: the last line is "TB: PASS ..." or "TB: FAIL ...", then a "TB: COUNTERS ..." line.
`timescale 1ns / 1ps

module tb_sharp;
`include "sharp_tb_params.svh"

  localparam int D = kDataBits;
  localparam int C = kCellBits;
  localparam int L = kLanes;
  localparam int K = kK;

  logic                clk_i = 1'b0;
  logic                rst_ni;
  logic                reg_we_i;
  logic [7:0]          reg_addr_i;
  logic [31:0]         reg_wdata_i;
  logic [31:0]         reg_rdata_o;
  logic                w_valid_i;
  logic                w_ready_o;
  logic [K*D-1:0]      w_data_i;
  logic                b_valid_i;
  logic                b_ready_o;
  logic [D-1:0]        b_data_i;
  logic                x_valid_i;
  logic                x_ready_o;
  logic [K*D-1:0]      x_data_i;
  logic                s_valid_i;
  logic                s_ready_o;
  logic [L*D-1:0]      s_h_i;
  logic [L*C-1:0]      s_c_i;
  logic                o_valid_o;
  logic                o_ready_i;
  logic [L*D-1:0]      o_h_o;
  logic [L*C-1:0]      o_c_o;
  logic [L-1:0]        o_keep_o;
  logic                o_last_o;
  logic                o_end_o;
  logic                irq_o;

  sharp_top dut (.*);

  // ---------------------------------------------------------------- bookkeeping
  int errors = 0;
  int data_x_warnings = 0;
  int cycle = 0;

  task automatic error(input string msg);
    errors++;
    if (errors <= 50) $display("TB: ERROR at cycle %0d: %s", cycle, msg);
    else if (errors == 51) $display("TB: (further errors not shown)");
  endtask

  // One clock cycle: the inputs (already set) settle, rising edge, falling edge.
  task automatic tick;
    #1;
    clk_i = 1'b1;
    #5;
    clk_i = 1'b0;
    #5;
    cycle++;
  endtask

  task automatic settle;
    #1;
  endtask

  task automatic reg_write(input int addr, input logic [31:0] data);
    reg_we_i    = 1'b1;
    reg_addr_i  = addr[7:0];
    reg_wdata_i = data;
    tick;
    reg_we_i = 1'b0;
  endtask

  task automatic reg_read(input int addr, output logic [31:0] data);
    reg_addr_i = addr[7:0];
    settle;
    data = reg_rdata_o;
  endtask

  // Register names (from sharp_design.h); "" for unmapped addresses.
  function automatic string name_of(input int addr);
    name_of = reg_name(addr);
    if (name_of == "") name_of = $sformatf("unmapped 0x%02h", addr);
  endfunction

  // Reads every register address; an X/Z bit in any of them is an error.
  task automatic check_all_registers(input string when);
    logic [31:0] v;
    for (int a = 0; a < 256; a++) begin
      reg_read(a, v);
      if ($isunknown(v)) error($sformatf("%s: register %s reads %b (X/Z bits)", when, name_of(a), v));
    end
  endtask

  // STATUS and the counters, every cycle (cheap: a combinational read mux).
  task automatic check_status_and_counters(input string when);
    logic [31:0] v;
    reg_read(kRegSTATUS, v);
    if ($isunknown(v)) error($sformatf("%s: STATUS reads %b", when, v));
    reg_read(kRegERROR, v);
    if ($isunknown(v)) error($sformatf("%s: ERROR reads %b", when, v));
    for (int a = kRegCYCLES_LO; a <= kRegSTALL_H_HI; a++) begin
      reg_read(a, v);
      if ($isunknown(v)) error($sformatf("%s: counter %s reads %b", when, name_of(a), v));
    end
  endtask

  task automatic check_control_outputs(input string when);
    if ($isunknown(w_ready_o)) error($sformatf("%s: w_ready_o is %b", when, w_ready_o));
    if ($isunknown(b_ready_o)) error($sformatf("%s: b_ready_o is %b", when, b_ready_o));
    if ($isunknown(x_ready_o)) error($sformatf("%s: x_ready_o is %b", when, x_ready_o));
    if ($isunknown(s_ready_o)) error($sformatf("%s: s_ready_o is %b", when, s_ready_o));
    if ($isunknown(o_valid_o)) error($sformatf("%s: o_valid_o is %b", when, o_valid_o));
    if ($isunknown(irq_o)) error($sformatf("%s: irq_o is %b", when, irq_o));
    if (o_valid_o === 1'b1 && ^{o_keep_o, o_last_o, o_end_o} === 1'bx)  // (Icarus: not $isunknown of a concatenation)
      error($sformatf("%s: o_keep_o/o_last_o/o_end_o are %b %b %b while o_valid_o", when, o_keep_o, o_last_o, o_end_o));
    if ($isunknown(reg_rdata_o)) error($sformatf("%s: reg_rdata_o (address 0x%02h) is %b", when, reg_addr_i, reg_rdata_o));
  endtask

  // Data outputs while o_valid_o is low: reported once per kind (first cycle), counted.
  bit strict_data = 1'b0;
  bit h_x_seen = 1'b0, c_x_seen = 1'b0;
  task automatic check_idle_data(input string when);
    bit hx, cx;
    hx = o_valid_o !== 1'b1 && $isunknown(o_h_o);
    cx = o_valid_o !== 1'b1 && $isunknown(o_c_o);
    if (hx && strict_data) error($sformatf("%s: o_h_o has X/Z bits while o_valid_o is low: %b", when, o_h_o));
    if (cx && strict_data) error($sformatf("%s: o_c_o has X/Z bits while o_valid_o is low: %b", when, o_c_o));
    if (!strict_data) begin
      if (hx || cx) data_x_warnings++;
      if (hx && !h_x_seen)
        $display("TB: WARNING at cycle %0d: %s: o_h_o has X/Z bits while o_valid_o is low (%b); reported once", cycle,
                 when, o_h_o);
      if (cx && !c_x_seen)
        $display("TB: WARNING at cycle %0d: %s: o_c_o has X/Z bits while o_valid_o is low (%b); reported once", cycle,
                 when, o_c_o);
    end
    h_x_seen |= hx;
    c_x_seen |= cx;
  endtask

  // ---------------------------------------------------------------- stimulus file
`include "tb_stimulus.svh"

  function automatic logic [K*D-1:0] read_kbeat(input int fd, input string what);
    logic [K*D-1:0] w;
    int e;
    w = '0;
    for (int i = 0; i < K; i++) begin
      e = read_i32(fd, what);
      w[i*D +: D] = e[D-1:0];
    end
    read_kbeat = w;
  endfunction

  // A state beat: L h elements, then L c elements (int32 each).
  task automatic read_sbeat(input int fd, output logic [L*D-1:0] h, output logic [L*C-1:0] c);
    int e;
    for (int i = 0; i < L; i++) begin
      e = read_i32(fd, "state");
      h[i*D +: D] = e[D-1:0];
    end
    for (int i = 0; i < L; i++) begin
      e = read_i32(fd, "state");
      c[i*C +: C] = e[C-1:0];
    end
  endtask

  // ---------------------------------------------------------------- the run
  int max_cycles = 2000000;
  int valid_pct = 100, ready_pct = 100;
  int seed = 1;
  int flip_word = -1;
  int words_out = 0;
  bit per_cycle_regs = 1'b1;
  logic [31:0] status, err;
  longint wi, bi, xi, si, oi;
  longint load_start, load_cycles, run_start;
  bit done;

  int rng_state = 1;
  function automatic bit chance(input int pct);
    int r;
    if (pct >= 100) return 1'b1;
    r = $random(rng_state);
    return ((r & 32'h7fffffff) % 100) < pct;
  endfunction

  task automatic read64(input int lo, output logic [63:0] v);
    logic [31:0] a, b;
    reg_read(lo, a);
    reg_read(lo + 1, b);
    v = {b, a};
  endtask

  initial begin
    int unused;
    logic [31:0] v;
    bit wv, bv, xv, sv, orr, wf, bf, xf, sf, stop;
    int word;

    if (!$value$plusargs("stim=%s", stim_path) || !$value$plusargs("out=%s", out_path)) begin
      $display("TB: FAIL: +stim=FILE and +out=FILE are required");
      $finish;
    end
    unused = $value$plusargs("max_cycles=%d", max_cycles);
    unused = $value$plusargs("valid_pct=%d", valid_pct);
    unused = $value$plusargs("ready_pct=%d", ready_pct);
    if ($value$plusargs("seed=%d", seed)) rng_state = seed;
    if ($test$plusargs("strict_data")) strict_data = 1'b1;
    unused = $value$plusargs("flip_word=%d", flip_word);
    if ($test$plusargs("quiet_cycles")) per_cycle_regs = 1'b0;

    open_stimulus;
    $display("TB: H=%0d X=%0d T=%0d width=%0d: %0d weight, %0d bias, %0d x beats; expecting %0d output beats",
             H, X, T, width, nw, nb, nx, out_beats);

    // Reset (as the Verilator harness: 4 cycles low, one high).
    rst_ni      = 1'b0;
    reg_we_i    = 1'b0;
    reg_addr_i  = 8'h00;
    reg_wdata_i = 32'd0;
    w_valid_i   = 1'b0;
    b_valid_i   = 1'b0;
    x_valid_i   = 1'b0;
    s_valid_i   = 1'b0;
    o_ready_i   = 1'b0;
    s_h_i       = '0;
    s_c_i       = '0;
    w_data_i    = '0;
    b_data_i    = '0;
    x_data_i    = '0;
    for (int i = 0; i < 4; i++) tick;
    rst_ni = 1'b1;
    tick;

    settle;
    check_control_outputs("after reset");
    check_idle_data("after reset");
    check_all_registers("after reset");

    // Configure and load.
    reg_write(kRegHIDDEN, H);
    reg_write(kRegINPUT, X);
    reg_write(kRegSTEPS, T);
    reg_write(kRegWIDTH, width);
    reg_write(kRegSTREAMS, streams);
    reg_write(kRegWAVEFRONT, wave);
    reg_write(kRegCELL, cell_kind);
    reg_write(kRegINIT_STATE, init_state);
    reg_write(kRegCTRL, 32'd2);
    reg_read(kRegERROR, err);
    if (err !== 32'd0) error($sformatf("ERROR = %b after the load command", err));
    wi = 0;
    bi = 0;
    load_start = cycle;
    if (wi < nw) w_data_i = read_kbeat(fd_w, "weights");
    if (bi < nb) b_data_i = read_i32(fd_b, "biases");
    stop = 1'b0;
    while (!stop) begin
      reg_read(kRegSTATUS, status);
      if ($isunknown(status)) begin
        error($sformatf("STATUS reads %b while loading", status));
        stop = 1'b1;
      end else if (status[2]) begin
        stop = 1'b1;
      end else begin
        wv = wi < nw && chance(valid_pct);
        bv = bi < nb && chance(valid_pct);
        w_valid_i = wv;
        b_valid_i = bv;
        settle;
        check_control_outputs("loading");
        check_idle_data("loading");
        if (per_cycle_regs) check_status_and_counters("loading");
        wf = wv && (w_ready_o === 1'b1);
        bf = bv && (b_ready_o === 1'b1);
        tick;
        if (wf) begin
          wi++;
          if (wi < nw) w_data_i = read_kbeat(fd_w, "weights");
        end
        if (bf) begin
          bi++;
          if (bi < nb) b_data_i = read_i32(fd_b, "biases");
        end
        if (cycle > max_cycles) begin
          error($sformatf("timeout while loading (%0d of %0d weight beats, %0d of %0d bias beats)", wi, nw, bi, nb));
          stop = 1'b1;
        end
      end
    end
    w_valid_i = 1'b0;
    b_valid_i = 1'b0;
    if (wi != nw || bi != nb)
      error($sformatf("loaded after %0d/%0d weight and %0d/%0d bias beats", wi, nw, bi, nb));
    load_cycles = cycle - load_start;

    // Run.
    xi = 0;
    si = 0;
    oi = 0;
    done = 1'b0;
    run_start = cycle;
    reg_write(kRegCTRL, 32'd1);
    reg_read(kRegERROR, err);
    if (err !== 32'd0) error($sformatf("ERROR = %b after the start command", err));
    if (xi < nx) x_data_i = read_kbeat(fd_x, "x");
    if (si < ns) read_sbeat(fd_s, s_h_i, s_c_i);
    stop = 1'b0;
    while (!stop) begin
      reg_read(kRegSTATUS, status);
      if ($isunknown(status)) begin
        error($sformatf("STATUS reads %b while running", status));
        stop = 1'b1;
      end else if (status[1] && oi == out_beats) begin
        done = 1'b1;
        stop = 1'b1;
      end else begin
        xv  = xi < nx && chance(valid_pct);
        orr = chance(ready_pct);
        sv  = si < ns && chance(valid_pct);
        x_valid_i = xv;
        s_valid_i = sv;
        o_ready_i = orr;
        settle;
        check_control_outputs("running");
        check_idle_data("running");
        if (per_cycle_regs) check_status_and_counters("running");
        xf = xv && (x_ready_o === 1'b1);
        sf = sv && (s_ready_o === 1'b1);
        if (o_valid_o === 1'b1 && orr) begin
          if ($isunknown(o_h_o)) error($sformatf("output beat %0d: o_h_o has X/Z bits while valid: %b", oi, o_h_o));
          if ($isunknown(o_c_o)) error($sformatf("output beat %0d: o_c_o has X/Z bits while valid: %b", oi, o_c_o));
          for (int l = 0; l < L; l++) begin
            word = $signed(o_h_o[l*D +: D]);
            if (words_out == flip_word) word[0] = ~word[0];
            $fwrite(fd_out, "%u", word);
            words_out++;
          end
          for (int l = 0; l < L; l++) begin
            word = $signed(o_c_o[l*C +: C]);
            if (words_out == flip_word) word[0] = ~word[0];
            $fwrite(fd_out, "%u", word);
            words_out++;
          end
          oi++;
          if (oi > out_beats) error($sformatf("more output beats than the %0d expected", out_beats));
        end
        tick;
        if (xf) begin
          xi++;
          if (xi < nx) x_data_i = read_kbeat(fd_x, "x");
        end
        if (sf) begin
          si++;
          if (si < ns) read_sbeat(fd_s, s_h_i, s_c_i);
        end
        if (cycle - run_start > max_cycles) begin
          error($sformatf("timeout while running (%0d of %0d x beats, %0d of %0d output beats)", xi, nx, oi, out_beats));
          stop = 1'b1;
        end
      end
    end
    x_valid_i = 1'b0;
    s_valid_i = 1'b0;
    o_ready_i = 1'b0;
    $fclose(fd_out);
    if (!done) error("the run did not finish");
    if (xi != nx) error($sformatf("the design took %0d of %0d x beats", xi, nx));
    if (si != ns) error($sformatf("the design took %0d of %0d state beats", si, ns));

    // The end: every register again, then the counters.
    settle;
    check_control_outputs("at the end");
    check_all_registers("at the end");
    read_counters;
    reg_read(kRegSTATUS, status);

    if (errors == 0)
      $display("TB: PASS: %0d output beats, %0d cycles after reset, no X/Z on control outputs, STATUS or counters; %0d data-port X warnings (cycles with X on o_h_o/o_c_o while o_valid_o low)",
               oi, cycle, data_x_warnings);
    else
      $display("TB: FAIL: %0d errors, %0d output beats of %0d", errors, oi, out_beats);
    print_counters(status, load_cycles, cycle - run_start, oi, xi);
    $finish;
  end
endmodule
