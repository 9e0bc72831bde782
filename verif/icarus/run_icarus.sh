#!/usr/bin/env bash
# Compile one generated design with Icarus Verilog (4-state) and replay a stimulus file
# (stim.bin from `sharpgen verify`) through verif/icarus/tb_sharp.sv.
# Usage: run_icarus.sh DESIGN_DIR STIM.bin OUT.bin WORK_DIR [+plusarg ...]
#   SHARP_TB=axi (environment): the AXI shell sharp_axi_top through verif/icarus/tb_sharp_axi.sv
#   DESIGN_DIR  a `sharpgen generate` output (rtl/, filelist.f, sharp_design.h)
#   OUT.bin     the outputs, in the format of the Verilator harness's out.bin
#   WORK_DIR    where the compiled model (tb.vvp) and the logs go
# Exit status: 0 when the testbench prints "TB: PASS", 1 otherwise (compile error included).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
design="$1"; stim="$2"; out="$3"; work="$4"; shift 4

for tool in iverilog vvp; do
  command -v "$tool" >/dev/null 2>&1 || { echo "icarus: '$tool' not found (Debian package iverilog)" >&2; exit 1; }
done
[ -f "$design/filelist.f" ] && [ -f "$design/sharp_design.h" ] ||
  { echo "icarus: $design is not a generated design (no filelist.f / sharp_design.h)" >&2; exit 1; }
[ -f "$stim" ] || { echo "icarus: no stimulus file $stim" >&2; exit 1; }

tb=tb_sharp
[ "${SHARP_TB:-}" = axi ] && tb=tb_sharp_axi
mkdir -p "$work"
design="$(cd "$design" && pwd)"
"$here/make_params.sh" "$design/sharp_design.h" "$work/sharp_tb_params.svh"
# filelist.f paths are relative to the design directory. Its include files (rtl/*.svh) lead the
# list, so their macros are defined before any module; -I "$design/rtl" also finds them.
sed -e '/^[[:space:]]*$/d' -e "s#^\([^/+-]\)#$design/\1#" "$design/filelist.f" > "$work/filelist.f"

# Compile. Icarus 11 prints a "sorry: constant selects in always_* processes ..." note for every
# always_comb/always_ff that part-selects with a constant (it only widens the sensitivity list,
# which does not change the result) and "always_comb process has no sensitivities" for blocks
# that only assign constants; they are counted, not shown. Everything else is shown.
set +e
iverilog -g2012 -Wall -Wno-timescale -Wno-implicit-dimensions -Wno-portbind -Wno-select-range \
  -o "$work/tb.vvp" -s "$tb" -I "$work" -I "$here" -I "$design/rtl" -c "$work/filelist.f" "$here/$tb.sv" \
  > "$work/compile.log" 2>&1
rc=$?
set -e
noise='sorry: constant selects in always_\* processes|always_comb process has no sensitivities'
n_noise=$(grep -E -c "$noise" "$work/compile.log" || true)
grep -E -v "$noise" "$work/compile.log" | sed 's/^/icarus: compile: /' || true
if [ $rc -ne 0 ] || [ ! -f "$work/tb.vvp" ]; then
  echo "icarus: compile failed (iverilog exit $rc); full log: $work/compile.log"
  exit 1
fi
echo "icarus: compiled ($n_noise Icarus 'sorry/no sensitivities' notes hidden; full log: $work/compile.log)"

# Run.
rm -f "$out"
set +e
vvp -n "$work/tb.vvp" +stim="$stim" +out="$out" "$@" > "$work/sim.log" 2>&1
rc=$?
set -e
cat "$work/sim.log"
if [ $rc -ne 0 ]; then echo "icarus: vvp exit status $rc"; exit 1; fi
grep -q '^TB: PASS' "$work/sim.log" || exit 1
exit 0
