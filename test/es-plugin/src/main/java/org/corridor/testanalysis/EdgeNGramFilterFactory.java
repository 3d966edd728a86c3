package org.corridor.testanalysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;

/**
 * Stock {@code edge_ngram} filter. Parameters: {@code min_gram} (default 1), {@code max_gram}
 * (default 2), {@code preserve_original} (default false), {@code side} (front, or the deprecated back).
 */
final class EdgeNGramFilterFactory extends AbstractTokenFilterFactory {

    private final int minGram;
    private final int maxGram;
    private final boolean preserveOriginal;
    private final boolean back;

    EdgeNGramFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        this.minGram = settings.getAsInt("min_gram", 1);
        this.maxGram = settings.getAsInt("max_gram", 2);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        String side = settings.get("side", "front");
        this.back = switch (side) {
            case "front" -> false;
            case "back" -> true;
            default -> throw new IllegalArgumentException("invalid side: " + side);
        };
    }

    @Override
    public TokenStream create(TokenStream in) {
        TokenStream out = back ? new ReverseStringFilter(in) : in;
        out = new EdgeNGramTokenFilter(out, minGram, maxGram, preserveOriginal);
        return back ? new ReverseStringFilter(out) : out;
    }

    @Override
    public boolean breaksFastVectorHighlighter() {
        return true;
    }

    /** As in Elasticsearch: an n-gram filter placed before synonym_graph is an error. */
    @Override
    public TokenFilterFactory getSynonymFilter() {
        throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
    }
}
