-- Builds keep their layers uncompressed (blob digest = diff ID) and compress them only when an
-- image leaves the builder (push, oci/docker archives). The image record of such an exported image
-- lists its compressed layers among its blobs, with the diff ID and level each was made from, so a
-- later export with the same settings finds them here instead of compressing again. The rows live
-- and die with the record that names the blob: nothing here can outlive what keeps the blob.
ALTER TABLE build_image_blobs ADD COLUMN diff_id TEXT;
ALTER TABLE build_image_blobs ADD COLUMN level INTEGER;
CREATE INDEX build_image_blobs_by_diff_id ON build_image_blobs (diff_id, media_type, level);
