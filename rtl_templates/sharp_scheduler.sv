// sharp_scheduler: the tile dispatcher. It walks (step, row block, column block) tiles and
// issues one tile per cycle to the array: column blocks 0 .. CX-1 read x_t, CX .. CB-1 read
// h_{t-1}. This version runs the `sequential` schedule: a step's tiles are issued row block
// by row block, then the pipeline drains until h_t is complete before the next step starts.
// It also reserves room in the output FIFO before each row block (credits), so results never
// have to wait, and keeps the performance counters.
//   Rows       row units (rows per row block)
//   K          dot-product width (columns per column block)
//   Lanes      neurons per cycle in the activation unit
//   XSlots     x look-ahead slots
//   FifoDepth  output FIFO entries
//   RbBits     bits of a row-block index
//   WAw        bits of a weight-memory address
module sharp_scheduler #(
  parameter int Rows      = 0,
  parameter int K         = 0,
  parameter int Lanes     = 0,
  parameter int XSlots    = 0,
  parameter int FifoDepth = 0,
  parameter int RbBits    = 0,
  parameter int WAw       = 0
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
  input  logic [15:0]                            cb_i,
  input  logic [15:0]                            period_i,
  input  logic [15:0]                            groups_i,
  output logic                                   busy_o,
  output logic                                   done_o,
  // x availability: steps fully loaded, and steps whose x is no longer needed.
  input  logic [31:0]                            x_loaded_i,
  output logic [31:0]                            x_released_o,
  // Completion of a step's last neuron group, and output FIFO pops.
  input  logic                                   step_done_i,
  input  logic                                   pop_i,
  // The tile issued this cycle.
  output logic                                   issue_valid_o,
  output logic                                   issue_first_o,
  output logic                                   issue_last_o,
  output logic                                   issue_step_last_o,
  output logic                                   issue_first_step_o,
  output logic                                   issue_parity_o,
  output logic [RbBits-1:0]                      issue_rb_o,
  output logic [WAw-1:0]                         issue_waddr_o,
  output logic                                   issue_is_h_o,
  output logic [15:0]                            issue_word_o,
  output logic [((XSlots > 1) ? $clog2(XSlots) : 1)-1:0] issue_xslot_o,
  output logic [$clog2(K+1)-1:0]                 issue_count_o,
  // Performance counters (reset at start).
  output logic [63:0]                            cnt_cycles_o,
  output logic [63:0]                            cnt_active_o,
  output logic [63:0]                            cnt_macs_o,
  output logic [63:0]                            cnt_stall_input_o,
  output logic [63:0]                            cnt_stall_drain_o,
  output logic [63:0]                            cnt_stall_output_o,
  output logic [63:0]                            cnt_stall_act_o
);
  localparam int Serial  = Rows / (4 * Lanes);   // groups per row block
  localparam int CntW    = $clog2(K + 1);
  localparam int SlotW   = (XSlots > 1) ? $clog2(XSlots) : 1;
  localparam int KBits   = $clog2(K);
  localparam int CredW   = $clog2(FifoDepth + 1) + 1;

  if (Rows < 4 || K < 2 || Lanes < 1 || XSlots < 2 || FifoDepth < Serial || RbBits < 1 || WAw < 1)
  begin : gen_param_check
`ifdef __ICARUS__
    initial $fatal(1, "sharp_scheduler: illegal parameters");
`else
    $error("sharp_scheduler: illegal parameters");
`endif
  end

  typedef enum logic [2:0] {
    // Waiting for start.
    StIdle,
    // Waiting until x_t has been loaded.
    StWaitX,
    // Issuing the tiles of a row block.
    StIssue,
    // Idle cycles so that row blocks are at least `period` apart (activation throughput).
    StGap,
    // All tiles of step t issued; waiting for h_t to be complete.
    StDrain,
    // Last step complete: one cycle of done.
    StDone
  } state_e;

  state_e      state_d, state_q;
  logic [31:0] t_d, t_q;                 // current step
  logic [15:0] rb_d, rb_q;               // current row block
  logic [15:0] cb_d, cb_q;               // current column block
  logic [15:0] gap_d, gap_q;             // idle cycles left in StGap
  logic [WAw-1:0] waddr_d, waddr_q;      // weight word of the current tile
  logic [17:0] rows_left_d, rows_left_q; // gate rows not yet covered in this step
  logic [15:0] groups_left_d, groups_left_q; // output groups not yet reserved in this step
  logic [CredW-1:0] reserved_d, reserved_q;  // FIFO entries reserved and not yet popped
  logic [31:0] released_d, released_q;

  // Tile geometry (combinational from the state).
  logic        blk_start, blk_end, step_end, is_h;
  logic [15:0] col_idx, col_len, need;
  logic [31:0] col_left;
  logic [CntW-1:0] count_real;
  logic [17:0] rows_valid;
  logic        credit_ok, issue;

  assign blk_start = (cb_q == 16'd0);
  assign blk_end   = (cb_q == cb_i - 16'd1);
  assign step_end  = blk_end && (rb_q == rb_count_i - 16'd1);
  assign is_h      = (cb_q >= cx_i);
  assign col_idx   = is_h ? cb_q - cx_i : cb_q;
  assign col_len   = is_h ? hidden_i : input_i;
  assign col_left  = 32'(col_len) - (32'(col_idx) << KBits);
  assign count_real = (col_left >= 32'(K)) ? CntW'(K) : CntW'(col_left);
  assign rows_valid = (rows_left_q >= 18'(Rows)) ? 18'(Rows) : rows_left_q;
  assign need      = (groups_left_q >= 16'(Serial)) ? 16'(Serial) : groups_left_q;
  assign credit_ok = !blk_start || (32'(reserved_q) + 32'(need) <= 32'(FifoDepth));
  assign issue     = (state_q == StIssue) && credit_ok;

  always_comb begin
    state_d       = state_q;
    t_d           = t_q;
    rb_d          = rb_q;
    cb_d          = cb_q;
    gap_d         = gap_q;
    waddr_d       = waddr_q;
    rows_left_d   = rows_left_q;
    groups_left_d = groups_left_q;
    released_d    = released_q;
    reserved_d    = reserved_q - CredW'(pop_i) + ((issue && blk_start) ? CredW'(need) : CredW'(0));

    case (state_q)
      StIdle: begin
        if (start_i) begin
          state_d    = StWaitX;
          t_d        = '0;
          released_d = '0;
        end
      end

      StWaitX: begin
        if (x_loaded_i > t_q) begin
          state_d       = StIssue;
          rb_d          = '0;
          cb_d          = '0;
          waddr_d       = '0;
          rows_left_d   = 18'({hidden_i, 2'b00});
          groups_left_d = groups_i;
        end
      end

      StIssue: begin
        if (issue) begin
          waddr_d = waddr_q + WAw'(1);
          if (!blk_end) begin
            cb_d = cb_q + 16'd1;
          end else if (step_end) begin
            // The step's x is no longer needed: its slot may be refilled.
            released_d = released_q + 32'd1;
            state_d    = StDrain;
          end else begin
            cb_d          = '0;
            rb_d          = rb_q + 16'd1;
            rows_left_d   = rows_left_q - rows_valid;
            groups_left_d = groups_left_q - need;
            if (period_i > cb_i) begin
              state_d = StGap;
              gap_d   = period_i - cb_i;
            end
          end
        end
      end

      StGap: begin
        gap_d = gap_q - 16'd1;
        if (gap_q == 16'd1) state_d = StIssue;
      end

      StDrain: begin
        if (step_done_i) begin
          t_d = t_q + 32'd1;
          if (t_q + 32'd1 == steps_i) begin
            state_d = StDone;
          end else if (x_loaded_i > t_q + 32'd1) begin
            state_d       = StIssue;
            rb_d          = '0;
            cb_d          = '0;
            waddr_d       = '0;
            rows_left_d   = 18'({hidden_i, 2'b00});
            groups_left_d = groups_i;
          end else begin
            state_d = StWaitX;
          end
        end
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
      t_q           <= '0;
      rb_q          <= '0;
      cb_q          <= '0;
      gap_q         <= '0;
      waddr_q       <= '0;
      rows_left_q   <= '0;
      groups_left_q <= '0;
      reserved_q    <= '0;
      released_q    <= '0;
    end else begin
      state_q       <= state_d;
      t_q           <= t_d;
      rb_q          <= rb_d;
      cb_q          <= cb_d;
      gap_q         <= gap_d;
      waddr_q       <= waddr_d;
      rows_left_q   <= rows_left_d;
      groups_left_q <= groups_left_d;
      reserved_q    <= reserved_d;
      released_q    <= released_d;
    end
  end

  // Performance counters: cleared by start, counting while busy.
  logic [63:0] cycles_q, active_q, macs_q, st_in_q, st_drain_q, st_out_q, st_act_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycles_q   <= '0;
      active_q   <= '0;
      macs_q     <= '0;
      st_in_q    <= '0;
      st_drain_q <= '0;
      st_out_q   <= '0;
      st_act_q   <= '0;
    end else if (state_q == StIdle) begin
      if (start_i) begin
        cycles_q   <= '0;
        active_q   <= '0;
        macs_q     <= '0;
        st_in_q    <= '0;
        st_drain_q <= '0;
        st_out_q   <= '0;
        st_act_q   <= '0;
      end
    end else begin
      cycles_q <= cycles_q + 64'd1;
      if (issue) begin
        active_q <= active_q + 64'd1;
        macs_q   <= macs_q + 64'(rows_valid) * 64'(count_real);
      end
      if (state_q == StWaitX) st_in_q <= st_in_q + 64'd1;
      if (state_q == StDrain) st_drain_q <= st_drain_q + 64'd1;
      if (state_q == StGap) st_act_q <= st_act_q + 64'd1;
      if (state_q == StIssue && !credit_ok) st_out_q <= st_out_q + 64'd1;
    end
  end

  assign busy_o       = (state_q != StIdle);
  assign done_o       = (state_q == StDone);
  assign x_released_o = released_q;

  assign issue_valid_o      = issue;
  assign issue_first_o      = blk_start;
  assign issue_last_o       = blk_end;
  assign issue_step_last_o  = step_end;
  assign issue_first_step_o = (t_q == 32'd0);
  assign issue_parity_o     = t_q[0];
  assign issue_rb_o         = RbBits'(rb_q);
  assign issue_waddr_o      = waddr_q;
  assign issue_is_h_o       = is_h;
  assign issue_word_o       = col_idx;
  assign issue_xslot_o      = SlotW'(t_q);
  // h_{-1} = 0: the first step reads no h.
  assign issue_count_o      = (is_h && t_q == 32'd0) ? '0 : count_real;

  assign cnt_cycles_o       = cycles_q;
  assign cnt_active_o       = active_q;
  assign cnt_macs_o         = macs_q;
  assign cnt_stall_input_o  = st_in_q;
  assign cnt_stall_drain_o  = st_drain_q;
  assign cnt_stall_output_o = st_out_q;
  assign cnt_stall_act_o    = st_act_q;
endmodule
