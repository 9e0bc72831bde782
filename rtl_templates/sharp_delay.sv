// sharp_delay: a shift register that delays a bus by a fixed number of cycles, used to keep
// control tags aligned with the datapath pipeline. Delay 0 is a wire. Reset clears it.
//   Width  bits of the bus
//   Delay  cycles of delay (>= 0)
module sharp_delay #(
  parameter int Width = 0,
  parameter int Delay = -1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);
  if (Width < 1 || Delay < 0) begin : gen_param_check
`ifdef __ICARUS__
    initial $fatal(1, "sharp_delay: Width must be positive and Delay non-negative");
`else
    $error("sharp_delay: Width must be positive and Delay non-negative");
`endif
  end

  if (Delay == 0) begin : gen_wire
    assign q_o = d_i;
  end else begin : gen_regs
    // Stage s holds bits [s*Width +: Width]; stage 0 is the newest. (A packed vector, not an
    // unpacked array: Icarus 11 did not propagate the array's reset to q_o.)
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
    assign q_o = pipe_q[Delay*Width-1 -: Width];
  end
endmodule
