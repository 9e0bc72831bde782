// sharp_reconfig: turns the run-time registers (H, X and the dot-product width) into the
// tiling the scheduler walks, and says whether they are legal for this design:
//   row blocks     RB = ceil(4H / Rows)
//   column blocks  CX = ceil(X / K), CH = ceil(H / K), CB = CX + CH
//   block period   P  = max(CB, Rows / (4 Lanes))   (activation throughput)
//   output groups  G  = ceil(H / Lanes)
// This version's array has one width (K); any other width is flagged unsupported. The
// width register is where the adder-tree taps and accumulator routing will be selected.
//   K          dot-product width of the array
//   Rows       row units
//   Lanes      neurons per cycle in the activation unit
//   MaxHidden  largest H
//   MaxInput   largest X
module sharp_reconfig #(
  parameter int K         = 0,
  parameter int Rows      = 0,
  parameter int Lanes     = 0,
  parameter int MaxHidden = 0,
  parameter int MaxInput  = 0
) (
  input  logic [31:0] hidden_i,
  input  logic [31:0] input_i,
  input  logic [31:0] width_i,
  output logic        shape_ok_o,
  output logic        width_ok_o,
  output logic [15:0] rb_count_o,
  output logic [15:0] cx_o,
  output logic [15:0] ch_o,
  output logic [15:0] cb_o,
  output logic [15:0] period_o,
  output logic [15:0] groups_o
);
  localparam int KBits    = $clog2(K);
  localparam int NpbBits  = $clog2(Rows / 4);   // neurons per row block = Rows / 4
  localparam int LaneBits = $clog2(Lanes);
  localparam int Serial   = Rows / (4 * Lanes);

  if (K < 2 || Rows < 4 || Lanes < 1 || MaxHidden < 1 || MaxInput < 1 || MaxHidden > 16383 ||
      MaxInput > 16383) begin : gen_param_check
`ifdef __ICARUS__
    initial $fatal(1, "sharp_reconfig: illegal parameters");
`else
    $error("sharp_reconfig: illegal parameters");
`endif
  end

  logic [15:0] h, x;
  assign h = hidden_i[15:0];
  assign x = input_i[15:0];

  assign shape_ok_o = (hidden_i >= 32'd1) && (hidden_i <= 32'(MaxHidden)) &&
                      (input_i >= 32'd1) && (input_i <= 32'(MaxInput));
  assign width_ok_o = (width_i == 32'(K));

  assign rb_count_o = 16'((h + 16'(Rows / 4 - 1)) >> NpbBits);
  assign cx_o       = 16'((x + 16'(K - 1)) >> KBits);
  assign ch_o       = 16'((h + 16'(K - 1)) >> KBits);
  assign cb_o       = cx_o + ch_o;
  assign period_o   = (cb_o > 16'(Serial)) ? cb_o : 16'(Serial);
  assign groups_o   = 16'((h + 16'(Lanes - 1)) >> LaneBits);
endmodule
