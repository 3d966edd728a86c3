"""Parses RIS from standard input with rispy; prints the entries as JSON."""
import json
import sys

import rispy

text = sys.stdin.buffer.read().decode("utf-8")
print(json.dumps(rispy.loads(text), ensure_ascii=False))
