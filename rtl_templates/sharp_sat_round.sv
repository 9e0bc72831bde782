// sharp_sat_round: combinational fixed-point narrowing: arithmetic shift right by Shift with
// round-half-up ((x + 2^(Shift-1)) >>> Shift), then saturation to OutBits signed bits.
// Matches sharp::saturate(sharp::round_shift(x, Shift), OutBits) in the numerics library.
//   InBits   bits of the signed input
//   Shift    fraction bits dropped (>= 0)
//   OutBits  bits of the signed output (<= InBits + 1)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_sat_round #(
  parameter int InBits  = 0,
  parameter int Shift   = -1,
  parameter int OutBits = 0
) (
  input  logic [InBits-1:0]  x_i,
  output logic [OutBits-1:0] y_o
);
  // Shift <= InBits: a larger shift would put the rounding constant on (or past) the sign bit.
  `SHARP_CHECK(gen_param_check,
               InBits >= 2 && Shift >= 0 && Shift <= InBits && OutBits >= 2 && OutBits <= InBits + 1,
               "sharp_sat_round: need InBits >= 2, 0 <= Shift <= InBits, 2 <= OutBits <= InBits + 1")

  // One extra bit so that adding the rounding constant cannot overflow.
  logic signed [InBits:0] ext;
  logic signed [InBits:0] rnd;
  assign ext = {x_i[InBits-1], x_i};

  if (Shift == 0) begin : gen_no_round
    assign rnd = ext;
  end else begin : gen_round
    logic signed [InBits:0] half;
    logic signed [InBits:0] sum;
    always_comb begin
      half = '0;
      half[Shift-1] = 1'b1;
    end
    assign sum = ext + half;
    assign rnd = sum >>> Shift;
  end

  if (OutBits == InBits + 1) begin : gen_no_sat
    assign y_o = rnd;
  end else begin : gen_sat
    // The value fits when every bit above the output's sign bit equals the sign.
    logic fits;
    assign fits = (rnd[InBits:OutBits-1] == '0) || (rnd[InBits:OutBits-1] == '1);
    always_comb begin
      if (fits) y_o = rnd[OutBits-1:0];
      else if (rnd[InBits]) y_o = {1'b1, {(OutBits-1){1'b0}}};
      else y_o = {1'b0, {(OutBits-1){1'b1}}};
    end
  end
endmodule
