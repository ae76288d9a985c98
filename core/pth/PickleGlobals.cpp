#include "PickleGlobals.h"

#include <cstring>
#include <map>
#include <set>

#include "core/TensorData.h"

namespace heardmap {
namespace {

using Kind = PickleValue::Kind;

// Old module spellings and their current names.
const std::map<std::string, std::string> kRenamedModules = {
    {"__builtin__.", "builtins."},
    {"copy_reg.", "copyreg."},
    {"numpy._core.", "numpy.core."},
    {"torch.cuda.", "torch."},  // CUDA storages (torch < 1.0) hold the same bytes
};

// Globals that are only ever values: storage types, tensor classes and dtypes.
bool isValueOnlyGlobal(const std::string& name) {
  static const std::set<std::string> kValues = {
      "torch.Tensor",         "torch.nn.parameter.Parameter",
      "torch.UntypedStorage", "torch.float32",
      "torch.float16",        "torch.bfloat16",
      "torch.float64",        "torch.int64",
      "torch.int32",          "torch.int8",
      "torch.uint8",          "torch.bool",
      "numpy.ndarray",
  };
  return kValues.count(name) > 0 || storageTypeOf(name).elementBytes > 0;
}

const std::set<std::string>& callableGlobals() {
  static const std::set<std::string> kCallables = {
      "collections.OrderedDict",
      "torch._utils._rebuild_tensor",
      "torch._utils._rebuild_tensor_v2",
      "torch._utils._rebuild_parameter",
      "torch._utils._rebuild_parameter_with_state",
      "torch._tensor._rebuild_from_type",
      "torch._tensor._rebuild_from_type_v2",
      "torch.nn.parameter.Parameter",
      "torch.Size",
      "torch.device",
      "torch.serialization._get_layout",
      "_codecs.encode",
      "builtins.set",
      "builtins.frozenset",
      "builtins.bytearray",
      "numpy.core.multiarray.scalar",
      "numpy.core.multiarray._reconstruct",
      "numpy.dtype",
      "argparse.Namespace",
      "pathlib.PosixPath",
      "pathlib.WindowsPath",
      "copyreg._reconstructor",
  };
  return kCallables;
}

[[noreturn]] void badArguments(Unpickler& u, const std::string& name,
                               const std::vector<PickleId>& args, const std::string& expected) {
  std::string got;
  for (size_t i = 0; i < args.size() && i < 6; ++i) {
    got += (i ? ", " : "") + u.describe(args[i]);
  }
  throw PickleError(name + " needs " + expected + ", got (" + got + ")");
}

std::vector<int64_t> intTuple(Unpickler& u, PickleId id, const std::string& name,
                              const char* field) {
  const PickleValue& v = u.at(id);
  if (v.kind != Kind::Tuple && v.kind != Kind::List) {
    throw PickleError(name + ": " + field + " is " + u.describe(id) + ", not a tuple");
  }
  std::vector<int64_t> out;
  for (PickleId item : v.items) {
    const PickleValue& x = u.at(item);
    if (x.kind != Kind::Int || x.bigInt) {
      throw PickleError(name + ": " + field + " holds " + u.describe(item));
    }
    out.push_back(x.integer);
  }
  return out;
}

PickleId rebuildTensor(Unpickler& u, const std::string& name, const std::vector<PickleId>& args) {
  if (args.size() < 4 || u.at(args[0]).kind != Kind::Storage || u.at(args[1]).kind != Kind::Int ||
      u.at(args[1]).bigInt) {
    badArguments(u, name, args, "(storage, offset, size, stride, ...)");
  }
  PickleValue t;
  t.kind = Kind::Tensor;
  t.items = {args[0]};
  t.offset = u.at(args[1]).integer;
  t.sizes = intTuple(u, args[2], name, "size");
  t.strides = intTuple(u, args[3], name, "stride");
  if (t.sizes.size() != t.strides.size()) {
    throw PickleError(name + ": size has " + std::to_string(t.sizes.size()) +
                      " dimensions and stride " + std::to_string(t.strides.size()));
  }
  return u.add(std::move(t));
}

PickleId asParameter(Unpickler& u, const std::string& name, PickleId tensor,
                     const std::vector<PickleId>& args) {
  if (u.at(tensor).kind != Kind::Tensor) {
    badArguments(u, name, args, "a tensor");
  }
  PickleValue p = u.at(tensor);
  p.parameter = true;
  return u.add(std::move(p));
}

// Decodes UTF-8 text whose code points are all below 256 into bytes (Python's
// str.encode("latin1")).
PickleId latin1Bytes(Unpickler& u, const std::vector<PickleId>& args) {
  if (args.empty() || u.at(args[0]).kind != Kind::String ||
      (args.size() > 1 && (u.at(args[1]).kind != Kind::String ||
                           (u.at(args[1]).text != "latin1" && u.at(args[1]).text != "latin-1")))) {
    badArguments(u, "_codecs.encode", args, "(text, 'latin1')");
  }
  const std::string& in = u.at(args[0]).text;
  PickleValue out;
  out.kind = Kind::Bytes;
  for (size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      out.text += static_cast<char>(c);
    } else if ((c & 0xE0) == 0xC0 && c <= 0xC3 && i + 1 < in.size()) {
      out.text += static_cast<char>(((c & 0x1F) << 6) | (in[i + 1] & 0x3F));
      ++i;
    } else {
      throw PickleError("_codecs.encode: text is not latin-1");
    }
  }
  return u.add(std::move(out));
}

// numpy.core.multiarray.scalar(dtype, bytes): the number, for the dtypes training scripts use.
PickleId numpyScalar(Unpickler& u, const std::vector<PickleId>& args) {
  PickleValue out;
  out.kind = Kind::Object;
  out.text = "numpy scalar";
  if (args.size() < 2 || u.at(args[0]).kind != Kind::Object || u.at(args[1]).kind != Kind::Bytes) {
    return u.add(std::move(out));
  }
  const std::string& descr = u.at(args[0]).key;
  const std::string& b = u.at(args[1]).text;
  auto fits = [&](size_t n) { return b.size() == n; };
  if (descr == "f8" && fits(8)) {
    double v;
    std::memcpy(&v, b.data(), 8);
    out.kind = Kind::Float;
    out.real = v;
  } else if (descr == "f4" && fits(4)) {
    float v;
    std::memcpy(&v, b.data(), 4);
    out.kind = Kind::Float;
    out.real = v;
  } else if (descr == "f2" && fits(2)) {
    uint16_t h;
    std::memcpy(&h, b.data(), 2);
    out.kind = Kind::Float;
    out.real = halfToFloat(h);
  } else if ((descr == "i8" || descr == "u8") && fits(8)) {
    int64_t v;
    std::memcpy(&v, b.data(), 8);
    out.kind = Kind::Int;
    out.integer = v;
  } else if (descr == "i4" && fits(4)) {
    int32_t v;
    std::memcpy(&v, b.data(), 4);
    out.kind = Kind::Int;
    out.integer = v;
  } else if (descr == "b1" && fits(1)) {
    out.kind = Kind::Bool;
    out.integer = b[0] != 0;
  }
  return u.add(std::move(out));
}

PickleId opaqueObject(Unpickler& u, const std::string& name, const std::vector<PickleId>& args) {
  PickleValue out;
  out.kind = Kind::Object;
  out.text = name;
  out.items = args;
  if (name == "numpy.dtype" && !args.empty() && u.at(args[0]).kind == Kind::String) {
    out.key = u.at(args[0]).text;
  }
  return u.add(std::move(out));
}

}  // namespace

std::string normalizeGlobal(const std::string& qualifiedName) {
  for (const auto& [from, to] : kRenamedModules) {
    if (qualifiedName.compare(0, from.size(), from) == 0) {
      return to + qualifiedName.substr(from.size());
    }
  }
  return qualifiedName;
}

StorageType storageTypeOf(const std::string& name) {
  static const std::map<std::string, StorageType> kTypes = {
      {"torch.FloatStorage", {"F32", 4}},     {"torch.HalfStorage", {"F16", 2}},
      {"torch.BFloat16Storage", {"BF16", 2}}, {"torch.DoubleStorage", {"F64", 8}},
      {"torch.LongStorage", {"I64", 8}},      {"torch.IntStorage", {"I32", 4}},
      {"torch.CharStorage", {"I8", 1}},       {"torch.ByteStorage", {"U8", 1}},
      {"torch.BoolStorage", {"BOOL", 1}},     {"torch.ShortStorage", {"", 2}},
      {"torch.ComplexFloatStorage", {"", 8}}, {"torch.ComplexDoubleStorage", {"", 16}},
      {"torch.QInt8Storage", {"", 1}},        {"torch.QUInt8Storage", {"", 1}},
      {"torch.QInt32Storage", {"", 4}},       {"torch.UntypedStorage", {"U8", 1}},
  };
  const auto it = kTypes.find(name);
  return it == kTypes.end() ? StorageType{} : it->second;
}

bool isAllowedGlobal(const std::string& name) {
  return callableGlobals().count(name) > 0 || isValueOnlyGlobal(name);
}

PickleId applyGlobal(Unpickler& u, const std::string& name, const std::vector<PickleId>& args) {
  if (callableGlobals().count(name) == 0) {
    throw PickleError("the global '" + name + "' is a value, not something a file may call");
  }
  if (name == "collections.OrderedDict") {
    PickleValue d;
    d.kind = Kind::Dict;
    if (!args.empty() && u.at(args[0]).kind == Kind::List) {
      for (PickleId pair : u.at(args[0]).items) {
        const PickleValue& p = u.at(pair);
        if (p.kind != Kind::Tuple || p.items.size() != 2) {
          badArguments(u, name, args, "a list of (key, value) pairs");
        }
        d.items.push_back(p.items[0]);
        d.items.push_back(p.items[1]);
      }
    }
    return u.add(std::move(d));
  }
  if (name == "torch._utils._rebuild_tensor" || name == "torch._utils._rebuild_tensor_v2") {
    return rebuildTensor(u, name, args);
  }
  if (name == "torch._utils._rebuild_parameter" ||
      name == "torch._utils._rebuild_parameter_with_state" ||
      name == "torch.nn.parameter.Parameter") {
    if (args.empty()) {
      badArguments(u, name, args, "(tensor, requires_grad, ...)");
    }
    return asParameter(u, name, args[0], args);
  }
  if (name == "torch._tensor._rebuild_from_type" || name == "torch._tensor._rebuild_from_type_v2") {
    if (args.size() < 3 || u.at(args[0]).kind != Kind::Global ||
        u.at(args[2]).kind != Kind::Tuple) {
      badArguments(u, name, args, "(function, type, arguments, state)");
    }
    const std::string function = u.at(args[0]).text;
    if (function.rfind("torch._tensor._rebuild_from_type", 0) == 0) {
      throw PickleError(name + " may not call itself");  // bounds the recursion
    }
    const std::vector<PickleId> inner = u.at(args[2]).items;
    return applyGlobal(u, function, inner);
  }
  if (name == "torch.Size") {
    PickleValue t;
    t.kind = Kind::Tuple;
    if (!args.empty()) {
      t.items = u.at(args[0]).items;
    }
    return u.add(std::move(t));
  }
  if (name == "_codecs.encode") {
    return latin1Bytes(u, args);
  }
  if (name == "builtins.set" || name == "builtins.frozenset") {
    PickleValue s;
    s.kind = Kind::Set;
    if (!args.empty()) {
      s.items = u.at(args[0]).items;
    }
    return u.add(std::move(s));
  }
  if (name == "builtins.bytearray") {
    PickleValue b;
    b.kind = Kind::Bytes;
    if (!args.empty() && u.at(args[0]).kind == Kind::Bytes) {
      b.text = u.at(args[0]).text;
    }
    return u.add(std::move(b));
  }
  if (name == "numpy.core.multiarray.scalar") {
    return numpyScalar(u, args);
  }
  if (name == "copyreg._reconstructor") {
    if (args.empty() || u.at(args[0]).kind != Kind::Global) {
      badArguments(u, name, args, "(class, base, state)");
    }
    return opaqueObject(u, u.at(args[0]).text, {});
  }
  return opaqueObject(u, name, args);
}

}  // namespace heardmap
