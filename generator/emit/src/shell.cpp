// The AXI shell (config field shell = "axi"): sharp_axi_top, the port list its packaging
// (IP-XACT, FuseSoC) and the harness read, and the register decode masks of its AXI4-Lite
// slave. Everything is printed from the plan: the register list decides what is readable,
// writable and write-1-to-clear; the number format and the widths decide the stream widths.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sharp/emit.hpp"

namespace sharp {

ShellLayout shell_layout(const Plan& p) {
  const NumFormat& f = p.cfg.format;
  ShellLayout s;
  s.elem_bytes = (f.data_bits + 7) / 8;
  s.cell_bytes = (f.cell_bits + 7) / 8;
  s.w_bytes = p.k * s.elem_bytes;
  s.b_bytes = s.elem_bytes;
  s.x_bytes = p.k * s.elem_bytes;
  s.s_bytes = p.lanes * (s.elem_bytes + s.cell_bytes);
  s.o_bytes = s.s_bytes;
  return s;
}

std::vector<ShellPort> shell_ports(const Plan& p) {
  const ShellLayout s = shell_layout(p);
  std::vector<ShellPort> ports = {
      {"aclk", "in", 1, "", "CLK", "clock of every interface"},
      {"aresetn", "in", 1, "", "RST", "reset, active low, asynchronous assertion"},
      {"irq", "out", 1, "", "INTERRUPT", "level interrupt: IRQ_STATUS & IRQ_ENABLE is not 0"},
  };
  auto axil = [&](const std::string& ch, const std::string& dir, int width, const std::string& logical) {
    ports.push_back({"s_axi_" + ch, dir, width, "s_axi", logical, ""});
  };
  axil("awaddr", "in", ShellLayout::kAddrBits, "AWADDR");
  axil("awprot", "in", 3, "AWPROT");
  axil("awvalid", "in", 1, "AWVALID");
  axil("awready", "out", 1, "AWREADY");
  axil("wdata", "in", 32, "WDATA");
  axil("wstrb", "in", 4, "WSTRB");
  axil("wvalid", "in", 1, "WVALID");
  axil("wready", "out", 1, "WREADY");
  axil("bresp", "out", 2, "BRESP");
  axil("bvalid", "out", 1, "BVALID");
  axil("bready", "in", 1, "BREADY");
  axil("araddr", "in", ShellLayout::kAddrBits, "ARADDR");
  axil("arprot", "in", 3, "ARPROT");
  axil("arvalid", "in", 1, "ARVALID");
  axil("arready", "out", 1, "ARREADY");
  axil("rdata", "out", 32, "RDATA");
  axil("rresp", "out", 2, "RRESP");
  axil("rvalid", "out", 1, "RVALID");
  axil("rready", "in", 1, "RREADY");
  auto slave = [&](const std::string& n, int bytes) {
    const std::string b = "s_axis_" + n;
    ports.push_back({b + "_tdata", "in", 8 * bytes, b, "TDATA", ""});
    ports.push_back({b + "_tvalid", "in", 1, b, "TVALID", ""});
    ports.push_back({b + "_tready", "out", 1, b, "TREADY", ""});
  };
  slave("w", s.w_bytes);
  slave("b", s.b_bytes);
  slave("x", s.x_bytes);
  slave("s", s.s_bytes);
  const std::string m = "m_axis_h";
  ports.push_back({m + "_tdata", "out", 8 * s.o_bytes, m, "TDATA", ""});
  ports.push_back({m + "_tkeep", "out", s.o_bytes, m, "TKEEP", ""});
  ports.push_back({m + "_tlast", "out", 1, m, "TLAST", ""});
  ports.push_back({m + "_tuser", "out", 1, m, "TUSER", ""});
  ports.push_back({m + "_tvalid", "out", 1, m, "TVALID", ""});
  ports.push_back({m + "_tready", "in", 1, m, "TREADY", ""});
  return ports;
}

namespace {

// A 256-bit mask of word addresses as a SystemVerilog literal.
std::string mask_literal(const Plan& p, bool (*pick)(const std::string& access)) {
  std::vector<bool> bits(256, false);
  for (const auto& r : p.registers)
    if (pick(r.access)) bits.at(static_cast<size_t>(r.addr)) = true;
  std::string hex;
  for (int nib = 63; nib >= 0; --nib) {
    int v = 0;
    for (int b = 3; b >= 0; --b) v = v * 2 + (bits[static_cast<size_t>(4 * nib + b)] ? 1 : 0);
    hex += "0123456789abcdef"[v];
  }
  return "256'h" + hex;
}

// Lane l of a packed vector of `bits`-bit elements, sign-extended to `to` bits.
std::string sign_extend(const std::string& v, int bits, int to) {
  const std::string e = fmt::format("{}[l*{} +: {}]", v, bits, bits);
  if (to == bits) return e;
  return fmt::format("{{{{{}{{{}[l*{} + {}]}}}}, {}}}", to - bits, v, bits, bits - 1, e);
}

}  // namespace

std::string emit_axi_top(const Plan& p, const std::string& command) {
  const NumFormat& f = p.cfg.format;
  const int D = f.data_bits, C = f.cell_bits, K = p.k, L = p.lanes;
  const ShellLayout s = shell_layout(p);
  const int EB = 8 * s.elem_bytes, CB = 8 * s.cell_bytes;
  TextWriter w;
  w.banner(fmt::format("sharp_axi_top: sharp_top of config '{}' behind AXI interfaces.", p.cfg.name), command);
  w.comment("s_axi_*     AXI4-Lite slave, 32-bit data, byte addresses 4 x the register's word address");
  w.comment("            (sharp_axil_slave: SLVERR for unmapped, read-only and write-only accesses as the");
  w.comment("            register map says; WSTRB-low bytes keep the register's value).");
  w.comment("s_axis_w_*  weights, K elements per beat; s_axis_b_*  one bias per beat;");
  w.comment("s_axis_x_*  x_t, K elements per beat; s_axis_s_*  initial state of an INIT_STATE run;");
  w.comment("m_axis_h_*  h_t and c_t, Lanes neurons per beat; TLAST on the last beat of each stream's");
  w.comment("            h_t, TUSER[0] on the last beat of the run, TKEEP low for lanes beyond H.");
  w.comment(fmt::format("Every element takes whole bytes, little-endian: {} byte(s) per data element (the low {} bits",
                        s.elem_bytes, D));
  w.comment(fmt::format("are read; outputs are sign-extended), {} byte(s) per cell-state element ({} bits). A state",
                        s.cell_bytes, C));
  w.comment("or output beat holds the Lanes h elements first, then the Lanes c elements.");
  w.comment("irq         level interrupt, IRQ_STATUS & IRQ_ENABLE not 0.");
  w.comment("The streams reach the core without a register stage (its valid and ready signals are");
  w.comment("registered or, for the slaves' TREADY, combinational of core state only), so the shell adds no");
  w.comment("cycle to a run: the core's counters read the same as on the bare top.");
  w.line("module sharp_axi_top (").indent();
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& port : shell_ports(p))
      rows.push_back({port.dir == "in" ? "input" : "output", "logic",
                      port.width > 1 ? fmt::format("[{}:0]", port.width - 1) : "", port.name});
    w.table(rows, " ", ",", "");
  }
  w.dedent().line(");").indent();
  w.line("logic        reg_we;");
  w.line("logic [7:0]  reg_addr;");
  w.line("logic [31:0] reg_wdata, reg_rdata;");
  w.line(fmt::format("logic [{}:0] w_data, x_data;", K * D - 1));
  w.line(fmt::format("logic [{}:0] b_data;", D - 1));
  w.line(fmt::format("logic [{}:0] s_h, o_h;", L * D - 1));
  w.line(fmt::format("logic [{}:0] s_c, o_c;", L * C - 1));
  w.line(fmt::format("logic [{}:0] o_keep;", L - 1));
  w.line("");
  w.comment("Registers: readable = every register but the write-only ones; writable = rw, wo and rw1c.");
  w.line("sharp_axil_slave #(").indent();
  w.table({{".AddrBits", fmt::format("({})", ShellLayout::kAddrBits)},
           {".Readable", fmt::format("({})", mask_literal(p, [](const std::string& a) { return a != "wo"; }))},
           {".Writable", fmt::format("({})", mask_literal(p, [](const std::string& a) { return a != "ro"; }))},
           {".Clear1", fmt::format("({})", mask_literal(p, [](const std::string& a) { return a == "rw1c"; }))}},
          " ", ",", "");
  w.dedent().line(") u_axil (").indent();
  {
    std::vector<std::vector<std::string>> rows = {{".aclk", "(aclk)"}, {".aresetn", "(aresetn)"}};
    for (const auto& port : shell_ports(p))
      if (port.bus == "s_axi") rows.push_back({"." + port.name, "(" + port.name + ")"});
    rows.push_back({".reg_we_o", "(reg_we)"});
    rows.push_back({".reg_addr_o", "(reg_addr)"});
    rows.push_back({".reg_wdata_o", "(reg_wdata)"});
    rows.push_back({".reg_rdata_i", "(reg_rdata)"});
    w.table(rows, " ", ",", "");
  }
  w.dedent().line(");");
  w.line("");
  w.comment("Stream data: each element's low bits from its bytes, and back (sign-extended).");
  w.line(fmt::format("for (genvar i = 0; i < {}; i++) begin : gen_k", K)).indent();
  w.line(fmt::format("assign w_data[i*{} +: {}] = s_axis_w_tdata[i*{} +: {}];", D, D, EB, D));
  w.line(fmt::format("assign x_data[i*{} +: {}] = s_axis_x_tdata[i*{} +: {}];", D, D, EB, D));
  w.dedent().line("end");
  w.line(fmt::format("assign b_data = s_axis_b_tdata[{}:0];", D - 1));
  w.line(fmt::format("for (genvar l = 0; l < {}; l++) begin : gen_lane", L)).indent();
  w.line(fmt::format("assign s_h[l*{} +: {}] = s_axis_s_tdata[l*{} +: {}];", D, D, EB, D));
  w.line(fmt::format("assign s_c[l*{} +: {}] = s_axis_s_tdata[{} + l*{} +: {}];", C, C, L * EB, CB, C));
  w.line(fmt::format("assign m_axis_h_tdata[l*{} +: {}] = {};", EB, EB, sign_extend("o_h", D, EB)));
  w.line(fmt::format("assign m_axis_h_tdata[{} + l*{} +: {}] = {};", L * EB, CB, CB, sign_extend("o_c", C, CB)));
  w.line(fmt::format("assign m_axis_h_tkeep[l*{} +: {}] = {{{}{{o_keep[l]}}}};", s.elem_bytes, s.elem_bytes,
                     s.elem_bytes));
  w.line(fmt::format("assign m_axis_h_tkeep[{} + l*{} +: {}] = {{{}{{o_keep[l]}}}};", L * s.elem_bytes, s.cell_bytes,
                     s.cell_bytes, s.cell_bytes));
  w.dedent().line("end");
  w.line("");
  w.line("sharp_top u_top (").indent();
  w.table({{".clk_i", "(aclk)"},
           {".rst_ni", "(aresetn)"},
           {".reg_we_i", "(reg_we)"},
           {".reg_addr_i", "(reg_addr)"},
           {".reg_wdata_i", "(reg_wdata)"},
           {".reg_rdata_o", "(reg_rdata)"},
           {".w_valid_i", "(s_axis_w_tvalid)"},
           {".w_ready_o", "(s_axis_w_tready)"},
           {".w_data_i", "(w_data)"},
           {".b_valid_i", "(s_axis_b_tvalid)"},
           {".b_ready_o", "(s_axis_b_tready)"},
           {".b_data_i", "(b_data)"},
           {".x_valid_i", "(s_axis_x_tvalid)"},
           {".x_ready_o", "(s_axis_x_tready)"},
           {".x_data_i", "(x_data)"},
           {".s_valid_i", "(s_axis_s_tvalid)"},
           {".s_ready_o", "(s_axis_s_tready)"},
           {".s_h_i", "(s_h)"},
           {".s_c_i", "(s_c)"},
           {".o_valid_o", "(m_axis_h_tvalid)"},
           {".o_ready_i", "(m_axis_h_tready)"},
           {".o_h_o", "(o_h)"},
           {".o_c_o", "(o_c)"},
           {".o_keep_o", "(o_keep)"},
           {".o_last_o", "(m_axis_h_tlast)"},
           {".o_end_o", "(m_axis_h_tuser)"},
           {".irq_o", "(irq)"}},
          " ", ",", "");
  w.dedent().line(");");
  // Bytes above each element's bits are not read.
  std::vector<std::string> unused;
  if (EB > D) {
    for (int i = 0; i < K; ++i) {
      unused.push_back(fmt::format("s_axis_w_tdata[{}:{}]", i * EB + EB - 1, i * EB + D));
      unused.push_back(fmt::format("s_axis_x_tdata[{}:{}]", i * EB + EB - 1, i * EB + D));
    }
    unused.push_back(fmt::format("s_axis_b_tdata[{}:{}]", EB - 1, D));
    for (int l = 0; l < L; ++l) unused.push_back(fmt::format("s_axis_s_tdata[{}:{}]", l * EB + EB - 1, l * EB + D));
  }
  if (CB > C)
    for (int l = 0; l < L; ++l)
      unused.push_back(fmt::format("s_axis_s_tdata[{}:{}]", L * EB + l * CB + CB - 1, L * EB + l * CB + C));
  if (!unused.empty()) {
    w.line("logic unused;");
    std::string all;
    for (const auto& u : unused) all += (all.empty() ? "" : ", ") + u;
    w.line("assign unused = ^{" + all + "};");
  }
  w.dedent().line("endmodule");
  return w.str();
}

}  // namespace sharp
