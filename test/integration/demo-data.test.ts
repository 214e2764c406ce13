/**
 * The demo (`cpor serve --demo`) as a reviewer first sees it: the SLA report of the
 * reviewer SLAs (R-TIME-2, R-TIME-3) has open work both due and overdue, breaches and
 * met deadlines, and times that are not all zero; no history entry lies in the future; and
 * the reviewer's actions carry the demo reviewer's own name.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { slaReport } from "../../src/reports/sla-report.ts";
import { demoState, isEmpty } from "../../src/runtime.ts";
import {
	PASSWORD,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const ANA = USERS.ana;

describe("the demo data", () => {
	let t: TestApp;
	let before: Awaited<ReturnType<typeof demoState>>;
	let cutOff: { state: string; empty: boolean };
	beforeAll(async () => {
		t = await startTestApp("pglite", { directory: false });
		before = await demoState(t.ctx, ANA);
		// A first load cut off in its directory import (one transaction) left only its
		// start: the database is empty, and the demo loads over it.
		await t.ctx.db.execute(
			sql`insert into demo_loads (id, started_at) values (1, now())`,
		);
		cutOff = {
			state: (await demoState(t.ctx, ANA)).state,
			empty: await isEmpty(t.ctx),
		};
		await seedDemo(t.ctx, { demoPassword: PASSWORD });
	}, 120_000);
	afterAll(() => t?.close());

	it("the banner tells a whole demo from one whose load was cut off, and from a database without it (demoState)", async () => {
		expect(before).toEqual({ state: "none" });
		expect(cutOff).toEqual({ state: "interrupted", empty: true });
		const loaded = await demoState(t.ctx, ANA);
		expect(loaded.state).toBe("loaded");
		expect(loaded.startedAt).toBeInstanceOf(Date);
		// A load that never reached its end (Ctrl-C at the first start).
		await t.ctx.db.execute(sql`update demo_loads set finished_at = null`);
		expect((await demoState(t.ctx, ANA)).state).toBe("interrupted");
		// Loaded before the load was recorded (migration 0035): its first user tells.
		const [row] = (
			(await t.ctx.db.execute(
				sql`delete from demo_loads returning started_at`,
			)) as unknown as { rows: { started_at: string }[] }
		).rows;
		try {
			expect(await demoState(t.ctx, ANA)).toEqual({ state: "loaded" });
			expect(await demoState(t.ctx, "nobody@example.com")).toEqual({
				state: "none",
			});
		} finally {
			await t.ctx.db.execute(
				sql`insert into demo_loads (id, started_at, finished_at) values (1, ${row?.started_at}, now())`,
			);
		}
	});

	it("R-TIME-2 R-TIME-3 the demo's SLA report has work due and overdue, breaches, and review and decision times above zero", async () => {
		const r = await slaReport(t.ctx);
		for (const sla of ["review_start", "decision"] as const) {
			expect(r.slas[sla].due, sla).toBeGreaterThan(0);
			expect(r.slas[sla].overdue, sla).toBeGreaterThan(0);
			expect(r.slas[sla].met, sla).toBeGreaterThan(0);
		}
		expect(r.slas.review_start.breached).toBeGreaterThan(0);
		for (const time of [r.times.reviewStart, r.times.decision]) {
			expect(time.count).toBeGreaterThan(10);
			expect(time.medianHours).toBeGreaterThan(1);
			expect(time.p90Hours).toBeGreaterThan(time.medianHours ?? 0);
		}
	});

	it("R-HIS-1 every claim's history is in time order and none of it is after the clock's now", async () => {
		const now = t.ctx.clock.now().toISOString();
		const result = (await t.ctx.db.execute(sql`
			select
				count(*) filter (where at > ${now}::timestamptz)::int as future,
				count(*) filter (where at < previous)::int as out_of_order,
				count(*)::int as entries
			from (select at, lag(at) over (partition by claim_id order by id) as previous
				from claim_history) h`)) as unknown as {
			rows: { future: number; out_of_order: number; entries: number }[];
		};
		const row = result.rows[0];
		expect(row?.entries).toBeGreaterThan(300);
		expect(row?.future).toBe(0);
		expect(row?.out_of_order).toBe(0);
	});

	it("R-HIS-1 the demo's reviewer actions are signed with the name of the reviewer who signs in (Rita Okafor)", async () => {
		const result = (await t.ctx.db.execute(sql`
			select distinct actor_name from claim_history where actor_role = 'reviewer'`)) as unknown as {
			rows: { actor_name: string }[];
		};
		expect(result.rows.map((r) => r.actor_name)).toEqual(["Rita Okafor"]);
		// And with her user ID: the claims she started remind her (R-TIME-9), not everyone.
		const ids = (await t.ctx.db.execute(sql`
			select distinct h.actor_id, u.email from claim_history h
			left join users u on u.id = h.actor_id
			where h.actor_role = 'reviewer'`)) as unknown as {
			rows: { actor_id: string; email: string | null }[];
		};
		expect(ids.rows.map((r) => r.email)).toEqual([
			"rita.reviewer@cpor.example",
		]);
	});
});
