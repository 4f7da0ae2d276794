package io.berth.api.v1;

import io.berth.core.quota.QuotaOwner;
import jakarta.ws.rs.Path;

/** An organization's quota at Quay's superuser path, {@code /api/v1/superuser/organization/{namespace}/quota}. */
@Path("/api/v1/superuser/organization/{namespace}/quota")
public class SuperuserOrganizationQuotaResource extends NamespaceQuotaOperations {
    @Override
    protected QuotaOwner owner(String namespace) {
        return QuotaOwner.organization(namespace);
    }
}
