-- The business calendar set by the platform admin (SPEC R-ROL-2 "configures calendars",
-- R-TIME-1): one row per change, the newest in force; with no row the configuration's
-- calendar (CPOR_TIME_ZONE, CPOR_HOLIDAYS) is. Deadlines already stored on claims keep
-- the calendar they were set with.
CREATE TABLE "calendar_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"time_zone" text NOT NULL,
	"holidays" text
);
