// sharp_sram: behavioural single-port-write, single-port-read memory with a registered
// read and per-element write mask. It stands for an on-chip SRAM macro: synthesis keeps it
// out of logic mapping (blackbox) and estimates its area from its bit count instead.
//   ElemBits  bits per element
//   Elems     elements per word (each with its own write-mask bit)
//   Depth     words
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_sram #(
  parameter int ElemBits = 0,
  parameter int Elems    = 0,
  parameter int Depth    = 0
) (
  input  logic                                       clk_i,
  input  logic                                       we_i,
  input  logic [((Depth > 1) ? $clog2(Depth) : 1)-1:0] waddr_i,
  input  logic [Elems-1:0]                           wmask_i,
  input  logic [Elems*ElemBits-1:0]                  wdata_i,
  input  logic                                       re_i,
  input  logic [((Depth > 1) ? $clog2(Depth) : 1)-1:0] raddr_i,
  output logic [Elems*ElemBits-1:0]                  rdata_o
);
  // Parameter legality, checked at elaboration.
  `SHARP_CHECK(gen_param_check, ElemBits >= 1 && Elems >= 1 && Depth >= 1,
               "sharp_sram: ElemBits, Elems and Depth must be positive")

  // One array per element column, so the write mask needs no loop over a wide word.
  logic [Elems*ElemBits-1:0] rdata_q;
  for (genvar e = 0; e < Elems; e++) begin : gen_col
    logic [ElemBits-1:0] mem_q [Depth];
    always_ff @(posedge clk_i) begin
      if (we_i && wmask_i[e]) mem_q[waddr_i] <= wdata_i[e*ElemBits +: ElemBits];
    end
    // Registered read: data appears the cycle after re_i.
    always_ff @(posedge clk_i) begin
      if (re_i) rdata_q[e*ElemBits +: ElemBits] <= mem_q[raddr_i];
    end
  end
  assign rdata_o = rdata_q;
endmodule
