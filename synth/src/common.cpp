// Helpers shared by synth.cpp and sta.cpp (see common.hpp).
#include "common.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sharp/synth.hpp"

extern char** environ;

namespace sharp::synth::detail {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void fail(const char* tool, const std::string& msg) { throw SynthError(fmt::format("{}: {}", tool, msg)); }
}  // namespace

// --- Liberty reader (enough of the format for groups, attributes and their values) -------------

namespace {
struct LTok {
  enum Kind { Word, Str, Punct } kind;
  std::string text;
  int line;
};

std::vector<LTok> liberty_tokenize(const std::string& s, const std::string& where, const char* tool) {
  std::vector<LTok> toks;
  int line = 1;
  size_t i = 0, n = s.size();
  auto is_punct = [](char c) {
    return c == '(' || c == ')' || c == '{' || c == '}' || c == ':' || c == ';' || c == ',';
  };
  while (i < n) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
      // line continuation
      ++i;
      if (s[i] == '\r') ++i;
      if (i < n && s[i] == '\n') {
        ++i;
        ++line;
      }
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t e = s.find("*/", i + 2);
      if (e == std::string::npos) fail(tool, fmt::format("{}: unterminated comment", where));
      line += static_cast<int>(std::count(s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(e), '\n'));
      i = e + 2;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '"') {
      std::string str;
      int l0 = line;
      ++i;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
          ++i;
          if (s[i] == '\r') ++i;
          if (i < n && s[i] == '\n') {
            ++i;
            ++line;
          }
          continue;
        }
        if (s[i] == '\n') ++line;
        str += s[i++];
      }
      if (i >= n) fail(tool, fmt::format("{}: line {}: unterminated string", where, l0));
      ++i;
      toks.push_back({LTok::Str, str, l0});
    } else if (is_punct(c)) {
      toks.push_back({LTok::Punct, std::string(1, c), line});
      ++i;
    } else {
      std::string w;
      while (i < n && !std::isspace(static_cast<unsigned char>(s[i])) && !is_punct(s[i]) && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) break;
        w += s[i++];
      }
      toks.push_back({LTok::Word, w, line});
    }
  }
  return toks;
}

class LibertyParser {
 public:
  LibertyParser(std::vector<LTok> toks, std::string where, const char* tool)
      : toks_(std::move(toks)), where_(std::move(where)), tool_(tool) {}

  LGroup parse_file() {
    LGroup root;
    parse_body(root, /*top=*/true);
    return root;
  }

 private:
  std::vector<LTok> toks_;
  std::string where_;
  const char* tool_;
  size_t p_ = 0;

  [[noreturn]] void error(const std::string& msg) {
    int line = p_ < toks_.size() ? toks_[p_].line : (toks_.empty() ? 0 : toks_.back().line);
    fail(tool_, fmt::format("cannot parse liberty {}: line {}: {}", where_, line, msg));
  }
  bool at_punct(char c) const { return p_ < toks_.size() && toks_[p_].kind == LTok::Punct && toks_[p_].text[0] == c; }

  void parse_body(LGroup& g, bool top) {
    while (p_ < toks_.size()) {
      if (at_punct('}')) {
        if (top) error("unexpected '}'");
        ++p_;
        return;
      }
      if (at_punct(';')) {
        ++p_;
        continue;
      }
      if (toks_[p_].kind == LTok::Punct) error("unexpected '" + toks_[p_].text + "'");
      std::string name = toks_[p_].text;
      ++p_;
      if (at_punct(':')) {
        ++p_;
        int line = p_ < toks_.size() ? toks_[p_].line : 0;
        std::string value;
        while (p_ < toks_.size() && !at_punct(';') && !at_punct('}') && toks_[p_].line == line) {
          if (!value.empty()) value += ' ';
          value += toks_[p_].text;
          ++p_;
        }
        if (at_punct(';')) ++p_;
        g.attrs.emplace_back(name, value);
      } else if (at_punct('(')) {
        ++p_;
        std::vector<std::string> args;
        std::string cur;
        bool have = false;
        while (p_ < toks_.size() && !at_punct(')')) {
          if (at_punct(',')) {
            args.push_back(cur);
            cur.clear();
            have = false;
          } else {
            if (have) cur += ' ';
            cur += toks_[p_].text;
            have = true;
          }
          ++p_;
        }
        if (p_ >= toks_.size()) error("missing ')'");
        ++p_;
        if (have || !args.empty()) args.push_back(cur);
        if (at_punct('{')) {
          ++p_;
          LGroup child;
          child.name = name;
          child.args = std::move(args);
          parse_body(child, false);
          g.groups.push_back(std::move(child));
        } else {
          if (at_punct(';')) ++p_;
          std::string joined;
          for (size_t k = 0; k < args.size(); ++k) joined += (k ? "," : "") + args[k];
          g.attrs.emplace_back(name, joined);
        }
      } else {
        error("expected ':' or '(' after '" + name + "'");
      }
    }
    if (!top) error("missing '}' at end of file");
  }
};

// Boolean function of a Liberty "function" attribute.
}  // namespace

LGroup parse_liberty(const std::string& text, const std::string& where, const char* tool) {
  return LibertyParser(liberty_tokenize(text, where, tool), where, tool).parse_file();
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

std::string read_text(const fs::path& p, const char* what, const char* tool) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail(tool, fmt::format("cannot read {} '{}'", what, p.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text, const char* tool) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) fail(tool, fmt::format("cannot write '{}'", p.string()));
  out << text;
  if (!out) fail(tool, fmt::format("cannot write '{}'", p.string()));
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

ChildResult run_child(const std::vector<std::string>& argv, const std::function<void(const std::string&)>& on_line,
                      const char* tool, size_t keep_lines) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail(tool, fmt::format("pipe() failed: {}", std::strerror(errno)));

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);

  std::vector<char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    fail(tool, fmt::format("cannot start '{}': {}", argv[0], std::strerror(rc)));
  }

  ChildResult res;
  auto emit = [&](std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (on_line) on_line(line);
    res.tail.push_back(std::move(line));
    if (res.tail.size() > keep_lines) res.tail.pop_front();
  };
  std::string pending;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
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
  ::close(fds[0]);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail(tool, fmt::format("waitpid failed: {}", std::strerror(errno)));
  }
  if (WIFEXITED(status))
    res.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    res.signal = WTERMSIG(status);
  return res;
}

}  // namespace sharp::synth::detail
