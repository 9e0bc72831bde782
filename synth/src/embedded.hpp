// Text files of synth/ compiled into the library (synth/cmake/embed_text.cmake writes them into
// embedded.cpp at build time): the OpenSTA script, the reference-cell table and the SRAM model.
#pragma once

namespace sharp::synth::detail {

extern const char* const kStaTcl;              // synth/scripts/sta.tcl
extern const char* const kReferenceCellsJson;  // synth/lib/reference_cells.json
extern const char* const kSramModelJson;       // synth/lib/sram_model.json

}  // namespace sharp::synth::detail
