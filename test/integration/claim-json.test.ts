/**
 * The read paths (the claim page, GET /claims, the review queue) write the claim
 * resource as JSON text from text columns (src/claims/claim-view.ts `claimJson`); the
 * actions build it as an object (`toClaimView`). This compares the two for every claim
 * of the demo data, which has claims in every state, on both databases.
 */
import { isDeepStrictEqual } from "node:util";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { performClaimAction } from "../../src/claims/claim-action.ts";
import {
	type ClaimView,
	claimPartsJsonFromTables,
	loadClaimView,
	refreshStaleClaimParts,
} from "../../src/claims/claim-view.ts";
import { listComments, toCommentView } from "../../src/claims/comments.ts";
import {
	getClaimJson,
	getHistory,
	listClaimsJson,
	reviewQueueJson,
} from "../../src/claims/list-claims.ts";
import { claimComments, claimHistory, claims } from "../../src/db/schema.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { importDirectory } from "../../src/directory/import-directory.ts";
import { COPIES_REFRESH, runBackgroundWork } from "../../src/jobs/sweeper.ts";
import {
	DB_KINDS,
	PASSWORD,
	queryRows,
	startTestApp,
	statementCountingContext,
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
		// JSON must escape. Written as a write in SQL does (the timers' batch): a new
		// version, the parts' copies carried, the resource's copy left stale (the reads
		// build it from the columns).
		await t.ctx.db.execute(sql`
			update claims set name = ${ODD_NAME}, version = version + 1,
				parts_version = case when parts_version = version then version + 1 end,
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

	/** Claims whose row copies of their parts differ from their tables (as jsonb). */
	async function copiesDifferingFromTables(): Promise<number> {
		const { products, documents } = claimPartsJsonFromTables;
		const [r] = await queryRows<{ n: number }>(
			t,
			sql`select count(*)::int as n from claims
				where parts_products::jsonb is distinct from (${products})::jsonb
				   or parts_documents::jsonb is distinct from (${documents})::jsonb`,
		);
		return Number(r?.n);
	}

	/** Claims whose row copies of their parts are not current (the reads aggregate). */
	async function copiesNotCurrent(): Promise<number> {
		const [r] = await queryRows<{ n: number }>(
			t,
			sql`select count(*)::int as n from claims where parts_version is distinct from version`,
		);
		return Number(r?.n);
	}

	/** Claims whose row copy of the whole resource is not current (the reads build it). */
	async function resourcesNotCurrent(): Promise<number> {
		const [r] = await queryRows<{ n: number }>(
			t,
			sql`select count(*)::int as n from claims where resource_version is distinct from version`,
		);
		return Number(r?.n);
	}

	/** Claims whose current copy of the resource differs from the resource built by the actions' code. */
	async function resourcesDifferingFromViews(): Promise<string[]> {
		const rows = await queryRows<{ id: string; json: string }>(
			t,
			sql`select id, resource_json as json from claims where resource_version = version`,
		);
		const differing: string[] = [];
		for (const r of rows) {
			const built = JSON.parse(
				JSON.stringify(await loadClaimView(t.ctx.db, r.id)),
			);
			// (Key order aside: JSON columns come back in jsonb's order.)
			if (!isDeepStrictEqual(JSON.parse(r.json), built)) differing.push(r.id);
		}
		return differing;
	}

	it("the claim row's copy of its whole resource is written by create and every action, built from the columns while stale, and written again by the background work", async () => {
		// The claim the setup changed in SQL (as the timers' batch does) is stale, and the
		// lists show it as built from its columns.
		const [odd] = await queryRows<{ id: string; current: boolean }>(
			t,
			sql`select id, resource_version = version as current from claims where name = ${ODD_NAME}`,
		);
		expect(odd?.current).toBe(false);
		expect((await listAll()).find((c) => c.id === odd?.id)?.name).toBe(
			ODD_NAME,
		);
		expect(await resourcesNotCurrent()).toBe(1);
		// Every other copy, written by the demo's use cases, is the resource exactly.
		expect(await resourcesDifferingFromViews()).toStrictEqual([]);
		const [before] = await queryRows<{ version: number; at: string }>(
			t,
			sql`select version, updated_at::text as at from claims where id = ${odd?.id}`,
		);
		await runBackgroundWork(t.ctx);
		expect(await resourcesNotCurrent()).toBe(0);
		expect(await resourcesDifferingFromViews()).toStrictEqual([]);
		const [after] = await queryRows<{ version: number; at: string }>(
			t,
			sql`select version, updated_at::text as at from claims where id = ${odd?.id}`,
		);
		expect(after).toStrictEqual(before);
	});

	it("the claim row's copies of its products and documents are current after every use case, and the reads fall back to the parts' tables when they are not", async () => {
		// The demo data went through the use cases (create, edit, uploads, every action,
		// the timers, competing claims): every copy is current and equals the tables.
		expect(await copiesNotCurrent()).toBe(0);
		expect(await copiesDifferingFromTables()).toBe(0);
		const [withDoc] = await queryRows<{ id: string }>(
			t,
			sql`select c.id from claims c where c.status <> 'draft'
				  and exists (select 1 from claim_documents d where d.claim_id = c.id)
				order by c.id limit 1`,
		);
		if (!withDoc) throw new Error("the demo data has no claim with documents");
		const id = withDoc.id;
		// A server without the copies (an older version during a rolling upgrade) adds a
		// document and bumps the version: the copy is stale, and the reads see the table.
		await t.ctx.db.execute(sql`
			insert into claim_documents (id, claim_id, name, content_type, size, sha256, purpose, uploaded_by, uploaded_at)
			values ('doc-older-server', ${id}, 'older.pdf', 'application/pdf', 9, ${"0".repeat(64)}, 'poe', 'x',
			  '2030-01-01T00:00:00.123Z')`);
		await t.ctx.db.execute(
			sql`update claims set version = version + 1 where id = ${id}`,
		);
		expect(await copiesNotCurrent()).toBe(1);
		// And so do claims with no copies at all (written before migration 0010).
		await t.ctx.db.execute(
			sql`update claims set parts_products = null, parts_documents = null, parts_version = null
				where id in (select id from claims where id <> ${id} order by id limit 5)`,
		);
		// And a copy missing although its version is current (not written by CPOR).
		await t.ctx.db.execute(
			sql`update claims set parts_products = null, parts_documents = null
				where id = (select id from claims where id <> ${id} order by id desc limit 1)`,
		);
		const page = await getClaimJson(t.ctx, SYSTEM_ACTOR, id);
		const parsed = JSON.parse(page.json) as ClaimView;
		expect(parsed.documents.map((d) => d.id)).toContain("doc-older-server");
		expect(parsed.documents.at(-1)?.uploadedAt).toBe(
			"2030-01-01T00:00:00.123Z",
		);
		for (const claim of await listAll())
			expect(claim).toStrictEqual(
				JSON.parse(JSON.stringify(await loadClaimView(t.ctx.db, claim.id))),
			);
		// The next action writes the copies again; one after it carries them forward.
		const act = () =>
			performClaimAction(t.ctx, {
				claimId: id,
				actor: SYSTEM_ACTOR,
				action: "edit",
				skipTransitionCheck: true,
				apply: async () => ({}),
			});
		await act();
		expect(await copiesNotCurrent()).toBe(5);
		await act();
		expect(await copiesNotCurrent()).toBe(5);
		const [row] = await queryRows<{
			version: number;
			parts_version: number;
			parts_documents: string;
		}>(
			t,
			sql`select version, parts_version, parts_documents from claims where id = ${id}`,
		);
		expect(row?.parts_version).toBe(row?.version);
		expect(row?.parts_documents).toContain("doc-older-server");
		// Leave the claim as the other tests expect it (its copy no longer current).
		await t.ctx.db.execute(
			sql`delete from claim_documents where id = 'doc-older-server'`,
		);
		await t.ctx.db.execute(
			sql`update claims set parts_version = null, version = version + 1 where id = ${id}`,
		);
		expect(await copiesNotCurrent()).toBe(6);
	});

	it("the background work writes stale copies of the parts again in batches, skipping locked claims, without a new version or updatedAt", async () => {
		const stale = (
			await queryRows<{ id: string }>(
				t,
				sql`select id from claims where parts_version is distinct from version`,
			)
		).map((r) => r.id);
		const before = await queryRows<{ id: string; version: number; at: string }>(
			t,
			sql`select id, version, updated_at::text as at from claims order by id`,
		);
		// As after an upgrade to migration 0010: no claim has copies yet.
		await t.ctx.db.execute(
			sql`update claims set parts_products = null, parts_documents = null, parts_version = null,
				resource_json = null, resource_version = null`,
		);
		expect(await copiesNotCurrent()).toBe(before.length);
		expect(await resourcesNotCurrent()).toBe(before.length);
		if (kind === "postgres") {
			// A claim whose row another transaction holds is left for a later round.
			const held = before[3]?.id as string;
			let release = () => {};
			const releasing = new Promise<void>((r) => {
				release = r;
			});
			let lockTaken = () => {};
			const locked = new Promise<void>((r) => {
				lockTaken = r;
			});
			const holder = t.ctx.db.transaction(async (tx) => {
				await tx.execute(
					sql`select 1 from claims where id = ${held} for update`,
				);
				lockTaken();
				await releasing;
			});
			await locked;
			expect(
				await refreshStaleClaimParts(t.ctx.db, {
					batchSize: 7,
					maxBatches: 1000,
				}),
			).toBe(before.length - 1);
			expect(await copiesNotCurrent()).toBe(1);
			release();
			await holder;
		}
		// Batches of 7, one round of at most 2 batches, then the rest.
		const first = await refreshStaleClaimParts(t.ctx.db, {
			batchSize: 7,
			maxBatches: 2,
		});
		// (On PostgreSQL only the claim that was held is left; on PGlite every claim.)
		expect(first).toBe(kind === "postgres" ? 1 : 14);
		// Each round of the background work writes up to its share (COPIES_REFRESH).
		const { batchSize, maxBatches } = COPIES_REFRESH[kind];
		const remaining = await copiesNotCurrent();
		await runBackgroundWork(t.ctx);
		expect(await copiesNotCurrent()).toBe(
			Math.max(0, remaining - batchSize * maxBatches),
		);
		for (
			let round = 0;
			round < 5 &&
			(await copiesNotCurrent()) + (await resourcesNotCurrent()) > 0;
			round++
		)
			await runBackgroundWork(t.ctx);
		expect(await copiesNotCurrent()).toBe(0);
		expect(await copiesDifferingFromTables()).toBe(0);
		expect(await resourcesNotCurrent()).toBe(0);
		expect(await resourcesDifferingFromViews()).toStrictEqual([]);
		expect(
			await queryRows<{ id: string; version: number; at: string }>(
				t,
				sql`select id, version, updated_at::text as at from claims order by id`,
			),
		).toStrictEqual(before);
		for (const claim of await listAll())
			expect(claim).toStrictEqual(
				JSON.parse(JSON.stringify(await loadClaimView(t.ctx.db, claim.id))),
			);
		// Leave the claims that were stale as the other tests expect them.
		expect(stale.length).toBeGreaterThan(0);
		await t.ctx.db.execute(
			sql`update claims set parts_version = null where id in ${stale}`,
		);
	});

	/** The demo's most claimed catalog product, as a directory import document names it. */
	async function mostClaimedProduct() {
		const [line] = await queryRows<{
			productId: string;
			solutionArea: "business_applications" | "microsoft_365";
			dynamics: boolean;
			name: string;
		}>(
			t,
			sql`select p.product_id as "productId", pr.solution_area as "solutionArea",
					pr.dynamics, pr.name
				from claim_products p join products pr using (product_id)
				group by 1, 2, 3, 4 order by count(*) desc limit 1`,
		);
		if (!line) throw new Error("the demo data has no product lines");
		return line;
	}

	/** Each claim's version, by ID. */
	async function versions(): Promise<Map<string, number>> {
		const rows = await queryRows<{ id: string; version: number }>(
			t,
			sql`select id, version from claims`,
		);
		return new Map(rows.map((r) => [r.id, Number(r.version)]));
	}

	it("R-DIR-6 a directory import that renames a product gives the claims holding it a new version and copies with the new name", async () => {
		const product = await mostClaimedProduct();
		const holding = new Set(
			(
				await queryRows<{ id: string }>(
					t,
					sql`select distinct claim_id as id from claim_products where product_id = ${product.productId}`,
				)
			).map((r) => r.id),
		);
		expect(holding.size).toBeGreaterThan(1);
		const before = await versions();
		const summary = await importDirectory(t.ctx.db, {
			products: [{ ...product, name: "Renamed product" }],
		});
		expect(summary.products.updated).toBe(1);
		const after = await versions();
		for (const [id, version] of before)
			expect([id, after.get(id)]).toStrictEqual([
				id,
				holding.has(id) ? version + 1 : version,
			]);
		// Their copies are current again, with the tables' content.
		const [off] = await queryRows<{ n: number }>(
			t,
			sql`select count(*)::int as n from claims
				where id in (select claim_id from claim_products where product_id = ${product.productId})
				  and (parts_version is distinct from version
				    or parts_products::jsonb is distinct from (${claimPartsJsonFromTables.products})::jsonb
				    or parts_documents::jsonb is distinct from (${claimPartsJsonFromTables.documents})::jsonb)`,
		);
		expect(off?.n).toBe(0);
		for (const claim of await listAll()) {
			const names = claim.products
				.filter((p) => p.productId === product.productId)
				.map((p) => p.name);
			expect(names).toStrictEqual(
				holding.has(claim.id) ? names.map(() => "Renamed product") : [],
			);
			if (holding.has(claim.id))
				expect(claim).toStrictEqual(
					JSON.parse(JSON.stringify(await loadClaimView(t.ctx.db, claim.id))),
				);
		}
		await importDirectory(t.ctx.db, { products: [product] });
	});

	it("R-DIR-6 an optimistic action that read a product's old name before an import renamed it reads again, and writes the new name", async () => {
		const product = await mostClaimedProduct();
		const [claim] = await queryRows<{ id: string }>(
			t,
			sql`select claim_id as id from claim_products where product_id = ${product.productId}
				order by claim_id limit 1`,
		);
		if (!claim) throw new Error("no claim holds the product");
		let reads = 0;
		await performClaimAction(t.ctx, {
			claimId: claim.id,
			actor: SYSTEM_ACTOR,
			action: "edit",
			skipTransitionCheck: true,
			optimistic: true,
			// Between the first read and the write: the import renames the product.
			prepare: async () => {
				await importDirectory(t.ctx.db, {
					products: [{ ...product, name: "Renamed while acting" }],
				});
			},
			// Rewrites the claim's copies (as an upload does) from what it read.
			apply: async ({ docs, setDocs }) => {
				reads++;
				setDocs([...docs]);
				return {};
			},
		});
		expect(reads).toBe(2);
		const [row] = await queryRows<{
			current: boolean;
			parts_products: string;
		}>(
			t,
			sql`select parts_version = version as current, parts_products from claims where id = ${claim.id}`,
		);
		expect(row?.current).toBe(true);
		expect(row?.parts_products).toContain("Renamed while acting");
		expect(row?.parts_products).not.toContain(JSON.stringify(product.name));
		await importDirectory(t.ctx.db, { products: [product] });
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

	it("R-HIS-1 the history and the comment thread, read with the claim's visibility in one statement, are the claim's rows, internal ones for reviewers only", async () => {
		const reviewer: Actor = {
			userId: null,
			name: "Reviewer",
			roles: [],
			kind: "reviewer",
		};
		// No use case writes internal entries yet (the column is there for reviewer notes):
		// mark one history row and one comment of a claim past draft as internal.
		for (const table of ["claim_history", "claim_comments"])
			await t.ctx.db.execute(sql`
				update ${sql.identifier(table)} set internal = true
				where ctid = (select e.ctid from ${sql.identifier(table)} e
					join claims c on c.id = e.claim_id
					where c.status <> 'draft' order by e.claim_id limit 1)`);
		const rows = await t.ctx.db
			.select({
				id: claims.id,
				org: claims.partnerOrganizationId,
				tenantId: claims.tenantId,
				status: claims.status,
			})
			.from(claims);
		const seen = { internalHistory: 0, internalComments: 0, comments: 0 };
		for (const { id, org, tenantId, status } of rows) {
			const partner: Actor = {
				userId: null,
				name: "Partner",
				roles: [],
				kind: "partner",
				organizationId: org,
			};
			const history = await t.ctx.db
				.select()
				.from(claimHistory)
				.where(eq(claimHistory.claimId, id))
				.orderBy(asc(claimHistory.id));
			const comments = await t.ctx.db
				.select()
				.from(claimComments)
				.where(eq(claimComments.claimId, id))
				.orderBy(asc(claimComments.seq));
			const historyView = (internal: boolean) =>
				history
					.filter((h) => internal || !h.internal)
					.map((h) => ({
						id: String(h.id),
						at: h.at.toISOString(),
						actorName: h.actorName,
						actorRole: h.actorRole,
						action: h.action,
						before: h.before,
						after: h.after,
					}));
			const commentsView = (internal: boolean) =>
				comments.filter((c) => internal || !c.internal).map(toCommentView);
			// A draft is the partner's own until submitted.
			if (status === "draft") {
				await expect(getHistory(t.ctx, reviewer, id)).rejects.toMatchObject({
					code: "not_found",
				});
				await expect(
					listComments(t.ctx, { actor: reviewer, claimId: id }),
				).rejects.toMatchObject({ code: "not_found" });
			} else {
				expect((await getHistory(t.ctx, reviewer, id)).items).toStrictEqual(
					historyView(true),
				);
				expect(
					(await listComments(t.ctx, { actor: reviewer, claimId: id })).items,
				).toStrictEqual(commentsView(true));
			}
			expect((await getHistory(t.ctx, partner, id)).items).toStrictEqual(
				historyView(false),
			);
			expect(
				(await listComments(t.ctx, { actor: partner, claimId: id })).items,
			).toStrictEqual(commentsView(false));
			// The customer: past draft, what the partner sees.
			const customer: Actor = {
				userId: null,
				name: "Customer",
				roles: [],
				kind: "customer",
				tenantId,
			};
			if (status === "draft")
				await expect(getHistory(t.ctx, customer, id)).rejects.toMatchObject({
					code: "not_found",
				});
			else {
				expect((await getHistory(t.ctx, customer, id)).items).toStrictEqual(
					historyView(false),
				);
				expect(
					(await listComments(t.ctx, { actor: customer, claimId: id })).items,
				).toStrictEqual(commentsView(false));
			}
			// Another organization's partner: as if the claim did not exist.
			const other = { ...partner, organizationId: `not-${org}` };
			await expect(getHistory(t.ctx, other, id)).rejects.toMatchObject({
				code: "not_found",
			});
			await expect(
				listComments(t.ctx, { actor: other, claimId: id }),
			).rejects.toMatchObject({ code: "not_found" });
			if (history.some((h) => h.internal)) seen.internalHistory++;
			if (comments.some((c) => c.internal)) seen.internalComments++;
			if (comments.length > 0) seen.comments++;
		}
		// One statement each.
		const counting = statementCountingContext(t);
		const [one] = rows.filter((r) => r.status !== "draft");
		await getHistory(counting.ctx, reviewer, one?.id as string);
		await listComments(counting.ctx, {
			actor: reviewer,
			claimId: one?.id as string,
		});
		expect(counting.statements).toHaveLength(2);
		expect(seen.internalHistory).toBeGreaterThan(0);
		expect(seen.internalComments).toBeGreaterThan(0);
		expect(seen.comments).toBeGreaterThan(0);
	});
});
