// sharp_pwl: pipelined piecewise-linear activation (sigmoid or tanh), bit-exact with
// sharp::PwlTable. For input z: zc = z saturated to DomainBits (the table's domain; beyond it
// the function is within half an LSB of its limit), idx = top SegBits of (zc + 2^(DomainBits-1)),
// u = low bits, y = base[idx] + round(slope[idx] * u / 2^(DomainBits-SegBits)).
// The tables are emitted per design as sharp_rom_sigmoid / sharp_rom_tanh.
// Latency: 2 cycles (saturation and table lookup, then multiply-add).
//   DataBits    bits of input and output (same fraction bits)
//   DomainBits  bits of the table's input domain (<= DataBits; PwlTable::domain_bits)
//   SegBits     log2 of the number of segments
//   SlopeBits   bits of the signed slope field
//   Fn          0 = sigmoid, 1 = tanh
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_pwl #(
  parameter int DataBits   = 0,
  parameter int DomainBits = 0,
  parameter int SegBits    = 0,
  parameter int SlopeBits  = 0,
  parameter int Fn         = -1
) (
  input  logic                clk_i,
  input  logic [DataBits-1:0] z_i,
  output logic [DataBits-1:0] y_o
);
  localparam int OffBits = DomainBits - SegBits;

  `SHARP_CHECK(gen_param_check, SegBits >= 1 && OffBits >= 2 && SlopeBits >= 2 && (Fn == 0 || Fn == 1) &&
               DomainBits <= DataBits,
               "sharp_pwl: need SegBits >= 1, DomainBits - SegBits >= 2, DomainBits <= DataBits, SlopeBits >= 2, Fn 0 or 1")

  // The input saturated to the table's domain.
  logic [DomainBits-1:0] zc;
  if (DomainBits < DataBits) begin : gen_saturate
    // In range when the bits above the domain's sign bit all equal the sign.
    logic in_range;
    assign in_range = (z_i[DataBits-1:DomainBits-1] == {(DataBits-DomainBits+1){z_i[DataBits-1]}});
    assign zc = in_range ? z_i[DomainBits-1:0] : {z_i[DataBits-1], {(DomainBits-1){~z_i[DataBits-1]}}};
  end else begin : gen_full
    assign zc = z_i;
  end

  // Offset binary: flipping the sign bit maps the signed range onto 0 .. 2^DomainBits - 1.
  logic [DomainBits-1:0] biased;
  assign biased = {~zc[DomainBits-1], zc[DomainBits-2:0]};

  logic [DataBits-1:0]  base;
  logic [SlopeBits-1:0] slope;

  if (Fn == 0) begin : gen_sigmoid
    sharp_rom_sigmoid u_rom (
      .idx_i   (biased[DomainBits-1 -: SegBits]),
      .base_o  (base),
      .slope_o (slope)
    );
  end else begin : gen_tanh
    sharp_rom_tanh u_rom (
      .idx_i   (biased[DomainBits-1 -: SegBits]),
      .base_o  (base),
      .slope_o (slope)
    );
  end

  // Stage 1: table lookup.
  logic [DataBits-1:0]  base_q;
  logic [SlopeBits-1:0] slope_q;
  logic [OffBits-1:0]   u_q;
  always_ff @(posedge clk_i) begin
    base_q  <= base;
    slope_q <= slope;
    u_q     <= biased[OffBits-1:0];
  end

  // Stage 2: y = base + round(slope * u >> OffBits). The interpolated value lies between the
  // segment's end points, so it always fits DataBits.
  // Wide enough for the product and for narrowing straight to DataBits.
  localparam int ProdBits = (SlopeBits + 1 > DataBits - 1) ? SlopeBits + OffBits + 1 : DataBits + OffBits - 1;
  logic signed [ProdBits-1:0] prod;
  logic [DataBits-1:0]        interp;
  logic [DataBits-1:0]        y_q;
  assign prod = $signed(slope_q) * $signed({1'b0, u_q});

  sharp_sat_round #(
    .InBits (ProdBits),
    .Shift  (OffBits),
    .OutBits(DataBits)
  ) u_round (
    .x_i (prod),
    .y_o (interp)
  );

  always_ff @(posedge clk_i) begin
    y_q <= base_q + interp;
  end
  assign y_o = y_q;
endmodule
