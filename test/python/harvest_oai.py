"""Harvests a Corridor OAI-PMH provider with Sickle and prints what it read as JSON.

usage: harvest_oai.py BASE_URL [set]
"""
import json
import sys

from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

base = sys.argv[1]
oai_set = sys.argv[2] if len(sys.argv) > 2 else None
sickle = Sickle(base, max_retries=0, timeout=60)

identify = sickle.Identify()
formats = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
sets = [{"spec": s.setSpec, "name": s.setName} for s in sickle.ListSets()]

args = {"metadataPrefix": "oai_dc"}
if oai_set:
    args["set"] = oai_set
records = []
try:
    for record in sickle.ListRecords(**args):
        records.append({
            "identifier": record.header.identifier,
            "datestamp": record.header.datestamp,
            "setSpecs": record.header.setSpecs,
            "metadata": record.metadata,
        })
except NoRecordsMatch:
    pass

identifiers = []
try:
    identifiers = [h.identifier for h in sickle.ListIdentifiers(**args)]
except NoRecordsMatch:
    pass

first = None
if records:
    got = sickle.GetRecord(identifier=records[0]["identifier"], metadataPrefix="oai_dc")
    first = {"identifier": got.header.identifier, "metadata": got.metadata}

print(json.dumps({
    "identify": {
        "repositoryName": identify.repositoryName,
        "baseURL": identify.baseURL,
        "protocolVersion": identify.protocolVersion,
        "granularity": identify.granularity,
        "earliestDatestamp": identify.earliestDatestamp,
        "deletedRecord": identify.deletedRecord,
    },
    "formats": formats,
    "sets": sets,
    "records": records,
    "identifiers": identifiers,
    "getRecord": first,
}, ensure_ascii=False))
