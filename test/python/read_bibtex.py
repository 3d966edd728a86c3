"""Parses BibTeX from standard input with bibtexparser 2 and prints entries as JSON.

Two passes, as a reference manager reads a file: field values with LaTeX decoded to Unicode
(braced groups too, so a title's case-protecting braces go), author lists split the BibTeX
way (" and " between names; "Family, Given"; a braced name is one corporate name, its braces
kept in the output), and the verbatim fields (url, doi) as written.
"""
import json
import sys

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

text = sys.stdin.buffer.read().decode("utf-8")
fields = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(keep_braced_groups=False)])
names = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
raw = bibtexparser.parse_string(text)
VERBATIM = {"url", "doi"}

entries = []
for plain, split, verbatim in zip(fields.entries, names.entries, raw.entries):
    authors = split.fields_dict.get("author")
    values = {f.key: f.value for f in plain.fields if f.key != "author"}
    values.update({f.key: f.value for f in verbatim.fields if f.key in VERBATIM})
    entries.append({
        "type": plain.entry_type,
        "key": plain.key,
        "fields": values,
        "authors": [{"first": " ".join(n.first), "von": " ".join(n.von), "last": " ".join(n.last), "jr": " ".join(n.jr)} for n in (authors.value if authors else [])],
    })

print(json.dumps({"entries": entries, "failed": [b.raw for b in fields.failed_blocks]}, ensure_ascii=False))
