#include "Json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include <nlohmann/json.hpp>

namespace heardmap {
namespace {

// Deeper nesting is rejected so that hostile headers cannot exhaust the stack.
constexpr int kMaxDepth = 64;
// Numbers that are whole and below this magnitude are written as integers ("3", not "3.0").
constexpr double kLargestWrittenInteger = 1e15;

using Library = nlohmann::json;

// nlohmann-json's messages start with "[json.exception.parse_error.101] parse error at line 1,
// column 5: "; the byte offset is reported by the caller instead, so only the reason is kept.
std::string reasonOf(const std::string& libraryMessage) {
  std::string reason = libraryMessage;
  const size_t tag = reason.find("] ");
  if (reason.rfind("[json.exception", 0) == 0 && tag != std::string::npos) {
    reason = reason.substr(tag + 2);
  }
  const size_t where = reason.find(": ");
  if (reason.rfind("parse error", 0) == 0 && where != std::string::npos) {
    reason = reason.substr(where + 2);
  }
  if (reason.find("ill-formed UTF-8") != std::string::npos) {
    return "invalid UTF-8 in string";
  }
  return reason;
}

// Builds a Json value from nlohmann-json's SAX events. The library does the lexing (UTF-8,
// escapes, surrogate pairs, numbers); this keeps the limits a hostile file must not pass: the
// nesting depth and duplicate keys.
class DomBuilder : public nlohmann::json_sax<Library> {
 public:
  Json takeRoot() { return std::move(root_); }
  const std::string& error() const { return error_; }

  bool null() override { return put(Json()); }
  bool boolean(bool value) override { return put(Json(value)); }
  bool number_integer(number_integer_t value) override {
    return put(Json(static_cast<int64_t>(value)));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return put(Json(static_cast<uint64_t>(value)));
  }
  bool number_float(number_float_t value, const string_t&) override { return put(Json(value)); }
  bool string(string_t& value) override { return put(Json(std::move(value))); }
  bool binary(binary_t&) override { return refuse("binary values are not JSON"); }

  bool start_object(std::size_t) override { return open(Json(Json::Object{})); }
  bool key(string_t& key) override {
    Json::Object& object = stack_.back()->asObject();
    if (object.count(key) != 0) {
      return refuse("duplicate key \"" + key + "\"");
    }
    pendingKey_ = std::move(key);
    valueOfKey_ = true;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(Json(Json::Array{})); }
  bool end_array() override { return close(); }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    error_ = reasonOf(error.what());
    // A bad value (a number that overflows a double, say) is named by its key, so that a reader
    // of a checkpoint or an annotation file learns which field is wrong.
    if (valueOfKey_) {
      error_ += " (the value of '" + pendingKey_ + "')";
    } else if (!stack_.empty() && stack_.back()->isArray() && !keyOfContainer_.back().empty()) {
      error_ += " (an item of '" + keyOfContainer_.back() + "')";
    }
    errorAt_ = position;
    return false;
  }
  // The byte at which the text went wrong (the library counts from 1 past the bad byte).
  size_t errorAt() const { return errorAt_; }

 private:
  bool refuse(const std::string& what) {
    error_ = what;
    return false;
  }
  // Places a finished value in its container (or as the root) and returns where it lies.
  Json* place(Json value) {
    valueOfKey_ = false;
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& container = *stack_.back();
    if (container.isArray()) {
      container.asArray().push_back(std::move(value));
      return &container.asArray().back();
    }
    Json& slot = container.asObject()[pendingKey_];
    slot = std::move(value);
    return &slot;
  }
  bool put(Json value) {
    place(std::move(value));
    return true;
  }
  bool open(Json container) {
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      return refuse("nesting too deep");
    }
    const bool inObject = !stack_.empty() && stack_.back()->isObject();
    keyOfContainer_.push_back(inObject ? pendingKey_ : std::string());
    stack_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    keyOfContainer_.pop_back();
    return true;
  }

  Json root_;
  std::vector<Json*> stack_;
  std::vector<std::string> keyOfContainer_;  // per open container, the key it sits under
  std::string pendingKey_;
  bool valueOfKey_ = false;  // the last event was a key: what comes next is its value
  std::string error_;
  size_t errorAt_ = 0;
};

Library toLibrary(const Json& value) {
  switch (value.type()) {
    case Json::Type::Null:
      return nullptr;
    case Json::Type::Bool:
      return value.asBool();
    case Json::Type::Number: {
      const double n = value.asNumber();
      if (!std::isfinite(n)) {
        return nullptr;  // JSON has no NaN or infinity
      }
      if (n == std::floor(n) && std::fabs(n) < kLargestWrittenInteger) {
        return static_cast<int64_t>(n);
      }
      return n;
    }
    case Json::Type::String:
      return value.asString();
    case Json::Type::Array: {
      Library out = Library::array();
      for (const Json& item : value.asArray()) {
        out.push_back(toLibrary(item));
      }
      return out;
    }
    case Json::Type::Object: {
      Library out = Library::object();
      for (const auto& [key, item] : value.asObject()) {
        out[key] = toLibrary(item);
      }
      return out;
    }
  }
  return nullptr;
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
  DomBuilder builder;
  if (!Library::sax_parse(text, &builder, nlohmann::detail::input_format_t::json, true)) {
    // A refusal of ours (depth, duplicate key) has no library position; the text is then
    // reported without one, as the reason names what was wrong.
    std::string message = "JSON: " + (builder.error().empty() ? "malformed" : builder.error());
    if (builder.errorAt() > 0) {
      message += " at byte " + std::to_string(builder.errorAt() - 1);
    }
    throw JsonError(message);
  }
  return builder.takeRoot();
}

std::string Json::dump(int indentSpaces) const {
  // Bytes that are not UTF-8 become U+FFFD, so the output always parses.
  return toLibrary(*this).dump(indentSpaces > 0 ? indentSpaces : -1, ' ', false,
                               Library::error_handler_t::replace);
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
