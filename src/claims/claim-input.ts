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
	checkActivity,
	checkDomain,
	type SolutionArea,
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

/** A contact in a PATCH: the fields given replace those stored, the rest stay. */
const contactPatch = z.object({
	name: z.string().trim().max(200).optional(),
	title: z.string().trim().max(200).optional(),
	email: z
		.union([z.literal(""), z.string().trim().email().max(320)])
		.optional(),
});

/** Contacts in a PATCH: each contact given is merged into the stored one; `null` clears it. */
export const contactsPatchSchema = z.object({
	customer: contactPatch.nullish(),
	customerTechnical: contactPatch.nullish(),
	partner: contactPatch.omit({ title: true }).nullish(),
});

/**
 * PATCH /claims/{id} body: any subset of the create fields. Without the create defaults
 * (zod applies `.default()` even inside `.partial()`), so a field left out is left alone
 * rather than reset to `[]` / `{}`. `contacts` merges: a contact or field left out keeps
 * its value; `null` clears a whole contact.
 */
export const updateClaimSchema = createClaimSchema
	.extend({
		products: z.array(productLineSchema).max(100),
		contacts: contactsPatchSchema,
	})
	.partial();
export type UpdateClaimInput = z.input<typeof updateClaimSchema>;

/** A stored contact: every field a string (empty when not given). */
export type StoredContact = { name: string; title?: string; email: string };

/** Normalized contacts as stored. */
export function normalizeContacts(c: z.infer<typeof contactsSchema>) {
	return {
		customer: c.customer ?? null,
		customerTechnical: c.customerTechnical ?? null,
		partner: c.partner ?? null,
	};
}

/**
 * R-EDIT-1: the stored contacts with a PATCH's merged in. A contact left out (or
 * `undefined`) stays; `null` clears it; an object's fields replace the stored contact's
 * fields one by one (a new contact starts from empty strings).
 */
export function mergeContacts(
	stored: Record<string, StoredContact | null> | null,
	patch: z.infer<typeof contactsPatchSchema>,
): Record<"customer" | "customerTechnical" | "partner", StoredContact | null> {
	const out = {
		customer: stored?.customer ?? null,
		customerTechnical: stored?.customerTechnical ?? null,
		partner: stored?.partner ?? null,
	};
	for (const role of ["customer", "customerTechnical", "partner"] as const) {
		const given = patch[role];
		if (given === undefined) continue;
		if (given === null) {
			out[role] = null;
			continue;
		}
		const base: StoredContact =
			out[role] ??
			(role === "partner"
				? { name: "", email: "" }
				: { name: "", title: "", email: "" });
		const fields = Object.fromEntries(
			Object.entries(given).filter(([, v]) => v !== undefined),
		);
		out[role] = { ...base, ...fields };
	}
	return out;
}

/**
 * R-CRT-2: the MPN ID must belong to the partner's own organization. `programs` are the
 * MPN ID's programs as read for that organization (null: not one of its MPN IDs).
 * R-ROL-1: and be one the organization uses for claims (`inUse` false: its admins set
 * it aside; `mpn_not_in_use`). Returns the problems and the programs.
 */
export function checkMpnFacts(
	mpnId: string,
	programs: string[] | null,
	inUse: boolean | null = true,
): { problems: FieldProblem[]; programs: string[] } {
	if (programs !== null && inUse === false) {
		return {
			problems: [
				{
					path: "mpnId",
					code: "mpn_not_in_use",
					message: `Your organization does not use MPN ID ${mpnId} for claims (its Global or Incentives admin set it aside under MPN IDs): choose another, or ask an admin to use it again.`,
				},
			],
			programs,
		};
	}
	if (programs === null) {
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
	return { problems: [], programs };
}

/** R-CRT-2 against the directory ({@link checkMpnFacts} after one query). */
export async function checkMpn(
	q: Queryable,
	organizationId: string,
	mpnId: string,
): Promise<{ problems: FieldProblem[]; programs: string[] }> {
	const [row] = await q
		.select({ programs: mpnIds.programs, inUse: mpnIds.inUse })
		.from(mpnIds)
		.where(
			and(eq(mpnIds.mpnId, mpnId), eq(mpnIds.organizationId, organizationId)),
		);
	return checkMpnFacts(mpnId, row ? row.programs : null, row?.inUse ?? null);
}

/**
 * R-CRT-3 and R-CRT-4 given the tenant as read (null: unknown tenant; `domains` its
 * verified domains). Returns problems and the tenant's name.
 */
export function checkCustomerFacts(
	input: { domain: string; solutionArea: SolutionArea; activity: Activity },
	tenant: { name: string; domains: string[] } | null,
): { problems: FieldProblem[]; tenantName: string | null } {
	return {
		problems: [
			...checkActivity(input.solutionArea, input.activity),
			...checkDomain(tenant !== null, tenant?.domains ?? [], input.domain),
		],
		tenantName: tenant?.name ?? null,
	};
}

/** R-CRT-3 and R-CRT-4 against the directory ({@link checkCustomerFacts} after one query). */
export async function checkCustomer(
	q: Queryable,
	input: {
		tenantId: string;
		domain: string;
		solutionArea: SolutionArea;
		activity: Activity;
	},
): Promise<{ problems: FieldProblem[]; tenantName: string | null }> {
	const tenantId = input.tenantId.trim().toLowerCase();
	// The tenant and its domains in one query (no row: unknown tenant).
	const rows = await q
		.select({ name: tenants.name, domain: tenantDomains.domain })
		.from(tenants)
		.leftJoin(tenantDomains, eq(tenantDomains.tenantId, tenants.tenantId))
		.where(eq(tenants.tenantId, tenantId));
	const first = rows[0];
	return checkCustomerFacts(
		input,
		first
			? {
					name: first.name,
					domains: rows.flatMap((r) => (r.domain === null ? [] : [r.domain])),
				}
			: null,
	);
}
