// sharp_mult: one signed multiplier with a registered product (one pipeline stage).
// Datapath register without reset: its value is only used under a valid tag.
//   Width  bits of each signed operand; the product has 2*Width bits
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_mult #(
  parameter int Width = 0
) (
  input  logic                      clk_i,
  input  logic signed [Width-1:0]   a_i,
  input  logic signed [Width-1:0]   b_i,
  output logic signed [2*Width-1:0] p_o
);
  `SHARP_CHECK(gen_param_check, Width >= 2,
               "sharp_mult: Width must be at least 2")

  logic signed [2*Width-1:0] p_q;
  always_ff @(posedge clk_i) begin
    p_q <= a_i * b_i;
  end
  assign p_o = p_q;
endmodule
