package org.corridor.testanalysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.function.Function;

/**
 * Stock {@code synonym_graph} filter, Solr rule format. Parameters:
 * <ul>
 *   <li>{@code synonyms}: list of Solr-format rules ("a, b, c" or "a, b => c"), or</li>
 *   <li>{@code synonyms_path}: a rules file relative to the config directory;</li>
 *   <li>{@code expand} (default true), {@code lenient} (default: the value of updateable),
 *       {@code updateable} (default false; true makes the filter search-time only, as the real one),
 *       {@code format} (only "solr", the default).</li>
 * </ul>
 * {@code synonyms_set} (rules stored in the .synonyms index) is not supported.
 *
 * Faithful to the real filter where it matters for tokens: the rules are parsed by an analyzer built
 * from the very chain that precedes this filter in the custom analyzer (its tokenizer, char filters
 * and the earlier token filters, each in its "synonym parsing" form), so rules are lowercased,
 * folded and stemmed exactly as the text they will match.
 */
final class SynonymGraphFilterFactory extends AbstractTokenFilterFactory {

    private final Environment environment;
    private final Settings settings;
    private final boolean expand;
    private final boolean lenient;
    private final AnalysisMode analysisMode;

    SynonymGraphFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        this.environment = env;
        this.settings = settings;
        if (settings.hasValue("synonyms") == false && settings.hasValue("synonyms_path") == false) {
            if (settings.hasValue("synonyms_set")) {
                throw new IllegalArgumentException(
                    "synonyms_set is not supported by the Corridor test-only analysis plugin; use `synonyms`"
                );
            }
            throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured");
        }
        String format = settings.get("format", "");
        if (format.isEmpty() == false && "solr".equalsIgnoreCase(format) == false) {
            throw new IllegalArgumentException(
                "synonym format [" + format + "] is not supported by the Corridor test-only analysis plugin (only solr)"
            );
        }
        this.expand = settings.getAsBoolean("expand", true);
        boolean updateable = settings.getAsBoolean("updateable", false);
        this.lenient = settings.getAsBoolean("lenient", updateable);
        this.analysisMode = updateable ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return analysisMode;
    }

    @Override
    public TokenStream create(TokenStream in) {
        throw new IllegalStateException("synonym_graph must be specialised for its analysis chain first");
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(
        IndexCreationContext context,
        TokenizerFactory tokenizer,
        List<CharFilterFactory> charFilters,
        List<TokenFilterFactory> previousTokenFilters,
        Function<String, TokenFilterFactory> allFilters
    ) {
        Analyzer ruleAnalyzer = new CustomAnalyzer(
            tokenizer,
            charFilters.toArray(new CharFilterFactory[0]),
            previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new)
        );
        final SynonymMap synonyms = buildSynonyms(ruleAnalyzer);
        final String name = name();
        final AnalysisMode mode = analysisMode;
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream in) {
                return synonyms.fst == null ? in : new SynonymGraphFilter(in, synonyms, false);
            }

            /** A later synonym filter parses its rules without this one (no recursive expansion). */
            @Override
            public TokenFilterFactory getSynonymFilter() {
                return IDENTITY_FILTER;
            }

            @Override
            public AnalysisMode getAnalysisMode() {
                return mode;
            }
        };
    }

    private SynonymMap buildSynonyms(Analyzer ruleAnalyzer) {
        String origin;
        try {
            Reader rules;
            if (settings.hasValue("synonyms")) {
                origin = "'" + name() + "' analyzer settings";
                StringBuilder sb = new StringBuilder();
                for (String line : Analysis.getWordList(environment, settings, "synonyms")) {
                    sb.append(line).append('\n');
                }
                rules = new StringReader(sb.toString());
            } else {
                origin = settings.get("synonyms_path");
                rules = Analysis.getReaderFromFile(environment, origin, "synonyms");
            }
            RuleParser parser = new RuleParser(expand, lenient, ruleAnalyzer);
            parser.parse(rules);
            return parser.build();
        } catch (Exception e) {
            throw new IllegalArgumentException("failed to build synonyms for [" + name() + "]: " + e.getMessage(), e);
        }
    }

    /** Solr rules; when lenient, a rule term that analyses to nothing drops that mapping instead of failing. */
    private static final class RuleParser extends SolrSynonymParser {
        private final boolean lenient;

        RuleParser(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(text, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient) {
                    return new CharsRef("");
                }
                throw e;
            }
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (lenient == false || (input.length > 0 && output.length > 0)) {
                super.add(input, output, includeOrig);
            }
        }
    }
}
