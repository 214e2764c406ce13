import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	type TestApp,
	USERS,
	m365ClaimBody,
	startTestApp,
} from "../support/test-app.ts";

describe("claim counts per status", () => {
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

	it("R-DSH-1 counts per status follow the list's filters and the caller's scope", async () => {
		const make = async (productId: string, submit: boolean) => {
			const c = (
				await ana.post(
					"/api/v1/claims",
					m365ClaimBody({
						name: `Count ${productId}`,
						products: [{ productId }],
					}),
				)
			).json();
			if (submit) {
				await ana.upload(
					`/api/v1/claims/${c.id}/documents`,
					samplePdf(),
					"poe.pdf",
				);
				await ana.post(`/api/v1/claims/${c.id}/submit`);
			}
			return c.id as string;
		};
		await make("intune", false);
		await make("exchange-online", true);
		await make("sharepoint-online", true);
		const all = (await ana.get("/api/v1/claims/counts")).json();
		expect(all.counts).toMatchObject({
			draft: 1,
			submitted: 2,
			under_review: 0,
			approved: 0,
		});
		expect(all.total).toBe(3);
		const list = (await ana.get("/api/v1/claims?limit=100")).json();
		expect(list.items).toHaveLength(all.total);
		const searched = (await ana.get("/api/v1/claims/counts?q=exchange")).json();
		expect(searched.total).toBe(1);
		expect((await nora.get("/api/v1/claims/counts")).json().total).toBe(0);
		// Reviewers never count drafts.
		expect((await rita.get("/api/v1/claims/counts")).json().counts.draft).toBe(
			0,
		);
	});
});
