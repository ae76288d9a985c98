#include "Unpickler.h"

#include <cmath>
#include <cstring>
#include <utility>

#include "UnpicklerMachine.h"

namespace heardmap {
namespace {

constexpr size_t kMaxValues = 8'000'000;  // values in one file (state dicts need thousands)
constexpr int kHighestProtocol = 5;       // pickle.HIGHEST_PROTOCOL of current Python

using Kind = PickleValue::Kind;
using pickle_detail::hexByte;
using pickle_detail::hexValue;

}  // namespace

Unpickler::Unpickler(std::string_view bytes, PersistentLoad persistentLoad)
    : bytes_(bytes), persistentLoad_(std::move(persistentLoad)) {
  values_.emplace_back();  // id 0: None
}

const PickleValue& Unpickler::at(PickleId id) const {
  if (id >= values_.size()) {
    throw PickleError("pickle value " + std::to_string(id) + " does not exist");
  }
  return values_[id];
}

PickleId Unpickler::add(PickleValue value) {
  if (values_.size() >= kMaxValues) {
    throw PickleError("pickle holds more than " + std::to_string(kMaxValues) +
                      " values; not a checkpoint");
  }
  values_.push_back(std::move(value));
  return static_cast<PickleId>(values_.size() - 1);
}

PickleId Unpickler::lookup(PickleId dict, std::string_view key) const {
  const PickleValue& d = at(dict);
  if (d.kind != Kind::Dict) {
    return 0;
  }
  PickleId found = 0;
  for (size_t i = 0; i + 1 < d.items.size(); i += 2) {
    const PickleValue& k = at(d.items[i]);
    if (k.kind == Kind::String && k.text == key) {
      found = d.items[i + 1];
    }
  }
  return found;
}

std::string Unpickler::describe(PickleId id) const {
  const PickleValue& v = at(id);
  switch (v.kind) {
    case Kind::None:
      return "None";
    case Kind::Bool:
      return v.integer ? "True" : "False";
    case Kind::Int:
      return v.bigInt ? "a big integer" : "the integer " + std::to_string(v.integer);
    case Kind::Float:
      return "a float";
    case Kind::String:
      return "the string '" + v.text.substr(0, 40) + "'";
    case Kind::Bytes:
      return "bytes";
    case Kind::List:
      return "a list of " + std::to_string(v.items.size());
    case Kind::Tuple:
      return "a tuple of " + std::to_string(v.items.size());
    case Kind::Set:
      return "a set";
    case Kind::Dict:
      return "a dict of " + std::to_string(v.items.size() / 2);
    case Kind::Global:
      return "the global " + v.text;
    case Kind::Object:
      return "a " + v.text + " object";
    case Kind::Storage:
      return "a " + v.text;
    case Kind::Tensor:
      return "a tensor";
  }
  return "a value";
}

// Longer than 80 lines: one case per opcode of the pickle protocol, in the order of pickletools.
PickleId Unpickler::run() {
  Machine m(*this, position_);
  for (;;) {
    const unsigned char op = static_cast<unsigned char>(m.take(1)[0]);
    switch (op) {
      case 0x80: {  // PROTO
        const uint64_t protocol = m.le(1);
        if (protocol > kHighestProtocol) {
          m.fail("pickle protocol " + std::to_string(protocol) + " is newer than protocol 5");
        }
        break;
      }
      case 0x95:  // FRAME: a length prefix that changes nothing for an in-memory reader
        m.le(8);
        break;
      case '.': {  // STOP
        const PickleId result = m.pop();
        position_ = m.pos;
        return result;
      }
      case '(':  // MARK
        m.marks.push_back(m.stack.size());
        break;
      case '0':  // POP
        if (!m.marks.empty() && m.stack.size() == m.marks.back()) {
          m.marks.pop_back();  // pops a bare MARK, as CPython does
        } else {
          m.pop();
        }
        break;
      case '1':  // POP_MARK
        m.popMark();
        break;
      case '2':  // DUP
        m.stack.push_back(m.top());
        break;
      case 'N':  // NONE
        m.stack.push_back(0);
        break;
      case 0x88:    // NEWTRUE
      case 0x89: {  // NEWFALSE
        PickleValue b;
        b.kind = Kind::Bool;
        b.integer = op == 0x88;
        m.push(std::move(b));
        break;
      }
      case 'J':  // BININT
        m.makeInt(static_cast<int32_t>(m.le(4)));
        break;
      case 'K':  // BININT1
        m.makeInt(static_cast<int64_t>(m.le(1)));
        break;
      case 'M':  // BININT2
        m.makeInt(static_cast<int64_t>(m.le(2)));
        break;
      case 0x8a:  // LONG1
        m.makeLong(m.take(m.le(1)));
        break;
      case 0x8b:  // LONG4
        m.makeLong(m.take(m.checkedLength(m.le(4))));
        break;
      case 'I': {  // INT (text; "00"/"01" are False/True)
        const std::string_view text = m.line();
        if (text == "00" || text == "01") {
          PickleValue b;
          b.kind = Kind::Bool;
          b.integer = text == "01";
          m.push(std::move(b));
        } else {
          m.makeInt(m.decimal(text, "INT"));
        }
        break;
      }
      case 'L':  // LONG (text)
        m.makeInt(m.decimal(m.line(), "LONG"));
        break;
      case 'G': {  // BINFLOAT (big-endian double)
        const std::string_view b = m.take(8);
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) {
          bits = (bits << 8) | static_cast<unsigned char>(b[static_cast<size_t>(i)]);
        }
        PickleValue f;
        f.kind = Kind::Float;
        std::memcpy(&f.real, &bits, sizeof bits);
        m.push(std::move(f));
        break;
      }
      case 'F': {  // FLOAT (text)
        const std::string text(m.line());
        char* end = nullptr;
        PickleValue f;
        f.kind = Kind::Float;
        f.real = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) {
          m.fail("FLOAT '" + text.substr(0, 40) + "' is not a number");
        }
        m.push(std::move(f));
        break;
      }
      case 'X':  // BINUNICODE
        m.makeText(Kind::String, m.take(m.checkedLength(m.le(4))));
        break;
      case 0x8c:  // SHORT_BINUNICODE
        m.makeText(Kind::String, m.take(m.le(1)));
        break;
      case 0x8d:  // BINUNICODE8
        m.makeText(Kind::String, m.take(m.checkedLength(m.le(8))));
        break;
      case 'V':  // UNICODE (raw-unicode-escape text)
        m.makeText(Kind::String, m.rawUnicodeEscape(m.line()));
        break;
      case 'S':  // STRING (quoted text, Python 2)
        m.makeText(Kind::String, m.unquote(m.line()));
        break;
      case 'T':  // BINSTRING (Python 2 str)
        m.makeText(Kind::String, m.take(m.checkedLength(m.le(4))));
        break;
      case 'U':  // SHORT_BINSTRING
        m.makeText(Kind::String, m.take(m.le(1)));
        break;
      case 'B':  // BINBYTES
        m.makeText(Kind::Bytes, m.take(m.checkedLength(m.le(4))));
        break;
      case 'C':  // SHORT_BINBYTES
        m.makeText(Kind::Bytes, m.take(m.le(1)));
        break;
      case 0x8e:  // BINBYTES8
      case 0x96:  // BYTEARRAY8
        m.makeText(Kind::Bytes, m.take(m.checkedLength(m.le(8))));
        break;
      case ']':  // EMPTY_LIST
        m.makeContainer(Kind::List, {});
        break;
      case ')':  // EMPTY_TUPLE
        m.makeContainer(Kind::Tuple, {});
        break;
      case '}':  // EMPTY_DICT
        m.makeContainer(Kind::Dict, {});
        break;
      case 0x8f:  // EMPTY_SET
        m.makeContainer(Kind::Set, {});
        break;
      case 'l':  // LIST
        m.makeContainer(Kind::List, m.popMark());
        break;
      case 't':  // TUPLE
        m.makeContainer(Kind::Tuple, m.popMark());
        break;
      case 0x91:  // FROZENSET
        m.makeContainer(Kind::Set, m.popMark());
        break;
      case 0x85:    // TUPLE1
      case 0x86:    // TUPLE2
      case 0x87: {  // TUPLE3
        const size_t n = op - 0x84u;
        std::vector<PickleId> items(n);
        for (size_t i = n; i-- > 0;) {
          items[i] = m.pop();
        }
        m.makeContainer(Kind::Tuple, std::move(items));
        break;
      }
      case 'd': {  // DICT
        const std::vector<PickleId> items = m.popMark();
        const PickleId dict = m.makeContainer(Kind::Dict, {});
        m.setItems(dict, items);
        break;
      }
      case 'a': {  // APPEND
        const PickleId item = m.pop();
        m.appendTo(m.top(), {item});
        break;
      }
      case 'e':     // APPENDS
      case 0x90: {  // ADDITEMS
        const std::vector<PickleId> items = m.popMark();
        m.appendTo(m.top(), items);
        break;
      }
      case 's': {  // SETITEM
        const PickleId v = m.pop();
        const PickleId k = m.pop();
        m.setItems(m.top(), {k, v});
        break;
      }
      case 'u': {  // SETITEMS
        const std::vector<PickleId> items = m.popMark();
        m.setItems(m.top(), items);
        break;
      }
      case 'q':  // BINPUT
        m.memoPut(m.le(1));
        break;
      case 'r':  // LONG_BINPUT
        m.memoPut(m.le(4));
        break;
      case 'p':  // PUT
        m.memoPut(static_cast<uint64_t>(m.decimal(m.line(), "PUT")));
        break;
      case 0x94:  // MEMOIZE
        m.memoPut(m.memo.size());
        break;
      case 'h':  // BINGET
        m.memoGet(m.le(1));
        break;
      case 'j':  // LONG_BINGET
        m.memoGet(m.le(4));
        break;
      case 'g':  // GET
        m.memoGet(static_cast<uint64_t>(m.decimal(m.line(), "GET")));
        break;
      case 'c': {  // GLOBAL
        std::string module(m.line());
        std::string name(m.line());
        m.pushGlobal(std::move(module), std::move(name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        const PickleId name = m.require(m.pop(), Kind::String, "STACK_GLOBAL needs a name");
        const PickleId module = m.require(m.pop(), Kind::String, "STACK_GLOBAL needs a module");
        m.pushGlobal(m.value(module).text, m.value(name).text);
        break;
      }
      case 'R': {  // REDUCE
        const PickleId args = m.pop();
        const PickleId callable = m.pop();
        m.callReduce(callable, args);
        break;
      }
      case 0x81: {  // NEWOBJ
        const PickleId args = m.pop();
        const PickleId cls = m.pop();
        m.callReduce(cls, args);
        break;
      }
      case 0x92: {  // NEWOBJ_EX
        m.pop();    // keyword arguments
        const PickleId args = m.pop();
        const PickleId cls = m.pop();
        m.callReduce(cls, args);
        break;
      }
      case 'b': {  // BUILD
        const PickleId state = m.pop();
        const PickleId target = m.top();
        const Kind kind = m.value(target).kind;
        if (kind != Kind::Dict && kind != Kind::Object && kind != Kind::Tensor) {
          m.fail("BUILD on " + describe(target));
        }
        m.value(target).state = state;
        break;
      }
      case 'Q': {  // BINPID
        const PickleId pid = m.pop();
        m.stack.push_back(persistentLoad_(*this, pid));
        break;
      }
      case 'P': {  // PERSID (text)
        PickleValue pid;
        pid.kind = Kind::String;
        pid.text = std::string(m.line());
        m.stack.push_back(persistentLoad_(*this, add(std::move(pid))));
        break;
      }
      case 'i':  // INST
      case 'o':  // OBJ
        m.fail("refuses the class-instance opcode " + hexByte(op) +
               " (a pickled Python object, not a state dict)");
      case 0x82:  // EXT1
      case 0x83:  // EXT2
      case 0x84:  // EXT4
        m.fail("refuses the extension-registry opcode " + hexByte(op));
      case 0x97:  // NEXT_BUFFER
      case 0x98:  // READONLY_BUFFER
        m.fail("out-of-band buffers (opcode " + hexByte(op) + ") are not part of a .pth file");
      default:
        m.fail("unknown opcode " + hexByte(op));
    }
  }
}

}  // namespace heardmap
