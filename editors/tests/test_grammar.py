"""The TextMate grammar (editors/vscode) run by a VS Code-compatible engine (textmate-grammar-python,
Oniguruma) over editors/tests/sample.pq: each listed token must carry its scope."""
import json
import pathlib

import pytest
from textmate_grammar.parsers.base import LanguageParser

HERE = pathlib.Path(__file__).parent
GRAMMAR = json.loads((HERE.parent / "vscode" / "syntaxes" / "pq.tmLanguage.json").read_text())
SAMPLE = (HERE / "sample.pq").read_text()


@pytest.fixture(scope="module")
def tokens():
    parser = LanguageParser(GRAMMAR)
    element = parser.parse_string(SAMPLE)
    assert element is not None
    found = {}
    for (line, column), text, scopes in element.flatten():
        found.setdefault((line, text), []).append((column, scopes))
    return found


# (0-based line, the token's text, a scope it must have)
EXPECTED = [
    (0, "#!/usr/bin/env pq", "comment.line.shebang.pq"),
    (1, " Every kind of token pq has, for the grammar tests.", "comment.line.number-sign.pq"),
    (2, "let", "storage.type.pq"),
    (2, "users", "variable.other.pq"),
    (2, "70.4M", "constant.numeric.pq"),
    (3, "var", "storage.type.pq"),
    (3, "$2.6M", "constant.numeric.pq"),
    (4, "57%", "constant.numeric.pq"),
    (4, "2pp", "constant.numeric.pq"),
    (4, ".5", "constant.numeric.pq"),
    (4, "1_000", "constant.numeric.pq"),
    (4, "3.5e6", "constant.numeric.pq"),
    (4, "^", "keyword.operator.arithmetic.pq"),
    (4, "=", "keyword.operator.assignment.pq"),
    (5, "fn", "storage.type.function.pq"),
    (5, "per_user", "entity.name.function.pq"),
    (5, "revenue", "variable.other.property.pq"),
    (6, "name", "variable.other.key.pq"),
    (6, '\\"', "constant.character.escape.pq"),
    (6, "\\u{2192}", "constant.character.escape.pq"),
    (6, "\\(", "punctuation.section.interpolation.begin.pq"),
    (6, "len", "entity.name.function.call.pq"),
    (6, "ratio", "entity.name.function.call.pq"),
    (6, "mau", "variable.other.property.pq"),
    (6, "truth", "meta.parens.pq"),
    (7, "if", "keyword.control.pq"),
    (7, ">=", "keyword.operator.comparison.pq"),
    (7, "50%", "constant.numeric.pq"),
    (7, "and", "keyword.operator.word.pq"),
    (7, "not", "keyword.operator.word.pq"),
    (7, "false", "constant.language.boolean.pq"),
    (7, "nil", "constant.language.nil.pq"),
    (7, "else", "keyword.control.pq"),
    (7, "yes", "string.quoted.double.pq"),
    (8, "for", "keyword.control.pq"),
    (8, "in", "keyword.control.pq"),
    (8, "+=", "keyword.operator.assignment.pq"),
    (8, "mod", "keyword.operator.word.pq"),
    (9, "|>", "keyword.operator.pipe.pq"),
    (9, "rank", "entity.name.function.call.pq"),
    (10, "import", "keyword.control.import.pq"),
    (10, "as", "keyword.control.import.pq"),
    (11, "while", "keyword.control.pq"),
    (11, "break", "keyword.control.pq"),
    (11, ";", "punctuation.terminator.statement.pq"),
    (12, "log", "variable.other.key.pq"),
    (12, " trailing", "comment.line.number-sign.pq"),
]


@pytest.mark.parametrize("line,text,scope", EXPECTED)
def test_token_scope(tokens, line, text, scope):
    occurrences = tokens.get((line, text))
    assert occurrences, f"no token {text!r} on line {line}; tokens there: {sorted(t for (l, t) in tokens if l == line)}"
    assert any(scope in scopes for _, scopes in occurrences), f"{text!r} on line {line}: {occurrences}"


def test_interpolation_closes_after_nested_parentheses(tokens):
    # The string goes on after "\(len(ratio(…)))": its closing quote is a string end, and the
    # record's closing brace after it is code again.
    line = [(text, scopes) for (l, text), occ in tokens.items() if l == 6 for _, scopes in occ]
    ends = [scopes for text, scopes in line if text == '"' and "punctuation.definition.string.end.pq" in scopes]
    assert len(ends) == 2, line
    brace = [scopes for text, scopes in line if text == "}"]
    assert brace and all("string.quoted.double.pq" not in s for s in brace), brace
