// The Elasticsearch analysis chain of search/elastic/settings.py, rebuilt from
// the Lucene classes Elasticsearch 7.10 / OpenSearch 1.x use (Lucene 8.7), to
// check offline what the cluster will index (tests/engine/test_elasticsearch.py).
//
// Usage: java -cp lucene-core.jar:lucene-analyzers-common.jar:. ArabicChain DIR
// DIR holds mapping.txt, pattern.txt, stop.txt, overrides.txt, synonyms.txt, keywords.txt
// (one rule or word per line, as in the index settings) and input.txt (one
// text per line). Output: per input line, three lines "index\t...",
// "search\t...", "exact\t..." with the tokens separated by spaces and tokens
// at the same position joined by "|".
//
// Rule parsing follows Elasticsearch's factories: mapping rules are
// "source => target" with \\uXXXX escapes, trimmed; stemmer_override rules
// "a, b => c"; synonyms in Solr format, parsed through the preceding chain.

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

public class ArabicChain {
    static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == 'u') {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                } else if (n == 'n') {
                    out.append('\n');
                } else if (n == 't') {
                    out.append('\t');
                } else {
                    out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static List<String> lines(Path dir, String name) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    final NormalizeCharMap charMap;
    final Pattern wordBreaks;
    final CharArraySet stop;
    final CharArraySet keywords;
    final StemmerOverrideFilter.StemmerOverrideMap overrides;
    SynonymMap synonyms;

    ArabicChain(Path dir) throws Exception {
        NormalizeCharMap.Builder mb = new NormalizeCharMap.Builder();
        for (String rule : lines(dir, "mapping.txt")) {
            Matcher m = RULE.matcher(rule);
            if (!m.find()) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
            }
            mb.add(unescape(m.group(1).trim()), unescape(m.group(2).trim()));
        }
        charMap = mb.build();
        wordBreaks = Pattern.compile(lines(dir, "pattern.txt").get(0));
        stop = new CharArraySet(lines(dir, "stop.txt"), false);
        keywords = new CharArraySet(lines(dir, "keywords.txt"), false);
        StemmerOverrideFilter.Builder ob = new StemmerOverrideFilter.Builder(false);
        for (String rule : lines(dir, "overrides.txt")) {
            String[] sides = rule.split("=>");
            if (sides.length != 2) {
                throw new IllegalArgumentException("Invalid Keyword override Rule:" + rule);
            }
            for (String key : sides[0].split(",")) {
                ob.add(key.trim(), sides[1].trim());
            }
        }
        overrides = ob.build();
        List<String> syn = lines(dir, "synonyms.txt");
        if (!syn.isEmpty()) {
            SolrSynonymParser parser = new SolrSynonymParser(true, true, analyzer(Mode.RULES));
            parser.parse(new StringReader(String.join("\n", syn)));
            synonyms = parser.build();
        }
    }

    enum Mode { INDEX, SEARCH, EXACT, RULES }

    Analyzer analyzer(Mode mode) {
        return new Analyzer() {
            @Override
            protected Reader initReader(String fieldName, Reader reader) {
                return new PatternReplaceCharFilter(wordBreaks, " ", new MappingCharFilter(charMap, reader));
            }

            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream ts = new LowerCaseFilter(source);
                ts = new DecimalDigitFilter(ts);
                ts = new ArabicNormalizationFilter(ts);
                if (mode != Mode.EXACT) {
                    ts = new StopFilter(ts, stop);
                    ts = new StemmerOverrideFilter(ts, overrides);
                    if (mode == Mode.SEARCH && synonyms != null) {
                        ts = new SynonymGraphFilter(ts, synonyms, false);
                    }
                    if (mode != Mode.RULES) {
                        ts = new SetKeywordMarkerFilter(ts, keywords);
                        ts = new ArabicStemFilter(ts);
                    }
                }
                return new TokenStreamComponents(source, ts);
            }
        };
    }

    static String tokens(Analyzer a, String text) throws IOException {
        StringBuilder out = new StringBuilder();
        try (TokenStream ts = a.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
            ts.reset();
            boolean first = true;
            while (ts.incrementToken()) {
                if (!first) {
                    out.append(inc.getPositionIncrement() == 0 ? "|" : " ");
                }
                out.append(term);
                first = false;
            }
            ts.end();
        }
        return out.toString();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        ArabicChain chain = new ArabicChain(dir);
        Analyzer index = chain.analyzer(Mode.INDEX);
        Analyzer search = chain.analyzer(Mode.SEARCH);
        Analyzer exact = chain.analyzer(Mode.EXACT);
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        for (String text : Files.readAllLines(dir.resolve("input.txt"), StandardCharsets.UTF_8)) {
            w.write("index\t" + tokens(index, text) + "\n");
            w.write("search\t" + tokens(search, text) + "\n");
            w.write("exact\t" + tokens(exact, text) + "\n");
        }
        w.flush();
    }
}
