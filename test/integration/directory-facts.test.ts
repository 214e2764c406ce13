/**
 * Submitting a draft reads the claim's directory facts (MPN programs, tenant and
 * domains, catalog, subscriptions, duplicates and competitors) in the same statement
 * as the claim (src/claims/directory-facts.ts `claimDirectoryFactsColumn`), deriving
 * in SQL the inputs that `readDirectoryFacts` derives in JS from the claim's lines.
 * This compares the two for every claim of the demo data, on both databases, and
 * counts the statements of a submit.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorOf } from "../../src/auth/accounts.ts";
import {
	claimWithPartsColumns,
	splitClaimParts,
} from "../../src/claims/claim-view.ts";
import {
	claimDirectoryFacts,
	claimDirectoryFactsColumn,
	type DirectoryFacts,
	readDirectoryFacts,
} from "../../src/claims/directory-facts.ts";
import { submitClaim } from "../../src/claims/submit-claim.ts";
import { claims, users } from "../../src/db/schema.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import type {
	Activity,
	SolutionArea,
} from "../../src/domain/claim-validation.ts";
import {
	createDraftWithPoe,
	DB_KINDS,
	DEMO_IDS,
	m365ClaimBody,
	PASSWORD,
	startTestApp,
	statementCountingContext,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

/** `facts` with its arrays in a fixed order (the statement aggregates without ORDER BY). */
function comparable(facts: DirectoryFacts) {
	return {
		...facts,
		taken: [...(facts.taken ?? [])].sort((a, b) =>
			`${a.claimKey} ${a.claimId}`.localeCompare(`${b.claimKey} ${b.claimId}`),
		),
		tenant: facts.tenant && {
			...facts.tenant,
			domains: [...facts.tenant.domains].sort(),
		},
	};
}

describe.each(DB_KINDS)("directory facts read with the claim (%s)", (kind) => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp(kind, { directory: false });
		await seedDemo(t.ctx, { demoPassword: PASSWORD });
		// What the demo data lacks: a Microsoft 365 claim whose tenant ID is in upper case
		// and whose line's key another live claim of its organization holds (its own line
		// no longer live, as after a rejection): its duplicates are found only when the
		// claim key is derived from the tenant in lower case. And a claim whose tenant ID
		// has spaces around it.
		// Chosen once, among the drafts whose organization has another claim: the demo's
		// generated claims are random, and some organizations have only one.
		const picked = (await t.ctx.db.execute(sql`select c.id from claims c
			where c.status = 'draft' and c.solution_area = 'microsoft_365'
				and exists (select 1 from claim_products p where p.claim_id = c.id)
				and exists (select 1 from claims o
					where o.partner_organization_id = c.partner_organization_id and o.id <> c.id)
			order by c.id limit 1`)) as unknown as { rows: { id: string }[] };
		const x = picked.rows[0]?.id;
		if (!x) throw new Error("the demo data has no draft to give a duplicate");
		await t.ctx.db.execute(sql`
			update claim_products set live = false where claim_id = ${x}`);
		await t.ctx.db.execute(sql`
			insert into claim_products (claim_id, position, product_id, subscription_id,
				partner_organization_id, tenant_id, activity, claim_key, compete_key, live)
			select other.id, 99, p.product_id, p.subscription_id, p.partner_organization_id,
				p.tenant_id, p.activity, p.claim_key, p.compete_key, true
			from claim_products p
			join claims c on c.id = p.claim_id
			join lateral (select o.id from claims o
				where o.partner_organization_id = c.partner_organization_id and o.id <> c.id
				order by o.id limit 1) other on true
			where p.claim_id = ${x}`);
		await t.ctx.db.execute(sql`
			update claims set tenant_id = upper(tenant_id) where id = ${x}`);
		await t.ctx.db.execute(sql`
			update claims set tenant_id = ' ' || tenant_id || ' '
			where id = (select id from claims where status = 'submitted' order by id limit 1)`);
	}, 120_000);
	afterAll(() => t?.close());

	it("R-CRT-5 R-CMP-1 R-CMP-2 a claim's facts read with it equal those read for its lines, for every claim of the demo data", async () => {
		const rows = await t.ctx.db
			.select({
				...claimWithPartsColumns,
				directoryFacts: claimDirectoryFactsColumn,
			})
			.from(claims);
		expect(rows.length).toBeGreaterThan(20);
		const seen = {
			subscriptions: 0,
			taken: 0,
			competitors: 0,
			programs: 0,
			upperCaseTaken: 0,
		};
		for (const { directoryFacts, ...found } of rows) {
			const { row, lines } = splitClaimParts(found);
			// As checkSubmittable reads them under the row lock.
			const expected = await readDirectoryFacts(t.ctx.db, {
				organizationId: row.partnerOrganizationId,
				mpnId: row.mpnId,
				tenantId: row.tenantId,
				lines: lines.map((l) => ({
					productId: l.productId,
					subscriptionId: l.subscriptionId ?? undefined,
				})),
				duplicates: {
					solutionArea: row.solutionArea as SolutionArea,
					activity: row.activity as Activity,
					claimId: row.id,
				},
				competitorsOf: row.id,
			});
			const actual = claimDirectoryFacts(directoryFacts);
			expect(comparable(actual), row.id).toEqual(comparable(expected));
			if (actual.subscriptions.size > 0) seen.subscriptions++;
			if ((actual.taken ?? []).length > 0) seen.taken++;
			// The upper-case tenant's duplicates are found (its claim keys in lower case).
			if (/[A-F]/.test(row.tenantId))
				seen.upperCaseTaken += actual.taken?.length ?? 0;
			if ((actual.competitors ?? []).length > 0) seen.competitors++;
			if (actual.programs?.length) seen.programs++;
		}
		// The comparison covered every kind of fact.
		expect(seen.subscriptions).toBeGreaterThan(0);
		expect(seen.taken).toBeGreaterThan(0);
		expect(seen.competitors).toBeGreaterThan(0);
		expect(seen.programs).toBeGreaterThan(0);
		// …and the odd tenant IDs.
		expect(rows.some((r) => r.tenantId.startsWith(" "))).toBe(true);
		expect(seen.upperCaseTaken).toBeGreaterThan(0);
	});

	it("SPEC-4 submitting a draft runs two statements: the claim with its directory facts, then the write", async () => {
		// A tenant and workload no claim is on yet: no competitors to mark under a lock.
		const free = (await t.ctx.db.execute(sql`
			select t.tenant_id as "tenantId", d.domain, p.product_id as "productId"
			from tenants t
			join tenant_domains d on d.tenant_id = t.tenant_id
			cross join products p
			where p.solution_area = 'microsoft_365' and not exists (
				select 1 from claim_products cp
				where cp.compete_key = t.tenant_id || ':' || p.product_id)
			order by t.tenant_id, d.domain, p.product_id
			limit 1`)) as unknown as {
			rows: { tenantId: string; domain: string; productId: string }[];
		};
		const [pair] = free.rows;
		if (!pair)
			throw new Error("the demo directory has no free tenant and workload");
		const ana = await t.login(USERS.ana);
		const { id, version } = await createDraftWithPoe(
			ana,
			m365ClaimBody({
				name: "Two statements",
				mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
				customer: { tenantId: pair.tenantId, domain: pair.domain },
				products: [{ productId: pair.productId }],
			}),
		);
		const counting = statementCountingContext(t);
		const [user] = await t.ctx.db
			.select()
			.from(users)
			.where(eq(users.email, USERS.ana));
		const view = await submitClaim(counting.ctx, {
			actor: actorOf(user as typeof users.$inferSelect),
			claimId: id,
			expectedVersion: version,
		});
		expect(view.status).toBe("submitted");
		expect(counting.statements).toHaveLength(2);
		expect(counting.statements[0]).toContain("cpor_directory_facts");
		const [stored] = await t.ctx.db
			.select({ status: claims.status, version: claims.version })
			.from(claims)
			.where(eq(claims.id, id));
		expect(stored).toEqual({ status: "submitted", version: version + 1 });
	});
});
