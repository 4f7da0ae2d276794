package io.berth.core.quota;

import java.util.List;

/**
 * A namespace's quota as Quay shows it: its id, {@code limit_bytes}, the same in words, its limits,
 * and the namespace's usage counter against it.
 */
public record QuotaView(long id, long limitBytes, String limit, List<LimitView> limits, long usedBytes) {

    /** A limit as Quay shows it: {@code type} and its threshold as {@code limit_percent}. */
    public record LimitView(long id, String type, int limitPercent) {
        static LimitView of(QuotaRecords.LimitRow row) {
            return new LimitView(row.id(), row.type().wireName(), row.thresholdPercent());
        }
    }

    static QuotaView of(QuotaRecords.QuotaRow quota, List<QuotaRecords.LimitRow> limits, long usedBytes) {
        return new QuotaView(quota.id(), quota.limitBytes(), ByteSizes.human(quota.limitBytes()),
                limits.stream().map(LimitView::of).toList(), usedBytes);
    }
}
