// A reader for the Python literals ast.literal_eval accepts, to the JSON value Ansible would hold:
// strings (quotes, escapes, r/u prefixes, adjacent ones joined), int and float numbers (with '_',
// 0x/0o/0b, a sign), True/False/None, lists, tuples (also bare: "1, 2"), dicts. Anything else, a
// Python SyntaxError or ValueError included, leaves the text as it is, as Ansible does.
#include "inventory/ini_value.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace berth::inventory {

namespace {

struct NotLiteral {};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_word(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

int hex_digit(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    // Surrogates cannot be UTF-8 (Ansible's to_text would refuse them too).
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw NotLiteral{};
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class Reader {
  public:
    explicit Reader(std::string_view text) : s_(text) {}

    nlohmann::json top() {
        skip();
        if (at_end()) throw NotLiteral{};
        nlohmann::json v = value();
        skip();
        if (peek() == ',') { // a bare tuple: "1, 2"
            nlohmann::json items = nlohmann::json::array({v});
            while (peek() == ',') {
                ++i_;
                skip();
                if (at_end()) break;
                items.push_back(value());
                skip();
            }
            v = items;
        }
        if (!at_end()) throw NotLiteral{};
        return v;
    }

  private:
    std::string_view s_;
    std::size_t i_ = 0;
    int depth_ = 0;

    bool at_end() const { return i_ >= s_.size(); }
    char peek(std::size_t ahead = 0) const {
        return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0';
    }

    void skip() {
        while (!at_end()) {
            char c = s_[i_];
            if (c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r') {
                ++i_;
            } else if (c == '#') { // a comment to the end
                i_ = s_.size();
            } else {
                break;
            }
        }
    }

    void expect(char c) {
        skip();
        if (peek() != c) throw NotLiteral{};
        ++i_;
    }

    // A value, with an optional sign on a number; "1 + 2j" and other operators are not literals
    // berth reads.
    nlohmann::json value() {
        if (++depth_ > 100) throw NotLiteral{};
        skip();
        nlohmann::json v;
        if (peek() == '-' || peek() == '+') {
            bool minus = peek() == '-';
            ++i_;
            skip();
            if (!is_digit(peek()) && !(peek() == '.' && is_digit(peek(1)))) throw NotLiteral{};
            v = number();
            if (minus) {
                if (v.is_number_unsigned() && v.get<std::uint64_t>() == (1ull << 63))
                    v = INT64_MIN;
                else if (v.is_number_float() || v.is_number_unsigned())
                    v = -v.get<double>();
                else
                    v = -v.get<std::int64_t>();
            }
        } else {
            v = atom();
        }
        skip();
        if (peek() == '+' || peek() == '-') throw NotLiteral{};
        --depth_;
        return v;
    }

    nlohmann::json atom() {
        char c = peek();
        if (c == '[') {
            ++i_;
            return sequence(']');
        }
        if (c == '(') {
            ++i_;
            skip();
            if (peek() == ')') {
                ++i_;
                return nlohmann::json::array();
            }
            nlohmann::json first = value();
            skip();
            if (peek() == ')') { // parentheses only
                ++i_;
                return first;
            }
            expect(',');
            nlohmann::json rest = sequence(')');
            rest.insert(rest.begin(), first);
            return rest;
        }
        if (c == '{') {
            ++i_;
            return dict();
        }
        if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return number();
        if (c == '\'' || c == '"') return strings("");
        if (is_word(c)) {
            std::size_t start = i_;
            while (is_word(peek())) ++i_;
            std::string word(s_.substr(start, i_ - start));
            if (peek() == '\'' || peek() == '"') return strings(word);
            if (word == "True") return true;
            if (word == "False") return false;
            if (word == "None") return nullptr;
        }
        throw NotLiteral{};
    }

    // Items up to `close` (its opening bracket read), a trailing comma allowed.
    nlohmann::json sequence(char close) {
        nlohmann::json items = nlohmann::json::array();
        while (true) {
            skip();
            if (peek() == close) {
                ++i_;
                return items;
            }
            items.push_back(value());
            skip();
            if (peek() == ',') {
                ++i_;
            } else if (peek() != close) {
                throw NotLiteral{};
            }
        }
    }

    // A JSON key as Python's json.dumps writes a dict key.
    static std::string key_text(const nlohmann::json& k) {
        if (k.is_string()) return k.get<std::string>();
        if (k.is_boolean()) return k.get<bool>() ? "true" : "false";
        if (k.is_null()) return "null";
        if (k.is_number_integer() || k.is_number_unsigned()) return k.dump();
        throw NotLiteral{}; // floats (Python's repr) and tuples: not read
    }

    // Python's identity of a key: True is 1 and False is 0 (one key, the first one's name).
    static std::string key_identity(const nlohmann::json& k) {
        if (k.is_boolean()) return k.get<bool>() ? "n1" : "n0";
        if (k.is_string()) return "s" + k.get<std::string>();
        return "n" + key_text(k);
    }

    nlohmann::json dict() {
        nlohmann::json out = nlohmann::json::object();
        std::map<std::string, std::string> names; // identity -> the key's text
        while (true) {
            skip();
            if (peek() == '}') {
                ++i_;
                return out;
            }
            nlohmann::json k = value();
            expect(':'); // "{1, 2}" is a set: not read
            auto [at, fresh] = names.emplace(key_identity(k), key_text(k));
            out[at->second] = value();
            skip();
            if (peek() == ',') {
                ++i_;
            } else if (peek() != '}') {
                throw NotLiteral{};
            }
        }
    }

    // Digits with single '_' between them.
    std::string digits(bool (*ok)(char)) {
        std::string out;
        while (ok(peek()) || (peek() == '_' && !out.empty() && ok(peek(1)))) {
            if (peek() != '_') out += peek();
            ++i_;
        }
        return out;
    }

    nlohmann::json number() {
        if (peek() == '0' && std::string_view("xXoObB").find(peek(1)) != std::string_view::npos &&
            peek(1) != '\0') {
            char kind = static_cast<char>(peek(1) | 0x20);
            i_ += 2;
            if (peek() == '_') ++i_; // "0x_ff" is Python too
            auto hex = [](char c) { return hex_digit(c) >= 0; };
            auto oct = [](char c) { return c >= '0' && c <= '7'; };
            auto bin = [](char c) { return c == '0' || c == '1'; };
            std::string d = digits(kind == 'x' ? +hex : kind == 'o' ? +oct : +bin);
            if (d.empty() || is_word(peek())) throw NotLiteral{};
            int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            return integer(d, base);
        }
        std::string text = digits(is_digit);
        bool is_float = false;
        if (peek() == '.') {
            ++i_;
            text += '.';
            text += digits(is_digit);
            is_float = true;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++i_;
            text += 'e';
            if (peek() == '+' || peek() == '-') text += s_[i_++];
            std::string exp = digits(is_digit);
            if (exp.empty()) throw NotLiteral{};
            text += exp;
            is_float = true;
        }
        if (is_word(peek()) || peek() == '.') throw NotLiteral{}; // 1j, 1abc, 1.2.3
        if (is_float) return std::strtod(text.c_str(), nullptr);
        // "07" is a SyntaxError in Python 3; "00" is 0.
        if (text.size() > 1 && text[0] == '0' && text.find_first_not_of('0') != std::string::npos)
            throw NotLiteral{};
        return integer(text, 10);
    }

    // Python's ints have no bound; past 64 bits the value is kept as JSON would read it back.
    static nlohmann::json integer(const std::string& d, int base) {
        errno = 0;
        unsigned long long v = std::strtoull(d.c_str(), nullptr, base);
        if (errno == 0) {
            if (v <= static_cast<unsigned long long>(INT64_MAX))
                return static_cast<std::int64_t>(v);
            return static_cast<std::uint64_t>(v);
        }
        if (base == 10) return std::strtod(d.c_str(), nullptr); // rounded as a JSON reader does
        double x = 0;
        for (char c : d) x = x * base + hex_digit(c);
        return x;
    }

    nlohmann::json strings(const std::string& prefix) {
        std::string p;
        for (char c : prefix) p += static_cast<char>(c | 0x20);
        // Bytes (b'') become text through Ansible's to_text; f-strings are no literals.
        auto known = [](const std::string& x) {
            return x == "" || x == "r" || x == "u" || x == "b" || x == "br" || x == "rb";
        };
        if (!known(p)) throw NotLiteral{};
        const bool bytes = p.find('b') != std::string::npos;
        std::string out = one_string(p.find('r') != std::string::npos, bytes);
        // Adjacent strings are one: 'a' "b" is "ab" (bytes and text do not mix).
        while (true) {
            skip();
            std::size_t save = i_;
            std::string next;
            while (is_word(peek())) next += static_cast<char>(s_[i_++] | 0x20);
            if ((peek() == '\'' || peek() == '"') && known(next) &&
                (next.find('b') != std::string::npos) == bytes) {
                out += one_string(next.find('r') != std::string::npos, bytes);
            } else if (peek() == '\'' || peek() == '"') {
                throw NotLiteral{};
            } else {
                i_ = save;
                return out;
            }
        }
    }

    std::string one_string(bool raw, bool bytes) {
        char q = s_[i_];
        bool triple = peek(1) == q && peek(2) == q;
        i_ += triple ? 3 : 1;
        std::string out;
        while (true) {
            if (at_end()) throw NotLiteral{};
            char c = s_[i_];
            if (c == q && (!triple || (peek(1) == q && peek(2) == q))) {
                i_ += triple ? 3 : 1;
                return out;
            }
            if ((c == '\n' || c == '\r') && !triple) throw NotLiteral{};
            ++i_;
            if (bytes && static_cast<unsigned char>(c) >= 0x80) throw NotLiteral{}; // ASCII only
            if (c != '\\') {
                out += c;
                continue;
            }
            if (at_end()) throw NotLiteral{};
            char e = s_[i_++];
            if (raw) { // the backslash stays; it only keeps a quote from ending the string
                out += '\\';
                out += e;
                continue;
            }
            if (bytes && (e == 'u' || e == 'U' || e == 'N')) { // no escapes in bytes
                out += '\\';
                out += e;
                continue;
            }
            std::size_t before = out.size();
            escape(e, out);
            // A byte past 127 would have to be decoded as UTF-8: not read.
            if (bytes && out.size() > before && static_cast<unsigned char>(out.back()) >= 0x80)
                throw NotLiteral{};
        }
    }

    void escape(char e, std::string& out) {
        switch (e) {
        case '\n':
            return;
        case '\\':
            out += '\\';
            return;
        case '\'':
            out += '\'';
            return;
        case '"':
            out += '"';
            return;
        case 'a':
            out += '\a';
            return;
        case 'b':
            out += '\b';
            return;
        case 'f':
            out += '\f';
            return;
        case 'n':
            out += '\n';
            return;
        case 'r':
            out += '\r';
            return;
        case 't':
            out += '\t';
            return;
        case 'v':
            out += '\v';
            return;
        case 'x':
        case 'u':
        case 'U': {
            int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            std::uint32_t cp = 0;
            for (int k = 0; k < n; ++k) {
                int d = hex_digit(peek());
                if (d < 0) throw NotLiteral{};
                cp = cp * 16 + static_cast<std::uint32_t>(d);
                ++i_;
            }
            append_utf8(out, cp);
            return;
        }
        case 'N':
            throw NotLiteral{}; // \N{NAME}: no table of names here
        default:
            if (e >= '0' && e <= '7') {
                std::uint32_t cp = static_cast<std::uint32_t>(e - '0');
                for (int k = 0; k < 2 && peek() >= '0' && peek() <= '7'; ++k)
                    cp = cp * 8 + static_cast<std::uint32_t>(s_[i_++] - '0');
                append_utf8(out, cp);
                return;
            }
            out += '\\'; // an unknown escape keeps its backslash
            out += e;
        }
    }
};

} // namespace

nlohmann::json ini_value(std::string_view text) {
    // Python strips leading spaces and tabs before parsing; the text stays as it was.
    try {
        return Reader(text).top();
    } catch (const NotLiteral&) {
        return std::string(text);
    } catch (const nlohmann::json::exception&) {
        return std::string(text);
    }
}

} // namespace berth::inventory
