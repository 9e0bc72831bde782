// The one Liberty model of sharp::synth: the only reader of Liberty text (parser and model),
// used by the Yosys flow (areas, NAND2 reference, insbuf buffer), run_sta (pin directions and
// capacitances, clock pins, leakage, voltage, the fanout buffer) and the reference-cell table.
//
// Reference cells (NAND2, BUF, DFF) come from synth/lib/reference_cells.json (library name ->
// cell names, embedded at build time); for a library not in the table they are searched by
// function (truth tables of the Liberty `function` attributes). RefCell::found_by says which.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sharp::synth::detail {

// A Liberty group: name (args) { attr : value; ... child groups }.
struct LGroup {
  std::string name;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::vector<LGroup> groups;

  const std::string* attr(const std::string& key) const {
    for (const auto& [k, v] : attrs)
      if (k == key) return &v;
    return nullptr;
  }
};
// Parses a whole Liberty file; the root group holds the `library` group. Throws
// "<tool>: cannot parse liberty <where>: line N: ...".
LGroup parse_liberty(const std::string& text, const std::string& where, const char* tool);

enum PinDir { kDirNone = 0, kDirIn = 1, kDirOut = 2, kDirInout = 3 };

struct LibPin {
  int dir = kDirNone;
  double cap_ff = 0;     // capacitance (or max of rise/fall), in fF
  bool clock = false;    // `clock : true`
  std::string function;  // output pins: the Liberty function ("" if none)
};

struct LibCell {
  std::string name;
  double area = 0;
  bool dont_use = false;
  bool sequential = false;             // has an ff / latch / statetable group
  std::string clocked_on;              // the ff group's clocked_on ("" if none)
  double leakage_nw = 0;               // cell_leakage_power, in nW
  std::map<std::string, LibPin> pins;  // every pin, bus and bundle by name
  std::vector<std::string> inputs;     // `pin` groups with direction input, in file order
  std::vector<std::string> outputs;    // `pin` groups with direction output or inout, in file order
};

// A reference cell of the library; name empty when the library has none.
struct RefCell {
  std::string name, in, out;  // in/out: the pins of a one-input cell (BUF), else ""
  double area = 0;
  std::string found_by;  // "table" (reference_cells.json), "function" or "name" (search fallbacks)
};

struct Liberty {
  std::string path;
  std::string name;
  double cap_unit_ff = 1.0;  // fF per capacitance unit of the file (capacitive_load_unit; SDC set_load uses it)
  double nom_voltage = 0;    // of the default operating conditions, else nom_voltage; 0 if none
  std::map<std::string, LibCell> cells;
  RefCell nand2, buf, dff;

  const LibCell* cell(const std::string& n) const {
    auto it = cells.find(n);
    return it == cells.end() ? nullptr : &it->second;
  }
  // One line for the report's notes: which cells are the references and how each was found.
  std::string reference_note() const;
};

// Reads (once per process: later calls with the same unchanged file return the same model) and
// checks a Liberty file. Throws SynthError "<tool>: ..." naming the file when it is missing, not
// Liberty, has no library group or no cells, or when the reference-cell table names a cell the
// library does not have.
std::shared_ptr<const Liberty> load_liberty(const std::filesystem::path& path, const char* tool);

// The search fallback, exposed for tests: the smallest usable (not sequential, not dont_use)
// cell computing !(A&B) (else the smallest named *NAND2*), the smallest computing A with one
// input, and the smallest flip-flop with two inputs clocked on a rising edge.
RefCell search_nand2(const Liberty& lib);
RefCell search_buffer(const Liberty& lib);
RefCell search_dff(const Liberty& lib);

}  // namespace sharp::synth::detail
