#include "recipes/model_codec.h"

#include <cstring>

namespace kindred {

void ByteWriter::U32(uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) {
    out_.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void ByteWriter::U64(uint64_t v) {
  U32(static_cast<uint32_t>(v));
  U32(static_cast<uint32_t>(v >> 32));
}

void ByteWriter::F32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  U32(bits);
}

void ByteWriter::String(std::string_view s) {
  U32(static_cast<uint32_t>(s.size()));
  out_.append(s);
}

void ByteWriter::Strings(const std::vector<std::string>& v) {
  U32(static_cast<uint32_t>(v.size()));
  for (const std::string& s : v) String(s);
}

bool ByteReader::Expect(std::string_view magic) {
  if (in_.substr(0, magic.size()) != magic) return false;
  in_.remove_prefix(magic.size());
  return true;
}

bool ByteReader::U32(uint32_t* v) {
  if (in_.size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v |= static_cast<uint32_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
  in_.remove_prefix(4);
  return true;
}

bool ByteReader::U64(uint64_t* v) {
  uint32_t low, high;
  if (!U32(&low) || !U32(&high)) return false;
  *v = static_cast<uint64_t>(high) << 32 | low;
  return true;
}

bool ByteReader::F32(float* v) {
  uint32_t bits;
  if (!U32(&bits)) return false;
  std::memcpy(v, &bits, sizeof bits);
  return true;
}

bool ByteReader::String(std::string* s) {
  uint32_t n;
  if (!U32(&n) || in_.size() < n) return false;
  s->assign(in_.substr(0, n));
  in_.remove_prefix(n);
  return true;
}

bool ByteReader::Strings(std::vector<std::string>* v) {
  uint32_t n;
  if (!Count(&n, 4)) return false;
  v->resize(n);
  for (std::string& s : *v) {
    if (!String(&s)) return false;
  }
  return true;
}

bool ByteReader::Count(uint32_t* n, size_t min_element_bytes) {
  return U32(n) && *n <= in_.size() / min_element_bytes;
}

}  // namespace kindred
