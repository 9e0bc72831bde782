// sharp_accumulators: two accumulators per row of the array, one for W·x tiles and one for
// U·h tiles, so the scheduler may interleave the two kinds cycle by cycle. A job's partial
// dot products arrive one column block per cycle (first/last flags); sums wrap modulo
// 2^AccBits. A W·x job starts from the bias (aligned to 2F fraction bits) and its total goes
// to the W·x bank (one slot per step ahead). A U·h job starts from its banked W·x sum; when it
// completes, its Rows sums are copied to a staging bank that a serializer hands to the
// activation unit one group of Lanes neurons (4*Lanes rows, gate order i, f, g, o inside each
// neuron) per cycle, narrowed to DataBits (round, saturate). Staging is rewritten only after
// the serializer has finished (the scheduler keeps U·h row blocks `serial` cycles apart).
// Rows are dense: in width Kw only the first Rk = N / Kw rows are used, and a row block has
// serial_i = Rk / (4 Lanes) groups.
// The bias and the bank are read one cycle ahead (bank_re_i/bank_raddr_i, from the caller's
// tag pipeline) so their data meet the sums.
//   Rows      most rows a tile can have (N / KMin)
//   TreeBits  bits of a row unit's sum
//   AccBits   accumulator width
//   DataBits  bits of biases and of the narrowed pre-activations
//   FracBits  fraction bits of the weights: sums carry FracBits more than a D-bit value (the bias
//             is aligned by it, pre-activations are shifted right by it)
//   Lanes     neurons handed on per cycle
//   Serial    groups per row block at the narrowest width (Rows / (4 Lanes))
//   RbBits    bits of the row-block index
//   BankDepth words of the W·x bank (slots * row blocks)
//   SramBits  largest SRAM macro, bits (see sharp_mem)
//   SramWidth widest SRAM macro word, bits (see sharp_mem)
//   HbW       bits of the h bank index a U·h job carries to the cell updater
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_accumulators #(
  parameter int Rows     = 0,
  parameter int TreeBits = 0,
  parameter int AccBits  = 0,
  parameter int DataBits = 0,
  parameter int FracBits = 0,
  parameter int Lanes    = 0,
  parameter int Serial   = 0,
  parameter int RbBits   = 0,
  parameter int BankDepth = 0,
  parameter int SramBits  = 0,
  parameter int SramWidth = 0,
  parameter int HbW       = 0
) (
  input  logic                                         clk_i,
  input  logic                                         rst_ni,
  // Row sums of one tile, with the tile's tags.
  input  logic                                         valid_i,
  input  logic                                         uh_i,
  input  logic [((BankDepth > 1) ? $clog2(BankDepth) : 1)-1:0] bank_addr_i,
  input  logic                                         last_i,
  input  logic                                         step_last_i,
  input  logic [HbW-1:0]                               hbank_i,
  input  logic [RbBits-1:0]                            rb_i,
  // {valid, uh, first, last} one cycle ahead (the tag pipe's bias stage), for the row registers.
  input  logic [3:0]                                   ctl_pre_i,
  input  logic [Rows*TreeBits-1:0]                     sum_i,
  input  logic [Rows*DataBits-1:0]                     bias_i,
  // Groups per row block in the current width: serial_i = 2^sshift_i.
  input  logic [15:0]                                  serial_i,
  input  logic [7:0]                                   sshift_i,
  // W·x bank read, one cycle before the sums of the tile that needs it.
  input  logic                                         bank_re_i,
  input  logic [((BankDepth > 1) ? $clog2(BankDepth) : 1)-1:0] bank_raddr_i,
  // Groups of finished pre-activations.
  output logic                                         grp_valid_o,
  output logic [RbBits+$clog2(Serial)-1:0]             grp_idx_o,
  output logic                                         grp_step_last_o,
  output logic [HbW-1:0]                               grp_hbank_o,
  output logic [4*Lanes*DataBits-1:0]                  grp_preact_o
);
  localparam int Groups   = Serial;               // groups per row block
  localparam int GrpBits  = (Groups > 1) ? $clog2(Groups) : 1;
  localparam int GrpRows  = 4 * Lanes;

  `SHARP_CHECK(gen_param_check, Rows >= 4 && Lanes >= 1 && Rows % (4 * Lanes) == 0 && AccBits >= TreeBits &&
               AccBits >= DataBits + FracBits && RbBits >= 1 && BankDepth >= 1 && Serial == Rows / (4 * Lanes),
               "sharp_accumulators: illegal parameters")

  logic [Rows*AccBits-1:0] wx_d, stage_q, bank_rdata;

  // Accumulate: one sharp_acc_row per row (a module of its own, so that synthesis handles one
  // row and multiplies it by Rows).
  for (genvar r = 0; r < Rows; r++) begin : gen_row
    sharp_acc_row #(
      .TreeBits(TreeBits),
      .AccBits (AccBits),
      .DataBits(DataBits),
      .FracBits(FracBits)
    ) u_row (
      .clk_i,
      .rst_ni,
      .ctl_i   (ctl_pre_i),
      .sum_i   (sum_i[r*TreeBits +: TreeBits]),
      .bias_i  (bias_i[r*DataBits +: DataBits]),
      .bank_i  (bank_rdata[r*AccBits +: AccBits]),
      .wx_d_o  (wx_d[r*AccBits +: AccBits]),
      .stage_o (stage_q[r*AccBits +: AccBits])
    );
  end

  // The W·x bank: a finished W·x job's sums, read back by the U·h job of the same step.
  sharp_mem #(
    .ElemBits(AccBits),
    .Elems   (Rows),
    .Depth   (BankDepth),
    .SramBits(SramBits),
    .SramWidth(SramWidth)
  ) u_wx_bank (
    .clk_i,
    .we_i    (valid_i && !uh_i && last_i),
    .waddr_i (bank_addr_i),
    .wmask_i ({Rows{1'b1}}),
    .wdata_i (wx_d),
    .re_i    (bank_re_i),
    .raddr_i (bank_raddr_i),
    .rdata_o (bank_rdata)
  );

  // Serializer: hands out group 0 .. Groups-1 of the staged block on consecutive cycles.
  logic               ser_busy_q;
  logic [GrpBits-1:0] ser_cnt_q;
  logic [RbBits-1:0]  ser_rb_q;
  logic               ser_step_last_q;
  logic [HbW-1:0]     ser_hbank_q;
  logic               ser_end;
  assign ser_end = (32'(ser_cnt_q) == 32'(serial_i) - 32'd1);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ser_busy_q      <= 1'b0;
      ser_cnt_q       <= '0;
      ser_rb_q        <= '0;
      ser_step_last_q <= 1'b0;
      ser_hbank_q     <= '0;
    end else if (valid_i && uh_i && last_i) begin
      ser_busy_q      <= 1'b1;
      ser_cnt_q       <= '0;
      ser_rb_q        <= rb_i;
      ser_step_last_q <= step_last_i;
      ser_hbank_q     <= hbank_i;
    end else if (ser_busy_q) begin
      ser_busy_q <= !ser_end;
      ser_cnt_q  <= ser_cnt_q + GrpBits'(1);
    end
  end

  // The selected group's rows, narrowed to DataBits: output row q takes staged row
  // g * GrpRows + q of group g = ser_cnt_q (wired candidates, then a Groups:1 select).
  logic [GrpRows*AccBits-1:0] grp_acc;
  for (genvar q = 0; q < GrpRows; q++) begin : gen_pick
    if (Groups == 1) begin : gen_one_group
      assign grp_acc[q*AccBits +: AccBits] = stage_q[q*AccBits +: AccBits];
    end else begin : gen_groups
      logic [Groups*AccBits-1:0] opts;
      for (genvar g = 0; g < Groups; g++) begin : gen_grp
        assign opts[g*AccBits +: AccBits] = stage_q[(g * GrpRows + q) * AccBits +: AccBits];
      end
      // AND-OR chain (see sharp_tap_select).
      logic [Groups*AccBits-1:0] acc /* verilator split_var */;
      for (genvar g = 0; g < Groups; g++) begin : gen_sel
        if (g == 0) begin : gen_first
          assign acc[AccBits-1:0] = (ser_cnt_q == GrpBits'(0)) ? opts[AccBits-1:0] : '0;
        end else begin : gen_next
          assign acc[g*AccBits +: AccBits] = acc[(g-1)*AccBits +: AccBits] |
                                             ((ser_cnt_q == GrpBits'(g)) ? opts[g*AccBits +: AccBits] : '0);
        end
      end
      assign grp_acc[q*AccBits +: AccBits] = acc[(Groups-1)*AccBits +: AccBits];
    end
  end
  // Group index within the step: rb * serial + count.
  localparam int IdxBits = RbBits + $clog2(Serial);
  assign grp_idx_o = IdxBits'((32'(ser_rb_q) << sshift_i) + 32'(ser_cnt_q));

  for (genvar q = 0; q < GrpRows; q++) begin : gen_narrow
    sharp_sat_round #(
      .InBits (AccBits),
      .Shift  (FracBits),
      .OutBits(DataBits)
    ) u_narrow (
      .x_i (grp_acc[q*AccBits +: AccBits]),
      .y_o (grp_preact_o[q*DataBits +: DataBits])
    );
  end

  assign grp_valid_o     = ser_busy_q;
  assign grp_step_last_o = ser_busy_q && ser_step_last_q && ser_end;
  assign grp_hbank_o     = ser_hbank_q;
endmodule
