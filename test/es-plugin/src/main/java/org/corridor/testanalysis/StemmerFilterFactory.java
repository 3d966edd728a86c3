package org.corridor.testanalysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.util.Locale;

/**
 * Stock {@code stemmer} filter, English languages only. Parameter {@code language} (or its older
 * alias {@code name}; default {@code porter}), mapped to the same Lucene classes as Elasticsearch's
 * documented table:
 * <ul>
 *   <li>english, porter: PorterStemFilter</li>
 *   <li>light_english (lightEnglish, kstem): KStemFilter</li>
 *   <li>minimal_english (minimalEnglish): EnglishMinimalStemFilter</li>
 *   <li>possessive_english (possessiveEnglish): EnglishPossessiveFilter</li>
 *   <li>porter2: SnowballFilter with the Snowball English stemmer</li>
 * </ul>
 * Any other language is rejected at index creation, with a message naming this test plugin.
 */
final class StemmerFilterFactory extends AbstractTokenFilterFactory {

    private enum Kind { PORTER, KSTEM, MINIMAL, POSSESSIVE, PORTER2 }

    private final Kind kind;

    StemmerFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        String language = settings.get("language", settings.get("name", "porter"));
        this.kind = switch (language.toLowerCase(Locale.ROOT)) {
            case "english", "porter" -> Kind.PORTER;
            case "light_english", "lightenglish", "kstem" -> Kind.KSTEM;
            case "minimal_english", "minimalenglish" -> Kind.MINIMAL;
            case "possessive_english", "possessiveenglish" -> Kind.POSSESSIVE;
            case "porter2" -> Kind.PORTER2;
            default -> throw new IllegalArgumentException(
                "stemmer language [" + language + "] is not supported by the Corridor test-only analysis plugin "
                    + "(it supports english, porter, light_english, kstem, minimal_english, possessive_english, porter2); "
                    + "add it in test/es-plugin if the index settings need it"
            );
        };
    }

    @Override
    public TokenStream create(TokenStream in) {
        return switch (kind) {
            case PORTER -> new PorterStemFilter(in);
            case KSTEM -> new KStemFilter(in);
            case MINIMAL -> new EnglishMinimalStemFilter(in);
            case POSSESSIVE -> new EnglishPossessiveFilter(in);
            case PORTER2 -> new SnowballFilter(in, new EnglishStemmer());
        };
    }
}
