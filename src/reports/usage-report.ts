/**
 * SPEC R-ACC-2: the partner's usage report. For each ACTIVE association of the caller's
 * organization (R-TIME-6), per month: customer tenant ID, customer name, workload,
 * monthly active users, paid available units, claim ID, MPN ID, date associated and
 * attribution type (the claim's activity).
 *
 * R-ACC-1: only the products claimed on that association (usage rows are joined through
 * the claim's own product lines), nothing else of the customer, never another
 * organization's associations, and nothing while the association is pending consent,
 * declined, or the claim is no longer approved.
 */
import { and, asc, eq, gte, lte, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import {
	claimProducts,
	claims,
	products,
	tenants,
	usageRecords,
} from "../db/schema.ts";
import { forbidden } from "../domain/errors.ts";

/** One row of the usage report. */
export interface UsageRow {
	/** `YYYY-MM`. */
	month: string;
	tenantId: string;
	customerName: string | null;
	/** The workload / product ID (catalog). */
	productId: string;
	/** The workload / product name. */
	workload: string;
	monthlyActiveUsers: number;
	paidAvailableUnits: number;
	claimId: string;
	mpnId: string;
	/** When the association became active. */
	dateAssociated: string | null;
	/** The claim's activity (`presales`, `usage`, `revenue_association`). */
	attributionType: string;
}

/** Filters of the usage report: tenant, and an inclusive month range (`YYYY-MM`). */
export interface UsageQuery {
	tenantId?: string | undefined;
	from?: string | undefined;
	to?: string | undefined;
}

/**
 * The usage report of the actor's organization, ordered by month, tenant, product and
 * claim. @throws `forbidden` for non-partner actors.
 */
export async function usageReport(
	ctx: AppContext,
	actor: Actor,
	query: UsageQuery = {},
): Promise<{ items: UsageRow[] }> {
	if (actor.kind !== "partner" || !actor.organizationId)
		throw forbidden("The usage report is for partner organizations.");
	const rows = await ctx.db
		.selectDistinct({
			month: usageRecords.month,
			tenantId: claims.tenantId,
			customerName: tenants.name,
			productId: usageRecords.productId,
			workload: products.name,
			monthlyActiveUsers: usageRecords.monthlyActiveUsers,
			paidAvailableUnits: usageRecords.paidAvailableUnits,
			claimId: claims.id,
			mpnId: claims.mpnId,
			dateAssociated: sql<string | null>`${claims.association}->>'activatedAt'`,
			attributionType: claims.activity,
		})
		.from(claims)
		.innerJoin(claimProducts, eq(claimProducts.claimId, claims.id))
		.innerJoin(
			usageRecords,
			and(
				eq(usageRecords.tenantId, claims.tenantId),
				eq(usageRecords.productId, claimProducts.productId),
			),
		)
		.leftJoin(tenants, eq(tenants.tenantId, claims.tenantId))
		.leftJoin(products, eq(products.productId, usageRecords.productId))
		.where(
			and(
				eq(claims.partnerOrganizationId, actor.organizationId),
				eq(claims.status, "approved"),
				sql`${claims.association}->>'status' = 'active'`,
				query.tenantId
					? eq(claims.tenantId, query.tenantId.trim().toLowerCase())
					: undefined,
				query.from ? gte(usageRecords.month, query.from) : undefined,
				query.to ? lte(usageRecords.month, query.to) : undefined,
			),
		)
		.orderBy(
			asc(usageRecords.month),
			asc(claims.tenantId),
			asc(usageRecords.productId),
			asc(claims.id),
		);
	return {
		items: rows.map((r) => ({
			...r,
			workload: r.workload ?? r.productId,
		})),
	};
}

/** CSV columns of the usage export (the vendor's CPOR usage report columns). */
export const USAGE_CSV_COLUMNS = [
	"month",
	"tenantId",
	"customerName",
	"productId",
	"workload",
	"monthlyActiveUsers",
	"paidAvailableUnits",
	"claimId",
	"mpnId",
	"dateAssociated",
	"attributionType",
] as const;

/** The rows of the usage CSV (without the header). */
export function usageCsvRows(items: UsageRow[]): unknown[][] {
	return items.map((r) => USAGE_CSV_COLUMNS.map((c) => r[c] ?? ""));
}
