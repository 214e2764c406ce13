-- The demo's load (cpor serve --demo, cpor demo): started and finished, so that a load cut
-- off half way is told apart from a whole one and from a database without the demo.
CREATE TABLE "demo_loads" (
	"id" integer PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
