/**
 * What the claim checks need from the directory (R-CRT-2 MPN, R-CRT-3 tenant and
 * domains, R-CRT-5 catalog and subscriptions, R-CMP-1 duplicates, and at submit the
 * R-CMP-2 competitors), read in ONE statement of scalar subqueries instead of one query
 * per check: creating a claim makes four fewer round trips, submitting it five.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.ts";
import {
	claimProducts,
	mpnIds,
	products,
	subscriptions,
	tenantDomains,
	tenants,
} from "../db/schema.ts";
import type {
	Activity,
	CatalogProduct,
	ProductInput,
	SolutionArea,
	SubscriptionFacts,
} from "../domain/claim-validation.ts";
import {
	competitorsQuery,
	lineClaimKey,
	lineSubscriptionIds,
	liveClaimKeysWhere,
} from "./claim-products.ts";

/** The directory rows behind one claim's checks. */
export interface DirectoryFacts {
	/** The MPN ID's programs when it belongs to the organization, else null. */
	programs: string[] | null;
	/** The tenant's name and verified domains (lower case), or null when unknown. */
	tenant: { name: string; domains: string[] } | null;
	/** Catalog entries of the lines' products and of their subscriptions' products. */
	catalog: Map<string, CatalogProduct>;
	/** The lines' subscriptions (by lower-case ID), with their product's `dynamics` flag. */
	subscriptions: Map<string, SubscriptionFacts>;
	/**
	 * R-CMP-1: the organization's other live claims on the lines' claim keys (read when
	 * `duplicates` was given; otherwise {@link resolveLines} reads them itself).
	 */
	taken?: { claimKey: string; claimId: string }[];
	/**
	 * R-CMP-2: the IDs of the claims competing with `competitorsOf`, sorted (read when it
	 * was given; the same IDs as `findCompetitors` in claim-products.ts).
	 */
	competitors?: string[];
}

/**
 * Reads the directory facts for a claim of `organizationId` with `mpnId`, `tenantId`
 * (any case) and product `lines`, in one statement. Throws only database errors.
 */
export async function readDirectoryFacts(
	q: Queryable,
	input: {
		organizationId: string;
		mpnId: string;
		tenantId: string;
		lines: ProductInput[];
		/** Also read the R-CMP-1 duplicates for this solution area and activity (claimId: the claim's own rows do not count). */
		duplicates?: {
			solutionArea: SolutionArea;
			activity: Activity;
			claimId?: string;
		};
		/** Also read the competitors of this (already stored) claim, R-CMP-2. */
		competitorsOf?: string;
	},
): Promise<DirectoryFacts> {
	const tenantId = input.tenantId.trim().toLowerCase();
	const productIds = [
		...new Set(
			input.lines.flatMap((l) => (l.productId ? [l.productId.trim()] : [])),
		),
	];
	const subIds = lineSubscriptionIds(input.lines);
	const subsWhere = inArray(subscriptions.subscriptionId, subIds);
	const dup = input.duplicates;
	const [row] = await q
		.select({
			programs: sql<
				string[] | null
			>`(select ${mpnIds.programs} from ${mpnIds} where ${and(
				eq(mpnIds.mpnId, input.mpnId),
				eq(mpnIds.organizationId, input.organizationId),
			)})`,
			tenant: sql<{
				name: string;
				domains: string[];
			} | null>`(select json_build_object('name', ${tenants.name}, 'domains', coalesce((select json_agg(${tenantDomains.domain} order by ${tenantDomains.domain}) from ${tenantDomains} where ${eq(tenantDomains.tenantId, tenantId)}), '[]'::json)) from ${tenants} where ${eq(tenants.tenantId, tenantId)})`,
			catalog: sql<
				CatalogProduct[]
			>`(select coalesce(json_agg(json_build_object('productId', ${products.productId}, 'name', ${products.name}, 'solutionArea', ${products.solutionArea}, 'dynamics', ${products.dynamics})), '[]'::json) from ${products} where ${inArray(products.productId, productIds)} or ${products.productId} in (select ${subscriptions.productId} from ${subscriptions} where ${subsWhere}))`,
			subscriptions: sql<
				Omit<SubscriptionFacts, "dynamics">[]
			>`(select coalesce(json_agg(json_build_object('subscriptionId', ${subscriptions.subscriptionId}, 'tenantId', ${subscriptions.tenantId}, 'productId', ${subscriptions.productId}, 'channel', ${subscriptions.channel}, 'status', ${subscriptions.status}, 'provisioned', ${subscriptions.provisioned})), '[]'::json) from ${subscriptions} where ${subsWhere})`,
			taken: dup
				? sql<
						{ claimKey: string; claimId: string }[]
					>`(select coalesce(json_agg(json_build_object('claimKey', ${claimProducts.claimKey}, 'claimId', ${claimProducts.claimId})), '[]'::json) from ${claimProducts} where ${liveClaimKeysWhere(
						{
							organizationId: input.organizationId,
							activity: dup.activity,
							claimKeys: [
								...new Set(
									input.lines.map((l) =>
										lineClaimKey(dup.solutionArea, input.tenantId, l),
									),
								),
							],
							claimId: dup.claimId,
						},
					)})`
				: sql<null>`null`,
			competitors: input.competitorsOf
				? sql<
						string[]
					>`(select coalesce(json_agg(c.claim_id order by c.claim_id), '[]'::json) from (${competitorsQuery(q, input.competitorsOf)}) c)`
				: sql<null>`null`,
		})
		.from(sql`(select 1) as one`);
	const r = row as NonNullable<typeof row>;
	const catalog = new Map(r.catalog.map((p) => [p.productId, p]));
	return {
		...(r.taken ? { taken: r.taken } : {}),
		...(r.competitors ? { competitors: r.competitors } : {}),
		programs: r.programs,
		tenant: r.tenant,
		catalog,
		subscriptions: new Map(
			r.subscriptions.map((s) => [
				s.subscriptionId,
				{ ...s, dynamics: catalog.get(s.productId)?.dynamics ?? false },
			]),
		),
	};
}
