"""Parses an RSS or Atom feed (the file named, or standard input) with feedparser; prints JSON."""
import json
import sys
import time

import feedparser

data = open(sys.argv[1], "rb").read() if len(sys.argv) > 1 else sys.stdin.buffer.read()
parsed = feedparser.parse(data)


def iso(struct):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", struct) if struct else None


print(json.dumps({
    "bozo": bool(parsed.bozo),
    "bozo_exception": str(parsed.get("bozo_exception", "")),
    "version": parsed.version,
    "feed": {
        "title": parsed.feed.get("title"),
        "link": parsed.feed.get("link"),
        "id": parsed.feed.get("id"),
        "updated": iso(parsed.feed.get("updated_parsed")),
        "links": [{"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")} for l in parsed.feed.get("links", [])],
    },
    "entries": [{
        "title": e.get("title"),
        "title_type": e.get("title_detail", {}).get("type"),
        "link": e.get("link"),
        "id": e.get("id"),
        "summary": e.get("summary"),
        "published": iso(e.get("published_parsed")),
        "updated": iso(e.get("updated_parsed")),
        "authors": [a.get("name") for a in e.get("authors", [])],
        "tags": [t.get("term") for t in e.get("tags", [])],
    } for e in parsed.entries],
}, ensure_ascii=False))
