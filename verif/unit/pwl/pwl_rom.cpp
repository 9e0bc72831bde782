// pwl_rom.cpp: emits the activation ROMs a sharp_pwl bench is built with, through the
// generator's own path (config overrides -> make_plan -> emit_design), so that the bench sees
// the same tables a generated design holds, and the Verilator arguments of one sharp_pwl
// parameter set (SlopeBits from the plan, as sharp_core gets it).
// Usage: unit_pwl_rom <out-dir> <data_bits> <frac_bits> <act_segments>
// Writes <out-dir>/sharp_rom_sigmoid.sv, sharp_rom_tanh.sv, sigmoid.vc and tanh.vc.
#include <cstdio>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>

#include "sharp/config.hpp"
#include "sharp/emit.hpp"
#include "sharp/plan.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <out-dir> <data_bits> <frac_bits> <act_segments>\n", argv[0]);
    return 2;
  }
  try {
    const std::string out = argv[1];
    const sharp::Config cfg = sharp::load_config(
        nullptr, {std::string("format.data_bits=") + argv[2], std::string("format.frac_bits=") + argv[3],
                  std::string("format.act_segments=") + argv[4]});
    const sharp::Plan plan = sharp::make_plan(cfg);
    const std::string cmd = std::string("unit_pwl_rom ") + argv[2] + " " + argv[3] + " " + argv[4];
    int written = 0;
    for (const auto& f : sharp::emit_design(plan, cmd)) {
      for (const char* fn : {"sigmoid", "tanh"}) {
        if (f.path != std::string("rtl/sharp_rom_") + fn + ".sv") continue;
        std::ofstream(out + "/sharp_rom_" + fn + ".sv") << f.content;
        const bool sig = std::string(fn) == "sigmoid";
        std::ofstream(out + "/" + fn + ".vc")
            << "-GDataBits=" << cfg.format.data_bits << " -GSegBits=" << cfg.format.act_seg_bits
            << " -GDomainBits=" << (sig ? plan.sig_domain_bits : plan.tanh_domain_bits)
            << " -GSlopeBits=" << (sig ? plan.sig_slope_bits : plan.tanh_slope_bits) << " -GFn=" << (sig ? 0 : 1)
            << "\n";
        ++written;
      }
    }
    if (written != 2) throw std::runtime_error("emit_design produced no sharp_rom_sigmoid/sharp_rom_tanh");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unit_pwl_rom: %s\n", e.what());
    return 1;
  }
  return 0;
}
