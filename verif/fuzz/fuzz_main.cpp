// fuzz_main: a seeded random-mutation driver for LLVMFuzzerTestOneInput, for machines (and
// compilers, e.g. g++) without libFuzzer. No coverage feedback: it runs every seed input,
// then N inputs made by stacking 1-4 random mutations (bit flips, byte edits, insertions and
// deletions, duplicated ranges, dictionary tokens, interesting numbers, splices of two
// inputs) on a seed or on an earlier input that was accepted as a config.
//
//   fuzz_config_driver [-runs=N] [-seed=S] [-dict=FILE] [-max_len=N] [-artifact_prefix=P]
//                      [-keep_going] [-quiet] CORPUS_DIR_OR_FILE...
//
// The flags mirror libFuzzer's. A crash (abort, e.g. an uncaught exception, or a fatal
// signal) writes the input to P + "crash-driver-<pid>" first and says so. -keep_going catches
// exceptions escaping the target instead, reports each distinct one once (its input saved),
// continues, and exits 1 at the end if there was any. The last line is a summary:
//   fuzz_config_driver: N inputs (S seeds) in T s: J JSON values, A accepted, R rejected, C crashes
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <typeinfo>
#include <vector>

#include "fuzz_config.hpp"

namespace fs = std::filesystem;
using Bytes = std::string;

namespace {

// The input being run, for the crash handlers.
const char* g_cur = nullptr;
size_t g_cur_len = 0;
char g_crash_path[4096] = "crash-driver";

void save_current_input_signal_safe() {
  if (!g_cur) return;
  const int fd = ::open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  size_t off = 0;
  while (off < g_cur_len) {
    const ssize_t n = ::write(fd, g_cur + off, g_cur_len - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  const char msg1[] = "\nfuzz_config_driver: CRASH; the input is saved in ";
  (void)!::write(2, msg1, sizeof msg1 - 1);
  (void)!::write(2, g_crash_path, std::strlen(g_crash_path));
  (void)!::write(2, "\n", 1);
}

void on_fatal_signal(int sig) {
  save_current_input_signal_safe();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::terminate_handler g_default_terminate = nullptr;
void on_terminate() {
  save_current_input_signal_safe();
  g_cur = nullptr;                                 // the SIGABRT handler must not save it again
  if (g_default_terminate) g_default_terminate();  // libstdc++ prints the exception type and what()
  std::abort();
}

std::string printable(const Bytes& b, size_t max = 200) {
  std::string s;
  for (size_t i = 0; i < b.size() && i < max; ++i) {
    const unsigned char c = static_cast<unsigned char>(b[i]);
    if (c == '\\')
      s += "\\\\";
    else if (c == '\n')
      s += "\\n";
    else if (c >= 32 && c < 127)
      s += static_cast<char>(c);
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    }
  }
  if (b.size() > max) s += "...";
  return s;
}

// libFuzzer/AFL dictionary: lines `name="value"` or `"value"`, with \\, \" and \xNN escapes.
std::vector<Bytes> read_dict(const std::string& path) {
  std::vector<Bytes> out;
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "fuzz_config_driver: cannot read dictionary %s\n", path.c_str());
    std::exit(2);
  }
  std::string line;
  while (std::getline(in, line)) {
    const size_t q = line.find('"');
    if (line.empty() || line[0] == '#' || q == std::string::npos) continue;
    const size_t end = line.rfind('"');
    if (end <= q) continue;
    Bytes v;
    for (size_t i = q + 1; i < end; ++i) {
      if (line[i] == '\\' && i + 1 < end) {
        const char n = line[i + 1];
        if (n == 'x' && i + 3 < end) {
          v += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
          i += 3;
        } else {
          v += n;
          ++i;
        }
      } else {
        v += line[i];
      }
    }
    out.push_back(v);
  }
  return out;
}

// One crash kind per exception type and message shape: the message up to the first quote
// or colon after its "[json.exception...]" id, digits collapsed (so '1e999' and '1e65536'
// overflows, or invalid bytes at different indexes, count once).
std::string crash_kind(const std::string& what) {
  const size_t id_end = what.find("] ");
  const size_t cut = what.find_first_of("':", id_end == std::string::npos ? what.find(": ") + 2 : id_end);
  std::string k;
  for (char c : what.substr(0, cut)) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      k += c;
    else if (k.empty() || k.back() != '#')
      k += '#';
  }
  return k;
}

class Mutator {
 public:
  Mutator(uint64_t seed, std::vector<Bytes> dict, size_t max_len)
      : rng_(seed), dict_(std::move(dict)), max_len_(max_len) {}

  size_t pick(size_t n) { return static_cast<size_t>(below(n)); }

  Bytes mutate(const Bytes& in, const std::vector<Bytes>& pool) {
    Bytes b = in;
    const int n = 1 + static_cast<int>(below(4));
    for (int i = 0; i < n; ++i) once(b, pool);
    if (b.size() > max_len_) b.resize(max_len_);
    return b;
  }

 private:
  uint64_t below(uint64_t n) { return n ? std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_) : 0; }
  size_t pos(const Bytes& b) { return static_cast<size_t>(below(b.size() + 1)); }

  void once(Bytes& b, const std::vector<Bytes>& pool) {
    static const char* const kNumbers[] = {"0",
                                           "-0",
                                           "1",
                                           "-1",
                                           "2",
                                           "3",
                                           "4",
                                           "15",
                                           "16",
                                           "17",
                                           "31",
                                           "32",
                                           "63",
                                           "64",
                                           "255",
                                           "256",
                                           "1023",
                                           "1024",
                                           "8191",
                                           "8192",
                                           "8193",
                                           "16384",
                                           "32768",
                                           "65535",
                                           "65536",
                                           "65537",
                                           "2147483647",
                                           "2147483648",
                                           "-2147483648",
                                           "-2147483649",
                                           "4294967295",
                                           "4294967296",
                                           "9223372036854775807",
                                           "9223372036854775808",
                                           "-9223372036854775808",
                                           "-9223372036854775809",
                                           "18446744073709551615",
                                           "18446744073709551616",
                                           "1e308",
                                           "1e309",
                                           "1e999",
                                           "-1e999",
                                           "1e-999",
                                           "0.5",
                                           "1.0",
                                           "16.0",
                                           "1e2",
                                           "NaN",
                                           "Infinity",
                                           "null",
                                           "true",
                                           "false",
                                           "\"\"",
                                           "\"16\"",
                                           "[]",
                                           "{}",
                                           "[16]",
                                           "{\"a\":1}"};
    constexpr size_t kNumCount = sizeof kNumbers / sizeof kNumbers[0];
    switch (below(11)) {
      case 0:  // flip one bit
        if (!b.empty()) b[below(b.size())] ^= static_cast<char>(1u << below(8));
        break;
      case 1:  // set one byte
        if (!b.empty()) b[below(b.size())] = static_cast<char>(below(256));
        break;
      case 2:  // insert random bytes
        b.insert(pos(b), Bytes(1 + below(4), static_cast<char>(below(256))));
        break;
      case 3: {  // delete a range
        if (b.empty()) break;
        const size_t p = below(b.size());
        b.erase(p, 1 + below(std::min<size_t>(16, b.size() - p)));
        break;
      }
      case 4: {  // duplicate a range
        if (b.empty()) break;
        const size_t p = below(b.size());
        const size_t len = 1 + below(std::min<size_t>(64, b.size() - p));
        b.insert(pos(b), b.substr(p, len));
        break;
      }
      case 5:  // insert a dictionary token
      case 6:
        if (!dict_.empty()) b.insert(pos(b), dict_[below(dict_.size())]);
        break;
      case 7: {  // replace a number (a run of digits, sign, dot, e) with an interesting one
        std::vector<size_t> starts;
        for (size_t i = 0; i < b.size(); ++i)
          if (std::isdigit(static_cast<unsigned char>(b[i])) &&
              (i == 0 || !std::isdigit(static_cast<unsigned char>(b[i - 1]))))
            starts.push_back(i);
        const Bytes num = kNumbers[below(kNumCount)];
        if (starts.empty()) {
          b.insert(pos(b), num);
          break;
        }
        size_t s = starts[below(starts.size())];
        if (s > 0 && b[s - 1] == '-') --s;
        size_t e = s;
        while (e < b.size() && (std::isdigit(static_cast<unsigned char>(b[e])) || std::strchr("-+.eE", b[e]))) ++e;
        b.replace(s, e - s, num);
        break;
      }
      case 8: {  // splice: a prefix of b and a suffix of another input
        if (pool.empty()) break;
        const Bytes& o = pool[below(pool.size())];
        b = b.substr(0, pos(b)) + o.substr(below(o.size() + 1));
        break;
      }
      case 9:  // truncate
        b.resize(pos(b));
        break;
      default: {  // insert a structural character
        static const char kChars[] = "{}[]:,\"\\/*\n=. -+eE0";
        b.insert(pos(b), 1, kChars[below(sizeof kChars - 1)]);
        break;
      }
    }
  }

  std::mt19937_64 rng_;
  std::vector<Bytes> dict_;
  size_t max_len_;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t runs = 10000, seed = 1;
  size_t max_len = 4096;
  std::string dict_path, artifact_prefix;
  bool keep_going = false, quiet = false;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&](const char* flag) -> const char* {
      const size_t n = std::strlen(flag);
      return a.compare(0, n, flag) == 0 ? a.c_str() + n : nullptr;
    };
    if (const char* v = val("-runs="))
      runs = std::strtoull(v, nullptr, 10);
    else if (const char* v2 = val("-seed="))
      seed = std::strtoull(v2, nullptr, 10);
    else if (const char* v3 = val("-dict="))
      dict_path = v3;
    else if (const char* v4 = val("-max_len="))
      max_len = std::strtoull(v4, nullptr, 10);
    else if (const char* v5 = val("-artifact_prefix="))
      artifact_prefix = v5;
    else if (a == "-keep_going")
      keep_going = true;
    else if (a == "-quiet")
      quiet = true;
    else if (a == "-h" || a == "-help" || a == "--help") {
      std::printf(
          "usage: %s [-runs=N] [-seed=S] [-dict=FILE] [-max_len=N] [-artifact_prefix=P] [-keep_going] [-quiet] "
          "CORPUS_DIR_OR_FILE...\n",
          argv[0]);
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "fuzz_config_driver: unknown flag %s\n", a.c_str());
      return 2;
    } else {
      inputs.push_back(a);
    }
  }
  std::snprintf(g_crash_path, sizeof g_crash_path, "%scrash-driver-%d", artifact_prefix.c_str(),
                static_cast<int>(::getpid()));
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_fatal_signal);
  g_default_terminate = std::set_terminate(on_terminate);

  // Seeds.
  std::vector<Bytes> seeds;
  for (const auto& in : inputs) {
    std::vector<fs::path> files;
    if (fs::is_directory(in)) {
      for (const auto& e : fs::directory_iterator(in))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());  // deterministic order
    } else if (fs::is_regular_file(in)) {
      files.push_back(in);
    } else {
      std::fprintf(stderr, "fuzz_config_driver: no such file or directory: %s\n", in.c_str());
      return 2;
    }
    for (const auto& f : files) {
      std::ifstream s(f, std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(s), std::istreambuf_iterator<char>());
      if (seeds.back().size() > max_len) seeds.back().resize(max_len);
    }
  }
  if (seeds.empty()) seeds.push_back("{}");
  Mutator mut(seed, dict_path.empty() ? std::vector<Bytes>{} : read_dict(dict_path), max_len);

  std::map<std::string, Bytes> crashes;  // -keep_going: distinct exception -> first input
  auto run_one = [&](const Bytes& b) {
    g_cur = b.data();
    g_cur_len = b.size();
    if (!keep_going) {
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(b.data()), b.size());
    } else {
      std::string what;
      try {
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(b.data()), b.size());
      } catch (const std::exception& e) {
        what = std::string(typeid(e).name()) + ": " + e.what();
      } catch (...) {
        what = "unknown exception";
      }
      if (!what.empty() && !crashes.count(crash_kind(what))) {
        crashes[crash_kind(what)] = b;
        const std::string path = artifact_prefix + "crash-driver-" + std::to_string(crashes.size());
        std::ofstream(path, std::ios::binary) << b;
        std::fprintf(stderr, "fuzz_config_driver: uncaught exception %s\n  input (%zu bytes, saved in %s): %s\n",
                     what.c_str(), b.size(), path.c_str(), printable(b).c_str());
      }
    }
    g_cur = nullptr;
  };

  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& s : seeds) run_one(s);
  std::vector<Bytes> pool = seeds;  // seeds plus inputs accepted as configs (bounded)
  auto n_accepted = [] { return fuzz_stats().accepted + fuzz_stats().overrides_accepted; };
  uint64_t last_accepted = n_accepted();
  for (uint64_t i = 0; i < runs; ++i) {
    // Half the time a seed, so that every seed's shape (JSON, override lines) stays in play.
    const Bytes& base = mut.pick(2) ? seeds[mut.pick(seeds.size())] : pool[mut.pick(pool.size())];
    const Bytes b = mut.mutate(base, pool);
    run_one(b);
    if (n_accepted() != last_accepted) {
      last_accepted = n_accepted();
      if (pool.size() < 4096) pool.push_back(b);
    }
    if (!quiet && (i + 1) % 20000 == 0)
      std::fprintf(stderr, "fuzz_config_driver: %llu inputs\n", static_cast<unsigned long long>(i + 1));
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const FuzzStats& st = fuzz_stats();
  std::printf(
      "fuzz_config_driver: %llu inputs (%zu seeds) in %.1f s: %llu JSON values, %llu accepted, %llu rejected, "
      "%llu accepted as overrides, %llu accepted as files, %llu model indexes and %llu .npy arrays "
      "accepted, %zu crashes\n",
      static_cast<unsigned long long>(st.inputs), seeds.size(), secs, static_cast<unsigned long long>(st.json_values),
      static_cast<unsigned long long>(st.accepted), static_cast<unsigned long long>(st.rejected),
      static_cast<unsigned long long>(st.overrides_accepted), static_cast<unsigned long long>(st.file_accepted),
      static_cast<unsigned long long>(st.model_index_accepted), static_cast<unsigned long long>(st.npy_accepted),
      crashes.size());
  return crashes.empty() ? 0 : 1;
}
