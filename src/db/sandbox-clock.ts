/**
 * The sandbox clock's lead over real time, kept in the database (`sandbox_clock`,
 * migration 0027), so that `cpor serve --sandbox` goes on after a restart from where an
 * admin had moved the clock (API.md "Bootstrap and sandbox": it only moves forward).
 */
import { eq, sql } from "drizzle-orm";
import { SANDBOX_LATEST, SandboxClock } from "../domain/clock.ts";
import type { Db } from "./client.ts";
import { sandboxClock } from "./schema.ts";

/** The stored lead of sandbox time over real time, in ms: 0 when never moved. */
export async function readSandboxLead(db: Db): Promise<number> {
	const [row] = await db
		.select({ offsetMs: sandboxClock.offsetMs })
		.from(sandboxClock)
		.where(eq(sandboxClock.id, 1));
	return Math.max(0, row?.offsetMs ?? 0);
}

/**
 * A ticking sandbox clock that starts at the real time plus the stored lead (the real
 * time on a database whose clock was never moved).
 */
export async function openSandboxClock(db: Db): Promise<SandboxClock> {
	const lead = await readSandboxLead(db);
	// A lead saved before moves were capped (the clock at year 10000) starts at the cap.
	const start = Math.min(Date.now() + lead, SANDBOX_LATEST.getTime());
	return new SandboxClock(new Date(start), { ticking: true });
}

/**
 * Stores the lead over real time of a sandbox clock moved to `at` (a UTC instant; saved
 * before the clock moves, so that a failed save leaves both as they were), replacing a
 * smaller one (two moves saved out of order keep the later, larger lead). Returns the
 * lead in ms.
 */
export async function saveSandboxLead(db: Db, at: Date): Promise<number> {
	const movedAt = new Date();
	const offsetMs = Math.max(0, at.getTime() - movedAt.getTime());
	await db
		.insert(sandboxClock)
		.values({ id: 1, offsetMs, movedAt })
		.onConflictDoUpdate({
			target: sandboxClock.id,
			// A lead only grows: of two moves saved out of order, the larger stays.
			set: {
				offsetMs: sql`greatest(${sandboxClock.offsetMs}, excluded.offset_ms)`,
				movedAt,
			},
		});
	return offsetMs;
}
