/**
 * What the claim checks need from the directory (R-CRT-2 MPN, R-CRT-3 tenant and
 * domains, R-CRT-5 catalog and subscriptions), read in ONE statement of scalar
 * subqueries instead of one query per check: creating and submitting a claim each
 * make three fewer round trips.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.ts";
import {
	mpnIds,
	products,
	subscriptions,
	tenantDomains,
	tenants,
} from "../db/schema.ts";
import {
	type CatalogProduct,
	isGuid,
	type ProductInput,
	type SubscriptionFacts,
} from "../domain/claim-validation.ts";

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
}

/** The lower-case subscription IDs of lines that look like GUIDs (others cannot match). */
export function lineSubscriptionIds(lines: ProductInput[]): string[] {
	return lines
		.map((l) => (l.subscriptionId ?? "").trim().toLowerCase())
		.filter((s) => isGuid(s));
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
		})
		.from(sql`(select 1) as one`);
	const r = row as NonNullable<typeof row>;
	const catalog = new Map(r.catalog.map((p) => [p.productId, p]));
	return {
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
