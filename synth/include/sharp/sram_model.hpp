// The memory model of sharp::synth: a versioned table of published SRAM macro figures (45/40 nm:
// CACTI, fakeram45, OpenRAM) and DRAM energies per bit, synth/lib/sram_model.json (embedded at
// build time, or read from a file), and per quantity a least-squares fit in log space
//   ln q = a + b ln depth + c ln width (+ d ln banks when the fitted rows have several bank counts)
// over the rows that list the quantity in their "fit". Used for memory area (synth.cpp) and
// memory energy and leakage (power.cpp). Method, rows and residuals: docs/ESTIMATES.md.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sharp::synth {

inline constexpr int kSramModelVersion = 1;

// One published macro (a row of the table).
struct SramRow {
  std::string id, source;
  int node_nm = 0;
  long depth = 0, width = 0, banks = 1, ports = 1;
  std::optional<double> read_pj, write_pj, leakage_mw, area_mm2;  // null where the source gives none
  std::vector<std::string> fit;                                   // quantities this row is fitted on
  std::map<std::string, std::string> excluded;                    // quantity -> why it is not fitted
  std::string checked;                                            // what was checked against the source
  std::string notes;
};

struct SramQuantitySpec {
  double tolerance = 0;  // |model / published - 1| that every fitted row meets
  std::string family;    // which rows are fitted, in words
};

struct DramRow {
  std::string kind;
  double pj_per_bit = 0;
  std::optional<double> bandwidth_gbs;
  std::string source, notes;
};

struct SramTable {
  int version = 0;
  std::string title;
  std::map<std::string, std::string> units;
  std::string model;
  double ref_nand2_um2 = 0;  // NAND2 area of the table's node: macro area follows the library's NAND2
  std::map<std::string, SramQuantitySpec> quantities;
  std::vector<SramRow> rows;
  std::vector<DramRow> dram;
};

// The four fitted quantities, in this order.
enum class SramQuantity { ReadPj = 0, WritePj = 1, LeakageMw = 2, AreaMm2 = 3 };
inline constexpr std::array<const char*, 4> kSramQuantityNames = {"read_pj", "write_pj", "leakage_mw", "area_mm2"};

struct SramFit {
  std::string quantity;
  double a = 0, b_depth = 0, c_width = 0, d_banks = 0;  // ln q = a + b ln depth + c ln width + d ln banks
  bool bank_term = false;                               // d fitted (else 0)
  double tolerance = 0;                                 // the table's claim for this quantity
  std::vector<std::string> rows;                        // ids of the fitted rows
  double max_abs_residual = 0;                          // over the fitted rows
};

// A published figure against the model: rel_error = model / published - 1.
struct SramResidual {
  std::string row, quantity;
  double published = 0, model = 0, rel_error = 0;
  bool fitted = false;
  std::string reason;  // why not fitted (from the table)
};

struct SramModel {
  SramTable table;
  std::string origin;                   // "embedded synth/lib/sram_model.json" or the file's path
  std::array<SramFit, 4> fits;          // indexed by SramQuantity
  std::vector<SramResidual> residuals;  // every published figure, row order, quantity order

  const SramFit& fit(SramQuantity q) const { return fits[static_cast<size_t>(q)]; }
  // Model value of one quantity for a macro of depth x width bits in `banks` banks.
  double value(SramQuantity q, double depth, double width_bits, double banks = 1) const;
  // Method, version, origin, coefficients and rows used, for the reports.
  nlohmann::json summary_json() const;
};

// Parses, validates and fits a table; `origin` names it in messages. Throws SynthError
// "<tool>: SRAM model '<origin>': <field>: <what>" naming the row and field.
SramModel parse_sram_model(const std::string& text, const std::string& origin, const char* tool = "synth");
// The table from a file (nullopt: the embedded synth/lib/sram_model.json, parsed once).
SramModel load_sram_model(const std::optional<std::filesystem::path>& path, const char* tool = "synth");
const SramModel& default_sram_model();

// One single-bank macro of depth words x width_bits bits.
struct MacroFigures {
  double read_pj = 0, write_pj = 0, leakage_mw = 0, area_um2 = 0;
};
MacroFigures macro_figures(const SramModel&, long depth, long width_bits);

// DRAM energy per bit of a kind in the table's "dram" section (e.g. "LPDDR4"); throws SynthError
// for an unknown kind.
double dram_pj_per_bit(const SramModel&, const std::string& kind);

}  // namespace sharp::synth
