// sharp_weight_mem: the weight and bias memories beside the array. One bank per row unit
// holds that row's K-wide weight words for every (row block, column block) of the layer,
// at address rb * CB + cb; the bias memory holds one word of up to BRows biases per row block.
// Loads write one bank (one K-wide word) or one bias element per cycle; reads are 1 cycle.
//   DataBits  bits of a weight / bias
//   K         weights per word (the array's widest dot-product width)
//   Rows      row units (banks)
//   BRows     biases per bias word (rows of a tile at the narrowest width)
//   WDepth    words per bank
//   BDepth    bias words (row blocks)
//   SramBits  largest SRAM macro, bits: every bank and the bias memory is a sharp_mem of
//             macros of at most this size
//   SramWidth widest SRAM macro word, bits (see sharp_mem)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_weight_mem #(
  parameter int DataBits = 0,
  parameter int K        = 0,
  parameter int Rows     = 0,
  parameter int BRows    = 0,
  parameter int WDepth   = 0,
  parameter int BDepth   = 0,
  parameter int SramBits = 0,
  parameter int SramWidth = 0
) (
  input  logic                                         clk_i,
  // Weight load: one bank word.
  input  logic                                         w_we_i,
  input  logic [((Rows > 1) ? $clog2(Rows) : 1)-1:0]   w_bank_i,
  input  logic [((WDepth > 1) ? $clog2(WDepth) : 1)-1:0] w_waddr_i,
  input  logic [K*DataBits-1:0]                        w_wdata_i,
  // Bias load: one element.
  input  logic                                         b_we_i,
  input  logic [((BRows > 1) ? $clog2(BRows) : 1)-1:0] b_elem_i,
  input  logic [((BDepth > 1) ? $clog2(BDepth) : 1)-1:0] b_waddr_i,
  input  logic [DataBits-1:0]                          b_wdata_i,
  // Reads.
  input  logic                                         w_re_i,
  input  logic [((WDepth > 1) ? $clog2(WDepth) : 1)-1:0] w_raddr_i,
  output logic [Rows*K*DataBits-1:0]                   w_rdata_o,
  input  logic                                         b_re_i,
  input  logic [((BDepth > 1) ? $clog2(BDepth) : 1)-1:0] b_raddr_i,
  output logic [BRows*DataBits-1:0]                    b_rdata_o
);
  `SHARP_CHECK(gen_param_check, Rows >= 1 && K >= 1 && BRows >= Rows && WDepth >= 1 && BDepth >= 1,
               "sharp_weight_mem: illegal parameters")

  for (genvar r = 0; r < Rows; r++) begin : gen_bank
    // The bank select is a signal of its own: Icarus 11 loses the genvar in later port
    // connections when one port expression compares it with a signal.
    logic we;
    assign we = w_we_i && (32'(w_bank_i) == r);
    sharp_mem #(
      .ElemBits(DataBits),
      .Elems   (K),
      .Depth   (WDepth),
      .SramBits(SramBits),
      .SramWidth(SramWidth)
    ) u_bank (
      .clk_i,
      .we_i    (we),
      .waddr_i (w_waddr_i),
      .wmask_i ({K{1'b1}}),
      .wdata_i (w_wdata_i),
      .re_i    (w_re_i),
      .raddr_i (w_raddr_i),
      .rdata_o (w_rdata_o[r*K*DataBits +: K*DataBits])
    );
  end

  // Bias: element b_elem_i of word b_waddr_i.
  logic [BRows-1:0] b_mask;
  always_comb begin
    b_mask = '0;
    b_mask[b_elem_i] = 1'b1;
  end

  sharp_mem #(
    .ElemBits(DataBits),
    .Elems   (BRows),
    .Depth   (BDepth),
    .SramBits(SramBits),
    .SramWidth(SramWidth)
  ) u_bias (
    .clk_i,
    .we_i    (b_we_i),
    .waddr_i (b_waddr_i),
    .wmask_i (b_mask),
    .wdata_i ({BRows{b_wdata_i}}),
    .re_i    (b_re_i),
    .raddr_i (b_raddr_i),
    .rdata_o (b_rdata_o)
  );
endmodule
