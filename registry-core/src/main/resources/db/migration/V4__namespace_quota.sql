-- A namespace's size limit (the Container Registry API's sizeLimit); none when NULL.
ALTER TABLE namespaces ADD COLUMN size_limit bigint CHECK (size_limit IS NULL OR size_limit > 0);
