/**
 * The application context every use case receives: database, clock, calendar, deadline
 * policy, document store and configuration. Built once per process.
 */

import path from "node:path";
import { AuthCache } from "./auth/auth-cache.ts";
import {
	createLoginThrottle,
	type SignInThrottle,
} from "./auth/login-throttle.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import { DocumentStore } from "./documents/document-store.ts";
import { BusinessCalendar } from "./domain/calendar.ts";
import type { Clock } from "./domain/clock.ts";
import { DeadlineCalculator } from "./domain/deadlines.ts";

/** Shared services of one process. */
export interface AppContext {
	db: Db;
	dbKind: "pglite" | "postgres";
	clock: Clock;
	/**
	 * The business calendar in force (R-TIME-1): the configuration's, or the one the
	 * platform admin set (db/stored-calendar.ts), which replaces it and `deadlines`.
	 */
	calendar: BusinessCalendar;
	/** The `calendar_changes` row whose calendar is in force; 0 for the configuration's. */
	calendarVersion: number;
	deadlines: DeadlineCalculator;
	documents: DocumentStore;
	config: Config;
	/**
	 * Resolved API tokens and sessions of this process (see auth-cache.ts). On PostgreSQL
	 * it serves entries only while `cpor serve` listens for credential changes.
	 */
	authCache: AuthCache;
	/**
	 * Failed sign-ins per account (login-throttle.ts): this process's on the embedded
	 * database, every process's on PostgreSQL.
	 */
	loginThrottle: SignInThrottle;
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
		calendarVersion: 0,
		deadlines: new DeadlineCalculator(calendar, opts.config.deadlines),
		documents: new DocumentStore(
			path.resolve(opts.config.dataDir, "documents"),
			opts.config.maxUploadBytes,
		),
		config: opts.config,
		loginThrottle: createLoginThrottle(
			opts.db,
			opts.dbKind,
			opts.config.loginFailuresPerAccount,
		),
		authCache: new AuthCache(
			opts.config.authCacheSeconds,
			opts.dbKind === "postgres",
		),
	};
}
