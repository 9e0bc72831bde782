// sharp_mem: one logical buffer built of SRAM macros (sharp_sram instances) of at most
// SramBits bits each, with the same ports and timing as a single sharp_sram: registered read,
// per-element write mask. The buffer's words are split by address: macro i holds words
// i * MacroDepth .. i * MacroDepth + MacroDepth - 1 (the last macro holds what is left), so the
// high address bits pick the macro. A write enables only the addressed macro; a read enables
// only the addressed macro and the read data is selected by the macro index registered with
// the read. Only the addressed macro is active in a cycle, the others idle.
//   ElemBits  bits per element
//   Elems     elements per word
//   Depth     words of the buffer
//   SramBits  largest macro, in bits (the config's sram_kb x 8192)
// MacroDepth is the whole depth when the buffer fits in one macro, else the largest power of
// two whose words fit (sharp::macro_depth in the generator computes the same; the manifest
// lists the macros it expects and the harness and synthesis check the instances against it).
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_mem #(
  parameter int ElemBits = 0,
  parameter int Elems    = 0,
  parameter int Depth    = 0,
  parameter int SramBits = 0
) (
  input  logic                                         clk_i,
  input  logic                                         we_i,
  input  logic [((Depth > 1) ? $clog2(Depth) : 1)-1:0] waddr_i,
  input  logic [Elems-1:0]                             wmask_i,
  input  logic [Elems*ElemBits-1:0]                    wdata_i,
  input  logic                                         re_i,
  input  logic [((Depth > 1) ? $clog2(Depth) : 1)-1:0] raddr_i,
  output logic [Elems*ElemBits-1:0]                    rdata_o
);
  localparam int WordBits = ElemBits * Elems;
  // Words per macro: the whole buffer if it fits, else the largest power of two that fits
  // (2^floor(log2(MaxWords)), floor(log2(n)) = $clog2(n + 1) - 1).
  localparam int MaxWords   = (WordBits >= 1) ? SramBits / WordBits : 0;
  // (1 when not even one word fits: the parameter check below then refuses the instance.)
  localparam int MacroDepth = (MaxWords < 1) ? 1 : (Depth <= MaxWords) ? Depth : (1 << ($clog2(MaxWords + 1) - 1));
  localparam int Macros     = (Depth + MacroDepth - 1) / MacroDepth;
  localparam int MAw        = (MacroDepth > 1) ? $clog2(MacroDepth) : 1;
  localparam int SelBits    = (Macros > 1) ? $clog2(Macros) : 1;

  `SHARP_CHECK(gen_param_check, ElemBits >= 1 && Elems >= 1 && Depth >= 1 && MaxWords >= 1,
               "sharp_mem: ElemBits, Elems and Depth must be positive and one word must fit in SramBits")

  // Macro index and the address inside the macro. With more than one macro, MacroDepth is a
  // power of two (2^MShift words, MShift = 0 for macros of one word), so both are bit fields of
  // the address.
  localparam int MShift = $clog2(MacroDepth);
  logic [SelBits-1:0] wsel, rsel, rsel_q;
  logic [MAw-1:0]     wlocal, rlocal;
  if (Macros > 1) begin : gen_split
    assign wsel = SelBits'(waddr_i >> MShift);
    assign rsel = SelBits'(raddr_i >> MShift);
    if (MShift > 0) begin : gen_local
      assign wlocal = waddr_i[MShift-1:0];
      assign rlocal = raddr_i[MShift-1:0];
    end else begin : gen_one_word
      assign wlocal = '0;
      assign rlocal = '0;
    end
  end else begin : gen_whole
    assign wsel   = '0;
    assign rsel   = '0;
    assign wlocal = MAw'(waddr_i);
    assign rlocal = MAw'(raddr_i);
  end

  logic [Macros*WordBits-1:0] rdata;  // macro i's read data at bits i*WordBits
  for (genvar i = 0; i < Macros; i++) begin : gen_macro
    localparam int D = (i == Macros - 1) ? Depth - i * MacroDepth : MacroDepth;
    localparam int DAw = (D > 1) ? $clog2(D) : 1;
    logic we, re;
    assign we = we_i && (32'(wsel) == i);
    assign re = re_i && (32'(rsel) == i);
    sharp_sram #(
      .ElemBits(ElemBits),
      .Elems   (Elems),
      .Depth   (D)
    ) u_macro (
      .clk_i,
      .we_i    (we),
      .waddr_i (DAw'(wlocal)),
      .wmask_i (wmask_i),
      .wdata_i (wdata_i),
      .re_i    (re),
      .raddr_i (DAw'(rlocal)),
      .rdata_o (rdata[i*WordBits +: WordBits])
    );
  end

  // The read data comes from the macro the last read addressed, through a binary tree of 2:1
  // multiplexers on the registered macro index, least significant bit first (Macros - 1
  // multiplexers per data bit; a priority chain of compares, or an index-scaled part-select,
  // synthesizes to many times that). Indices past the last macro read zero.
  localparam int Levels = (Macros > 1) ? SelBits : 0;
  localparam int Leaves = 1 << Levels;
  always_ff @(posedge clk_i) begin
    if (re_i) rsel_q <= rsel;
  end
  logic [Leaves*WordBits-1:0] lvl;
  always_comb begin
    lvl = (Leaves*WordBits)'(rdata);
    for (int d = 0; d < Levels; d++)
      for (int j = 0; j < (Leaves >> (d + 1)); j++)
        lvl[j*WordBits +: WordBits] = rsel_q[d] ? lvl[(2*j+1)*WordBits +: WordBits] : lvl[2*j*WordBits +: WordBits];
    rdata_o = lvl[0 +: WordBits];
  end
endmodule
