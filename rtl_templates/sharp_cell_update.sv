// sharp_cell_update: the element-wise cell for Lanes neurons per cycle (lstm, gru or rnn; see
// sharp_cell_lane), bit-exact with sharp::FixedLstm. Latency: 4 cycles (c, tanh lookup, tanh
// interpolate, h), 5 in designs with the gru (h's stage split in two).
// The tag travels with the data.
//   Lanes          neurons per cycle
//   DataBits       bits of gates and h (FracBits fraction bits)
//   FracBits       fraction bits
//   CellBits       bits of the cell state (FracBits fraction bits)
//   SegBits        log2 of tanh PWL segments
//   TanhSlopeBits  slope field bits of the tanh table
//   TanhDomainBits input domain bits of the tanh table
//   TagBits        bits of the side-band tag
//   Latency        cycles from the inputs to the outputs (4, or 5 when Cells has the gru; the
//                  plan's cell_latency)
//   Cells          cell kinds supported, bit c for kind c (0 lstm, 1 gru, 2 rnn_tanh, 3 rnn_relu)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_cell_update #(
  parameter int Lanes         = 0,
  parameter int DataBits      = 0,
  parameter int FracBits      = 0,
  parameter int CellBits      = 0,
  parameter int SegBits       = 0,
  parameter int TanhSlopeBits = 0,
  parameter int TanhDomainBits = 0,
  parameter int TagBits       = 0,
  parameter int Latency       = 0,
  parameter int Cells         = 1
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic                        valid_i,
  input  logic [TagBits-1:0]          tag_i,
  input  logic [Lanes*DataBits-1:0]   i_i,
  input  logic [Lanes*DataBits-1:0]   f_i,
  input  logic [Lanes*DataBits-1:0]   g_i,
  input  logic [Lanes*DataBits-1:0]   o_i,
  input  logic [Lanes*DataBits-1:0]   r0_i,     // rows 0, 2, 3 unchanged (gru, rnn)
  input  logic [Lanes*DataBits-1:0]   r2_i,
  input  logic [Lanes*DataBits-1:0]   r3_i,
  input  logic [1:0]                  cell_i,   // the run's cell kind
  input  logic [Lanes*CellBits-1:0]   c_prev_i,
  output logic                        valid_o,
  output logic [TagBits-1:0]          tag_o,
  output logic [Lanes*DataBits-1:0]   h_o,
  output logic [Lanes*CellBits-1:0]   c_o
);
  `SHARP_CHECK(gen_param_check, Lanes >= 1 && CellBits >= DataBits && TagBits >= 1 && FracBits >= 1,
               "sharp_cell_update: illegal parameters")
  `SHARP_CHECK(gen_latency_check, Latency == (((Cells & 2) != 0) ? 5 : 4),
               "sharp_cell_update: Latency must be 4, or 5 with the gru (its pipeline depth)")

  sharp_delay #(.Width(1 + TagBits), .Delay(Latency), .Runtime(0)) u_tag_delay (
    .clk_i, .rst_ni, .delay_i(8'd0), .d_i({valid_i, tag_i}), .q_o({valid_o, tag_o}));

  // One sharp_cell_lane per neuron (a module of its own, so that synthesis handles one lane
  // and multiplies it by Lanes).
  for (genvar n = 0; n < Lanes; n++) begin : gen_lane
    sharp_cell_lane #(
      .DataBits     (DataBits),
      .FracBits     (FracBits),
      .CellBits     (CellBits),
      .SegBits      (SegBits),
      .TanhSlopeBits(TanhSlopeBits),
      .TanhDomainBits(TanhDomainBits),
      .Cells        (Cells),
      .Stages       (Latency)
    ) u_lane (
      .clk_i,
      .i_i      (i_i[n*DataBits +: DataBits]),
      .f_i      (f_i[n*DataBits +: DataBits]),
      .g_i      (g_i[n*DataBits +: DataBits]),
      .o_i      (o_i[n*DataBits +: DataBits]),
      .r0_i     (r0_i[n*DataBits +: DataBits]),
      .r2_i     (r2_i[n*DataBits +: DataBits]),
      .r3_i     (r3_i[n*DataBits +: DataBits]),
      .cell_i,
      .c_prev_i (c_prev_i[n*CellBits +: CellBits]),
      .h_o      (h_o[n*DataBits +: DataBits]),
      .c_o      (c_o[n*CellBits +: CellBits])
    );
  end
endmodule
