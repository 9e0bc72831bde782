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
    logic [Width-1:0] stage_q [Delay];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        for (int s = 0; s < Delay; s++) stage_q[s] <= '0;
      end else begin
        stage_q[0] <= d_i;
        for (int s = 1; s < Delay; s++) stage_q[s] <= stage_q[s-1];
      end
    end
    assign q_o = stage_q[Delay-1];
  end
endmodule
