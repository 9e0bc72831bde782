// sharp_activation: Lanes neurons per cycle; each neuron's four pre-activations (gate order
// i, f, g, o) go through sigmoid, sigmoid, tanh, sigmoid. Latency: 2 cycles (sharp_pwl).
//   Lanes         neurons per cycle
//   DataBits      bits of pre-activations and activations
//   SegBits       log2 of PWL segments
//   SigSlopeBits  slope field bits of the sigmoid table
//   TanhSlopeBits slope field bits of the tanh table
//   SigDomainBits, TanhDomainBits  input domain bits of the two tables (sharp_pwl DomainBits)
//   Latency       cycles from preact_i to the outputs (must be 2; the plan's act_latency)
//   Raw           1: also output rows 0, 2 and 3 of each neuron unchanged, delayed alike (r0_o,
//                 r2_o, r3_o: the gru's n_x and n_h sums and the rnn's sum); 0: those are zero
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_activation #(
  parameter int Lanes         = 0,
  parameter int DataBits      = 0,
  parameter int SegBits       = 0,
  parameter int SigSlopeBits  = 0,
  parameter int TanhSlopeBits = 0,
  parameter int SigDomainBits  = 0,
  parameter int TanhDomainBits = 0,
  parameter int Latency       = 0,
  parameter bit Raw           = 0
) (
  input  logic                        clk_i,
  input  logic [4*Lanes*DataBits-1:0] preact_i,
  output logic [Lanes*DataBits-1:0]   i_o,
  output logic [Lanes*DataBits-1:0]   f_o,
  output logic [Lanes*DataBits-1:0]   g_o,
  output logic [Lanes*DataBits-1:0]   o_o,
  output logic [Lanes*DataBits-1:0]   r0_o,
  output logic [Lanes*DataBits-1:0]   r2_o,
  output logic [Lanes*DataBits-1:0]   r3_o
);
  `SHARP_CHECK(gen_param_check, Lanes >= 1 && Latency == 2,
               "sharp_activation: Lanes must be positive and Latency 2 (its pipeline depth)")

  if (Raw) begin : gen_raw
    logic [3*Lanes*DataBits-1:0] raw, raw1_q, raw_q;  // two stages, as the tables
    for (genvar n = 0; n < Lanes; n++) begin : gen_pick
      assign raw[(3*n+0)*DataBits +: DataBits] = preact_i[(4*n+0)*DataBits +: DataBits];
      assign raw[(3*n+1)*DataBits +: DataBits] = preact_i[(4*n+2)*DataBits +: DataBits];
      assign raw[(3*n+2)*DataBits +: DataBits] = preact_i[(4*n+3)*DataBits +: DataBits];
      assign r0_o[n*DataBits +: DataBits] = raw_q[(3*n+0)*DataBits +: DataBits];
      assign r2_o[n*DataBits +: DataBits] = raw_q[(3*n+1)*DataBits +: DataBits];
      assign r3_o[n*DataBits +: DataBits] = raw_q[(3*n+2)*DataBits +: DataBits];
    end
    always_ff @(posedge clk_i) begin
      raw1_q <= raw;
      raw_q  <= raw1_q;
    end
  end else begin : gen_no_raw
    assign r0_o = '0;
    assign r2_o = '0;
    assign r3_o = '0;
  end

  for (genvar n = 0; n < Lanes; n++) begin : gen_lane
    // Rows of neuron n inside the group: 4n + gate.
    sharp_pwl #(.DataBits(DataBits), .SegBits(SegBits), .DomainBits(SigDomainBits), .SlopeBits(SigSlopeBits), .Fn(0)) u_i (
      .clk_i, .z_i(preact_i[(4*n+0)*DataBits +: DataBits]), .y_o(i_o[n*DataBits +: DataBits]));
    sharp_pwl #(.DataBits(DataBits), .SegBits(SegBits), .DomainBits(SigDomainBits), .SlopeBits(SigSlopeBits), .Fn(0)) u_f (
      .clk_i, .z_i(preact_i[(4*n+1)*DataBits +: DataBits]), .y_o(f_o[n*DataBits +: DataBits]));
    sharp_pwl #(.DataBits(DataBits), .SegBits(SegBits), .DomainBits(TanhDomainBits), .SlopeBits(TanhSlopeBits), .Fn(1)) u_g (
      .clk_i, .z_i(preact_i[(4*n+2)*DataBits +: DataBits]), .y_o(g_o[n*DataBits +: DataBits]));
    sharp_pwl #(.DataBits(DataBits), .SegBits(SegBits), .DomainBits(SigDomainBits), .SlopeBits(SigSlopeBits), .Fn(0)) u_o (
      .clk_i, .z_i(preact_i[(4*n+3)*DataBits +: DataBits]), .y_o(o_o[n*DataBits +: DataBits]));
  end
endmodule
