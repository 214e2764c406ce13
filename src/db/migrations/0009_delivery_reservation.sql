-- A dispatcher pass reserves the deliveries it sends until reserved_until (real time,
-- clock_timestamp(); the sandbox clock can jump) and sends them with no transaction
-- open (src/jobs/dispatcher.ts takeDue). Nullable, so adding it rewrites nothing.
ALTER TABLE "deliveries" ADD COLUMN "reserved_until" timestamp with time zone;