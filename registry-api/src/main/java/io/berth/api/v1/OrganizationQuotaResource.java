package io.berth.api.v1;

import io.berth.core.quota.QuotaOwner;
import jakarta.ws.rs.Path;

/** An organization's quota at Quay's {@code /api/v1/organization/{orgname}/quota}. */
@Path("/api/v1/organization/{namespace}/quota")
public class OrganizationQuotaResource extends NamespaceQuotaOperations {
    @Override
    protected QuotaOwner owner(String namespace) {
        return QuotaOwner.organization(namespace);
    }
}
