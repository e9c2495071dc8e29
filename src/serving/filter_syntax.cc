#include "serving/filter_syntax.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace kindred {
namespace {

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsWordChar(char c) { return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)); }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

struct Token {
  enum class Kind { kWord, kString, kNumber, kPlaceholder, kOp, kPunct, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // the word, the unescaped string, the number, the name after '$', "<=", "("
  size_t position = 0;
  size_t length = 0;  // characters in the source
};

// Splits text into tokens. `what` prefixes error messages ("Invalid filter expression").
class Lexer {
 public:
  Lexer(std::string_view text, std::string what) : text_(text), what_(std::move(what)) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      Result<Token> t = Next();
      if (!t.ok()) return t.status();
      tokens.push_back(std::move(t).value());
      if (tokens.back().kind == Token::Kind::kEnd) return tokens;
    }
  }

 private:
  Status Error(size_t at, const std::string& problem) const {
    return Status::InvalidInput(what_ + " at character " + std::to_string(at + 1) + ": " + problem);
  }

  Token Make(Token::Kind kind, size_t start, std::string text) const {
    return Token{kind, std::move(text), start, pos_ - start};
  }

  Result<Token> Next() {
    size_t start = pos_;
    if (pos_ == text_.size()) return Make(Token::Kind::kEnd, start, "");
    char c = text_[pos_];
    if (IsWordStart(c)) {
      while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
      return Make(Token::Kind::kWord, start, std::string(text_.substr(start, pos_ - start)));
    }
    if (IsDigit(c) ||
        ((c == '-' || c == '+') && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
      ++pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
      if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
        pos_ += 2;
        while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
      }
      if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        size_t exp = pos_ + 1;
        if (exp < text_.size() && (text_[exp] == '+' || text_[exp] == '-')) ++exp;
        if (exp < text_.size() && IsDigit(text_[exp])) {
          pos_ = exp;
          while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
        }
      }
      if (pos_ < text_.size() && IsWordChar(text_[pos_])) {
        return Error(start, "'" + std::string(text_.substr(start, pos_ - start + 1)) +
                                "' is not a number; quote string values");
      }
      return Make(Token::Kind::kNumber, start, std::string(text_.substr(start, pos_ - start)));
    }
    if (c == '"') return String(start);
    if (c == '$') {
      ++pos_;
      while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
      std::string name(text_.substr(start + 1, pos_ - start - 1));
      if (name.empty()) return Error(start, "'$' must be followed by a placeholder name");
      if (name.size() > kMaxPlaceholderNameLength) {
        return Error(start, "placeholder name $" + name + " is longer than " +
                                std::to_string(kMaxPlaceholderNameLength) + " characters");
      }
      return Make(Token::Kind::kPlaceholder, start, std::move(name));
    }
    if (c == '<' || c == '>') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '=') ++pos_;
      return Make(Token::Kind::kOp, start, std::string(text_.substr(start, pos_ - start)));
    }
    if (c == '=') {
      ++pos_;
      return Make(Token::Kind::kOp, start, "=");
    }
    if (c == '!' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '=') {
      return Error(start, "'!=' is not an operator of filter expressions; use NOT IN");
    }
    if (c == '(' || c == ')' || c == ',' || c == '|' || c == '.') {
      ++pos_;
      return Make(Token::Kind::kPunct, start, std::string(1, c));
    }
    return Error(start, "unexpected character '" + std::string(1, c) + "'");
  }

  Result<Token> String(size_t start) {
    std::string value;
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() &&
          (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '\\')) {
        ++pos_;
      }
      value.push_back(text_[pos_++]);
    }
    if (pos_ == text_.size())
      return Error(start, "the string that starts here has no closing '\"'");
    ++pos_;
    return Make(Token::Kind::kString, start, std::move(value));
  }

  std::string_view text_;
  std::string what_;
  size_t pos_ = 0;
};

// Reads a token list as the grammar of filter_syntax.h, checking its rules and limits. One use.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<FilterSyntax> Run() {
    while (true) {
      Result<FilterClause> clause = Clause();
      if (!clause.ok()) return clause.status();
      out_.clauses.push_back(std::move(clause).value());
      if (IsPunct("|")) {
        ++next_;
        continue;
      }
      if (Peek().kind != Token::Kind::kEnd) {
        return Error(Peek(), out_.clauses.back().user.empty()
                                 ? "expected AND, OR, IF, '|' or the end of the expression"
                                 : "expected AND, '|' or the end of the expression (IF comes "
                                   "once, at the end of an expression)");
      }
      return std::move(out_);
    }
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }
  bool IsWord(std::string_view word, size_t ahead = 0) const {
    return Peek(ahead).kind == Token::Kind::kWord && EqualsIgnoreAsciiCase(Peek(ahead).text, word);
  }
  bool IsPunct(std::string_view p) const {
    return Peek().kind == Token::Kind::kPunct && Peek().text == p;
  }

  static Status Error(const Token& t, const std::string& problem) {
    std::string near = t.kind == Token::Kind::kEnd           ? "the end of the expression"
                       : t.kind == Token::Kind::kString      ? "\"" + t.text + "\""
                       : t.kind == Token::Kind::kPlaceholder ? "$" + t.text
                                                             : "'" + t.text + "'";
    return Status::InvalidInput("Invalid filter expression at character " +
                                std::to_string(t.position + 1) + " (" + near + "): " + problem);
  }

  Status ExpectWord(std::string_view word, const std::string& problem) {
    if (!IsWord(word)) return Error(Peek(), problem);
    ++next_;
    return Status::Ok();
  }

  Result<FilterClause> Clause() {
    FilterClause clause;
    if (IsWord("INCLUDE") || IsWord("EXCLUDE")) {
      clause.include = IsWord("INCLUDE");
      ++next_;
    } else {
      return Error(Peek(), "expected INCLUDE or EXCLUDE");
    }
    if (IsWord("UserID") || IsWord("ActionID")) {
      return Error(Peek(), "kindred filters items only: expected ItemID (" + Peek().text +
                               " is for user segments and action recommendations)");
    }
    KINDRED_RETURN_IF_ERROR(ExpectWord("ItemID", "expected ItemID"));
    KINDRED_RETURN_IF_ERROR(ExpectWord("WHERE", "expected WHERE"));
    clause_ = &clause;
    std::optional<FilterDataset> dataset;
    clause.where.emplace_back();
    while (true) {
      Result<FilterCondition> c = Condition(/*in_if=*/false);
      if (!c.ok()) return c.status();
      if (!dataset) dataset = c->dataset;
      if (c->dataset != *dataset) {
        return Error(tokens_[condition_start_],
                     "conditions chained with AND or OR must use the dataset of the first "
                     "condition; combine Items and Interactions conditions as separate "
                     "expressions joined with '|'");
      }
      clause.where.back().push_back(std::move(c).value());
      if (IsWord("AND")) {
        ++next_;
      } else if (IsWord("OR")) {
        ++next_;
        clause.where.emplace_back();
      } else {
        break;
      }
    }
    if (IsWord("IF")) {
      ++next_;
      while (true) {
        Result<FilterCondition> c = Condition(/*in_if=*/true);
        if (!c.ok()) return c.status();
        clause.user.push_back(std::move(c).value());
        if (IsWord("OR")) return Error(Peek(), "an IF condition can be extended with AND only");
        if (!IsWord("AND")) break;
        ++next_;
      }
    }
    clause_ = nullptr;
    return clause;
  }

  // Reads "<Dataset>.<FIELD>"; the dataset word is returned in *dataset_word.
  Result<std::string> FieldRef(const Token** dataset_word) {
    *dataset_word = &Peek();
    if (Peek().kind != Token::Kind::kWord ||
        !(Peek(1).kind == Token::Kind::kPunct && Peek(1).text == ".")) {
      return Error(Peek(), "expected a dataset field such as Items.GENRE");
    }
    next_ += 2;
    if (Peek().kind != Token::Kind::kWord) {
      return Error(Peek(), "expected a field name after '" + (*dataset_word)->text + ".'");
    }
    return tokens_[next_++].text;
  }

  Status CountField(const std::string& key, const Token& at) {
    if (std::find(out_.fields.begin(), out_.fields.end(), key) != out_.fields.end()) {
      return Status::Ok();
    }
    if (out_.fields.size() == kMaxFilterFields) {
      return Error(at, "a filter may use at most " + std::to_string(kMaxFilterFields) +
                           " distinct dataset fields; " + key + " would be one more");
    }
    out_.fields.push_back(key);
    return Status::Ok();
  }

  Result<FilterCondition> Condition(bool in_if) {
    condition_start_ = next_;
    FilterCondition c;
    c.position = Peek().position;
    const Token* word = nullptr;
    Result<std::string> field = FieldRef(&word);
    if (!field.ok()) return field.status();
    c.field = *field;
    if (in_if) {
      if (!EqualsIgnoreAsciiCase(word->text, "CurrentUser")) {
        return Error(*word, "an IF condition must test CurrentUser.<field>");
      }
      c.dataset = FilterDataset::kCurrentUser;
      KINDRED_RETURN_IF_ERROR(CountField("Users." + c.field, *word));
    } else if (EqualsIgnoreAsciiCase(word->text, "Items")) {
      c.dataset = FilterDataset::kItems;
      KINDRED_RETURN_IF_ERROR(CountField("Items." + c.field, *word));
    } else if (EqualsIgnoreAsciiCase(word->text, "Interactions")) {
      c.dataset = FilterDataset::kInteractions;
      if (!EqualsIgnoreAsciiCase(c.field, "EVENT_TYPE")) {
        return Error(tokens_[next_ - 1], "interactions can be filtered by EVENT_TYPE only");
      }
      c.field = "EVENT_TYPE";
      KINDRED_RETURN_IF_ERROR(CountField("Interactions.EVENT_TYPE", *word));
    } else if (EqualsIgnoreAsciiCase(word->text, "CurrentItem")) {
      return Error(*word,
                   "CurrentItem can only be the value an Items field is compared with, "
                   "e.g. Items.GENRE IN CurrentItem.GENRE");
    } else if (EqualsIgnoreAsciiCase(word->text, "CurrentUser")) {
      return Error(*word,
                   "CurrentUser can be tested only in an IF condition at the end of the "
                   "expression");
    } else {
      return Error(*word,
                   "expected Items or Interactions (kindred filters items by their "
                   "metadata or the user's interactions)");
    }
    Result<FilterOp> op = Op();
    if (!op.ok()) return op.status();
    c.op = *op;
    const Token& operand_start = IsPunct("(") ? Peek(1) : Peek();
    Result<FilterOperand> operand = Operand();
    if (!operand.ok()) return operand.status();
    c.operand = std::move(operand).value();
    KINDRED_RETURN_IF_ERROR(CheckOperand(c, operand_start));
    return c;
  }

  Result<FilterOp> Op() {
    if (IsWord("IN")) {
      ++next_;
      return FilterOp::kIn;
    }
    if (IsWord("NOT") && IsWord("IN", 1)) {
      next_ += 2;
      return FilterOp::kNotIn;
    }
    if (Peek().kind == Token::Kind::kOp) {
      const std::string& t = tokens_[next_++].text;
      if (t == "=") return FilterOp::kEq;
      if (t == "<") return FilterOp::kLt;
      if (t == "<=") return FilterOp::kLe;
      if (t == ">") return FilterOp::kGt;
      return FilterOp::kGe;  // the lexer makes no other operator than ">="
    }
    return Error(Peek(), "expected IN, NOT IN, =, <, <=, > or >=");
  }

  Result<FilterOperand> Operand() {
    bool parenthesised = IsPunct("(");
    if (parenthesised) ++next_;
    FilterOperand operand;
    if (Peek().kind == Token::Kind::kPlaceholder) {
      operand.kind = FilterOperand::Kind::kPlaceholder;
      operand.name = tokens_[next_++].text;
      Status s = NotePlaceholder(operand.name, tokens_[next_ - 1]);
      if (!s.ok()) return s;
    } else if (IsWord("CurrentItem") && Peek(1).kind == Token::Kind::kPunct &&
               Peek(1).text == ".") {
      const Token* word = nullptr;
      Result<std::string> field = FieldRef(&word);
      if (!field.ok()) return field.status();
      operand.kind = FilterOperand::Kind::kCurrentItem;
      operand.name = *field;
      Status s = CountField("Items." + operand.name, *word);
      if (!s.ok()) return s;
    } else {
      while (true) {
        const Token& t = Peek();
        if (t.kind != Token::Kind::kString && t.kind != Token::Kind::kNumber) {
          return Error(t,
                       "expected a double-quoted value, a number, a $PLACEHOLDER or "
                       "CurrentItem.<field>");
        }
        operand.values.push_back(FilterValue{t.text, t.kind == Token::Kind::kString});
        ++next_;
        if (!parenthesised || !IsPunct(",")) break;
        ++next_;
      }
    }
    if (parenthesised) {
      if (!IsPunct(")")) return Error(Peek(), "expected ')'");
      ++next_;
    }
    return operand;
  }

  Status NotePlaceholder(const std::string& name, const Token& at) {
    std::vector<std::string>& all = out_.placeholders;
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      if (all.size() == kMaxFilterPlaceholders) {
        return Error(at, "a filter may use at most " + std::to_string(kMaxFilterPlaceholders) +
                             " distinct placeholders");
      }
      all.push_back(name);
    }
    std::vector<std::string>& mine = clause_->placeholders;
    if (std::find(mine.begin(), mine.end(), name) == mine.end()) mine.push_back(name);
    return Status::Ok();
  }

  Status CheckOperand(const FilterCondition& c, const Token& at) {
    const FilterOperand& o = c.operand;
    std::string op(FilterOpName(c.op));
    if (o.kind == FilterOperand::Kind::kCurrentItem && c.dataset != FilterDataset::kItems) {
      return Error(at, "CurrentItem can be compared with Items fields only");
    }
    if (o.kind == FilterOperand::Kind::kPlaceholder && c.op == FilterOp::kNotIn) {
      return Error(at,
                   "a placeholder cannot be used with NOT IN; use IN and the opposite "
                   "action (INCLUDE instead of EXCLUDE, or the reverse)");
    }
    if (c.dataset == FilterDataset::kInteractions && c.op != FilterOp::kIn &&
        c.op != FilterOp::kNotIn && c.op != FilterOp::kEq) {
      return Error(at, "Interactions.EVENT_TYPE takes IN, NOT IN or =, not " + op);
    }
    for (const FilterValue& v : o.values) {
      if (v.quoted && v.text == "*" && c.dataset != FilterDataset::kInteractions) {
        return Error(at, "\"*\" (every value) can be used with Interactions.EVENT_TYPE only");
      }
    }
    if (c.op == FilterOp::kIn || c.op == FilterOp::kNotIn) return Status::Ok();
    if (o.values.size() > 1) {
      return Error(at, op + " compares with one value, not a list; use IN for several values");
    }
    if (IsRangeOp(c.op) && o.kind == FilterOperand::Kind::kValues && !FilterNumber(o.values[0])) {
      return Error(at, op + " compares numbers; \"" + o.values[0].text + "\" is not a number");
    }
    return Status::Ok();
  }

  std::vector<Token> tokens_;
  size_t next_ = 0;
  size_t condition_start_ = 0;
  FilterClause* clause_ = nullptr;  // the clause being read
  FilterSyntax out_;
};

}  // namespace

std::optional<double> FilterNumber(const FilterValue& value) {
  Result<std::vector<Token>> tokens = Lexer(value.text, "").Run();
  if (!tokens.ok() || tokens->size() != 2 || (*tokens)[0].kind != Token::Kind::kNumber) {
    return std::nullopt;
  }
  std::string_view text = (*tokens)[0].text;
  if (text.front() == '+') text.remove_prefix(1);  // from_chars takes no '+'
  double x = 0;
  std::from_chars(text.data(), text.data() + text.size(), x);
  return x;
}

bool IsRangeOp(FilterOp op) {
  return op == FilterOp::kLt || op == FilterOp::kLe || op == FilterOp::kGt || op == FilterOp::kGe;
}

std::string_view FilterOpName(FilterOp op) {
  switch (op) {
    case FilterOp::kIn:
      return "IN";
    case FilterOp::kNotIn:
      return "NOT IN";
    case FilterOp::kEq:
      return "=";
    case FilterOp::kLt:
      return "<";
    case FilterOp::kLe:
      return "<=";
    case FilterOp::kGt:
      return ">";
    case FilterOp::kGe:
      return ">=";
  }
  return "?";
}

Result<FilterSyntax> ParseFilterSyntax(std::string_view expression) {
  if (expression.size() > kMaxFilterExpressionLength) {
    return Status::InvalidInput(
        "Invalid filter expression at character " + std::to_string(kMaxFilterExpressionLength + 1) +
        ": an expression may have at most " + std::to_string(kMaxFilterExpressionLength) +
        " characters, this "
        "one has " +
        std::to_string(expression.size()));
  }
  Result<std::vector<Token>> tokens = Lexer(expression, "Invalid filter expression").Run();
  if (!tokens.ok()) return tokens.status();
  return Parser(std::move(tokens).value()).Run();
}

Result<std::vector<FilterValue>> ParseFilterValues(std::string_view name, std::string_view text) {
  std::string what = "Invalid filterValues entry for placeholder " + std::string(name);
  Result<std::vector<Token>> tokens = Lexer(text, what).Run();
  if (!tokens.ok()) return tokens.status();
  std::vector<FilterValue> values;
  for (size_t i = 0; i < tokens->size(); i += 2) {
    const Token& value = (*tokens)[i];
    if (value.kind == Token::Kind::kEnd && values.empty()) {
      return Status::InvalidInput(what +
                                  ": it has no values; give one or more double-quoted "
                                  "values separated by commas, e.g. \"\\\"Comedy\\\"\"");
    }
    if (value.kind != Token::Kind::kString && value.kind != Token::Kind::kNumber) {
      return Status::InvalidInput(what + " at character " + std::to_string(value.position + 1) +
                                  ": expected a double-quoted value or a number");
    }
    values.push_back(FilterValue{value.text, value.kind == Token::Kind::kString});
    const Token& after = (*tokens)[i + 1];
    if (after.kind == Token::Kind::kEnd) break;
    if (after.kind != Token::Kind::kPunct || after.text != ",") {
      return Status::InvalidInput(what + " at character " + std::to_string(after.position + 1) +
                                  ": expected ',' between values");
    }
  }
  return values;
}

}  // namespace kindred
