// sharp_loader: the request check, the weight slots and the weight and bias loaders.
// The weight memory holds Slots layers ("slots"), each WDepth words per bank and RbMax bias
// words. A load writes the layer in HIDDEN / INPUT / WIDTH into slot LOAD_SLOT and records that
// shape with the slot; a run computes the layer of slot RUN_SLOT, in the shape recorded with
// it, for STEPS steps. Every request latches what it uses, so the registers may be rewritten at
// any time: the host prepares the next load while a run goes on, and loads one slot while
// another is computed. An illegal request sets ERROR bits and is dropped:
//   bit 0: H or X out of range (load)       bit 1: T = 0 (start)
//   bit 2: width not supported (load)       bit 3: start while running, or load while loading
//   bit 4: start with slot RUN_SLOT not (or not yet completely) loaded
//   bit 5: STREAMS not in 1 .. Streams, or STEPS x STREAMS >= 2^32 (start)
//   bit 6: load into a slot being run       bit 7: LOAD_SLOT (load), RUN_SLOT or a stream's slot
//                                            (start) >= Slots
//   bit 8: start with a stream's slot holding another shape than slot RUN_SLOT
//   bit 9: start with WAVEFRONT not 0 and either not below STREAMS or X != H (a wavefront's
//          later layers take h of the layer below as x)
//   bit 10: start with CELL not one of the design's cell kinds (bit CELL of Cells)
//   bit 11: start with INIT_STATE = 1 and WAVEFRONT not 0 (a wavefront's layers restart from
//           zero state in their first slot)
// A CTRL write with both bits set is a start; its load bit is ignored. A run of n streams
// computes n sequences, interleaved step by step: n x STEPS virtual steps. Stream 0 computes
// slot RUN_SLOT, stream s >= 1 slot RUN_SLOT + STREAM_SLOTS[4s+3:4s] (0: the run slot, as the
// sequences of a batch do; the two directions of a bidirectional layer use two slots); every
// stream's slot must be loaded, in the run slot's shape.
// Weight loader: beats in order (row block, column block, row unit), each the unit's K
// weights (K / Kw rows of Kw columns); bias loader: one bias per beat in dense row order
// (row block, row), Rk rows per block.
//   Rows      row units (weight-memory banks)
//   RowsMax   rows of a tile at the narrowest width (bias elements per word)
//   RbMax     largest number of row blocks (bias words per slot)
//   WDepth    weight words per bank and slot
//   Slots     layer slots of the weight and bias memories
//   Streams   largest number of streams of a run (1, 2, 4 or 8)
//   Cells     the cell kinds the design supports: bit c for kind c (0 lstm, 1 gru, 2 rnn_tanh,
//             3 rnn_relu)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_loader #(
  parameter int Rows    = 0,
  parameter int RowsMax = 0,
  parameter int RbMax   = 0,
  parameter int WDepth  = 0,
  parameter int Slots   = 0,
  parameter int Streams = 0,
  parameter int Cells   = 0
) (
  input  logic                                                     clk_i,
  input  logic                                                     rst_ni,
  // Requests and the registers (from the register map).
  input  logic                                                     start_i,
  input  logic                                                     load_i,
  // (A slot records the low 16 bits: a legal H, X or width fits them, and the range check of
  // sharp_reconfig sees all 32.)
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [31:0]                                              hidden_i,
  input  logic [31:0]                                              input_i,
  input  logic [31:0]                                              width_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [31:0]                                              steps_i,
  input  logic [31:0]                                              load_slot_i,
  input  logic [31:0]                                              run_slot_i,
  input  logic [31:0]                                              streams_i,
  // (4 bits per stream: with fewer than 8 streams the high nibbles are unused.)
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [31:0]                                              stream_slots_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [31:0]                                              wavefront_i,
  input  logic [31:0]                                              cell_i,
  input  logic [31:0]                                              init_i,
  // Legality and tiling of the registers' shape (sharp_reconfig of HIDDEN / INPUT / WIDTH).
  input  logic                                                     shape_ok_i,
  input  logic                                                     width_ok_i,
  // (Only the low bits are used: the counts of a legal shape fit the memories' addresses.)
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [15:0]                                              rb_count_i,
  input  logic [15:0]                                              cb_i,
  input  logic [15:0]                                              rows_blk_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [7:0]                                               rshift_i,
  input  logic                                                     busy_i,      // the scheduler runs
  output logic                                                     start_ok_o,  // a legal start
  output logic                                                     loading_o,
  output logic                                                     loaded_o,    // slot RUN_SLOT is loaded
  output logic [31:0]                                              slots_o,     // bit s: slot s is loaded
  output logic [15:0]                                              error_o,
  // The run: the shape recorded with its slot and its steps, from the start on (valid in the
  // cycle of the legal start too), and the slot's first weight and bias words.
  output logic [31:0]                                              run_hidden_o,
  output logic [31:0]                                              run_input_o,
  output logic [31:0]                                              run_width_o,
  output logic [31:0]                                              run_steps_o,   // steps x streams (valid one cycle later)
  output logic [3:0]                                               run_streams_o,
  output logic [3:0]                                               run_wave_o,    // g (0: no wavefront)
  output logic [1:0]                                               run_cell_o,    // the run's cell kind
  output logic                                                     run_init_o,    // initial state from the state stream
  // Every stream's first weight and bias words (stream s at s * width), from the cycle after
  // the start.
  output logic [Streams*((Slots * WDepth > 1) ? $clog2(Slots * WDepth) : 1)-1:0] run_wbase_o,
  output logic [Streams*((Slots * RbMax > 1) ? $clog2(Slots * RbMax) : 1)-1:0]   run_bbase_o,
  // Weight and bias streams.
  input  logic                                                     w_valid_i,
  output logic                                                     w_ready_o,
  input  logic                                                     b_valid_i,
  output logic                                                     b_ready_o,
  // Weight and bias memory writes (addresses of the whole memories, slot included).
  output logic                                                     w_we_o,
  output logic [((Rows > 1) ? $clog2(Rows) : 1)-1:0]               w_bank_o,
  output logic [((Slots * WDepth > 1) ? $clog2(Slots * WDepth) : 1)-1:0] w_waddr_o,
  output logic                                                     b_we_o,
  output logic [((RowsMax > 1) ? $clog2(RowsMax) : 1)-1:0]         b_elem_o,
  output logic [((Slots * RbMax > 1) ? $clog2(Slots * RbMax) : 1)-1:0]   b_waddr_o
);
  `SHARP_CHECK(gen_param_check, Rows >= 2 && RowsMax >= Rows && RbMax >= 1 && WDepth >= 1 && Slots >= 1 &&
               Slots <= 32 && Streams >= 1 && Streams <= 8 && Cells >= 1 && Cells <= 15,
               "sharp_loader: illegal parameters")

  localparam int BankRowBits = (Rows > 1) ? $clog2(Rows) : 1;
  localparam int RowBits     = (RowsMax > 1) ? $clog2(RowsMax) : 1;
  localparam int RbBits      = (RbMax > 1) ? $clog2(RbMax) : 1;
  localparam int WAw         = (WDepth > 1) ? $clog2(WDepth) : 1;
  localparam int WAwT        = (Slots * WDepth > 1) ? $clog2(Slots * WDepth) : 1;
  localparam int BAwT        = (Slots * RbMax > 1) ? $clog2(Slots * RbMax) : 1;
  localparam int SlotBits    = (Slots > 1) ? $clog2(Slots) : 1;

  // Slots: the shape recorded with each (at its load's request), and whether its load is complete.
  logic [Slots-1:0]    valid_q;
  logic [Slots*16-1:0] rec_h_q, rec_x_q, rec_w_q;
  logic                loading_q;
  logic [SlotBits-1:0] ld_slot_q;
  logic                run_slot_in, load_slot_in;
  logic [SlotBits-1:0] run_slot, load_slot;
  assign run_slot_in  = run_slot_i < 32'(Slots);
  assign load_slot_in = load_slot_i < 32'(Slots);
  assign run_slot     = SlotBits'(run_slot_i);
  assign load_slot    = SlotBits'(load_slot_i);

  // The record of slot RUN_SLOT. (Continuous assignments: an always_comb that sets defaults and
  // then overrides them in a loop over the slots made Icarus 11 re-run it without end.)
  logic        run_valid;
  logic [15:0] sel_h, sel_x, sel_w;
  assign run_valid = run_slot_in && valid_q[run_slot];
  assign sel_h     = run_slot_in ? rec_h_q[32'(run_slot)*16 +: 16] : 16'd0;
  assign sel_x     = run_slot_in ? rec_x_q[32'(run_slot)*16 +: 16] : 16'd0;
  assign sel_w     = run_slot_in ? rec_w_q[32'(run_slot)*16 +: 16] : 16'd0;

  // STREAMS in 1 .. Streams, and STEPS x STREAMS < 2^32 (compared with a constant per count,
  // so that no product is on the request path).
  logic streams_ok;
  logic [Streams-1:0] n_ok;
  for (genvar n = 1; n <= Streams; n++) begin : gen_streams_ok
    if (n == 1) begin : gen_one  // every 32-bit STEPS fits
      assign n_ok[0] = (streams_i == 32'd1);
    end else begin : gen_more
      assign n_ok[n-1] = (streams_i == 32'(n)) && (steps_i <= 32'(33'h0_FFFF_FFFF / 33'(n)));
    end
  end
  assign streams_ok = |n_ok;
  // WAVEFRONT: 0, or 1 .. STREAMS - 1 with X = H (never in a single-stream design).
  logic wave_ok;
  assign wave_ok = (wavefront_i == 32'd0) || (Streams > 1 && wavefront_i < streams_i && sel_x == sel_h);

  // CELL: a kind the design has.
  logic       cell_ok;
  logic [3:0] cells_mask;
  assign cells_mask = 4'(Cells);
  assign cell_ok    = (cell_i < 32'd4) && cells_mask[cell_i[1:0]];

  // Every stream's slot (active streams only): in range, loaded, in the run slot's shape.
  logic [Streams-1:0]          st_active, st_in, st_valid, st_same;
  logic [Streams*SlotBits-1:0] st_slot;
  // Stream 0 computes slot RUN_SLOT itself (bits 3..0 of STREAM_SLOTS are not used), so a
  // single-stream design has none of this logic.
  for (genvar s = 0; s < Streams; s++) begin : gen_stream_slot
    if (s == 0) begin : gen_run_slot
      assign st_slot[SlotBits-1:0] = run_slot;
      assign st_active[0]          = 1'b1;
      assign st_in[0]              = run_slot_in;
      assign st_valid[0]           = run_valid;
      assign st_same[0]            = 1'b1;
    end else begin : gen_offset
      logic [32:0] sum;
      logic [SlotBits-1:0] sl;
      assign sum          = {1'b0, run_slot_i} + 33'(stream_slots_i[4*s +: 4]);
      assign sl           = SlotBits'(sum);
      assign st_slot[s*SlotBits +: SlotBits] = sl;
      assign st_active[s] = (32'(s) < streams_i);
      assign st_in[s]     = (sum < 33'(Slots));
      assign st_valid[s]  = st_in[s] && valid_q[sl];
      assign st_same[s]   = (rec_h_q[32'(sl)*16 +: 16] == sel_h) && (rec_x_q[32'(sl)*16 +: 16] == sel_x) &&
                            (rec_w_q[32'(sl)*16 +: 16] == sel_w);
    end
  end
  // The slots the running layer's streams compute (a load into one of them is refused).
  // (Continuous assignments, not an always_comb loop: see the record of slot RUN_SLOT above.)
  logic [Streams*SlotBits-1:0] run_slots_q;
  logic [Streams-1:0]          run_act_q, hits;
  logic                        load_hits_run;
  for (genvar s = 0; s < Streams; s++) begin : gen_hit
    assign hits[s] = run_act_q[s] && (run_slots_q[s*SlotBits +: SlotBits] == load_slot);
  end
  assign load_hits_run = |hits;

  // Request check.
  logic        load_ok;
  logic [15:0] err_q, err_now;
  always_comb begin
    err_now = '0;
    if (start_i) begin
      if (steps_i == 32'd0) err_now[1] = 1'b1;
      if (!streams_ok) err_now[5] = 1'b1;
      if (busy_i) err_now[3] = 1'b1;
      if (!run_slot_in || |(st_active & ~st_in)) err_now[7] = 1'b1;
      else if (!run_valid || |(st_active & ~st_valid)) err_now[4] = 1'b1;
      else if (|(st_active & ~st_same)) err_now[8] = 1'b1;
      else if (!wave_ok) err_now[9] = 1'b1;
      if (!cell_ok) err_now[10] = 1'b1;
      if (init_i != 32'd0 && wavefront_i != 32'd0) err_now[11] = 1'b1;
    end else if (load_i) begin
      if (!shape_ok_i) err_now[0] = 1'b1;
      if (!width_ok_i) err_now[2] = 1'b1;
      if (loading_q) err_now[3] = 1'b1;
      if (!load_slot_in) err_now[7] = 1'b1;
      else if (busy_i && load_hits_run) err_now[6] = 1'b1;
    end
  end
  assign start_ok_o = start_i && (err_now == '0);
  assign load_ok    = load_i && !start_i && (err_now == '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) err_q <= '0;
    else if (start_i || load_i) err_q <= err_now;
  end
  assign error_o = err_q;

  // The run's shape, steps and slot, latched at its start.
  logic [15:0] run_h_q, run_x_q, run_w_q;
  logic [31:0] run_t_q, run_vt_q;
  logic [3:0]  run_n_q, run_g_q;
  logic [1:0]  run_c_q;
  logic        run_i_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_c_q     <= '0;
      run_i_q     <= 1'b0;
      run_h_q     <= 16'd1;
      run_x_q     <= 16'd1;
      run_w_q     <= '0;
      run_t_q     <= 32'd1;
      run_n_q     <= 4'd1;
      run_g_q     <= '0;
      run_slots_q <= '0;
      run_act_q   <= '0;
    end else if (start_ok_o) begin
      run_c_q     <= cell_i[1:0];
      run_i_q     <= (init_i != 32'd0);
      run_h_q     <= sel_h;
      run_x_q     <= sel_x;
      run_w_q     <= sel_w;
      run_t_q     <= steps_i;
      run_n_q     <= 4'(streams_i);
      run_g_q     <= (Streams > 1) ? 4'(wavefront_i) : 4'd0;
      run_slots_q <= st_slot;
      run_act_q   <= st_active;
    end
  end
  // Virtual steps and every stream's slot bases, the cycle after the start (the core starts
  // the run a cycle later still).
  logic [Streams*WAwT-1:0] run_wbase_q;
  logic [Streams*BAwT-1:0] run_bbase_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_vt_q    <= 32'd1;
      run_wbase_q <= '0;
      run_bbase_q <= '0;
    end else begin
      run_vt_q <= 32'(36'(run_t_q) * 36'(run_n_q));
      for (int s = 0; s < Streams; s++) begin
        run_wbase_q[s*WAwT +: WAwT] <= WAwT'(32'(run_slots_q[s*SlotBits +: SlotBits]) * 32'(WDepth));
        run_bbase_q[s*BAwT +: BAwT] <= BAwT'(32'(run_slots_q[s*SlotBits +: SlotBits]) * 32'(RbMax));
      end
    end
  end
  // The run registers only (the core starts a run two cycles after its request, when they
  // hold it); a slot's base is a multiple of its size.
  assign run_hidden_o = {16'd0, run_h_q};
  assign run_input_o  = {16'd0, run_x_q};
  assign run_width_o  = {16'd0, run_w_q};
  assign run_steps_o   = run_vt_q;
  assign run_streams_o = run_n_q;
  assign run_wave_o    = run_g_q;
  assign run_cell_o    = run_c_q;
  assign run_init_o    = run_i_q;
  assign run_wbase_o   = run_wbase_q;
  assign run_bbase_o   = run_bbase_q;

  // Weight and bias loaders: the load's counts and slot base, latched at its request.
  logic                    w_done_q, b_done_q;
  logic [BankRowBits-1:0]  w_row_q;
  logic [WAw-1:0]          w_word_q;
  logic [WAw:0]            w_words_q;
  logic [RbBits+RowBits:0] b_cnt_q, b_total_q;
  logic [RowBits-1:0]      b_mask_q;
  logic [7:0]              b_shift_q;
  // The stream lengths are computed the cycle after the request, from the tiling latched with
  // it (the product and shift would otherwise follow the request's reconfiguration logic in one
  // cycle). No beat can end a stream before then: each is at least Rows >= 2 beats long.
  localparam int RbReqW = (WAw + 1 > RbBits + RowBits + 1) ? WAw + 1 : RbBits + RowBits + 1;
  logic                    sizes_q;
  logic [RbReqW-1:0]       rb_req_q;
  logic [WAw:0]            cb_req_q;
  logic [WAwT-1:0]         w_base_q;
  logic [BAwT-1:0]         b_base_q;
  assign w_ready_o = loading_q && !w_done_q;
  assign b_ready_o = loading_q && !b_done_q;
  assign w_we_o    = w_valid_i && w_ready_o;
  assign b_we_o    = b_valid_i && b_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      loading_q <= 1'b0;
      w_done_q  <= 1'b0;
      b_done_q  <= 1'b0;
      w_row_q   <= '0;
      w_word_q  <= '0;
      b_cnt_q   <= '0;
      w_words_q <= '0;
      b_total_q <= '0;
      b_mask_q  <= '0;
      b_shift_q <= '0;
      sizes_q   <= 1'b0;
      rb_req_q  <= '0;
      cb_req_q  <= '0;
      w_base_q  <= '0;
      b_base_q  <= '0;
      ld_slot_q <= '0;
    end else if (load_ok) begin
      loading_q <= 1'b1;
      w_done_q  <= 1'b0;
      b_done_q  <= 1'b0;
      w_row_q   <= '0;
      w_word_q  <= '0;
      b_cnt_q   <= '0;
      sizes_q   <= 1'b1;
      rb_req_q  <= RbReqW'(rb_count_i);
      cb_req_q  <= (WAw+1)'(cb_i);
      b_mask_q  <= RowBits'(rows_blk_i - 16'd1);
      b_shift_q <= rshift_i;
      w_base_q  <= WAwT'(32'(load_slot) * 32'(WDepth));
      b_base_q  <= BAwT'(32'(load_slot) * 32'(RbMax));
      ld_slot_q <= load_slot;
    end else begin
      if (sizes_q) begin
        sizes_q   <= 1'b0;
        w_words_q <= (WAw+1)'(rb_req_q) * cb_req_q;
        b_total_q <= (RbBits+RowBits+1)'(rb_req_q) << b_shift_q;
      end
      if (w_we_o) begin
        w_row_q <= w_row_q + BankRowBits'(1);
        if (32'(w_row_q) == Rows - 1) begin
          w_word_q <= w_word_q + WAw'(1);
          if ((WAw+1)'(w_word_q) + (WAw+1)'(1) == w_words_q) w_done_q <= 1'b1;
        end
      end
      if (b_we_o) begin
        b_cnt_q <= b_cnt_q + 1'b1;
        if (b_cnt_q + 1'b1 == b_total_q) b_done_q <= 1'b1;
      end
      if (loading_q && w_done_q && b_done_q) loading_q <= 1'b0;
    end
  end

  // Slot records: the shape at the load's request (the slot is not loaded until it completes).
  for (genvar s = 0; s < Slots; s++) begin : gen_slot
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        valid_q[s]           <= 1'b0;
        rec_h_q[s*16 +: 16] <= '0;
        rec_x_q[s*16 +: 16] <= '0;
        rec_w_q[s*16 +: 16] <= '0;
      end else if (load_ok && load_slot == SlotBits'(s)) begin
        valid_q[s]           <= 1'b0;
        rec_h_q[s*16 +: 16] <= hidden_i[15:0];
        rec_x_q[s*16 +: 16] <= input_i[15:0];
        rec_w_q[s*16 +: 16] <= width_i[15:0];
      end else if (loading_q && w_done_q && b_done_q && ld_slot_q == SlotBits'(s)) begin
        valid_q[s] <= 1'b1;
      end
    end
  end

  assign loading_o = loading_q;
  assign loaded_o  = run_slot_in && run_valid;
  assign slots_o   = 32'(valid_q);
  assign w_bank_o  = w_row_q;
  assign w_waddr_o = w_base_q + WAwT'(w_word_q);
  assign b_elem_o  = RowBits'(b_cnt_q) & b_mask_q;
  assign b_waddr_o = b_base_q + BAwT'(b_cnt_q >> b_shift_q);
endmodule
