package io.berth.api.v2;

/**
 * A single byte range from a {@code Range: bytes=...} request header, resolved against the blob size.
 * Forms accepted: {@code a-b}, {@code a-} and {@code -suffix}. Multiple ranges and malformed values
 * are ignored (the whole blob is sent), as HTTP allows.
 */
record ByteRange(long offset, long length) {

    /** The range to send, {@code null} for the whole blob, or {@link #UNSATISFIABLE}. */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String second = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(second);
                if (suffix <= 0) {
                    return UNSATISFIABLE;
                }
                long length = Math.min(suffix, size);
                return new ByteRange(size - length, length);
            }
            long start = Long.parseLong(first);
            long end = second.isEmpty() ? size - 1 : Math.min(Long.parseLong(second), size - 1);
            if (start < 0 || start >= size || end < start) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    String contentRange(long size) {
        return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
    }
}
