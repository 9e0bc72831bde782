// sharp_x_loader: the input-stream loader. ceil(X / K) beats per step go into x buffer slot
// (step mod XSlots), at most XSlots steps ahead of the steps the scheduler has released.
//   XSlots  time steps of x held at once (a power of two >= 2)
//   CxMax   x words per step (the x buffer's words per slot)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_x_loader #(
  parameter int XSlots = 0,
  parameter int CxMax  = 0
) (
  input  logic                                           clk_i,
  input  logic                                           rst_ni,
  input  logic                                           start_i,       // a legal start
  input  logic                                           busy_i,
  input  logic [31:0]                                    steps_i,
  input  logic [15:0]                                    x_beats_i,     // beats per step
  input  logic [31:0]                                    x_released_i,  // steps the scheduler is done with
  input  logic                                           x_valid_i,
  output logic                                           x_ready_o,
  output logic [31:0]                                    x_loaded_o,    // steps loaded
  output logic                                           x_we_o,
  output logic [((XSlots > 1) ? $clog2(XSlots) : 1)-1:0] x_slot_o,
  output logic [((CxMax > 1) ? $clog2(CxMax) : 1)-1:0]   x_word_o
);
  `SHARP_CHECK(gen_param_check, XSlots >= 2 && (XSlots & (XSlots - 1)) == 0 && CxMax >= 1,
               "sharp_x_loader: XSlots a power of two >= 2, CxMax >= 1")

  localparam int SlotW  = (XSlots > 1) ? $clog2(XSlots) : 1;
  localparam int XwBits = (CxMax > 1) ? $clog2(CxMax) : 1;

  logic [31:0] x_loaded_q;
  logic [15:0] x_beat_q;
  assign x_ready_o = busy_i && (x_loaded_q < steps_i) && (x_loaded_q - x_released_i < 32'(XSlots));
  assign x_we_o    = x_valid_i && x_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      x_loaded_q <= '0;
      x_beat_q   <= '0;
    end else if (start_i) begin
      x_loaded_q <= '0;
      x_beat_q   <= '0;
    end else if (x_we_o) begin
      if (x_beat_q == x_beats_i - 16'd1) begin
        x_beat_q   <= '0;
        x_loaded_q <= x_loaded_q + 32'd1;
      end else begin
        x_beat_q <= x_beat_q + 16'd1;
      end
    end
  end
  assign x_loaded_o = x_loaded_q;
  assign x_slot_o   = SlotW'(x_loaded_q);
  assign x_word_o   = XwBits'(x_beat_q);
endmodule
