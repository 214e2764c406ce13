import { readFile } from "node:fs/promises";
import path from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	foldClaimStatusDeltas,
	rebuildClaimStatusCounts,
} from "../../src/claims/status-counts.ts";
import { MIGRATIONS_DIR } from "../../src/db/client.ts";
import { runDueTimers } from "../../src/jobs/sweeper.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	baClaimBody,
	type Client,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	northwindBaClaimBody,
	startTestApp,
	type TestApp,
	USERS,
	uploadPoeAndSubmit,
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

describe.each(DB_KINDS)("R-DSH-1 status counters on %s", (kind) => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp(kind);
	});
	afterAll(async () => t?.close());

	/** The list filters the counters hold, as query strings (besides none). */
	const FILTERS = [
		"",
		"solutionArea=microsoft_365",
		"solutionArea=business_applications",
		"activity=usage",
		"activity=presales",
		`mpnId=${DEMO_IDS.mpnIds.fabrikamEnrolled}`,
		`mpnId=${DEMO_IDS.mpnIds.fabrikamUnenrolled}`,
		"competing=true",
		"competing=false",
		"solutionArea=business_applications&competing=true",
	];
	/** A claim's counter key, as a scan of the claims reads it. */
	type CounterKey = {
		org: string;
		status: string;
		solutionArea: string;
		activity: string;
		mpnId: string;
		competing: boolean;
	};
	type ScanRow = CounterKey & { n: number };
	/** What a scan of the claims says, per organization and status, for a filter. */
	const scanned = async (filter: string) => {
		const res = (await t.ctx.db.execute(
			sql`select partner_organization_id as org, status, solution_area as "solutionArea",
				activity, mpn_id as "mpnId", competing, count(*)::int as n
				from claims group by 1, 2, 3, 4, 5, 6`,
		)) as unknown as { rows: ScanRow[] };
		const wanted = [...new URLSearchParams(filter)];
		const out: Record<string, Record<string, number>> = {};
		for (const r of res.rows) {
			if (!wanted.every(([k, v]) => String(r[k as keyof ScanRow]) === v))
				continue;
			const org = out[r.org] ?? {};
			org[r.status] = (org[r.status] ?? 0) + Number(r.n);
			out[r.org] = org;
		}
		return out;
	};
	const fromApi = async (client: Client, filter: string) => {
		const res = await client.get(`/api/v1/claims/counts?${filter}`);
		expect(res.statusCode, res.body).toBe(200);
		const { counts } = res.json() as { counts: Record<string, number> };
		return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
	};

	it("R-DSH-1 the counts, unfiltered or by solution area, activity, MPN ID and competing, come from counters that the triggers keep exact through create, edit, submit, competing, review, delete and a timer batch, before and after folding", async () => {
		const [ana, nora, rita] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.nora),
			t.login(USERS.rita),
		]);
		const ids: string[] = [];
		for (const productId of [
			"intune",
			"exchange-online",
			"sharepoint-online",
			"microsoft-teams",
		]) {
			const c = (
				await ana.post(
					"/api/v1/claims",
					m365ClaimBody({
						name: `Counter ${productId}`,
						products: [{ productId }],
					}),
				)
			).json();
			ids.push(c.id);
		}
		for (const id of ids.slice(0, 3)) await uploadPoeAndSubmit(ana, id);
		expect(
			(await rita.post(`/api/v1/claims/${ids[0]}/start-review`)).statusCode,
		).toBe(200);
		expect((await ana.del(`/api/v1/claims/${ids[3]}`)).statusCode).toBe(204);
		// An edit that moves a draft to another MPN ID.
		const moved = (
			await ana.post(
				"/api/v1/claims",
				m365ClaimBody({ products: [{ productId: "entra-id-p2" }] }),
			)
		).json() as { id: string; version: number };
		const edit = await ana.patch(
			`/api/v1/claims/${moved.id}`,
			{ mpnId: DEMO_IDS.mpnIds.fabrikamUnenrolled },
			{ "if-match": `"${moved.version}"` },
		);
		expect(edit.statusCode, edit.body).toBe(200);
		// Two organizations' claims on one subscription: both become competing.
		const products = [{ subscriptionId: DEMO_IDS.subscriptions.contosoSales }];
		const ba = (
			await ana.post("/api/v1/claims", baClaimBody({ products }))
		).json();
		await uploadPoeAndSubmit(ana, ba.id);
		const rival = (
			await nora.post("/api/v1/claims", northwindBaClaimBody({ products }))
		).json();
		await uploadPoeAndSubmit(nora, rival.id);
		expect((await ana.get(`/api/v1/claims/${ba.id}`)).json().competing).toBe(
			true,
		);
		const expectMatches = async () => {
			for (const filter of FILTERS) {
				const scan = await scanned(filter);
				expect(await fromApi(ana, filter), filter).toEqual(scan.fabrikam ?? {});
				expect(await fromApi(nora, filter), filter).toEqual(
					scan.northwind ?? {},
				);
				const all: Record<string, number> = {};
				for (const org of Object.values(scan))
					for (const [s, n] of Object.entries(org))
						if (s !== "draft") all[s] = (all[s] ?? 0) + n;
				expect(await fromApi(rita, filter), filter).toEqual(all);
			}
		};
		await expectMatches();
		expect(await foldClaimStatusDeltas(t.ctx)).toBeGreaterThan(0);
		await expectMatches();
		expect(await foldClaimStatusDeltas(t.ctx)).toBe(0);
		// A batch of timers (R-TIME-4) changes many claims in one statement.
		// Due an hour before the sandbox clock (not the database's own clock: the test
		// app's clock is fixed at 09:00 UTC, so `now()` stops being past it by 10:00).
		const hourAgo = new Date(t.clock.now().getTime() - 3_600_000).toISOString();
		await t.ctx.db.execute(
			sql`update claims set status = 'partner_action_required', partner_response_due = ${hourAgo}::timestamptz, due_at = ${hourAgo}::timestamptz, information_request = '{"reasons":["missing_all_poe"]}'::jsonb where id = ${ids[0]}`,
		);
		t.clock.advanceBy("PT1M");
		await runDueTimers(t.ctx);
		expect((await ana.get(`/api/v1/claims/${ids[0]}`)).json().status).toBe(
			"rejected",
		);
		await expectMatches();
		await foldClaimStatusDeltas(t.ctx);
		await expectMatches();
		// A recount (after bulk SQL that bypassed the triggers) gives the same answer.
		expect(await rebuildClaimStatusCounts(t.ctx.db)).toBeGreaterThan(0);
		await expectMatches();
		// The filtered counts are the counters' (a delta that no claim made shows), and a
		// search is counted from the claims (it does not).
		const before = await fromApi(
			ana,
			"solutionArea=microsoft_365&competing=false",
		);
		await t.ctx.db.execute(sql`insert into claim_status_deltas
			(partner_organization_id, status, solution_area, activity, mpn_id, competing, delta)
			values ('fabrikam', 'approved', 'microsoft_365', 'usage', ${DEMO_IDS.mpnIds.fabrikamEnrolled}, false, 1000)`);
		expect(
			(await fromApi(ana, "solutionArea=microsoft_365&competing=false"))
				.approved,
		).toBe((before.approved ?? 0) + 1000);
		expect(
			(await fromApi(ana, "solutionArea=microsoft_365&q=Counter")).approved,
		).toBeUndefined();
		await rebuildClaimStatusCounts(t.ctx.db);
		await expectMatches();
	});

	it("R-DSH-1 a list by a solution area or activity in which the caller has no claims is answered empty from the counters (left out for a minute once it had claims); the others list what the claims hold, before and after folding", async () => {
		const [ana, nora, rita] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.nora),
			t.login(USERS.rita),
		]);
		// Fabrikam: a submitted Microsoft 365 usage claim; Northwind: a Business
		// Applications presales draft (which reviewers do not see).
		const m365 = (
			await ana.post(
				"/api/v1/claims",
				m365ClaimBody({
					name: "Filtered M365",
					products: [{ productId: "viva-engage" }],
				}),
			)
		).json() as { id: string };
		expect(m365.id, JSON.stringify(m365)).toBeTruthy();
		await uploadPoeAndSubmit(ana, m365.id);
		const ba = (
			await nora.post(
				"/api/v1/claims",
				northwindBaClaimBody({
					name: "Filtered BA",
					customer: {
						tenantId: DEMO_IDS.tenants.adventureWorks,
						domain: DEMO_IDS.domains.adventureWorks,
					},
					products: [
						{ subscriptionId: DEMO_IDS.subscriptions.adventureWorksSales },
					],
				}),
			)
		).json() as { id: string };
		expect(ba.id, JSON.stringify(ba)).toBeTruthy();
		type ClaimKey = CounterKey & { id: string; name: string };
		/** The ids a scan of the claims gives for a filter, an organization or a reviewer. */
		const scannedIds = async (who: string | null, filter: string) => {
			const res = (await t.ctx.db.execute(
				sql`select id, partner_organization_id as org, status, solution_area as "solutionArea",
					activity, mpn_id as "mpnId", competing, name from claims`,
			)) as unknown as { rows: ClaimKey[] };
			const params = [...new URLSearchParams(filter)];
			return res.rows
				.filter(
					(r) =>
						(who ? r.org === who : r.status !== "draft") &&
						params.every(([k, v]) =>
							k === "status"
								? v.split(",").includes(r.status)
								: k === "q"
									? r.name.includes(v)
									: String(r[k as keyof ClaimKey]) === v,
						),
				)
				.map((r) => r.id)
				.sort();
		};
		const listed = async (client: Client, filter: string) => {
			const res = await client.get(`/api/v1/claims?limit=500&${filter}`);
			expect(res.statusCode, res.body).toBe(200);
			const page = res.json() as { items: { id: string }[]; nextCursor: null };
			expect(page.nextCursor).toBeNull();
			return page.items.map((c) => c.id).sort();
		};
		const cases = [
			"solutionArea=microsoft_365",
			"solutionArea=business_applications",
			"activity=usage",
			"activity=presales",
			"activity=revenue_association",
			"solutionArea=microsoft_365&activity=presales",
			"activity=presales&status=draft",
			"activity=usage&status=submitted,under_review",
			`solutionArea=microsoft_365&mpnId=${DEMO_IDS.mpnIds.fabrikamUnenrolled}`,
			"solutionArea=business_applications&competing=false",
			"activity=presales&q=Filtered",
		];
		const callers: [Client, string | null][] = [
			[ana, "fabrikam"],
			[nora, "northwind"],
			[rita, null],
		];
		const expectLists = async () => {
			let empty = 0;
			for (const filter of cases)
				for (const [client, who] of callers) {
					const want = await scannedIds(who, filter);
					expect(await listed(client, filter), `${who} ${filter}`).toEqual(
						want,
					);
					// The counts over the same filters but the status (from the claims with a
					// search).
					const withoutStatus = new URLSearchParams(filter);
					withoutStatus.delete("status");
					const counts = Object.values(
						await fromApi(client, `${withoutStatus}`),
					);
					expect(
						counts.reduce((a, b) => a + b, 0),
						`${who} ${filter}`,
					).toBe((await scannedIds(who, `${withoutStatus}`)).length);
					if (want.length === 0) empty++;
				}
			// Both answers are exercised: lists without claims, and these two with them.
			expect(empty).toBeGreaterThan(0);
			expect(await listed(nora, "solutionArea=microsoft_365")).toEqual(
				await scannedIds("northwind", "solutionArea=microsoft_365"),
			);
			expect(await listed(nora, "activity=presales")).toContain(ba.id);
			expect(await listed(rita, "solutionArea=microsoft_365")).toContain(
				m365.id,
			);
		};
		await expectLists();
		// A bad cursor is refused as on any list, also where the answer is empty.
		const bad = await nora.get(
			"/api/v1/claims?solutionArea=microsoft_365&cursor=bogus",
		);
		expect(bad.json().code, bad.body).toBe("validation_failed");
		await foldClaimStatusDeltas(t.ctx);
		await expectLists();
		// The empty answer is the counters': with Fabrikam's Microsoft 365 counters zeroed
		// (folded, so no delta holds them), its list by that solution area (a filter set
		// not listed yet) is empty while its claims are there; the recount brings it back.
		const zeroed = "solutionArea=microsoft_365&competing=false";
		await foldClaimStatusDeltas(t.ctx);
		await t.ctx.db.execute(
			sql`update claim_status_counts set n = 0 where partner_organization_id = 'fabrikam' and solution_area = 'microsoft_365'`,
		);
		expect(await scannedIds("fabrikam", zeroed)).toContain(m365.id);
		expect(await listed(ana, zeroed)).toEqual([]);
		// Its counts with a search, counted from the claims, read none either.
		expect(await fromApi(ana, `${zeroed}&q=Filtered`)).toEqual({});
		// (An empty answer leaves the counters in the next page's statement.)
		expect(await listed(ana, zeroed)).toEqual([]);
		expect(await rebuildClaimStatusCounts(t.ctx.db)).toBeGreaterThan(0);
		expect(await listed(ana, zeroed)).toContain(m365.id);
		// A list that had claims a moment ago leaves the counters out (the server keeps
		// that for a minute): zeroed again, they do not hide its claims.
		await foldClaimStatusDeltas(t.ctx);
		await t.ctx.db.execute(
			sql`update claim_status_counts set n = 0 where partner_organization_id = 'fabrikam' and solution_area = 'microsoft_365'`,
		);
		expect(await listed(ana, zeroed)).toContain(m365.id);
		await rebuildClaimStatusCounts(t.ctx.db);
		await expectLists();
		// Such a list is still right when it has lost its claims.
		expect((await nora.del(`/api/v1/claims/${ba.id}`)).statusCode).toBe(204);
		expect(await listed(nora, "activity=presales")).toEqual(
			await scannedIds("northwind", "activity=presales"),
		);
		expect(await listed(nora, "activity=presales")).not.toContain(ba.id);
		// A list that was empty shows a new claim at once: Northwind's first Microsoft 365.
		expect(await listed(nora, "solutionArea=microsoft_365")).toEqual([]);
		const first = (
			await nora.post(
				"/api/v1/claims",
				m365ClaimBody({
					name: "Northwind M365",
					mpnId: DEMO_IDS.mpnIds.northwind,
					products: [{ productId: "viva-engage" }],
					contacts: {
						customer: m365ClaimBody().contacts.customer,
						partner: { name: "Nora Hansen", email: USERS.nora },
					},
				}),
			)
		).json() as { id: string };
		expect(first.id, JSON.stringify(first)).toBeTruthy();
		expect(await listed(nora, "solutionArea=microsoft_365")).toEqual([
			first.id,
		]);
	});

	it("R-DSH-1 a reviewer's counts come from claim_status_totals, which statement triggers keep equal to the counters summed over organizations through folds (two at once), a recount and direct writes", async () => {
		type TotalRow = { key: string; n: number };
		/** The totals table, and the counters summed the same way, as `key → n` (n ≠ 0). */
		const sums = async () => {
			const read = async (q: SQL) =>
				Object.fromEntries(
					((await t.ctx.db.execute(q)) as unknown as { rows: TotalRow[] }).rows
						.filter((r) => Number(r.n) !== 0)
						.map((r) => [r.key, Number(r.n)]),
				);
			return {
				totals: await read(
					sql`select concat_ws('/', status, solution_area, activity, competing) as key, n from claim_status_totals`,
				),
				counters: await read(
					sql`select concat_ws('/', status, solution_area, activity, competing) as key, sum(n)::bigint as n from claim_status_counts group by 1`,
				),
			};
		};
		const expectEqual = async (when: string) => {
			const { totals, counters } = await sums();
			expect(totals, when).toEqual(counters);
			return totals;
		};
		const [ana, nora, rita] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.nora),
			t.login(USERS.rita),
		]);
		await foldClaimStatusDeltas(t.ctx);
		const start = await expectEqual("at the start");
		// Deltas of two organizations, folded by two folds at once.
		for (const [client, body] of [
			[ana, m365ClaimBody({ products: [{ productId: "microsoft-365-apps" }] })],
			[
				nora,
				northwindBaClaimBody({
					products: [
						{ subscriptionId: DEMO_IDS.subscriptions.contosoCustomerService },
					],
				}),
			],
		] as const) {
			const c = (await client.post("/api/v1/claims", body)).json();
			await uploadPoeAndSubmit(client, c.id);
		}
		await Promise.all([
			foldClaimStatusDeltas(t.ctx),
			foldClaimStatusDeltas(t.ctx),
		]);
		const folded = await expectEqual("after two folds at once");
		// (concat_ws writes a boolean as PostgreSQL's text: f.)
		const key = "submitted/microsoft_365/usage/f";
		expect(folded[key], JSON.stringify(folded)).toBe((start[key] ?? 0) + 1);
		// Direct writes to the counters (an update, a delete) and a recount.
		await t.ctx.db.execute(
			sql`update claim_status_counts set n = n + 5 where partner_organization_id = 'northwind'`,
		);
		await expectEqual("after an update");
		await t.ctx.db.execute(
			sql`delete from claim_status_counts where partner_organization_id = 'northwind'`,
		);
		await expectEqual("after a delete");
		await rebuildClaimStatusCounts(t.ctx.db);
		expect(await expectEqual("after a recount")).toEqual(folded);
		// The reviewer's unfiltered and solution-area counts are the totals' (a total no
		// counter holds shows); a partner's, and an MPN ID's, are the counters'.
		const counts = (client: Client, filter = "") => fromApi(client, filter);
		const [ritaAll, ritaBa, ritaMpn, anaAll] = await Promise.all([
			counts(rita),
			counts(rita, "solutionArea=business_applications"),
			counts(rita, `mpnId=${DEMO_IDS.mpnIds.fabrikamEnrolled}`),
			counts(ana),
		]);
		await t.ctx.db.execute(
			sql`insert into claim_status_totals (status, solution_area, activity, competing, n) values ('approved', 'business_applications', 'usage', false, 100) on conflict (status, solution_area, activity, competing) do update set n = claim_status_totals.n + 100`,
		);
		expect((await counts(rita)).approved).toBe((ritaAll.approved ?? 0) + 100);
		expect(
			(await counts(rita, "solutionArea=business_applications")).approved,
		).toBe((ritaBa.approved ?? 0) + 100);
		expect(
			(await counts(rita, `mpnId=${DEMO_IDS.mpnIds.fabrikamEnrolled}`))
				.approved,
		).toBe(ritaMpn.approved);
		expect((await counts(ana)).approved).toBe(anaAll.approved);
		await rebuildClaimStatusCounts(t.ctx.db);
		await expectEqual("after the last recount");
		expect((await counts(rita)).approved).toBe(ritaAll.approved);
		// Migration 0021's last statement fills the totals from the counters as they are.
		const migration = await readFile(
			path.join(MIGRATIONS_DIR, "0021_claim_status_totals.sql"),
			"utf8",
		);
		const fill = migration.split("--> statement-breakpoint").at(-1) ?? "";
		expect(fill).toMatch(/^\s*INSERT INTO claim_status_totals/);
		await t.ctx.db.execute(sql`delete from claim_status_totals`);
		await t.ctx.db.execute(sql.raw(fill));
		expect(await expectEqual("after the migration's fill")).toEqual(folded);
	});
});
