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

  // Stage s holds bits [s*Width +: Width]; stage 0 is the newest (d_i delayed by one cycle).
  logic [MaxDelay*Width-1:0] pipe_q, pipe_d;
  if (MaxDelay == 1) begin : gen_one
    assign pipe_d = d_i;
  end else begin : gen_shift
    assign pipe_d = {pipe_q[(MaxDelay-1)*Width-1:0], d_i};
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) pipe_q <= '0;
    else pipe_q <= pipe_d;
  end

  // Out-of-range selections read the last stage.
  localparam int SelW = (MaxDelay > 1) ? $clog2(MaxDelay) : 1;
  logic [SelW-1:0] sel;
  assign sel = (delay_i != 8'd0 && 32'(delay_i) <= MaxDelay) ? SelW'(delay_i - 8'd1) : SelW'(MaxDelay - 1);
  assign q_o = pipe_q[32'(sel)*Width +: Width];
endmodule
