// sharp_core: the accelerator without its register map. It wires the loaders of the host
// streams, the weight memory, the vector buffers, the MAC array, the accumulators, the
// activation unit, the cell updater, the reconfiguration logic and the scheduler.
// Pipeline, in cycles after a tile is issued (K = array width):
//   +1 weights and input vector read; +2 products; +2+log2(K) row sums reach the
//   accumulators; the bias is read so that it arrives with them. A finished row block's
//   groups leave the accumulators one per cycle, take 2 cycles of activation (the c read
//   runs alongside) and 4 of cell update, then h and c are written and pushed out.
//   DataBits, FracBits, AccBits, CellBits   number format (see sharp::NumFormat)
//   SegBits, SigSlopeBits, TanhSlopeBits    activation tables
//   K          multipliers per row unit (the widest dot-product width)
//   KMin       narrowest dot-product width (run-time widths: KMin, 2 KMin, ..., K)
//   Rows       row units (N / K)
//   Lanes      neurons per cycle in activation and cell update
//   MaxHidden  largest H the buffers hold
//   MaxInput   largest X the buffers hold
//   XSlots     time steps of x held at once (a power of two >= 2)
//   WxSlots    steps of W·x sums the accumulators' bank holds (a power of two >= 2)
//   FifoDepth  output FIFO entries (a power of two)
//   Schedule   0 sequential, 1 intergate, 2 unfolded (see sharp_scheduler)
//   Lookahead  future steps of W·x under `unfolded`
module sharp_core #(
  parameter int DataBits      = 0,
  parameter int FracBits      = 0,
  parameter int AccBits       = 0,
  parameter int CellBits      = 0,
  parameter int SegBits       = 0,
  parameter int SigSlopeBits  = 0,
  parameter int TanhSlopeBits = 0,
  parameter int K             = 0,
  parameter int KMin          = 0,
  parameter int Rows          = 0,
  parameter int Lanes         = 0,
  parameter int MaxHidden     = 0,
  parameter int MaxInput      = 0,
  parameter int XSlots        = 0,
  parameter int WxSlots       = 0,
  parameter int FifoDepth     = 0,
  parameter int Schedule      = -1,
  parameter int Lookahead     = -1
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  // Configuration and control (from the register map).
  input  logic                        start_i,
  input  logic                        load_i,
  input  logic                        cfg_write_i,    // a write to HIDDEN, INPUT, STEPS or WIDTH
  input  logic                        shape_write_i,  // a write to HIDDEN, INPUT or WIDTH
  input  logic [31:0]                 hidden_i,
  input  logic [31:0]                 input_i,
  input  logic [31:0]                 steps_i,
  input  logic [31:0]                 width_i,
  output logic                        busy_o,
  output logic                        locked_o,       // running or loading: configuration is frozen
  output logic                        done_o,
  output logic                        loaded_o,
  output logic [7:0]                  error_o,
  output logic [63:0]                 cnt_cycles_o,
  output logic [63:0]                 cnt_active_o,
  output logic [63:0]                 cnt_macs_o,
  output logic [63:0]                 cnt_stall_input_o,
  output logic [63:0]                 cnt_stall_h_o,
  output logic [63:0]                 cnt_stall_drain_o,
  output logic [63:0]                 cnt_stall_output_o,
  output logic [63:0]                 cnt_stall_act_o,
  // Weight stream: K weights per beat.
  input  logic                        w_valid_i,
  output logic                        w_ready_o,
  input  logic [K*DataBits-1:0]       w_data_i,
  // Bias stream: one bias per beat.
  input  logic                        b_valid_i,
  output logic                        b_ready_o,
  input  logic [DataBits-1:0]         b_data_i,
  // Input stream: K elements of x_t per beat.
  input  logic                        x_valid_i,
  output logic                        x_ready_o,
  input  logic [K*DataBits-1:0]       x_data_i,
  // Output stream: Lanes neurons of h_t and c_t per beat.
  output logic                        o_valid_o,
  input  logic                        o_ready_i,
  output logic [Lanes*DataBits-1:0]   o_h_o,
  output logic [Lanes*CellBits-1:0]   o_c_o
);
  // Derived sizes (mirrored by the generator's plan stage).
  localparam int KBits    = $clog2(K);
  localparam int NumW     = $clog2(K) - $clog2(KMin) + 1;   // run-time widths
  localparam int TapBits  = 2 * DataBits + KBits;           // a row-unit tap, sign-extended
  localparam int TapSlots = K / KMin;                       // taps per width per row unit
  localparam int RowsMax  = Rows * (K / KMin);              // rows of a tile at width KMin
  localparam int CxMax    = (MaxInput + K - 1) / K;         // x words per step
  localparam int ChMax    = (MaxHidden + K - 1) / K;        // h words per bank
  localparam int RbMax    = (4 * MaxHidden + Rows - 1) / Rows;  // row blocks at width K
  localparam int CDepth   = (MaxHidden + Lanes - 1) / Lanes;
  localparam int SerialMax = RowsMax / (4 * Lanes);
  localparam int RbBits   = (RbMax > 1) ? $clog2(RbMax) : 1;
  localparam int GrpBits  = RbBits + ((SerialMax > 1) ? $clog2(SerialMax) : 0);
  localparam int RowBits  = (RowsMax > 1) ? $clog2(RowsMax) : 1;
  localparam int BankRowBits = (Rows > 1) ? $clog2(Rows) : 1;
  localparam int SlotW    = (XSlots > 1) ? $clog2(XSlots) : 1;
  localparam int XwBits   = (CxMax > 1) ? $clog2(CxMax) : 1;
  localparam int CAw      = (CDepth > 1) ? $clog2(CDepth) : 1;
  localparam int NeurBits = $clog2(ChMax * K);
  localparam int BankDepth = WxSlots * RbMax;
  localparam int BkAw     = (BankDepth > 1) ? $clog2(BankDepth) : 1;
  localparam int TreeLatMax = 2 + KBits;                    // issue -> row sums, widest width
  localparam int ActLat   = 2;                              // sharp_activation

  // Weight words per bank: the most any width needs, RB(Kw) * (CX(Kw) + CH(Kw)).
  function automatic integer weight_depth();
    integer w, kw, rows_w, d, best;
    best = 1;
    for (w = 0; w < NumW; w = w + 1) begin
      kw = KMin << w;
      rows_w = Rows * (K / kw);
      d = ((4 * MaxHidden + rows_w - 1) / rows_w) * ((MaxInput + kw - 1) / kw + (MaxHidden + kw - 1) / kw);
      if (d > best) best = d;
    end
    weight_depth = best;
  endfunction
  localparam int WDepth   = weight_depth();
  localparam int WAw      = (WDepth > 1) ? $clog2(WDepth) : 1;

  // ---------------------------------------------------------------------------------------
  // Reconfiguration: tiling of the current layer, legality of the registers.
  logic        shape_ok, width_ok;
  logic [7:0]  wsel, kshift, rshift, sshift;
  logic [15:0] rb_count, cx, ch, cb, x_beats, groups, rows_blk, serial;
  sharp_reconfig #(
    .K        (K),
    .KMin     (KMin),
    .Rows     (Rows),
    .Lanes    (Lanes),
    .MaxHidden(MaxHidden),
    .MaxInput (MaxInput)
  ) u_reconfig (
    .hidden_i,
    .input_i,
    .width_i,
    .shape_ok_o (shape_ok),
    .width_ok_o (width_ok),
    .wsel_o     (wsel),
    .kshift_o   (kshift),
    .rows_blk_o (rows_blk),
    .rshift_o   (rshift),
    .serial_o   (serial),
    .sshift_o   (sshift),
    .rb_count_o (rb_count),
    .cx_o       (cx),
    .ch_o       (ch),
    .cb_o       (cb),
    .x_beats_o  (x_beats),
    .groups_o   (groups)
  );

  // ---------------------------------------------------------------------------------------
  // Start and load requests are checked here; an illegal one sets an error bit and is dropped.
  //   bit 0: H or X out of range   bit 1: T = 0   bit 2: width not supported
  //   bit 3: start or load while busy   bit 4: start before weights and biases were loaded
  //   bit 5: a configuration register written while running or loading (the write is dropped
  //          by the register map; the flag stays until the next start or load)
  logic busy, sched_done;
  logic w_done_q, b_done_q, loading_q;
  logic start_ok, load_ok;
  logic [7:0] err_q, err_now;
  always_comb begin
    err_now = '0;
    if (start_i || load_i) begin
      if (!shape_ok) err_now[0] = 1'b1;
      if (!width_ok) err_now[2] = 1'b1;
      if (busy || loading_q) err_now[3] = 1'b1;
    end
    if (start_i) begin
      if (steps_i == 32'd0) err_now[1] = 1'b1;
      if (!(w_done_q && b_done_q)) err_now[4] = 1'b1;
    end
  end
  assign start_ok = start_i && (err_now == '0);
  assign load_ok  = load_i && !start_i && (err_now == '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) err_q <= '0;
    else if (start_i || load_i) err_q <= err_now;
    else if (cfg_write_i && locked_o) err_q[5] <= 1'b1;
  end
  assign error_o = err_q;

  // ---------------------------------------------------------------------------------------
  // Weight loader: beats in order (row block, column block, row unit), each the unit's K
  // weights (K / Kw rows of Kw columns); bias loader: one bias per beat in dense row order
  // (row block, row), Rk rows per block. Both start on a legal load.
  logic [BankRowBits-1:0] w_row_q;
  logic [WAw-1:0]     w_word_q;
  logic [WAw:0]       w_words;
  logic               w_fire, b_fire;
  logic [RbBits+RowBits:0] b_cnt_q;
  logic [RbBits+RowBits:0] b_total;
  assign w_words  = (WAw+1)'(rb_count) * (WAw+1)'(cb);
  assign b_total  = (RbBits+RowBits+1)'(rb_count) << rshift;
  assign w_ready_o = loading_q && !w_done_q;
  assign b_ready_o = loading_q && !b_done_q;
  assign w_fire = w_valid_i && w_ready_o;
  assign b_fire = b_valid_i && b_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      loading_q <= 1'b0;
      w_done_q  <= 1'b0;
      b_done_q  <= 1'b0;
      w_row_q   <= '0;
      w_word_q  <= '0;
      b_cnt_q   <= '0;
    end else if (shape_write_i && !locked_o) begin
      // A new shape or width changes the weight layout: the loaded weights no longer apply,
      // and a start before the next load is refused (ERROR bit 4).
      w_done_q  <= 1'b0;
      b_done_q  <= 1'b0;
    end else if (load_ok) begin
      loading_q <= 1'b1;
      w_done_q  <= 1'b0;
      b_done_q  <= 1'b0;
      w_row_q   <= '0;
      w_word_q  <= '0;
      b_cnt_q   <= '0;
    end else begin
      if (w_fire) begin
        w_row_q <= w_row_q + BankRowBits'(1);
        if (32'(w_row_q) == Rows - 1) begin
          w_word_q <= w_word_q + WAw'(1);
          if ((WAw+1)'(w_word_q) + (WAw+1)'(1) == w_words) w_done_q <= 1'b1;
        end
      end
      if (b_fire) begin
        b_cnt_q <= b_cnt_q + 1'b1;
        if (b_cnt_q + 1'b1 == b_total) b_done_q <= 1'b1;
      end
      if (loading_q && w_done_q && b_done_q) loading_q <= 1'b0;
    end
  end
  assign loaded_o = w_done_q && b_done_q && !loading_q;

  // ---------------------------------------------------------------------------------------
  // x loader: ceil(X / K) beats per step into slot (step mod XSlots), at most XSlots steps
  // ahead of the steps the scheduler has released.
  logic [31:0] x_loaded_q, x_released;
  logic [15:0] x_beat_q;
  logic        x_fire;
  assign x_ready_o = busy && (x_loaded_q < steps_i) && (x_loaded_q - x_released < 32'(XSlots));
  assign x_fire = x_valid_i && x_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      x_loaded_q <= '0;
      x_beat_q   <= '0;
    end else if (start_ok) begin
      x_loaded_q <= '0;
      x_beat_q   <= '0;
    end else if (x_fire) begin
      if (x_beat_q == x_beats - 16'd1) begin
        x_beat_q   <= '0;
        x_loaded_q <= x_loaded_q + 32'd1;
      end else begin
        x_beat_q <= x_beat_q + 16'd1;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Scheduler.
  logic              is_valid, is_first, is_last, is_step_last, is_first_step, is_parity, is_h;
  logic [BkAw-1:0]   is_bank;
  logic              h_write;
  logic [31:0]       h_written;
  logic [RbBits-1:0] is_rb;
  logic [WAw-1:0]    is_waddr;
  logic [15:0]       is_word;
  logic [SlotW-1:0]  is_xslot;
  logic [$clog2(K+1)-1:0] is_count;
  logic              step_done, o_pop;

  sharp_scheduler #(
    .Rows     (Rows),
    .K        (K),
    .Lanes    (Lanes),
    .XSlots   (XSlots),
    .WxSlots  (WxSlots),
    .RbMax    (RbMax),
    .FifoDepth(FifoDepth),
    .RbBits   (RbBits),
    .WAw      (WAw),
    .BkAw     (BkAw),
    .Schedule (Schedule),
    .Lookahead(Lookahead)
  ) u_scheduler (
    .clk_i,
    .rst_ni,
    .start_i            (start_ok),
    .hidden_i           (hidden_i[15:0]),
    .input_i            (input_i[15:0]),
    .steps_i,
    .rb_count_i         (rb_count),
    .cx_i               (cx),
    .ch_i               (ch),
    .cb_i               (cb),
    .groups_i           (groups),
    .kshift_i           (kshift),
    .rows_blk_i         (rows_blk),
    .rshift_i           (rshift),
    .serial_i           (serial),
    .busy_o             (busy),
    .done_o             (sched_done),
    .x_loaded_i         (x_loaded_q),
    .x_released_o       (x_released),
    .h_write_i          (h_write),
    .h_written_i        (h_written),
    .step_done_i        (step_done),
    .pop_i              (o_pop),
    .issue_valid_o      (is_valid),
    .issue_uh_o         (is_h),
    .issue_first_o      (is_first),
    .issue_last_o       (is_last),
    .issue_step_last_o  (is_step_last),
    .issue_first_step_o (is_first_step),
    .issue_parity_o     (is_parity),
    .issue_rb_o         (is_rb),
    .issue_waddr_o      (is_waddr),
    .issue_bank_addr_o  (is_bank),
    .issue_word_o       (is_word),
    .issue_xslot_o      (is_xslot),
    .issue_count_o      (is_count),
    .cnt_cycles_o,
    .cnt_active_o,
    .cnt_macs_o,
    .cnt_stall_input_o,
    .cnt_stall_h_o,
    .cnt_stall_drain_o,
    .cnt_stall_output_o,
    .cnt_stall_act_o
  );
  assign busy_o = busy;
  assign locked_o = busy || loading_q;
  assign done_o = sched_done;

  // ---------------------------------------------------------------------------------------
  // Memories and the array.
  logic [Rows*K*DataBits-1:0] w_rdata;
  logic [RowsMax*DataBits-1:0] b_rdata;
  logic [K*DataBits-1:0]      vec;
  logic [RowsMax*TapBits-1:0] sums;

  // Tags, delayed to meet the row sums:
  //   {valid, uh, first, last, step_last, first_step, parity, bank address, rb}.
  localparam int TagW = 7 + BkAw + RbBits;
  localparam int TgV = TagW - 1, TgUh = TagW - 2, TgFirst = TagW - 3, TgLast = TagW - 4;
  localparam int TgStepLast = TagW - 5, TgFirstStep = TagW - 6, TgParity = TagW - 7;
  logic [TagW-1:0] tag_issue, tag_bias, tag_acc;
  assign tag_issue = {is_valid, is_h, is_first, is_last, is_step_last, is_first_step, is_parity, is_bank, is_rb};
  // Width Kw: row sums arrive 2 + log2(Kw) cycles after issue; bias and bank are read one
  // cycle earlier.
  sharp_delay_var #(.Width(TagW), .MaxDelay(TreeLatMax - 1)) u_tag_to_bias (
    .clk_i, .rst_ni, .delay_i(kshift + 8'd1), .d_i(tag_issue), .q_o(tag_bias));
  sharp_delay #(.Width(TagW), .Delay(1)) u_tag_to_acc (
    .clk_i, .rst_ni, .d_i(tag_bias), .q_o(tag_acc));

  sharp_weight_mem #(
    .DataBits(DataBits),
    .K       (K),
    .Rows    (Rows),
    .BRows   (RowsMax),
    .WDepth  (WDepth),
    .BDepth  (RbMax)
  ) u_weight_mem (
    .clk_i,
    .w_we_i    (w_fire),
    .w_bank_i  (w_row_q),
    .w_waddr_i (w_word_q),
    .w_wdata_i (w_data_i),
    .b_we_i    (b_fire),
    .b_elem_i  (RowBits'(b_cnt_q & ((RbBits+RowBits+1)'(rows_blk) - 1'b1))),
    .b_waddr_i (RbBits'(b_cnt_q >> rshift)),
    .b_wdata_i (b_data_i),
    .w_re_i    (is_valid),
    .w_raddr_i (is_waddr),
    .w_rdata_o (w_rdata),
    .b_re_i    (tag_bias[TgV] && !tag_bias[TgUh] && tag_bias[TgFirst]),
    .b_raddr_i (tag_bias[RbBits-1:0]),
    .b_rdata_o (b_rdata)
  );

  // Cell-update results.
  localparam int CTagW = 2 + GrpBits;   // {first_step, parity, group}
  logic                      cu_valid;
  logic [CTagW:0]            cu_tag;     // {step_last, first_step, parity, group}
  logic [Lanes*DataBits-1:0] cu_h;
  logic [Lanes*CellBits-1:0] cu_c;
  logic [GrpBits-1:0]        cu_grp;
  logic [31:0]               cu_neuron;
  logic                      cu_real;
  assign cu_grp    = cu_tag[GrpBits-1:0];
  assign cu_neuron = 32'(cu_grp) << $clog2(Lanes);
  assign cu_real   = cu_valid && (cu_neuron < 32'(hidden_i[15:0]));
  // Scoreboard input: neurons of the step written so far (groups complete in order).
  assign h_write   = cu_real;
  assign h_written = (cu_neuron + 32'(Lanes) < 32'(hidden_i[15:0])) ? cu_neuron + 32'(Lanes)
                                                                  : 32'(hidden_i[15:0]);

  // Groups leaving the accumulators (c is read for them alongside the activation).
  logic                        g_valid, g_step_last, g_parity;
  logic [GrpBits-1:0]          g_idx;
  logic [4*Lanes*DataBits-1:0] g_preact;
  logic [Lanes*CellBits-1:0]   c_rdata;
  logic                        g_real;
  assign g_real = g_valid && ((32'(g_idx) << $clog2(Lanes)) < 32'(hidden_i[15:0]));

  sharp_vector_buffers #(
    .DataBits(DataBits),
    .CellBits(CellBits),
    .K       (K),
    .KMin    (KMin),
    .Lanes   (Lanes),
    .XSlots  (XSlots),
    .XDepth  (CxMax),
    .HDepth  (ChMax),
    .CDepth  (CDepth)
  ) u_vector_buffers (
    .clk_i,
    .rst_ni,
    .x_we_i     (x_fire),
    .x_slot_i   (SlotW'(x_loaded_q)),
    .x_word_i   (XwBits'(x_beat_q)),
    .x_wdata_i  (x_data_i),
    .rd_valid_i (is_valid),
    .rd_is_h_i  (is_h),
    .rd_xslot_i (is_xslot),
    .rd_hbank_i (!is_parity),
    .rd_block_i (is_word),
    .rd_wsel_i  (wsel),
    .rd_count_i (is_count),
    .vec_o      (vec),
    .h_we_i     (cu_real),
    .h_bank_i   (cu_tag[GrpBits]),
    .h_neuron_i (NeurBits'(cu_neuron)),
    .h_wdata_i  (cu_h),
    .c_re_i     (g_real),
    .c_raddr_i  (CAw'(g_idx)),
    .c_rdata_o  (c_rdata),
    .c_we_i     (cu_real),
    .c_waddr_i  (CAw'(cu_grp)),
    .c_wdata_i  (cu_c)
  );

  // Every width has TapSlots slots per row unit; widths above KMin fill only K / Kw of them
  // (the rest are constant zero), so some bits are never read.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [Rows*NumW*TapSlots*TapBits-1:0] taps;
  /* verilator lint_on UNUSEDSIGNAL */
  for (genvar r = 0; r < Rows; r++) begin : gen_row
    sharp_row_unit #(
      .DataBits(DataBits),
      .K       (K),
      .KMin    (KMin)
    ) u_row (
      .clk_i,
      .weights_i (w_rdata[r*K*DataBits +: K*DataBits]),
      .vec_i     (vec),
      .taps_o    (taps[r*NumW*TapSlots*TapBits +: NumW*TapSlots*TapBits])
    );
  end

  // Accumulator routing: in width Kw, dense row j is dot product j mod (K / Kw) of row unit
  // j / (K / Kw), i.e. tap slot wsel * TapSlots + j mod (K / Kw) of that unit. Row j is used in
  // the widths w < live_widths(j) (those with j / (K / Kw) < Rows).
  function automatic integer live_widths(input integer j);
    integer w, n;
    n = 0;
    for (w = 0; w < NumW; w = w + 1)
      if (j / (K / (KMin << w)) < Rows) n = n + 1;
    live_widths = n;
  endfunction

  for (genvar j = 0; j < RowsMax; j++) begin : gen_route
    localparam int Live = live_widths(j);
    logic [Live*TapBits-1:0] cand;
    for (genvar w = 0; w < Live; w++) begin : gen_width
      localparam int Per = K / (KMin << w);   // dot products per row unit in this width
      assign cand[w*TapBits +: TapBits] =
          taps[((j / Per) * NumW * TapSlots + w * TapSlots + (j % Per)) * TapBits +: TapBits];
    end
    sharp_tap_select #(
      .Live   (Live),
      .TapBits(TapBits)
    ) u_select (
      .cand_i (cand),
      .wsel_i (wsel),
      .sum_o  (sums[j*TapBits +: TapBits])
    );
  end

  // ---------------------------------------------------------------------------------------
  // Accumulators, activation, cell update.
  logic                  g_first_step;
  sharp_accumulators #(
    .Rows    (RowsMax),
    .TreeBits(TapBits),
    .AccBits (AccBits),
    .DataBits(DataBits),
    .FracBits(FracBits),
    .Lanes   (Lanes),
    .RbBits  (RbBits),
    .BankDepth(BankDepth)
  ) u_accumulators (
    .clk_i,
    .rst_ni,
    .valid_i         (tag_acc[TgV]),
    .uh_i            (tag_acc[TgUh]),
    .bank_addr_i     (tag_acc[RbBits +: BkAw]),
    .first_i         (tag_acc[TgFirst]),
    .last_i          (tag_acc[TgLast]),
    .step_last_i     (tag_acc[TgStepLast]),
    .parity_i        (tag_acc[TgParity]),
    .rb_i            (tag_acc[RbBits-1:0]),
    .sum_i           (sums),
    .bias_i          (b_rdata),
    .serial_i        (serial),
    .sshift_i        (sshift),
    .bank_re_i       (tag_bias[TgV] && tag_bias[TgUh] && tag_bias[TgFirst]),
    .bank_raddr_i    (tag_bias[RbBits +: BkAw]),
    .grp_valid_o     (g_valid),
    .grp_idx_o       (g_idx),
    .grp_step_last_o (g_step_last),
    .grp_parity_o    (g_parity),
    .grp_preact_o    (g_preact)
  );

  // The first-step flag travels beside the accumulators' serializer: it is constant within
  // a step, so the flag of the tile that completed the block is the block's flag.
  logic first_step_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) first_step_q <= 1'b0;
    else if (tag_acc[TgV] && tag_acc[TgUh] && tag_acc[TgLast]) first_step_q <= tag_acc[TgFirstStep];
  end
  assign g_first_step = first_step_q;

  logic [Lanes*DataBits-1:0] a_i, a_f, a_g, a_o;
  sharp_activation #(
    .Lanes        (Lanes),
    .DataBits     (DataBits),
    .SegBits      (SegBits),
    .SigSlopeBits (SigSlopeBits),
    .TanhSlopeBits(TanhSlopeBits)
  ) u_activation (
    .clk_i,
    .preact_i (g_preact),
    .i_o      (a_i),
    .f_o      (a_f),
    .g_o      (a_g),
    .o_o      (a_o)
  );

  // Align the group's tag and c_{t-1} with the activation outputs.
  logic [CTagW+1:0] a_tag;   // {valid, step_last, first_step, parity, group}
  sharp_delay #(.Width(CTagW + 2), .Delay(ActLat)) u_tag_to_cell (
    .clk_i, .rst_ni, .d_i({g_valid, g_step_last, g_first_step, g_parity, g_idx}), .q_o(a_tag));
  logic [Lanes*CellBits-1:0] c_prev;
  sharp_delay #(.Width(Lanes * CellBits), .Delay(ActLat - 1)) u_c_to_cell (
    .clk_i, .rst_ni, .d_i(c_rdata), .q_o(c_prev));
  // c_{-1} = 0 at the first step. (A plain wire, not an unsized '0 in the port list, which
  // makes Yosys elaborate this module twice.)
  logic [Lanes*CellBits-1:0] c_prev_in;
  assign c_prev_in = a_tag[GrpBits+1] ? '0 : c_prev;

  logic [CTagW:0] cu_tag_full;
  sharp_cell_update #(
    .Lanes        (Lanes),
    .DataBits     (DataBits),
    .FracBits     (FracBits),
    .CellBits     (CellBits),
    .SegBits      (SegBits),
    .TanhSlopeBits(TanhSlopeBits),
    .TagBits      (CTagW + 1)
  ) u_cell_update (
    .clk_i,
    .rst_ni,
    .valid_i  (a_tag[CTagW+1]),
    .tag_i    (a_tag[CTagW:0]),
    .i_i      (a_i),
    .f_i      (a_f),
    .g_i      (a_g),
    .o_i      (a_o),
    .c_prev_i (c_prev_in),
    .valid_o  (cu_valid),
    .tag_o    (cu_tag_full),
    .h_o      (cu_h),
    .c_o      (cu_c)
  );
  assign cu_tag    = cu_tag_full;
  assign step_done = cu_valid && cu_tag_full[CTagW];

  // ---------------------------------------------------------------------------------------
  // Output FIFO (room reserved by the scheduler, so `full` never stops a push).
  // The data ports read zero while o_valid_o is low, so no X (the FIFO's entries have no
  // reset) ever reaches an output.
  logic fifo_full;
  logic [Lanes*DataBits-1:0] fifo_h;
  logic [Lanes*CellBits-1:0] fifo_c;
  sharp_fifo #(
    .Width (Lanes * (DataBits + CellBits)),
    .Depth (FifoDepth),
    .Slices(Lanes)
  ) u_out_fifo (
    .clk_i,
    .rst_ni,
    .push_i  (cu_real),
    .data_i  ({cu_c, cu_h}),
    .full_o  (fifo_full),
    .valid_o (o_valid_o),
    .ready_i (o_ready_i),
    .data_o  ({fifo_c, fifo_h})
  );
  assign o_h_o = o_valid_o ? fifo_h : '0;
  assign o_c_o = o_valid_o ? fifo_c : '0;
  assign o_pop = o_valid_o && o_ready_i;

  logic unused;
  assign unused = fifo_full;
endmodule
