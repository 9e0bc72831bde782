// tb_sharp_axi: 4-state (Icarus Verilog) testbench of one generated sharp_axi_top, the AXI shell.
//
// It replays a stimulus file written by `sharpgen verify --shell axi` (stim.bin) through the
// shell's AXI4-Lite slave and AXI4-Stream ports, with the register sequence of the design's C
// driver (sharp_load, sharp_run: the Verilator harness runs the driver itself), and writes the
// output beats in the format of the Verilator harness's out.bin (per beat Lanes h values then
// Lanes c values, int32 little-endian). It checks, every cycle after reset, that no READY, VALID,
// response or irq output is X or Z, and that TDATA/TKEEP/TLAST/TUSER of the output stream and
// RDATA of a read are known while their VALID is high; after reset and at the end, it reads every
// word address through AXI4-Lite: each must answer OKAY with known data or SLVERR (unmapped,
// write-only) as the register map says.
// Parameters and register addresses come from sharp_tb_params.svh (verif/icarus/make_params.sh).
//
// Plusargs: +stim=FILE +out=FILE (required) +max_cycles=N (default 2000000)
//           +valid_pct=P +ready_pct=P (stream and AXI4-Lite valid / ready probability, percent)
//           +seed=S +flip_word=N (invert bit 0 of output word N)
// Result: "TB: PASS ..." or "TB: FAIL ...", then a "TB: COUNTERS ..." line.
`timescale 1ns / 1ps

module tb_sharp_axi;
`include "sharp_tb_params.svh"

  localparam int D  = kDataBits;
  localparam int C  = kCellBits;
  localparam int L  = kLanes;
  localparam int K  = kK;
  localparam int EB = (D + 7) / 8;  // bytes per data element on the streams
  localparam int CB = (C + 7) / 8;  // bytes per cell-state element
  localparam int SB = L * (EB + CB);  // bytes per state and output beat

  logic               aclk = 1'b0;
  logic               aresetn;
  logic               irq;
  logic [9:0]         s_axi_awaddr, s_axi_araddr;
  logic [2:0]         s_axi_awprot = 3'd0, s_axi_arprot = 3'd0;
  logic               s_axi_awvalid, s_axi_awready, s_axi_wvalid, s_axi_wready, s_axi_bvalid, s_axi_bready;
  logic               s_axi_arvalid, s_axi_arready, s_axi_rvalid, s_axi_rready;
  logic [31:0]        s_axi_wdata, s_axi_rdata;
  logic [3:0]         s_axi_wstrb;
  logic [1:0]         s_axi_bresp, s_axi_rresp;
  logic [K*EB*8-1:0]  s_axis_w_tdata, s_axis_x_tdata;
  logic [EB*8-1:0]    s_axis_b_tdata;
  logic [SB*8-1:0]    s_axis_s_tdata, m_axis_h_tdata;
  logic [SB-1:0]      m_axis_h_tkeep;
  logic               s_axis_w_tvalid, s_axis_w_tready, s_axis_b_tvalid, s_axis_b_tready;
  logic               s_axis_x_tvalid, s_axis_x_tready, s_axis_s_tvalid, s_axis_s_tready;
  logic               m_axis_h_tvalid, m_axis_h_tready, m_axis_h_tlast, m_axis_h_tuser;

  sharp_axi_top dut (.*);

  int errors = 0;
  int cycle = 0;
  task automatic error(input string msg);
    errors++;
    if (errors <= 50) $display("TB: ERROR at cycle %0d: %s", cycle, msg);
    else if (errors == 51) $display("TB: (further errors not shown)");
  endtask

  // ---------------------------------------------------------------- stimulus file
`include "tb_stimulus.svh"

  // Beats in the shell's layout: each element in its low EB (CB) bytes, little-endian.
  function automatic logic [K*EB*8-1:0] kbeat(input int fd, input string what);
    logic [K*EB*8-1:0] w;
    int e;
    w = '0;
    for (int i = 0; i < K; i++) begin
      e = read_i32(fd, what);
      for (int b = 0; b < EB; b++) w[(i*EB+b)*8 +: 8] = e[b*8 +: 8];
    end
    kbeat = w;
  endfunction
  function automatic logic [EB*8-1:0] bias(input int fd);
    int e;
    e = read_i32(fd, "biases");
    bias = e[EB*8-1:0];
  endfunction
  function automatic logic [SB*8-1:0] sbeat(input int fd);
    logic [SB*8-1:0] w;
    int e;
    w = '0;
    for (int l = 0; l < L; l++) begin
      e = read_i32(fd, "state");
      for (int b = 0; b < EB; b++) w[(l*EB+b)*8 +: 8] = e[b*8 +: 8];
    end
    for (int l = 0; l < L; l++) begin
      e = read_i32(fd, "state");
      for (int b = 0; b < CB; b++) w[(L*EB+l*CB+b)*8 +: 8] = e[b*8 +: 8];
    end
    sbeat = w;
  endfunction

  // ---------------------------------------------------------------- models, one cycle at a time
  int max_cycles = 2000000, valid_pct = 100, ready_pct = 100, seed = 1, flip_word = -1, words_out = 0;
  longint wi, bi, xi, si, oi, run_start, load_start, load_cycles;
  bit w_on, b_on, x_on, s_on, h_on;  // streams enabled (a transfer handed to the "DMA")
  // The AXI4-Lite transfer in flight.
  bit op_write, op_active, aw_done, w_done, ar_done, op_done;
  logic [31:0] op_addr, op_data, op_rdata;
  logic [1:0] op_resp;

  int rng_state = 1;
  function automatic bit chance(input int pct);
    int r;
    if (pct >= 100) return 1'b1;
    r = $random(rng_state);
    return ((r & 32'h7fffffff) % 100) < pct;
  endfunction

  task automatic check_known;
    // (^v === 1'bx: Icarus 11's $isunknown misreads concatenations.)
    if (^{s_axi_awready, s_axi_wready, s_axi_bvalid, s_axi_arready, s_axi_rvalid, irq, s_axis_w_tready,
          s_axis_b_tready, s_axis_x_tready, s_axis_s_tready, m_axis_h_tvalid} === 1'bx)
      error($sformatf("X/Z on a READY, a VALID or irq: awready %b wready %b bvalid %b arready %b rvalid %b irq %b, tready w %b b %b x %b s %b, m_axis_h_tvalid %b",
                      s_axi_awready, s_axi_wready, s_axi_bvalid, s_axi_arready, s_axi_rvalid, irq, s_axis_w_tready,
                      s_axis_b_tready, s_axis_x_tready, s_axis_s_tready, m_axis_h_tvalid));
    if (s_axi_bvalid === 1'b1 && $isunknown(s_axi_bresp)) error("X/Z on BRESP");
    if (s_axi_rvalid === 1'b1 && ^{s_axi_rresp, s_axi_rdata} === 1'bx)
      error($sformatf("X/Z on RDATA/RRESP: %b %b (address %h)", s_axi_rdata, s_axi_rresp, op_addr));
    if (m_axis_h_tvalid === 1'b1 && ^{m_axis_h_tdata, m_axis_h_tkeep, m_axis_h_tlast, m_axis_h_tuser} === 1'bx)
      error("X/Z on the output stream's TDATA/TKEEP/TLAST/TUSER while TVALID");
  endtask

  // One cycle: drive the masters, settle, check, take the handshakes at the rising edge.
  task automatic step;
    bit awf, wf, bf, arf, rf, wsf, bsf, xsf, ssf, hf;
    int word;
    if (op_active && op_write) begin
      if (!aw_done && !s_axi_awvalid) s_axi_awvalid = chance(valid_pct);
      if (!w_done && !s_axi_wvalid) s_axi_wvalid = chance(valid_pct);
    end
    if (op_active && !op_write && !ar_done && !s_axi_arvalid) s_axi_arvalid = chance(valid_pct);
    s_axi_awaddr = op_addr[9:0];
    s_axi_araddr = op_addr[9:0];
    s_axi_wdata  = op_data;
    s_axi_wstrb  = 4'hf;
    s_axi_bready = chance(ready_pct);
    s_axi_rready = chance(ready_pct);
    if (!s_axis_w_tvalid) s_axis_w_tvalid = w_on && wi < nw && chance(valid_pct);
    if (!s_axis_b_tvalid) s_axis_b_tvalid = b_on && bi < nb && chance(valid_pct);
    if (!s_axis_x_tvalid) s_axis_x_tvalid = x_on && xi < nx && chance(valid_pct);
    if (!s_axis_s_tvalid) s_axis_s_tvalid = s_on && si < ns && chance(valid_pct);
    m_axis_h_tready = h_on && chance(ready_pct);
    #1;
    if (aresetn === 1'b1) check_known;
    awf = s_axi_awvalid && s_axi_awready === 1'b1;
    wf  = s_axi_wvalid && s_axi_wready === 1'b1;
    bf  = s_axi_bvalid === 1'b1 && s_axi_bready;
    arf = s_axi_arvalid && s_axi_arready === 1'b1;
    rf  = s_axi_rvalid === 1'b1 && s_axi_rready;
    wsf = s_axis_w_tvalid && s_axis_w_tready === 1'b1;
    bsf = s_axis_b_tvalid && s_axis_b_tready === 1'b1;
    xsf = s_axis_x_tvalid && s_axis_x_tready === 1'b1;
    ssf = s_axis_s_tvalid && s_axis_s_tready === 1'b1;
    hf  = m_axis_h_tvalid === 1'b1 && m_axis_h_tready;
    if (hf) begin
      for (int l = 0; l < L; l++) begin
        word = $signed(m_axis_h_tdata[l*EB*8 +: EB*8]);
        if (words_out == flip_word) word[0] = ~word[0];
        $fwrite(fd_out, "%u", word);
        words_out++;
      end
      for (int l = 0; l < L; l++) begin
        word = $signed(m_axis_h_tdata[(L*EB + l*CB)*8 +: CB*8]);
        if (words_out == flip_word) word[0] = ~word[0];
        $fwrite(fd_out, "%u", word);
        words_out++;
      end
      oi++;
    end
    if (bf && op_active && op_write && aw_done && w_done) begin
      op_done = 1'b1;
      op_resp = s_axi_bresp;
    end
    if (rf && op_active && !op_write && ar_done) begin
      op_done  = 1'b1;
      op_resp  = s_axi_rresp;
      op_rdata = s_axi_rdata;
    end
    aclk = 1'b1;
    #5;
    aclk = 1'b0;
    #4;
    cycle++;
    if (awf) begin aw_done = 1'b1; s_axi_awvalid = 1'b0; end
    if (wf) begin w_done = 1'b1; s_axi_wvalid = 1'b0; end
    if (arf) begin ar_done = 1'b1; s_axi_arvalid = 1'b0; end
    if (wsf) begin wi++; s_axis_w_tvalid = 1'b0; if (wi < nw) s_axis_w_tdata = kbeat(fd_w, "weights"); end
    if (bsf) begin bi++; s_axis_b_tvalid = 1'b0; if (bi < nb) s_axis_b_tdata = bias(fd_b); end
    if (xsf) begin xi++; s_axis_x_tvalid = 1'b0; if (xi < nx) s_axis_x_tdata = kbeat(fd_x, "x"); end
    if (ssf) begin si++; s_axis_s_tvalid = 1'b0; if (si < ns) s_axis_s_tdata = sbeat(fd_s); end
    if (cycle > max_cycles) begin
      $display("TB: FAIL: timeout after %0d cycles (%0d of %0d output beats)", cycle, oi, out_beats);
      $finish;
    end
  endtask

  // A blocking AXI4-Lite transfer (the streams go on meanwhile).
  task automatic axil(input bit write, input int word_addr, input logic [31:0] data, output logic [31:0] rdata,
                      output logic [1:0] resp);
    op_write  = write;
    op_addr   = 32'(word_addr) * 4;
    op_data   = data;
    op_active = 1'b1;
    op_done   = 1'b0;
    aw_done   = 1'b0;
    w_done    = 1'b0;
    ar_done   = 1'b0;
    while (!op_done) step;
    op_active = 1'b0;
    rdata = op_rdata;
    resp  = op_resp;
  endtask
  task automatic wr(input int a, input logic [31:0] v);
    logic [31:0] r;
    logic [1:0] resp;
    axil(1'b1, a, v, r, resp);
    if (resp !== 2'b00) error($sformatf("write of %s answered %b", reg_name(a), resp));
  endtask
  task automatic rd(input int a, output logic [31:0] v);
    logic [1:0] resp;
    axil(1'b0, a, 32'd0, v, resp);
    if (resp !== 2'b00) error($sformatf("read of %s answered %b", reg_name(a), resp));
  endtask

  // Every word address: OKAY with known data where the map has a readable register, SLVERR
  // with RDATA 0 elsewhere (unmapped, or the write-only CTRL).
  task automatic check_all_registers(input string when);
    logic [31:0] v;
    logic [1:0] resp;
    bit readable;
    for (int a = 0; a < 256; a++) begin
      axil(1'b0, a, 32'd0, v, resp);
      readable = reg_name(a) != "" && a != kRegCTRL;
      if (readable && (resp !== 2'b00 || ^v === 1'bx))
        error($sformatf("%s: %s reads %b with response %b", when, reg_name(a), v, resp));
      if (!readable && (resp !== 2'b10 || v !== 32'd0))
        error($sformatf("%s: word 0x%02h (unmapped or write-only) answered %b with %h, expected SLVERR and 0", when,
                        a, resp, v));
    end
  endtask

  task automatic read64(input int lo, output logic [63:0] v);
    logic [31:0] a, b;
    rd(lo, a);
    rd(lo + 1, b);
    v = {b, a};
  endtask

  initial begin
    int unused;
    logic [31:0] v, status;

    if (!$value$plusargs("stim=%s", stim_path) || !$value$plusargs("out=%s", out_path)) begin
      $display("TB: FAIL: +stim=FILE and +out=FILE are required");
      $finish;
    end
    unused = $value$plusargs("max_cycles=%d", max_cycles);
    unused = $value$plusargs("valid_pct=%d", valid_pct);
    unused = $value$plusargs("ready_pct=%d", ready_pct);
    if ($value$plusargs("seed=%d", seed)) rng_state = seed;
    unused = $value$plusargs("flip_word=%d", flip_word);

    open_stimulus;
    $display("TB: AXI shell, H=%0d X=%0d T=%0d width=%0d: expecting %0d output beats", H, X, T, width, out_beats);

    s_axi_awvalid = 1'b0;
    s_axi_wvalid = 1'b0;
    s_axi_arvalid = 1'b0;
    s_axis_w_tvalid = 1'b0;
    s_axis_b_tvalid = 1'b0;
    s_axis_x_tvalid = 1'b0;
    s_axis_s_tvalid = 1'b0;
    s_axis_w_tdata = '0;
    s_axis_b_tdata = '0;
    s_axis_x_tdata = '0;
    s_axis_s_tdata = '0;
    {w_on, b_on, x_on, s_on, h_on} = '0;
    op_addr = '0;
    op_data = '0;
    aresetn = 1'b0;
    for (int i = 0; i < 4; i++) step;
    aresetn = 1'b1;
    step;
    check_all_registers("after reset");

    // sharp_load: HIDDEN, INPUT, WIDTH, LOAD_SLOT, CTRL.LOAD, ERROR; bias and weight beats; LOADED.
    wr(kRegIRQ_ENABLE, 32'd7);
    wr(kRegHIDDEN, H);
    wr(kRegINPUT, X);
    wr(kRegWIDTH, width);
    wr(kRegLOAD_SLOT, 0);
    load_start = cycle;
    wr(kRegCTRL, 32'd2);
    rd(kRegERROR, v);
    if (v !== 32'd0) error($sformatf("ERROR = %b after the load request", v));
    if (nw > 0) s_axis_w_tdata = kbeat(fd_w, "weights");
    if (nb > 0) s_axis_b_tdata = bias(fd_b);
    {w_on, b_on} = 2'b11;
    v = 0;
    while (v[0] !== 1'b1) rd(kRegLOADED, v);
    load_cycles = cycle - load_start;
    if (wi != nw || bi != nb) error($sformatf("loaded after %0d/%0d weight and %0d/%0d bias beats", wi, nw, bi, nb));
    rd(kRegIRQ_STATUS, v);
    if (v[2] !== 1'b1 || irq !== 1'b1) error("no load interrupt");
    wr(kRegIRQ_STATUS, 32'd7);

    // sharp_run: the run's registers, the output, state and input streams, CTRL.START, DONE.
    wr(kRegSTEPS, T);
    wr(kRegRUN_SLOT, 0);
    wr(kRegSTREAMS, streams);
    wr(kRegSTREAM_SLOTS, 0);
    wr(kRegWAVEFRONT, wave);
    wr(kRegCELL, cell_kind);
    wr(kRegINIT_STATE, init_state);
    if (nx > 0) s_axis_x_tdata = kbeat(fd_x, "x");
    if (ns > 0) s_axis_s_tdata = sbeat(fd_s);
    {x_on, s_on, h_on} = 3'b111;
    run_start = cycle;
    wr(kRegCTRL, 32'd1);
    rd(kRegERROR, v);
    if (v !== 32'd0) error($sformatf("ERROR = %b after the start request", v));
    status = 0;
    while (status[1] !== 1'b1) rd(kRegSTATUS, status);
    while (oi < out_beats) step;
    h_on = 1'b0;
    for (int i = 0; i < 8; i++) step;  // no beat beyond the run's
    if (oi != out_beats) error($sformatf("%0d output beats, expected %0d", oi, out_beats));
    if (xi != nx || si != ns) error($sformatf("the design took %0d/%0d x and %0d/%0d state beats", xi, nx, si, ns));
    rd(kRegIRQ_STATUS, v);
    if (v[0] !== 1'b1 || irq !== 1'b1) error("no done interrupt");
    $fclose(fd_out);

    check_all_registers("at the end");
    read_counters;
    rd(kRegSTATUS, status);
    if (errors == 0)
      $display("TB: PASS: %0d output beats through the AXI shell, %0d cycles; no X/Z on READY, VALID, responses or irq; every word address answered as the map says",
               oi, cycle);
    else
      $display("TB: FAIL: %0d errors, %0d output beats of %0d", errors, oi, out_beats);
    print_counters(status, load_cycles, cycle - run_start, oi, xi);
    $finish;
  end
endmodule
