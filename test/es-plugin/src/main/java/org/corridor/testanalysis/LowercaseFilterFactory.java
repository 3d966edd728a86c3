package org.corridor.testanalysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.LowerCaseFilter;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

import java.util.Locale;

/** Stock {@code lowercase} filter. Parameter: {@code language} (absent, greek, irish, turkish). */
final class LowercaseFilterFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {

    private final String language;

    LowercaseFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        String lang = settings.get("language");
        this.language = lang == null ? "" : lang.toLowerCase(Locale.ROOT);
        switch (language) {
            case "", "greek", "irish", "turkish" -> {
            }
            default -> throw new IllegalArgumentException("language [" + lang + "] not supported for lower case");
        }
    }

    @Override
    public TokenStream create(TokenStream in) {
        return switch (language) {
            case "greek" -> new GreekLowerCaseFilter(in);
            case "irish" -> new IrishLowerCaseFilter(in);
            case "turkish" -> new TurkishLowerCaseFilter(in);
            default -> new LowerCaseFilter(in);
        };
    }
}
