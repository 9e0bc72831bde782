// sharp_tap_select: the accumulator routing of one dense row: in width index wsel_i the row's
// sum is candidate wsel_i, and zero for the widths in which the row is idle (wsel_i >= Live).
// The candidates of the live widths (a prefix: a row idle in one width is idle in every wider
// one) are wired by the caller from the row units' taps.
//   Live     widths in which the row is used (1 .. number of widths)
//   TapBits  bits of a tap
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_tap_select #(
  parameter int Live    = 0,
  parameter int TapBits = 0
) (
  input  logic [Live*TapBits-1:0] cand_i,
  input  logic [7:0]              wsel_i,
  output logic [TapBits-1:0]      sum_o
);
  `SHARP_CHECK(gen_param_check, Live >= 1 && Live <= 255 && TapBits >= 1,
               "sharp_tap_select: illegal parameters")

  // A Live:1 select as an AND-OR chain of continuous assigns: no procedural loop (which some
  // simulators cannot schedule) and no variable part-select (which Yosys builds into a wide
  // shifter).
  logic [Live*TapBits-1:0] acc /* verilator split_var */;
  for (genvar w = 0; w < Live; w++) begin : gen_pick
    if (w == 0) begin : gen_first
      assign acc[TapBits-1:0] = (wsel_i == 8'd0) ? cand_i[TapBits-1:0] : '0;
    end else begin : gen_next
      assign acc[w*TapBits +: TapBits] =
          acc[(w-1)*TapBits +: TapBits] | ((wsel_i == 8'(w)) ? cand_i[w*TapBits +: TapBits] : '0);
    end
  end
  assign sum_o = acc[(Live-1)*TapBits +: TapBits];
endmodule
