#!/usr/bin/env bash
# docs/REGISTERS.md must be what `sharpgen registers` prints for the default config today, and the
# C header of the same map must compile as strict C99 with the plan's values.
# Usage: ci/check_registers_doc.sh SHARPGEN REPO_ROOT WORK_DIR
# To update it: sharpgen registers --config examples/configs/default.json --out docs/REGISTERS.md
set -euo pipefail
sharpgen="$1"; root="$2"; work="$3"
mkdir -p "$work"
cd "$root"
"$sharpgen" registers --config examples/configs/default.json --out "$work/REGISTERS.md" 2>/dev/null
if ! diff -u docs/REGISTERS.md "$work/REGISTERS.md"; then
  echo "docs/REGISTERS.md is out of date; regenerate it from the repository root with:" >&2
  echo "  build/sharpgen registers --config examples/configs/default.json --out docs/REGISTERS.md" >&2
  exit 1
fi
echo "docs/REGISTERS.md is current ($(grep -c '^| 0x' docs/REGISTERS.md) registers)"
# The C view compiles as strict C99 and its values agree with the plan's (checked at compile time).
"$sharpgen" registers --config examples/configs/default.json --format c --out "$work/sharp_regs.h" 2>/dev/null
cat > "$work/check_regs.c" <<'C'
#include "sharp_regs.h"
/* A negative array size fails the compile when a value is wrong. */
typedef char ctrl_is_0[(SHARP_REG_CTRL == 0x00u) ? 1 : -1];
typedef char init_state_is_15[(SHARP_REG_INIT_STATE == 0x0Fu && SHARP_REG_INIT_STATE_BYTE == 0x3Cu) ? 1 : -1];
typedef char data_bits_16[(((SHARP_P_FORMAT_VALUE & SHARP_P_FORMAT_DATA_BITS_MASK) >> SHARP_P_FORMAT_DATA_BITS_LSB) == 16u) ? 1 : -1];
typedef char macs_256[(SHARP_P_MACS_VALUE == 256u) ? 1 : -1];
typedef char error_cell_bit_10[(SHARP_ERROR_CELL_MASK == (1u << 10)) ? 1 : -1];
int sharp_regs_check(void) { return (int)sizeof(ctrl_is_0); }
C
cc -std=c99 -Wall -Wextra -Werror -pedantic -c "$work/check_regs.c" -o "$work/check_regs.o"
echo "sharp_regs.h compiles as C99 (-Wall -Wextra -Werror -pedantic) with the plan's values"
