// sharp_cell_lane: the LSTM cell of one neuron (one lane of sharp_cell_update):
//   c = sat_C(round(f*c_prev + i*g)),  h = sat_D(round(o * tanh(sat_D(c))))
// Latency 4 cycles (c's sum; c rounded and the tanh lookup; tanh interpolate; h); no reset (the caller's tag says
// which outputs are valid).
//   DataBits       bits of gates and h (FracBits fraction bits)
//   FracBits       fraction bits
//   CellBits       bits of the cell state (FracBits fraction bits)
//   SegBits        log2 of tanh PWL segments
//   TanhSlopeBits  slope field bits of the tanh table
//   TanhDomainBits input domain bits of the tanh table (sharp_pwl DomainBits)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_cell_lane #(
  parameter int DataBits      = 0,
  parameter int FracBits      = 0,
  parameter int CellBits      = 0,
  parameter int SegBits       = 0,
  parameter int TanhSlopeBits = 0,
  parameter int TanhDomainBits = 0
) (
  input  logic                clk_i,
  /* verilator lint_off UNUSEDSIGNAL */  // gates: only the bits a sigmoid or tanh can carry are used
  input  logic [DataBits-1:0] i_i,
  input  logic [DataBits-1:0] f_i,
  input  logic [DataBits-1:0] g_i,
  input  logic [DataBits-1:0] o_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [CellBits-1:0] c_prev_i,
  output logic [DataBits-1:0] h_o,
  output logic [CellBits-1:0] c_o
);
  localparam int SumBits = DataBits + CellBits + 1;  // f*c_prev + i*g without overflow

  // The gates' ranges, guaranteed by the PWL tables (every output lies between two quantized
  // values of the function): sigmoid in [0, 2^F], tanh in [-2^F, 2^F]. Only the bits that can
  // carry a value enter the products, so this module's own synthesis can drop the rest (a flat
  // synthesis would learn the same from the activation unit; a per-module one cannot).
  localparam int SigW  = (FracBits + 1 < DataBits) ? FracBits + 1 : DataBits - 1;  // unsigned
  localparam int TanhW = (FracBits + 2 < DataBits) ? FracBits + 2 : DataBits;      // signed
  logic signed [DataBits-1:0] i_v, f_v, g_v, o_v;
  logic signed [CellBits-1:0] c_prev;
  assign i_v = DataBits'($signed({1'b0, i_i[SigW-1:0]}));
  assign f_v = DataBits'($signed({1'b0, f_i[SigW-1:0]}));
  assign g_v = DataBits'($signed(g_i[TanhW-1:0]));
  assign o_v = DataBits'($signed({1'b0, o_i[SigW-1:0]}));
  assign c_prev = c_prev_i;

  // Stage 1: the new cell state's exact sum (rounded and saturated in stage 2, which has room:
  // the two products and their sum fill stage 1).
  logic signed [SumBits-1:0] csum, c1_q;
  logic [CellBits-1:0]       c_new;
  assign csum = f_v * c_prev + i_v * g_v;
  logic [CellBits-1:0] c2_q, c3_q;
  logic [DataBits-1:0] o1_q, o2_q, o3_q;
  always_ff @(posedge clk_i) begin
    c1_q <= csum;
    o1_q <= o_v;
    c2_q <= c_new;
    o2_q <= o1_q;
    c3_q <= c2_q;
    o3_q <= o2_q;
  end
  sharp_sat_round #(.InBits(SumBits), .Shift(FracBits), .OutBits(CellBits)) u_c_round (
    .x_i(c1_q), .y_o(c_new));
  // Stages 2-3: tanh of the cell state, saturated to DataBits first.
  logic [DataBits-1:0] c_sat;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [DataBits-1:0] tc;  // tanh: TanhW bits carry the value
  /* verilator lint_on UNUSEDSIGNAL */
  sharp_sat_round #(.InBits(CellBits), .Shift(0), .OutBits(DataBits)) u_c_sat (
    .x_i(c_new), .y_o(c_sat));
  sharp_pwl #(.DataBits(DataBits), .SegBits(SegBits), .DomainBits(TanhDomainBits), .SlopeBits(TanhSlopeBits), .Fn(1)) u_tanh (
    .clk_i, .z_i(c_sat), .y_o(tc));

  // Stage 4: h = o * tanh(c).
  logic signed [2*DataBits-1:0] hprod;
  logic [DataBits-1:0]          h_new;
  logic [DataBits-1:0]          h4_q;
  logic [CellBits-1:0]          c4_q;
  assign hprod = $signed(o3_q) * $signed(tc[TanhW-1:0]);
  sharp_sat_round #(.InBits(2*DataBits), .Shift(FracBits), .OutBits(DataBits)) u_h_round (
    .x_i(hprod), .y_o(h_new));
  always_ff @(posedge clk_i) begin
    h4_q <= h_new;
    c4_q <= c3_q;
  end
  assign h_o = h4_q;
  assign c_o = c4_q;
endmodule
