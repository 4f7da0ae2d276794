package io.berth.core.tag.semver;

/** One comparison with a full version, what every form of constraint comes down to. */
record Comparator(Operator operator, SemanticVersion version) {

    enum Operator {
        EQ, NE, LT, LE, GT, GE
    }

    boolean admits(SemanticVersion candidate) {
        int order = candidate.compareTo(version);
        return switch (operator) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
    }

    @Override
    public String toString() {
        String symbol = switch (operator) {
            case EQ -> "=";
            case NE -> "!=";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
        };
        return symbol + version;
    }
}
