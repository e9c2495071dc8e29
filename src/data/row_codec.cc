#include "data/row_codec.h"

#include <bit>

namespace kindred {
namespace {

// Tag bytes; stored on disk, so never renumber them.
enum Tag : uint8_t {
  kNull = 0,
  kString = 1,
  kInt = 2,     // zig-zag varint
  kDouble = 3,  // 8 bytes, IEEE 754 bits little-endian
  kFalse = 4,
  kTrue = 5,
};

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

struct Encoder {
  std::string* out;
  void operator()(std::monostate) const { out->push_back(kNull); }
  void operator()(std::string_view s) const {
    out->push_back(kString);
    PutVarint(s.size(), out);
    out->append(s);
  }
  void operator()(const std::string& s) const { (*this)(std::string_view(s)); }
  void operator()(int64_t i) const {
    out->push_back(kInt);
    PutVarint((static_cast<uint64_t>(i) << 1) ^ static_cast<uint64_t>(i >> 63), out);
  }
  void operator()(double d) const {
    out->push_back(kDouble);
    uint64_t bits = std::bit_cast<uint64_t>(d);
    for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(bits >> (8 * i)));
  }
  void operator()(bool b) const { out->push_back(b ? kTrue : kFalse); }
};

Status Corrupt(const char* what) { return Status::Corruption(std::string("row block: ") + what); }

}  // namespace

void EncodeRow(std::span<const FieldRef> values, std::string* out) {
  for (const FieldRef& v : values) std::visit(Encoder{out}, v);
}

std::vector<FieldRef> RefsOf(const Row& row) {
  std::vector<FieldRef> refs;
  refs.reserve(row.values.size());
  for (const FieldValue& v : row.values) {
    refs.push_back(std::visit(
        [](const auto& x) -> FieldRef {
          if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) {
            return std::string_view(x);
          } else {
            return x;
          }
        },
        v));
  }
  return refs;
}

void EncodeRow(const Row& row, std::string* out) {
  for (const FieldValue& v : row.values) std::visit(Encoder{out}, v);
}

Status DecodeRow(std::string_view* in, size_t field_count, Row* row) {
  row->values.resize(field_count);
  for (FieldValue& value : row->values) {
    if (in->empty()) return Corrupt("truncated row");
    uint8_t tag = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    switch (tag) {
      case kNull:
        value = std::monostate();
        break;
      case kString: {
        uint64_t n = 0;
        if (!GetVarint(in, &n) || n > in->size()) return Corrupt("bad string length");
        if (auto* s = std::get_if<std::string>(&value)) {
          s->assign(in->data(), n);  // reuses the string's capacity
        } else {
          value = std::string(in->substr(0, n));
        }
        in->remove_prefix(n);
        break;
      }
      case kInt: {
        uint64_t z = 0;
        if (!GetVarint(in, &z)) return Corrupt("bad integer");
        value = static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
        break;
      }
      case kDouble: {
        if (in->size() < 8) return Corrupt("truncated double");
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) {
          bits |= static_cast<uint64_t>(static_cast<uint8_t>((*in)[i])) << (8 * i);
        }
        in->remove_prefix(8);
        value = std::bit_cast<double>(bits);
        break;
      }
      case kFalse:
      case kTrue:
        value = (tag == kTrue);
        break;
      default:
        return Corrupt("unknown value tag");
    }
  }
  return Status::Ok();
}

std::optional<std::string_view> StringValue(const Row& row, int index) {
  if (index < 0 || static_cast<size_t>(index) >= row.values.size()) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(&row.values[index])) return std::string_view(*s);
  return std::nullopt;
}

std::optional<double> NumberValue(const Row& row, int index) {
  if (index < 0 || static_cast<size_t>(index) >= row.values.size()) return std::nullopt;
  if (const auto* d = std::get_if<double>(&row.values[index])) return *d;
  if (const auto* i = std::get_if<int64_t>(&row.values[index])) return static_cast<double>(*i);
  return std::nullopt;
}

std::vector<std::string_view> SplitCategorical(std::string_view value) {
  std::vector<std::string_view> parts;
  while (!value.empty()) {
    size_t bar = value.find('|');
    std::string_view part = value.substr(0, bar);
    if (!part.empty()) parts.push_back(part);
    if (bar == std::string_view::npos) break;
    value.remove_prefix(bar + 1);
  }
  return parts;
}

}  // namespace kindred
