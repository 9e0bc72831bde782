// sharp_tag_pipe: the tags of an issued tile, delayed to meet its row sums. In width Kw the
// row sums reach the accumulators 2 + log2(Kw) cycles after issue (kshift_i = log2(Kw)); the
// bias and the W·x bank are read one cycle earlier (the bias stage). It also keeps the
// first-step flag of the row block the accumulators' serializer hands on: the flag is
// constant within a step, so the flag of the tile that completed the block is the block's.
//   TreeLatency  issue -> row sums at the widest width (2 + log2 K)
//   RbBits       bits of a row-block index
//   BkAw         bits of a W·x bank address
//   HbW          bits of an h bank index (2 banks per stream)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_tag_pipe #(
  parameter int TreeLatency = 0,
  parameter int RbBits      = 0,
  parameter int BkAw        = 0,
  parameter int HbW         = 0
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic [7:0]        kshift_i,
  // Issue stage (from the scheduler).
  input  logic              valid_i,
  input  logic              uh_i,
  input  logic              first_i,
  input  logic              last_i,
  input  logic              step_last_i,
  input  logic              first_step_i,
  input  logic [HbW-1:0]    hbank_i,
  input  logic [BkAw-1:0]   bank_i,
  input  logic [RbBits-1:0] rb_i,
  // Bias stage: the bias read (first W·x tile) and the W·x bank read (first U·h tile).
  output logic              b_re_o,
  output logic [RbBits-1:0] b_raddr_o,
  output logic              bank_re_o,
  output logic [BkAw-1:0]   bank_raddr_o,
  output logic [3:0]        bias_ctl_o,   // {valid, uh, first, last}: the accumulator stage's, a cycle early
  output logic [HbW-1:0]    bias_hbank_o, // the tile's h bank (its stream: the bias slot)
  // Accumulator stage.
  output logic              acc_valid_o,
  output logic              acc_uh_o,
  output logic              acc_last_o,
  output logic              acc_step_last_o,
  output logic [HbW-1:0]    acc_hbank_o,
  output logic [BkAw-1:0]   acc_bank_o,
  output logic [RbBits-1:0] acc_rb_o,
  // First-step flag of the row block the serializer hands on.
  output logic              grp_first_step_o
);
  `SHARP_CHECK(gen_param_check, TreeLatency >= 3 && RbBits >= 1 && BkAw >= 1 && HbW >= 1,
               "sharp_tag_pipe: TreeLatency >= 3, RbBits >= 1, BkAw >= 1, HbW >= 1")

  localparam int TagW = 6 + HbW + BkAw + RbBits;
  logic [TagW-1:0] tag_issue, tag_bias, tag_acc;
  assign tag_issue = {valid_i, uh_i, first_i, last_i, step_last_i, first_step_i, hbank_i, bank_i, rb_i};

  sharp_delay #(.Width(TagW), .Delay(TreeLatency - 1), .Runtime(1)) u_tag_to_bias (
    .clk_i, .rst_ni, .delay_i(kshift_i + 8'd1), .d_i(tag_issue), .q_o(tag_bias));
  sharp_delay #(.Width(TagW), .Delay(1), .Runtime(0)) u_tag_to_acc (
    .clk_i, .rst_ni, .delay_i(8'd0), .d_i(tag_bias), .q_o(tag_acc));

  logic           bias_valid, bias_uh, bias_first, bias_last;
  logic [1:0]     bias_unused;  // step_last, first_step: used at the accumulator stage
  assign {bias_valid, bias_uh, bias_first, bias_last, bias_unused, bias_hbank_o, bank_raddr_o, b_raddr_o} = tag_bias;
  assign bias_ctl_o = {bias_valid, bias_uh, bias_first, bias_last};
  assign b_re_o    = bias_valid && !bias_uh && bias_first;
  assign bank_re_o = bias_valid && bias_uh && bias_first;

  logic acc_first_step, acc_first;  // first: the accumulator rows take it from bias_ctl_o
  assign {acc_valid_o, acc_uh_o, acc_first, acc_last_o, acc_step_last_o, acc_first_step, acc_hbank_o, acc_bank_o,
          acc_rb_o} = tag_acc;

  logic first_step_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) first_step_q <= 1'b0;
    else if (acc_valid_o && acc_uh_o && acc_last_o) first_step_q <= acc_first_step;
  end
  assign grp_first_step_o = first_step_q;

  logic unused;
  assign unused = ^bias_unused ^ acc_first;
endmodule
