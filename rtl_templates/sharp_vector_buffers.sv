// sharp_vector_buffers: the x buffer (XSlots slots of look-ahead, one slot per time step),
// the double-buffered h buffer (h_{t-1} read while h_t is written) and the c buffer, with an
// h bank pair and a c region per stream (h bank 2 s + parity, c words s * CDepth + group).
// Buffer words hold K elements. In width Kw = KMin << wsel a column block is one Kw-element
// segment of a word; a tile read returns it the next cycle, replicated K / Kw times across the
// K multipliers of a row unit (the input-replication muxes), with elements at and beyond
// `count` forced to zero (padding columns, and h_{-1} = 0 at the first step).
//   DataBits  bits of x and h elements
//   CellBits  bits of c elements
//   K         elements per vector word (the widest width)
//   KMin      narrowest width
//   Lanes     neurons written per cycle by the cell updater
//   XSlots    time steps of x held at once
//   XDepth    words per x slot (ceil(max_input / K))
//   HDepth    words per h bank (ceil(max_hidden / K))
//   CDepth    c words of Lanes elements (ceil(max_hidden / Lanes))
//   SramBits  largest SRAM macro, bits (see sharp_mem)
//   SramWidth widest SRAM macro word, bits (see sharp_mem)
//   Streams   streams (h bank pairs and c regions)
`ifndef SHARP_CHECKS_SVH
`include "sharp_checks.svh"
`endif
module sharp_vector_buffers #(
  parameter int DataBits = 0,
  parameter int CellBits = 0,
  parameter int K        = 0,
  parameter int KMin     = 0,
  parameter int Lanes    = 0,
  parameter int XSlots   = 0,
  parameter int XDepth   = 0,
  parameter int HDepth   = 0,
  parameter int CDepth   = 0,
  parameter int SramBits = 0,
  parameter int SramWidth = 0,
  parameter int Streams   = 0
) (
  input  logic                                                  clk_i,
  input  logic                                                  rst_ni,
  // x stream writes: slot, word within slot.
  input  logic                                                  x_we_i,
  input  logic [((XSlots > 1) ? $clog2(XSlots) : 1)-1:0]        x_slot_i,
  input  logic [((XDepth > 1) ? $clog2(XDepth) : 1)-1:0]        x_word_i,
  input  logic [K*DataBits-1:0]                                 x_wdata_i,
  // Tile vector read.
  input  logic                                                  rd_valid_i,
  input  logic                                                  rd_is_h_i,
  input  logic [((XSlots > 1) ? $clog2(XSlots) : 1)-1:0]        rd_xslot_i,
  input  logic [$clog2(2*Streams)-1:0]                          rd_hbank_i,
  input  logic [15:0]                                           rd_block_i,
  input  logic [7:0]                                            rd_wsel_i,
  input  logic [$clog2(K+1)-1:0]                                rd_count_i,
  output logic [K*DataBits-1:0]                                 vec_o,
  // h writes from the cell updater: Lanes elements starting at neuron h_neuron_i.
  input  logic                                                  h_we_i,
  input  logic [$clog2(2*Streams)-1:0]                          h_bank_i,
  input  logic [$clog2(HDepth*K)-1:0]                           h_neuron_i,
  input  logic [Lanes*DataBits-1:0]                             h_wdata_i,
  // c buffer: read a group, write it back later.
  input  logic                                                  c_re_i,
  input  logic [((Streams*CDepth > 1) ? $clog2(Streams*CDepth) : 1)-1:0] c_raddr_i,
  output logic [Lanes*CellBits-1:0]                             c_rdata_o,
  input  logic                                                  c_we_i,
  input  logic [((Streams*CDepth > 1) ? $clog2(Streams*CDepth) : 1)-1:0] c_waddr_i,
  input  logic [Lanes*CellBits-1:0]                             c_wdata_i
);
  localparam int XAw = (XSlots * XDepth > 1) ? $clog2(XSlots * XDepth) : 1;
  localparam int HAw = $clog2(2 * Streams * HDepth);
  localparam int KBits = $clog2(K);
  localparam int NumW  = $clog2(K) - $clog2(KMin) + 1;

  `SHARP_CHECK(gen_param_check, K >= 2 && KMin >= 2 && KMin <= K && Lanes >= 1 && Lanes <= K && XSlots >= 2 &&
               XDepth >= 1 && HDepth >= 1 && CDepth >= 1 && Streams >= 1,
               "sharp_vector_buffers: illegal parameters")

  // x buffer: address = slot * XDepth + word.
  logic [K*DataBits-1:0] x_rdata, h_rdata;
  logic [XAw-1:0] x_waddr, x_raddr;
  assign x_waddr = XAw'(x_slot_i) * XAw'(XDepth) + XAw'(x_word_i);
  // Column block -> word and segment: K / Kw segments per word.
  logic [7:0]  seg_shift;
  logic [15:0] rd_word, rd_seg;
  assign seg_shift = 8'(NumW - 1) - rd_wsel_i;
  assign rd_word   = rd_block_i >> seg_shift;
  assign rd_seg    = rd_block_i & ((16'd1 << seg_shift) - 16'd1);
  assign x_raddr = XAw'(rd_xslot_i) * XAw'(XDepth) + XAw'(rd_word);
  // Word indices fit the address; the 16-bit block count's high bits are always zero.
  logic unused_word_high;
  assign unused_word_high = ^rd_word;

  sharp_mem #(.ElemBits(DataBits), .Elems(K), .Depth(XSlots * XDepth), .SramBits(SramBits),
              .SramWidth(SramWidth)) u_xbuf (
    .clk_i,
    .we_i    (x_we_i),
    .waddr_i (x_waddr),
    .wmask_i ({K{1'b1}}),
    .wdata_i (x_wdata_i),
    .re_i    (rd_valid_i && !rd_is_h_i),
    .raddr_i (x_raddr),
    .rdata_o (x_rdata)
  );

  // h buffer: bank b holds words b * HDepth .. b * HDepth + HDepth - 1.
  logic [HAw-1:0] h_waddr, h_raddr;
  logic [K-1:0]   h_wmask;
  logic [KBits-1:0] h_off;
  assign h_off   = KBits'(h_neuron_i);
  assign h_waddr = HAw'(h_bank_i) * HAw'(HDepth) + HAw'(h_neuron_i >> KBits);
  assign h_raddr = HAw'(rd_hbank_i) * HAw'(HDepth) + HAw'(rd_word);
  assign h_wmask = K'({Lanes{1'b1}}) << h_off;

  sharp_mem #(.ElemBits(DataBits), .Elems(K), .Depth(2 * Streams * HDepth), .SramBits(SramBits),
              .SramWidth(SramWidth)) u_hbuf (
    .clk_i,
    .we_i    (h_we_i),
    .waddr_i (h_waddr),
    .wmask_i (h_wmask),
    .wdata_i ({(K/Lanes){h_wdata_i}}),
    .re_i    (rd_valid_i && rd_is_h_i),
    .raddr_i (h_raddr),
    .rdata_o (h_rdata)
  );

  // Select, replicate and mask one cycle after the read.
  logic                   is_h_q;
  logic [$clog2(K+1)-1:0] count_q;
  logic [7:0]             wsel_q;
  // Only the low log2(K / Kw) bits of the segment select anything (rd_seg is masked already).
  /* verilator lint_off UNUSEDSIGNAL */
  logic [15:0]            seg_q;
  /* verilator lint_on UNUSEDSIGNAL */
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      is_h_q  <= 1'b0;
      count_q <= '0;
      wsel_q  <= '0;
      seg_q   <= '0;
    end else if (rd_valid_i) begin
      is_h_q  <= rd_is_h_i;
      count_q <= rd_count_i;
      wsel_q  <= rd_wsel_i;
      seg_q   <= rd_seg;
    end
  end

  logic [K*DataBits-1:0] word;
  assign word = is_h_q ? h_rdata : x_rdata;

  for (genvar e = 0; e < K; e++) begin : gen_elem
    // Candidates for multiplier e, one per width: element e mod Kw of the selected segment.
    logic [NumW*DataBits-1:0] cand;
    logic [NumW-1:0]          live;
    for (genvar w = 0; w < NumW; w++) begin : gen_width
      localparam int Kw = KMin << w;
      localparam int Segs = K / Kw;
      // The Segs elements multiplier e may take in this width (wired), then a Segs:1 select.
      logic [Segs*DataBits-1:0] opts;
      for (genvar g = 0; g < Segs; g++) begin : gen_seg
        assign opts[g*DataBits +: DataBits] = word[(g * Kw + (e % Kw)) * DataBits +: DataBits];
      end
      if (Segs == 1) begin : gen_one_seg
        assign cand[w*DataBits +: DataBits] = opts;
      end else begin : gen_segs
        // AND-OR chain (see sharp_tap_select).
        localparam int SB = $clog2(Segs);
        logic [Segs*DataBits-1:0] acc /* verilator split_var */;
        for (genvar g = 0; g < Segs; g++) begin : gen_sel
          if (g == 0) begin : gen_first
            assign acc[DataBits-1:0] = (seg_q[SB-1:0] == SB'(0)) ? opts[DataBits-1:0] : '0;
          end else begin : gen_next
            assign acc[g*DataBits +: DataBits] = acc[(g-1)*DataBits +: DataBits] |
                                                 ((seg_q[SB-1:0] == SB'(g)) ? opts[g*DataBits +: DataBits] : '0);
          end
        end
        assign cand[w*DataBits +: DataBits] = acc[(Segs-1)*DataBits +: DataBits];
      end
      assign live[w] = (32'(count_q) > (e % Kw));
    end
    // Width select, zero when idle (AND-OR chain, see sharp_tap_select).
    logic [NumW*DataBits-1:0] wacc /* verilator split_var */;
    for (genvar w = 0; w < NumW; w++) begin : gen_wsel
      if (w == 0) begin : gen_first
        assign wacc[DataBits-1:0] = (wsel_q == 8'd0 && live[0]) ? cand[DataBits-1:0] : '0;
      end else begin : gen_next
        assign wacc[w*DataBits +: DataBits] = wacc[(w-1)*DataBits +: DataBits] |
                                              ((wsel_q == 8'(w) && live[w]) ? cand[w*DataBits +: DataBits] : '0);
      end
    end
    assign vec_o[e*DataBits +: DataBits] = wacc[(NumW-1)*DataBits +: DataBits];
  end

  sharp_mem #(.ElemBits(CellBits), .Elems(Lanes), .Depth(Streams * CDepth), .SramBits(SramBits),
              .SramWidth(SramWidth)) u_cbuf (
    .clk_i,
    .we_i    (c_we_i),
    .waddr_i (c_waddr_i),
    .wmask_i ({Lanes{1'b1}}),
    .wdata_i (c_wdata_i),
    .re_i    (c_re_i),
    .raddr_i (c_raddr_i),
    .rdata_o (c_rdata_o)
  );

endmodule
