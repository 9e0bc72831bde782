// sharp_axil_slave: an AXI4-Lite slave in front of sharp_top's register port (one 32-bit
// register per word address; the byte address's bits 1..0 are ignored). One request at a time
// per direction; a write waits for both its address and its data, then takes one cycle on the
// register port; a read takes one cycle on the port when no write does (writes first).
//   - Responses: OKAY; SLVERR for a write to an address not in Writable (nothing is written) and
//     for a read of an address not in Readable (RDATA 0). Addresses at or beyond 4 x 256 bytes
//     are unmapped.
//   - Byte strobes: a byte whose WSTRB bit is low keeps the register's current value (the port's
//     combinational read of the same address), or writes 0 in a Clear1 (write-1-to-clear)
//     register, so that it clears nothing.
//   - Every READY and VALID is a register: no output depends combinationally on an input.
module sharp_axil_slave #(
  parameter int           AddrBits = 10,
  parameter logic [255:0] Readable = '0,
  parameter logic [255:0] Writable = '0,
  parameter logic [255:0] Clear1   = '0
) (
  input  logic                aclk,
  input  logic                aresetn,
  input  logic [AddrBits-1:0] s_axi_awaddr,
  input  logic [2:0]          s_axi_awprot,
  input  logic                s_axi_awvalid,
  output logic                s_axi_awready,
  input  logic [31:0]         s_axi_wdata,
  input  logic [3:0]          s_axi_wstrb,
  input  logic                s_axi_wvalid,
  output logic                s_axi_wready,
  output logic [1:0]          s_axi_bresp,
  output logic                s_axi_bvalid,
  input  logic                s_axi_bready,
  input  logic [AddrBits-1:0] s_axi_araddr,
  input  logic [2:0]          s_axi_arprot,
  input  logic                s_axi_arvalid,
  output logic                s_axi_arready,
  output logic [31:0]         s_axi_rdata,
  output logic [1:0]          s_axi_rresp,
  output logic                s_axi_rvalid,
  input  logic                s_axi_rready,
  // sharp_top's register port.
  output logic                reg_we_o,
  output logic [7:0]          reg_addr_o,
  output logic [31:0]         reg_wdata_o,
  input  logic [31:0]         reg_rdata_i
);
  localparam logic [1:0] Okay = 2'b00, SlvErr = 2'b10;

  // A byte address as a word address; bit 8 set: beyond the 256 words (AddrBits >= 10).
  function automatic logic [8:0] word_of(input logic [AddrBits-1:0] a);
    logic [AddrBits-1:0] w;
    begin
      w = a >> 2;
      if (w > 255) word_of = 9'h100;
      else word_of = {1'b0, w[7:0]};
    end
  endfunction

  logic       aw_q, w_q, b_q, ar_q, r_q;
  logic [8:0] awa_q, ara_q;
  logic [31:0] wd_q, rd_q;
  logic [3:0]  ws_q;
  logic [1:0]  bresp_q, rresp_q;
  logic        do_write, do_read, wr_ok, rd_ok;
  logic [31:0] merged;

  assign s_axi_awready = !aw_q;
  assign s_axi_wready  = !w_q;
  assign s_axi_arready = !ar_q;
  assign s_axi_bvalid  = b_q;
  assign s_axi_bresp   = bresp_q;
  assign s_axi_rvalid  = r_q;
  assign s_axi_rresp   = rresp_q;
  assign s_axi_rdata   = rd_q;

  assign do_write = aw_q && w_q && !b_q;
  assign do_read  = ar_q && !r_q && !do_write;
  assign wr_ok    = !awa_q[8] && Writable[awa_q[7:0]];
  assign rd_ok    = !ara_q[8] && Readable[ara_q[7:0]];

  assign reg_addr_o  = do_write ? awa_q[7:0] : ara_q[7:0];
  assign reg_we_o    = do_write && wr_ok;
  for (genvar i = 0; i < 4; i++) begin : gen_strobe
    assign merged[8*i +: 8] = ws_q[i] ? wd_q[8*i +: 8] : (Clear1[awa_q[7:0]] ? 8'h00 : reg_rdata_i[8*i +: 8]);
  end
  assign reg_wdata_o = merged;

  always_ff @(posedge aclk or negedge aresetn) begin
    if (!aresetn) begin
      aw_q    <= 1'b0;
      w_q     <= 1'b0;
      b_q     <= 1'b0;
      ar_q    <= 1'b0;
      r_q     <= 1'b0;
      awa_q   <= '0;
      ara_q   <= '0;
      wd_q    <= '0;
      ws_q    <= '0;
      rd_q    <= '0;
      bresp_q <= Okay;
      rresp_q <= Okay;
    end else begin
      if (s_axi_awvalid && s_axi_awready) begin
        aw_q  <= 1'b1;
        awa_q <= word_of(s_axi_awaddr);
      end
      if (s_axi_wvalid && s_axi_wready) begin
        w_q  <= 1'b1;
        wd_q <= s_axi_wdata;
        ws_q <= s_axi_wstrb;
      end
      if (do_write) begin
        aw_q    <= 1'b0;
        w_q     <= 1'b0;
        b_q     <= 1'b1;
        bresp_q <= wr_ok ? Okay : SlvErr;
      end else if (b_q && s_axi_bready) begin
        b_q <= 1'b0;
      end
      if (s_axi_arvalid && s_axi_arready) begin
        ar_q  <= 1'b1;
        ara_q <= word_of(s_axi_araddr);
      end
      if (do_read) begin
        ar_q    <= 1'b0;
        r_q     <= 1'b1;
        rd_q    <= rd_ok ? reg_rdata_i : 32'd0;
        rresp_q <= rd_ok ? Okay : SlvErr;
      end else if (r_q && s_axi_rready) begin
        r_q <= 1'b0;
      end
    end
  end

  logic unused;
  assign unused = ^{s_axi_awprot, s_axi_arprot};
endmodule
