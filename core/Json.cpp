#include "Json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "Utf8.h"

namespace heardmap {
namespace {

// Deeper nesting is rejected so that hostile headers cannot exhaust the stack.
constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  Json parseDocument() {
    skipSpace();
    Json value = parseValue(0);
    skipSpace();
    if (pos_ != text_.size()) {
      fail("trailing characters");
    }
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw JsonError("JSON: " + what + " at byte " + std::to_string(pos_));
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  char peek() const {
    if (pos_ >= text_.size()) {
      fail("unexpected end");
    }
    return text_[pos_];
  }

  void expectWord(const char* word) {
    for (const char* c = word; *c; ++c) {
      if (pos_ >= text_.size() || text_[pos_] != *c) {
        fail(std::string("expected '") + word + "'");
      }
      ++pos_;
    }
  }

  Json parseValue(int depth) {
    if (depth > kMaxDepth) {
      fail("nesting too deep");
    }
    const char c = peek();
    switch (c) {
      case '{':
        return parseObject(depth);
      case '[':
        return parseArray(depth);
      case '"':
        return Json(parseString());
      case 't':
        expectWord("true");
        return Json(true);
      case 'f':
        expectWord("false");
        return Json(false);
      case 'n':
        expectWord("null");
        return Json();
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return Json(parseNumber());
        }
        fail(std::string("unexpected character '") + c + "'");
    }
  }

  Json parseObject(int depth) {
    ++pos_;  // {
    Json::Object object;
    skipSpace();
    if (peek() == '}') {
      ++pos_;
      return Json(std::move(object));
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        fail("expected a string key");
      }
      std::string key = parseString();
      skipSpace();
      if (peek() != ':') {
        fail("expected ':'");
      }
      ++pos_;
      skipSpace();
      Json value = parseValue(depth + 1);
      if (object.count(key) != 0) {
        fail("duplicate key \"" + key + "\"");
      }
      object.emplace(std::move(key), std::move(value));
      skipSpace();
      const char c = peek();
      ++pos_;
      if (c == '}') {
        return Json(std::move(object));
      }
      if (c != ',') {
        fail("expected ',' or '}'");
      }
    }
  }

  Json parseArray(int depth) {
    ++pos_;  // [
    Json::Array array;
    skipSpace();
    if (peek() == ']') {
      ++pos_;
      return Json(std::move(array));
    }
    while (true) {
      skipSpace();
      array.push_back(parseValue(depth + 1));
      skipSpace();
      const char c = peek();
      ++pos_;
      if (c == ']') {
        return Json(std::move(array));
      }
      if (c != ',') {
        fail("expected ',' or ']'");
      }
    }
  }

  uint32_t parseHex4() {
    if (pos_ + 4 > text_.size()) {
      fail("truncated \\u escape");
    }
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        fail("bad hex digit in \\u escape");
      }
    }
    return value;
  }

  std::string parseString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) {
        fail("unterminated string");
      }
      const char c = text_[pos_++];
      if (c == '"') {
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        fail("control character in string");
      }
      if (static_cast<unsigned char>(c) >= 0x80) {
        // JSON text is UTF-8 (RFC 8259 section 8.1): a malformed sequence is an error, not data
        // that the writer would later have to replace (which could merge two distinct keys).
        const size_t length = utf8SequenceLength(text_, pos_ - 1);
        if (length == 0) {
          --pos_;
          fail("invalid UTF-8 in string");
        }
        out.append(text_, pos_ - 1, length);
        pos_ += length - 1;
        continue;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) {
        fail("unterminated escape");
      }
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t codepoint = parseHex4();
          if (codepoint >= 0xD800 && codepoint <= 0xDBFF) {
            if (pos_ + 2 <= text_.size() && text_[pos_] == '\\' && text_[pos_ + 1] == 'u') {
              pos_ += 2;
              const uint32_t low = parseHex4();
              if (low < 0xDC00 || low > 0xDFFF) {
                fail("bad surrogate pair");
              }
              codepoint = 0x10000 + ((codepoint - 0xD800) << 10) + (low - 0xDC00);
            } else {
              fail("lone surrogate");
            }
          }
          appendUtf8(out, codepoint);
          break;
        }
        default:
          fail("bad escape");
      }
    }
  }

  double parseNumber() {
    const size_t start = pos_;
    if (text_[pos_] == '-') {
      ++pos_;
    }
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        ++pos_;
      }
      if (pos_ == from) {
        fail("expected digits");
      }
    };
    digits();
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      digits();
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        ++pos_;
      }
      digits();
    }
    const std::string token = text_.substr(start, pos_ - start);
    return std::strtod(token.c_str(), nullptr);
  }

  const std::string& text_;
  size_t pos_ = 0;
};

// Writes s as a JSON string; bytes that are not UTF-8 become U+FFFD, so the output always parses.
void dumpString(std::string& out, const std::string& s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    const size_t length = utf8SequenceLength(s, i);
    if (length == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(s, i, length);
      i += length;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", static_cast<unsigned char>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void dumpValue(std::string& out, const Json& value, int indent, int level) {
  const auto newline = [&](int lvl) {
    if (indent > 0) {
      out += '\n';
      out.append(static_cast<size_t>(indent * lvl), ' ');
    }
  };
  switch (value.type()) {
    case Json::Type::Null:
      out += "null";
      break;
    case Json::Type::Bool:
      out += value.asBool() ? "true" : "false";
      break;
    case Json::Type::Number: {
      const double n = value.asNumber();
      if (!std::isfinite(n)) {
        out += "null";
      } else if (n == std::floor(n) && std::fabs(n) < 1e15) {
        out += std::to_string(static_cast<int64_t>(n));
      } else {
        char buffer[32];
        std::snprintf(buffer, sizeof(buffer), "%.17g", n);
        out += buffer;
      }
      break;
    }
    case Json::Type::String:
      dumpString(out, value.asString());
      break;
    case Json::Type::Array: {
      out += '[';
      bool first = true;
      for (const Json& item : value.asArray()) {
        if (!first) {
          out += ',';
        }
        first = false;
        newline(level + 1);
        dumpValue(out, item, indent, level + 1);
      }
      if (!value.asArray().empty()) {
        newline(level);
      }
      out += ']';
      break;
    }
    case Json::Type::Object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.asObject()) {
        if (!first) {
          out += ',';
        }
        first = false;
        newline(level + 1);
        dumpString(out, key);
        out += indent > 0 ? ": " : ":";
        dumpValue(out, item, indent, level + 1);
      }
      if (!value.asObject().empty()) {
        newline(level);
      }
      out += '}';
      break;
    }
  }
}

const char* typeName(Json::Type type) {
  switch (type) {
    case Json::Type::Null:
      return "null";
    case Json::Type::Bool:
      return "bool";
    case Json::Type::Number:
      return "number";
    case Json::Type::String:
      return "string";
    case Json::Type::Array:
      return "array";
    case Json::Type::Object:
      return "object";
  }
  return "?";
}

[[noreturn]] void wrongType(const char* wanted, Json::Type got) {
  throw JsonError(std::string("JSON: expected ") + wanted + ", got " + typeName(got));
}

}  // namespace

Json::Json(bool value) : type_(Type::Bool), bool_(value) {}
Json::Json(double value) : type_(Type::Number), number_(value) {}
Json::Json(const char* value) : type_(Type::String), string_(value) {}
Json::Json(std::string value) : type_(Type::String), string_(std::move(value)) {}
Json::Json(Array value) : type_(Type::Array), array_(std::make_shared<Array>(std::move(value))) {}
Json::Json(Object value)
    : type_(Type::Object), object_(std::make_shared<Object>(std::move(value))) {}

Json Json::parse(const std::string& text) {
  return Parser(text).parseDocument();
}

std::string Json::dump(int indentSpaces) const {
  std::string out;
  dumpValue(out, *this, indentSpaces, 0);
  return out;
}

bool Json::asBool() const {
  if (type_ != Type::Bool) {
    wrongType("bool", type_);
  }
  return bool_;
}

double Json::asNumber() const {
  if (type_ != Type::Number) {
    wrongType("number", type_);
  }
  return number_;
}

int64_t Json::asInt() const {
  const double n = asNumber();
  if (n != std::floor(n) || std::fabs(n) > 9.007199254740992e15) {
    throw JsonError("JSON: expected an integer, got " + std::to_string(n));
  }
  return static_cast<int64_t>(n);
}

const std::string& Json::asString() const {
  if (type_ != Type::String) {
    wrongType("string", type_);
  }
  return string_;
}

const Json::Array& Json::asArray() const {
  if (type_ != Type::Array) {
    wrongType("array", type_);
  }
  return *array_;
}

Json::Array& Json::asArray() {
  if (type_ != Type::Array) {
    wrongType("array", type_);
  }
  if (array_.use_count() > 1) {
    array_ = std::make_shared<Array>(*array_);
  }
  return *array_;
}

const Json::Object& Json::asObject() const {
  if (type_ != Type::Object) {
    wrongType("object", type_);
  }
  return *object_;
}

Json::Object& Json::asObject() {
  if (type_ != Type::Object) {
    wrongType("object", type_);
  }
  if (object_.use_count() > 1) {
    object_ = std::make_shared<Object>(*object_);
  }
  return *object_;
}

bool Json::contains(const std::string& key) const {
  return type_ == Type::Object && object_->count(key) != 0;
}

const Json& Json::at(const std::string& key) const {
  const Object& object = asObject();
  const auto it = object.find(key);
  if (it == object.end()) {
    throw JsonError("JSON: missing key \"" + key + "\"");
  }
  return it->second;
}

Json& Json::operator[](const std::string& key) {
  if (type_ == Type::Null) {
    *this = Json(Object{});
  }
  return asObject()[key];
}

int64_t Json::intAt(const std::string& key, int64_t low, int64_t high) const {
  const double n = at(key).asNumber();
  if (!std::isfinite(n) || n != std::floor(n) || n < static_cast<double>(low) ||
      n > static_cast<double>(high)) {
    throw JsonError("'" + key + "' must be an integer in [" + std::to_string(low) + ", " +
                    std::to_string(high) + "], not " + at(key).dump());
  }
  return static_cast<int64_t>(n);
}

int64_t Json::intOr(const std::string& key, int64_t fallback, int64_t low, int64_t high) const {
  return contains(key) ? intAt(key, low, high) : fallback;
}

double Json::finiteAt(const std::string& key) const {
  const double n = at(key).asNumber();
  if (!std::isfinite(n)) {
    throw JsonError("'" + key + "' must be a finite number, not " + at(key).dump());
  }
  return n;
}

double Json::finiteOr(const std::string& key, double fallback) const {
  return contains(key) ? finiteAt(key) : fallback;
}

double Json::numberOr(const std::string& key, double fallback) const {
  return contains(key) ? at(key).asNumber() : fallback;
}

std::string Json::stringOr(const std::string& key, const std::string& fallback) const {
  return contains(key) ? at(key).asString() : fallback;
}

bool Json::boolOr(const std::string& key, bool fallback) const {
  return contains(key) ? at(key).asBool() : fallback;
}

}  // namespace heardmap
