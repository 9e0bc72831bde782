// sharp_checks.svh: the elaboration-time parameter check every sharp_ module uses.
//   `SHARP_CHECK(Label, Cond, Msg)
// is a generate block named Label that refuses the parameters unless Cond holds, with Msg
// (a string literal naming the module) as the message:
//   - $error at elaboration in Verilator (a USERERROR: fatal unless -Wno-fatal is given, and
//     then -Werror-USERERROR keeps it fatal) and in Yosys ("ERROR: <Msg>", synthesis stops);
//   - `initial $fatal` in Icarus 11 (it has no elaboration-time $error): the run stops at
//     time 0 with the message.
// Modules include this file guarded, so that a tool that read it first (it leads filelist.f)
// needs no include path:
//   `ifndef SHARP_CHECKS_SVH
//   `include "sharp_checks.svh"
//   `endif
`ifndef SHARP_CHECKS_SVH
`define SHARP_CHECKS_SVH

`ifdef __ICARUS__
`define SHARP_CHECK(Label, Cond, Msg) \
  if (!(Cond)) begin : Label \
    initial $fatal(1, Msg); \
  end
`else
`define SHARP_CHECK(Label, Cond, Msg) \
  if (!(Cond)) begin : Label \
    $error(Msg); \
  end
`endif

`endif  // SHARP_CHECKS_SVH
