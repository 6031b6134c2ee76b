#include "domain/formula.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numbers>
#include <optional>
#include <random>
#include <utility>

namespace practica::domain {

enum class Function { kSin, kCos, kTan, kAsin, kAcos, kAtan, kExp, kLn, kLog, kSqrt, kAbs };

struct Expression::Node {
  enum class Kind {
    kNumber,
    kVariable,
    kNegate,
    kAdd,
    kSubtract,
    kMultiply,
    kDivide,
    kPower,
    kCall
  };
  Kind kind = Kind::kNumber;
  double number = 0;            // kNumber
  std::string variable;         // kVariable
  Function function{};          // kCall
  std::unique_ptr<Node> left;   // the operand of kNegate and kCall; the left side of the others
  std::unique_ptr<Node> right;  // the right side of binary operators
};

namespace {

using Node = Expression::Node;

constexpr std::array<std::pair<std::string_view, Function>, 11> kFunctions = {{
    {"sin", Function::kSin},
    {"cos", Function::kCos},
    {"tan", Function::kTan},
    {"asin", Function::kAsin},
    {"acos", Function::kAcos},
    {"atan", Function::kAtan},
    {"exp", Function::kExp},
    {"ln", Function::kLn},
    {"log", Function::kLog},
    {"sqrt", Function::kSqrt},
    {"abs", Function::kAbs},
}};

std::optional<Function> FindFunction(std::string_view name) {
  for (const auto& [function_name, function] : kFunctions) {
    if (function_name == name) return function;
  }
  return std::nullopt;
}

std::optional<double> FindConstant(std::string_view name) {
  if (name == "pi") return std::numbers::pi;
  if (name == "e") return std::numbers::e;
  return std::nullopt;
}

double Apply(Function function, double x) {
  switch (function) {
    case Function::kSin:
      return std::sin(x);
    case Function::kCos:
      return std::cos(x);
    case Function::kTan:
      return std::tan(x);
    case Function::kAsin:
      return std::asin(x);
    case Function::kAcos:
      return std::acos(x);
    case Function::kAtan:
      return std::atan(x);
    case Function::kExp:
      return std::exp(x);
    case Function::kLn:
      return std::log(x);
    case Function::kLog:
      return std::log10(x);
    case Function::kSqrt:
      return std::sqrt(x);
    case Function::kAbs:
      return std::fabs(x);
  }
  return std::nan("");
}

double EvaluateNode(const Node& node, const std::map<std::string, double, std::less<>>& values) {
  switch (node.kind) {
    case Node::Kind::kNumber:
      return node.number;
    case Node::Kind::kVariable: {
      const auto it = values.find(node.variable);
      return it == values.end() ? std::nan("") : it->second;
    }
    case Node::Kind::kNegate:
      return -EvaluateNode(*node.left, values);
    case Node::Kind::kCall:
      return Apply(node.function, EvaluateNode(*node.left, values));
    case Node::Kind::kAdd:
      return EvaluateNode(*node.left, values) + EvaluateNode(*node.right, values);
    case Node::Kind::kSubtract:
      return EvaluateNode(*node.left, values) - EvaluateNode(*node.right, values);
    case Node::Kind::kMultiply:
      return EvaluateNode(*node.left, values) * EvaluateNode(*node.right, values);
    case Node::Kind::kDivide:
      return EvaluateNode(*node.left, values) / EvaluateNode(*node.right, values);
    case Node::Kind::kPower:
      return std::pow(EvaluateNode(*node.left, values), EvaluateNode(*node.right, values));
  }
  return std::nan("");
}

// ---- tokens -----------------------------------------------------------------------------------

struct Token {
  enum class Kind { kEnd, kNumber, kName, kPlus, kMinus, kTimes, kDivide, kPower, kOpen, kClose };
  Kind kind = Kind::kEnd;
  double number = 0;
  std::string name;
  size_t column = 1;  // 1-based, in characters
};

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// The multi-byte characters the grammar accepts, with the token each stands for.
struct Symbol {
  std::string_view utf8;
  Token::Kind kind;
  std::string_view name;  // for kName
};
constexpr std::array<Symbol, 6> kSymbols = {{
    {"\xc3\x97", Token::Kind::kTimes, ""},      // × U+00D7
    {"\xc3\xb7", Token::Kind::kDivide, ""},     // ÷ U+00F7
    {"\xc2\xb7", Token::Kind::kTimes, ""},      // · U+00B7
    {"\xe2\x8b\x85", Token::Kind::kTimes, ""},  // ⋅ U+22C5
    {"\xe2\x88\x92", Token::Kind::kMinus, ""},  // − U+2212
    {"\xcf\x80", Token::Kind::kName, "pi"},     // π U+03C0
}};

// Recursive descent, one token of lookahead. Every Parse* returns null after recording the first
// error. Depth counts parentheses, function calls, signs and exponents, and is capped at
// kMaxFormulaDepth so that the recursion (and the tree's depth) stays bounded.
class Parser {
 public:
  Parser(std::string_view text, const std::vector<std::string>& variables)
      : text_(text), variables_(variables) {}

  std::unique_ptr<Node> Parse() {
    if (!Advance()) return nullptr;
    if (token_.kind == Token::Kind::kEnd) {
      Fail(token_.column, "the formula is empty");
      return nullptr;
    }
    std::unique_ptr<Node> root = ParseSum(0);
    if (!root) return nullptr;
    if (token_.kind == Token::Kind::kClose) {
      Fail(token_.column, "')' without a matching '('");
      return nullptr;
    }
    if (token_.kind != Token::Kind::kEnd) {
      Fail(token_.column, "unexpected " + Describe(token_));
      return nullptr;
    }
    return root;
  }

  const Error& error() const { return error_; }

 private:
  void Fail(size_t column, const std::string& message) {
    if (!failed_) error_ = Error::Invalid("column " + std::to_string(column) + ": " + message);
    failed_ = true;
  }

  std::string Describe(const Token& token) const {
    switch (token.kind) {
      case Token::Kind::kEnd:
        return "the end of the formula";
      case Token::Kind::kNumber:
        return "a number";
      case Token::Kind::kName:
        return "'" + token.name + "'";
      case Token::Kind::kPlus:
        return "'+'";
      case Token::Kind::kMinus:
        return "'-'";
      case Token::Kind::kTimes:
        return "'*'";
      case Token::Kind::kDivide:
        return "'/'";
      case Token::Kind::kPower:
        return "'^'";
      case Token::Kind::kOpen:
        return "'('";
      case Token::Kind::kClose:
        return "')'";
    }
    return "a token";
  }

  // ---- lexing ----

  // Moves pos_ forward by `bytes` bytes that form `characters` characters.
  void Skip(size_t bytes, size_t characters = 1) {
    pos_ += bytes;
    column_ += characters;
  }

  bool Advance() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      Skip(1);
    }
    token_ = Token{};
    token_.column = column_;
    if (pos_ >= text_.size()) return true;
    const char c = text_[pos_];
    if (IsAsciiDigit(c) || (c == '.' && pos_ + 1 < text_.size() && IsAsciiDigit(text_[pos_ + 1]))) {
      return LexNumber();
    }
    if (IsAsciiLetter(c)) {
      const size_t start = pos_;
      while (pos_ < text_.size() &&
             (IsAsciiLetter(text_[pos_]) || IsAsciiDigit(text_[pos_]) || text_[pos_] == '_')) {
        Skip(1);
      }
      token_.kind = Token::Kind::kName;
      token_.name = std::string(text_.substr(start, pos_ - start));
      return true;
    }
    switch (c) {
      case '+':
        token_.kind = Token::Kind::kPlus;
        break;
      case '-':
        token_.kind = Token::Kind::kMinus;
        break;
      case '*':
        token_.kind = Token::Kind::kTimes;
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
          token_.kind = Token::Kind::kPower;
          Skip(1);
        }
        break;
      case '/':
        token_.kind = Token::Kind::kDivide;
        break;
      case '^':
        token_.kind = Token::Kind::kPower;
        break;
      case '(':
        token_.kind = Token::Kind::kOpen;
        break;
      case ')':
        token_.kind = Token::Kind::kClose;
        break;
      default:
        return LexSymbol();
    }
    Skip(1);
    return true;
  }

  bool LexSymbol() {
    const std::string_view rest = text_.substr(pos_);
    for (const Symbol& symbol : kSymbols) {
      if (rest.substr(0, symbol.utf8.size()) == symbol.utf8) {
        token_.kind = symbol.kind;
        token_.name = std::string(symbol.name);
        Skip(symbol.utf8.size());
        return true;
      }
    }
    const auto byte = static_cast<unsigned char>(text_[pos_]);
    if (byte >= 0x20 && byte < 0x7F) {
      Fail(column_, "unexpected character '" + std::string(1, text_[pos_]) + "'");
    } else {
      Fail(column_,
           "unexpected character (only digits, letters, + - * / ^ × ÷ · and "
           "parentheses may be used)");
    }
    return false;
  }

  bool LexNumber() {
    const size_t start = pos_;
    const auto digits = [&] {
      while (pos_ < text_.size() && IsAsciiDigit(text_[pos_])) Skip(1);
    };
    digits();
    if (pos_ < text_.size() && text_[pos_] == '.') {
      Skip(1);
      digits();
    }
    // An exponent only when digits follow the e: "2e3" is 2000, "2e" and "2ex" are 2·e and 2·e·x.
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t at = pos_ + 1;
      if (at < text_.size() && (text_[at] == '+' || text_[at] == '-')) ++at;
      if (at < text_.size() && IsAsciiDigit(text_[at])) {
        Skip(at - pos_, at - pos_);
        digits();
      }
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      Fail(column_, "a number has at most one decimal point");
      return false;
    }
    const std::string_view literal = text_.substr(start, pos_ - start);
    double value = 0;
    const auto [end, error] =
        std::from_chars(literal.data(), literal.data() + literal.size(), value);
    if (error != std::errc() || end != literal.data() + literal.size() || !std::isfinite(value)) {
      Fail(token_.column, "the number " + std::string(literal) + " is out of range");
      return false;
    }
    token_.kind = Token::Kind::kNumber;
    token_.number = value;
    return true;
  }

  // ---- parsing ----

  bool Deeper(int depth) {
    if (depth <= kMaxFormulaDepth) return true;
    Fail(token_.column,
         "the formula is nested more than " + std::to_string(kMaxFormulaDepth) + " levels deep");
    return false;
  }

  static std::unique_ptr<Node> Binary(Node::Kind kind, std::unique_ptr<Node> left,
                                      std::unique_ptr<Node> right) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  bool StartsOperand() const {
    return token_.kind == Token::Kind::kNumber || token_.kind == Token::Kind::kName ||
           token_.kind == Token::Kind::kOpen;
  }

  // sum := product (('+' | '-') product)*
  std::unique_ptr<Node> ParseSum(int depth) {
    std::unique_ptr<Node> left = ParseProduct(depth);
    while (left && (token_.kind == Token::Kind::kPlus || token_.kind == Token::Kind::kMinus)) {
      const Node::Kind kind =
          token_.kind == Token::Kind::kPlus ? Node::Kind::kAdd : Node::Kind::kSubtract;
      if (!Advance()) return nullptr;
      std::unique_ptr<Node> right = ParseProduct(depth);
      if (!right) return nullptr;
      left = Binary(kind, std::move(left), std::move(right));
    }
    return left;
  }

  // product := signed (('*' | '/') signed | power)*   — the bare power is implicit
  // multiplication: "2x", "3(x+1)", "x y", "2 sin(x)". It takes no sign, so "2 -x" stays a
  // difference.
  std::unique_ptr<Node> ParseProduct(int depth) {
    std::unique_ptr<Node> left = ParseSigned(depth);
    while (left) {
      if (token_.kind == Token::Kind::kTimes || token_.kind == Token::Kind::kDivide) {
        const Node::Kind kind =
            token_.kind == Token::Kind::kTimes ? Node::Kind::kMultiply : Node::Kind::kDivide;
        if (!Advance()) return nullptr;
        std::unique_ptr<Node> right = ParseSigned(depth);
        if (!right) return nullptr;
        left = Binary(kind, std::move(left), std::move(right));
      } else if (StartsOperand()) {
        if (token_.kind == Token::Kind::kNumber && last_was_number_) {
          Fail(token_.column, "two numbers in a row; write an operator between them");
          return nullptr;
        }
        std::unique_ptr<Node> right = ParsePower(depth);
        if (!right) return nullptr;
        left = Binary(Node::Kind::kMultiply, std::move(left), std::move(right));
      } else {
        break;
      }
    }
    return left;
  }

  // signed := ('-' | '+') signed | power
  std::unique_ptr<Node> ParseSigned(int depth) {
    if (token_.kind != Token::Kind::kMinus && token_.kind != Token::Kind::kPlus) {
      return ParsePower(depth);
    }
    const bool negate = token_.kind == Token::Kind::kMinus;
    if (!Deeper(depth + 1) || !Advance()) return nullptr;
    std::unique_ptr<Node> operand = ParseSigned(depth + 1);
    if (!operand || !negate) return operand;
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::kNegate;
    node->left = std::move(operand);
    return node;
  }

  // power := primary ('^' signed)?   — right associative through `signed`, and the exponent may
  // carry a sign: "2^-1".
  std::unique_ptr<Node> ParsePower(int depth) {
    std::unique_ptr<Node> base = ParsePrimary(depth);
    if (!base || token_.kind != Token::Kind::kPower) return base;
    if (!Deeper(depth + 1) || !Advance()) return nullptr;
    std::unique_ptr<Node> exponent = ParseSigned(depth + 1);
    if (!exponent) return nullptr;
    last_was_number_ = false;
    return Binary(Node::Kind::kPower, std::move(base), std::move(exponent));
  }

  // primary := number | variable | constant | function '(' sum ')' | '(' sum ')'
  std::unique_ptr<Node> ParsePrimary(int depth) {
    const Token token = token_;
    switch (token.kind) {
      case Token::Kind::kNumber: {
        if (!Advance()) return nullptr;
        auto node = std::make_unique<Node>();
        node->number = token.number;
        last_was_number_ = true;
        return node;
      }
      case Token::Kind::kOpen: {
        if (!Deeper(depth + 1) || !Advance()) return nullptr;
        std::unique_ptr<Node> inner = ParseGroup(depth + 1, token.column);
        last_was_number_ = false;
        return inner;
      }
      case Token::Kind::kName:
        return ParseName(depth, token);
      case Token::Kind::kEnd:
        Fail(token.column, "the formula ends where a number, a variable or '(' was expected");
        return nullptr;
      default:
        Fail(token.column, "expected a number, a variable or '(' but found " + Describe(token));
        return nullptr;
    }
  }

  // The inside of parentheses opened at `open_column`, up to and including the ')'.
  std::unique_ptr<Node> ParseGroup(int depth, size_t open_column) {
    if (token_.kind == Token::Kind::kClose) {
      Fail(token_.column, "empty parentheses");
      return nullptr;
    }
    std::unique_ptr<Node> inner = ParseSum(depth);
    if (!inner) return nullptr;
    if (token_.kind != Token::Kind::kClose) {
      Fail(token_.kind == Token::Kind::kEnd ? open_column : token_.column,
           token_.kind == Token::Kind::kEnd ? "'(' is never closed"
                                            : "expected ')' but found " + Describe(token_));
      return nullptr;
    }
    if (!Advance()) return nullptr;
    return inner;
  }

  std::unique_ptr<Node> ParseName(int depth, const Token& token) {
    const std::string& name = token.name;
    if (!Advance()) return nullptr;
    last_was_number_ = false;
    if (std::find(variables_.begin(), variables_.end(), name) != variables_.end()) {
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::kVariable;
      node->variable = name;
      return node;
    }
    if (const std::optional<Function> function = FindFunction(name)) {
      if (token_.kind != Token::Kind::kOpen) {
        Fail(token.column, name + " needs parentheses, as in " + name + "(x)");
        return nullptr;
      }
      const size_t open_column = token_.column;
      if (!Deeper(depth + 1) || !Advance()) return nullptr;
      std::unique_ptr<Node> argument = ParseGroup(depth + 1, open_column);
      if (!argument) return nullptr;
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::kCall;
      node->function = *function;
      node->left = std::move(argument);
      return node;
    }
    if (const std::optional<double> constant = FindConstant(name)) {
      auto node = std::make_unique<Node>();
      node->number = *constant;
      return node;
    }
    Fail(token.column, UnknownName(name));
    return nullptr;
  }

  // "'xy' is not a variable of this exercise (its variables: x, y); for a product write x y".
  std::string UnknownName(const std::string& name) const {
    std::string message = "'" + name + "' is not a variable of this exercise";
    if (variables_.empty()) {
      message += " (it has no variables)";
    } else {
      message += " (its variables: ";
      for (size_t i = 0; i < variables_.size(); ++i) {
        message += (i == 0 ? "" : ", ") + variables_[i];
      }
      message += ")";
    }
    if (SplitsIntoKnownNames(name)) {
      message += "; for a product, put spaces or * between the names, as in x y";
    } else {
      for (const auto& [function_name, function] : kFunctions) {
        if (name.size() > function_name.size() && name.starts_with(function_name)) {
          message += "; a function needs parentheses, as in " + std::string(function_name) + "(x)";
          break;
        }
      }
    }
    return message;
  }

  // Whether `name` is a run of declared variables and constants written without spaces ("xy").
  bool SplitsIntoKnownNames(std::string_view name) const {
    std::vector<bool> reachable(name.size() + 1, false);
    reachable[0] = true;
    const auto known = [&](std::string_view part) {
      return FindConstant(part).has_value() ||
             std::find(variables_.begin(), variables_.end(), part) != variables_.end();
    };
    for (size_t start = 0; start < name.size(); ++start) {
      if (!reachable[start]) continue;
      for (size_t end = start + 1; end <= name.size(); ++end) {
        if (known(name.substr(start, end - start))) reachable[end] = true;
      }
    }
    return reachable[name.size()];
  }

  std::string_view text_;
  const std::vector<std::string>& variables_;
  size_t pos_ = 0;
  size_t column_ = 1;
  Token token_;
  bool last_was_number_ = false;  // whether the operand just parsed was a bare number
  bool failed_ = false;
  Error error_;
};

}  // namespace

Expression::Expression(std::unique_ptr<Node> root) : root_(std::move(root)) {}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

Result<Expression> Expression::Parse(std::string_view text,
                                     const std::vector<std::string>& variables) {
  // Checked before reading a byte, so that an oversized input costs nothing.
  if (text.size() > kMaxFormulaBytes) {
    return Error::Invalid("the formula is longer than " + std::to_string(kMaxFormulaBytes) +
                          " characters");
  }
  Parser parser(text, variables);
  std::unique_ptr<Node> root = parser.Parse();
  if (!root) return parser.error();
  return Expression(std::move(root));
}

double Expression::Evaluate(const std::map<std::string, double, std::less<>>& values) const {
  return EvaluateNode(*root_, values);
}

bool EquivalentExpressions(const Expression& key, const Expression& candidate,
                           const std::vector<FormulaVariable>& variables, int samples,
                           double tolerance, uint64_t seed) {
  if (samples <= 0) return false;
  std::mt19937_64 random(seed);
  // A uniform double in [0, 1) from the top 53 bits: the same sequence on every platform, which
  // std::uniform_real_distribution does not promise.
  const auto uniform = [&random] { return static_cast<double>(random() >> 11) * 0x1.0p-53; };
  const auto wanted = static_cast<size_t>(samples);
  const size_t max_draws = 4 * wanted;
  std::vector<std::pair<double, double>> values;  // (key, candidate) at each usable point
  std::map<std::string, double, std::less<>> point;
  for (size_t draw = 0; draw < max_draws && values.size() < wanted; ++draw) {
    for (const FormulaVariable& variable : variables) {
      const double low = std::min(variable.low, variable.high);
      const double high = std::max(variable.low, variable.high);
      point[variable.name] = low + uniform() * (high - low);
    }
    const double expected = key.Evaluate(point);
    if (!std::isfinite(expected)) continue;
    values.emplace_back(expected, candidate.Evaluate(point));
  }
  if (2 * values.size() < wanted) return false;

  std::vector<double> magnitudes;
  magnitudes.reserve(values.size());
  for (const auto& [expected, actual] : values) magnitudes.push_back(std::fabs(expected));
  std::nth_element(magnitudes.begin(), magnitudes.begin() + magnitudes.size() / 2,
                   magnitudes.end());
  double scale = magnitudes[magnitudes.size() / 2];
  if (scale == 0) scale = 1;

  const double allowed = std::max(tolerance, 0.0);
  return std::all_of(values.begin(), values.end(), [&](const std::pair<double, double>& v) {
    return std::isfinite(v.second) &&
           std::fabs(v.second - v.first) <= allowed * std::max(std::fabs(v.first), scale);
  });
}

}  // namespace practica::domain
