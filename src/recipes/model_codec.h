// Model codec: the little-endian binary primitives recipes use to serialise their models
// (docs/model-formats.md describes each model's layout in these terms).
//
//   ByteWriter w;  w.Raw("KPOP");  w.U32(1);  w.Strings(ids);  std::string bytes = w.Take();
//   ByteReader r(bytes);
//   if (!r.Expect("KPOP") || !r.U32(&version) || !r.Strings(&ids)) return Corruption(...);
//
// Readers never trust a length: every count is checked against the bytes left, so corrupt
// input fails cleanly instead of allocating or reading out of bounds.
//
// Thread-safety: values owned by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kindred {

class ByteWriter {
 public:
  void Raw(std::string_view bytes) { out_.append(bytes); }
  void U32(uint32_t v);
  void U64(uint64_t v);  // low u32, then high u32
  void F32(float v);
  void String(std::string_view s);                  // u32 length + bytes
  void Strings(const std::vector<std::string>& v);  // u32 count + each String
  std::string Take() && { return std::move(out_); }

 private:
  std::string out_;
};

// Reads from a view: the bytes must outlive the reader.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  // Each returns false (and leaves the reader unusable) when the bytes do not decode.
  [[nodiscard]] bool Expect(std::string_view magic);
  [[nodiscard]] bool U32(uint32_t* v);
  [[nodiscard]] bool U64(uint64_t* v);
  [[nodiscard]] bool F32(float* v);
  [[nodiscard]] bool String(std::string* s);
  [[nodiscard]] bool Strings(std::vector<std::string>* v);
  // A count of elements of at least `min_element_bytes` each that the remaining bytes can hold.
  [[nodiscard]] bool Count(uint32_t* n, size_t min_element_bytes);
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace kindred
