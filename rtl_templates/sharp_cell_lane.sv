// sharp_cell_lane: the cell of one neuron (one lane of sharp_cell_update), bit-exact with
// sharp::FixedLstm for every cell kind the design has (Cells; the run's kind is cell_i):
//   lstm      c = sat_C(round(f*c_prev + i*g)),  h = sat_D(round(o * tanh(sat_D(c))))
//   gru       with r = i_i = sig(row 0), z = f_i = sig(row 1), n_x = r2_i, n_h = r3_i (rows 2, 3
//             unchanged): n = tanh(sat_D(n_x + round(r*n_h))),
//             h = sat_D(round((2^F - z)*n + z*h_prev)), h_prev = sat_D(c_prev); c = h
//   rnn_tanh  h = tanh(r0_i);  rnn_relu  h = max(0, r0_i);  c = h
// The kinds share the stages: 1 the products into the state (f*c + i*g, or r*n_h + 2^F n_x);
// 2 rounding and the tanh lookup (of c, of n's sum, or of the rnn's sum); 3 tanh interpolate,
// and the gru's 2^F - z and z*h_prev; 4 h (o*tanh(c), or the gru's (2^F - z)*n + z*h_prev).
// Latency Stages cycles (4, or 5 with stage 4 split); no reset (the caller's tag says which
// outputs are valid).
// A design with one kind has the others' logic removed by constant propagation.
//   DataBits       bits of gates and h (FracBits fraction bits)
//   FracBits       fraction bits
//   CellBits       bits of the cell state (FracBits fraction bits)
//   SegBits        log2 of tanh PWL segments
//   TanhSlopeBits  slope field bits of the tanh table
//   TanhDomainBits input domain bits of the tanh table (sharp_pwl DomainBits)
//   Cells          cell kinds supported, bit c for kind c (0 lstm, 1 gru, 2 rnn_tanh, 3 rnn_relu)
//   Stages         4, or 5: the last stage split in two (products; then sums, rounding and the
//                  choice of kind), as designs with the gru have it
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_cell_lane #(
  parameter int DataBits      = 0,
  parameter int FracBits      = 0,
  parameter int CellBits      = 0,
  parameter int SegBits       = 0,
  parameter int TanhSlopeBits = 0,
  parameter int TanhDomainBits = 0,
  parameter int Cells         = 1,
  parameter int Stages        = 4
) (
  input  logic                clk_i,
  /* verilator lint_off UNUSEDSIGNAL */  // gates: only the bits a sigmoid or tanh can carry are used
  input  logic [DataBits-1:0] i_i,
  input  logic [DataBits-1:0] f_i,
  input  logic [DataBits-1:0] g_i,
  input  logic [DataBits-1:0] o_i,
  input  logic [DataBits-1:0] r0_i,
  input  logic [DataBits-1:0] r2_i,
  input  logic [DataBits-1:0] r3_i,
  input  logic [1:0]          cell_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [CellBits-1:0] c_prev_i,
  output logic [DataBits-1:0] h_o,
  output logic [CellBits-1:0] c_o
);
  `SHARP_CHECK(gen_param_check, Cells >= 1 && Cells <= 15 && (Stages == 4 || Stages == 5),
               "sharp_cell_lane: Cells must be a mask of 1 to 15 and Stages 4 or 5")
  localparam int SumBits = DataBits + CellBits + 1;  // f*c_prev + i*g without overflow
  localparam logic [1:0] KLstm = 2'd0, KGru = 2'd1, KRnnTanh = 2'd2;

  // The run's kind; a constant when the design has one kind.
  logic [1:0] kind;
  assign kind = (Cells == 1) ? 2'd0 : (Cells == 2) ? 2'd1 : (Cells == 4) ? 2'd2 : (Cells == 8) ? 2'd3 : cell_i;

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

  // Stage 1: the lstm's new cell state as an exact sum, the gru's r*n_h + 2^F n_x (whose rounding
  // is round(r*n_h) + n_x: 2^F n_x is a multiple of 2^F), or the rnn's sum (rounded and saturated
  // in stage 2, which has room: the products fill stage 1).
  logic signed [SumBits-1:0] csum, rprod, s1_d, c1_q;
  logic [CellBits-1:0]       c_new;
  assign csum  = f_v * c_prev + i_v * g_v;
  assign rprod = i_v * $signed(r3_i) + (SumBits'($signed(r2_i)) <<< FracBits);
  // h_prev (gru) or the rnn's sum (relu) rides along to stage 4.
  logic [DataBits-1:0] hp_sat, hp1_d, hp1_q, hp2_q, hp3_q, o1_d;
  sharp_sat_round #(.InBits(CellBits), .Shift(0), .OutBits(DataBits)) u_hp_sat (
    .x_i(c_prev_i), .y_o(hp_sat));
  always_comb begin
    s1_d  = csum;
    hp1_d = r0_i;
    o1_d  = o_v;
    if (kind == KGru) begin
      s1_d  = rprod;
      hp1_d = hp_sat;
      o1_d  = f_v;  // z
    end else if (kind != KLstm) begin
      s1_d = SumBits'($signed(r0_i));
    end
  end
  logic [CellBits-1:0] c2_q, c3_q;
  logic [DataBits-1:0] o1_q, o2_q, o3_q;
  always_ff @(posedge clk_i) begin
    c1_q  <= s1_d;
    o1_q  <= o1_d;
    hp1_q <= hp1_d;
    c2_q  <= c_new;
    o2_q  <= o1_q;
    hp2_q <= hp1_q;
    c3_q  <= c2_q;
    o3_q  <= o2_q;
    hp3_q <= hp2_q;
  end
  sharp_sat_round #(.InBits(SumBits), .Shift(FracBits), .OutBits(CellBits)) u_c_round (
    .x_i(c1_q), .y_o(c_new));
  // Stages 2-3: tanh of the cell state saturated to DataBits (lstm), of the gru's
  // sat_D(n_x + round(r*n_h)), or of the rnn's sum.
  logic [DataBits-1:0] c_sat, n_sum, t_in;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [DataBits-1:0] tc;  // tanh: TanhW bits carry the value
  /* verilator lint_on UNUSEDSIGNAL */
  sharp_sat_round #(.InBits(CellBits), .Shift(0), .OutBits(DataBits)) u_c_sat (
    .x_i(c_new), .y_o(c_sat));
  sharp_sat_round #(.InBits(SumBits), .Shift(FracBits), .OutBits(DataBits)) u_n_round (
    .x_i(c1_q), .y_o(n_sum));
  assign t_in = (kind == KLstm) ? c_sat : (kind == KGru) ? n_sum : c1_q[DataBits-1:0];
  sharp_pwl #(.DataBits(DataBits), .SegBits(SegBits), .DomainBits(TanhDomainBits), .SlopeBits(TanhSlopeBits), .Fn(1)) u_tanh (
    .clk_i, .z_i(t_in), .y_o(tc));

  // (2^F - z) n + z h_prev: 2^F - z (in [0, 2^F]) and z h_prev are formed in stage 3, the latter
  // with the rounding constant 2^(F-1) added, so that the last stage only shifts.
  logic signed [FracBits+1:0]   omz_d, omz3_q;
  logic signed [2*DataBits+3:0] zh_d, zh3_q;
  assign omz_d = (FracBits + 2)'(1 << FracBits) - (FracBits + 2)'($signed({1'b0, o2_q[SigW-1:0]}));
  assign zh_d  = $signed({1'b0, o2_q[SigW-1:0]}) * $signed(hp2_q) + (2*DataBits + 4)'(1 << (FracBits - 1));
  always_ff @(posedge clk_i) begin
    omz3_q <= omz_d;
    zh3_q  <= zh_d;
  end

  // Stage 4: the products o * tanh(c) (lstm) and (2^F - z) * n (gru). With Stages = 5 they are
  // registered here (with what stage 5 needs beside them), so that the gru's sum, the rounding
  // and the choice of kind take a stage of their own.
  logic signed [2*DataBits-1:0] hprod, hprod_v;
  logic signed [2*DataBits+3:0] gm_n, gm_n_v, zh_v;
  logic signed [TanhW-1:0]      tc_v;
  logic [DataBits-1:0]          hp_v;
  logic [CellBits-1:0]          c_v;
  assign hprod = $signed(o3_q) * $signed(tc[TanhW-1:0]);
  assign gm_n  = omz3_q * $signed(tc[TanhW-1:0]);
  if (Stages == 5) begin : gen_stage5
    always_ff @(posedge clk_i) begin
      hprod_v <= hprod;
      gm_n_v  <= gm_n;
      zh_v    <= zh3_q;
      tc_v    <= tc[TanhW-1:0];
      hp_v    <= hp3_q;
      c_v     <= c3_q;
    end
  end else begin : gen_stage4
    assign hprod_v = hprod;
    assign gm_n_v  = gm_n;
    assign zh_v    = zh3_q;
    assign tc_v    = tc[TanhW-1:0];
    assign hp_v    = hp3_q;
    assign c_v     = c3_q;
  end

  // Last stage: h = round(o * tanh(c)) (lstm), the gru's mix, tanh or relu of the rnn's sum.
  /* verilator lint_off UNUSEDSIGNAL */
  logic signed [2*DataBits+3:0] gmix;  // its low FracBits bits are dropped
  /* verilator lint_on UNUSEDSIGNAL */
  logic [DataBits-1:0]          h_lstm, h_gru, h_new;
  logic [DataBits-1:0]          h_q;
  logic [CellBits-1:0]          c_q;
  sharp_sat_round #(.InBits(2*DataBits), .Shift(FracBits), .OutBits(DataBits)) u_h_round (
    .x_i(hprod_v), .y_o(h_lstm));
  assign gmix = gm_n_v + zh_v;  // rounded already: floor(gmix / 2^F) = round_shift of the mix
  sharp_sat_round #(.InBits(2*DataBits + 4 - FracBits), .Shift(0), .OutBits(DataBits)) u_g_round (
    .x_i(gmix[2*DataBits+3:FracBits]), .y_o(h_gru));
  always_comb begin
    case (kind)
      KLstm:    h_new = h_lstm;
      KGru:     h_new = h_gru;
      KRnnTanh: h_new = DataBits'(tc_v);
      default:  h_new = hp_v[DataBits-1] ? '0 : hp_v;
    endcase
  end
  always_ff @(posedge clk_i) begin
    h_q <= h_new;
    c_q <= (kind == KLstm) ? c_v : CellBits'($signed(h_new));
  end
  assign h_o = h_q;
  assign c_o = c_q;
endmodule
