package io.berth.api.v1;

import io.berth.core.quota.QuotaOwner;
import jakarta.ws.rs.Path;

/**
 * A user's own namespace's quota at Quay's superuser path, {@code /api/v1/superuser/users/{namespace}/quota}:
 * how administrators set it (a user reads it at {@code /api/v1/user/quota}). Its limits are managed
 * below it, as an organization's are.
 */
@Path("/api/v1/superuser/users/{namespace}/quota")
public class SuperuserUserQuotaResource extends NamespaceQuotaOperations {
    @Override
    protected QuotaOwner owner(String namespace) {
        return QuotaOwner.user(namespace);
    }
}
