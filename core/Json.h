// A small JSON value with a strict, bounds-checked parser and a writer. Used for checkpoint
// metadata (safetensors headers, preprocessing contracts) so that core stays free of Qt.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace heardmap {

// Thrown for malformed JSON text or a value of the wrong type.
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Json {
 public:
  enum class Type { Null = 1, Bool, Number, String, Array, Object };
  using Array = std::vector<Json>;
  using Object = std::map<std::string, Json>;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool value);
  Json(double value);
  Json(int value) : Json(static_cast<double>(value)) {}
  Json(int64_t value) : Json(static_cast<double>(value)) {}
  Json(uint64_t value) : Json(static_cast<double>(value)) {}
  Json(const char* value);
  Json(std::string value);
  Json(Array value);
  Json(Object value);

  // Parses text; throws JsonError with the byte offset on any syntax error or nesting deeper
  // than 64.
  static Json parse(const std::string& text);
  // Compact serialization (indentSpaces > 0 gives pretty output).
  std::string dump(int indentSpaces = 0) const;

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::Null; }
  bool isObject() const { return type_ == Type::Object; }
  bool isArray() const { return type_ == Type::Array; }
  bool isString() const { return type_ == Type::String; }
  bool isNumber() const { return type_ == Type::Number; }

  bool asBool() const;
  double asNumber() const;
  int64_t asInt() const;  // throws unless the number is integral and fits
  const std::string& asString() const;
  const Array& asArray() const;
  const Object& asObject() const;
  Array& asArray();
  Object& asObject();

  bool contains(const std::string& key) const;
  // Member access on objects; throws JsonError naming the key when absent.
  const Json& at(const std::string& key) const;
  // Inserts (turning a null into an object) and returns the member.
  Json& operator[](const std::string& key);

  // Convenience getters with defaults for optional members.
  double numberOr(const std::string& key, double fallback) const;
  // The integer at key within [low, high] (intOr: fallback when key is absent); throws JsonError
  // naming the key for a missing value, a fraction, or one out of range.
  int64_t intAt(const std::string& key, int64_t low, int64_t high) const;
  int64_t intOr(const std::string& key, int64_t fallback, int64_t low, int64_t high) const;
  // The finite number at key (finiteOr: fallback when absent); throws JsonError naming the key.
  double finiteAt(const std::string& key) const;
  double finiteOr(const std::string& key, double fallback) const;
  std::string stringOr(const std::string& key, const std::string& fallback) const;
  bool boolOr(const std::string& key, bool fallback) const;

 private:
  Type type_ = Type::Null;
  bool bool_ = false;
  double number_ = 0.0;
  std::string string_;
  std::shared_ptr<Array> array_;
  std::shared_ptr<Object> object_;
};

}  // namespace heardmap
