package io.berth.api.v2;

/**
 * A single byte range from a {@code Range: bytes=...} request header, resolved against the blob size
 * (RFC 9110, section 14). Forms accepted: {@code a-b}, {@code a-} and {@code -suffix}, positions in
 * decimal digits of any length (a position past the blob is simply past it). A header the registry
 * does not honour is ignored and the whole blob sent, as HTTP allows: another unit, several ranges,
 * malformed text, or any range of an empty blob (which has no byte to start at). A last position
 * before the first, a start past the end and an empty suffix are unsatisfiable (416).
 */
record ByteRange(long offset, long length) {

    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** The range to send, {@code null} for the whole blob, or {@link #UNSATISFIABLE}. */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0 || size == 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String second = spec.substring(dash + 1).trim();
        if (!isDigits(first, true) || !isDigits(second, true) || (first.isEmpty() && second.isEmpty())) {
            return null;
        }
        if (first.isEmpty()) {
            long suffix = position(second);
            if (suffix == 0) {
                return UNSATISFIABLE;
            }
            long length = Math.min(suffix, size);
            return new ByteRange(size - length, length);
        }
        long start = position(first);
        if (start >= size || (!second.isEmpty() && position(second) < start)) {
            return UNSATISFIABLE;
        }
        long end = second.isEmpty() ? size - 1 : Math.min(position(second), size - 1);
        return new ByteRange(start, end - start + 1);
    }

    private static boolean isDigits(String text, boolean emptyAllowed) {
        if (text.isEmpty()) {
            return emptyAllowed;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A position in decimal digits; one too large for a long is past any blob, so it saturates. */
    private static long position(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    String contentRange(long size) {
        return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
    }
}
