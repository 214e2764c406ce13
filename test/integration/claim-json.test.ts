/**
 * The read paths (the claim page, GET /claims, the review queue) write the claim
 * resource as JSON text from text columns (src/claims/claim-view.ts `claimJson`); the
 * actions build it as an object (`toClaimView`). This compares the two for every claim
 * of the demo data, which has claims in every state, on both databases.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { type ClaimView, loadClaimView } from "../../src/claims/claim-view.ts";
import {
	getClaimJson,
	listClaimsJson,
	reviewQueueJson,
} from "../../src/claims/list-claims.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { runBackgroundWork } from "../../src/jobs/sweeper.ts";
import {
	DB_KINDS,
	PASSWORD,
	startTestApp,
	type TestApp,
} from "../support/test-app.ts";

/** A name with quotes, a backslash, control characters, non-Latin letters and an emoji. */
const ODD_NAME =
	'Quote " back\\slash \t tab \n line \u2028 Æøå 東京 🚀 </script>';

describe.each(DB_KINDS)("the claim resource as JSON text (%s)", (kind) => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp(kind, { directory: false });
		await seedDemo(t.ctx, { demoPassword: PASSWORD });
		await runBackgroundWork(t.ctx);
		// One claim with what the demo data lacks: a revenue association, and texts that
		// JSON must escape.
		await t.ctx.db.execute(sql`
			update claims set name = ${ODD_NAME},
				revenue_association = ${JSON.stringify({
					customerName: ODD_NAME,
					isvSolutionName: "ISV \\ \u0001",
					solutionSellerName: "Seller",
				})}::jsonb
			where id = (select id from claims where status = 'approved' order by id limit 1)`);
	}, 120_000);
	afterAll(() => t?.close());

	/** Every claim through GET /claims' path, 7 at a time (several keyset pages). */
	async function listAll(): Promise<ClaimView[]> {
		const items: ClaimView[] = [];
		let cursor: string | undefined;
		do {
			const page = await listClaimsJson(t.ctx, SYSTEM_ACTOR, {
				sort: "-updatedAt",
				limit: 7,
				cursor,
			});
			items.push(...page.items.map((i) => JSON.parse(i) as ClaimView));
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return items;
	}

	it("R-DSH-1 lists and the claim page write the same resource as the actions, for claims in every state", async () => {
		const listed = await listAll();
		expect(listed.length).toBeGreaterThan(20);
		for (const claim of listed) {
			// The actions' object, through JSON as the HTTP layer writes it.
			const built = JSON.parse(
				JSON.stringify(await loadClaimView(t.ctx.db, claim.id)),
			);
			expect(claim).toStrictEqual(built);
			const page = await getClaimJson(t.ctx, SYSTEM_ACTOR, claim.id);
			expect(JSON.parse(page.json)).toStrictEqual(built);
			expect(page.version).toBe(String(built.version));
		}
		// The demo data (and the claim odd() edits) cover every part of the resource that
		// can be null or empty.
		const some = (f: (c: ClaimView) => unknown) => listed.some((c) => !!f(c));
		expect({
			rejection: some((c) => c.rejection),
			dispute: some((c) => c.dispute),
			association: some((c) => c.association),
			informationRequest: some((c) => c.informationRequest),
			revenueAssociation: some((c) => c.revenueAssociation),
			documents: some((c) => c.documents.length > 0),
			products: some((c) => c.products.length > 1),
			subscription: some((c) => c.products.some((p) => p.subscriptionId)),
			competing: some((c) => c.competing),
			eligibility: some((c) => c.eligibility.length),
			disputeUntil: some((c) => c.deadlines.disputeUntil),
			draft: some((c) => c.submittedAt === null),
			oddName: some((c) => c.name === ODD_NAME),
		}).toStrictEqual({
			rejection: true,
			dispute: true,
			association: true,
			informationRequest: true,
			revenueAssociation: true,
			documents: true,
			products: true,
			subscription: true,
			competing: true,
			eligibility: true,
			disputeUntil: true,
			draft: true,
			oddName: true,
		});
	});

	it("R-TIME-2 the review queue's items carry the same claim resource, with the SLA due and overdue flags", async () => {
		const now = t.ctx.clock.now().getTime();
		const page = await reviewQueueJson(t.ctx, { limit: 500 });
		const items = page.items.map(
			(i) =>
				JSON.parse(i) as {
					claim: ClaimView;
					sla: string;
					dueAt: string | null;
					overdue: boolean;
				},
		);
		expect(items.length).toBeGreaterThan(3);
		for (const item of items) {
			expect(item.claim).toStrictEqual(
				JSON.parse(
					JSON.stringify(await loadClaimView(t.ctx.db, item.claim.id)),
				),
			);
			expect(item.dueAt).toBe(item.claim.dueAt);
			expect(item.sla).toBe(
				item.claim.status === "submitted"
					? "review_start"
					: item.claim.status === "under_review"
						? "decision"
						: "dispute_decision",
			);
			expect(item.overdue).toBe(
				item.dueAt !== null && Date.parse(item.dueAt) <= now,
			);
		}
	});
});
