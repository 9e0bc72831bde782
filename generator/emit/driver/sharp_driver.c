/* sharp_driver.c: see sharp_driver.h. C99; also compiles as C++ (the Verilator harness includes
 * it), so no designated initializers, compound literals or implicit void * conversions. */
#include "sharp_driver.h"

#define SHARP_BYTE(reg) ((uint32_t)(reg)*4u)

int sharp_read(sharp_dev* d, uint32_t reg, uint32_t* value) {
  return d->bus->read32(d->bus->ctx, SHARP_BYTE(reg), value) == 0 ? SHARP_OK : SHARP_E_BUS;
}

int sharp_write(sharp_dev* d, uint32_t reg, uint32_t value) {
  return d->bus->write32(d->bus->ctx, SHARP_BYTE(reg), value) == 0 ? SHARP_OK : SHARP_E_BUS;
}

int sharp_init(sharp_dev* d, const sharp_bus* bus) {
  static const uint32_t params[][2] = SHARP_PARAM_LIST;
  size_t i;
  d->bus = bus;
  d->last_error = 0;
  d->max_polls = 0;
  for (i = 0; i < sizeof params / sizeof params[0]; ++i) {
    uint32_t v = 0;
    const int rc = sharp_read(d, params[i][0], &v);
    if (rc != SHARP_OK) return rc;
    if (v != params[i][1]) return SHARP_E_DESIGN;
  }
  return SHARP_OK;
}

/* After a request: SHARP_E_REFUSED with ERROR in last_error if the design refused it. */
static int check_error(sharp_dev* d) {
  uint32_t e = 0;
  const int rc = sharp_read(d, SHARP_REG_ERROR, &e);
  if (rc != SHARP_OK) return rc;
  if (e != 0) {
    d->last_error = e;
    return SHARP_E_REFUSED;
  }
  return SHARP_OK;
}

/* Polls register `reg` until (value & mask) == want. */
static int poll(sharp_dev* d, uint32_t reg, uint32_t mask, uint32_t want) {
  uint64_t n = 0;
  for (;;) {
    uint32_t v = 0;
    const int rc = sharp_read(d, reg, &v);
    if (rc != SHARP_OK) return rc;
    if ((v & mask) == want) return SHARP_OK;
    if (d->max_polls != 0 && ++n >= d->max_polls) return SHARP_E_TIMEOUT;
    if (d->bus->idle) d->bus->idle(d->bus->ctx);
  }
}

static int send(sharp_dev* d, int stream, const void* buf, size_t bytes, size_t beat) {
  if (bytes == 0) return SHARP_OK;
  if (buf == NULL || bytes % beat != 0) return SHARP_E_ARG;
  /* The bus reads a sending buffer only; the callback takes a non-const pointer for both ways. */
  return d->bus->stream_start(d->bus->ctx, stream, (void*)(uintptr_t)buf, bytes) == 0 ? SHARP_OK : SHARP_E_STREAM;
}

static int wait_stream(sharp_dev* d, int stream) {
  return d->bus->stream_wait(d->bus->ctx, stream) == 0 ? SHARP_OK : SHARP_E_STREAM;
}

int sharp_load(sharp_dev* d, const sharp_layer* l) {
  int rc;
  if (l->slot >= SHARP_P_WEIGHT_SLOTS_VALUE) return SHARP_E_ARG;
  if (l->weight_bytes % SHARP_AXIS_W_BYTES != 0 || l->bias_bytes % SHARP_AXIS_B_BYTES != 0) return SHARP_E_ARG;
  if ((rc = sharp_write(d, SHARP_REG_HIDDEN, l->hidden)) != SHARP_OK) return rc;
  if ((rc = sharp_write(d, SHARP_REG_INPUT, l->input)) != SHARP_OK) return rc;
  if ((rc = sharp_write(d, SHARP_REG_WIDTH, l->width)) != SHARP_OK) return rc;
  if ((rc = sharp_write(d, SHARP_REG_LOAD_SLOT, l->slot)) != SHARP_OK) return rc;
  if ((rc = sharp_write(d, SHARP_REG_CTRL, SHARP_CTRL_LOAD_MASK)) != SHARP_OK) return rc;
  if ((rc = check_error(d)) != SHARP_OK) return rc;
  if ((rc = send(d, SHARP_STREAM_B, l->biases, l->bias_bytes, SHARP_AXIS_B_BYTES)) != SHARP_OK) return rc;
  if ((rc = send(d, SHARP_STREAM_W, l->weights, l->weight_bytes, SHARP_AXIS_W_BYTES)) != SHARP_OK) return rc;
  if ((rc = poll(d, SHARP_REG_LOADED, 1u << l->slot, 1u << l->slot)) != SHARP_OK) return rc;
  if (l->bias_bytes != 0 && (rc = wait_stream(d, SHARP_STREAM_B)) != SHARP_OK) return rc;
  if (l->weight_bytes != 0 && (rc = wait_stream(d, SHARP_STREAM_W)) != SHARP_OK) return rc;
  return SHARP_OK;
}

int sharp_configure(sharp_dev* d, const sharp_run_cfg* c) {
  const uint32_t regs[7] = {SHARP_REG_STEPS,     SHARP_REG_RUN_SLOT, SHARP_REG_STREAMS,   SHARP_REG_STREAM_SLOTS,
                            SHARP_REG_WAVEFRONT, SHARP_REG_CELL,     SHARP_REG_INIT_STATE};
  uint32_t vals[7];
  size_t i;
  vals[0] = c->steps;
  vals[1] = c->run_slot;
  vals[2] = c->streams;
  vals[3] = c->stream_slots;
  vals[4] = c->wavefront;
  vals[5] = c->cell;
  vals[6] = c->init_state;
  for (i = 0; i < 7; ++i) {
    const int rc = sharp_write(d, regs[i], vals[i]);
    if (rc != SHARP_OK) return rc;
  }
  return SHARP_OK;
}

int sharp_start(sharp_dev* d) {
  const int rc = sharp_write(d, SHARP_REG_CTRL, SHARP_CTRL_START_MASK);
  return rc != SHARP_OK ? rc : check_error(d);
}

int sharp_wait(sharp_dev* d) { return poll(d, SHARP_REG_STATUS, SHARP_STATUS_DONE_MASK, SHARP_STATUS_DONE_MASK); }

int sharp_run(sharp_dev* d, const sharp_run_cfg* cfg, const void* x, size_t x_bytes, const void* state,
              size_t state_bytes, void* out, size_t out_bytes) {
  int rc;
  if (out_bytes == 0 || out == NULL || out_bytes % SHARP_AXIS_H_BYTES != 0) return SHARP_E_ARG;
  if ((cfg->init_state != 0) != (state_bytes != 0)) return SHARP_E_ARG;
  if ((rc = sharp_configure(d, cfg)) != SHARP_OK) return rc;
  if (d->bus->stream_start(d->bus->ctx, SHARP_STREAM_H, out, out_bytes) != 0) return SHARP_E_STREAM;
  if ((rc = send(d, SHARP_STREAM_S, state, state_bytes, SHARP_AXIS_S_BYTES)) != SHARP_OK) return rc;
  if ((rc = send(d, SHARP_STREAM_X, x, x_bytes, SHARP_AXIS_X_BYTES)) != SHARP_OK) return rc;
  if ((rc = sharp_start(d)) != SHARP_OK) return rc;
  if ((rc = sharp_wait(d)) != SHARP_OK) return rc;
  return wait_stream(d, SHARP_STREAM_H);
}

static int read64(sharp_dev* d, uint32_t lo, uint64_t* v) {
  uint32_t a = 0, b = 0;
  int rc = sharp_read(d, lo, &a);
  if (rc == SHARP_OK) rc = sharp_read(d, lo + 1u, &b);
  *v = ((uint64_t)b << 32) | a;
  return rc;
}

int sharp_read_counters(sharp_dev* d, sharp_counters* c) {
  int rc = read64(d, SHARP_REG_CYCLES_LO, &c->cycles);
  if (rc == SHARP_OK) rc = read64(d, SHARP_REG_ACTIVE_LO, &c->active);
  if (rc == SHARP_OK) rc = read64(d, SHARP_REG_MACS_LO, &c->macs);
  if (rc == SHARP_OK) rc = read64(d, SHARP_REG_STALL_INPUT_LO, &c->stall_input);
  if (rc == SHARP_OK) rc = read64(d, SHARP_REG_STALL_DRAIN_LO, &c->stall_drain);
  if (rc == SHARP_OK) rc = read64(d, SHARP_REG_STALL_OUTPUT_LO, &c->stall_output);
  if (rc == SHARP_OK) rc = read64(d, SHARP_REG_STALL_ACT_LO, &c->stall_act);
  if (rc == SHARP_OK) rc = read64(d, SHARP_REG_STALL_H_LO, &c->stall_h);
  return rc;
}

const char* sharp_error_text(uint32_t error, char* buf, size_t size) {
  static const char* const texts[] = SHARP_ERROR_TEXTS;
  size_t n = 0, i;
  if (size == 0) return buf;
  buf[0] = '\0';
  for (i = 0; i < 32; ++i) {
    const char* t = i < sizeof texts / sizeof texts[0] ? texts[i] : "unknown error bit";
    if (((error >> i) & 1u) == 0) continue;
    if (n != 0 && n + 2 < size) {
      buf[n++] = ';';
      buf[n++] = ' ';
    }
    while (*t != '\0' && n + 1 < size) buf[n++] = *t++;
    buf[n] = '\0';
  }
  return buf;
}

const char* sharp_result_text(int code) {
  switch (code) {
    case SHARP_OK:
      return "ok";
    case SHARP_E_BUS:
      return "register access answered SLVERR";
    case SHARP_E_REFUSED:
      return "request refused by the design (see ERROR)";
    case SHARP_E_TIMEOUT:
      return "timed out waiting for the design";
    case SHARP_E_DESIGN:
      return "the design's parameter registers differ from sharp_regs.h";
    case SHARP_E_ARG:
      return "argument out of range, or a buffer of partial beats";
    case SHARP_E_STREAM:
      return "stream transfer failed";
    default:
      return "unknown result";
  }
}
