#!/usr/bin/env bash
# Smoke test of the running test Elasticsearch and of the test-only analysis plugin.
#
#   bash scripts/es/es-smoke.sh            against the single node (source of settings: $CORRIDOR_ES_HOME/env)
#   bash scripts/es/es-smoke.sh --cluster  against the three-node cluster (cluster.env)
#
# CORRIDOR_ES_URL / CORRIDOR_ES_USERNAME / CORRIDOR_ES_PASSWORD, when set, win over the env file.
# Creates a throwaway index whose custom analyzers use only stock Elasticsearch settings (standard
# tokenizer, lowercase, asciifolding, synonym_graph, stemmer), prints the tokens `_analyze` gives and
# checks them against what Elasticsearch documents, then deletes the index. Exit status 1 on mismatch.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=es-common.sh
. "$SCRIPT_DIR/es-common.sh"

ENV_FILE="$ES_ENV_FILE"
[ "${1:-}" = "--cluster" ] && ENV_FILE="$ES_CLUSTER_ENV_FILE"
if [ -z "${CORRIDOR_ES_URL:-}" ]; then
  [ -f "$ENV_FILE" ] || es_die "$ENV_FILE not found: start Elasticsearch first (npm run es:start)"
  # shellcheck disable=SC1090
  . "$ENV_FILE"
fi
export CORRIDOR_ES_URL CORRIDOR_ES_USERNAME CORRIDOR_ES_PASSWORD

exec node - <<'NODE'
process.stdout.on('error', () => {}); // e.g. piped into head
const base = process.env.CORRIDOR_ES_URL.replace(/\/$/, '');
const auth = 'Basic ' + Buffer.from(`${process.env.CORRIDOR_ES_USERNAME}:${process.env.CORRIDOR_ES_PASSWORD}`).toString('base64');
const index = `corridor-smoke-${process.pid}-${Date.now()}`;

async function es(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  if (!res.ok) throw new Error(`${method} ${path} -> HTTP ${res.status}: ${text.slice(0, 600)}`);
  return json;
}

const settings = {
  settings: {
    number_of_shards: 1,
    number_of_replicas: 0,
    analysis: {
      filter: {
        corridor_synonyms: {
          type: 'synonym_graph',
          synonyms: [
            "laos, lao pdr, lao people's democratic republic",
            'labor => labour',
            "côte d'ivoire, ivory coast",
          ],
        },
        // Search-time, reloadable variant (as the portal may use): must be accepted in a search_analyzer.
        corridor_synonyms_updateable: {
          type: 'synonym_graph',
          updateable: true,
          synonyms: ['migrant, emigrant'],
        },
        english_stemmer: { type: 'stemmer', language: 'english' },
        light_stemmer: { type: 'stemmer', language: 'light_english' },
        possessive: { type: 'stemmer', language: 'possessive_english' },
        folding_keep: { type: 'asciifolding', preserve_original: true },
        english_stop: { type: 'stop', stopwords: '_english_' },
        prefixes: { type: 'edge_ngram', min_gram: 2, max_gram: 5 },
      },
      normalizer: {
        facet: { type: 'custom', filter: ['lowercase', 'asciifolding'] },
      },
      analyzer: {
        corridor_text: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'asciifolding', 'corridor_synonyms', 'english_stemmer'],
        },
        corridor_search: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['possessive', 'lowercase', 'asciifolding', 'corridor_synonyms_updateable', 'english_stop', 'light_stemmer'],
        },
        corridor_folding: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'folding_keep'] },
        corridor_prefix: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'prefixes'] },
      },
    },
  },
  mappings: {
    properties: {
      title: { type: 'text', analyzer: 'corridor_text', search_analyzer: 'corridor_search' },
      country: { type: 'keyword', normalizer: 'facet' },
    },
  },
};

// Each case: what Elasticsearch documents (or what the Lucene filter it names produces).
const cases = [
  { what: 'stemmer (default porter), documented example', body: { tokenizer: 'standard', filter: ['stemmer'], text: 'the foxes jumping quickly' },
    expect: ['the', 'fox', 'jump', 'quickli'], global: true },
  { what: 'stemmer light_english (kstem), documented example', body: { tokenizer: 'standard', filter: [{ type: 'stemmer', language: 'light_english' }], text: 'the foxes jumping quickly' },
    expect: ['the', 'fox', 'jump', 'quick'], global: true },
  { what: 'asciifolding, documented example', body: { tokenizer: 'standard', filter: ['asciifolding'], text: 'açaí à la carte' },
    expect: ['acai', 'a', 'la', 'carte'], global: true },
  { what: 'custom analyzer: folding + english stemmer', body: { analyzer: 'corridor_text', text: 'Workers in Côte d’Ivoire' },
    expect: ['worker', 'in', 'cote', 'd\'ivoir', 'ivori', 'coast'] },
  { what: 'multi-word synonyms with positions (graph)', body: { analyzer: 'corridor_text', text: 'Lao PDR' },
    expect: ['lao@0/5', 'lao@0', 'lao@0/4', "people'@1", 'democrat@2', 'republ@3/2', 'pdr@4'], positions: true },
  { what: 'one-way rule labor => labour', body: { analyzer: 'corridor_text', text: 'labor migration' },
    expect: ['labour', 'migrat'] },
  { what: 'rules parsed through the chain (folded rule matches unaccented text)', body: { analyzer: 'corridor_text', text: 'Ivory Coast' },
    expect: ['cote', 'ivori', 'd\'ivoir', 'coast'] },
  { what: 'search analyzer: possessive, stop words, updateable synonyms, kstem', body: { analyzer: 'corridor_search', text: "The Migrant's rights of workers" },
    expect: ['migrant', 'emigrant', 'rights', 'worker'] }, // kstem keeps dictionary words such as "rights"
  { what: 'asciifolding preserve_original', body: { analyzer: 'corridor_folding', text: 'Genève' },
    expect: ['geneve', 'genève'] },
  { what: 'edge_ngram', body: { analyzer: 'corridor_prefix', text: 'Népal' },
    expect: ['ne', 'nep', 'nepa', 'nepal'] },
  { what: 'keyword normalizer (lowercase + asciifolding)', body: { normalizer: 'facet', text: 'CÔTE D’IVOIRE' },
    expect: ["cote d'ivoire"] },
];

function render(tokens, positions) {
  return tokens.map((t) => {
    if (!positions) return t.token;
    const len = t.positionLength && t.positionLength !== 1 ? `/${t.positionLength}` : '';
    return `${t.token}@${t.position}${len}`;
  });
}

(async () => {
  let failures = 0;
  const health = await es('GET', '/_cluster/health');
  console.log(`cluster ${health.cluster_name}: status ${health.status}, ${health.number_of_nodes} node(s)`);
  await es('PUT', `/${index}`, settings);
  try {
    for (const c of cases) {
      const path = c.global ? '/_analyze' : `/${index}/_analyze`;
      const res = await es('POST', path, c.body);
      const got = render(res.tokens, c.positions);
      // Same tokens regardless of the order of tokens stacked at one position, except for graph checks.
      const same = c.positions
        ? JSON.stringify(got) === JSON.stringify(c.expect)
        : JSON.stringify([...got].sort()) === JSON.stringify([...c.expect].sort());
      if (!same) failures++;
      console.log(`${same ? 'ok  ' : 'FAIL'} ${c.what}: ${JSON.stringify(c.body.text)} -> [${got.join(', ')}]` +
        (same ? '' : `\n     expected [${c.expect.join(', ')}]`));
    }
    const doc = await es('PUT', `/${index}/_doc/1?refresh=true`, { title: 'Labor migrants from Lao PDR', country: 'Côte d’Ivoire' });
    const hits = await es('POST', `/${index}/_search`, {
      query: { bool: { must: { match: { title: 'laos labour emigrants' } }, filter: { term: { country: "cote d'ivoire" } } } },
    });
    const found = hits.hits.total.value === 1;
    if (!found || doc.result !== 'created') failures++;
    console.log(`${found ? 'ok  ' : 'FAIL'} index + search through synonyms and the normalized facet: ${hits.hits.total.value} hit(s)`);
  } finally {
    await es('DELETE', `/${index}`);
  }
  console.log(failures === 0 ? 'smoke test passed' : `smoke test FAILED (${failures} mismatch(es))`);
  process.exit(failures === 0 ? 0 : 1);
})().catch(async (err) => {
  console.error(`smoke test error: ${err.message}`);
  try { await es('DELETE', `/${index}`); } catch {}
  process.exit(1);
});
NODE
