import { findTags } from '../src/search/vocabulary/tagger';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
const v = loadVocabulary();
for (const s of process.argv.slice(2)) console.log(s, '=>', JSON.stringify(findTags(v, [s])));
