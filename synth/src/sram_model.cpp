// The SRAM model (see sharp/sram_model.hpp): the table read with nlohmann's type macros, checked, and
// fitted per quantity by least squares in log space.
#include "sharp/sram_model.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "common.hpp"
#include "embedded.hpp"
#include "sharp/synth.hpp"

// null <-> std::nullopt, so that the type macros can read the table's optional figures.
namespace nlohmann {
template <>
struct adl_serializer<std::optional<double>> {
  static void to_json(json& j, const std::optional<double>& v) { j = v ? json(*v) : json(nullptr); }
  static void from_json(const json& j, std::optional<double>& v) {
    if (j.is_null())
      v.reset();
    else
      v = j.get<double>();
  }
};
}  // namespace nlohmann

namespace sharp::synth {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SramRow, id, source, node_nm, depth, width, banks, ports, read_pj,
                                                write_pj, leakage_mw, area_mm2, fit, excluded, checked, notes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SramQuantitySpec, tolerance, family)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DramRow, kind, pj_per_bit, bandwidth_gbs, source, notes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SramTable, version, title, units, model, ref_nand2_um2, quantities,
                                                rows, dram)

namespace {

using nlohmann::json;

struct Ctx {
  std::string tool, origin;
  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw SynthError(fmt::format("{}: SRAM model '{}': field '{}': {}", tool, origin, field, what));
  }
};

std::string shown(const json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string json_reason(const json::exception& e) {
  std::string m = e.what();
  const size_t at = m.find("] ");
  return at == std::string::npos ? m : m.substr(at + 2);
}

// j decoded as T by the type macros; an unknown key, or a key whose value has the wrong type, is
// an error naming `where`.key and the value.
template <class T>
T decode(const json& j, const std::string& where, const Ctx& c) {
  if (!j.is_object()) c.fail(where.empty() ? "(top level)" : where, "expected an object, got " + shown(j));
  const json known = T{};
  const std::string pre = where.empty() ? "" : where + ".";
  for (const auto& [k, v] : j.items()) {
    if (!known.contains(k)) {
      std::string allowed;
      for (const auto& [kk, vv] : known.items()) allowed += (allowed.empty() ? "" : ", ") + kk;
      c.fail(pre + k, fmt::format("unknown field (allowed: {})", allowed));
    }
    try {
      (void)json{{k, v}}.get<T>();
    } catch (const json::exception& e) {
      c.fail(pre + k, fmt::format("value {} is not allowed ({})", shown(v), json_reason(e)));
    }
  }
  return j.get<T>();
}

std::optional<double> SramRow::*const kMember[4] = {&SramRow::read_pj, &SramRow::write_pj, &SramRow::leakage_mw,
                                                    &SramRow::area_mm2};

int quantity_index(const std::string& name) {
  for (size_t i = 0; i < kSramQuantityNames.size(); ++i)
    if (name == kSramQuantityNames[i]) return static_cast<int>(i);
  return -1;
}

std::string quantity_list() {
  std::string s;
  for (const char* n : kSramQuantityNames) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

SramTable decode_table(const json& j, const Ctx& c) {
  if (!j.is_object()) c.fail("(top level)", "expected an object, got " + shown(j));
  json top = j;
  json rows = json::array(), dram = json::array(), quantities = json::object();
  if (top.contains("rows")) rows = top["rows"], top["rows"] = json::array();
  if (top.contains("dram")) dram = top["dram"], top["dram"] = json::array();
  if (top.contains("quantities")) quantities = top["quantities"], top["quantities"] = json::object();
  SramTable t = decode<SramTable>(top, "", c);
  if (!rows.is_array()) c.fail("rows", "expected an array of rows, got " + shown(rows));
  if (!dram.is_array()) c.fail("dram", "expected an array, got " + shown(dram));
  if (!quantities.is_object()) c.fail("quantities", "expected an object, got " + shown(quantities));
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string where = fmt::format("rows[{}]", i);
    if (rows[i].is_object() && rows[i].contains("id") && rows[i]["id"].is_string())
      where += fmt::format(" (id '{}')", rows[i]["id"].get<std::string>());
    t.rows.push_back(decode<SramRow>(rows[i], where, c));
  }
  for (size_t i = 0; i < dram.size(); ++i) t.dram.push_back(decode<DramRow>(dram[i], fmt::format("dram[{}]", i), c));
  for (const auto& [k, v] : quantities.items()) {
    if (quantity_index(k) < 0)
      c.fail("quantities." + k, fmt::format("unknown quantity (allowed: {})", quantity_list()));
    t.quantities[k] = decode<SramQuantitySpec>(v, "quantities." + k, c);
  }
  return t;
}

bool positive(double v) { return std::isfinite(v) && v > 0; }

void check_table(const SramTable& t, const Ctx& c) {
  if (t.version != kSramModelVersion)
    c.fail("version",
           fmt::format("value {} is not allowed (this sharpgen reads version {})", t.version, kSramModelVersion));
  if (!positive(t.ref_nand2_um2))
    c.fail("ref_nand2_um2", fmt::format("value {} is not allowed (> 0 um2)", t.ref_nand2_um2));
  for (const char* q : kSramQuantityNames) {
    auto it = t.quantities.find(q);
    if (it == t.quantities.end()) c.fail(fmt::format("quantities.{}", q), "missing (its tolerance is needed)");
    if (!positive(it->second.tolerance) || it->second.tolerance >= 1)
      c.fail(fmt::format("quantities.{}.tolerance", q),
             fmt::format("value {} is not allowed (a fraction, 0 < tolerance < 1)", it->second.tolerance));
  }
  if (t.rows.empty()) c.fail("rows", "empty: the model needs published rows");
  std::set<std::string> ids;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const SramRow& r = t.rows[i];
    const std::string w = fmt::format("rows[{}]", i);
    if (r.id.empty()) c.fail(w + ".id", "missing or empty");
    const std::string at = fmt::format("{} (id '{}')", w, r.id);
    if (!ids.insert(r.id).second) c.fail(at + ".id", fmt::format("value '{}' is not allowed (ids are unique)", r.id));
    if (r.source.empty()) c.fail(at + ".source", "missing or empty: every row needs a citation");
    if (r.node_nm <= 0) c.fail(at + ".node_nm", fmt::format("value {} is not allowed (> 0 nm)", r.node_nm));
    if (r.depth < 1) c.fail(at + ".depth", fmt::format("value {} is not allowed (>= 1 word)", r.depth));
    if (r.width < 1) c.fail(at + ".width", fmt::format("value {} is not allowed (>= 1 bit)", r.width));
    if (r.banks < 1) c.fail(at + ".banks", fmt::format("value {} is not allowed (>= 1)", r.banks));
    if (r.ports < 1) c.fail(at + ".ports", fmt::format("value {} is not allowed (>= 1)", r.ports));
    for (size_t q = 0; q < 4; ++q) {
      const auto& v = r.*kMember[q];
      if (v && !positive(*v))
        c.fail(fmt::format("{}.{}", at, kSramQuantityNames[q]),
               fmt::format("value {} is not allowed (> 0, or null where the source gives none)", *v));
    }
    std::set<int> fitted;
    for (const auto& f : r.fit) {
      const int q = quantity_index(f);
      if (q < 0) c.fail(at + ".fit", fmt::format("value '{}' is not allowed (one of {})", f, quantity_list()));
      if (!(r.*kMember[q])) c.fail(at + ".fit", fmt::format("'{}' is fitted but the row's {} is null", f, f));
      if (!fitted.insert(q).second) c.fail(at + ".fit", fmt::format("'{}' is listed twice", f));
    }
    for (const auto& [k, why] : r.excluded) {
      const int q = quantity_index(k);
      if (q < 0) c.fail(at + ".excluded." + k, fmt::format("unknown quantity (allowed: {})", quantity_list()));
      if (fitted.count(q)) c.fail(at + ".excluded." + k, "the quantity is also listed in 'fit'");
      if (!(r.*kMember[q])) c.fail(at + ".excluded." + k, "the row's figure is null: nothing to exclude");
      if (why.empty()) c.fail(at + ".excluded." + k, "missing reason");
    }
    for (size_t q = 0; q < 4; ++q)
      if ((r.*kMember[q]) && !fitted.count(static_cast<int>(q)) && !r.excluded.count(kSramQuantityNames[q]))
        c.fail(fmt::format("{}.{}", at, kSramQuantityNames[q]),
               "a published figure must be listed in 'fit' or in 'excluded' (with the reason)");
  }
  std::set<std::string> kinds;
  for (size_t i = 0; i < t.dram.size(); ++i) {
    const DramRow& d = t.dram[i];
    const std::string w = fmt::format("dram[{}]", i);
    if (d.kind.empty()) c.fail(w + ".kind", "missing or empty");
    if (!kinds.insert(d.kind).second) c.fail(w + ".kind", fmt::format("value '{}' is listed twice", d.kind));
    if (!positive(d.pj_per_bit)) c.fail(w + ".pj_per_bit", fmt::format("value {} is not allowed (> 0)", d.pj_per_bit));
    if (d.bandwidth_gbs && !positive(*d.bandwidth_gbs))
      c.fail(w + ".bandwidth_gbs", fmt::format("value {} is not allowed (> 0, or null)", *d.bandwidth_gbs));
    if (d.source.empty()) c.fail(w + ".source", "missing or empty");
  }
}

// Solves A x = b (n x n) by Gaussian elimination with partial pivoting; false if singular.
bool solve(std::vector<std::vector<double>> A, std::vector<double> b, std::vector<double>& x) {
  const size_t n = b.size();
  for (size_t i = 0; i < n; ++i) {
    size_t p = i;
    for (size_t r = i + 1; r < n; ++r)
      if (std::fabs(A[r][i]) > std::fabs(A[p][i])) p = r;
    if (std::fabs(A[p][i]) < 1e-9) return false;
    std::swap(A[i], A[p]);
    std::swap(b[i], b[p]);
    for (size_t r = 0; r < n; ++r) {
      if (r == i) continue;
      const double f = A[r][i] / A[i][i];
      for (size_t k = i; k < n; ++k) A[r][k] -= f * A[i][k];
      b[r] -= f * b[i];
    }
  }
  x.assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) x[i] = b[i] / A[i][i];
  return true;
}

std::vector<double> features(const SramRow& r, bool bank_term) {
  std::vector<double> f = {1.0, std::log(static_cast<double>(r.depth)), std::log(static_cast<double>(r.width))};
  if (bank_term) f.push_back(std::log(static_cast<double>(r.banks)));
  return f;
}

SramFit fit_quantity(const SramTable& t, size_t q, const Ctx& c) {
  SramFit fit;
  fit.quantity = kSramQuantityNames[q];
  fit.tolerance = t.quantities.at(fit.quantity).tolerance;
  std::vector<const SramRow*> rows;
  std::set<long> banks;
  for (const auto& r : t.rows)
    if (std::find(r.fit.begin(), r.fit.end(), fit.quantity) != r.fit.end()) {
      rows.push_back(&r);
      fit.rows.push_back(r.id);
      banks.insert(r.banks);
    }
  fit.bank_term = banks.size() > 1;
  const size_t p = fit.bank_term ? 4 : 3;
  if (rows.size() <= p)
    c.fail("rows", fmt::format("{} rows are fitted on {}; a fit of {} coefficients needs at least {}", rows.size(),
                               fit.quantity, p, p + 1));
  std::vector<std::vector<double>> A(p, std::vector<double>(p, 0.0));
  std::vector<double> b(p, 0.0), x;
  for (const SramRow* r : rows) {
    const auto f = features(*r, fit.bank_term);
    const double y = std::log(*(r->*kMember[q]));
    for (size_t i = 0; i < p; ++i) {
      b[i] += f[i] * y;
      for (size_t k = 0; k < p; ++k) A[i][k] += f[i] * f[k];
    }
  }
  if (!solve(A, b, x))
    c.fail("rows", fmt::format("the rows fitted on {} do not determine depth, width{} (singular)", fit.quantity,
                               fit.bank_term ? " and banks" : ""));
  fit.a = x[0];
  fit.b_depth = x[1];
  fit.c_width = x[2];
  fit.d_banks = fit.bank_term ? x[3] : 0.0;
  if (fit.b_depth < 0 || fit.c_width < 0)
    c.fail("rows",
           fmt::format("the fit of {} decreases with {} (exponent {:.4g}): the rows are not a usable family",
                       fit.quantity, fit.b_depth < 0 ? "depth" : "width", fit.b_depth < 0 ? fit.b_depth : fit.c_width));
  return fit;
}

}  // namespace

double SramModel::value(SramQuantity q, double depth, double width_bits, double banks) const {
  const SramFit& f = fit(q);
  return std::exp(f.a + f.b_depth * std::log(depth) + f.c_width * std::log(width_bits) + f.d_banks * std::log(banks));
}

nlohmann::json SramModel::summary_json() const {
  json qs = json::object();
  for (const auto& f : fits)
    qs[f.quantity] = {{"a", f.a},
                      {"b_depth", f.b_depth},
                      {"c_width", f.c_width},
                      {"d_banks", f.d_banks},
                      {"bank_term", f.bank_term},
                      {"tolerance", f.tolerance},
                      {"max_abs_residual", f.max_abs_residual},
                      {"rows", f.rows},
                      {"family", table.quantities.at(f.quantity).family}};
  std::set<std::string> sources;
  for (const auto& r : table.rows) sources.insert(r.source.substr(0, r.source.find(':')));
  return {{"version", table.version},
          {"origin", origin},
          {"method", table.model},
          {"ref_nand2_um2", table.ref_nand2_um2},
          {"fits", qs},
          {"sources", sources}};
}

SramModel parse_sram_model(const std::string& text, const std::string& origin, const char* tool) {
  const Ctx c{tool, origin};
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    c.fail("(top level)", "not valid JSON: " + json_reason(e));
  }
  SramModel m;
  m.origin = origin;
  m.table = decode_table(j, c);
  check_table(m.table, c);
  for (size_t q = 0; q < 4; ++q) m.fits[q] = fit_quantity(m.table, q, c);
  for (const auto& r : m.table.rows)
    for (size_t q = 0; q < 4; ++q) {
      const auto& v = r.*kMember[q];
      if (!v) continue;
      SramResidual res;
      res.row = r.id;
      res.quantity = kSramQuantityNames[q];
      res.published = *v;
      res.model = m.value(static_cast<SramQuantity>(q), static_cast<double>(r.depth), static_cast<double>(r.width),
                          static_cast<double>(r.banks));
      res.rel_error = res.model / res.published - 1.0;
      res.fitted = std::find(r.fit.begin(), r.fit.end(), res.quantity) != r.fit.end();
      if (!res.fitted) res.reason = r.excluded.at(res.quantity);
      if (res.fitted) {
        SramFit& f = m.fits[q];
        f.max_abs_residual = std::max(f.max_abs_residual, std::fabs(res.rel_error));
        if (std::fabs(res.rel_error) > f.tolerance)
          c.fail(fmt::format("quantities.{}.tolerance", res.quantity),
                 fmt::format("row '{}' is {:+.1f} % off the fit ({:.4g} against the published {:.4g}), beyond the "
                             "stated tolerance of {:.1f} %",
                             r.id, 100 * res.rel_error, res.model, res.published, 100 * f.tolerance));
      }
      m.residuals.push_back(std::move(res));
    }
  return m;
}

SramModel load_sram_model(const std::optional<std::filesystem::path>& path, const char* tool) {
  if (!path) return default_sram_model();
  return parse_sram_model(detail::read_text(*path, "SRAM model", tool), path->string(), tool);
}

const SramModel& default_sram_model() {
  static const SramModel m = parse_sram_model(detail::kSramModelJson, "embedded synth/lib/sram_model.json");
  return m;
}

MacroFigures macro_figures(const SramModel& m, long depth, long width_bits) {
  if (depth < 1 || width_bits < 1)
    throw SynthError(
        fmt::format("synth: SRAM model: a macro of {} words x {} bits is not allowed (both >= 1)", depth, width_bits));
  const double d = static_cast<double>(depth), w = static_cast<double>(width_bits);
  MacroFigures f;
  f.read_pj = m.value(SramQuantity::ReadPj, d, w);
  f.write_pj = m.value(SramQuantity::WritePj, d, w);
  f.leakage_mw = m.value(SramQuantity::LeakageMw, d, w);
  f.area_um2 = m.value(SramQuantity::AreaMm2, d, w) * 1e6;
  return f;
}

double dram_pj_per_bit(const SramModel& m, const std::string& kind) {
  std::string kinds;
  for (const auto& d : m.table.dram) {
    if (d.kind == kind) return d.pj_per_bit;
    kinds += (kinds.empty() ? "" : ", ") + d.kind;
  }
  throw SynthError(
      fmt::format("synth: SRAM model '{}': DRAM kind '{}' is not in the table (known: {})", m.origin, kind, kinds));
}

}  // namespace sharp::synth
