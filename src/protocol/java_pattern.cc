#include "protocol/java_pattern.h"

#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <unordered_map>

#include "protocol/unicode_category.h"

namespace kindred {
namespace {

// One byte stands for each non-ASCII code point of a subject. They are all >= 0x80, so no ASCII
// character can be mistaken for one.
constexpr char kLetterMarker = '\x80';
constexpr char kNumberMarker = '\x81';
constexpr char kSeparatorMarker = '\x82';
constexpr char kOtherMarker = '\x83';
constexpr char kLineSeparatorMarker = '\x84';  // U+2028, U+2029: separators that end a line
constexpr char kNextLineMarker = '\x85';       // U+0085: ends a line, category Cc

// The ECMAScript bracket contents that \p{<name>} stands for, or nullopt when unsupported.
std::optional<std::string_view> ClassContents(char name) {
  switch (name) {
    case 'L':
      return "a-zA-Z\\x80";
    case 'N':
      return "0-9\\x81";
    case 'Z':
      return " \\x82\\x84";
    default:
      return std::nullopt;
  }
}

Result<std::string> TranslateToEcmaScript(std::string_view java) {
  auto unsupported = [&](std::string_view what) {
    return Status::InvalidInput("pattern " + std::string(java) + ": " + std::string(what));
  };
  std::string out;
  bool in_brackets = false;
  for (size_t i = 0; i < java.size(); ++i) {
    const char c = java[i];
    if (static_cast<unsigned char>(c) >= 0x80) return unsupported("non-ASCII literal");
    if (c == '\\') {
      if (i + 1 == java.size()) return unsupported("trailing backslash");
      const char escaped = java[i + 1];
      if (escaped != 'p' && escaped != 'P') {
        out.append(java.substr(i, 2));
        ++i;
        continue;
      }
      if (i + 4 >= java.size() || java[i + 2] != '{' || java[i + 4] != '}') {
        return unsupported("only one-letter \\p{X} classes are supported");
      }
      std::optional<std::string_view> contents = ClassContents(java[i + 3]);
      if (!contents) return unsupported("only \\p{L}, \\p{N} and \\p{Z} are supported");
      if (in_brackets) {
        if (escaped == 'P') return unsupported("\\P{X} inside brackets");
        out.append(*contents);
      } else {
        out.append(escaped == 'p' ? "[" : "[^").append(*contents).append("]");
      }
      i += 4;
    } else if (in_brackets) {
      if (c == '[') return unsupported("nested brackets");
      if (c == ']') in_brackets = false;
      out.push_back(c);
    } else if (c == '[') {
      in_brackets = true;
      out.push_back(c);
    } else if (c == '.') {
      // Java's `.` refuses every line terminator, ECMAScript's only some.
      out.append("[^\\n\\r\\x84\\x85]");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The marker for one non-ASCII code point.
char MarkerFor(char32_t cp) {
  if (cp == 0x2028 || cp == 0x2029) return kLineSeparatorMarker;
  if (cp == 0x85) return kNextLineMarker;
  switch (UnicodeCategoryOf(cp)) {
    case UnicodeCategory::kLetter:
      return kLetterMarker;
    case UnicodeCategory::kNumber:
      return kNumberMarker;
    case UnicodeCategory::kSeparator:
      return kSeparatorMarker;
    case UnicodeCategory::kOther:
      break;
  }
  return kOtherMarker;
}

// `utf8` with every non-ASCII code point (or invalid byte) replaced by its one-byte marker.
std::string ToMarkedSubject(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    if (lead < 0x80) {
      out.push_back(static_cast<char>(lead));
      ++i;
      continue;
    }
    const size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    char32_t cp = length == 4 ? lead & 0x07 : length == 3 ? lead & 0x0F : lead & 0x1F;
    bool valid = length != 0 && i + length <= utf8.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      valid = (next & 0xC0) == 0x80;
      cp = (cp << 6) | (next & 0x3F);
    }
    out.push_back(valid ? MarkerFor(cp) : kOtherMarker);
    i += valid ? length : 1;
  }
  return out;
}

// Hashes std::string and std::string_view alike, so lookups need no copy of the subject.
struct SubjectHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct JavaPattern::Compiled {
  explicit Compiled(std::regex r) : regex(std::move(r)) {}

  const std::regex regex;
  std::mutex mu;
  std::unordered_map<std::string, bool, SubjectHash, std::equal_to<>> remembered;  // GUARDED_BY(mu)
};

Result<JavaPattern> JavaPattern::Compile(std::string_view java_pattern) {
  Result<std::string> ecma = TranslateToEcmaScript(java_pattern);
  if (!ecma.ok()) return ecma.status();
  try {
    auto flags = std::regex::ECMAScript;
#if defined(__GLIBCXX__)
    // libstdc++'s default matcher recurses once per subject character (a few hundred bytes of
    // stack each); its polynomial (breadth-first) matcher needs no stack per character.
    flags |= std::regex_constants::__polynomial;
#endif
    return JavaPattern(std::string(java_pattern),
                       std::make_shared<Compiled>(std::regex(*ecma, flags)));
  } catch (const std::regex_error& e) {
    return Status::InvalidInput("pattern " + std::string(java_pattern) + ": " + e.what());
  }
}

bool JavaPattern::FullMatch(std::string_view utf8) const {
  if (utf8.size() > kMaxRememberedSubjectBytes) return Match(utf8);
  {
    std::lock_guard<std::mutex> lock(compiled_->mu);
    if (auto it = compiled_->remembered.find(utf8); it != compiled_->remembered.end()) {
      return it->second;
    }
  }
  const bool matched = Match(utf8);
  std::lock_guard<std::mutex> lock(compiled_->mu);
  if (compiled_->remembered.size() >= kRememberedResults) compiled_->remembered.clear();
  compiled_->remembered.emplace(std::string(utf8), matched);
  return matched;
}

bool JavaPattern::Match(std::string_view utf8) const {
  if (utf8.size() > kMaxSubjectBytes) return false;
  const std::string subject = ToMarkedSubject(utf8);
  try {
    return std::regex_match(subject, compiled_->regex);
  } catch (const std::regex_error&) {  // error_complexity or error_stack: treat as no match
    return false;
  }
}

}  // namespace kindred
