// A small interpreter of the pickle opcodes that torch.save emits (protocols 0-5), which builds a
// tree of plain values and never runs code: each global is looked up in an allow-list (what
// torch.load(weights_only=True) accepts, plus the numpy scalars and argparse namespaces that
// training scripts put next to their weights) and anything else is refused with its name. Every
// read, memo index and stack access is bounds-checked, so damaged input is an error, never a crash.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace heardmap {

// Thrown for malformed or refused pickles; the message names the opcode, offset or global.
class PickleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using PickleId = uint32_t;

struct PickleValue {
  enum class Kind {
    None,
    Bool,
    Int,  // integer; bigInt holds the little-endian bytes when it does not fit 64 bits
    Float,
    String,   // text
    Bytes,    // text holds the bytes
    List,     // items
    Tuple,    // items
    Set,      // items
    Dict,     // items: key0, value0, key1, value1, ... in insertion order; state: attributes
    Global,   // text: "module.name"
    Object,   // text: class name; items: constructor arguments; state: what BUILD set
    Storage,  // text: storage type ("FloatStorage"); key: record name; integer: element count
    Tensor,   // items[0]: the storage; offset, sizes, strides in elements
  };
  Kind kind = Kind::None;
  int64_t integer = 0;
  double real = 0.0;
  bool bigInt = false;
  bool parameter = false;  // Tensor: rebuilt as torch.nn.Parameter
  std::string text;
  std::string key;
  std::vector<PickleId> items;
  PickleId state = 0;  // 0: none (id 0 is always the None value)
  int64_t offset = 0;
  std::vector<int64_t> sizes;
  std::vector<int64_t> strides;
};

class Unpickler {
 public:
  // Turns a persistent id (the tuple torch writes for each storage) into a value.
  using PersistentLoad = std::function<PickleId(Unpickler&, PickleId pid)>;

  Unpickler(std::string_view bytes, PersistentLoad persistentLoad);

  // Runs one pickle from the current position to its STOP and returns its value. Can be called
  // again for the next pickle of a stream (the legacy format holds several). Throws PickleError.
  PickleId run();
  // Byte offset just after the last STOP.
  size_t position() const { return position_; }

  const PickleValue& at(PickleId id) const;
  PickleId add(PickleValue value);
  // The value of key in a Dict (string keys), or 0 when absent.
  PickleId lookup(PickleId dict, std::string_view key) const;
  // Short description of a value for messages, e.g. "a tuple of 5", "the string 'storage'".
  std::string describe(PickleId id) const;

 private:
  struct Machine;
  std::string_view bytes_;
  PersistentLoad persistentLoad_;
  std::vector<PickleValue> values_;
  size_t position_ = 0;

  friend struct Machine;
};

}  // namespace heardmap
