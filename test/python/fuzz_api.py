"""Fuzzes Corridor's JSON API with Schemathesis, reading the OpenAPI document it serves.

usage: fuzz_api.py OPENAPI_URL [MAX_EXAMPLES]
Every generated request (valid and invalid) must get an answer that is not a 5xx, whose status
code, content type and body the document describes. Exits with Schemathesis's status.
"""
import shutil
import subprocess
import sys
import tempfile

url = sys.argv[1]
examples = sys.argv[2] if len(sys.argv) > 2 else "50"
# Schemathesis keeps a cache in its working directory: give it a throwaway one.
workdir = tempfile.mkdtemp(prefix="corridor-schemathesis-")
result = subprocess.run([
    sys.executable, "-m", "schemathesis.cli", "run", url,
    "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
    "--mode", "all",
    "--max-examples", examples,
    "--seed", "20240601",
    "--request-timeout", "20",
    "--generation-database", "none",
    "--no-color",
], cwd=workdir)
shutil.rmtree(workdir, ignore_errors=True)
sys.exit(result.returncode)
