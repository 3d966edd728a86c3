/** Raw record → ResourceDocument with the project's vocabulary and analysers. */
import { deriveRegions, findTags } from '../src/search/vocabulary/tagger';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import type { RecordPreparer } from './pipeline';
import { normaliseRecord } from './records/normalise';
import { toDocument } from './records/to-document';

export function recordPreparer(vocab: Vocabulary): RecordPreparer {
  return (raw, source) => {
    const result = normaliseRecord(raw, vocab, source);
    if (!result.ok) return { ok: false, reason: result.reason };
    const document = toDocument(result.record, vocab, findTags, deriveRegions, (v, id) => v.isGrouping(id));
    return { ok: true, document, unknownFields: result.unknownFields, warnings: result.warnings };
  };
}
