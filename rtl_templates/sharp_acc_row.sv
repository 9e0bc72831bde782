// sharp_acc_row: the two accumulators of one dense row (see sharp_accumulators) and the row's
// staging register. A W·x job starts from the bias (aligned to F + Fw fraction bits) on its first
// column block; a U·h job starts from the banked W·x sum. Sums wrap modulo 2^AccBits. No reset:
// every job's first column block overwrites the previous contents. The tile's control flags
// arrive one cycle early and are registered here, in every row: one register per row drives
// only that row's multiplexers and enables, so no tree of buffers across the whole
// accumulator array sits in front of the additions.
//   TreeBits  bits of the row sum from the array
//   AccBits   accumulator width
//   DataBits  bits of the bias
//   FracBits  fraction bits of the weights, Fw (the bias is shifted left by it)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_acc_row #(
  parameter int TreeBits = 0,
  parameter int AccBits  = 0,
  parameter int DataBits = 0,
  parameter int FracBits = 0
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic [3:0]          ctl_i,     // {valid, uh, first, last} of the tile one cycle later
  input  logic [TreeBits-1:0] sum_i,
  input  logic [DataBits-1:0] bias_i,
  input  logic [AccBits-1:0]  bank_i,    // the banked W·x sum (read for a U·h job's first block)
  output logic [AccBits-1:0]  wx_d_o,    // W·x sum including this block (written to the bank)
  output logic [AccBits-1:0]  stage_o    // the row's finished U·h sum
);
  logic valid_q, is_uh_q, first_q, last_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) {valid_q, is_uh_q, first_q, last_q} <= '0;
    else {valid_q, is_uh_q, first_q, last_q} <= ctl_i;
  end
  logic signed [AccBits-1:0] tree_ext, bias_ext, wx_base, uh_base, wx_d, uh_d;
  logic [AccBits-1:0]        wx_q, uh_q, stage_q;
  assign tree_ext = AccBits'($signed(sum_i));
  assign bias_ext = AccBits'($signed(bias_i)) <<< FracBits;
  assign wx_base  = first_q ? bias_ext : $signed(wx_q);
  assign uh_base  = first_q ? $signed(bank_i) : $signed(uh_q);
  assign wx_d     = wx_base + tree_ext;
  assign uh_d     = uh_base + tree_ext;

  always_ff @(posedge clk_i) begin
    if (valid_q && !is_uh_q) wx_q <= wx_d;
    if (valid_q && is_uh_q) uh_q <= uh_d;
    if (valid_q && is_uh_q && last_q) stage_q <= uh_d;
  end

  assign wx_d_o  = wx_d;
  assign stage_o = stage_q;
endmodule
