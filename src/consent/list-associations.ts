import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import { toClaimViews } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import { claims, organizations } from "../db/schema.ts";

/** What an association on the customer's tenant looks like to its admin (R-ROL-3, R-CON-1). */
export interface CustomerAssociationView {
	claimId: string;
	partnerName: string;
	status: string;
	solutionArea: string;
	activity: string;
	products: {
		productId: string;
		name: string;
		subscriptionId: string | null;
	}[];
	/** R-ACC-1: what the partner sees once active. */
	dataShared: string;
	association: unknown;
	consentEndsAt: string | null;
	canOptOut: boolean;
}

/**
 * The claims past review on the customer admin's own tenant (approved, and rejected ones
 * that had an association): those still open to an opt-out first, then newest first, at
 * most 500. Customer admins see nothing else (R-ROL-3).
 */
export async function listCustomerAssociations(
	ctx: AppContext,
	actor: Actor,
): Promise<CustomerAssociationView[]> {
	const now = ctx.clock.now();
	const rows = await ctx.db
		.select({ claim: claims, partnerName: organizations.name })
		.from(claims)
		.innerJoin(
			organizations,
			eq(organizations.id, claims.partnerOrganizationId),
		)
		.where(
			and(
				eq(claims.tenantId, (actor.tenantId ?? "").toLowerCase()),
				inArray(claims.status, ["approved", "rejected"]),
				// Only claims that had an association, before the limit: claims rejected
				// before approval must not push a pending one out of the list.
				isNotNull(claims.association),
			),
		)
		// Those still open to an opt-out first (R-CON-2), then the newest.
		.orderBy(
			sql`(${claims.association}->>'status' = 'pending_consent') desc`,
			desc(claims.updatedAt),
		)
		.limit(500);
	const views = await toClaimViews(
		ctx.db,
		rows.map((r) => r.claim),
	);
	return views.map((v, i) => {
		const row = rows[i] as (typeof rows)[number];
		const pending = v.association?.status === "pending_consent";
		return {
			claimId: v.id,
			partnerName: row.partnerName,
			status: v.status,
			solutionArea: v.solutionArea,
			activity: v.activity,
			products: v.products,
			dataShared: `Usage and seat data of ${v.products.map((p) => p.name).join(", ")} only; nothing else of your organization.`,
			association: v.association,
			consentEndsAt: v.deadlines.consentEndsAt,
			canOptOut:
				v.status === "approved" &&
				pending &&
				!!row.claim.consentEndsAt &&
				now < row.claim.consentEndsAt,
		};
	});
}
