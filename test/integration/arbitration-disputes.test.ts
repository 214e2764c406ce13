/**
 * Competing claims and arbitration (SPEC section 8), disputes (section 10, R-TIME-7) and
 * the customer's opt-out (R-CON-2), end to end through HTTP on both databases.
 */
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant } from "../../src/notifications/i18n.ts";
import { samplePdf, samplePng } from "../support/poe-fixtures.ts";
import { expectProblem } from "../support/problem.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	northwindBaClaimBody,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

interface HistoryEntry {
	at: string;
	actorRole: string;
	action: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}
interface CommentEntry {
	authorRole: string;
	kind: string;
	body: string;
	template: unknown;
	createdAt: string;
}
type Customer = { tenantId: string; domain: string };

const addCalendarDays = (from: string | Date, n: number) =>
	new Date(new Date(from).getTime() + n * 86_400_000).toISOString();

const CONTOSO: Customer = {
	tenantId: DEMO_IDS.tenants.contoso,
	domain: DEMO_IDS.domains.contosoInitial,
};
const ADVENTURE_WORKS: Customer = {
	tenantId: DEMO_IDS.tenants.adventureWorks,
	domain: DEMO_IDS.domains.adventureWorksInitial,
};
/** Generated tenants (neither Contoso nor Adventure Works). */
const OTHER_TENANTS: Customer[] = (testDirectory().tenants ?? [])
	.filter(
		(t) =>
			t.tenantId !== DEMO_IDS.tenants.contoso &&
			t.tenantId !== DEMO_IDS.tenants.adventureWorks,
	)
	.map((t) => ({ tenantId: t.tenantId, domain: t.domains[0] as string }));

describe.each(DB_KINDS)(
	"SPEC sections 8 and 10: arbitration, disputes and opt-out on %s",
	(kind) => {
		let t: TestApp;
		let ana: Client;
		let nora: Client;
		let rita: Client;
		let carl: Client;
		let tenantCursor = 0;
		const freshTenant = (): Customer => {
			const tenant = OTHER_TENANTS[tenantCursor++ % OTHER_TENANTS.length];
			if (!tenant)
				throw new Error("no generated tenants in the test directory");
			return tenant;
		};

		beforeAll(async () => {
			t = await startTestApp(kind);
			[ana, nora, rita, carl] = await Promise.all([
				t.login(USERS.ana),
				t.login(USERS.nora),
				t.login(USERS.rita),
				t.login(USERS.carl),
			]);
		});
		afterAll(async () => t?.close());

		const ok = async (p: Promise<LightMyRequestResponse>, code = 200) => {
			const res = await p;
			expect(res.statusCode, res.body).toBe(code);
			return res.json();
		};
		const getClaim = async (id: string, who: Client = rita) => {
			const res = await who.get(`${API}/claims/${id}`);
			expect(res.statusCode, res.body).toBe(200);
			return res.json();
		};
		const historyOf = async (
			id: string,
			who: Client = rita,
		): Promise<HistoryEntry[]> =>
			(await ok(who.get(`${API}/claims/${id}/history`))).items;
		const commentsOf = async (
			id: string,
			who: Client,
		): Promise<CommentEntry[]> =>
			(await ok(who.get(`${API}/claims/${id}/comments`))).items;

		/** A fabrikam (ana) or northwind (nora) presales claim on a Business Applications subscription, submitted. */
		const submitBa = async (
			who: Client,
			subscriptionId: string,
			customer: Customer = {
				tenantId: CONTOSO.tenantId,
				domain: "contoso.com",
			},
		) => {
			const northwind = who === nora;
			const fields = {
				customer,
				name: `${northwind ? "Northwind" : "Fabrikam"} presales ${subscriptionId.slice(0, 4)}`,
				products: [{ subscriptionId }],
			};
			const body = northwind
				? northwindBaClaimBody(fields)
				: baClaimBody(fields);
			const { id } = await ok(who.post(`${API}/claims`, body), 201);
			await ok(
				who.upload(`${API}/claims/${id}/documents`, samplePdf(), "sow.pdf"),
				201,
			);
			return ok(who.post(`${API}/claims/${id}/submit`));
		};

		/** A fabrikam Microsoft 365 usage claim walked to the given status as ana / rita. */
		const m365Claim = async (
			status: "submitted" | "under_review" | "approved" | "rejected",
			customer: Customer,
			productId = "microsoft-teams",
		): Promise<string> => {
			const { id } = await ok(
				ana.post(
					`${API}/claims`,
					m365ClaimBody({ customer, products: [{ productId }] }),
				),
				201,
			);
			await ok(
				ana.upload(`${API}/claims/${id}/documents`, samplePdf(), "sow.pdf"),
				201,
			);
			await ok(ana.post(`${API}/claims/${id}/submit`));
			if (status === "submitted") return id;
			await ok(rita.post(`${API}/claims/${id}/start-review`));
			if (status === "under_review") return id;
			if (status === "approved") {
				await ok(rita.post(`${API}/claims/${id}/approve`, {}));
				return id;
			}
			await ok(
				rita.post(`${API}/claims/${id}/reject`, {
					reason: "insufficient_poe",
					comment: "The PoE does not show the work.",
				}),
			);
			return id;
		};

		it("R-CMP-2 two organizations claiming the same subscription and activity are both marked competing and go to arbitration", async () => {
			const sub = DEMO_IDS.subscriptions.contosoCustomerService;
			const a = await submitBa(ana, sub);
			expect(a.competing).toBe(false);
			const b = await submitBa(nora, sub);
			expect(b.status).toBe("submitted");
			expect(b.competing).toBe(true);

			// The first claim is marked too (a new version, with a history row).
			const aNow = await getClaim(a.id, ana);
			expect(aNow).toMatchObject({ status: "submitted", competing: true });
			expect(aNow.version).toBe(a.version + 1);
			for (const id of [a.id, b.id]) {
				expect((await historyOf(id)).map((h) => h.action)).toContain(
					"mark_competing",
				);
			}

			// R-CMP-3: each party is told in its own thread that arbitration is under way.
			for (const [id, owner] of [
				[a.id, ana],
				[b.id, nora],
			] as const) {
				const notes = (await commentsOf(id, owner)).filter(
					(c) => c.kind === "arbitration",
				);
				expect(notes, id).toHaveLength(1);
				expect(notes[0]?.body).toContain("arbitration");
				// ...without naming the other partner.
				expect(notes[0]?.body).not.toMatch(/northwind|fabrikam/i);
			}

			// The reviewer sees each claim's competitor, and both in the competing filter.
			const ofA = await ok(rita.get(`${API}/claims/${a.id}/competing`));
			expect(ofA.items.map((c: { id: string }) => c.id)).toEqual([b.id]);
			const ofB = await ok(rita.get(`${API}/claims/${b.id}/competing`));
			expect(ofB.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
			expect(ofB.items[0].documents).toHaveLength(1);
			const listed = await ok(
				rita.get(`${API}/claims?competing=true&limit=500`),
			);
			expect(listed.items.map((c: { id: string }) => c.id)).toEqual(
				expect.arrayContaining([a.id, b.id]),
			);
			const notCompeting = await ok(
				rita.get(`${API}/claims?competing=false&limit=500`),
			);
			expect(notCompeting.items.map((c: { id: string }) => c.id)).not.toContain(
				a.id,
			);

			// No organization sees the other's claim (R-ACC-1): 404, not 403.
			expectProblem(await nora.get(`${API}/claims/${a.id}`), 404, "not_found");
			expectProblem(
				await nora.get(`${API}/claims/${a.id}/comments`),
				404,
				"not_found",
			);
			expectProblem(await ana.get(`${API}/claims/${b.id}`), 404, "not_found");
			const noraList = await ok(nora.get(`${API}/claims?limit=500`));
			expect(noraList.items.map((c: { id: string }) => c.id)).not.toContain(
				a.id,
			);
		});

		it("R-CMP-3 R-ACC-1 approving one competing claim rejects the other in the same transaction, with a reason and a comment that does not name the approved claim", async () => {
			const sub = DEMO_IDS.subscriptions.contosoSales;
			const a = await submitBa(ana, sub);
			const b = await submitBa(nora, sub);
			expect(b.competing).toBe(true);
			await ok(rita.post(`${API}/claims/${a.id}/start-review`));
			await ok(rita.post(`${API}/claims/${b.id}/start-review`));
			const bBefore = await getClaim(b.id);
			const bHistoryBefore = await historyOf(b.id);

			t.clock.advanceBy("PT1H");
			const at = t.clock.now().toISOString();
			const approved = await ok(
				rita.post(`${API}/claims/${a.id}/approve`, { comment: "Best PoE." }),
			);
			expect(approved).toMatchObject({ status: "approved", competing: true });

			const loser = await getClaim(b.id);
			expect(loser).toMatchObject({ status: "rejected", competing: true });
			expect(loser.version).toBe(bBefore.version + 1);
			expect(loser.updatedAt).toBe(at);
			expect(loser.rejection).toMatchObject({
				reason: "insufficient_poe",
				rejectedAt: at,
				disputeUntil: addCalendarDays(at, 30),
			});
			expect(loser.rejection.comment).toContain("Arbitration");
			const loserComment = (await commentsOf(b.id, nora)).at(-1);
			expect(loserComment).toMatchObject({
				kind: "decision",
				authorRole: "reviewer",
				createdAt: at,
			});
			expect(loserComment?.body).toContain("Arbitration");
			expect(loserComment?.template).toMatchObject({
				key: "rejected",
				reason: "insufficient_poe",
				text: { key: "arbitration_lost" },
			});
			// Nothing the losing partner reads names the other partner's claim.
			for (const path of ["", "/comments", "/history"]) {
				const seen = await nora.get(`${API}/claims/${b.id}${path}`);
				expect(seen.statusCode).toBe(200);
				expect(seen.body).not.toContain(a.id);
			}

			// Both changes are in the history, at the same instant, by the reviewer.
			const bHistory = await historyOf(b.id, nora);
			expect(bHistory).toHaveLength(bHistoryBefore.length + 1);
			expect(bHistory.at(-1)).toMatchObject({
				action: "reject_in_arbitration",
				actorRole: "reviewer",
				at,
				before: { status: "under_review" },
				after: { status: "rejected" },
			});
			expect((await historyOf(a.id, ana)).at(-1)).toMatchObject({
				action: "approve",
				actorRole: "reviewer",
				at,
				before: { status: "under_review" },
				after: { status: "approved" },
			});

			// The loser cannot be approved afterwards.
			expectProblem(
				await rita.post(`${API}/claims/${b.id}/approve`, {}),
				409,
				"invalid_transition",
			);
			expect(await getClaim(b.id)).toEqual(loser);

			// At most one approved claim per (tenant, product, activity): a dispute the
			// reviewer accepts cannot approve the loser while the winner holds it...
			await ok(
				nora.post(`${API}/claims/${b.id}/dispute`, {
					justification: "We ran the Sales pilot.",
				}),
			);
			const disputed = await getClaim(b.id);
			expectProblem(
				await rita.post(`${API}/claims/${b.id}/dispute-decision`, {
					decision: "approve",
					comment: "Accepted.",
				}),
				409,
				"association_already_approved",
			);
			expect(await getClaim(b.id)).toEqual(disputed);

			// ...nor can a new competing claim be approved.
			await ok(
				rita.post(`${API}/claims/${b.id}/dispute-decision`, {
					decision: "uphold",
					comment: "Fabrikam's claim is approved.",
				}),
			);
			const c = await submitBa(nora, sub);
			expect(c.competing).toBe(true);
			await ok(rita.post(`${API}/claims/${c.id}/start-review`));
			const cReviewed = await getClaim(c.id);
			expectProblem(
				await rita.post(`${API}/claims/${c.id}/approve`, {}),
				409,
				"association_already_approved",
			);
			expect(await getClaim(c.id)).toEqual(cReviewed);
			expect((await getClaim(a.id)).status).toBe("approved");

			// Once the winner is withdrawn, the competitor can be approved.
			await ok(ana.post(`${API}/claims/${a.id}/withdraw`, {}));
			const cApproved = await ok(
				rita.post(`${API}/claims/${c.id}/approve`, {}),
			);
			expect(cApproved.status).toBe("approved");
		});

		it("R-ACC-1 R-CMP-3 migration 0032 takes the winner's claim ID out of an arbitration loss written before: comment, template, rejection and history", async () => {
			const [loss] = (
				(await t.ctx.db.execute(
					sql`select id from claims where rejection->'generated'->>'key' = 'arbitration_lost' limit 1`,
				)) as unknown as { rows: { id: string }[] }
			).rows;
			if (!loss) throw new Error("no arbitration loss from the test before");
			const winner = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
			const said = `Arbitration: another partner's claim (${winner}) for the same customer, product and activity was approved.`;
			// As the losses were written before session 28.
			await t.ctx.db.execute(sql`update claim_comments
				set body = regexp_replace(body, 'another partner''s claim for', ${`another partner's claim (${winner}) for`}),
					template = jsonb_set(template, '{text,winnerClaimId}', to_jsonb(${winner}::text))
				where claim_id = ${loss.id} and template->'text'->>'key' = 'arbitration_lost'`);
			await t.ctx.db.execute(sql`update claims
				set rejection = jsonb_set(jsonb_set(rejection, '{generated,winnerClaimId}', to_jsonb(${winner}::text)), '{comment}', to_jsonb(${said}::text)),
					resource_version = null
				where id = ${loss.id}`);
			await t.ctx.db.execute(sql`update claim_history
				set after = jsonb_set(after, '{rejection}', (select rejection from claims where id = ${loss.id}))
				where claim_id = ${loss.id} and action = 'reject_in_arbitration'`);
			const seen = async () =>
				(
					await Promise.all(
						["", "/comments", "/history"].map(
							async (path) =>
								(
									await nora.get(`${API}/claims/${loss.id}${path}`)
								).body,
						),
					)
				).join("\n");
			expect(await seen()).toContain(winner);
			const migration = readFileSync(
				"src/db/migrations/0032_arbitration_loss_without_winner.sql",
				"utf8",
			);
			for (const statement of migration.split("--> statement-breakpoint"))
				await t.ctx.db.execute(sql.raw(statement));
			const after = await seen();
			expect(after).not.toContain(winner);
			expect(after).toContain(
				"Arbitration: another partner's claim for the same customer, product and activity was approved.",
			);
			expect((await getClaim(loss.id)).rejection.generated).toEqual({
				key: "arbitration_lost",
			});
		});

		it("R-DSP-1 a rejection is disputed with a justification and/or new PoE, one open dispute at a time, never after a partner's own request", async () => {
			// With a justification.
			const x = await m365Claim("rejected", freshTenant());
			t.clock.advanceBy("PT1H");
			const disputed = await ok(
				ana.post(`${API}/claims/${x}/dispute`, {
					justification: "The signed SOW names Teams.",
				}),
			);
			expect(disputed).toMatchObject({
				status: "rejected",
				dispute: {
					status: "open",
					justification: "The signed SOW names Teams.",
					documentIds: [],
				},
			});
			// One open dispute per claim.
			expectProblem(
				await ana.post(`${API}/claims/${x}/dispute`, {
					justification: "Again.",
				}),
				409,
				"dispute_already_open",
			);
			expect(await getClaim(x, ana)).toEqual(disputed);

			// Not after a rejection the partner asked for.
			const w = await m365Claim("submitted", freshTenant());
			await ok(ana.post(`${API}/claims/${w}/withdraw`, {}));
			const withdrawn = await getClaim(w, ana);
			expectProblem(
				await ana.post(`${API}/claims/${w}/dispute`, {
					justification: "Changed our mind.",
				}),
				409,
				"dispute_not_allowed",
			);
			expect(await getClaim(w, ana)).toEqual(withdrawn);

			// With only updated PoE uploaded after the rejection.
			const y = await m365Claim("rejected", freshTenant());
			const upload = await ok(
				ana.upload(`${API}/claims/${y}/documents`, samplePng(), "signed.png"),
				201,
			);
			const withPoe = await ok(ana.post(`${API}/claims/${y}/dispute`, {}));
			expect(withPoe.dispute).toMatchObject({
				status: "open",
				justification: "",
				documentIds: [upload.document.id],
			});
			expect(withPoe.documents).toHaveLength(2);

			// Neither a justification nor new PoE (the PoE from before the rejection does
			// not count, even when uploaded at the same instant).
			const z = await m365Claim("rejected", freshTenant());
			const rejected = await getClaim(z, ana);
			expectProblem(
				await ana.post(`${API}/claims/${z}/dispute`, {}),
				422,
				"validation_failed",
			);
			expectProblem(
				await ana.post(`${API}/claims/${z}/dispute`, { justification: "   " }),
				422,
				"validation_failed",
			);
			expect(await getClaim(z, ana)).toEqual(rejected);
		});

		it("R-TIME-7 a dispute can be filed until 30 calendar days after the rejection, not later", async () => {
			const early = await m365Claim("rejected", freshTenant());
			const late = await m365Claim("rejected", freshTenant());
			const rejectedAt = (await getClaim(early, ana)).rejection.rejectedAt;
			expect((await getClaim(early, ana)).deadlines.disputeUntil).toBe(
				addCalendarDays(rejectedAt, 30),
			);

			t.clock.advanceBy("P29DT23H59M59S");
			await ok(
				ana.post(`${API}/claims/${early}/dispute`, {
					justification: "Filed in the last second.",
				}),
			);

			t.clock.advanceBy("PT2S"); // rejection + 30 days + 1 second
			const before = await getClaim(late, ana);
			const res = await ana.post(`${API}/claims/${late}/dispute`, {
				justification: "Too late.",
			});
			expectProblem(res, 409, "dispute_window_closed");
			expect(res.json().detail).toContain("new claim");
			expect(await getClaim(late, ana)).toEqual(before);
		});

		it("R-DSP-2 the rejection notice says the reason and how to dispute, until when", async () => {
			const id = await m365Claim("under_review", freshTenant());
			const rejected = await ok(
				rita.post(`${API}/claims/${id}/reject`, {
					reason: "missing_customer_consent_on_poe",
					comment: "The customer did not sign the PoE.",
				}),
			);
			const until = rejected.deadlines.disputeUntil as string;
			expect(until).toBe(addCalendarDays(rejected.rejection.rejectedAt, 30));
			const notice = (await commentsOf(id, ana)).at(-1) as CommentEntry;
			expect(notice.kind).toBe("decision");
			expect(notice.body).toContain(
				"The customer's consent is missing from the PoE.",
			);
			expect(notice.body).toContain("The customer did not sign the PoE.");
			expect(notice.body).toMatch(/dispute/i);
			// Until when, as a person reads it, in the calendar's zone.
			expect(notice.body).toContain(formatInstant(until, "en", "UTC"));

			// A rejection at the partner's own request offers no dispute.
			const w = await m365Claim("submitted", freshTenant());
			await ok(ana.post(`${API}/claims/${w}/withdraw`, {}));
			const withdrawNotice = (await commentsOf(w, ana)).at(-1) as CommentEntry;
			expect(withdrawNotice.kind).toBe("decision");
			expect(withdrawNotice.body).not.toMatch(/dispute/i);
		});

		it("R-DSP-3 the dispute carries MPN ID, programs, tenant ID and products", async () => {
			const claim = await submitBa(
				ana,
				DEMO_IDS.subscriptions.adventureWorksSales,
				ADVENTURE_WORKS,
			);
			await ok(rita.post(`${API}/claims/${claim.id}/start-review`));
			await ok(
				rita.post(`${API}/claims/${claim.id}/reject`, {
					reason: "poe_not_available",
					comment: "The PoE link is broken.",
				}),
			);
			const disputed = await ok(
				ana.post(`${API}/claims/${claim.id}/dispute`, {
					justification: "PoE re-attached.",
				}),
			);
			const expected = {
				status: "open",
				justification: "PoE re-attached.",
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				programs: ["osa_sell"],
				tenantId: DEMO_IDS.tenants.adventureWorks,
				products: [
					{
						productId: "dynamics-365-sales",
						subscriptionId: DEMO_IDS.subscriptions.adventureWorksSales,
					},
				],
				rejectionReason: "poe_not_available",
			};
			expect(disputed.id).toBe(claim.id);
			expect(disputed.dispute).toMatchObject(expected);
			// The reviewer sees the same record, and the dispute in the queue.
			expect((await getClaim(claim.id, rita)).dispute).toMatchObject(expected);
			const queue = await ok(
				rita.get(`${API}/review-queue?sla=dispute_decision&limit=500`),
			);
			expect(
				queue.items.find(
					(i: { claim: { id: string } }) => i.claim.id === claim.id,
				),
			).toMatchObject({ sla: "dispute_decision" });
		});

		it("R-CON-2 the customer opts out within the window, only on its own tenant, and not after the window", async () => {
			// Within the window: rejected with customer_declined, and the partner is told.
			const id = await m365Claim("approved", CONTOSO, "exchange-online");
			const mine = await ok(carl.get(`${API}/customer/associations`));
			expect(
				mine.items.find((a: { claimId: string }) => a.claimId === id),
			).toMatchObject({ canOptOut: true, status: "approved" });
			t.clock.advanceBy("P3D");
			const optedOut = await ok(
				carl.post(`${API}/customer/associations/${id}/opt-out`, {
					comment: "We work with another partner.",
				}),
			);
			expect(optedOut).toMatchObject({
				status: "rejected",
				rejection: { reason: "customer_declined" },
				association: { status: "declined" },
			});
			const told = (await commentsOf(id, ana)).at(-1) as CommentEntry;
			expect(told).toMatchObject({
				kind: "decision",
				authorRole: "customer_admin",
			});
			expect(told.body).toContain("We work with another partner.");
			expect((await historyOf(id, ana)).at(-1)).toMatchObject({
				action: "opt_out",
				actorRole: "customer_admin",
				after: { status: "rejected" },
			});

			// Not a claim on another tenant: 404, nothing changes.
			const other = await m365Claim(
				"approved",
				ADVENTURE_WORKS,
				"exchange-online",
			);
			const otherBefore = await getClaim(other, ana);
			expectProblem(
				await carl.post(`${API}/customer/associations/${other}/opt-out`, {}),
				404,
				"not_found",
			);
			expect(await getClaim(other, ana)).toEqual(otherBefore);
			expectProblem(
				await carl.post(
					`${API}/customer/associations/no-such-claim/opt-out`,
					{},
				),
				404,
				"not_found",
			);

			// The window is 7 calendar days: open one second before its end, closed at it.
			const lastSecond = await m365Claim(
				"approved",
				CONTOSO,
				"sharepoint-online",
			);
			const closed = await m365Claim(
				"approved",
				CONTOSO,
				"onedrive-for-business",
			);
			const approved = await getClaim(closed, ana);
			expect(approved.deadlines.consentEndsAt).toBe(
				addCalendarDays(approved.association.approvedAt, 7),
			);
			t.clock.advanceBy("P6DT23H59M59S");
			await ok(
				carl.post(`${API}/customer/associations/${lastSecond}/opt-out`, {}),
			);
			t.clock.advanceBy("PT1S"); // approval + 7 days
			const late = expectProblem(
				await carl.post(`${API}/customer/associations/${closed}/opt-out`, {}),
				409,
				"invalid_transition",
			);
			// Says why (the claim is approved, as it was within the window) and what then.
			expect(late.detail).toMatch(/opt-out window has ended/);
			expect(late.detail).toMatch(/ask the partner to withdraw/);
			expect(await getClaim(closed, ana)).toEqual(approved);
			t.clock.advanceBy("P1D");
			expectProblem(
				await carl.post(`${API}/customer/associations/${closed}/opt-out`, {}),
				409,
				"invalid_transition",
			);
			expect((await getClaim(closed, ana)).status).toBe("approved");
		});
	},
);
