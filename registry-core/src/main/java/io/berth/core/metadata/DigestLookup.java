package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Finds which of many digests a repository lacks, in one round trip. */
final class DigestLookup {
    private DigestLookup() {
    }

    /**
     * Runs {@code sql} (taking the repository id and a text array of digests, selecting the digests it
     * finds) and returns the digests it did not find.
     */
    static Set<Digest> absent(Connection c, String sql, long repositoryId, Collection<Digest> digests) throws SQLException {
        Set<Digest> missing = new HashSet<>(digests);
        if (digests.isEmpty()) {
            return missing;
        }
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setLong(1, repositoryId);
            Array array = c.createArrayOf("text", digests.stream().map(Digest::toString).toArray());
            select.setArray(2, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    missing.remove(Digest.parse(rs.getString(1)));
                }
            }
        }
        return missing;
    }
}
