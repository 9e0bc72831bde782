#!/usr/bin/env bash
# Turn a design's sharp_design.h into sharp_tb_params.svh for tb_sharp.sv: every
# `constexpr int kName = V;` becomes `localparam int kName = V;` (hex 0x.. as 'h..), and the
# register names become a function reg_name(addr) (empty string for unmapped addresses).
# Usage: make_params.sh DESIGN_DIR/sharp_design.h OUT.svh
set -euo pipefail
hdr="$1"; out="$2"
[ -f "$hdr" ] || { echo "make_params: no such file: $hdr" >&2; exit 2; }
awk -v src="$hdr" '
  BEGIN { print "// Generated from " src " by verif/icarus/make_params.sh -- do not edit." }
  /^[ \t]*constexpr int k[A-Za-z0-9_]+[ \t]*=/ {
    line = $0
    sub(/^[ \t]*constexpr int /, "", line)
    split(line, kv, "=")
    name = kv[1]; gsub(/[ \t]/, "", name)
    val = kv[2]; gsub(/[ \t;]/, "", val)
    if (val ~ /^0[xX]/) { val = "32'\''h" substr(val, 3) }
    if (val !~ /^(-?[0-9]+|32'\''h[0-9a-fA-F]+)$/) { printf("make_params: cannot parse: %s\n", $0) > "/dev/stderr"; exit 3 }
    printf("localparam int %s = %s;\n", name, val)
    n++
    if (name ~ /^kReg/) { regs[nr++] = name }
  }
  END {
    if (n == 0) { print "make_params: no constants found" > "/dev/stderr"; exit 3 }
    print "function automatic string reg_name(input int addr);"
    print "  case (addr)"
    for (i = 0; i < nr; i++) printf("    %s: return \"%s\";\n", regs[i], substr(regs[i], 5))
    print "    default: return \"\";"
    print "  endcase"
    print "endfunction"
  }
' "$hdr" > "$out"
for need in kK kLanes kDataBits kCellBits kRegCTRL kRegSTATUS kRegERROR kRegHIDDEN kRegINPUT kRegSTEPS kRegWIDTH kRegSTREAMS \
            kRegCYCLES_LO kRegACTIVE_LO kRegMACS_LO kRegSTALL_INPUT_LO kRegSTALL_H_LO kRegSTALL_DRAIN_LO \
            kRegSTALL_OUTPUT_LO kRegSTALL_ACT_LO kRegSTALL_H_HI; do
  grep -q "localparam int $need = " "$out" || { echo "make_params: $hdr has no $need" >&2; exit 3; }
done
