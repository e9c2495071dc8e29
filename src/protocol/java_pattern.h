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
// std::regex matching is slow (tens of microseconds for a 100-byte ARN), and requests repeat the
// same values (every GetRecommendations names its campaign's ARN), so FullMatch() remembers the
// result for short subjects: a subject seen again costs one hash lookup.
//
// Thread-safety: FullMatch may be called from any thread; the remembered results are guarded by
// a mutex. Copies share the compiled expression and the remembered results.
#pragma once

#include <cstddef>
#include <memory>
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

  // Results for subjects of at most this many bytes are remembered, up to kRememberedResults
  // per pattern; when that many are held, the pattern starts again with none.
  static constexpr std::size_t kMaxRememberedSubjectBytes = 256;
  static constexpr std::size_t kRememberedResults = 1024;

  // kInvalidInput when the pattern is not valid or uses an unsupported construct.
  static Result<JavaPattern> Compile(std::string_view java_pattern);

  // Whether the whole of `utf8` matches. Invalid UTF-8 bytes count as non-letter characters.
  bool FullMatch(std::string_view utf8) const;

  // The pattern as written in the model.
  const std::string& source() const { return source_; }

 private:
  struct Compiled;  // the expression and the remembered results

  JavaPattern(std::string source, std::shared_ptr<Compiled> compiled)
      : source_(std::move(source)), compiled_(std::move(compiled)) {}

  // FullMatch without remembering.
  bool Match(std::string_view utf8) const;

  std::string source_;
  std::shared_ptr<Compiled> compiled_;
};

}  // namespace kindred
