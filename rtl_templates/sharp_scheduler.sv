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
  parameter int Lookahead = -1
) (
  input  logic                                   clk_i,
  input  logic                                   rst_ni,
  // Control.
  input  logic                                   start_i,
  input  logic [15:0]                            hidden_i,
  input  logic [15:0]                            input_i,
  input  logic [31:0]                            steps_i,
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
  output logic                                   issue_parity_o,
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

  `SHARP_CHECK(gen_param_check, Rows >= 4 && K >= 2 && Lanes >= 1 && XSlots >= 2 && WxSlots >= 2 && FifoDepth >= 2 &&
               RbBits >= 1 && WAw >= 1 && BkAw >= 1 && Schedule >= 0 && Schedule <= 2 && Lookahead >= 0 &&
               (Schedule != 2 || (WxSlots >= Lookahead + 2 && XSlots >= Lookahead + 2)),
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

  // U·h side: step, row block, column block, weight address of the row block.
  logic [31:0]    t_uh_q, t_uh_d;
  logic [15:0]    rb_uh_q, rb_uh_d, cb_uh_q, cb_uh_d;
  logic [WAw-1:0] base_uh_q, base_uh_d;
  // W·x side.
  logic [31:0]    t_wx_q, t_wx_d;
  logic [15:0]    rb_wx_q, rb_wx_d, cb_wx_q, cb_wx_d;
  logic [WAw-1:0] base_wx_q, base_wx_d;
  // Steps whose W·x is issued, and the same two cycles later (banked and readable).
  logic [31:0]    wx_issued_q, wx_issued_d, wx_ready_q;
  // Scoreboard: steps whose h is complete, neurons written of the next one.
  logic [31:0]    hw_step_q, hw_step_d, hw_cnt_q, hw_cnt_d;
  // Cycles since the last U·h row block completed (saturating at serial_i).
  logic [15:0]    since_q, since_d;
  // Output FIFO entries reserved and not yet popped; groups not yet reserved in the step.
  logic [CredW-1:0] reserved_q, reserved_d;
  logic [15:0]    groups_left_q, groups_left_d;

  // ---------------------------------------------------------------------------------------
  // U·h candidate tile.
  logic        uh_left, uh_first, uh_last, uh_rb_last, h_ok, wx_ok, credit_ok, spacing_ok, uh_go;
  logic [31:0] uh_need;
  logic [15:0] need_groups;
  assign uh_left    = (t_uh_q < steps_i);
  assign uh_first   = (cb_uh_q == 16'd0);
  assign uh_last    = (cb_uh_q == ch_i - 16'd1);
  assign uh_rb_last = (rb_uh_q == rb_count_i - 16'd1);
  // h elements the tile reads: columns up to (cb + 1) K.
  assign uh_need    = ((32'(cb_uh_q) + 32'd1) << kshift_i) < 32'(hidden_i) ?
                      ((32'(cb_uh_q) + 32'd1) << kshift_i) : 32'(hidden_i);
  always_comb begin
    if (t_uh_q == 32'd0 || hw_step_q >= t_uh_q) h_ok = 1'b1;
    else if (Schedule != 0 && hw_step_q + 32'd1 == t_uh_q) h_ok = (hw_cnt_q >= uh_need);
    else h_ok = 1'b0;
  end
  assign wx_ok       = (wx_ready_q > t_uh_q);
  assign need_groups = (groups_left_q >= serial_i) ? serial_i : groups_left_q;
  assign credit_ok   = !uh_first || (32'(reserved_q) + 32'(need_groups) <= 32'(FifoDepth));
  assign spacing_ok  = !uh_last || (since_q >= serial_i);
  assign uh_go       = (state_q == StRun) && uh_left && h_ok && wx_ok && credit_ok && spacing_ok;

  // W·x candidate tile.
  logic        wx_left, wx_window, x_ok, wx_go, wx_last, wx_rb_last;
  assign wx_left    = (t_wx_q < steps_i);
  assign x_ok       = (x_loaded_i > t_wx_q);
  assign wx_last    = (cb_wx_q == cx_i - 16'd1);
  assign wx_rb_last = (rb_wx_q == rb_count_i - 16'd1);
  always_comb begin
    if (Schedule == 2) wx_window = (t_wx_q <= t_uh_q + 32'(Lookahead));
    else if (Schedule == 1) wx_window = (t_wx_q <= t_uh_q);
    else wx_window = (t_wx_q <= t_uh_q) && (hw_step_q >= t_wx_q);
  end
  assign wx_go = (state_q == StRun) && !uh_go && wx_left && wx_window && x_ok;

  logic issue;
  assign issue = uh_go || wx_go;
  // Weight addresses are WAw bits; the high bits of the 16-bit block count are always zero.
  logic unused_cb_high;
  assign unused_cb_high = ^cb_i;

  // ---------------------------------------------------------------------------------------
  // Geometry of the issued tile.
  logic [15:0] rb_sel, cb_sel;
  logic [31:0] t_sel, col_left, rows_left;
  logic [CntW-1:0] count_real;
  logic [16:0] rows_valid;
  logic [31:0] width;
  assign width     = 32'd1 << kshift_i;
  assign rb_sel    = uh_go ? rb_uh_q : rb_wx_q;
  assign cb_sel    = uh_go ? cb_uh_q : cb_wx_q;
  assign t_sel     = uh_go ? t_uh_q : t_wx_q;
  assign col_left  = (uh_go ? 32'(hidden_i) : 32'(input_i)) - (32'(cb_sel) << kshift_i);
  assign count_real = (col_left >= width) ? CntW'(width) : CntW'(col_left);
  assign rows_left = {14'd0, hidden_i, 2'b00} - (32'(rb_sel) << rshift_i);
  assign rows_valid = (rows_left >= 32'(rows_blk_i)) ? 17'(rows_blk_i) : 17'(rows_left);

  // ---------------------------------------------------------------------------------------
  always_comb begin
    state_d       = state_q;
    t_uh_d        = t_uh_q;
    rb_uh_d       = rb_uh_q;
    cb_uh_d       = cb_uh_q;
    base_uh_d     = base_uh_q;
    t_wx_d        = t_wx_q;
    rb_wx_d       = rb_wx_q;
    cb_wx_d       = cb_wx_q;
    base_wx_d     = base_wx_q;
    wx_issued_d   = wx_issued_q;
    hw_step_d     = hw_step_q;
    hw_cnt_d      = hw_cnt_q;
    since_d       = (since_q >= serial_i) ? since_q : since_q + 16'd1;
    groups_left_d = groups_left_q;
    reserved_d    = reserved_q - CredW'(pop_i) + ((uh_go && uh_first) ? CredW'(need_groups) : CredW'(0));

    // Scoreboard.
    if (step_done_i) begin
      hw_step_d = hw_step_q + 32'd1;
      hw_cnt_d  = '0;
    end else if (h_write_i) begin
      hw_cnt_d = h_written_i;
    end

    case (state_q)
      StIdle: begin
        if (start_i) begin
          state_d       = StRun;
          t_uh_d        = '0;
          rb_uh_d       = '0;
          cb_uh_d       = '0;
          base_uh_d     = '0;
          t_wx_d        = '0;
          rb_wx_d       = '0;
          cb_wx_d       = '0;
          base_wx_d     = '0;
          wx_issued_d   = '0;
          hw_step_d     = '0;
          hw_cnt_d      = '0;
          since_d       = serial_i;
          groups_left_d = groups_i;
        end
      end

      StRun: begin
        if (uh_go) begin
          if (uh_first) groups_left_d = groups_left_q - need_groups;
          if (!uh_last) begin
            cb_uh_d = cb_uh_q + 16'd1;
          end else begin
            cb_uh_d = '0;
            since_d = 16'd1;
            if (uh_rb_last) begin
              t_uh_d        = t_uh_q + 32'd1;
              rb_uh_d       = '0;
              base_uh_d     = '0;
              groups_left_d = groups_i;
            end else begin
              rb_uh_d   = rb_uh_q + 16'd1;
              base_uh_d = base_uh_q + WAw'(cb_i);
            end
          end
        end else if (wx_go) begin
          if (!wx_last) begin
            cb_wx_d = cb_wx_q + 16'd1;
          end else begin
            cb_wx_d = '0;
            if (wx_rb_last) begin
              t_wx_d      = t_wx_q + 32'd1;
              rb_wx_d     = '0;
              base_wx_d   = '0;
              wx_issued_d = wx_issued_q + 32'd1;
            end else begin
              rb_wx_d   = rb_wx_q + 16'd1;
              base_wx_d = base_wx_q + WAw'(cb_i);
            end
          end
        end
        if (!uh_left && hw_step_q == steps_i) state_d = StDone;
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
      t_wx_q        <= '0;
      rb_wx_q       <= '0;
      cb_wx_q       <= '0;
      base_wx_q     <= '0;
      wx_issued_q   <= '0;
      wx_ready_q    <= '0;
      hw_step_q     <= '0;
      hw_cnt_q      <= '0;
      since_q       <= '0;
      reserved_q    <= '0;
      groups_left_q <= '0;
    end else begin
      state_q       <= state_d;
      t_uh_q        <= t_uh_d;
      rb_uh_q       <= rb_uh_d;
      cb_uh_q       <= cb_uh_d;
      base_uh_q     <= base_uh_d;
      t_wx_q        <= t_wx_d;
      rb_wx_q       <= rb_wx_d;
      cb_wx_q       <= cb_wx_d;
      base_wx_q     <= base_wx_d;
      wx_issued_q   <= wx_issued_d;
      // One cycle behind the issue count: the bank write of the last W·x tile precedes the
      // bank read of the first U·h tile that depends on it.
      wx_ready_q    <= (state_q == StIdle) ? 32'd0 : wx_issued_q;
      hw_step_q     <= hw_step_d;
      hw_cnt_q      <= hw_cnt_d;
      since_q       <= since_d;
      reserved_q    <= reserved_d;
      groups_left_q <= groups_left_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Counters. An idle running cycle is charged to one cause, in this order: nothing left to
  // issue (drain), output room, activation spacing, x not loaded, h not ready, other (drain).
  logic st_output, st_act, st_input, st_h;
  assign st_output = uh_left && h_ok && wx_ok && !credit_ok;
  assign st_act    = uh_left && h_ok && wx_ok && credit_ok && !spacing_ok;
  assign st_input  = wx_left && wx_window && !x_ok;
  assign st_h      = uh_left && !h_ok;

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
    end else if (state_q == StIdle) begin
      if (start_i) begin
        cycles_q   <= '0;
        active_q   <= '0;
        macs_q     <= '0;
        st_in_q    <= '0;
        st_h_q     <= '0;
        st_drain_q <= '0;
        st_out_q   <= '0;
        st_act_q   <= '0;
      end
    end else begin
      cycles_q <= cycles_q + 64'd1;
      if (issue) begin
        active_q <= active_q + 64'd1;
        macs_q   <= macs_q + 64'(rows_valid) * 64'(count_real);
      end else if (state_q == StRun) begin
        if (!uh_left) st_drain_q <= st_drain_q + 64'd1;
        else if (st_output) st_out_q <= st_out_q + 64'd1;
        else if (st_act) st_act_q <= st_act_q + 64'd1;
        else if (st_input) st_in_q <= st_in_q + 64'd1;
        else if (st_h) st_h_q <= st_h_q + 64'd1;
        else st_drain_q <= st_drain_q + 64'd1;
      end
    end
  end

  assign busy_o       = (state_q != StIdle);
  assign done_o       = (state_q == StDone);
  assign x_released_o = wx_issued_q;

  logic [WsW-1:0] bank_slot;
  assign bank_slot = WsW'(t_sel);

  assign issue_valid_o      = issue;
  assign issue_uh_o         = uh_go;
  assign issue_first_o      = uh_go ? uh_first : (cb_wx_q == 16'd0);
  assign issue_last_o       = uh_go ? uh_last : wx_last;
  assign issue_step_last_o  = uh_go && uh_last && uh_rb_last;
  assign issue_first_step_o = (t_sel == 32'd0);
  assign issue_parity_o     = t_sel[0];
  assign issue_rb_o         = RbBits'(rb_sel);
  assign issue_waddr_o      = uh_go ? base_uh_q + WAw'(cx_i) + WAw'(cb_uh_q) : base_wx_q + WAw'(cb_wx_q);
  assign issue_bank_addr_o  = BkAw'(bank_slot) * BkAw'(RbMax) + BkAw'(rb_sel);
  assign issue_word_o       = cb_sel;
  assign issue_xslot_o      = SlotW'(t_wx_q);
  // h_{-1} = 0: the first step's U·h tiles read nothing.
  assign issue_count_o      = (uh_go && t_uh_q == 32'd0) ? '0 : count_real;

  assign cnt_cycles_o       = cycles_q;
  assign cnt_active_o       = active_q;
  assign cnt_macs_o         = macs_q;
  assign cnt_stall_input_o  = st_in_q;
  assign cnt_stall_h_o      = st_h_q;
  assign cnt_stall_drain_o  = st_drain_q;
  assign cnt_stall_output_o = st_out_q;
  assign cnt_stall_act_o    = st_act_q;
endmodule
