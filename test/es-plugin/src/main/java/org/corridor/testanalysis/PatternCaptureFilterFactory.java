package org.corridor.testanalysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Stock {@code pattern_capture} filter. Parameters: {@code patterns} (required list of regular
 * expressions), {@code preserve_original} (default true). Registered because the security index
 * (.security, used for API keys, native users and roles) is created with an "email" analyzer that
 * needs it; Corridor's own index settings do not use it.
 */
final class PatternCaptureFilterFactory extends AbstractTokenFilterFactory {

    private final Pattern[] patterns;
    private final boolean preserveOriginal;

    PatternCaptureFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        List<String> regexes = settings.getAsList("patterns");
        if (regexes.isEmpty()) {
            throw new IllegalArgumentException("required setting 'patterns' is missing for token filter [" + name + "]");
        }
        this.patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", true);
    }

    @Override
    public TokenStream create(TokenStream in) {
        return new PatternCaptureGroupTokenFilter(in, preserveOriginal, patterns);
    }
}
