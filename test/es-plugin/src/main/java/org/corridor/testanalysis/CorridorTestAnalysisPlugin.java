package org.corridor.testanalysis;

import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;
import java.util.TreeMap;

/**
 * TEST-ONLY plugin. The Elasticsearch integration-test distribution from Maven Central lacks the
 * analysis-common module, so it does not know the stock token filters Corridor's index settings
 * use. This plugin registers those stock names (and parameters) by wrapping Lucene's own classes,
 * so that the same, unchanged index settings run on the test server and on the official image.
 *
 * Never install it anywhere but on the throwaway server that scripts/es/es-start.sh runs: on a real
 * Elasticsearch the names below are already taken by analysis-common and the install would fail.
 *
 * Built into the core server, and therefore NOT registered here: the standard tokenizer, the
 * stop, shingle and hunspell filters, and the parameterless (pre-configured) lowercase filter.
 */
public final class CorridorTestAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        // Used by Corridor's index settings.
        filters.put("lowercase", LowercaseFilterFactory::new);
        filters.put("asciifolding", AsciiFoldingFilterFactory::new);
        filters.put("stemmer", StemmerFilterFactory::new);
        filters.put("edge_ngram", EdgeNGramFilterFactory::new);
        // Like the real one, synonym_graph cannot be used by bare name: it needs its rules.
        filters.put("synonym_graph", AnalysisPlugin.requiresAnalysisSettings(SynonymGraphFilterFactory::new));
        // Needed by the .security system index (API keys, native users and roles), not by Corridor.
        filters.put("pattern_capture", AnalysisPlugin.requiresAnalysisSettings(PatternCaptureFilterFactory::new));
        filters.put("unique", UniqueFilterFactory::new);
        return filters;
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        // Needed by the .security system index, not by Corridor.
        return Map.of("uax_url_email", UaxUrlEmailTokenizerFactory::new);
    }
}
