// sharp_adder_tree: pipelined binary adder tree, one register per level. Level l holds
// Leaves >> l partial sums of InBits + l bits (no overflow is possible). Levels TapMin ..
// log2(Leaves) are exposed on taps_o, so that a width-reconfigurable array can take the
// Leaves >> l sums of 2^l leaves each: slot (l - TapMin) * (Leaves >> TapMin) + i holds sum i
// of level l, sign-extended to InBits + log2(Leaves) bits (unused slots are zero). Level l is
// valid l cycles after its leaves. Level 0 is the input itself (not registered).
//   InBits  bits of each signed leaf
//   Leaves  number of leaves (a power of two, >= 2)
//   TapMin  lowest level exposed (1 .. log2(Leaves))
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_adder_tree #(
  parameter int InBits = 0,
  parameter int Leaves = 0,
  parameter int TapMin = 0
) (
  input  logic                                       clk_i,
  input  logic [Leaves*InBits-1:0]                   leaves_i,
  output logic [($clog2(Leaves)-TapMin+1)*(Leaves>>TapMin)*(InBits+$clog2(Leaves))-1:0] taps_o
);
  localparam int Levels = $clog2(Leaves);

  `SHARP_CHECK(gen_param_check, InBits >= 1 && Leaves >= 2 && (Leaves & (Leaves - 1)) == 0 && TapMin >= 1 &&
               TapMin <= $clog2(Leaves),
               "sharp_adder_tree: InBits >= 1, Leaves a power of two >= 2, 1 <= TapMin <= log2(Leaves)")

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

  // Taps: every sum of levels TapMin .. Levels, sign-extended to OutBits.
  localparam int OutBits = InBits + Levels;
  localparam int Slots = Leaves >> TapMin;
  for (genvar l = TapMin; l <= Levels; l++) begin : gen_tap_level
    localparam int W = InBits + l;
    localparam int Off = level_offset(l);
    for (genvar i = 0; i < Slots; i++) begin : gen_tap
      if (i < (Leaves >> l)) begin : gen_used
        assign taps_o[((l - TapMin) * Slots + i) * OutBits +: OutBits] =
            {{(OutBits - W){lvl[Off + i*W + W - 1]}}, lvl[Off + i*W +: W]};
      end else begin : gen_unused
        assign taps_o[((l - TapMin) * Slots + i) * OutBits +: OutBits] = '0;
      end
    end
  end
endmodule
