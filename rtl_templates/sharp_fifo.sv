// sharp_fifo: synchronous FIFO with valid/ready on both sides; the head is visible
// combinationally (fall-through). Used for the output stream, whose room the scheduler
// reserves in advance (credits), so the datapath never has to stall.
//   Width  bits per entry
//   Depth  entries (a power of two >= 2)
//   Slices storage slices (dividing Width; e.g. one per lane)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_fifo #(
  parameter int Width  = 0,
  parameter int Depth  = 0,
  parameter int Slices = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             push_i,
  input  logic [Width-1:0] data_i,
  output logic             full_o,
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);
  localparam int Aw = $clog2(Depth);

  `SHARP_CHECK(gen_param_check, Width >= 1 && Depth >= 2 && (Depth & (Depth - 1)) == 0 && Slices >= 1 &&
               Width % Slices == 0,
               "sharp_fifo: Width >= 1, Depth a power of two >= 2, Slices dividing Width")

  logic [Aw-1:0]    wptr_q, rptr_q;
  logic [Aw:0]      count_q;
  logic             do_push, do_pop;

  assign full_o  = (count_q == (Aw+1)'(Depth));
  assign valid_o = (count_q != '0);
  assign do_pop  = valid_o && ready_i;
  assign do_push = push_i && !full_o;

  // The entries, in Slices slices of Width / Slices bits (one module each, so that synthesis
  // handles one slice and multiplies it by Slices).
  localparam int SliceW = Width / Slices;
  for (genvar s = 0; s < Slices; s++) begin : gen_slice
    sharp_fifo_slice #(
      .Width(SliceW),
      .Depth(Depth)
    ) u_slice (
      .clk_i,
      .we_i    (do_push),
      .waddr_i (wptr_q),
      .wdata_i (data_i[s*SliceW +: SliceW]),
      .raddr_i (rptr_q),
      .rdata_o (data_o[s*SliceW +: SliceW])
    );
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q  <= '0;
      rptr_q  <= '0;
      count_q <= '0;
    end else begin
      if (do_push) wptr_q <= wptr_q + Aw'(1);
      if (do_pop) rptr_q <= rptr_q + Aw'(1);
      count_q <= count_q + (Aw+1)'(do_push) - (Aw+1)'(do_pop);
    end
  end
endmodule
