// Shared between the fuzz target (fuzz_config.cpp) and the fallback driver (fuzz_main.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

struct FuzzStats {
  uint64_t inputs = 0;                // inputs run
  uint64_t json_values = 0;           // inputs that parse as a JSON value
  uint64_t accepted = 0;              // ... and are a valid config
  uint64_t rejected = 0;              // ... and are rejected with sharp::Error
  uint64_t overrides_accepted = 0;    // inputs accepted as key=value override lines
  uint64_t file_accepted = 0;         // inputs accepted as a config file
  uint64_t model_index_accepted = 0;  // inputs accepted as a model.json index
  uint64_t npy_accepted = 0;          // inputs accepted as a .npy array
};

const FuzzStats& fuzz_stats();

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
