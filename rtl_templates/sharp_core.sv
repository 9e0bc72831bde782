// sharp_core: the accelerator without its register map. It wires the loaders of the host
// streams, the weight memory, the vector buffers, the MAC array, the accumulators, the
// activation unit, the cell updater, the reconfiguration logic and the scheduler.
// Pipeline, in cycles after a tile is issued (K = array width):
//   +1 weights and input vector read; +2 products; +2+log2(K) row sums reach the
//   accumulators; the bias is read so that it arrives with them. A finished row block's
//   groups leave the accumulators one per cycle, take 2 cycles of activation (the c read
//   runs alongside) and 4 of cell update, then h and c are written and pushed out.
// Initial state: a run started with INIT_STATE = 1 first takes h_{-1} (and c_{-1}) of every
// stream from the state stream (ceil(H / Lanes) beats per stream, stream 0 first, laid out
// as the output stream's beats) into the h bank and the c words the stream's first step
// reads; the scheduler and the x loader start after the last beat. Other runs start from
// h = c = 0.
//   DataBits, FracBits, AccBits, CellBits   number format (see sharp::NumFormat)
//   WFracBits  fraction bits of the weights (the accumulators shift sums right by this)
//   SegBits, SigSlopeBits, TanhSlopeBits, SigDomainBits, TanhDomainBits    activation tables
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
//   SramBits   largest SRAM macro in bits: every buffer is a sharp_mem of such macros
//   SramWidth  widest SRAM macro word in bits (see sharp_mem)
//   WeightSlots  layers the weight and bias memories hold (see sharp_loader)
//   Streams    sequences a run may interleave step by step (see sharp_scheduler): each has
//              two h banks and a c region; outputs leave in virtual-step order
//   Cells      cell kinds supported, bit c for kind c (0 lstm, 1 gru, 2 rnn_tanh, 3 rnn_relu);
//              register CELL picks one per run (see sharp_cell_lane)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_core #(
  parameter int DataBits      = 0,
  parameter int FracBits      = 0,
  parameter int WFracBits     = 0,
  parameter int AccBits       = 0,
  parameter int CellBits      = 0,
  parameter int SegBits       = 0,
  parameter int SigSlopeBits  = 0,
  parameter int TanhSlopeBits = 0,
  parameter int SigDomainBits  = 0,
  parameter int TanhDomainBits = 0,
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
  parameter int Lookahead     = -1,
  parameter int TreeBits      = 0,
  parameter int RowsMax       = 0,
  parameter int SerialMax     = 0,
  parameter int CxMax         = 0,
  parameter int ChMax         = 0,
  parameter int RbMax         = 0,
  parameter int WDepth        = 0,
  parameter int CDepth        = 0,
  parameter int TreeLatency   = 0,
  parameter int ActLatency    = 0,
  parameter int CellLatency   = 0,
  parameter int SramBits      = 0,
  parameter int SramWidth     = 0,
  parameter int WeightSlots   = 0,
  parameter int Streams       = 0,
  parameter int Cells         = 0
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  // Configuration and control (from the register map).
  input  logic                        start_i,
  input  logic                        load_i,
  input  logic [31:0]                 hidden_i,       // the shape of the next load
  input  logic [31:0]                 input_i,
  input  logic [31:0]                 width_i,
  input  logic [31:0]                 steps_i,        // the steps of the next run
  input  logic [31:0]                 load_slot_i,
  input  logic [31:0]                 run_slot_i,
  input  logic [31:0]                 streams_i,      // the streams of the next run
  input  logic [31:0]                 stream_slots_i, // their slots, relative to run_slot_i (4 bits each)
  input  logic [31:0]                 wavefront_i,    // g: stream s >= g reads h of stream s - g as x (0: off)
  input  logic [31:0]                 cell_i,         // cell kind of the next run
  input  logic [31:0]                 init_i,         // the next run takes its initial state from the state stream
  output logic                        busy_o,
  output logic                        loading_o,
  output logic                        done_o,
  output logic                        loaded_o,       // slot run_slot_i holds a complete load
  output logic [31:0]                 slots_o,        // bit s: slot s holds a complete load
  output logic [15:0]                 error_o,
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
  // State stream (runs with INIT_STATE): Lanes neurons of h_{-1} and c_{-1} per beat (c is
  // not read for the gru and the rnn kinds, whose c words take h_{-1}).
  input  logic                        s_valid_i,
  output logic                        s_ready_o,
  input  logic [Lanes*DataBits-1:0]   s_h_i,
  input  logic [Lanes*CellBits-1:0]   s_c_i,
  // Output stream: Lanes neurons of h_t and c_t per beat.
  output logic                        o_valid_o,
  input  logic                        o_ready_i,
  output logic [Lanes*DataBits-1:0]   o_h_o,
  output logic [Lanes*CellBits-1:0]   o_c_o,
  // Framing of the output beat on the ports: o_keep_o bit l: lane l holds a neuron (not beyond
  // H); o_last_o: the last beat of a stream's h_t; o_end_o: the last beat of the run.
  output logic [Lanes-1:0]            o_keep_o,
  output logic                        o_last_o,
  output logic                        o_end_o
);
  // The plan's derived sizes must agree with the primary parameters.
  function automatic integer weight_depth();
    integer w, kw, rows_w, d, best;
    best = 1;
    for (w = 0; w <= $clog2(K) - $clog2(KMin); w = w + 1) begin
      kw = KMin << w;
      rows_w = Rows * (K / kw);
      d = ((4 * MaxHidden + rows_w - 1) / rows_w) * ((MaxInput + kw - 1) / kw + (MaxHidden + kw - 1) / kw);
      if (d > best) best = d;
    end
    weight_depth = best;
  endfunction
  `SHARP_CHECK(gen_tree_bits_check, TreeBits == 2 * DataBits + $clog2(K),
               "sharp_core: TreeBits must be 2 DataBits + log2(K) (plan tree_bits)")
  `SHARP_CHECK(gen_rows_max_check, RowsMax == Rows * (K / KMin),
               "sharp_core: RowsMax must be Rows * K / KMin (plan rows_max)")
  `SHARP_CHECK(gen_serial_max_check, SerialMax == RowsMax / (4 * Lanes),
               "sharp_core: SerialMax must be RowsMax / (4 Lanes) (plan serial_max)")
  `SHARP_CHECK(gen_cx_max_check, CxMax == (MaxInput + K - 1) / K,
               "sharp_core: CxMax must be ceil(MaxInput / K) (plan cx_max)")
  `SHARP_CHECK(gen_ch_max_check, ChMax == (MaxHidden + K - 1) / K,
               "sharp_core: ChMax must be ceil(MaxHidden / K) (plan ch_max)")
  `SHARP_CHECK(gen_rb_max_check, RbMax == (4 * MaxHidden + Rows - 1) / Rows,
               "sharp_core: RbMax must be ceil(4 MaxHidden / Rows) (plan rb_max)")
  `SHARP_CHECK(gen_wdepth_check, WDepth == weight_depth(),
               "sharp_core: WDepth must be the largest RB(Kw) * (CX(Kw) + CH(Kw)) (plan wdepth)")
  `SHARP_CHECK(gen_cdepth_check, CDepth == (MaxHidden + Lanes - 1) / Lanes,
               "sharp_core: CDepth must be ceil(MaxHidden / Lanes) (plan cdepth)")
  `SHARP_CHECK(gen_tree_latency_check, TreeLatency == 2 + $clog2(K),
               "sharp_core: TreeLatency must be 2 + log2(K) (plan tree_latency)")

  // Bit widths and sizes that are not plan values.
  localparam int NumW     = $clog2(K) - $clog2(KMin) + 1;   // run-time widths
  localparam int TapSlots = K / KMin;                       // taps per width per row unit
  localparam int RbBits   = (RbMax > 1) ? $clog2(RbMax) : 1;
  localparam int GrpBits  = RbBits + ((SerialMax > 1) ? $clog2(SerialMax) : 0);
  localparam int RowBits  = (RowsMax > 1) ? $clog2(RowsMax) : 1;
  localparam int BankRowBits = (Rows > 1) ? $clog2(Rows) : 1;
  localparam int SlotW    = (XSlots > 1) ? $clog2(XSlots) : 1;
  localparam int XwBits   = (CxMax > 1) ? $clog2(CxMax) : 1;
  localparam int CAw      = (Streams * CDepth > 1) ? $clog2(Streams * CDepth) : 1;
  localparam int HbW      = $clog2(2 * Streams);                // h bank: 2 stream + parity
  localparam int SW       = (Streams > 1) ? $clog2(Streams) : 1;
  localparam int NeurBits = $clog2(ChMax * K);
  localparam int BankDepth = WxSlots * RbMax;               // W·x bank words
  localparam int BkAw     = (BankDepth > 1) ? $clog2(BankDepth) : 1;
  localparam int WAw      = (WDepth > 1) ? $clog2(WDepth) : 1;
  localparam int WAwT     = (WeightSlots * WDepth > 1) ? $clog2(WeightSlots * WDepth) : 1;  // all slots
  localparam int BAwT     = (WeightSlots * RbMax > 1) ? $clog2(WeightSlots * RbMax) : 1;

  // ---------------------------------------------------------------------------------------
  // Reconfiguration: the legality and weight layout of the registers' shape (for a load), and
  // the tiling of the running layer (the shape recorded with its slot).
  logic        shape_ok, width_ok;
  logic [7:0]  ld_rshift;
  logic [15:0] ld_rb_count, ld_cb, ld_rows_blk;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [7:0]  ld_wsel, ld_kshift, ld_sshift;
  logic [15:0] ld_cx, ld_ch, ld_x_beats, ld_groups, ld_serial;
  logic        run_shape_ok, run_width_ok;
  /* verilator lint_on UNUSEDSIGNAL */
  sharp_reconfig #(
    .K        (K),
    .KMin     (KMin),
    .Rows     (Rows),
    .Lanes    (Lanes),
    .MaxHidden(MaxHidden),
    .MaxInput (MaxInput)
  ) u_reconfig_load (
    .hidden_i,
    .input_i,
    .width_i,
    .shape_ok_o (shape_ok),
    .width_ok_o (width_ok),
    .wsel_o     (ld_wsel),
    .kshift_o   (ld_kshift),
    .rows_blk_o (ld_rows_blk),
    .rshift_o   (ld_rshift),
    .serial_o   (ld_serial),
    .sshift_o   (ld_sshift),
    .rb_count_o (ld_rb_count),
    .cx_o       (ld_cx),
    .ch_o       (ld_ch),
    .cb_o       (ld_cb),
    .x_beats_o  (ld_x_beats),
    .groups_o   (ld_groups)
  );

  // The running layer's tiling, registered: the loader's run registers are stable from the
  // cycle after a start, and the core starts two cycles after it (start_q2 below), so every
  // block reads these registers and never the reconfiguration logic.
  logic [31:0] run_hidden, run_input, run_width, run_steps;
  logic [3:0]  run_streams, run_wave;
  logic [1:0]  run_cell;
  logic        run_init;
  logic [7:0]  wsel_c, kshift_c, rshift_c, sshift_c;
  logic [15:0] rb_count_c, cx_c, ch_c, cb_c, x_beats_c, groups_c, rows_blk_c, serial_c;
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
    .hidden_i   (run_hidden),
    .input_i    (run_input),
    .width_i    (run_width),
    .shape_ok_o (run_shape_ok),
    .width_ok_o (run_width_ok),
    .wsel_o     (wsel_c),
    .kshift_o   (kshift_c),
    .rows_blk_o (rows_blk_c),
    .rshift_o   (rshift_c),
    .serial_o   (serial_c),
    .sshift_o   (sshift_c),
    .rb_count_o (rb_count_c),
    .cx_o       (cx_c),
    .ch_o       (ch_c),
    .cb_o       (cb_c),
    .x_beats_o  (x_beats_c),
    .groups_o   (groups_c)
  );
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wsel     <= '0;
      kshift   <= '0;
      rshift   <= '0;
      sshift   <= '0;
      rb_count <= '0;
      cx       <= '0;
      ch       <= '0;
      cb       <= '0;
      x_beats  <= '0;
      groups   <= '0;
      rows_blk <= '0;
      serial   <= '0;
    end else begin
      wsel     <= wsel_c;
      kshift   <= kshift_c;
      rshift   <= rshift_c;
      sshift   <= sshift_c;
      rb_count <= rb_count_c;
      cx       <= cx_c;
      ch       <= ch_c;
      cb       <= cb_c;
      x_beats  <= x_beats_c;
      groups   <= groups_c;
      rows_blk <= rows_blk_c;
      serial   <= serial_c;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Request check (ERROR bits), weight and bias loaders.
  logic                   busy, sched_busy, sched_done, start_ok;
  logic                   w_fire, b_fire;
  logic [BankRowBits-1:0] w_bank;
  logic [WAwT-1:0]        w_waddr;
  logic [Streams*WAwT-1:0] run_wbase;
  logic [RowBits-1:0]     b_elem;
  logic [BAwT-1:0]        b_waddr;
  logic [Streams*BAwT-1:0] run_bbase;
  sharp_loader #(
    .Rows   (Rows),
    .RowsMax(RowsMax),
    .RbMax  (RbMax),
    .WDepth (WDepth),
    .Slots  (WeightSlots),
    .Streams(Streams),
    .Cells  (Cells)
  ) u_loader (
    .clk_i,
    .rst_ni,
    .start_i,
    .load_i,
    .hidden_i,
    .input_i,
    .width_i,
    .steps_i,
    .load_slot_i,
    .run_slot_i,
    .streams_i,
    .stream_slots_i,
    .wavefront_i,
    .cell_i,
    .init_i,
    .shape_ok_i   (shape_ok),
    .width_ok_i   (width_ok),
    .rb_count_i   (ld_rb_count),
    .cb_i         (ld_cb),
    .rows_blk_i   (ld_rows_blk),
    .rshift_i     (ld_rshift),
    .busy_i       (busy),
    .start_ok_o   (start_ok),
    .loading_o,
    .loaded_o,
    .slots_o,
    .error_o,
    .run_hidden_o (run_hidden),
    .run_input_o  (run_input),
    .run_width_o  (run_width),
    .run_steps_o  (run_steps),
    .run_streams_o(run_streams),
    .run_wave_o   (run_wave),
    .run_cell_o   (run_cell),
    .run_init_o   (run_init),
    .run_wbase_o  (run_wbase),
    .run_bbase_o  (run_bbase),
    .w_valid_i,
    .w_ready_o,
    .b_valid_i,
    .b_ready_o,
    .w_we_o     (w_fire),
    .w_bank_o   (w_bank),
    .w_waddr_o  (w_waddr),
    .b_we_o     (b_fire),
    .b_elem_o   (b_elem),
    .b_waddr_o  (b_waddr)
  );

  // A legal start reaches the scheduler and the x loader two cycles later (start_q2), when the
  // loader's run registers (written at the start) and the tiling registers above hold the new
  // run, or, for a run with initial state, the cycle after the state stream's last beat
  // (run_go). The run counts as busy from the start request on.
  logic start_q1, start_q2, run_go;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      start_q1 <= 1'b0;
      start_q2 <= 1'b0;
    end else begin
      start_q1 <= start_ok;
      start_q2 <= start_q1;
    end
  end

  // The state phase: beat g of stream s writes neurons g Lanes .. of h bank 2 s + 1 (the bank
  // a stream's first step reads) and c word s CDepth + g. The cell updater writes nothing
  // meanwhile (no tile has been issued), so the phase borrows its write ports.
  logic             st_active_q, st_done_q, st_fire, st_last_grp;
  logic [SW-1:0]    st_stream_q;
  logic [15:0]      st_grp_q, st_groups;
  assign st_groups   = 16'((run_hidden[16:0] + 17'(Lanes - 1)) >> $clog2(Lanes));
  assign st_fire     = st_active_q && s_valid_i;
  assign st_last_grp = (st_grp_q + 16'd1 == st_groups);
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_active_q <= 1'b0;
      st_done_q   <= 1'b0;
      st_stream_q <= '0;
      st_grp_q    <= '0;
    end else begin
      st_done_q <= 1'b0;
      if (start_q2 && run_init) begin
        st_active_q <= 1'b1;
        st_stream_q <= '0;
        st_grp_q    <= '0;
      end else if (st_fire) begin
        st_grp_q <= st_last_grp ? 16'd0 : st_grp_q + 16'd1;
        if (st_last_grp) begin
          st_stream_q <= st_stream_q + SW'(1);
          if (32'(st_stream_q) + 32'd1 == 32'(run_streams)) begin
            st_active_q <= 1'b0;
            st_done_q   <= 1'b1;
          end
        end
      end
    end
  end
  assign s_ready_o = st_active_q;
  assign run_go    = (start_q2 && !run_init) || st_done_q;
  assign busy      = sched_busy || start_q1 || start_q2 || st_active_q || st_done_q;

  // x loader.
  logic [31:0]       x_loaded, x_released;
  logic              x_fire;
  logic [SlotW-1:0]  x_slot;
  logic [XwBits-1:0] x_word;
  sharp_x_loader #(
    .XSlots(XSlots),
    .CxMax (CxMax)
  ) u_x_loader (
    .clk_i,
    .rst_ni,
    .start_i      (run_go),
    .busy_i       (sched_busy),
    .steps_i      (run_steps),
    .x_beats_i    (x_beats),
    .x_released_i (x_released),
    .x_valid_i,
    .x_ready_o,
    .x_loaded_o   (x_loaded),
    .x_we_o       (x_fire),
    .x_slot_o     (x_slot),
    .x_word_o     (x_word)
  );

  // ---------------------------------------------------------------------------------------
  // Scheduler.
  logic              is_valid, is_first, is_last, is_step_last, is_first_step, is_h, is_rd_h;
  logic [HbW-1:0]    is_hbank, is_rd_bank;
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
    .Lookahead(Lookahead),
    .Streams  (Streams)
  ) u_scheduler (
    .clk_i,
    .rst_ni,
    .start_i            (run_go),
    .hidden_i           (run_hidden[15:0]),
    .input_i            (run_input[15:0]),
    .steps_i            (run_steps),
    .streams_i          (run_streams),
    .wave_i             (run_wave),
    .init_i             (run_init),
    .rb_count_i         (rb_count),
    .cx_i               (cx),
    .ch_i               (ch),
    .cb_i               (cb),
    .groups_i           (groups),
    .kshift_i           (kshift),
    .rows_blk_i         (rows_blk),
    .rshift_i           (rshift),
    .serial_i           (serial),
    .busy_o             (sched_busy),
    .done_o             (sched_done),
    .x_loaded_i         (x_loaded),
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
    .issue_hbank_o      (is_hbank),
    .issue_rd_h_o       (is_rd_h),
    .issue_rd_bank_o    (is_rd_bank),
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
  assign done_o = sched_done;

  // ---------------------------------------------------------------------------------------
  // Memories and the array.
  logic [Rows*K*DataBits-1:0] w_rdata;
  logic [RowsMax*DataBits-1:0] b_rdata;
  logic [K*DataBits-1:0]      vec;
  logic [RowsMax*TreeBits-1:0] sums;

  // Tags, delayed to meet the row sums.
  logic              b_re, bank_re;
  logic [RbBits-1:0] b_raddr;
  logic [BkAw-1:0]   bank_raddr;
  logic              acc_valid, acc_uh, acc_last, acc_step_last;
  logic [HbW-1:0]    acc_hbank;
  logic [BkAw-1:0]   acc_bank;
  logic [RbBits-1:0] acc_rb;
  logic              g_first_step;
  logic [3:0]        acc_ctl_pre;
  logic [HbW-1:0]    b_hbank;
  sharp_tag_pipe #(
    .TreeLatency(TreeLatency),
    .RbBits     (RbBits),
    .BkAw       (BkAw),
    .HbW        (HbW)
  ) u_tag_pipe (
    .clk_i,
    .rst_ni,
    .kshift_i         (kshift),
    .valid_i          (is_valid),
    .uh_i             (is_h),
    .first_i          (is_first),
    .last_i           (is_last),
    .step_last_i      (is_step_last),
    .first_step_i     (is_first_step),
    .hbank_i          (is_hbank),
    .bank_i           (is_bank),
    .rb_i             (is_rb),
    .b_re_o           (b_re),
    .b_raddr_o        (b_raddr),
    .bank_re_o        (bank_re),
    .bank_raddr_o     (bank_raddr),
    .bias_ctl_o       (acc_ctl_pre),
    .bias_hbank_o     (b_hbank),
    .acc_valid_o      (acc_valid),
    .acc_uh_o         (acc_uh),
    .acc_last_o       (acc_last),
    .acc_step_last_o  (acc_step_last),
    .acc_hbank_o      (acc_hbank),
    .acc_bank_o       (acc_bank),
    .acc_rb_o         (acc_rb),
    .grp_first_step_o (g_first_step)
  );

  // Weight and bias reads: the words of the tile's stream's slot (the stream is the upper bits
  // of the tile's h bank index).
  logic [SW-1:0]   w_stream, b_stream;
  logic [WAwT-1:0] w_raddr;
  logic [BAwT-1:0] b_raddr_full;
  assign w_stream     = SW'(is_hbank >> 1);
  assign b_stream     = SW'(b_hbank >> 1);
  assign w_raddr      = run_wbase[32'(w_stream)*WAwT +: WAwT] + WAwT'(is_waddr);
  assign b_raddr_full = run_bbase[32'(b_stream)*BAwT +: BAwT] + BAwT'(b_raddr);

  sharp_weight_mem #(
    .DataBits(DataBits),
    .K       (K),
    .Rows    (Rows),
    .BRows   (RowsMax),
    .WDepth  (WeightSlots * WDepth),
    .BDepth  (WeightSlots * RbMax),
    .SramBits(SramBits),
    .SramWidth(SramWidth)
  ) u_weight_mem (
    .clk_i,
    .w_we_i    (w_fire),
    .w_bank_i  (w_bank),
    .w_waddr_i (w_waddr),
    .w_wdata_i (w_data_i),
    .b_we_i    (b_fire),
    .b_elem_i  (b_elem),
    .b_waddr_i (b_waddr),
    .b_wdata_i (b_data_i),
    .w_re_i    (is_valid),
    .w_raddr_i (w_raddr),
    .w_rdata_o (w_rdata),
    .b_re_i    (b_re),
    .b_raddr_i (b_raddr_full),
    .b_rdata_o (b_rdata)
  );

  // Cell-update results.
  localparam int CTagW = 1 + HbW + GrpBits;   // {first_step, hbank, group}
  logic                      cu_valid;
  logic [CTagW:0]            cu_tag;     // {step_last, first_step, hbank, group}
  logic [Lanes*DataBits-1:0] cu_h;
  logic [Lanes*CellBits-1:0] cu_c;
  logic [GrpBits-1:0]        cu_grp;
  logic [31:0]               cu_neuron;
  logic                      cu_real;
  assign cu_grp    = cu_tag[GrpBits-1:0];
  assign cu_neuron = 32'(cu_grp) << $clog2(Lanes);
  assign cu_real   = cu_valid && (cu_neuron < 32'(run_hidden[15:0]));
  // c words: stream s * CDepth + group (the stream is the h bank's upper bits).
  logic [HbW-1:0] cu_hbank;
  logic [SW-1:0]  cu_stream;
  assign cu_hbank  = cu_tag[GrpBits +: HbW];
  assign cu_stream = SW'(cu_hbank >> 1);

  // The h and c write ports: the cell updater's, or the state phase's. For the gru and the
  // rnn kinds c_{-1} is h_{-1} (their c words hold h).
  logic                      hw_we;
  logic [HbW-1:0]            hw_bank;
  logic [NeurBits-1:0]       hw_neuron;
  logic [Lanes*DataBits-1:0] hw_h;
  logic [CAw-1:0]            cw_addr;
  logic [Lanes*CellBits-1:0] cw_c, st_c;
  for (genvar l = 0; l < Lanes; l++) begin : gen_state_c
    assign st_c[l*CellBits +: CellBits] = (run_cell == 2'd0) ? s_c_i[l*CellBits +: CellBits]
                                                              : CellBits'($signed(s_h_i[l*DataBits +: DataBits]));
  end
  assign hw_we     = cu_real || st_fire;
  assign hw_bank   = st_active_q ? HbW'({st_stream_q, 1'b1}) : cu_hbank;
  assign hw_neuron = st_active_q ? NeurBits'(32'(st_grp_q) << $clog2(Lanes)) : NeurBits'(cu_neuron);
  assign hw_h      = st_active_q ? s_h_i : cu_h;
  assign cw_addr   = st_active_q ? CAw'(st_stream_q) * CAw'(CDepth) + CAw'(st_grp_q)
                                 : CAw'(cu_stream) * CAw'(CDepth) + CAw'(cu_grp);
  assign cw_c      = st_active_q ? st_c : cu_c;

  // Groups leaving the accumulators (c is read for them alongside the activation).
  logic                        g_valid, g_step_last;
  logic [HbW-1:0]              g_hbank;
  logic [SW-1:0]               g_stream;
  logic [GrpBits-1:0]          g_idx;
  logic [4*Lanes*DataBits-1:0] g_preact;
  logic [Lanes*CellBits-1:0]   c_rdata;
  logic                        g_real;
  assign g_real = g_valid && ((32'(g_idx) << $clog2(Lanes)) < 32'(run_hidden[15:0]));
  assign g_stream = SW'(g_hbank >> 1);

  sharp_vector_buffers #(
    .DataBits(DataBits),
    .CellBits(CellBits),
    .K       (K),
    .KMin    (KMin),
    .Lanes   (Lanes),
    .XSlots  (XSlots),
    .XDepth  (CxMax),
    .HDepth  (ChMax),
    .CDepth  (CDepth),
    .SramBits(SramBits),
    .SramWidth(SramWidth),
    .Streams (Streams)
  ) u_vector_buffers (
    .clk_i,
    .rst_ni,
    .x_we_i     (x_fire),
    .x_slot_i   (x_slot),
    .x_word_i   (x_word),
    .x_wdata_i  (x_data_i),
    .rd_valid_i (is_valid),
    .rd_is_h_i  (is_rd_h),
    .rd_xslot_i (is_xslot),
    .rd_hbank_i (is_rd_bank),
    .rd_block_i (is_word),
    .rd_wsel_i  (wsel),
    .rd_count_i (is_count),
    .vec_o      (vec),
    .h_we_i     (hw_we),
    .h_bank_i   (hw_bank),
    .h_neuron_i (hw_neuron),
    .h_wdata_i  (hw_h),
    .c_re_i     (g_real),
    .c_raddr_i  (CAw'(g_stream) * CAw'(CDepth) + CAw'(g_idx)),
    .c_rdata_o  (c_rdata),
    .c_we_i     (hw_we),
    .c_waddr_i  (cw_addr),
    .c_wdata_i  (cw_c)
  );

  // Every width has TapSlots slots per row unit (see sharp_acc_route).
  logic [Rows*NumW*TapSlots*TreeBits-1:0] taps;
  for (genvar r = 0; r < Rows; r++) begin : gen_row
    sharp_row_unit #(
      .DataBits(DataBits),
      .K       (K),
      .KMin    (KMin)
    ) u_row (
      .clk_i,
      .weights_i (w_rdata[r*K*DataBits +: K*DataBits]),
      .vec_i     (vec),
      .taps_o    (taps[r*NumW*TapSlots*TreeBits +: NumW*TapSlots*TreeBits])
    );
  end

  sharp_acc_route #(
    .K       (K),
    .KMin    (KMin),
    .Rows    (Rows),
    .RowsMax (RowsMax),
    .TreeBits(TreeBits)
  ) u_acc_route (
    .taps_i (taps),
    .wsel_i (wsel),
    .sums_o (sums)
  );

  // ---------------------------------------------------------------------------------------
  // Accumulators, activation, cell update.
  sharp_accumulators #(
    .Rows    (RowsMax),
    .TreeBits(TreeBits),
    .AccBits (AccBits),
    .DataBits(DataBits),
    .FracBits(WFracBits),
    .Lanes   (Lanes),
    .Serial  (SerialMax),
    .RbBits  (RbBits),
    .BankDepth(BankDepth),
    .SramBits (SramBits),
    .SramWidth(SramWidth),
    .HbW      (HbW)
  ) u_accumulators (
    .clk_i,
    .rst_ni,
    .valid_i         (acc_valid),
    .uh_i            (acc_uh),
    .bank_addr_i     (acc_bank),
    .last_i          (acc_last),
    .step_last_i     (acc_step_last),
    .hbank_i         (acc_hbank),
    .rb_i            (acc_rb),
    .ctl_pre_i       (acc_ctl_pre),
    .sum_i           (sums),
    .bias_i          (b_rdata),
    .serial_i        (serial),
    .sshift_i        (sshift),
    .bank_re_i       (bank_re),
    .bank_raddr_i    (bank_raddr),
    .grp_valid_o     (g_valid),
    .grp_idx_o       (g_idx),
    .grp_step_last_o (g_step_last),
    .grp_hbank_o     (g_hbank),
    .grp_preact_o    (g_preact)
  );

  logic [Lanes*DataBits-1:0] a_i, a_f, a_g, a_o, a_r0, a_r2, a_r3;
  sharp_activation #(
    .Lanes        (Lanes),
    .DataBits     (DataBits),
    .SegBits      (SegBits),
    .SigSlopeBits (SigSlopeBits),
    .TanhSlopeBits(TanhSlopeBits),
    .SigDomainBits (SigDomainBits),
    .TanhDomainBits(TanhDomainBits),
    .Latency      (ActLatency),
    .Raw          ((Cells & ~1) != 0)
  ) u_activation (
    .clk_i,
    .preact_i (g_preact),
    .i_o      (a_i),
    .f_o      (a_f),
    .g_o      (a_g),
    .o_o      (a_o),
    .r0_o     (a_r0),
    .r2_o     (a_r2),
    .r3_o     (a_r3)
  );

  // Align the group's tag and c_{t-1} with the activation outputs.
  logic [CTagW+1:0] a_tag;   // {valid, step_last, first_step, hbank, group}
  sharp_delay #(.Width(CTagW + 2), .Delay(ActLatency), .Runtime(0)) u_tag_to_cell (
    .clk_i, .rst_ni, .delay_i(8'd0), .d_i({g_valid, g_step_last, g_first_step, g_hbank, g_idx}), .q_o(a_tag));
  // c_{-1} = 0 at the first step (unless the host loaded it), zeroed as c is read (c_rdata is one cycle behind the group's
  // tag), so that c_{t-1} reaches the cell updater straight from a register. (A plain wire, not
  // an unsized '0 in the port list, which makes Yosys elaborate this module twice.)
  logic                      c_first_step_q;
  logic [Lanes*CellBits-1:0] c_rdata_z, c_prev_in;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) c_first_step_q <= 1'b0;
    else c_first_step_q <= g_first_step && !run_init;
  end
  assign c_rdata_z = c_first_step_q ? '0 : c_rdata;
  sharp_delay #(.Width(Lanes * CellBits), .Delay(ActLatency - 1), .Runtime(0)) u_c_to_cell (
    .clk_i, .rst_ni, .delay_i(8'd0), .d_i(c_rdata_z), .q_o(c_prev_in));

  logic [CTagW:0] cu_tag_full;
  sharp_cell_update #(
    .Lanes        (Lanes),
    .DataBits     (DataBits),
    .FracBits     (FracBits),
    .CellBits     (CellBits),
    .SegBits      (SegBits),
    .TanhSlopeBits(TanhSlopeBits),
    .TanhDomainBits(TanhDomainBits),
    .TagBits      (CTagW + 1),
    .Latency      (CellLatency),
    .Cells        (Cells)
  ) u_cell_update (
    .clk_i,
    .rst_ni,
    .valid_i  (a_tag[CTagW+1]),
    .tag_i    (a_tag[CTagW:0]),
    .i_i      (a_i),
    .f_i      (a_f),
    .g_i      (a_g),
    .o_i      (a_o),
    .r0_i     (a_r0),
    .r2_i     (a_r2),
    .r3_i     (a_r3),
    .cell_i   (run_cell),
    .c_prev_i (c_prev_in),
    .valid_o  (cu_valid),
    .tag_o    (cu_tag_full),
    .h_o      (cu_h),
    .c_o      (cu_c)
  );
  assign cu_tag    = cu_tag_full;

  // The scheduler's scoreboard input, one cycle ahead of the cell updater's writes: neurons of
  // the step written so far (groups complete in order) and step completion. The scheduler's
  // issue register delays each tile by a cycle, so a tile decided on this early view still
  // reads h after the write, and the recurrence loop is no longer than without the register.
  // Registered, from the tag two cycles before the write.
  `SHARP_CHECK(gen_cell_latency_check, CellLatency >= 2, "sharp_core: CellLatency must be at least 2")
  logic [CTagW+1:0] e_tag;   // {valid, step_last, first_step, hbank, group}
  sharp_delay #(.Width(CTagW + 2), .Delay(CellLatency - 2), .Runtime(0)) u_tag_early (
    .clk_i, .rst_ni, .delay_i(8'd0), .d_i(a_tag), .q_o(e_tag));
  logic [31:0] e_neuron;
  assign e_neuron = 32'(e_tag[GrpBits-1:0]) << $clog2(Lanes);
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      h_write   <= 1'b0;
      h_written <= '0;
      step_done <= 1'b0;
    end else begin
      h_write   <= e_tag[CTagW+1] && (e_neuron < 32'(run_hidden[15:0]));
      h_written <= (e_neuron + 32'(Lanes) < 32'(run_hidden[15:0])) ? e_neuron + 32'(Lanes) : 32'(run_hidden[15:0]);
      step_done <= e_tag[CTagW+1] && e_tag[CTagW];
    end
  end

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

  // Output framing: beats popped so far in the current h_t (of st_groups) and h_t vectors
  // popped in the run (of run_steps, which counts steps x streams). The counts restart after
  // the run's last beat, so they need no start: a run's outputs are all taken before the next
  // run's first (the host protocol). run_hidden and run_steps hold the run until the next start.
  // (FW bits hold H <= MaxHidden: the counter and the lane check as narrow as the design allows.)
  localparam int FW = $clog2(MaxHidden + 1) + 1;
  logic [FW-1:0] of_grp_q, of_left;
  logic [31:0]   of_vec_q;
  assign o_last_o = o_valid_o && (of_grp_q + FW'(1) == FW'(st_groups));
  assign o_end_o  = o_last_o && (of_vec_q + 32'd1 == run_steps);
  if (Lanes == 1) begin : gen_keep_one  // a beat of one lane always holds a neuron
    assign of_left  = '0;
    assign o_keep_o = o_valid_o;
  end else begin : gen_keep
    assign of_left = FW'(run_hidden[15:0]) - (of_grp_q << $clog2(Lanes));
    for (genvar l = 0; l < Lanes; l++) begin : gen_lane
      assign o_keep_o[l] = o_valid_o && (FW'(l) < of_left);
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      of_grp_q <= '0;
      of_vec_q <= '0;
    end else if (o_pop) begin
      if (o_end_o) begin
        of_grp_q <= '0;
        of_vec_q <= '0;
      end else if (o_last_o) begin
        of_grp_q <= '0;
        of_vec_q <= of_vec_q + 32'd1;
      end else begin
        of_grp_q <= of_grp_q + FW'(1);
      end
    end
  end

  logic unused;
  assign unused = fifo_full ^ ^cu_tag[CTagW:CTagW-1] ^ ^of_left;  // step_last, first_step: used earlier (e_tag, c read)
endmodule
