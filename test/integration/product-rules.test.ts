import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	baClaimBody,
	type Client,
	DEMO_IDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

describe("products on claims and associations", () => {
	let t: TestApp;
	let ana: Client;
	let nora: Client;
	let rita: Client;
	beforeAll(async () => {
		t = await startTestApp("pglite");
		[ana, nora, rita] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.nora),
			t.login(USERS.rita),
		]);
	});
	afterAll(async () => t?.close());

	const toReview = async (who: Client, body: Record<string, unknown>) => {
		const c = (await who.post("/api/v1/claims", body)).json();
		expect(c.id, JSON.stringify(c)).toBeDefined();
		await who.upload(
			`/api/v1/claims/${c.id}/documents`,
			samplePdf(),
			"poe.pdf",
		);
		expect((await who.post(`/api/v1/claims/${c.id}/submit`)).statusCode).toBe(
			200,
		);
		expect(
			(await rita.post(`/api/v1/claims/${c.id}/start-review`)).statusCode,
		).toBe(200);
		return c.id as string;
	};

	it("R-CMP-0 a customer can have many partners, but one partner of record per product and activity", async () => {
		const teams = await toReview(
			ana,
			m365ClaimBody({
				name: "Teams",
				products: [{ productId: "microsoft-teams" }],
			}),
		);
		const service = await toReview(
			nora,
			baClaimBody({
				name: "Customer Service by Northwind",
				mpnId: DEMO_IDS.mpnIds.northwind,
				products: [
					{ subscriptionId: DEMO_IDS.subscriptions.contosoCustomerService },
				],
			}),
		);
		// Two partners on one customer, different products: both approved.
		expect(
			(await rita.post(`/api/v1/claims/${teams}/approve`, {})).json().status,
		).toBe("approved");
		expect(
			(await rita.post(`/api/v1/claims/${service}/approve`, {})).json().status,
		).toBe("approved");
		// Another partner's claim on the same subscription and activity competes and cannot also be approved.
		const rival = await toReview(
			ana,
			baClaimBody({
				name: "Customer Service by Fabrikam",
				products: [
					{ subscriptionId: DEMO_IDS.subscriptions.contosoCustomerService },
				],
			}),
		);
		expect((await rita.get(`/api/v1/claims/${rival}`)).json().competing).toBe(
			true,
		);
		const refused = await rita.post(`/api/v1/claims/${rival}/approve`, {});
		expect(refused.statusCode).toBe(409);
		expect(refused.json().code).toBe("association_already_approved");
		expect((await rita.get(`/api/v1/claims/${rival}`)).json().status).toBe(
			"under_review",
		);
	});

	it("R-CRT-8 the claim shows its subscription IDs; when the approved subscription ends, a new claim for its successor is approved beside it", async () => {
		const id = await toReview(ana, baClaimBody());
		const approved = (
			await rita.post(`/api/v1/claims/${id}/approve`, {})
		).json();
		expect(approved.products).toEqual([
			expect.objectContaining({
				productId: "dynamics-365-sales",
				subscriptionId: DEMO_IDS.subscriptions.contosoSales,
			}),
		]);
		// Approved claims are not editable: the successor cannot be swapped in.
		const swap = await ana.patch(
			`/api/v1/claims/${id}`,
			{
				products: [
					{ subscriptionId: DEMO_IDS.subscriptions.contosoCustomerService },
				],
			},
			{ "if-match": `"${approved.version}"` },
		);
		expect(swap.statusCode).toBe(409);
		expect(swap.json().code).toBe("claim_not_editable");
		// The subscription ends and the customer buys its successor: same tenant, same product.
		const successorId = "5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
		const paula = await t.login(USERS.paula);
		const sub = (subscriptionId: string, status: string) => ({
			subscriptionId,
			tenantId: DEMO_IDS.tenants.contoso,
			productId: "dynamics-365-sales",
			channel: "volume_licensing",
			status,
			provisioned: true,
		});
		const imported = await paula.post("/api/v1/admin/directory/import", {
			subscriptions: [
				sub(DEMO_IDS.subscriptions.contosoSales, "deleted"),
				sub(successorId, "active"),
			],
		});
		expect(imported.statusCode, imported.body).toBe(200);
		// A new claim for the successor is accepted, does not compete with the ended
		// subscription's claim, and is approved beside it.
		const successor = await toReview(
			ana,
			baClaimBody({
				name: "Contoso Sales, successor subscription",
				products: [{ subscriptionId: successorId }],
			}),
		);
		const seen = (await rita.get(`/api/v1/claims/${successor}`)).json();
		expect(seen.competing).toBe(false);
		const decided = await rita.post(`/api/v1/claims/${successor}/approve`, {});
		expect(decided.statusCode, decided.body).toBe(200);
		expect(decided.json().products).toEqual([
			expect.objectContaining({ subscriptionId: successorId }),
		]);
		expect((await rita.get(`/api/v1/claims/${id}`)).json().status).toBe(
			"approved",
		);
		// Another partner's claim on the successor subscription competes with it (R-CMP-2).
		const rival = await toReview(
			nora,
			baClaimBody({
				name: "Contoso Sales by Northwind",
				mpnId: DEMO_IDS.mpnIds.northwind,
				products: [{ subscriptionId: successorId }],
			}),
		);
		expect((await rita.get(`/api/v1/claims/${rival}`)).json().competing).toBe(
			true,
		);
		const refused = await rita.post(`/api/v1/claims/${rival}/approve`, {});
		expect(refused.json().code).toBe("association_already_approved");
	});

	it("R-REV-4 a reviewer asks to remove a workload; the partner removes it by editing and resubmits", async () => {
		const id = await toReview(
			ana,
			m365ClaimBody({
				name: "Intune and Purview",
				products: [
					{ productId: "intune" },
					{ productId: "purview-information-protection" },
				],
			}),
		);
		const asked = await rita.post(`/api/v1/claims/${id}/request-information`, {
			reasons: ["missing_products"],
			comment: "The PoE does not cover Purview; remove it or add PoE for it.",
		});
		expect(asked.json().status).toBe("partner_action_required");
		const edited = await ana.patch(
			`/api/v1/claims/${id}`,
			{ products: [{ productId: "intune" }] },
			{ "if-match": `"${asked.json().version}"` },
		);
		expect(edited.statusCode, edited.body).toBe(200);
		expect(
			edited.json().products.map((p: { productId: string }) => p.productId),
		).toEqual(["intune"]);
		const resubmitted = await ana.post(`/api/v1/claims/${id}/resubmit`, {
			comment: "Purview removed.",
		});
		expect(resubmitted.json().status).toBe("under_review");
		const history = (await rita.get(`/api/v1/claims/${id}/history`)).json()
			.items as {
			action: string;
			before: { products?: unknown[] } | null;
			after: { products?: unknown[] } | null;
		}[];
		const edit = history.find((h) => h.action === "edit");
		expect(edit?.before?.products).toHaveLength(2);
		expect(edit?.after?.products).toHaveLength(1);
	});

	it("R-ROL-1 only Global and Incentives admins set an MPN ID aside; then new claims and submits with it are refused (mpn_not_in_use) until it is used again", async () => {
		const mpnId = DEMO_IDS.mpnIds.fabrikamEnrolled;
		const [ivan, daan] = await Promise.all([
			t.login(USERS.ivan),
			t.login(USERS.daan),
		]);
		const draft = (
			await ana.post(
				"/api/v1/claims",
				m365ClaimBody({
					name: "Drafted before",
					products: [{ productId: "onedrive-for-business" }],
				}),
			)
		).json();
		await ana.upload(
			`/api/v1/claims/${draft.id}/documents`,
			samplePdf(),
			"poe.pdf",
		);
		// An incentives user may not; another organization's admin sees no such MPN ID.
		expect(
			(await ivan.patch(`/api/v1/mpn-ids/${mpnId}`, { inUse: false }))
				.statusCode,
		).toBe(403);
		const other = await nora.patch(`/api/v1/mpn-ids/${mpnId}`, {
			inUse: false,
		});
		expect([other.statusCode, other.json().code]).toEqual([404, "not_found"]);
		const aside = await daan.patch(`/api/v1/mpn-ids/${mpnId}`, {
			inUse: false,
		});
		expect(aside.statusCode, aside.body).toBe(200);
		expect(aside.json()).toMatchObject({ mpnId, inUse: false });
		const listed = (await ivan.get("/api/v1/mpn-ids")).json().items;
		expect(
			listed.find((m: { mpnId: string }) => m.mpnId === mpnId),
		).toMatchObject({ inUse: false });
		try {
			const refused = await ana.post(
				"/api/v1/claims",
				m365ClaimBody({ products: [{ productId: "intune" }] }),
			);
			expect(refused.statusCode, refused.body).toBe(422);
			expect(refused.json().code).toBe("mpn_not_in_use");
			expect(refused.json().errors[0].path).toBe("mpnId");
			const submit = await ana.post(`/api/v1/claims/${draft.id}/submit`);
			expect(submit.statusCode, submit.body).toBe(422);
			expect(submit.json().code).toBe("mpn_not_in_use");
		} finally {
			const back = await ana.patch(`/api/v1/mpn-ids/${mpnId}`, {
				inUse: true,
			});
			expect(back.statusCode, back.body).toBe(200);
		}
		const submit = await ana.post(`/api/v1/claims/${draft.id}/submit`);
		expect(submit.statusCode, submit.body).toBe(200);
	});
});
