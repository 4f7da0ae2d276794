-- The platform an image's config names, read from the config blob the first time the image is
-- listed and kept, so listings do not read storage again.
ALTER TABLE manifests ADD COLUMN config_os text;
ALTER TABLE manifests ADD COLUMN config_architecture text;
ALTER TABLE manifests ADD COLUMN config_variant text;
ALTER TABLE manifests ADD COLUMN config_read boolean NOT NULL DEFAULT false;
