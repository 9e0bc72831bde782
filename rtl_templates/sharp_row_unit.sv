// sharp_row_unit: one row of the MAC array: K multipliers and a pipelined adder tree, giving
// one K-wide dot product per cycle. Latency from inputs to sum_o: 1 + log2(K) cycles.
//   DataBits  bits of each signed weight and input element
//   K         multipliers (the widest dot-product width, a power of two >= 2)
module sharp_row_unit #(
  parameter int DataBits = 0,
  parameter int K        = 0
) (
  input  logic                             clk_i,
  input  logic [K*DataBits-1:0]            weights_i,
  input  logic [K*DataBits-1:0]            vec_i,
  output logic [2*DataBits+$clog2(K)-1:0]  sum_o
);
  if (DataBits < 2 || K < 2) begin : gen_param_check
`ifdef __ICARUS__
    initial $fatal(1, "sharp_row_unit: DataBits >= 2 and K >= 2");
`else
    $error("sharp_row_unit: DataBits >= 2 and K >= 2");
`endif
  end

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
    .Leaves(K)
  ) u_tree (
    .clk_i,
    .leaves_i (prod),
    .sum_o
  );
endmodule
