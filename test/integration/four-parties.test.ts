import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyClaim, deleteClaimCopies } from "../support/claim-copies.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

/** The whole journey as the four parties would take it, through HTTP only. */
describe.each(DB_KINDS)(
	"a claim's journey as partner, reviewer, customer and platform admin on %s",
	(kind) => {
		let t: TestApp;
		let ana: Client;
		let bea: Client;
		let rita: Client;
		let carl: Client;
		let paula: Client;
		beforeAll(async () => {
			t = await startTestApp(kind);
			[ana, bea, rita, carl, paula] = await Promise.all([
				t.login(USERS.ana),
				t.login(USERS.bea),
				t.login(USERS.rita),
				t.login(USERS.carl),
				t.login(USERS.paula),
			]);
		});
		afterAll(async () => t?.close());

		const ok = (res: { statusCode: number; body: string }, status = 200) => {
			expect(res.statusCode, res.body).toBe(status);
			return (res as unknown as { json(): Record<string, any> }).json();
		};

		it("R-TIME-6 draft → submitted → under review → approved → consent window → active association with eligibility and earnings", async () => {
			const draft = ok(await ana.post("/api/v1/claims", baClaimBody()), 201);
			ok(
				await ana.upload(
					`/api/v1/claims/${draft.id}/documents`,
					samplePdf(),
					"SOW signed.pdf",
				),
				201,
			);
			ok(await ana.post(`/api/v1/claims/${draft.id}/submit`));
			const queue = ok(await rita.get("/api/v1/review-queue"));
			expect(
				queue.items.map((i: { claim: { id: string } }) => i.claim.id),
			).toContain(draft.id);
			ok(await rita.post(`/api/v1/claims/${draft.id}/start-review`));
			const approved = ok(
				await rita.post(`/api/v1/claims/${draft.id}/approve`, {
					comment: "Signed SOW.",
				}),
			);
			expect(approved.association.status).toBe("pending_consent");

			// The platform admin's clock run delivers the consent notice to the customer contact.
			ok(await paula.post("/api/v1/admin/clock", { advanceBy: "PT1M" }));
			const mail = ok(
				await paula.get("/api/v1/admin/mailbox?to=chris%40contoso.example"),
			);
			expect(
				mail.items.some((m: { claimId: string }) => m.claimId === draft.id),
			).toBe(true);

			// The customer admin sees the association on its tenant and could opt out.
			const mine = ok(await carl.get("/api/v1/customer/associations"));
			const entry = mine.items.find(
				(a: { claimId: string }) => a.claimId === draft.id,
			);
			expect(entry).toMatchObject({
				partnerName: "Fabrikam Consulting",
				canOptOut: true,
			});
			expect(entry.dataShared).toMatch(/Dynamics 365 Sales/);

			// Seven calendar days later the association is active and eligibility evaluated.
			const moved = ok(
				await paula.post("/api/v1/admin/clock", { advanceBy: "P7D" }),
			);
			expect(moved.timers.activated).toBeGreaterThanOrEqual(1);
			const active = ok(await ana.get(`/api/v1/claims/${draft.id}`));
			expect(active.status).toBe("approved");
			expect(active.association.status).toBe("active");
			const osa = active.eligibility.find(
				(e: { program: string }) => e.program === "osa_sell",
			);
			expect(osa).toMatchObject({ result: "eligible", reasons: [] });
			expect(
				active.eligibility.find(
					(e: { program: string }) => e.program === "osu_m365",
				).result,
			).toBe("not_eligible");
			expect(
				ok(await carl.get("/api/v1/customer/associations")).items.find(
					(a: { claimId: string }) => a.claimId === draft.id,
				).canOptOut,
			).toBe(false);

			// The billing admin finds it in earnings (R-ELG-2).
			const earnings = ok(
				await bea.get("/api/v1/reports/earnings?program=osa_sell"),
			);
			const rows = earnings.items.flatMap(
				(i: { associations: { claimId: string }[] }) => i.associations,
			);
			expect(rows.map((r: { claimId: string }) => r.claimId)).toContain(
				draft.id,
			);
			const history = ok(
				await ana.get(`/api/v1/claims/${draft.id}/history`),
			).items.map((h: { action: string }) => h.action);
			expect(history).toEqual([
				"create",
				"upload_document",
				"submit",
				"start_review",
				"approve",
				"activate_association",
			]);
		});

		it("R-DSP-1 rejected → disputed with new PoE → dispute approved → consent window → active", async () => {
			const c = ok(
				await ana.post(
					"/api/v1/claims",
					m365ClaimBody({
						name: "Contoso OneDrive adoption",
						products: [{ productId: "onedrive-for-business" }],
					}),
				),
				201,
			);
			ok(
				await ana.upload(
					`/api/v1/claims/${c.id}/documents`,
					samplePdf(),
					"Kick-off.pdf",
				),
				201,
			);
			ok(await ana.post(`/api/v1/claims/${c.id}/submit`));
			ok(await rita.post(`/api/v1/claims/${c.id}/start-review`));
			const rejected = ok(
				await rita.post(`/api/v1/claims/${c.id}/reject`, {
					reason: "missing_customer_consent_on_poe",
					comment: "The customer did not sign the PoE.",
				}),
			);
			expect(rejected.deadlines.disputeUntil).not.toBeNull();
			ok(await paula.post("/api/v1/admin/clock", { advanceBy: "P2D" }));
			ok(
				await ana.upload(
					`/api/v1/claims/${c.id}/documents`,
					samplePdf("Signed by Contoso"),
					"Signed PoE.pdf",
				),
				201,
			);
			const disputed = ok(
				await ana.post(`/api/v1/claims/${c.id}/dispute`, {
					justification: "The signed PoE is attached now.",
				}),
			);
			expect(disputed.dispute).toMatchObject({
				status: "open",
				tenantId: DEMO_IDS.tenants.contoso,
			});
			const queue = ok(
				await rita.get("/api/v1/review-queue?sla=dispute_decision"),
			);
			expect(
				queue.items.map((i: { claim: { id: string } }) => i.claim.id),
			).toContain(c.id);
			const decided = ok(
				await rita.post(`/api/v1/claims/${c.id}/dispute-decision`, {
					decision: "approve",
					comment: "Signature present.",
				}),
			);
			expect(decided.status).toBe("approved");
			expect(decided.dispute.status).toBe("decided");
			expect(
				ok(await carl.get("/api/v1/customer/associations")).items.some(
					(a: { claimId: string }) => a.claimId === c.id,
				),
			).toBe(true);
			ok(await paula.post("/api/v1/admin/clock", { advanceBy: "P8D" }));
			const active = ok(await ana.get(`/api/v1/claims/${c.id}`));
			expect(active.association.status).toBe("active");
			expect(
				active.eligibility.find(
					(e: { program: string }) => e.program === "osu_m365",
				).result,
			).toBe("eligible");
			const comments = ok(
				await ana.get(`/api/v1/claims/${c.id}/comments`),
			).items.map((x: { kind: string }) => x.kind);
			expect(comments).toEqual(
				expect.arrayContaining(["decision", "dispute", "system"]),
			);
		});

		it("R-ROL-3 R-CON-2 a customer admin sees its pending association among many newer rejected claims without one", async () => {
			const c = ok(
				await ana.post(
					"/api/v1/claims",
					m365ClaimBody({
						name: "Pending among many",
						products: [{ productId: "viva-engage" }],
					}),
				),
				201,
			);
			ok(
				await ana.upload(
					`/api/v1/claims/${c.id}/documents`,
					samplePdf(),
					"poe.pdf",
				),
				201,
			);
			ok(await ana.post(`/api/v1/claims/${c.id}/submit`));
			ok(await rita.post(`/api/v1/claims/${c.id}/start-review`));
			ok(await rita.post(`/api/v1/claims/${c.id}/approve`, {}));
			// 600 newer claims on the same tenant, withdrawn before any association.
			const w = ok(
				await ana.post(
					"/api/v1/claims",
					m365ClaimBody({
						name: "Withdrawn",
						products: [{ productId: "intune" }],
					}),
				),
				201,
			);
			ok(
				await ana.upload(
					`/api/v1/claims/${w.id}/documents`,
					samplePdf(),
					"poe.pdf",
				),
				201,
			);
			ok(await ana.post(`/api/v1/claims/${w.id}/submit`));
			t.clock.advanceBy("PT1M");
			ok(await ana.post(`/api/v1/claims/${w.id}/withdraw`, {}));
			await copyClaim(t.ctx.db, w.id, 600, "withdrawn-copy-");
			try {
				const items = ok(await carl.get("/api/v1/customer/associations"))
					.items as { claimId: string; canOptOut: boolean }[];
				expect(items.find((a) => a.claimId === c.id)?.canOptOut).toBe(true);
				expect(items.some((a) => a.claimId.startsWith("withdrawn-copy-"))).toBe(
					false,
				);
			} finally {
				await deleteClaimCopies(t.ctx.db, "withdrawn-copy-");
			}
		});
	},
);
