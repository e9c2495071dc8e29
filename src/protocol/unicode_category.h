// UnicodeCategoryOf: the general-category group (letter, number, separator, other) of a code
// point, which Java-flavoured patterns in the service models query with \p{L}, \p{N}, \p{Z}.
//
// Covers Unicode 14.0 exactly (the table in unicode_category.cc is generated from Python's
// unicodedata; the generating script is in that file). Unassigned code points are kOther.
//
// Thread-safety: a pure function over a constant table; call it from any thread.
#pragma once

namespace kindred {

enum class UnicodeCategory {
  kLetter,     // \p{L}: Lu, Ll, Lt, Lm, Lo
  kNumber,     // \p{N}: Nd, Nl, No
  kSeparator,  // \p{Z}: Zs, Zl, Zp
  kOther,      // everything else, including unassigned code points
};

UnicodeCategory UnicodeCategoryOf(char32_t code_point);

}  // namespace kindred
