// Emit stage: prints a plan as a design directory: the Verilog (templates copied verbatim,
// the budget-dependent top, register map and activation tables generated), a file list in
// dependency order, a C++ header for the harness, the resolved config and a JSON manifest.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sharp/plan.hpp"

namespace sharp {

// Owns indentation and alignment of all generated text.
class TextWriter {
 public:
  explicit TextWriter(std::string comment = "//") : comment_(std::move(comment)) {}
  TextWriter& line(const std::string& s = "");
  TextWriter& comment(const std::string& s);
  TextWriter& indent() {
    ++level_;
    return *this;
  }
  TextWriter& dedent() {
    --level_;
    return *this;
  }
  // Rows of cells, each column padded to its widest cell; `sep` joins columns, `ends`
  // is appended to every row but the last, `last_end` to the last.
  TextWriter& table(const std::vector<std::vector<std::string>>& rows, const std::string& sep, const std::string& ends,
                    const std::string& last_end);
  // The file banner: generated, do not edit, version and the command that made it.
  TextWriter& banner(const std::string& what, const std::string& command);
  const std::string& str() const { return out_; }

 private:
  std::string comment_;
  std::string out_;
  int level_ = 0;
};

struct GeneratedFile {
  std::string path;  // relative to the design directory
  std::string content;
};

// All files of a design, in a fixed order. `command` goes in every banner.
std::vector<GeneratedFile> emit_design(const Plan& p, const std::string& command);
// The register map as Markdown (docs/REGISTERS.md for the default design); `command` goes in
// its banner.
std::string register_doc(const Plan& p, const std::string& command);
// The same map as a C99 header (sharp_regs.h: word and byte addresses, field positions and
// masks, the design-parameter values) and as SystemRDL (sharp_regs.rdl, byte addresses, for
// PeakRDL and other register tools).
std::string register_c_header(const Plan& p, const std::string& command);
std::string register_rdl(const Plan& p, const std::string& command);

// The AXI shell (Config::shell == "axi"). Stream beats carry every element in whole bytes,
// little-endian: elem_bytes per data element, cell_bytes per cell-state element; a state or
// output beat holds the lanes' h elements first, then their c elements.
struct ShellLayout {
  static constexpr int kAddrBits = 10;  // AXI4-Lite byte address bits: 256 32-bit registers
  int elem_bytes = 0, cell_bytes = 0;
  int w_bytes = 0, b_bytes = 0, x_bytes = 0, s_bytes = 0, o_bytes = 0;  // TDATA bytes of each stream
};
ShellLayout shell_layout(const Plan& p);
// One top-level port of sharp_axi_top: `bus` is its interface (s_axi, s_axis_w, ..., m_axis_h;
// empty for the clock, the reset and the interrupt), `logical` its AMBA signal name.
struct ShellPort {
  std::string name, dir;  // dir: "in" or "out"
  int width = 1;
  std::string bus, logical, desc;
};
std::vector<ShellPort> shell_ports(const Plan& p);
// sharp_top's own ports (bus and logical empty): the bare core's interface.
std::vector<ShellPort> top_ports(const Plan& p);
// The design's top module: sharp_axi_top with the shell, else sharp_top.
inline std::string top_module(const Plan& p) { return p.cfg.axi() ? "sharp_axi_top" : "sharp_top"; }
std::string emit_axi_top(const Plan& p, const std::string& command);

// Writes them under `out` (created if needed); throws sharp::Error if it cannot.
void write_design(const Plan& p, const std::filesystem::path& out, const std::string& command);

}  // namespace sharp
