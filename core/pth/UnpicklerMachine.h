// The pickle interpreter's machine for one run (stack, marks, memo, read position) and its
// bounds-checked reads: internal to Unpickler.cpp, apart so that the opcode loop reads alone.
#pragma once

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "PickleGlobals.h"
#include "Unpickler.h"
#include "core/Utf8.h"

namespace heardmap {
namespace pickle_detail {

using Kind = PickleValue::Kind;

inline std::string hexByte(unsigned char c) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

inline int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

}  // namespace pickle_detail

// The state of one run: stack, marks, memo and the read position.
struct Unpickler::Machine {
  using Kind = PickleValue::Kind;
  Unpickler& u;
  size_t pos;
  std::vector<PickleId> stack;
  std::vector<size_t> marks;
  std::unordered_map<uint64_t, PickleId> memo;

  Machine(Unpickler& owner, size_t start) : u(owner), pos(start) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw PickleError("pickle at byte " + std::to_string(pos) + ": " + what);
  }

  std::string_view take(uint64_t count) {
    if (pos > u.bytes_.size() || count > u.bytes_.size() - pos) {
      fail("truncated (needs " + std::to_string(count) + " more bytes, the data ends first)");
    }
    const std::string_view out = u.bytes_.substr(pos, count);
    pos += count;
    return out;
  }
  uint64_t le(int byteCount) {
    const std::string_view b = take(static_cast<uint64_t>(byteCount));
    uint64_t value = 0;
    for (int i = 0; i < byteCount; ++i) {
      value |= static_cast<uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
    }
    return value;
  }
  std::string_view line() {
    const size_t end = u.bytes_.find('\n', pos);
    if (end == std::string_view::npos) {
      fail("truncated (a text argument has no end of line)");
    }
    const std::string_view out = u.bytes_.substr(pos, end - pos);
    pos = end + 1;
    return out;
  }
  uint64_t checkedLength(uint64_t length) {
    if (length > u.bytes_.size() - std::min(pos, u.bytes_.size())) {
      fail("a length of " + std::to_string(length) + " runs past the end of the data");
    }
    return length;
  }

  PickleId push(PickleValue value) {
    const PickleId id = u.add(std::move(value));
    stack.push_back(id);
    return id;
  }
  PickleId pop() {
    if (stack.empty() || (!marks.empty() && stack.size() <= marks.back())) {
      fail("stack underflow");
    }
    const PickleId id = stack.back();
    stack.pop_back();
    return id;
  }
  PickleId top() const {
    if (stack.empty() || (!marks.empty() && stack.size() <= marks.back())) {
      fail("stack underflow");
    }
    return stack.back();
  }
  std::vector<PickleId> popMark() {
    if (marks.empty()) {
      fail("no MARK on the stack");
    }
    const size_t mark = marks.back();
    marks.pop_back();
    std::vector<PickleId> items(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
    stack.resize(mark);
    return items;
  }
  PickleValue& value(PickleId id) { return u.values_[id]; }

  PickleId makeInt(int64_t v) {
    PickleValue out;
    out.kind = Kind::Int;
    out.integer = v;
    return push(std::move(out));
  }
  // Little-endian two's complement of any length (LONG1, LONG4).
  PickleId makeLong(std::string_view b) {
    PickleValue out;
    out.kind = Kind::Int;
    if (b.size() > 8) {
      out.bigInt = true;
      out.text = std::string(b);
      return push(std::move(out));
    }
    uint64_t v = 0;
    for (size_t i = 0; i < b.size(); ++i) {
      v |= static_cast<uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
    }
    if (!b.empty() && b.size() < 8 && (static_cast<unsigned char>(b.back()) & 0x80)) {
      v |= ~uint64_t{0} << (8 * b.size());  // sign-extend
    }
    out.integer = static_cast<int64_t>(v);
    return push(std::move(out));
  }
  PickleId makeText(Kind kind, std::string_view text) {
    PickleValue out;
    out.kind = kind;
    out.text = std::string(text);
    return push(std::move(out));
  }
  PickleId makeContainer(Kind kind, std::vector<PickleId> items) {
    PickleValue out;
    out.kind = kind;
    out.items = std::move(items);
    return push(std::move(out));
  }
  void memoPut(uint64_t index) { memo[index] = top(); }
  void memoGet(uint64_t index) {
    const auto it = memo.find(index);
    if (it == memo.end()) {
      fail("memo entry " + std::to_string(index) + " was never stored");
    }
    stack.push_back(it->second);
  }
  PickleId require(PickleId id, Kind kind, const char* what) {
    if (value(id).kind != kind) {
      fail(std::string(what) + ", got " + u.describe(id));
    }
    return id;
  }
  void appendTo(PickleId list, const std::vector<PickleId>& items) {
    const Kind kind = value(list).kind;
    if (kind != Kind::List && kind != Kind::Set) {
      fail("APPEND to " + u.describe(list));
    }
    auto& target = value(list).items;
    target.insert(target.end(), items.begin(), items.end());
  }
  // Python dicts keep the last value of a repeated key; lookups and readers take the last one.
  void setItems(PickleId dict, const std::vector<PickleId>& pairs) {
    if (value(dict).kind != Kind::Dict) {
      fail("SETITEM on " + u.describe(dict));
    }
    if (pairs.size() % 2 != 0) {
      fail("SETITEMS with an odd number of values");
    }
    auto& items = value(dict).items;
    items.insert(items.end(), pairs.begin(), pairs.end());
  }
  void pushGlobal(std::string module, std::string name) {
    const std::string qualified = normalizeGlobal(module + "." + name);
    if (!isAllowedGlobal(qualified)) {
      fail("refuses the global '" + qualified +
           "': a .pth file is read as data, and only the globals that torch.save writes for "
           "tensors, containers, numbers and numpy scalars are allowed (as "
           "torch.load(weights_only=True)); a file saved with torch.save(model) names the "
           "model's class here: save model.state_dict() instead");
    }
    makeText(Kind::Global, qualified);
  }
  std::string unquote(std::string_view quoted) {
    if (quoted.size() < 2 || (quoted.front() != '\'' && quoted.front() != '"') ||
        quoted.back() != quoted.front()) {
      fail("STRING argument is not quoted");
    }
    std::string out;
    for (size_t i = 1; i + 1 < quoted.size(); ++i) {
      char c = quoted[i];
      if (c == '\\' && i + 2 < quoted.size()) {
        const char e = quoted[++i];
        if (e == 'n')
          c = '\n';
        else if (e == 't')
          c = '\t';
        else if (e == 'r')
          c = '\r';
        else if (e == 'x' && i + 2 < quoted.size() && pickle_detail::hexValue(quoted[i + 1]) >= 0 &&
                 pickle_detail::hexValue(quoted[i + 2]) >= 0) {
          c = static_cast<char>(pickle_detail::hexValue(quoted[i + 1]) * 16 +
                                pickle_detail::hexValue(quoted[i + 2]));
          i += 2;
        } else {
          c = e;
        }
      }
      out += c;
    }
    return out;
  }
  std::string rawUnicodeEscape(std::string_view in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '\\' && i + 5 < in.size() && in[i + 1] == 'u') {
        uint32_t cp = 0;
        bool ok = true;
        for (size_t k = 2; k < 6; ++k) {
          const int h = pickle_detail::hexValue(in[i + k]);
          ok = ok && h >= 0;
          cp = cp * 16 + static_cast<uint32_t>(h < 0 ? 0 : h);
        }
        if (ok) {
          appendUtf8(out, cp);
          i += 5;
          continue;
        }
      }
      appendUtf8(out, static_cast<unsigned char>(in[i]));
    }
    return out;
  }
  int64_t decimal(std::string_view text, const char* what) {
    std::string s(text);
    if (!s.empty() && s.back() == 'L')
      s.pop_back();
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE) {
      fail(std::string(what) + " '" + s + "' is not an integer that fits 64 bits");
    }
    return v;
  }
  // Keyword arguments (NEWOBJ_EX) are not used by any allowed global and are dropped.
  void callReduce(PickleId callable, PickleId args) {
    require(callable, Kind::Global, "REDUCE needs a global to call");
    if (value(args).kind != Kind::Tuple) {
      fail("REDUCE arguments are " + u.describe(args) + ", not a tuple");
    }
    const std::string name = value(callable).text;
    const std::vector<PickleId> argv = value(args).items;
    stack.push_back(applyGlobal(u, name, argv));
  }
};

}  // namespace heardmap
