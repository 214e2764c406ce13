/**
 * The zod schemas of a claim's writable fields (HTTP bodies of POST/PATCH /claims), and
 * the directory checks shared by create, edit and submit.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../db/client.ts";
import { mpnIds, tenantDomains, tenants } from "../db/schema.ts";
import {
	type Activity,
	type SolutionArea,
	checkActivity,
	checkDomain,
} from "../domain/claim-validation.ts";
import type { FieldProblem } from "../domain/errors.ts";

const contact = z.object({
	name: z.string().trim().max(200).optional().default(""),
	title: z.string().trim().max(200).optional().default(""),
	email: z
		.union([z.literal(""), z.string().trim().email().max(320)])
		.optional()
		.default(""),
});

/** A product line as entered: a workload ID (Microsoft 365) or a subscription ID (Business Applications). */
export const productLineSchema = z.object({
	productId: z.string().trim().max(100).optional(),
	subscriptionId: z.string().trim().max(100).optional(),
});

/** Contacts (all fields required at submit, R-CRT-6; may be partial in a draft). */
export const contactsSchema = z.object({
	customer: contact.nullish(),
	customerTechnical: contact.nullish(),
	partner: contact.omit({ title: true }).nullish(),
});

/** Extra fields of a Revenue association claim (SPEC section 3). */
export const revenueAssociationSchema = z.object({
	solutionSellerName: z.string().trim().max(200).optional().default(""),
	customerName: z.string().trim().max(200).optional().default(""),
	isvSolutionName: z.string().trim().max(200).optional().default(""),
});

/** POST /claims body. */
export const createClaimSchema = z.object({
	name: z.string().trim().min(1).max(200),
	mpnId: z
		.string()
		.trim()
		.regex(/^\d{6,8}$/, "An MPN ID is 6 to 8 digits"),
	customer: z.object({
		tenantId: z.string().trim().min(1).max(100),
		domain: z.string().trim().toLowerCase().min(1).max(253),
	}),
	solutionArea: z.enum(["business_applications", "microsoft_365"]),
	activity: z.enum(["presales", "usage", "revenue_association"]),
	products: z.array(productLineSchema).max(100).default([]),
	contacts: contactsSchema.default({}),
	revenueAssociation: revenueAssociationSchema.nullish(),
});
export type CreateClaimInput = z.input<typeof createClaimSchema>;

/**
 * PATCH /claims/{id} body: any subset of the create fields. Without the create defaults
 * (zod applies `.default()` even inside `.partial()`), so a field left out is left alone
 * rather than reset to `[]` / `{}`.
 */
export const updateClaimSchema = createClaimSchema
	.extend({
		products: z.array(productLineSchema).max(100),
		contacts: contactsSchema,
	})
	.partial();
export type UpdateClaimInput = z.input<typeof updateClaimSchema>;

/** Normalized contacts as stored. */
export function normalizeContacts(c: z.infer<typeof contactsSchema>) {
	return {
		customer: c.customer ?? null,
		customerTechnical: c.customerTechnical ?? null,
		partner: c.partner ?? null,
	};
}

/** R-CRT-2: the MPN ID must belong to the partner's own organization. Returns its programs. */
export async function checkMpn(
	q: Queryable,
	organizationId: string,
	mpnId: string,
): Promise<{ problems: FieldProblem[]; programs: string[] }> {
	const [row] = await q
		.select()
		.from(mpnIds)
		.where(
			and(eq(mpnIds.mpnId, mpnId), eq(mpnIds.organizationId, organizationId)),
		);
	if (!row) {
		return {
			problems: [
				{
					path: "mpnId",
					code: "mpn_not_in_organization",
					message: `MPN ID ${mpnId} is not one of your organization's MPN IDs; choose one from GET /api/v1/mpn-ids.`,
				},
			],
			programs: [],
		};
	}
	return { problems: [], programs: row.programs };
}

/** R-CRT-3 and R-CRT-4 against the directory. Returns problems and the tenant's name. */
export async function checkCustomer(
	q: Queryable,
	input: {
		tenantId: string;
		domain: string;
		solutionArea: SolutionArea;
		activity: Activity;
	},
): Promise<{ problems: FieldProblem[]; tenantName: string | null }> {
	const problems: FieldProblem[] = [
		...checkActivity(input.solutionArea, input.activity),
	];
	const tenantId = input.tenantId.trim().toLowerCase();
	// The tenant and its domains in one query (no row: unknown tenant).
	const rows = await q
		.select({ name: tenants.name, domain: tenantDomains.domain })
		.from(tenants)
		.leftJoin(tenantDomains, eq(tenantDomains.tenantId, tenants.tenantId))
		.where(eq(tenants.tenantId, tenantId));
	const domains = rows.flatMap((r) => (r.domain === null ? [] : [r.domain]));
	problems.push(...checkDomain(rows.length > 0, domains, input.domain));
	return { problems, tenantName: rows[0]?.name ?? null };
}
