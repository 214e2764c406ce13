/**
 * SPEC R-DIR-6: "Claims keep a snapshot of what they were validated against." A claim
 * keeps the directory facts its checks read when it was created, submitted, resubmitted
 * or edited (tenant, domain, MPN ID, each line's product and subscription), and
 * `GET /claims/{id}/directory-check` compares them with the directory now, and says
 * whether the submit checks would still pass, on both databases.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/demo/generate-directory.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	queryRows,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
	uploadPoeAndSubmit,
} from "../support/test-app.ts";

const API = "/api/v1";

describe.each(DB_KINDS)("R-DIR-6 the directory check (%s)", (kind) => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	let claimId: string;
	const sub = () => {
		const s = (testDirectory().subscriptions ?? []).find(
			(x) => x.subscriptionId === DEMO_IDS.subscriptions.contosoSales,
		);
		if (!s)
			throw new Error("the test directory has no Contoso Sales subscription");
		return s;
	};
	beforeAll(async () => {
		t = await startTestApp(kind);
		[ana, rita, paula] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
		]);
		const created = await ana.post(`${API}/claims`, baClaimBody());
		expect(created.statusCode, created.body).toBe(201);
		claimId = created.json().id;
		await uploadPoeAndSubmit(ana, claimId);
	});
	afterAll(async () => {
		await t?.close();
	});

	it("R-DIR-6 a submitted claim keeps what it was validated against: tenant, domain, MPN programs and each line's subscription; nothing has changed since", async () => {
		const res = await rita.get(`${API}/claims/${claimId}/directory-check`);
		expect(res.statusCode, res.body).toBe(200);
		const check = res.json();
		expect(check.validatedAt).toBe("2026-11-23T09:00:00.000Z");
		expect(check.validated).toMatchObject({
			tenantName: "Contoso Ltd",
			domainVerified: true,
			mpnInUse: true,
			lines: [
				{
					subscriptionId: DEMO_IDS.subscriptions.contosoSales,
					product: { solutionArea: "business_applications" },
					subscription: {
						channel: sub().channel,
						status: "active",
						provisioned: true,
					},
				},
			],
		});
		expect(check.validated.mpnPrograms.length).toBeGreaterThan(0);
		expect(check.current).toEqual({
			...check.validated,
			validatedAt: check.checkedAt,
		});
		expect(check.changes).toEqual([]);
		expect(check.problems).toEqual([]);
		// The partner sees its own claim's check too; another partner gets 404.
		expect(
			(await ana.get(`${API}/claims/${claimId}/directory-check`)).statusCode,
		).toBe(200);
		const nora = await t.login(USERS.nora);
		expect(
			(await nora.get(`${API}/claims/${claimId}/directory-check`)).statusCode,
		).toBe(404);
	});

	it("R-DIR-6 after the subscription is disabled in the directory, the check names the change and the submit check it would now fail, and the snapshot stays as validated", async () => {
		const disable = await paula.post(`${API}/admin/directory/import`, {
			subscriptions: [{ ...sub(), status: "disabled" }],
		});
		expect(disable.statusCode, disable.body).toBe(200);
		try {
			const check = (
				await rita.get(`${API}/claims/${claimId}/directory-check`)
			).json();
			expect(check.validated.lines[0].subscription.status).toBe("active");
			expect(check.current.lines[0].subscription.status).toBe("disabled");
			expect(check.changes).toEqual([
				{
					code: "subscription_changed",
					subject: DEMO_IDS.subscriptions.contosoSales,
					field: "status",
					was: "active",
					now: "disabled",
				},
			]);
			expect(check.problems).toEqual([
				expect.objectContaining({
					path: "products[0].subscriptionId",
					code: "subscription_inactive",
				}),
			]);
		} finally {
			const restore = await paula.post(`${API}/admin/directory/import`, {
				subscriptions: [sub()],
			});
			expect(restore.statusCode, restore.body).toBe(200);
		}
		const again = (
			await rita.get(`${API}/claims/${claimId}/directory-check`)
		).json();
		expect(again.changes).toEqual([]);
	});

	it("R-DIR-6 an edit of the contacts keeps the snapshot; an edit of the MPN ID after submission re-validates the MPN ID only, so a subscription disabled before it is still a change", async () => {
		const before = (
			await ana.get(`${API}/claims/${claimId}/directory-check`)
		).json();
		t.clock.advanceBy("PT1M");
		const claim = (await ana.get(`${API}/claims/${claimId}`)).json();
		const contacts = await ana.patch(
			`${API}/claims/${claimId}`,
			{ contacts: { partner: { name: "Ana G." } } },
			{ "if-match": `"${claim.version}"` },
		);
		expect(contacts.statusCode, contacts.body).toBe(200);
		const kept = (
			await ana.get(`${API}/claims/${claimId}/directory-check`)
		).json();
		expect(kept.validated).toEqual(before.validated);
		const disable = await paula.post(`${API}/admin/directory/import`, {
			subscriptions: [{ ...sub(), status: "disabled" }],
		});
		expect(disable.statusCode, disable.body).toBe(200);
		try {
			const mpn = await ana.patch(
				`${API}/claims/${claimId}`,
				{ mpnId: claim.mpnId },
				{ "if-match": `"${contacts.json().version}"` },
			);
			expect(mpn.statusCode, mpn.body).toBe(200);
			const check = (
				await rita.get(`${API}/claims/${claimId}/directory-check`)
			).json();
			expect(check.validated).toEqual(before.validated);
			expect(check.changes).toEqual([
				expect.objectContaining({
					code: "subscription_changed",
					field: "status",
					was: "active",
					now: "disabled",
				}),
			]);
		} finally {
			const restore = await paula.post(`${API}/admin/directory/import`, {
				subscriptions: [sub()],
			});
			expect(restore.statusCode, restore.body).toBe(200);
		}
	});

	it("R-DIR-6 an edit that sends the MPN ID the claim has, after its programs changed in the directory, re-validates it: a new version with the new snapshot, not a no-op", async () => {
		const partner = (testDirectory().partners ?? []).find(
			(p) => p.organizationId === "fabrikam",
		);
		if (!partner) throw new Error("the test directory has no Fabrikam");
		const claim = (await ana.get(`${API}/claims/${claimId}`)).json();
		const fewer = {
			...partner,
			mpnIds: partner.mpnIds.map((m) =>
				m.mpnId === claim.mpnId
					? { ...m, programs: m.programs?.filter((p) => p !== "osu_m365") }
					: m,
			),
		};
		const changed = await paula.post(`${API}/admin/directory/import`, {
			partners: [fewer],
		});
		expect(changed.statusCode, changed.body).toBe(200);
		try {
			const stale = (
				await rita.get(`${API}/claims/${claimId}/directory-check`)
			).json();
			expect(stale.changes).toEqual([
				expect.objectContaining({ code: "mpn_programs_changed" }),
			]);
			t.clock.advanceBy("PT1M");
			const edit = await ana.patch(
				`${API}/claims/${claimId}`,
				{ mpnId: claim.mpnId },
				{ "if-match": `"${claim.version}"` },
			);
			expect(edit.statusCode, edit.body).toBe(200);
			expect(edit.json().version).toBe(claim.version + 1);
			const fresh = (
				await rita.get(`${API}/claims/${claimId}/directory-check`)
			).json();
			expect(fresh.changes).toEqual([]);
			// Sent again, with nothing new in the directory: nothing to write.
			const again = await ana.patch(
				`${API}/claims/${claimId}`,
				{ mpnId: claim.mpnId },
				{ "if-match": `"${claim.version + 1}"` },
			);
			expect(again.statusCode, again.body).toBe(200);
			expect(again.json().version).toBe(claim.version + 1);
		} finally {
			const restore = await paula.post(`${API}/admin/directory/import`, {
				partners: [partner],
			});
			expect(restore.statusCode, restore.body).toBe(200);
			// And the claim validated against it again, for the tests after this one.
			const now = (await ana.get(`${API}/claims/${claimId}`)).json();
			const back = await ana.patch(
				`${API}/claims/${claimId}`,
				{ mpnId: now.mpnId },
				{ "if-match": `"${now.version}"` },
			);
			expect(back.statusCode, back.body).toBe(200);
		}
	});

	it("R-DIR-6 a subscription moved to another tenant is a change, as well as a problem", async () => {
		const other = DEMO_IDS.tenants.adventureWorks;
		const moved = await paula.post(`${API}/admin/directory/import`, {
			subscriptions: [{ ...sub(), tenantId: other }],
		});
		expect(moved.statusCode, moved.body).toBe(200);
		try {
			const check = (
				await rita.get(`${API}/claims/${claimId}/directory-check`)
			).json();
			expect(check.changes).toEqual([
				expect.objectContaining({
					code: "subscription_changed",
					field: "tenantId",
					was: DEMO_IDS.tenants.contoso,
					now: other,
				}),
			]);
			expect(check.problems.map((p: { code: string }) => p.code)).toContain(
				"product_not_in_tenant",
			);
		} finally {
			const restore = await paula.post(`${API}/admin/directory/import`, {
				subscriptions: [sub()],
			});
			expect(restore.statusCode, restore.body).toBe(200);
		}
	});

	it("R-DIR-6 a claim validated before lines were kept is compared on what it kept", async () => {
		await t.ctx.db.execute(
			sql`update claims set snapshot = jsonb_build_object('validatedAt', '2026-11-01T00:00:00.000Z', 'tenantName', 'Contoso (old name)', 'mpnPrograms', snapshot->'mpnPrograms') where id = ${claimId}`,
		);
		const check = (
			await rita.get(`${API}/claims/${claimId}/directory-check`)
		).json();
		expect(check.validatedAt).toBe("2026-11-01T00:00:00.000Z");
		expect(check.changes).toEqual([
			{ code: "tenant_renamed", was: "Contoso (old name)", now: "Contoso Ltd" },
		]);
		const rows = await queryRows<{ n: number }>(
			t,
			sql`select count(*)::int as n from claims where id = ${claimId}`,
		);
		expect(rows[0]?.n).toBe(1);
	});
});
