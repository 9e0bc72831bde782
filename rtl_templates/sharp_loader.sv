// sharp_loader: the request check and the weight and bias loaders. A start or load request
// is checked here; an illegal one sets ERROR bits and is dropped:
//   bit 0: H or X out of range   bit 1: T = 0   bit 2: width not supported
//   bit 3: start or load while busy   bit 4: start before weights and biases were loaded
//   bit 5: a configuration register written while running or loading (the write is dropped
//          by the register map; the flag stays until the next start or load)
// Weight loader: beats in order (row block, column block, row unit), each the unit's K
// weights (K / Kw rows of Kw columns); bias loader: one bias per beat in dense row order
// (row block, row), Rk rows per block. Both start on a legal load.
//   Rows      row units (weight-memory banks)
//   RowsMax   rows of a tile at the narrowest width (bias elements per word)
//   RbMax     largest number of row blocks (bias words)
//   WDepth    weight words per bank
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_loader #(
  parameter int Rows    = 0,
  parameter int RowsMax = 0,
  parameter int RbMax   = 0,
  parameter int WDepth  = 0
) (
  input  logic                                             clk_i,
  input  logic                                             rst_ni,
  // Requests and configuration writes (from the register map).
  input  logic                                             start_i,
  input  logic                                             load_i,
  input  logic                                             cfg_write_i,
  input  logic                                             shape_write_i,
  input  logic [31:0]                                      steps_i,
  // Legality of the registers and the tiling (sharp_reconfig).
  input  logic                                             shape_ok_i,
  input  logic                                             width_ok_i,
  // (Only the low bits are used: the counts of a legal shape fit the memories' addresses.)
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [15:0]                                      rb_count_i,
  input  logic [15:0]                                      cb_i,
  input  logic [15:0]                                      rows_blk_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [7:0]                                       rshift_i,
  input  logic                                             busy_i,      // the scheduler runs
  output logic                                             start_ok_o,  // a legal start
  output logic                                             locked_o,    // running or loading: configuration frozen
  output logic                                             loaded_o,
  output logic [7:0]                                       error_o,
  // Weight and bias streams.
  input  logic                                             w_valid_i,
  output logic                                             w_ready_o,
  input  logic                                             b_valid_i,
  output logic                                             b_ready_o,
  // Weight and bias memory writes.
  output logic                                             w_we_o,
  output logic [((Rows > 1) ? $clog2(Rows) : 1)-1:0]       w_bank_o,
  output logic [((WDepth > 1) ? $clog2(WDepth) : 1)-1:0]   w_waddr_o,
  output logic                                             b_we_o,
  output logic [((RowsMax > 1) ? $clog2(RowsMax) : 1)-1:0] b_elem_o,
  output logic [((RbMax > 1) ? $clog2(RbMax) : 1)-1:0]     b_waddr_o
);
  `SHARP_CHECK(gen_param_check, Rows >= 1 && RowsMax >= Rows && RbMax >= 1 && WDepth >= 1,
               "sharp_loader: illegal parameters")

  localparam int BankRowBits = (Rows > 1) ? $clog2(Rows) : 1;
  localparam int RowBits     = (RowsMax > 1) ? $clog2(RowsMax) : 1;
  localparam int RbBits      = (RbMax > 1) ? $clog2(RbMax) : 1;
  localparam int WAw         = (WDepth > 1) ? $clog2(WDepth) : 1;

  // Request check.
  logic w_done_q, b_done_q, loading_q;
  logic load_ok;
  logic [7:0] err_q, err_now;
  always_comb begin
    err_now = '0;
    if (start_i || load_i) begin
      if (!shape_ok_i) err_now[0] = 1'b1;
      if (!width_ok_i) err_now[2] = 1'b1;
      if (busy_i || loading_q) err_now[3] = 1'b1;
    end
    if (start_i) begin
      if (steps_i == 32'd0) err_now[1] = 1'b1;
      if (!(w_done_q && b_done_q)) err_now[4] = 1'b1;
    end
  end
  assign start_ok_o = start_i && (err_now == '0);
  assign load_ok    = load_i && !start_i && (err_now == '0);
  assign locked_o   = busy_i || loading_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) err_q <= '0;
    else if (start_i || load_i) err_q <= err_now;
    else if (cfg_write_i && locked_o) err_q[5] <= 1'b1;
  end
  assign error_o = err_q;

  // Weight and bias loaders.
  logic [BankRowBits-1:0]  w_row_q;
  logic [WAw-1:0]          w_word_q;
  logic [WAw:0]            w_words;
  logic [RbBits+RowBits:0] b_cnt_q;
  logic [RbBits+RowBits:0] b_total;
  assign w_words   = (WAw+1)'(rb_count_i) * (WAw+1)'(cb_i);
  assign b_total   = (RbBits+RowBits+1)'(rb_count_i) << rshift_i;
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
      if (w_we_o) begin
        w_row_q <= w_row_q + BankRowBits'(1);
        if (32'(w_row_q) == Rows - 1) begin
          w_word_q <= w_word_q + WAw'(1);
          if ((WAw+1)'(w_word_q) + (WAw+1)'(1) == w_words) w_done_q <= 1'b1;
        end
      end
      if (b_we_o) begin
        b_cnt_q <= b_cnt_q + 1'b1;
        if (b_cnt_q + 1'b1 == b_total) b_done_q <= 1'b1;
      end
      if (loading_q && w_done_q && b_done_q) loading_q <= 1'b0;
    end
  end
  assign loaded_o  = w_done_q && b_done_q && !loading_q;
  assign w_bank_o  = w_row_q;
  assign w_waddr_o = w_word_q;
  assign b_elem_o  = RowBits'(b_cnt_q & ((RbBits+RowBits+1)'(rows_blk_i) - 1'b1));
  assign b_waddr_o = RbBits'(b_cnt_q >> rshift_i);
endmodule
