// sharp_mem: one logical buffer built of SRAM macros (sharp_sram instances), with the same ports
// and timing as a single sharp_sram: registered read, per-element write mask. Each macro holds at
// most SramBits bits in words of at most SramWidth bits (at least one element), so a buffer is
// split two ways:
// - by width into Cols columns: column c holds elements c * ColElems .. c * ColElems + ColElems
//   - 1 of every word (the last column holds what is left), ColElems the fewest columns' share
//   of the elements, balanced. All columns see the same address and read together; a write
//   enables only the columns whose elements its mask touches.
// - by address into Rows macros per column: macro row a holds words a * MacroDepth .. a *
//   MacroDepth + MacroDepth - 1 (the last row holds what is left), MacroDepth the whole depth
//   when a column fits in one macro, else the largest power of two whose column words fit. The
//   high address bits pick the row: a write or a read enables only the addressed row, and the
//   read data comes from the row the last read addressed, through a binary tree of 2:1
//   multiplexers on the registered row index (Rows - 1 per bit of the word).
// Macro i = c * Rows + a is gen_macro[i].u_macro.
//   ElemBits   bits per element
//   Elems      elements per word
//   Depth      words of the buffer
//   SramBits   largest macro, in bits (the config's sram_kb x 8192)
//   SramWidth  widest macro word, in bits (the config's sram_width)
// sharp::split_buffer in the generator computes the same split; the manifest lists the macros
// it expects and the harness and synthesis check the instances against it.
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_mem #(
  parameter int ElemBits  = 0,
  parameter int Elems     = 0,
  parameter int Depth     = 0,
  parameter int SramBits  = 0,
  parameter int SramWidth = 0
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
  // Columns: as many elements as SramWidth holds (at least one), shared out evenly.
  localparam int MaxCol   = (ElemBits >= 1 && SramWidth >= ElemBits) ? SramWidth / ElemBits : 1;
  localparam int Cols     = (Elems >= 1) ? (Elems + MaxCol - 1) / MaxCol : 1;
  localparam int ColElems = (Elems >= 1) ? (Elems + Cols - 1) / Cols : 1;
  localparam int ColBits  = ColElems * ElemBits;  // the widest column's word
  // Rows: words per macro, the whole depth if a column fits, else the largest power of two that
  // fits (2^floor(log2(MaxWords)), floor(log2(n)) = $clog2(n + 1) - 1); 1 when not even one
  // column word fits (the parameter check below then refuses the instance).
  localparam int MaxWords   = (ColBits >= 1) ? SramBits / ColBits : 0;
  localparam int MacroDepth = (MaxWords < 1) ? 1 : (Depth <= MaxWords) ? Depth : (1 << ($clog2(MaxWords + 1) - 1));
  localparam int Rows       = (Depth + MacroDepth - 1) / MacroDepth;
  localparam int Macros     = Cols * Rows;
  localparam int MAw        = (MacroDepth > 1) ? $clog2(MacroDepth) : 1;
  localparam int SelBits    = (Rows > 1) ? $clog2(Rows) : 1;

  `SHARP_CHECK(gen_param_check, ElemBits >= 1 && Elems >= 1 && Depth >= 1 && SramWidth >= 1 && MaxWords >= 1,
               "sharp_mem: ElemBits, Elems, Depth and SramWidth must be positive and one column word must fit in SramBits")

  // The row index and the address inside the row. With more than one row, MacroDepth is a power
  // of two (2^MShift words, MShift = 0 for rows of one word), so both are bit fields of the
  // address.
  localparam int MShift = $clog2(MacroDepth);
  logic [SelBits-1:0] wsel, rsel, rsel_q;
  logic [MAw-1:0]     wlocal, rlocal;
  if (Rows > 1) begin : gen_split
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

  // Row a's word at bits a * WordBits, its columns side by side in element order.
  logic [Rows*WordBits-1:0] rdata;
  for (genvar i = 0; i < Macros; i++) begin : gen_macro
    localparam int C   = i / Rows;
    localparam int A   = i % Rows;
    localparam int E0  = C * ColElems;
    localparam int E   = (C == Cols - 1) ? Elems - E0 : ColElems;
    localparam int D   = (A == Rows - 1) ? Depth - A * MacroDepth : MacroDepth;
    localparam int DAw = (D > 1) ? $clog2(D) : 1;
    logic we, re;
    assign we = we_i && (|wmask_i[E0 +: E]) && (32'(wsel) == A);
    assign re = re_i && (32'(rsel) == A);
    sharp_sram #(
      .ElemBits(ElemBits),
      .Elems   (E),
      .Depth   (D)
    ) u_macro (
      .clk_i,
      .we_i    (we),
      .waddr_i (DAw'(wlocal)),
      .wmask_i (wmask_i[E0 +: E]),
      .wdata_i (wdata_i[E0*ElemBits +: E*ElemBits]),
      .re_i    (re),
      .raddr_i (DAw'(rlocal)),
      .rdata_o (rdata[A*WordBits + E0*ElemBits +: E*ElemBits])
    );
  end

  // The read data comes from the row the last read addressed, through a binary tree of 2:1
  // multiplexers on the registered row index, least significant bit first (Rows - 1
  // multiplexers per data bit; a priority chain of compares, or an index-scaled part-select,
  // synthesizes to many times that). Indices past the last row read zero.
  localparam int Levels = (Rows > 1) ? SelBits : 0;
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
