#!/usr/bin/env bash
# docs/REGISTERS.md must be what `sharpgen registers` prints for the default config today, and the
# C header of the same map must compile as strict C99 with the plan's values; so must the AXI
# shell's C driver, which must also work against a register file in memory.
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
# The AXI shell's C driver: strict C99, and C++ too (the Verilator harness includes it); then a
# run of it against a register file in memory: sharp_init accepts the design's P_* values and
# refuses one changed bit, a SLVERR reaches the caller, ERROR reads as text.
"$sharpgen" generate --config examples/configs/default.json --set shell=axi --out "$work/axi" >/dev/null
cc -std=c99 -Wall -Wextra -Werror -pedantic -I"$work/axi" -c "$work/axi/sharp_driver.c" -o "$work/driver.o"
c++ -x c++ -std=c++17 -Wall -Wextra -Werror -I"$work/axi" -c "$work/axi/sharp_driver.c" -o "$work/driver_cxx.o"
cat > "$work/driver_test.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "sharp_driver.h"
static uint32_t regs[256];
static int rd(void *ctx, uint32_t a, uint32_t *v) {
  (void)ctx;
  if (a / 4u == 3u) return 1; /* an unmapped word answers SLVERR */
  *v = regs[a / 4u];
  return 0;
}
static int wr(void *ctx, uint32_t a, uint32_t v) {
  (void)ctx;
  regs[a / 4u] = v;
  return 0;
}
static int start(void *ctx, int s, void *b, size_t n) {
  (void)ctx, (void)s, (void)b, (void)n;
  return 0;
}
static int wait_stream(void *ctx, int s) {
  (void)ctx, (void)s;
  return 0;
}
int main(void) {
  static const uint32_t params[][2] = SHARP_PARAM_LIST;
  sharp_bus bus;
  sharp_dev dev;
  char text[512];
  uint32_t v = 0;
  size_t i;
  memset(&bus, 0, sizeof bus);
  bus.read32 = rd;
  bus.write32 = wr;
  bus.stream_start = start;
  bus.stream_wait = wait_stream;
  for (i = 0; i < sizeof params / sizeof params[0]; ++i) regs[params[i][0]] = params[i][1];
  if (sharp_init(&dev, &bus) != SHARP_OK) return 1;
  regs[SHARP_REG_P_MACS] ^= 1u;
  if (sharp_init(&dev, &bus) != SHARP_E_DESIGN) return 2;
  if (sharp_read(&dev, 3u, &v) != SHARP_E_BUS) return 3;
  sharp_error_text(SHARP_ERROR_CELL_MASK | SHARP_ERROR_SHAPE_MASK, text, sizeof text);
  if (strcmp(text, "load: H or X out of range; start: CELL not one of the design's cell kinds") != 0) return 4;
  printf("driver: sharp_init, SLVERR and sharp_error_text as expected (\"%s\")\n", text);
  return 0;
}
C
cc -std=c99 -Wall -Wextra -Werror -pedantic -I"$work/axi" "$work/driver_test.c" "$work/axi/sharp_driver.c" \
  -o "$work/driver_test"
"$work/driver_test"
echo "sharp_driver.c compiles as C99 and C++ (-Wall -Wextra -Werror) and runs against a register file"
