package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Looks many digests of a repository up in one round trip. */
final class DigestLookup {
    private DigestLookup() {
    }

    /**
     * Runs {@code sql} (taking the repository id and a text array of digests, selecting each digest
     * it finds with its size) and returns the sizes found; digests not found are not in the map.
     */
    static Map<Digest, Long> sizes(Connection c, String sql, long repositoryId, Collection<Digest> digests) throws SQLException {
        Map<Digest, Long> found = new HashMap<>();
        if (digests.isEmpty()) {
            return found;
        }
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setLong(1, repositoryId);
            Array array = c.createArrayOf("text", digests.stream().map(Digest::toString).toArray());
            select.setArray(2, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.put(Digest.parse(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        return found;
    }
}
