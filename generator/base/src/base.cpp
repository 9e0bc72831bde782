// sharp_base: the content hash, whole-file text I/O and the child-process runner (see the
// headers in include/sharp/).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sharp/error.hpp"
#include "sharp/hash.hpp"
#include "sharp/manifest.hpp"
#include "sharp/process.hpp"
#include "sharp/text_file.hpp"

extern char** environ;

namespace sharp {

namespace fs = std::filesystem;

namespace {
constexpr uint64_t kFnvOffset = 1469598103934665603ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t fnv1a(uint64_t h, const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= kFnvPrime;
  }
  return h;
}
}  // namespace

std::string content_hash(std::string_view bytes) {
  return fmt::format("{:016x}", fnv1a(kFnvOffset, bytes.data(), bytes.size()));
}

std::string file_hash(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read file '{}'", p.string()));
  uint64_t h = kFnvOffset;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    h = fnv1a(h, buf, static_cast<size_t>(in.gcount()));
  }
  return fmt::format("{:016x}", h);
}

std::string read_text(const fs::path& p, const char* what) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {} '{}'", what, p.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(fmt::format("cannot write '{}'", p.string()));
  out << text;
  if (!out) throw Error(fmt::format("cannot write '{}'", p.string()));
}

std::optional<fs::path> find_executable(const std::string& name) {
  if (name.empty()) return std::nullopt;
  auto is_exec = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    if (is_exec(name)) return fs::path(name);
    return std::nullopt;
  }
  const char* env = std::getenv("PATH");
  std::string path = env ? env : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    fs::path cand = fs::path(dir.empty() ? "." : dir) / name;
    if (is_exec(cand)) return cand;
    start = end + 1;
  }
  return std::nullopt;
}

namespace {
// Reads the pipe to its end, splitting lines; a trailing '\r' is dropped.
void read_lines(int fd, ChildResult& res, const std::function<void(const std::string&)>& on_line, size_t keep_lines) {
  auto emit = [&](std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (on_line) on_line(line);
    res.tail.push_back(std::move(line));
    if (res.tail.size() > keep_lines) res.tail.pop_front();
  };
  std::string pending;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (n == 0) break;
    pending.append(buf, static_cast<size_t>(n));
    size_t start = 0, pos;
    while ((pos = pending.find('\n', start)) != std::string::npos) {
      emit(pending.substr(start, pos - start));
      start = pos + 1;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) emit(pending);
}
}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, const std::function<void(const std::string&)>& on_line,
                      size_t keep_lines, const fs::path& cwd) {
  if (argv.empty()) throw Error("run_child: no program given");
  std::string exe = argv[0];
  if (exe.find('/') == std::string::npos) {
    auto found = find_executable(exe);
    if (!found) throw Error(fmt::format("cannot start '{}': not found on PATH", exe));
    exe = found->string();
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(fmt::format("pipe() failed: {}", std::strerror(errno)));

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());

  std::vector<char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);

  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    throw Error(fmt::format("cannot start '{}': {}", exe, std::strerror(rc)));
  }
  ChildResult res;
  read_lines(fds[0], res, on_line, keep_lines);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(fmt::format("waitpid failed: {}", std::strerror(errno)));
  }
  if (WIFEXITED(status))
    res.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    res.signal = WTERMSIG(status);
  return res;
}

Manifest read_manifest(const fs::path& design_dir) {
  const fs::path mf = design_dir / "manifest.json";
  std::error_code ec;
  if (!fs::is_regular_file(mf, ec))
    throw Error(fmt::format("design: field '--design': '{}' has no manifest.json (generate it with sharpgen generate)",
                            design_dir.string()));
  Manifest m;
  try {
    m = nlohmann::json::parse(read_text(mf, "manifest")).get<Manifest>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("design: '{}' is not a valid manifest: {}", mf.string(), e.what()));
  }
  if (m.schema != kManifestSchema)
    throw Error(
        fmt::format("design: '{}': field 'schema': value {} is not allowed (this sharpgen reads schema {}; "
                    "generate the design again)",
                    mf.string(), m.schema, kManifestSchema));
  if (m.top.empty()) throw Error(fmt::format("design: '{}': field 'top' is missing", mf.string()));
  return m;
}

}  // namespace sharp
