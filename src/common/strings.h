// Small string helpers shared across folders.
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

namespace kindred {

// ASCII case-insensitive equality ("Items" == "ITEMS"); other bytes compare exactly.
inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace kindred
