// sharp_delay: a shift register that delays a bus, used to keep control tags aligned with the
// datapath pipeline. The delay is fixed (Runtime 0) or chosen at run time (Runtime 1), for
// tags whose pipeline depth depends on the configured width; a run-time selection must only
// change while the pipeline is empty. Reset clears it.
//   Width    bits of the bus
//   Delay    Runtime 0: cycles of delay (>= 0; 0 is a wire). Runtime 1: the longest delay (>= 1)
//   Runtime  0: fixed delay, delay_i ignored; 1: delay_i[7:0] selects 1 .. Delay cycles, and
//            out-of-range selections (0 or above Delay) read the last stage
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_delay #(
  parameter int Width   = 0,
  parameter int Delay   = -1,
  parameter int Runtime = 0
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [7:0]       delay_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);
  `SHARP_CHECK(gen_param_check, Width >= 1 && (Runtime == 0 || Runtime == 1) && Delay >= Runtime,
               "sharp_delay: Width >= 1, Runtime 0 or 1, Delay >= 0 (Runtime 0) or >= 1 (Runtime 1)")

  if (Delay == 0) begin : gen_wire
    assign q_o = d_i;
    logic unused;
    assign unused = ^{clk_i, rst_ni, delay_i};
  end else begin : gen_regs
    // Stage s holds bits [s*Width +: Width]; stage 0 is the newest (d_i delayed by one
    // cycle). (A packed vector, not an unpacked array: Icarus 11 did not propagate the
    // array's reset to q_o.)
    logic [Delay*Width-1:0] pipe_q, pipe_d;
    if (Delay == 1) begin : gen_one
      assign pipe_d = d_i;
    end else begin : gen_shift
      assign pipe_d = {pipe_q[(Delay-1)*Width-1:0], d_i};
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) pipe_q <= '0;
      else pipe_q <= pipe_d;
    end

    if (Runtime == 0) begin : gen_fixed
      assign q_o = pipe_q[Delay*Width-1 -: Width];
      logic unused;
      assign unused = ^delay_i;
    end else begin : gen_runtime
      localparam int SelW = (Delay > 1) ? $clog2(Delay) : 1;
      logic [SelW-1:0] sel;
      assign sel = (delay_i != 8'd0 && 32'(delay_i) <= Delay) ? SelW'(delay_i - 8'd1) : SelW'(Delay - 1);
      assign q_o = pipe_q[32'(sel)*Width +: Width];
    end
  end
endmodule
