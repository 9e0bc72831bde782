#include <filesystem>

#include <catch2/catch.hpp>

#include "sharp/config.hpp"
#include "sharp/error.hpp"

using namespace sharp;
using nlohmann::json;

namespace {
std::string error_of(const json& j) {
  try {
    config_from_json(j);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("defaults form a valid config", "[config]") {
  const Config c = config_from_json(json::object());
  CHECK(c.macs == 256);
  CHECK(c.k_max == 16);
  CHECK(c.k_min == 4);
  CHECK(c.schedule == Schedule::Unfolded);
}

TEST_CASE("the built-in defaults equal examples/configs/default.json apart from the name", "[config]") {
  const std::filesystem::path file = std::filesystem::path(SHARP_SOURCE_DIR) / "examples/configs/default.json";
  json from_file = load_config(&file, {}).to_json();
  json builtin = load_config(nullptr, {}).to_json();
  CHECK(from_file["name"] == "default");
  from_file.erase("name");
  builtin.erase("name");
  CHECK(from_file.dump(2) == builtin.dump(2));
}

TEST_CASE("schedule codes are the hardware's", "[config]") {
  CHECK(static_cast<int>(Schedule::Sequential) == 0);
  CHECK(static_cast<int>(Schedule::Intergate) == 1);
  CHECK(static_cast<int>(Schedule::Unfolded) == 2);
}

TEST_CASE("k_min follows k_max when only k_max is given", "[config]") {
  const Config c = config_from_json({{"macs", 1024}, {"k_max", 32}});
  CHECK(c.k_min == 32);
}

TEST_CASE("every rejection names the field, the value and what is allowed", "[config]") {
  CHECK_THAT(error_of({{"macs", 100}}),
             Catch::Contains("'macs'") && Catch::Contains("100") && Catch::Contains("power of two"));
  CHECK_THAT(error_of({{"macs", 8}}), Catch::Contains("'macs'") && Catch::Contains("16 to 65536"));
  CHECK_THAT(error_of({{"k_max", 8}, {"k_min", 16}}), Catch::Contains("'k_min'") && Catch::Contains("at most k_max"));
  CHECK_THAT(error_of({{"bogus", 1}}), Catch::Contains("unknown field 'bogus'") && Catch::Contains("allowed"));
  CHECK_THAT(error_of({{"format", {{"frac_bits", 15}}}}), Catch::Contains("'format.frac_bits'"));
  CHECK_THAT(error_of({{"schedule", 3}}), Catch::Contains("'schedule'"));
  CHECK_THAT(error_of({{"unfold_depth", 0}}), Catch::Contains("'unfold_depth'") && Catch::Contains("1 to 64"));
  CHECK_THAT(error_of({{"max_input", 1.5}}), Catch::Contains("'max_input'") && Catch::Contains("integer"));
  CHECK_THAT(error_of({{"act_lanes", 3}}), Catch::Contains("'act_lanes'"));
  CHECK_THAT(error_of({{"name", "a b"}}), Catch::Contains("'name'"));
  CHECK_THAT(error_of({{"streams", 3}}), Catch::Contains("'streams'") && Catch::Contains("power of two from 1 to 8"));
  CHECK_THAT(error_of({{"streams", 16}}), Catch::Contains("'streams'") && Catch::Contains("1 to 8"));
  CHECK_THAT(error_of({{"format", {{"weight_frac_bits", 16}}}}), Catch::Contains("'format.weight_frac_bits'") &&
                                                                     Catch::Contains("16") &&
                                                                     Catch::Contains("1 to data_bits-1 = 15"));
}

TEST_CASE("weight fraction bits follow frac_bits unless set, and appear in the JSON only when set", "[config]") {
  const Config a = load_config(nullptr, {"format.frac_bits=10"});
  CHECK(a.format.wfrac() == 10);
  CHECK_FALSE(a.to_json()["format"].contains("weight_frac_bits"));
  const Config b = load_config(nullptr, {"format.frac_bits=10", "format.weight_frac_bits=14"});
  CHECK(b.format.wfrac() == 14);
  CHECK(b.format.frac_bits == 10);
  CHECK(b.to_json()["format"]["weight_frac_bits"] == 14);
  CHECK(config_from_json(b.to_json()).format.wfrac() == 14);
}

TEST_CASE("overrides set nested fields and parse scalars", "[config]") {
  const Config c = load_config(
      nullptr, {"macs=1024", "k_max=32", "format.data_bits=12", "format.frac_bits=9", "format.acc_bits=30", "name=x1"});
  CHECK(c.macs == 1024);
  CHECK(c.format.data_bits == 12);
  CHECK(c.name == "x1");
  CHECK_THROWS_AS(load_config(nullptr, {"=3"}), Error);
}

TEST_CASE("the resolved config round-trips through JSON", "[config]") {
  const Config c = load_config(nullptr, {"macs=1024", "k_max=32", "max_hidden=100"});
  const Config d = config_from_json(c.to_json());
  CHECK(d.to_json() == c.to_json());
}

TEST_CASE("shell is none (the default) or axi; only axi is written back", "[config]") {
  CHECK(config_from_json(json::object()).shell == "none");
  CHECK_FALSE(config_from_json(json::object()).to_json().contains("shell"));
  const Config c = config_from_json({{"shell", "axi"}});
  CHECK(c.axi());
  CHECK(c.to_json()["shell"] == "axi");
  CHECK(config_from_json(c.to_json()).axi());
  CHECK_THAT(error_of({{"shell", "pcie"}}),
             Catch::Contains("'shell'") && Catch::Contains("\"pcie\"") && Catch::Contains("\"axi\""));
  CHECK_THAT(error_of({{"shell", 1}}), Catch::Contains("'shell'") && Catch::Contains("\"none\""));
}
