// A transcription of Python's shlex.shlex.read_token for posix=True, whitespace_split=True.
#include "inventory/shlex.hpp"

#include "util/error.hpp"

namespace berth::inventory {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

std::vector<std::string> shlex_split(std::string_view line, bool comments) {
    std::vector<std::string> words;
    std::string token;
    bool quoted = false;     // the word had quotes: '' is a word
    char state = ' ';        // ' ' between words, 'a' in a word, '\'' or '"' in quotes, '\\'
    char escaped_from = ' '; // the state a backslash came from
    std::size_t i = 0;
    auto end_word = [&] {
        if (!token.empty() || quoted) words.push_back(token);
        token.clear();
        quoted = false;
    };
    while (true) {
        if (i == line.size()) {
            if (state == '\'' || state == '"') throw InputError("No closing quotation");
            if (state == '\\') throw InputError("No escaped character");
            end_word();
            return words;
        }
        char c = line[i++];
        if (state == ' ' || state == 'a') {
            if (is_space(c)) {
                if (state == 'a') end_word();
                state = ' ';
            } else if (comments && c == '#') {
                // The rest of the line is a comment, in a word too ("a#b" is "a").
                if (state == 'a') end_word();
                state = ' ';
                i = line.size();
            } else if (c == '\\') {
                escaped_from = 'a';
                state = '\\';
            } else if (c == '\'' || c == '"') {
                state = c;
            } else {
                token += c;
                state = 'a';
            }
        } else if (state == '\'' || state == '"') {
            quoted = true;
            if (c == state) {
                state = 'a';
            } else if (c == '\\' && state == '"') {
                escaped_from = state;
                state = '\\';
            } else {
                token += c;
            }
        } else { // after a backslash
            // In double quotes a backslash escapes only '"' and '\\'; elsewhere it stays.
            if (escaped_from == '"' && c != '"' && c != '\\') token += '\\';
            token += c;
            state = escaped_from;
        }
    }
}

} // namespace berth::inventory
