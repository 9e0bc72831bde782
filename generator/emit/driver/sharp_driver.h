/* sharp_driver.h: a small C99 driver for a sharpgen design with the AXI shell (sharp_axi_top).
 * It sequences load -> configure -> start -> wait -> read counters through an abstract bus, so
 * the same code runs on bare metal, on Linux (UIO or /dev/mem mmap for the registers, any DMA
 * engine for the streams) and in sharpgen's Verilator harness.
 *
 * The bus: read32/write32 access the AXI4-Lite registers at byte addresses (sharp_regs.h's
 * SHARP_REG_<NAME>_BYTE) and return 0 for an OKAY response, non-zero for SLVERR or any bus
 * fault. stream_start hands a buffer to the DMA of one AXI4-Stream (to the design for the
 * weight, bias, input and state streams; from it for the output stream) and returns at once;
 * stream_wait blocks until every transfer started on that stream is complete. idle (may be
 * NULL) is called between two status polls: a sleep, a yield, or nothing.
 *
 * Buffers hold whole beats in the shell's layout (SHARP_AXIS_*_BYTES per beat, every element in
 * whole bytes, little-endian; see the design's sharp_axi_top.sv). The driver checks sizes, not
 * contents: laying out a layer's weights is the host library's job (sharpgen's stimulus). */
#ifndef SHARP_DRIVER_H
#define SHARP_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "sharp_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. */
#define SHARP_OK 0
#define SHARP_E_BUS (-1)     /* a register access answered SLVERR (or the bus failed) */
#define SHARP_E_REFUSED (-2) /* the design refused the request: sharp_dev.last_error holds ERROR */
#define SHARP_E_TIMEOUT (-3) /* max_polls status reads without the awaited bit */
#define SHARP_E_DESIGN (-4)  /* the P_* registers do not match this header: another design */
#define SHARP_E_ARG (-5)     /* an argument out of range, or a buffer that is not whole beats */
#define SHARP_E_STREAM (-6)  /* stream_start or stream_wait failed */

/* Streams. */
#define SHARP_STREAM_W 0 /* weights (s_axis_w) */
#define SHARP_STREAM_B 1 /* biases (s_axis_b) */
#define SHARP_STREAM_X 2 /* inputs x_t (s_axis_x) */
#define SHARP_STREAM_S 3 /* initial state (s_axis_s) */
#define SHARP_STREAM_H 4 /* outputs h_t and c_t (m_axis_h) */

typedef struct sharp_bus {
  void* ctx;
  int (*read32)(void* ctx, uint32_t byte_addr, uint32_t* value);
  int (*write32)(void* ctx, uint32_t byte_addr, uint32_t value);
  int (*stream_start)(void* ctx, int stream, void* buf, size_t bytes);
  int (*stream_wait)(void* ctx, int stream);
  void (*idle)(void* ctx);
} sharp_bus;

typedef struct sharp_dev {
  const sharp_bus* bus;
  uint32_t last_error; /* ERROR after the last refused request */
  uint64_t max_polls;  /* status reads before SHARP_E_TIMEOUT; 0: wait for ever */
} sharp_dev;

/* A layer to load: its shape, the weight slot, and its beats. */
typedef struct sharp_layer {
  uint32_t slot, hidden, input, width;
  const void* weights; /* weight beats, SHARP_AXIS_W_BYTES each */
  size_t weight_bytes;
  const void* biases; /* bias beats, SHARP_AXIS_B_BYTES each */
  size_t bias_bytes;
} sharp_layer;

/* The registers of a run (see the register map for each). */
typedef struct sharp_run_cfg {
  uint32_t run_slot, steps, streams, stream_slots, wavefront, cell, init_state;
} sharp_run_cfg;

typedef struct sharp_counters {
  uint64_t cycles, active, macs, stall_input, stall_drain, stall_output, stall_act, stall_h;
} sharp_counters;

/* Checks that the design behind `bus` is this header's (every P_* register); max_polls 0. */
int sharp_init(sharp_dev* d, const sharp_bus* bus);
/* One register by its word address (SHARP_REG_<NAME>). */
int sharp_read(sharp_dev* d, uint32_t reg, uint32_t* value);
int sharp_write(sharp_dev* d, uint32_t reg, uint32_t value);
/* Loads a layer: HIDDEN, INPUT, WIDTH, LOAD_SLOT, CTRL.LOAD; the bias and weight beats through
 * their streams; returns when LOADED has the slot's bit. */
int sharp_load(sharp_dev* d, const sharp_layer* layer);
/* Writes the run's registers. */
int sharp_configure(sharp_dev* d, const sharp_run_cfg* cfg);
/* CTRL.START; SHARP_E_REFUSED (ERROR in last_error) if the design refuses it. */
int sharp_start(sharp_dev* d);
/* Polls STATUS until DONE. */
int sharp_wait(sharp_dev* d);
/* A whole run: configure, hand the output buffer and the state (if cfg->init_state; else NULL,
 * 0) and input beats to their streams, start, wait for DONE and for the last output beat. Beats:
 * steps x streams x ceil(K-wide x vectors) in, steps x streams x ceil(H / lanes) out. */
int sharp_run(sharp_dev* d, const sharp_run_cfg* cfg, const void* x, size_t x_bytes, const void* state,
              size_t state_bytes, void* out, size_t out_bytes);
/* The eight 64-bit counters of the last run. */
int sharp_read_counters(sharp_dev* d, sharp_counters* c);
/* ERROR as text: every set bit's meaning, joined by "; " into buf (always terminated). */
const char* sharp_error_text(uint32_t error, char* buf, size_t size);
/* A return code as text. */
const char* sharp_result_text(int code);

#ifdef __cplusplus
}
#endif

#endif /* SHARP_DRIVER_H */
