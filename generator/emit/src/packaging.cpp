// Packaging views of a design's top (sharp_axi_top, or sharp_top without the shell): an IP-XACT
// (IEEE 1685-2014) component and a FuseSoC CAPI2 core file. Both are printed from the plan, the
// top's port list (shell_ports or top_ports) and the design's RTL file list, so they cannot drift
// from the module they describe.
#include "packaging.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sharp/emit.hpp"
#include "sharp/error.hpp"
#include "sharp/version.hpp"

namespace sharp {

namespace {

// ---------------------------------------------------------------------------------------------
// Text helpers

// Character data and attribute values: &, <, > and " escaped (the values go in double quotes), control characters
// XML 1.0 does not allow turned into spaces.
std::string xml_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += (static_cast<unsigned char>(c) < 0x20 && c != '\t') ? ' ' : c;
    }
  }
  return o;
}

// Text inside <!-- ... -->: XML forbids "--" there (and a '-' right before the "-->"), so every
// "--" becomes "- -"; control characters become spaces.
std::string xml_comment_text(const std::string& s) {
  std::string o;
  for (const char c : s) {
    const char d = static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    if (d == '-' && !o.empty() && o.back() == '-') o += ' ';
    o += d;
  }
  if (!o.empty() && o.back() == '-') o += ' ';
  return o;
}

// A YAML double-quoted scalar.
std::string yaml_quote(const std::string& s) {
  std::string o = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\t':
        o += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          o += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        else
          o += c;
    }
  }
  return o + "\"";
}

// One line: what a YAML comment may hold.
std::string one_line(const std::string& s) {
  std::string o;
  for (const char c : s) o += (c == '\n' || c == '\r') ? ' ' : c;
  return o;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// IP-XACT 2014 values are SystemVerilog expressions: hexadecimal as 'h...
std::string sv_hex(uint64_t v) { return fmt::format("'h{:x}", v); }

std::string summary(const Plan& p) {
  return fmt::format("{} multipliers, widths {}..{}, max H {}, max X {}", p.cfg.macs, p.cfg.k_min, p.cfg.k_max,
                     p.cfg.max_hidden, p.cfg.max_input);
}

// The config name as a VLNV part (Config allows [A-Za-z0-9_.-] only; anything else becomes '_').
std::string vlnv_part(const std::string& s) {
  std::string o;
  for (const char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    o += ok ? c : '_';
  }
  return o.empty() ? "_" : o;
}

// The C files every shell design carries beside its RTL (emit_design writes them).
std::vector<std::string> sw_files(const Plan& p) {
  std::vector<std::string> files = {"sharp_regs.h"};
  if (p.cfg.axi()) {
    files.push_back("sharp_driver.h");
    files.push_back("sharp_driver.c");
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// IP-XACT

constexpr const char* kIpxactNs = "http://www.accellera.org/XMLSchema/IPXACT/1685-2014";

// An element with text content, and the opening and closing of one with children.
void leaf(TextWriter& w, const std::string& tag, const std::string& text) {
  w.line(fmt::format("<ipxact:{0}>{1}</ipxact:{0}>", tag, xml_escape(text)));
}
void open(TextWriter& w, const std::string& tag) { w.line("<ipxact:" + tag + ">").indent(); }
void close(TextWriter& w, const std::string& tag) { w.dedent().line("</ipxact:" + tag + ">"); }

// One bus interface of the shell: `bus` is ShellPort::bus.
struct BusDef {
  const char* bus;
  const char* type;     // the AMBA4 bus definition (amba.com:AMBA4:<type>:<version>)
  const char* version;  // its abstraction definition is <type>_rtl of the same version
  bool master;
  const char* desc;
};

// ARM's own VLNVs of its AMBA4 IP-XACT definitions: amba.com:AMBA4:AXI4-Lite:r0p0_0 (abstraction
// AXI4-Lite_rtl) and amba.com:AMBA4:AXI4Stream:r0p0_1 (abstraction AXI4Stream_rtl). Vivado ships
// its own equivalents (xilinx.com:interface:aximm:1.0 / axis:1.0); a Vivado user maps these there.
constexpr BusDef kBuses[] = {
    {"s_axi", "AXI4-Lite", "r0p0_0", false,
     "register port: AXI4-Lite slave, 32-bit data, byte address 4 x the register's word address"},
    {"s_axis_w", "AXI4Stream", "r0p0_1", false, "weights of a load, K elements per beat"},
    {"s_axis_b", "AXI4Stream", "r0p0_1", false, "biases of a load, one element per beat"},
    {"s_axis_x", "AXI4Stream", "r0p0_1", false, "x_t of a run, K elements per beat"},
    {"s_axis_s", "AXI4Stream", "r0p0_1", false, "initial state (h and c) of an INIT_STATE run, Lanes neurons per beat"},
    {"m_axis_h", "AXI4Stream", "r0p0_1", true,
     "h_t and c_t, Lanes neurons per beat; TLAST ends each stream's h_t, TUSER[0] the run"},
};

constexpr const char* kMemoryMap = "s_axi_regs";

void ipxact_port_map(TextWriter& w, const std::string& logical, const std::string& physical) {
  open(w, "portMap");
  open(w, "logicalPort");
  leaf(w, "name", logical);
  close(w, "logicalPort");
  open(w, "physicalPort");
  leaf(w, "name", physical);
  close(w, "physicalPort");
  close(w, "portMap");
}

// Every AXI interface's ACLK and ARESETn (logical ports of ARM's abstractions) map to the one
// clock and reset of the shell, which is how a tool learns the interfaces' clock domain.
void ipxact_bus_interfaces(TextWriter& w, const std::vector<ShellPort>& ports) {
  std::string clk, rst;
  for (const auto& port : ports) {
    if (port.bus.empty() && port.logical == "CLK") clk = port.name;
    if (port.bus.empty() && port.logical == "RST") rst = port.name;
  }
  open(w, "busInterfaces");
  for (const BusDef& b : kBuses) {
    open(w, "busInterface");
    leaf(w, "name", b.bus);
    leaf(w, "description", b.desc);
    w.line(fmt::format(R"(<ipxact:busType vendor="amba.com" library="AMBA4" name="{}" version="{}"/>)", b.type,
                       b.version));
    open(w, "abstractionTypes");
    open(w, "abstractionType");
    w.line(fmt::format(R"(<ipxact:abstractionRef vendor="amba.com" library="AMBA4" name="{}_rtl" version="{}"/>)",
                       b.type, b.version));
    open(w, "portMaps");
    if (!clk.empty()) ipxact_port_map(w, "ACLK", clk);
    if (!rst.empty()) ipxact_port_map(w, "ARESETn", rst);
    int mapped = 0;
    for (const auto& port : ports)
      if (port.bus == b.bus) {
        ipxact_port_map(w, port.logical, port.name);
        ++mapped;
      }
    if (mapped == 0) throw Error(fmt::format("packaging: internal error: no port of bus interface {}", b.bus));
    close(w, "portMaps");
    close(w, "abstractionType");
    close(w, "abstractionTypes");
    if (b.master) {
      w.line("<ipxact:master/>");
    } else if (std::string(b.bus) == "s_axi") {
      open(w, "slave");
      w.line(fmt::format(R"(<ipxact:memoryMapRef memoryMapRef="{}"/>)", kMemoryMap));
      close(w, "slave");
    } else {
      w.line("<ipxact:slave/>");
    }
    close(w, "busInterface");
  }
  close(w, "busInterfaces");
}

const char* ipxact_access(const Register& r) {
  if (r.access == "rw" || r.access == "rw1c") return "read-write";
  if (r.access == "ro") return "read-only";
  if (r.access == "wo") return "write-only";
  throw Error(fmt::format("packaging: internal error: register {} has access '{}'", r.name, r.access));
}

void ipxact_field(TextWriter& w, const Register& r, const RegField& f) {
  open(w, "field");
  leaf(w, "name", f.name);
  if (!f.desc.empty()) leaf(w, "description", f.desc);
  leaf(w, "bitOffset", std::to_string(f.lsb));
  // A design parameter reads a constant: its reset value is that constant.
  if (r.value >= 0) {
    const uint64_t mask = f.width >= 64 ? ~0ull : ((1ull << f.width) - 1);
    open(w, "resets");
    open(w, "reset");
    leaf(w, "value", sv_hex((static_cast<uint64_t>(r.value) >> f.lsb) & mask));
    close(w, "reset");
    close(w, "resets");
  }
  leaf(w, "bitWidth", std::to_string(f.width));
  // Status the hardware changes (ro but the constant design parameters, write-1-to-clear).
  if ((r.access == "ro" && r.value < 0) || r.access == "rw1c") leaf(w, "volatile", "true");
  leaf(w, "access", ipxact_access(r));
  if (r.access == "rw1c") leaf(w, "modifiedWriteValue", "oneToClear");
  close(w, "field");
}

// One address block of 2^kAddrBits bytes, every register at byte offset 4 x its word address;
// a register without named fields is one 32-bit field "value" (the schema wants a field).
void ipxact_memory_maps(TextWriter& w, const Plan& p) {
  open(w, "memoryMaps");
  open(w, "memoryMap");
  leaf(w, "name", kMemoryMap);
  leaf(w, "description", "the register map of sharp_axi_top on its AXI4-Lite slave s_axi");
  open(w, "addressBlock");
  leaf(w, "name", "regs");
  leaf(w, "baseAddress", sv_hex(0));
  leaf(w, "range", sv_hex(1ull << ShellLayout::kAddrBits));
  leaf(w, "width", "32");
  leaf(w, "usage", "register");
  for (const auto& r : p.registers) {
    open(w, "register");
    leaf(w, "name", r.name);
    if (!r.desc.empty()) leaf(w, "description", r.desc);
    leaf(w, "addressOffset", sv_hex(4 * static_cast<uint64_t>(r.addr)));
    leaf(w, "size", "32");
    leaf(w, "access", ipxact_access(r));
    if (r.fields.empty())
      ipxact_field(w, r, RegField{"value", 0, 32, ""});
    else
      for (const auto& f : r.fields) ipxact_field(w, r, f);
    close(w, "register");
  }
  close(w, "addressBlock");
  leaf(w, "addressUnitBits", "8");
  close(w, "memoryMap");
  close(w, "memoryMaps");
}

void ipxact_model(TextWriter& w, const std::vector<ShellPort>& ports, const std::string& top) {
  open(w, "model");
  open(w, "views");
  open(w, "view");
  leaf(w, "name", "rtl");
  leaf(w, "description", "the synthesizable SystemVerilog of the design");
  leaf(w, "componentInstantiationRef", top + "_rtl");
  close(w, "view");
  close(w, "views");
  open(w, "instantiations");
  open(w, "componentInstantiation");
  leaf(w, "name", top + "_rtl");
  leaf(w, "language", "SystemVerilog");
  leaf(w, "moduleName", top);
  open(w, "fileSetRef");
  leaf(w, "localName", "rtl");
  close(w, "fileSetRef");
  close(w, "componentInstantiation");
  close(w, "instantiations");
  open(w, "ports");
  for (const auto& port : ports) {
    open(w, "port");
    leaf(w, "name", port.name);
    if (!port.desc.empty()) leaf(w, "description", port.desc);
    open(w, "wire");
    leaf(w, "direction", port.dir == "in" ? "in" : "out");
    if (port.width > 1) {
      open(w, "vectors");
      open(w, "vector");
      leaf(w, "left", std::to_string(port.width - 1));
      leaf(w, "right", "0");
      close(w, "vector");
      close(w, "vectors");
    }
    close(w, "wire");
    close(w, "port");
  }
  close(w, "ports");
  close(w, "model");
}

void ipxact_file(TextWriter& w, const std::string& path, const std::string& type, bool include) {
  open(w, "file");
  leaf(w, "name", path);
  leaf(w, "fileType", type);
  if (include) leaf(w, "isIncludeFile", "true");
  close(w, "file");
}

void ipxact_file_sets(TextWriter& w, const Plan& p, const std::vector<std::string>& rtl_files) {
  open(w, "fileSets");
  open(w, "fileSet");
  leaf(w, "name", "rtl");
  leaf(w, "description",
       "the RTL in dependency order (filelist.f): the include file first, " + top_module(p) + " last");
  for (const auto& f : rtl_files) {
    const bool header = ends_with(f, ".svh") || ends_with(f, ".vh");
    const bool sv = header || ends_with(f, ".sv");
    ipxact_file(w, f, sv ? "systemVerilogSource" : ends_with(f, ".v") ? "verilogSource" : "unknown", header);
  }
  close(w, "fileSet");
  open(w, "fileSet");
  leaf(w, "name", "sw");
  leaf(w, "description", p.cfg.axi() ? "the C register map header and the driver" : "the C register map header");
  for (const auto& f : sw_files(p)) ipxact_file(w, f, "cSource", ends_with(f, ".h"));
  close(w, "fileSet");
  close(w, "fileSets");
}

// The design parameters (the P_* registers) as component parameters: what the RTL reads back,
// for a tool to see without reading registers.
void ipxact_parameters(TextWriter& w, const Plan& p) {
  bool any = false;
  for (const auto& r : p.registers) any = any || r.value >= 0;
  if (!any) return;
  open(w, "parameters");
  for (const auto& r : p.registers) {
    if (r.value < 0) continue;
    w.line(fmt::format(R"(<ipxact:parameter parameterId="{}" resolve="immediate" type="longint">)", xml_escape(r.name)))
        .indent();
    leaf(w, "name", r.name);
    if (!r.desc.empty()) leaf(w, "description", r.desc);
    leaf(w, "value", std::to_string(r.value));
    close(w, "parameter");
  }
  close(w, "parameters");
}

}  // namespace

std::string ipxact_component(const Plan& p, const std::vector<std::string>& rtl_files, const std::string& command) {
  const bool axi = p.cfg.axi();
  const std::string top = top_module(p);
  const std::vector<ShellPort> ports = axi ? shell_ports(p) : top_ports(p);
  const std::string banner = fmt::format("Generated by sharpgen {} -- do not edit.", kVersion);
  TextWriter w;
  w.line(R"(<?xml version="1.0" encoding="UTF-8"?>)");
  // XML comments cannot hold "--": the banner's dash and the command's option dashes are spaced
  // out there, and the component's description repeats both exactly.
  w.line("<!-- " + xml_comment_text(fmt::format("{}.xml: IP-XACT (IEEE 1685-2014) component of sharpgen design '{}'.",
                                                top, p.cfg.name)));
  w.line(fmt::format("     Generated by sharpgen {} - do not edit.", xml_comment_text(kVersion)));
  w.line("     Command: " + xml_comment_text(command));
  w.line("     (A comment cannot hold two hyphens in a row: the component's description has the exact command.)");
  if (axi) {
    w.line("     Bus interfaces use ARM's AMBA4 IP-XACT definitions: amba.com:AMBA4:AXI4-Lite:r0p0_0");
    w.line("     (AXI4-Lite_rtl) for s_axi, amba.com:AMBA4:AXI4Stream:r0p0_1 (AXI4Stream_rtl) for the streams.");
    w.line("     Vivado's own equivalents are xilinx.com:interface:aximm:1.0 and xilinx.com:interface:axis:1.0. -->");
  } else {
    w.line("     The bare core's register port and valid/ready streams follow no bus standard, so the component");
    w.line("     has ports and no bus interfaces; a design generated with shell = axi has AXI ones. -->");
  }
  w.line(fmt::format(R"(<ipxact:component xmlns:ipxact="{}")", kIpxactNs));
  w.line(R"(    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance")");
  w.line(fmt::format(R"(    xsi:schemaLocation="{0} {0}/index.xsd">)", kIpxactNs)).indent();
  leaf(w, "vendor", "sharpgen.org");
  leaf(w, "library", "sharpgen");
  leaf(w, "name", top + "_" + vlnv_part(p.cfg.name));
  leaf(w, "version", kVersion);
  if (axi) {
    ipxact_bus_interfaces(w, ports);
    ipxact_memory_maps(w, p);
  }
  ipxact_model(w, ports, top);
  ipxact_file_sets(w, p, rtl_files);
  leaf(w, "description",
       fmt::format("{} of sharpgen design '{}' ({}): the RNN accelerator {}. {} Command: {}", top, p.cfg.name,
                   summary(p),
                   axi ? "behind an AXI4-Lite register port and AXI4-Stream data ports"
                       : "with its own register port and valid/ready streams (docs/ARCHITECTURE.md)",
                   banner, command));
  ipxact_parameters(w, p);
  w.dedent().line("</ipxact:component>");
  return w.str();
}

// ---------------------------------------------------------------------------------------------
// FuseSoC

std::string fusesoc_core(const Plan& p, const std::vector<std::string>& rtl_files, const std::string& command) {
  const std::string top = top_module(p);
  TextWriter w("#");
  w.line("CAPI=2:");
  w.banner(fmt::format("{}.core: FuseSoC core of sharpgen design '{}' ({}).", top, one_line(p.cfg.name),
                       p.cfg.axi() ? "sharp_axi_top, the AXI shell" : "sharp_top, the bare core"),
           one_line(command));
  w.line();
  w.line("name: " + yaml_quote(fmt::format("sharpgen:sharp:{}:{}", vlnv_part(p.cfg.name), kVersion)));
  w.line("description: " + yaml_quote(fmt::format("{} of sharpgen design '{}': {}", top, p.cfg.name, summary(p))));
  w.line();
  w.line("filesets:").indent();
  w.line("rtl:").indent();
  w.line("file_type: systemVerilogSource");
  w.line("files:").indent();
  for (const auto& f : rtl_files) {
    if (ends_with(f, ".svh") || ends_with(f, ".vh"))
      w.line("- " + yaml_quote(f) + ": {is_include_file: true}");
    else
      w.line("- " + yaml_quote(f));
  }
  w.dedent().dedent();
  w.line("sw:").indent();
  w.line("file_type: user");
  w.line("files:").indent();
  for (const auto& f : sw_files(p)) w.line("- " + yaml_quote(f));
  w.dedent().dedent().dedent();
  w.line();
  w.line("targets:").indent();
  w.line("default:").indent();
  w.line("filesets: [rtl]");
  w.line("toplevel: " + top);
  w.dedent();
  w.line("lint:").indent();
  w.line("default_tool: verilator");
  w.line("filesets: [rtl]");
  w.line("toplevel: " + top);
  w.line("tools:").indent();
  w.line("verilator:").indent();
  w.line("mode: lint-only");
  return w.str();
}

}  // namespace sharp
