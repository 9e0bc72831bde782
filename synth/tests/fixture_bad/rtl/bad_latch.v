// Deliberately bad fixture: an incomplete combinational block infers a latch.
// (Plain Verilog "always @(*)": Yosys infers the latch silently.  With
// "always_comb" Yosys 0.23 stops with an error instead.)
module bad_latch (
  input  wire       en,
  input  wire [3:0] d,
  output reg  [3:0] q
);
  always @(*) begin
    if (en) q = d;
  end
endmodule
