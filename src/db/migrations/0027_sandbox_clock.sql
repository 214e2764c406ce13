-- The sandbox clock's lead over real time, kept across restarts (cpor serve --sandbox: a
-- restart went back to the real time, so the clock, which only moves forward, moved back
-- behind the history it had written). One row, id 1.
CREATE TABLE "sandbox_clock" (
	"id" integer PRIMARY KEY NOT NULL,
	"offset_ms" bigint NOT NULL,
	"moved_at" timestamp with time zone NOT NULL
);
