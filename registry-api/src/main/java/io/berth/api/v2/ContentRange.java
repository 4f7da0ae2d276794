package io.berth.api.v2;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of an upload chunk: {@code <start>-<end>}, inclusive, without a unit as
 * the distribution spec writes it; a leading {@code bytes } or {@code bytes=} and a trailing
 * {@code /<total>} (or {@code /*}) are tolerated, as clients send HTTP's own form too.
 */
record ContentRange(long start, long end) {
    /** 18 digits always fit a long; a chunk position beyond them is no position the registry can hold. */
    private static final Pattern FORM = Pattern.compile(
            "\\s*(?:bytes(?:\\s+|\\s*=\\s*))?(\\d{1,18})\\s*-\\s*(\\d{1,18})\\s*(?:/\\s*(?:\\d{1,18}|\\*)\\s*)?");

    /** The range, or null when the header is malformed or ends before it starts. */
    static ContentRange parse(String header) {
        Matcher matcher = FORM.matcher(header);
        if (!matcher.matches()) {
            return null;
        }
        long start = Long.parseLong(matcher.group(1));
        long end = Long.parseLong(matcher.group(2));
        return end < start ? null : new ContentRange(start, end);
    }

    long length() {
        return end - start + 1;
    }
}
