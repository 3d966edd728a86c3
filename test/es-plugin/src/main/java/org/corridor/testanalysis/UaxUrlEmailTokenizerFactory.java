package org.corridor.testanalysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

/**
 * Stock {@code uax_url_email} tokenizer. Parameter: {@code max_token_length} (default 255).
 * Registered for the security index's "email" analyzer (see PatternCaptureFilterFactory).
 */
final class UaxUrlEmailTokenizerFactory extends AbstractTokenizerFactory {

    private final int maxTokenLength;

    UaxUrlEmailTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        this.maxTokenLength = settings.getAsInt("max_token_length", 255);
    }

    @Override
    public Tokenizer create() {
        UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
        tokenizer.setMaxTokenLength(maxTokenLength);
        return tokenizer;
    }
}
