#include "protocol/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

namespace kindred {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";
constexpr int64_t kMaxSkewMillis = 15 * 60 * 1000;

// ---- hashing ----

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  const Sha256Digest digest = Sha256({data});
  return Hex(digest.data(), digest.size());
}

// ---- canonicalisation ----

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string UriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kDigits[c >> 4], kDigits[c & 0xf]};
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes; a '%' not followed by two hex digits is kept literally. '+' stays '+'.
std::string UriDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string_view Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 3986 remove_dot_segments, also dropping empty segments, as botocore does before signing.
std::string CanonicalUri(std::string_view path) {
  std::vector<std::string_view> kept;
  for (std::string_view seg : Split(path, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(seg);
  }
  std::string normalized = "/";
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) normalized += '/';
    normalized += kept[i];
  }
  if (!kept.empty() && path.back() == '/') normalized += '/';
  return UriEncode(normalized, /*keep_slash=*/true);
}

std::string CanonicalQuery(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos || q + 1 == target.size()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  for (std::string_view pair : Split(target.substr(q + 1), '&')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    params.emplace_back(UriEncode(UriDecode(name), false), UriEncode(UriDecode(value), false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trimmed, with every run of inner whitespace collapsed to one space.
std::string CollapseWhitespace(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : Trim(v)) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = true;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// The SigV4 signature (hex) over `req` given the signed header names (lower-case, in order)
// and the signing key of the scope (scope_date, region, service).
std::string ComputeSignature(const HttpRequest& req, const std::vector<std::string>& signed_headers,
                             std::string_view amz_date, std::string_view scope_date,
                             std::string_view region, std::string_view service,
                             const SigningKey& signing_key) {
  std::string canonical =
      req.method + "\n" + CanonicalUri(req.Path()) + "\n" + CanonicalQuery(req.target) + "\n";
  std::string names;
  for (const std::string& name : signed_headers) {
    std::string joined;
    bool first = true;
    for (const auto& [k, v] : req.headers) {
      if (Lower(k) != name) continue;
      if (!first) joined += ',';
      joined += CollapseWhitespace(v);
      first = false;
    }
    canonical += name + ":" + joined + "\n";
    if (!names.empty()) names += ';';
    names += name;
  }
  canonical += "\n" + names + "\n" + Sha256Hex(req.body);

  const std::string scope = std::string(scope_date) + "/" + std::string(region) + "/" +
                            std::string(service) + "/" + std::string(kTerminator);
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" +
                                     scope + "\n" + Sha256Hex(canonical);
  const std::string mac = HmacSha256(AsView(signing_key), string_to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

// ---- dates ----

int64_t ToMillis(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  using namespace std::chrono;
  const sys_days date = year{y} / month{mo} / day{d};
  return (date.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + s) * 1000LL;
}

bool ValidCivil(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  using namespace std::chrono;
  return year_month_day(year{y}, month{mo}, day{d}).ok() && h >= 0 && h < 24 && mi >= 0 &&
         mi < 60 && s >= 0 && s < 61;
}

// "YYYYMMDDTHHMMSSZ" -> epoch millis.
std::optional<int64_t> ParseAmzDate(std::string_view v) {
  if (v.size() != 16 || v[8] != 'T' || v[15] != 'Z') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14}) {
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len) {
    int n = 0;
    for (size_t i = pos; i < pos + len; ++i) n = n * 10 + (v[i] - '0');
    return n;
  };
  const int y = num(0, 4), mo = num(4, 2), d = num(6, 2);
  const int h = num(9, 2), mi = num(11, 2), s = num(13, 2);
  if (!ValidCivil(y, mo, d, h, mi, s)) return std::nullopt;
  return ToMillis(y, mo, d, h, mi, s);
}

// RFC 1123 "Sun, 06 Nov 1994 08:49:37 GMT" -> epoch millis.
std::optional<int64_t> ParseHttpDate(std::string_view v) {
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string s(v);
  char mon[4] = {};
  int d = 0, y = 0, h = 0, mi = 0, sec = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%*3s, %2d %3s %4d %2d:%2d:%2d GMT%n", &d, mon, &y, &h, &mi, &sec,
                  &consumed) != 6 ||
      consumed != static_cast<int>(s.size())) {
    return std::nullopt;
  }
  const auto it = std::find_if(kMonths.begin(), kMonths.end(),
                               [&](const char* m) { return std::strcmp(m, mon) == 0; });
  if (it == kMonths.end()) return std::nullopt;
  const unsigned mo = static_cast<unsigned>(it - kMonths.begin()) + 1;
  if (d < 1 || !ValidCivil(y, mo, static_cast<unsigned>(d), h, mi, sec)) return std::nullopt;
  return ToMillis(y, mo, static_cast<unsigned>(d), h, mi, sec);
}

AuthError Incomplete(std::string message) {
  return {400, "IncompleteSignatureException", std::move(message)};
}
AuthError Invalid(std::string message) {
  return {403, "InvalidSignatureException", std::move(message)};
}

}  // namespace

std::string FormatAmzDate(int64_t millis) {
  using namespace std::chrono;
  const sys_seconds t = floor<seconds>(sys_time<milliseconds>{milliseconds{millis}});
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

SigV4Verifier::SigV4Verifier(const CredentialsProvider& provider, const Clock& clock,
                             std::string service)
    : provider_(provider), clock_(clock), service_(std::move(service)) {}

std::optional<AuthError> SigV4Verifier::Verify(const HttpRequest& req) const {
  const std::string_view auth = Trim(req.Header("Authorization"));
  if (auth.empty())
    return AuthError{403, "MissingAuthenticationTokenException", "Missing Authentication Token"};

  const size_t space = auth.find(' ');
  const std::string_view algorithm = auth.substr(0, space);
  if (algorithm != kAlgorithm) {
    return Incomplete("Unsupported AWS 'algorithm': '" + std::string(algorithm) +
                      "'; only AWS4-HMAC-SHA256 is accepted.");
  }
  std::optional<std::string_view> credential, signed_headers, signature;
  if (space != std::string_view::npos) {
    for (std::string_view part : Split(auth.substr(space + 1), ',')) {
      part = Trim(part);
      const size_t eq = part.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string_view name = part.substr(0, eq), value = part.substr(eq + 1);
      if (name == "Credential") credential = value;
      if (name == "SignedHeaders") signed_headers = value;
      if (name == "Signature") signature = value;
    }
  }
  std::string missing;
  if (!credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty()) return Incomplete(missing + "Authorization=" + std::string(auth));

  // The request time: X-Amz-Date, or failing that the HTTP Date header.
  std::optional<int64_t> request_millis;
  if (const std::string_view amz = Trim(req.Header("X-Amz-Date")); !amz.empty()) {
    request_millis = ParseAmzDate(amz);
    if (!request_millis) {
      return Incomplete(
          "X-Amz-Date must be in ISO 8601 basic format (YYYYMMDD'T'HHMMSS'Z'); got '" +
          std::string(amz) + "'.");
    }
  } else if (const std::string_view date = Trim(req.Header("Date")); !date.empty()) {
    request_millis = ParseHttpDate(date);
    if (!request_millis) {
      return Incomplete("Date header must be an RFC 1123 date; got '" + std::string(date) + "'.");
    }
  } else {
    return Incomplete(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=" +
        std::string(auth));
  }
  const std::string amz_date = FormatAmzDate(*request_millis);

  const std::vector<std::string_view> scope = Split(*credential, '/');
  if (scope.size() != 5) {
    return Incomplete(
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/aws4_request, got '" +
        std::string(*credential) + "'.");
  }
  const std::string_view key_id = scope[0], scope_date = scope[1], region = scope[2];
  if (scope[4] != kTerminator) {
    return Invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                   std::string(scope[4]) + "'.");
  }
  if (scope[3] != service_) {
    return Invalid("Credential should be scoped to correct service: '" + service_ + "'. ");
  }
  if (scope_date != std::string_view(amz_date).substr(0, 8)) {
    return Invalid(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
        "date from HTTP: '" +
        std::string(scope_date) + "' != '" + amz_date.substr(0, 8) + "', from '" + amz_date + "'.");
  }

  const int64_t now = clock_.NowMillis();
  if (*request_millis < now - kMaxSkewMillis) {
    return Invalid("Signature expired: " + amz_date + " is now earlier than " +
                   FormatAmzDate(now - kMaxSkewMillis) + " (" + FormatAmzDate(now) + " - 15 min.)");
  }
  if (*request_millis > now + kMaxSkewMillis) {
    return Invalid("Signature not yet current: " + amz_date + " is still later than " +
                   FormatAmzDate(now + kMaxSkewMillis) + " (" + FormatAmzDate(now) + " + 15 min.)");
  }

  const std::optional<std::string> secret = provider_.SecretFor(key_id);
  if (!secret) {
    return AuthError{403, "UnrecognizedClientException",
                     "The security token included in the request is invalid."};
  }

  std::vector<std::string> header_names;
  for (std::string_view name : Split(*signed_headers, ';')) {
    if (!name.empty()) header_names.push_back(Lower(name));
  }
  const std::string expected =
      ComputeSignature(req, header_names, amz_date, scope_date, region, service_,
                       signing_keys_.Get(*secret, scope_date, region, service_));
  if (signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return Invalid(
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.");
  }
  return std::nullopt;
}

void SignRequest(HttpRequest& req, std::string_view access_key, std::string_view secret,
                 std::string_view region, std::string_view service, int64_t now_millis) {
  std::erase_if(req.headers, [](const auto& h) {
    const std::string name = Lower(h.first);
    return name == "authorization" || name == "x-amz-date";
  });
  const std::string amz_date = FormatAmzDate(now_millis);
  req.headers.emplace_back("X-Amz-Date", amz_date);

  std::vector<std::string> names;
  for (const auto& [k, v] : req.headers) {
    std::string name = Lower(k);
    if (name != "user-agent" && name != "expect" && name != "x-amzn-trace-id") {
      names.push_back(std::move(name));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  const std::string date = amz_date.substr(0, 8);
  const std::string signature = ComputeSignature(req, names, amz_date, date, region, service,
                                                 DeriveSigningKey(secret, date, region, service));
  std::string signed_list;
  for (const std::string& n : names) signed_list += (signed_list.empty() ? "" : ";") + n;
  req.headers.emplace_back(
      "Authorization", std::string(kAlgorithm) + " Credential=" + std::string(access_key) + "/" +
                           date + "/" + std::string(region) + "/" + std::string(service) + "/" +
                           std::string(kTerminator) + ", SignedHeaders=" + signed_list +
                           ", Signature=" + signature);
}

}  // namespace kindred
