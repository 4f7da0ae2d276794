package io.berth.core.account;

import java.time.Instant;

/**
 * An organization with what it stores: {@code size} counts every blob its repositories link once
 * (a layer shared by two of them counts once), plus their manifests; {@code sizeLimit} is its quota
 * (null: none), {@code used} the percentage of it in use.
 */
public record OrganizationView(String name, String email, Instant createdAt, long repositoryCount, long size, Long sizeLimit) {

    public Integer used() {
        return sizeLimit == null || sizeLimit <= 0 ? null : (int) Math.min(100, size * 100 / sizeLimit);
    }
}
