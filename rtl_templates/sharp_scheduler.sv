// sharp_scheduler: the tile dispatcher. Work comes in two kinds of jobs per (step, row block):
//   W·x jobs: column blocks 0 .. CX-1 over x_t; they depend on no earlier step. Their sums
//             (with the bias) go to the accumulators' W·x bank, one slot per step.
//   U·h jobs: column blocks 0 .. CH-1 over h_{t-1}; they start from the banked W·x sum and,
//             when complete, hand the row block's gates to the activation unit.
// One tile (Rows x K) is issued per cycle; U·h tiles have priority, W·x tiles fill the cycles
// in which no U·h tile may go. A U·h tile may go when the W·x sums of its step are banked and
// the h_{t-1} elements it reads are written (a scoreboard: neurons complete in order, so a
// count of written neurons is enough). Schedule:
//   0 sequential  step t starts only when h_{t-1} is complete (W·x of t, then U·h of t);
//   1 intergate   U·h tiles go as soon as the h elements they read are ready; W·x of step t
//                 may run once every U·h tile of step t-1 has been issued;
//   2 unfolded    W·x of up to Lookahead future steps fills every cycle U·h cannot use.
// It also reserves output FIFO room before each U·h row block (credits), keeps U·h row blocks
// at least `serial` = Rk / (4 Lanes) cycles apart (activation throughput), and keeps the
// counters. The tile shape comes from sharp_reconfig at run time: Kw = 2^kshift columns,
// Rk = 2^rshift rows.
// Streams: a run of n streams computes n sequences of the layer, interleaved step by step.
// Virtual step v is step v / n of stream v % n; steps_i counts virtual steps. Its U·h tiles
// read h of virtual step v - n (h_{-1} = 0 for the first n), so the scoreboard stays one
// count: virtual steps complete in order, and U·h of v may go once v - n is complete or
// (schedules 1, 2) once the h elements it reads are. Each stream has its own two h banks and
// its own c words (issue_hbank_o = 2 stream + step parity for U·h tiles, 2 stream for W·x
// tiles: the core picks the stream's weight slot from it); x slots and W·x bank slots are per
// virtual step.
// Wavefront (wave_i = g, 1 .. n - 1; 0: off): the streams are the layers of a stack, skewed by
// one time slot per layer (g streams per layer: a batch of g sequences). Stream s of layer
// l = s / g computes its step t in time slot l + t, so its x is h of stream s - g (layer l - 1)
// of the previous time slot, virtual step v - n - g: its W·x tiles read that stream's h bank
// instead of an x slot (x = 0 in slot 0), and may go once v - n - g is complete
// (t_wx - hw_step < n + g). Stream s starts from h = c = 0 in slot 0 and again in slot l (its
// first real step); its slots before l and the lower layers' slots after their last step
// compute values the host discards. The loader allows it only when X = H. The x slots of such
// steps are still filled (the host sends a vector, never read).
// Cycle model: sharp::predict_cycles (generator/plan/src/plan.cpp) mirrors this module's
// registers one for one; a change here must change it too (the harness checks the CYCLES
// counter against it).
//   Rows       row units (rows per row block at the widest width)
//   K          widest dot-product width
//   Lanes      neurons per cycle in the activation unit
//   XSlots     x buffer slots (a power of two)
//   WxSlots    W·x bank slots (a power of two, > Lookahead + 1)
//   RbMax      largest number of row blocks
//   FifoDepth  output FIFO entries
//   RbBits     bits of a row-block index
//   WAw        bits of a weight-memory address
//   BkAw       bits of a W·x bank address
//   Schedule   0 sequential, 1 intergate, 2 unfolded (sharp::Plan::schedule_code, the values
//              of the C++ enum sharp::Schedule)
//   Lookahead  future steps of W·x under `unfolded`
//   Streams    largest number of streams of a run (1, 2, 4 or 8)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_scheduler #(
  parameter int Rows      = 0,
  parameter int K         = 0,
  parameter int Lanes     = 0,
  parameter int XSlots    = 0,
  parameter int WxSlots   = 0,
  parameter int RbMax     = 0,
  parameter int FifoDepth = 0,
  parameter int RbBits    = 0,
  parameter int WAw       = 0,
  parameter int BkAw      = 0,
  parameter int Schedule  = -1,
  parameter int Lookahead = -1,
  parameter int Streams   = 0
) (
  input  logic                                   clk_i,
  input  logic                                   rst_ni,
  // Control.
  input  logic                                   start_i,
  input  logic [15:0]                            hidden_i,
  input  logic [15:0]                            input_i,
  input  logic [31:0]                            steps_i,      // virtual steps: steps x streams
  input  logic [3:0]                             streams_i,    // n, 1 .. Streams
  input  logic [3:0]                             wave_i,       // g: wavefront (0 off, else < n)
  input  logic                                   init_i,       // h_{-1} loaded by the host (no wavefront)
  input  logic [15:0]                            rb_count_i,
  input  logic [15:0]                            cx_i,
  input  logic [15:0]                            ch_i,
  input  logic [15:0]                            cb_i,
  input  logic [15:0]                            groups_i,
  input  logic [7:0]                             kshift_i,
  input  logic [15:0]                            rows_blk_i,
  input  logic [7:0]                             rshift_i,
  input  logic [15:0]                            serial_i,
  output logic                                   busy_o,
  output logic                                   done_o,
  // x availability: steps fully loaded, and steps whose x is no longer needed.
  input  logic [31:0]                            x_loaded_i,
  output logic [31:0]                            x_released_o,
  // h writes by the cell updater (neurons written so far in the step), step completion,
  // and output FIFO pops.
  input  logic                                   h_write_i,
  input  logic [31:0]                            h_written_i,
  input  logic                                   step_done_i,
  input  logic                                   pop_i,
  // The tile issued this cycle.
  output logic                                   issue_valid_o,
  output logic                                   issue_uh_o,
  output logic                                   issue_first_o,
  output logic                                   issue_last_o,
  output logic                                   issue_step_last_o,
  output logic                                   issue_first_step_o,
  output logic [$clog2(2*Streams)-1:0]           issue_hbank_o,
  // The vector the tile reads: an h bank (U·h tiles, and W·x tiles of a wavefront's later
  // layers) or the x slot.
  output logic                                   issue_rd_h_o,
  output logic [$clog2(2*Streams)-1:0]           issue_rd_bank_o,
  output logic [RbBits-1:0]                      issue_rb_o,
  output logic [WAw-1:0]                         issue_waddr_o,
  output logic [BkAw-1:0]                        issue_bank_addr_o,
  output logic [15:0]                            issue_word_o,
  output logic [((XSlots > 1) ? $clog2(XSlots) : 1)-1:0] issue_xslot_o,
  output logic [$clog2(K+1)-1:0]                 issue_count_o,
  // Performance counters (reset at start).
  output logic [63:0]                            cnt_cycles_o,
  output logic [63:0]                            cnt_active_o,
  output logic [63:0]                            cnt_macs_o,
  output logic [63:0]                            cnt_stall_input_o,
  output logic [63:0]                            cnt_stall_h_o,
  output logic [63:0]                            cnt_stall_drain_o,
  output logic [63:0]                            cnt_stall_output_o,
  output logic [63:0]                            cnt_stall_act_o
);
  localparam int CntW   = $clog2(K + 1);
  localparam int SlotW  = (XSlots > 1) ? $clog2(XSlots) : 1;
  localparam int WsW    = (WxSlots > 1) ? $clog2(WxSlots) : 1;
  localparam int CredW  = $clog2(FifoDepth + 1) + 1;
  localparam int DifW   = 8;   // step differences: 0 .. max(Lookahead, Streams) + 1
  localparam int HbW    = $clog2(2 * Streams);
  localparam int SW     = (Streams > 1) ? $clog2(Streams) : 1;

  `SHARP_CHECK(gen_param_check, Rows >= 4 && K >= 2 && Lanes >= 1 && XSlots >= 2 && WxSlots >= 2 && FifoDepth >= 2 &&
               RbBits >= 1 && WAw >= 1 && BkAw >= 1 && Schedule >= 0 && Schedule <= 2 && Lookahead >= 0 &&
               Lookahead < 100 && Streams >= 1 && Streams <= 8 && (Schedule != 2 || (WxSlots >= Lookahead + 2 && XSlots >= Lookahead + 2)),
               "sharp_scheduler: illegal parameters")

  typedef enum logic [1:0] {
    // Waiting for start.
    StIdle,
    // Issuing tiles until every U·h tile is issued and h of the last step is written.
    StRun,
    // One cycle of done.
    StDone
  } state_e;

  state_e state_q, state_d;

  // Timing structure: every decision below reads registers only (the tiling inputs are
  // registers of sharp_core, stable during a run), and every comparison against a run-time
  // bound is kept as a flag register updated one step ahead, so that the issue decision is a
  // few gates deep. Step counters appear only as small differences:
  //   lag  = t_uh - hw_step   (0 .. n + 1: U·h issue is at most n + 1 steps ahead of h)
  //   ewx  = wx_ready - t_uh  (W·x steps banked ahead of the U·h step)
  //   fwx  = t_wx - t_uh      (W·x steps issued ahead of the U·h step)
  // The issued tile leaves through a register stage (one cycle of latency, which the cycle
  // model counts), and the MAC counter adds its products two cycles later.

  // U·h side: step, row block, column block, weight address of the row block.
  logic [31:0]    t_uh_q, t_uh_d;
  logic [15:0]    rb_uh_q, rb_uh_d, cb_uh_q, cb_uh_d;
  logic [WAw-1:0] base_uh_q, base_uh_d;
  logic           uh_left_q, uh_left_d, uh_first_q, uh_first_d, uh_last_q, uh_last_d;
  logic           uh_rb_last_q, uh_rb_last_d;
  logic [16:0]    need_q, need_d;          // h elements the tile reads: min((cb + 1) Kw, hidden)
  logic [16:0]    col_uh_q, col_uh_d;      // hidden - cb Kw: columns left from this block on
  logic [17:0]    row_uh_q, row_uh_d;      // 4 hidden - rb Rk: rows left from this block on
  // Stream of the U·h step, its step parity, and whether it is the stream's first step.
  logic [SW-1:0]  s_uh_q, s_uh_d;
  logic           par_uh_q, par_uh_d, fs_uh_q, fs_uh_d;
  // Wavefront: the U·h step's time slot (saturating at 15: layers are at most 7), its stream's
  // place in its layer (0 .. g - 1) and its layer, for the first-step flag.
  logic [3:0]     tau_uh_q, tau_uh_d, lay_uh_q, lay_uh_d;
  logic [2:0]     gc_uh_q, gc_uh_d;
  // W·x side.
  logic [31:0]    t_wx_q, t_wx_d;
  logic [15:0]    rb_wx_q, rb_wx_d, cb_wx_q, cb_wx_d;
  logic [WAw-1:0] base_wx_q, base_wx_d;
  logic           wx_left_q, wx_left_d, wx_first_q, wx_first_d, wx_last_q, wx_last_d;
  logic           wx_rb_last_q, wx_rb_last_d;
  logic [16:0]    col_wx_q, col_wx_d;
  logic [17:0]    row_wx_q, row_wx_d;
  logic [SW-1:0]  s_wx_q, s_wx_d;          // stream of the W·x step
  logic           par_wx_q, par_wx_d;      // its step parity
  logic           fs_wx_q, fs_wx_d;        // W·x step in time slot 0
  // wdist = t_wx - hw_step (0 .. Lookahead + n + 1): how far the W·x step is ahead of the
  // scoreboard (a wavefront's later layers read h of virtual step t_wx - g).
  logic [7:0]     wdist_q, wdist_d;
  // Steps whose W·x is issued, and the same one cycle later (banked and readable; also the
  // steps whose x is released, one cycle after their last tile left the issue register).
  logic [31:0]    wx_issued_q, wx_issued_d, wx_ready_q;
  logic           wx_inc_q;
  // Scoreboard: neurons written of the step after the last complete one (steps complete are
  // counted by lag).
  logic [16:0]    hw_cnt_q, hw_cnt_d;
  logic [DifW-1:0] lag_q, lag_d, ewx_q, ewx_d, fwx_q, fwx_d;
  // Cycles since the last U·h row block completed (saturating at serial_i), and >= serial_i.
  logic [15:0]    since_q, since_d;
  logic           since_ok_q, since_ok_d;
  // Output FIFO entries reserved and not yet popped; groups not yet reserved in the step, and
  // the groups the next first tile reserves: min(groups left, serial).
  logic [CredW-1:0] reserved_q, reserved_d;
  logic [15:0]    groups_left_q, groups_left_d, ngroups_q, ngroups_d;
  // Every U·h tile issued and every step reported complete, as of the previous cycle: the
  // scoreboard hears of h writes one cycle before they happen (sharp_core), so the run ends
  // one cycle after it hears of the last.
  logic           fin_q;

  // ---------------------------------------------------------------------------------------
  // The run's constants (registers of sharp_core).
  logic [16:0] width, hid17, inp17;
  logic [17:0] rows_step, rows_all;
  logic [16:0] need_first;
  logic [15:0] ng_full;
  assign width      = 17'd1 << kshift_i;
  assign hid17      = {1'b0, hidden_i};
  assign inp17      = {1'b0, input_i};
  assign rows_step  = 18'd1 << rshift_i;
  assign rows_all   = {hidden_i, 2'b00};
  assign need_first = (width < hid17) ? width : hid17;
  assign ng_full    = (groups_i >= serial_i) ? serial_i : groups_i;

  // ---------------------------------------------------------------------------------------
  // U·h candidate tile.
  logic h_ok, wx_ok, credit_ok, spacing_ok, uh_go;
  // n, the run's streams (1 in a single-stream design: the loader refuses any other count).
  logic [DifW-1:0] nstr;
  assign nstr = (Streams == 1) ? DifW'(1) : DifW'(streams_i);
  always_comb begin
    if (lag_q < nstr) h_ok = 1'b1;
    else if (Schedule != 0 && lag_q == nstr) h_ok = (hw_cnt_q >= need_q);
    else h_ok = 1'b0;
  end
  assign wx_ok      = (ewx_q != '0);
  assign credit_ok  = !uh_first_q || (32'(reserved_q) + 32'(ngroups_q) <= 32'(FifoDepth));
  assign spacing_ok = !uh_last_q || since_ok_q;
  assign uh_go      = (state_q == StRun) && uh_left_q && h_ok && wx_ok && credit_ok && spacing_ok;

  // W·x candidate tile.
  logic wx_window, x_ok, wx_go;
  assign x_ok = (x_loaded_i > t_wx_q);
  always_comb begin
    if (Schedule == 2) wx_window = (fwx_q <= DifW'(Lookahead));
    else if (Schedule == 1) wx_window = (fwx_q == '0);
    else wx_window = (fwx_q == '0) && (lag_q < nstr);
  end
  // Wavefront: W·x of stream s >= g reads h of virtual step t_wx - n - g, complete once
  // t_wx - hw_step < n + g.
  logic wf_src, wf_ok;
  assign wf_src = (Streams > 1) && (wave_i != 4'd0) && (4'(s_wx_q) >= wave_i);
  assign wf_ok  = !wf_src || (wdist_q < nstr + 8'(wave_i));
  assign wx_go = (state_q == StRun) && !uh_go && wx_left_q && wx_window && x_ok && wf_ok;

  logic issue, uh_step_adv, wx_step_adv, uh_rb_end;
  assign issue       = uh_go || wx_go;
  assign uh_rb_end   = uh_go && uh_last_q;
  assign uh_step_adv = uh_rb_end && uh_rb_last_q;
  assign wx_step_adv = wx_go && wx_last_q && wx_rb_last_q;
  // Weight addresses are WAw bits; the high bits of the 16-bit block count are always zero.
  logic unused_cb_high;
  assign unused_cb_high = ^cb_i ^ ^rows_blk_i ^ ^h_written_i[31:17];

  // ---------------------------------------------------------------------------------------
  // Geometry of each side's candidate tile (from registers, in parallel with the decision).
  logic [CntW-1:0] cnt_uh, cnt_wx;
  logic [16:0]     rv_uh, rv_wx;
  assign cnt_uh = (col_uh_q >= width) ? CntW'(width) : CntW'(col_uh_q);
  assign cnt_wx = (col_wx_q >= width) ? CntW'(width) : CntW'(col_wx_q);
  assign rv_uh  = (row_uh_q >= rows_step) ? 17'(rows_step) : 17'(row_uh_q);
  assign rv_wx  = (row_wx_q >= rows_step) ? 17'(rows_step) : 17'(row_wx_q);
  logic [WAw-1:0]  waddr_uh, waddr_wx;
  logic [BkAw-1:0] bank_uh, bank_wx;
  assign waddr_uh = base_uh_q + WAw'(cx_i) + WAw'(cb_uh_q);
  assign waddr_wx = base_wx_q + WAw'(cb_wx_q);
  assign bank_uh  = BkAw'(WsW'(t_uh_q)) * BkAw'(RbMax) + BkAw'(rb_uh_q);
  assign bank_wx  = BkAw'(WsW'(t_wx_q)) * BkAw'(RbMax) + BkAw'(rb_wx_q);

  // ---------------------------------------------------------------------------------------
  always_comb begin
    state_d       = state_q;
    t_uh_d        = t_uh_q;
    rb_uh_d       = rb_uh_q;
    cb_uh_d       = cb_uh_q;
    base_uh_d     = base_uh_q;
    uh_left_d     = uh_left_q;
    uh_first_d    = uh_first_q;
    uh_last_d     = uh_last_q;
    uh_rb_last_d  = uh_rb_last_q;
    need_d        = need_q;
    col_uh_d      = col_uh_q;
    row_uh_d      = row_uh_q;
    s_uh_d        = s_uh_q;
    par_uh_d      = par_uh_q;
    fs_uh_d       = fs_uh_q;
    tau_uh_d      = tau_uh_q;
    lay_uh_d      = lay_uh_q;
    gc_uh_d       = gc_uh_q;
    fs_wx_d       = fs_wx_q;
    t_wx_d        = t_wx_q;
    rb_wx_d       = rb_wx_q;
    cb_wx_d       = cb_wx_q;
    base_wx_d     = base_wx_q;
    wx_left_d     = wx_left_q;
    wx_first_d    = wx_first_q;
    wx_last_d     = wx_last_q;
    wx_rb_last_d  = wx_rb_last_q;
    col_wx_d      = col_wx_q;
    row_wx_d      = row_wx_q;
    s_wx_d        = s_wx_q;
    par_wx_d      = par_wx_q;
    wx_issued_d   = wx_issued_q;
    hw_cnt_d      = hw_cnt_q;
    since_d       = since_ok_q ? since_q : since_q + 16'd1;
    since_ok_d    = since_ok_q || (since_q + 16'd1 >= serial_i);
    groups_left_d = groups_left_q;
    ngroups_d     = ngroups_q;
    reserved_d    = reserved_q - CredW'(pop_i) + ((uh_go && uh_first_q) ? CredW'(ngroups_q) : CredW'(0));
    lag_d         = lag_q + DifW'(uh_step_adv) - DifW'(step_done_i);
    ewx_d         = ewx_q + DifW'(wx_inc_q) - DifW'(uh_step_adv);
    fwx_d         = fwx_q + DifW'(wx_step_adv) - DifW'(uh_step_adv);
    wdist_d       = wdist_q + 8'(wx_step_adv) - 8'(step_done_i);

    // Scoreboard.
    if (step_done_i) begin
      hw_cnt_d = '0;
    end else if (h_write_i) begin
      hw_cnt_d = h_written_i[16:0];
    end

    case (state_q)
      StIdle: begin
        if (start_i) begin
          state_d       = StRun;
          t_uh_d        = '0;
          rb_uh_d       = '0;
          cb_uh_d       = '0;
          base_uh_d     = '0;
          uh_left_d     = (steps_i != 32'd0);
          uh_first_d    = 1'b1;
          uh_last_d     = (ch_i == 16'd1);
          uh_rb_last_d  = (rb_count_i == 16'd1);
          need_d        = need_first;
          col_uh_d      = hid17;
          row_uh_d      = rows_all;
          s_uh_d        = '0;
          par_uh_d      = 1'b0;
          fs_uh_d       = 1'b1;
          tau_uh_d      = '0;
          lay_uh_d      = '0;
          gc_uh_d       = '0;
          fs_wx_d       = 1'b1;
          t_wx_d        = '0;
          rb_wx_d       = '0;
          cb_wx_d       = '0;
          base_wx_d     = '0;
          wx_left_d     = (steps_i != 32'd0);
          wx_first_d    = 1'b1;
          wx_last_d     = (cx_i == 16'd1);
          wx_rb_last_d  = (rb_count_i == 16'd1);
          col_wx_d      = inp17;
          row_wx_d      = rows_all;
          s_wx_d        = '0;
          par_wx_d      = 1'b0;
          wdist_d       = '0;
          wx_issued_d   = '0;
          hw_cnt_d      = '0;
          since_d       = serial_i;
          since_ok_d    = 1'b1;
          groups_left_d = groups_i;
          ngroups_d     = ng_full;
          lag_d         = '0;
          ewx_d         = '0;
          fwx_d         = '0;
        end
      end

      StRun: begin
        if (uh_go) begin
          if (uh_first_q) begin
            groups_left_d = groups_left_q - ngroups_q;
            ngroups_d     = (groups_left_q - ngroups_q >= serial_i) ? serial_i : groups_left_q - ngroups_q;
          end
          if (!uh_last_q) begin
            cb_uh_d    = cb_uh_q + 16'd1;
            uh_first_d = 1'b0;
            uh_last_d  = (cb_uh_q + 16'd1 == ch_i - 16'd1);
            need_d     = (need_q + width < hid17) ? need_q + width : hid17;
            col_uh_d   = col_uh_q - width;
          end else begin
            cb_uh_d    = '0;
            uh_first_d = 1'b1;
            uh_last_d  = (ch_i == 16'd1);
            need_d     = need_first;
            col_uh_d   = hid17;
            since_d    = 16'd1;
            since_ok_d = (serial_i <= 16'd1);
            if (uh_rb_last_q) begin
              t_uh_d        = t_uh_q + 32'd1;
              uh_left_d     = (t_uh_q + 32'd1 < steps_i);
              rb_uh_d       = '0;
              uh_rb_last_d  = (rb_count_i == 16'd1);
              row_uh_d      = rows_all;
              base_uh_d     = '0;
              groups_left_d = groups_i;
              ngroups_d     = ng_full;
              if (Streams == 1 || 32'(s_uh_q) + 32'd1 == 32'(streams_i)) begin
                s_uh_d   = '0;
                par_uh_d = !par_uh_q;
                fs_uh_d  = 1'b0;
                tau_uh_d = (tau_uh_q == 4'd15) ? tau_uh_q : tau_uh_q + 4'd1;
                lay_uh_d = '0;
                gc_uh_d  = '0;
              end else begin
                s_uh_d = s_uh_q + SW'(1);
                // Wavefront: the next stream's layer, and whether this slot is its first.
                if (4'(gc_uh_q) + 4'd1 == wave_i) begin
                  gc_uh_d  = '0;
                  lay_uh_d = lay_uh_q + 4'd1;
                end else begin
                  gc_uh_d = gc_uh_q + 3'd1;
                end
                fs_uh_d = (tau_uh_q == 4'd0) || (wave_i != 4'd0 && tau_uh_q == lay_uh_d);
              end
            end else begin
              rb_uh_d      = rb_uh_q + 16'd1;
              uh_rb_last_d = (rb_uh_q + 16'd1 == rb_count_i - 16'd1);
              row_uh_d     = row_uh_q - rows_step;
              base_uh_d    = base_uh_q + WAw'(cb_i);
            end
          end
        end else if (wx_go) begin
          if (!wx_last_q) begin
            cb_wx_d    = cb_wx_q + 16'd1;
            wx_first_d = 1'b0;
            wx_last_d  = (cb_wx_q + 16'd1 == cx_i - 16'd1);
            col_wx_d   = col_wx_q - width;
          end else begin
            cb_wx_d    = '0;
            wx_first_d = 1'b1;
            wx_last_d  = (cx_i == 16'd1);
            col_wx_d   = inp17;
            if (wx_rb_last_q) begin
              t_wx_d       = t_wx_q + 32'd1;
              wx_left_d    = (t_wx_q + 32'd1 < steps_i);
              rb_wx_d      = '0;
              wx_rb_last_d = (rb_count_i == 16'd1);
              row_wx_d     = rows_all;
              base_wx_d    = '0;
              wx_issued_d  = wx_issued_q + 32'd1;
              if (Streams == 1 || 32'(s_wx_q) + 32'd1 == 32'(streams_i)) begin
                s_wx_d   = '0;
                par_wx_d = !par_wx_q;
                fs_wx_d  = 1'b0;
              end else begin
                s_wx_d = s_wx_q + SW'(1);
              end
            end else begin
              rb_wx_d      = rb_wx_q + 16'd1;
              wx_rb_last_d = (rb_wx_q + 16'd1 == rb_count_i - 16'd1);
              row_wx_d     = row_wx_q - rows_step;
              base_wx_d    = base_wx_q + WAw'(cb_i);
            end
          end
        end
        if (fin_q) state_d = StDone;
      end

      StDone: begin
        state_d = StIdle;
      end

      default: begin
        state_d = StIdle;
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= StIdle;
      t_uh_q        <= '0;
      rb_uh_q       <= '0;
      cb_uh_q       <= '0;
      base_uh_q     <= '0;
      uh_left_q     <= 1'b0;
      uh_first_q    <= 1'b1;
      uh_last_q     <= 1'b0;
      uh_rb_last_q  <= 1'b0;
      need_q        <= '0;
      col_uh_q      <= '0;
      row_uh_q      <= '0;
      s_uh_q        <= '0;
      par_uh_q      <= 1'b0;
      fs_uh_q       <= 1'b0;
      tau_uh_q      <= '0;
      lay_uh_q      <= '0;
      gc_uh_q       <= '0;
      fs_wx_q       <= 1'b0;
      t_wx_q        <= '0;
      rb_wx_q       <= '0;
      cb_wx_q       <= '0;
      base_wx_q     <= '0;
      wx_left_q     <= 1'b0;
      wx_first_q    <= 1'b1;
      wx_last_q     <= 1'b0;
      wx_rb_last_q  <= 1'b0;
      col_wx_q      <= '0;
      row_wx_q      <= '0;
      s_wx_q        <= '0;
      par_wx_q      <= 1'b0;
      wdist_q       <= '0;
      wx_issued_q   <= '0;
      wx_ready_q    <= '0;
      wx_inc_q      <= 1'b0;
      hw_cnt_q      <= '0;
      lag_q         <= '0;
      ewx_q         <= '0;
      fwx_q         <= '0;
      since_q       <= '0;
      since_ok_q    <= 1'b0;
      reserved_q    <= '0;
      groups_left_q <= '0;
      ngroups_q     <= '0;
      fin_q         <= 1'b0;
    end else begin
      state_q       <= state_d;
      t_uh_q        <= t_uh_d;
      rb_uh_q       <= rb_uh_d;
      cb_uh_q       <= cb_uh_d;
      base_uh_q     <= base_uh_d;
      uh_left_q     <= uh_left_d;
      uh_first_q    <= uh_first_d;
      uh_last_q     <= uh_last_d;
      uh_rb_last_q  <= uh_rb_last_d;
      need_q        <= need_d;
      col_uh_q      <= col_uh_d;
      row_uh_q      <= row_uh_d;
      s_uh_q        <= s_uh_d;
      par_uh_q      <= par_uh_d;
      fs_uh_q       <= fs_uh_d;
      tau_uh_q      <= tau_uh_d;
      lay_uh_q      <= lay_uh_d;
      gc_uh_q       <= gc_uh_d;
      fs_wx_q       <= fs_wx_d;
      t_wx_q        <= t_wx_d;
      rb_wx_q       <= rb_wx_d;
      cb_wx_q       <= cb_wx_d;
      base_wx_q     <= base_wx_d;
      wx_left_q     <= wx_left_d;
      wx_first_q    <= wx_first_d;
      wx_last_q     <= wx_last_d;
      wx_rb_last_q  <= wx_rb_last_d;
      col_wx_q      <= col_wx_d;
      row_wx_q      <= row_wx_d;
      s_wx_q        <= s_wx_d;
      par_wx_q      <= par_wx_d;
      wdist_q       <= wdist_d;
      wx_issued_q   <= wx_issued_d;
      // One cycle behind the issue count: the bank write of the last W·x tile precedes the
      // bank read of the first U·h tile that depends on it.
      wx_ready_q    <= (state_q == StIdle) ? 32'd0 : wx_issued_q;
      wx_inc_q      <= (state_q != StIdle) && (wx_issued_d != wx_issued_q);
      hw_cnt_q      <= hw_cnt_d;
      lag_q         <= lag_d;
      ewx_q         <= ewx_d;
      fwx_q         <= fwx_d;
      since_q       <= since_d;
      since_ok_q    <= since_ok_d;
      reserved_q    <= reserved_d;
      groups_left_q <= groups_left_d;
      ngroups_q     <= ngroups_d;
      fin_q         <= (state_q == StRun) && !uh_left_q && (lag_q == '0);
    end
  end

  // ---------------------------------------------------------------------------------------
  // The issue register: the decided tile, one cycle later.
  logic            is_valid_q, is_uh_q, is_first_q, is_last_q, is_step_last_q, is_first_step_q;
  logic [HbW-1:0]  is_hbank_q, is_rd_bank_q;
  logic            is_rd_h_q;
  logic [RbBits-1:0] is_rb_q;
  logic [WAw-1:0]  is_waddr_q;
  logic [BkAw-1:0] is_bank_q;
  logic [15:0]     is_word_q;
  logic [SlotW-1:0] is_xslot_q;
  logic [CntW-1:0] is_count_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      is_valid_q      <= 1'b0;
      is_uh_q         <= 1'b0;
      is_first_q      <= 1'b0;
      is_last_q       <= 1'b0;
      is_step_last_q  <= 1'b0;
      is_first_step_q <= 1'b0;
      is_hbank_q      <= '0;
      is_rd_h_q       <= 1'b0;
      is_rd_bank_q    <= '0;
      is_rb_q         <= '0;
      is_waddr_q      <= '0;
      is_bank_q       <= '0;
      is_word_q       <= '0;
      is_xslot_q      <= '0;
      is_count_q      <= '0;
    end else begin
      is_valid_q      <= issue;
      is_uh_q         <= uh_go;
      is_first_q      <= uh_go ? uh_first_q : wx_first_q;
      is_last_q       <= uh_go ? uh_last_q : wx_last_q;
      is_step_last_q  <= uh_step_adv;
      // The stream's first step (U·h tiles only) and its h bank (W·x tiles: the stream alone).
      is_first_step_q <= uh_go && fs_uh_q;
      is_hbank_q      <= uh_go ? HbW'({s_uh_q, par_uh_q}) : HbW'({s_wx_q, 1'b0});
      // U·h: h of the stream's previous step; wavefront W·x: h of stream s - g, previous slot.
      is_rd_h_q       <= uh_go || wf_src;
      is_rd_bank_q    <= uh_go ? HbW'({s_uh_q, !par_uh_q}) : HbW'({s_wx_q - SW'(wave_i), !par_wx_q});
      is_rb_q         <= RbBits'(uh_go ? rb_uh_q : rb_wx_q);
      is_waddr_q      <= uh_go ? waddr_uh : waddr_wx;
      is_bank_q       <= uh_go ? bank_uh : bank_wx;
      is_word_q       <= uh_go ? cb_uh_q : cb_wx_q;
      is_xslot_q      <= SlotW'(t_wx_q);
      // h_{-1} = 0: a stream's first step's U·h tiles read nothing, unless the host loaded
      // h_{-1} into the bank they read (init_i) (and x = 0 for a wavefront's later layers in
      // time slot 0).
      is_count_q      <= uh_go ? ((fs_uh_q && !init_i) ? '0 : cnt_uh) : ((wf_src && fs_wx_q) ? '0 : cnt_wx);
    end
  end

  // ---------------------------------------------------------------------------------------
  // Counters. An idle running cycle is charged to one cause, in this order: nothing left to
  // issue (drain), output room, activation spacing, x not loaded, h not ready, other (drain).
  // The causes and the tile's MACs are registered first (counts settle within three cycles
  // of the last tile, long before done).
  logic st_output, st_act, st_input, st_h;
  assign st_output = uh_left_q && h_ok && wx_ok && !credit_ok;
  assign st_act    = uh_left_q && h_ok && wx_ok && credit_ok && !spacing_ok;
  assign st_input  = wx_left_q && wx_window && !x_ok;
  // (A U·h tile waiting for W·x sums that wait for a wavefront's h waits for h too.)
  assign st_h      = uh_left_q && (!h_ok || (!wx_ok && wx_left_q && !wf_ok));

  logic        ev_active_q, ev_drain_q, ev_out_q, ev_act_q, ev_in_q, ev_h_q, ev_mac_q;
  logic [16:0] ev_rows_q;
  logic [CntW-1:0] ev_cnt_q;
  logic [33:0] ev_prod_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ev_active_q <= 1'b0;
      ev_drain_q  <= 1'b0;
      ev_out_q    <= 1'b0;
      ev_act_q    <= 1'b0;
      ev_in_q     <= 1'b0;
      ev_h_q      <= 1'b0;
      ev_mac_q    <= 1'b0;
      ev_rows_q   <= '0;
      ev_cnt_q    <= '0;
      ev_prod_q   <= '0;
    end else begin
      ev_active_q <= issue;
      ev_drain_q  <= (state_q == StRun) && !issue && (!uh_left_q || !(st_output || st_act || st_input || st_h));
      ev_out_q    <= (state_q == StRun) && !issue && uh_left_q && st_output;
      ev_act_q    <= (state_q == StRun) && !issue && uh_left_q && !st_output && st_act;
      ev_in_q     <= (state_q == StRun) && !issue && uh_left_q && !st_output && !st_act && st_input;
      ev_h_q      <= (state_q == StRun) && !issue && uh_left_q && !st_output && !st_act && !st_input && st_h;
      ev_rows_q   <= issue ? (uh_go ? rv_uh : rv_wx) : '0;
      ev_cnt_q    <= issue ? (uh_go ? cnt_uh : cnt_wx) : '0;
      ev_prod_q   <= 34'(ev_rows_q) * 34'(ev_cnt_q);
      ev_mac_q    <= ev_active_q;
    end
  end

  logic [63:0] cycles_q, active_q, macs_q, st_in_q, st_h_q, st_drain_q, st_out_q, st_act_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycles_q   <= '0;
      active_q   <= '0;
      macs_q     <= '0;
      st_in_q    <= '0;
      st_h_q     <= '0;
      st_drain_q <= '0;
      st_out_q   <= '0;
      st_act_q   <= '0;
    end else if (state_q == StIdle && start_i) begin
      cycles_q   <= '0;
      active_q   <= '0;
      macs_q     <= '0;
      st_in_q    <= '0;
      st_h_q     <= '0;
      st_drain_q <= '0;
      st_out_q   <= '0;
      st_act_q   <= '0;
    end else begin
      if (state_q != StIdle) cycles_q <= cycles_q + 64'd1;
      if (ev_active_q) active_q <= active_q + 64'd1;
      if (ev_mac_q) macs_q <= macs_q + 64'(ev_prod_q);
      if (ev_drain_q) st_drain_q <= st_drain_q + 64'd1;
      if (ev_out_q) st_out_q <= st_out_q + 64'd1;
      if (ev_act_q) st_act_q <= st_act_q + 64'd1;
      if (ev_in_q) st_in_q <= st_in_q + 64'd1;
      if (ev_h_q) st_h_q <= st_h_q + 64'd1;
    end
  end

  assign busy_o       = (state_q != StIdle);
  assign done_o       = (state_q == StDone);
  assign x_released_o = wx_ready_q;

  assign issue_valid_o      = is_valid_q;
  assign issue_uh_o         = is_uh_q;
  assign issue_first_o      = is_first_q;
  assign issue_last_o       = is_last_q;
  assign issue_step_last_o  = is_step_last_q;
  assign issue_first_step_o = is_first_step_q;
  assign issue_hbank_o      = is_hbank_q;
  assign issue_rd_h_o       = is_rd_h_q;
  assign issue_rd_bank_o    = is_rd_bank_q;
  assign issue_rb_o         = is_rb_q;
  assign issue_waddr_o      = is_waddr_q;
  assign issue_bank_addr_o  = is_bank_q;
  assign issue_word_o       = is_word_q;
  assign issue_xslot_o      = is_xslot_q;
  assign issue_count_o      = is_count_q;

  assign cnt_cycles_o       = cycles_q;
  assign cnt_active_o       = active_q;
  assign cnt_macs_o         = macs_q;
  assign cnt_stall_input_o  = st_in_q;
  assign cnt_stall_h_o      = st_h_q;
  assign cnt_stall_drain_o  = st_drain_q;
  assign cnt_stall_output_o = st_out_q;
  assign cnt_stall_act_o    = st_act_q;
endmodule
