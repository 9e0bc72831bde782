// sharp_reconfig: the reconfiguration logic. It turns the run-time registers (H, X and the
// dot-product width Kw) into the array's shape and the tiling the scheduler walks, and says
// whether they are legal for this design. In width Kw every row unit yields K / Kw dot
// products of Kw elements, so a tile is (N / Kw) rows x Kw columns:
//   width index    w = log2(Kw / KMin) (selects adder-tree taps and accumulator routing)
//   rows per block Rk = Rows * K / Kw          row blocks RB = ceil(4H / Rk)
//   column blocks  CX = ceil(X / Kw), CH = ceil(H / Kw), CB = CX + CH
//   groups         S = Rk / (4 Lanes) per row block; G = ceil(H / Lanes) per step
//   x beats        ceil(X / K) per step (the x stream always carries K elements per beat)
//   K          widest width (multipliers per row unit)
//   KMin       narrowest width
//   Rows       row units
//   Lanes      neurons per cycle in the activation unit
//   MaxHidden  largest H
//   MaxInput   largest X
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_reconfig #(
  parameter int K         = 0,
  parameter int KMin      = 0,
  parameter int Rows      = 0,
  parameter int Lanes     = 0,
  parameter int MaxHidden = 0,
  parameter int MaxInput  = 0
) (
  input  logic [31:0] hidden_i,
  input  logic [31:0] input_i,
  input  logic [31:0] width_i,
  output logic        shape_ok_o,
  output logic        width_ok_o,
  output logic [7:0]  wsel_o,
  output logic [7:0]  kshift_o,
  output logic [15:0] rows_blk_o,
  output logic [7:0]  rshift_o,
  output logic [15:0] serial_o,
  output logic [7:0]  sshift_o,
  output logic [15:0] rb_count_o,
  output logic [15:0] cx_o,
  output logic [15:0] ch_o,
  output logic [15:0] cb_o,
  output logic [15:0] x_beats_o,
  output logic [15:0] groups_o
);
  localparam int NumW     = $clog2(K) - $clog2(KMin) + 1;  // supported widths
  localparam int KBits    = $clog2(K);
  localparam int KMinBits = $clog2(KMin);
  localparam int RowBits  = $clog2(Rows);
  localparam int LaneBits = $clog2(Lanes);

  `SHARP_CHECK(gen_param_check, K >= 2 && KMin >= 2 && KMin <= K && Rows >= 4 && Lanes >= 1 && Rows >= 4 * Lanes &&
               MaxHidden >= 1 && MaxInput >= 1 && MaxHidden <= 16383 && MaxInput <= 16383,
               "sharp_reconfig: illegal parameters")

  logic [15:0] h, x;
  assign h = hidden_i[15:0];
  assign x = input_i[15:0];

  assign shape_ok_o = (hidden_i >= 32'd1) && (hidden_i <= 32'(MaxHidden)) &&
                      (input_i >= 32'd1) && (input_i <= 32'(MaxInput));

  // Width: one of KMin, 2 KMin, ..., K. An unsupported value is flagged (start is refused)
  // and the shape falls back to the widest width. (Continuous assignments only: Icarus 11 ran an
  // always_comb that set defaults and overrode them in a loop without end once the width became
  // a run-time signal of the start cycle.)
  logic [NumW-1:0] match;
  for (genvar w = 0; w < NumW; w++) begin : gen_width
    assign match[w] = (width_i == (32'(KMin) << w));
  end
  // Bit b of the matching width's index: the OR of the matches whose index has bit b set.
  function automatic logic [NumW-1:0] index_bit_mask(input int b);
    for (int w = 0; w < NumW; w++) index_bit_mask[w] = ((w >> b) & 1) != 0;
  endfunction
  logic [7:0] match_idx;
  for (genvar b = 0; b < 8; b++) begin : gen_idx
    assign match_idx[b] = |(match & index_bit_mask(b));
  end
  assign width_ok_o = |match;
  assign wsel_o     = width_ok_o ? match_idx : 8'(NumW - 1);

  assign kshift_o   = 8'(KMinBits) + wsel_o;
  assign rshift_o   = 8'(RowBits + KBits) - kshift_o;                 // log2(N / Kw)
  assign rows_blk_o = 16'd1 << rshift_o;
  assign sshift_o   = rshift_o - 8'(2 + LaneBits);                    // log2(Rk / (4 Lanes))
  assign serial_o   = 16'd1 << sshift_o;

  logic [17:0] four_h;
  assign four_h     = {h, 2'b00};
  assign rb_count_o = 16'((four_h + 18'(rows_blk_o) - 18'd1) >> rshift_o);
  assign cx_o       = 16'((17'(x) + (17'd1 << kshift_o) - 17'd1) >> kshift_o);
  assign ch_o       = 16'((17'(h) + (17'd1 << kshift_o) - 17'd1) >> kshift_o);
  assign cb_o       = cx_o + ch_o;
  assign x_beats_o  = 16'((17'(x) + 17'(K - 1)) >> KBits);
  assign groups_o   = 16'((17'(h) + 17'(Lanes - 1)) >> LaneBits);
endmodule
