// sharp_fifo_slice: Width bits of every entry of a sharp_fifo (a register file written at
// waddr_i, read combinationally at raddr_i). No reset: the FIFO's count says which entries
// hold data.
//   Width  bits of the slice
//   Depth  entries (a power of two >= 2)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_fifo_slice #(
  parameter int Width = 0,
  parameter int Depth = 0
) (
  input  logic                     clk_i,
  input  logic                     we_i,
  input  logic [$clog2(Depth)-1:0] waddr_i,
  input  logic [Width-1:0]         wdata_i,
  input  logic [$clog2(Depth)-1:0] raddr_i,
  output logic [Width-1:0]         rdata_o
);
  logic [Width-1:0] mem_q [Depth];
  assign rdata_o = mem_q[raddr_i];
  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
  end
endmodule
