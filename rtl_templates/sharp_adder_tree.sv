// sharp_adder_tree: pipelined binary adder tree, one register per level. Level l holds
// Leaves >> l partial sums of InBits + l bits (no overflow is possible). Every level is
// exposed on taps_o so that a width-reconfigurable array can tap partial sums.
// Level 0 is the input itself (not registered); level Levels is the full sum.
//   InBits  bits of each signed leaf
//   Leaves  number of leaves (a power of two, >= 2)
module sharp_adder_tree #(
  parameter int InBits = 0,
  parameter int Leaves = 0
) (
  input  logic                                       clk_i,
  input  logic [Leaves*InBits-1:0]                   leaves_i,
  output logic [InBits+$clog2(Leaves)-1:0]           sum_o
);
  localparam int Levels = $clog2(Leaves);

  if (InBits < 1 || Leaves < 2 || (Leaves & (Leaves - 1)) != 0) begin : gen_param_check
`ifdef __ICARUS__
    initial $fatal(1, "sharp_adder_tree: InBits >= 1 and Leaves a power of two >= 2");
`else
    $error("sharp_adder_tree: InBits >= 1 and Leaves a power of two >= 2");
`endif
  end

  // Offset of level l in the flat vector `lvl`: sum over m < l of (Leaves >> m) * (InBits + m).
  // (Yosys 0.23 needs `integer`, not `int`, for constant functions.)
  function automatic integer level_offset(input integer l);
    integer off, m;
    off = 0;
    for (m = 0; m < l; m = m + 1) off = off + (Leaves >> m) * (InBits + m);
    level_offset = off;
  endfunction

  localparam int TotalBits = level_offset(Levels + 1);
  logic [TotalBits-1:0] lvl;

  assign lvl[Leaves*InBits-1:0] = leaves_i;

  for (genvar l = 1; l <= Levels; l++) begin : gen_level
    localparam int W = InBits + l;            // width of this level's sums
    localparam int Off = level_offset(l);     // where this level starts
    localparam int PrevOff = level_offset(l - 1);
    for (genvar i = 0; i < (Leaves >> l); i++) begin : gen_node
      logic signed [W-1:0] sum_q;
      // Both operands are sign-extended to W bits by the signed context.
      always_ff @(posedge clk_i) begin
        sum_q <= $signed(lvl[PrevOff + (2*i)*(W-1) +: W-1]) + $signed(lvl[PrevOff + (2*i+1)*(W-1) +: W-1]);
      end
      assign lvl[Off + i*W +: W] = sum_q;
    end
  end

  assign sum_o = lvl[TotalBits-1 -: InBits+Levels];
endmodule
