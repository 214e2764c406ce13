/**
 * The application context every use case receives: database, clock, calendar, deadline
 * policy, document store and configuration. Built once per process.
 */
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import { BusinessCalendar } from "./domain/calendar.ts";
import type { Clock } from "./domain/clock.ts";
import { DeadlineCalculator } from "./domain/deadlines.ts";
import { DocumentStore } from "./documents/document-store.ts";
import path from "node:path";

/** Shared services of one process. */
export interface AppContext {
	db: Db;
	dbKind: "pglite" | "postgres";
	clock: Clock;
	calendar: BusinessCalendar;
	deadlines: DeadlineCalculator;
	documents: DocumentStore;
	config: Config;
}

/** Builds the context; throws a clear error for a bad calendar configuration. */
export function createContext(opts: {
	db: Db;
	dbKind: "pglite" | "postgres";
	clock: Clock;
	config: Config;
}): AppContext {
	const calendar = new BusinessCalendar({
		timeZone: opts.config.calendar.timeZone,
		holidays: opts.config.calendar.holidays,
	});
	return {
		db: opts.db,
		dbKind: opts.dbKind,
		clock: opts.clock,
		calendar,
		deadlines: new DeadlineCalculator(calendar, opts.config.deadlines),
		documents: new DocumentStore(
			path.resolve(opts.config.dataDir, "documents"),
			opts.config.maxUploadBytes,
		),
		config: opts.config,
	};
}
