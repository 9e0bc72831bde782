// sharp_row_unit: one row unit of the MAC array: K multipliers and a pipelined adder tree. In
// width Kw (KMin <= Kw <= K) it yields K / Kw dot products of Kw elements per cycle (the
// caller replicates the Kw inputs across the multipliers); they are the tree's level
// log2(Kw), valid 1 + log2(Kw) cycles after the inputs. taps_o holds, for width index
// w = log2(Kw / KMin), slots w * (K / KMin) + m, m < K / Kw (see sharp_adder_tree).
//   DataBits  bits of each signed weight and input element
//   K         multipliers (the widest dot-product width, a power of two >= 2)
//   KMin      narrowest width (a power of two, 2 <= KMin <= K)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_row_unit #(
  parameter int DataBits = 0,
  parameter int K        = 0,
  parameter int KMin     = 0
) (
  input  logic                             clk_i,
  input  logic [K*DataBits-1:0]            weights_i,
  input  logic [K*DataBits-1:0]            vec_i,
  output logic [($clog2(K)-$clog2(KMin)+1)*(K/KMin)*(2*DataBits+$clog2(K))-1:0] taps_o
);
  `SHARP_CHECK(gen_param_check, DataBits >= 2 && K >= 2 && KMin >= 2 && KMin <= K,
               "sharp_row_unit: DataBits >= 2 and 2 <= KMin <= K")

  logic [K*2*DataBits-1:0] prod;

  for (genvar m = 0; m < K; m++) begin : gen_mult
    sharp_mult #(
      .Width(DataBits)
    ) u_mult (
      .clk_i,
      .a_i (weights_i[m*DataBits +: DataBits]),
      .b_i (vec_i[m*DataBits +: DataBits]),
      .p_o (prod[m*2*DataBits +: 2*DataBits])
    );
  end

  sharp_adder_tree #(
    .InBits(2 * DataBits),
    .Leaves(K),
    .TapMin($clog2(KMin))
  ) u_tree (
    .clk_i,
    .leaves_i (prod),
    .taps_o
  );
endmodule
