package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.core.quota.QuotaView;
import io.berth.core.quota.UsageRecount;
import java.util.List;

/** The JSON of the quota operations, in Quay's field names. */
final class QuotaJson {
    private QuotaJson() {
    }

    /** Creates or changes a quota: {@code limit_bytes}, the bytes the namespace may store. */
    record QuotaBody(@JsonProperty("limit_bytes") Long limitBytes) {
    }

    /** Creates or changes a limit: {@code type} "Warning" or "Reject", at {@code threshold_percent} of the quota. */
    record LimitBody(String type, @JsonProperty("threshold_percent") Integer thresholdPercent) {
    }

    /** A quota as Quay answers it, with the namespace's usage counter ({@code used_bytes}) beside it. */
    record Quota(long id, @JsonProperty("limit_bytes") long limitBytes, String limit, List<Limit> limits,
            @JsonProperty("used_bytes") long usedBytes) {
        static Quota of(QuotaView view) {
            return new Quota(view.id(), view.limitBytes(), view.limit(), view.limits().stream().map(Limit::of).toList(), view.usedBytes());
        }
    }

    /** A limit as Quay answers it: its threshold is {@code limit_percent}. */
    record Limit(long id, String type, @JsonProperty("limit_percent") int limitPercent) {
        static Limit of(QuotaView.LimitView view) {
            return new Limit(view.id(), view.type(), view.limitPercent());
        }
    }

    /** A recount of a namespace's usage: the counter before, the tables' answer, and the drift between them (then fixed). */
    record Recount(String namespace, @JsonProperty("counted_bytes") long countedBytes, @JsonProperty("recounted_bytes") long recountedBytes,
            @JsonProperty("drift_bytes") long driftBytes, long digests, @JsonProperty("drifted_digests") long driftedDigests) {
        static Recount of(UsageRecount.Report report) {
            return new Recount(report.namespace(), report.countedBytes(), report.recountedBytes(), report.driftBytes(), report.digests(),
                    report.driftedDigests());
        }
    }

    record RecountList(List<Recount> namespaces) {
    }
}
