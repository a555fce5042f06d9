"""What a reader typed, read as web-search syntax: phrases, `-excluded` words and `or`."""

import re
from dataclasses import dataclass, field

from core.text import clean_line

MAX_QUERY_LENGTH = 200


def normalize_query(text):
    """One line of visible text, at most MAX_QUERY_LENGTH characters (no NUL, no bidi controls)."""
    return clean_line(str(text or ""))[:MAX_QUERY_LENGTH].strip()


@dataclass
class ParsedQuery:
    """Web-search syntax for the simple backend: groups joined by "or", words or "phrases", -excluded."""

    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def words(self):
        return [word for group in self.groups for word in group]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def parse_query(text):
    parsed = ParsedQuery(groups=[[]])
    for match in _TOKEN.finditer(text):
        if match.group(3) is not None:
            raw = match.group(3)
            if raw.lower() == "or":
                parsed.groups.append([])
                continue
            negated = raw.startswith("-")
        else:
            raw, negated = match.group(2), match.group(1) == "-"
        word = " ".join(_EDGE_PUNCTUATION.sub("", part) for part in raw.split())
        word = word.strip()
        if not word:
            continue
        (parsed.excluded if negated else parsed.groups[-1]).append(word)
    parsed.groups = [group for group in parsed.groups if group]
    return parsed
