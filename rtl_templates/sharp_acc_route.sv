// sharp_acc_route: routes the row units' taps to the accumulator rows. In width Kw, dense
// row j is dot product j mod (K / Kw) of row unit j / (K / Kw), i.e. tap slot
// wsel * TapSlots + j mod (K / Kw) of that unit (TapSlots = K / KMin slots per width per
// unit). Row j is used in the widths w < live_widths(j) (those with j / (K / Kw) < Rows);
// one sharp_tap_select per row picks the live width's tap.
//   K         widest dot-product width
//   KMin      narrowest dot-product width
//   Rows      row units
//   RowsMax   accumulator rows (Rows * K / KMin)
//   TreeBits  bits of a tap (a row unit's dot product, sign-extended)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_acc_route #(
  parameter int K        = 0,
  parameter int KMin     = 0,
  parameter int Rows     = 0,
  parameter int RowsMax  = 0,
  parameter int TreeBits = 0
) (
  // Every width has TapSlots slots per row unit; widths above KMin fill only K / Kw of them
  // (the rest are constant zero), so some bits are never read.
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [Rows*($clog2(K)-$clog2(KMin)+1)*(K/KMin)*TreeBits-1:0] taps_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [7:0]                                                   wsel_i,
  output logic [RowsMax*TreeBits-1:0]                                  sums_o
);
  `SHARP_CHECK(gen_param_check, K >= 2 && KMin >= 2 && KMin <= K && Rows >= 1 && RowsMax == Rows * (K / KMin) &&
               TreeBits >= 1,
               "sharp_acc_route: 2 <= KMin <= K, RowsMax = Rows * K / KMin, TreeBits >= 1")

  localparam int NumW     = $clog2(K) - $clog2(KMin) + 1;   // run-time widths
  localparam int TapSlots = K / KMin;                       // taps per width per row unit

  function automatic integer live_widths(input integer j);
    integer w, n;
    n = 0;
    for (w = 0; w < NumW; w = w + 1)
      if (j / (K / (KMin << w)) < Rows) n = n + 1;
    live_widths = n;
  endfunction

  for (genvar j = 0; j < RowsMax; j++) begin : gen_route
    localparam int Live = live_widths(j);
    logic [Live*TreeBits-1:0] cand;
    for (genvar w = 0; w < Live; w++) begin : gen_width
      localparam int Per = K / (KMin << w);   // dot products per row unit in this width
      assign cand[w*TreeBits +: TreeBits] =
          taps_i[((j / Per) * NumW * TapSlots + w * TapSlots + (j % Per)) * TreeBits +: TreeBits];
    end
    sharp_tap_select #(
      .Live   (Live),
      .TapBits(TreeBits)
    ) u_select (
      .cand_i (cand),
      .wsel_i (wsel_i),
      .sum_o  (sums_o[j*TreeBits +: TreeBits])
    );
  end
endmodule
