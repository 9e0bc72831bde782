// sharp_tap_select: the accumulator routing of one dense row: in width index wsel_i the row's
// sum is candidate wsel_i, and zero for the widths in which the row is idle (wsel_i >= Live).
// The candidates of the live widths (a prefix: a row idle in one width is idle in every wider
// one) are wired by the caller from the row units' taps.
//   Live     widths in which the row is used (1 .. number of widths)
//   TapBits  bits of a tap
module sharp_tap_select #(
  parameter int Live    = 0,
  parameter int TapBits = 0
) (
  input  logic [Live*TapBits-1:0] cand_i,
  input  logic [7:0]              wsel_i,
  output logic [TapBits-1:0]      sum_o
);
  if (Live < 1 || Live > 255 || TapBits < 1) begin : gen_param_check
`ifdef __ICARUS__
    initial $fatal(1, "sharp_tap_select: illegal parameters");
`else
    $error("sharp_tap_select: illegal parameters");
`endif
  end

  if (Live == 1) begin : gen_one
    assign sum_o = (wsel_i == 8'd0) ? cand_i : '0;
  end else begin : gen_many
    assign sum_o = (32'(wsel_i) < Live) ? cand_i[32'(wsel_i) * TapBits +: TapBits] : '0;
  end
endmodule
