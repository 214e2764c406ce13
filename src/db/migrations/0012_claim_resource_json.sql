ALTER TABLE "claims" ADD COLUMN "resource_json" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "resource_version" integer;--> statement-breakpoint
CREATE INDEX "claims_resource_stale_idx" ON "claims" USING btree ("id") WHERE resource_version is distinct from version;--> statement-breakpoint
-- Keep a claim's row, with its copy of the resource (~1.3 KB), in the heap page up to
-- PostgreSQL's largest target instead of 2 KB: toasted, a 50-claim list page read ~140
-- more buffers (the TOAST table and its index) and decompressed each copy; a deep page
-- took 976 -> 1,292 pages/s at 1,000,000 claims with the rows inline (docs/performance.md).
ALTER TABLE "claims" SET (toast_tuple_target = 8160);
