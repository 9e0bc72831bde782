// Deliberately bad fixture top: a latch below, and an output bit nobody drives.
module bad_top (
  input  logic       en,
  input  logic [3:0] d,
  output logic [3:0] q,
  output logic [1:0] z
);
  logic floating;
  bad_latch u_latch (.en(en), .d(d), .q(q));
  assign z[0] = floating & en;
endmodule
