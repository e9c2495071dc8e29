// JavaPattern: a regular expression written in the Java flavour the AWS service models use
// (botocore `pattern` traits), matched against UTF-8 text as a FULL match, like Java's
// Pattern.matches() and AWS's own validators.
//
// Java and ECMAScript agree on everything the models use except \p{...} classes and the set of line
// terminators `.` refuses, so Compile() translates the pattern to std::regex ECMAScript syntax, and
// FullMatch() maps every non-ASCII code point of the subject to a one-byte marker for its Unicode
// category (see unicode_category.h) before matching. Supported: \p{L}, \p{N}, \p{Z} (also inside
// brackets) and \P{L}, \P{N}, \P{Z} outside brackets. Patterns with non-ASCII literals, other \p
// classes or nested brackets are rejected by Compile().
//
//   Result<JavaPattern> p = JavaPattern::Compile(R"(^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$)");
//   p->FullMatch("日本");  // true
//
// Thread-safety: a compiled JavaPattern is immutable; FullMatch may be called from any thread.
// Copies share the compiled expression.
#pragma once

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kindred {

class JavaPattern {
 public:
  // Subjects longer than this many bytes never match, which bounds matching time (and stack, for
  // standard libraries whose std::regex recurses per character). Every patterned shape in the
  // Personalize models has a smaller length limit, so such subjects are invalid anyway.
  static constexpr std::size_t kMaxSubjectBytes = 8192;

  // kInvalidInput when the pattern is not valid or uses an unsupported construct.
  static Result<JavaPattern> Compile(std::string_view java_pattern);

  // Whether the whole of `utf8` matches. Invalid UTF-8 bytes count as non-letter characters.
  bool FullMatch(std::string_view utf8) const;

  // The pattern as written in the model.
  const std::string& source() const { return source_; }

 private:
  JavaPattern(std::string source, std::shared_ptr<const std::regex> regex)
      : source_(std::move(source)), regex_(std::move(regex)) {}

  std::string source_;
  std::shared_ptr<const std::regex> regex_;
};

}  // namespace kindred
