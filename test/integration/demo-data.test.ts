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
import { PASSWORD, startTestApp, type TestApp } from "../support/test-app.ts";

describe("the demo data", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("pglite", { directory: false });
		await seedDemo(t.ctx, { demoPassword: PASSWORD });
	}, 120_000);
	afterAll(() => t?.close());

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
	});
});
