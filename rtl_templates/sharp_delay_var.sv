// sharp_delay_var: a shift register whose delay is chosen at run time (1 .. MaxDelay cycles),
// for control tags whose pipeline depth depends on the configured width. The selection must
// only change while the pipeline is empty. Reset clears it.
//   Width     bits of the bus
//   MaxDelay  longest delay (>= 1)
module sharp_delay_var #(
  parameter int Width    = 0,
  parameter int MaxDelay = 0
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [7:0]       delay_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);
  if (Width < 1 || MaxDelay < 1) begin : gen_param_check
`ifdef __ICARUS__
    initial $fatal(1, "sharp_delay_var: Width and MaxDelay must be positive");
`else
    $error("sharp_delay_var: Width and MaxDelay must be positive");
`endif
  end

  logic [Width-1:0] stage_q [MaxDelay];
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int s = 0; s < MaxDelay; s++) stage_q[s] <= '0;
    end else begin
      stage_q[0] <= d_i;
      for (int s = 1; s < MaxDelay; s++) stage_q[s] <= stage_q[s-1];
    end
  end

  // Out-of-range selections read the last stage.
  always_comb begin
    q_o = stage_q[MaxDelay-1];
    for (int s = 0; s < MaxDelay; s++) begin
      if (32'(delay_i) == s + 1) q_o = stage_q[s];
    end
  end
endmodule
