/**
 * The directory import document (API.md "Directory import format", SPEC R-DIR-6).
 *
 * The schemas check each row on its own (formats, enumerations, SPEC R-DIR-1, R-DIR-3,
 * R-DIR-5); `checkImportReferences` checks the rows against each other and against what the
 * directory already holds (unknown tenants and products, duplicates). Custom issues carry a
 * specific code in `params.code`, which `parse-import.ts` reports instead of `custom`.
 */
import * as z from "zod";
import {
	CATALOG,
	CHANNELS,
	isCustomerRole,
	isPartnerRole,
	isVendorRole,
	LOCALES,
	PROGRAMS,
	ROLES,
	SOLUTION_AREAS,
	SUBSCRIPTION_STATUSES,
} from "../domain/catalog.ts";

/** The sections of an import document, in the order they are applied. */
export const IMPORT_SECTIONS = [
	"products",
	"partners",
	"tenants",
	"subscriptions",
	"users",
	"usage",
] as const;
export type ImportSection = (typeof IMPORT_SECTIONS)[number];

/** MPN ID (PartnerID): digits only, 6 to 8 of them (SPEC R-DIR-1). */
export const MPN_ID_PATTERN = /^\d{6,8}$/;

/** A valid DNS host name of at least two labels, lower case. */
export const HOSTNAME_PATTERN =
	/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A tenant's initial domain `<name>.onmicrosoft.com` (SPEC R-DIR-3). */
export const ONMICROSOFT_DOMAIN_PATTERN =
	/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.onmicrosoft\.com$/;

/** A calendar month `YYYY-MM`. */
export const MONTH_PATTERN = /^\d{4}-(?:0[1-9]|1[0-2])$/;

/** Identifiers chosen by the importer (organization IDs, product IDs). */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const idSchema = (what: string) =>
	z.string().regex(ID_PATTERN, {
		message: `${what} must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
	});

/** An error message for a value that is present but wrong; a missing one falls through to "… is required". */
const whenPresent =
	(message: string) =>
	(issue: { input?: unknown }): string | undefined =>
		issue.input === undefined ? undefined : message;

/** A GUID (tenant ID, subscription ID), normalised to lower case. */
const guidSchema = (what: string) =>
	z
		.guid({
			error: whenPresent(
				`${what} must be a GUID like 6f1c2b8e-4a7d-4c3e-9b1a-2d5e8f0a7c31`,
			),
		})
		.toLowerCase();

const nameSchema = z.string().trim().min(1).max(200);

/** A catalog product (SPEC R-DIR-4). */
export const importProductSchema = z.strictObject({
	productId: idSchema("productId"),
	name: nameSchema,
	solutionArea: z.enum(SOLUTION_AREAS),
	dynamics: z.boolean(),
});

/** One MPN ID of a partner organization with its enrollments and partner types (SPEC R-DIR-1, R-DIR-2). */
export const importMpnIdSchema = z.strictObject({
	mpnId: z.string().regex(MPN_ID_PATTERN, {
		message: "MPN ID must be 6 to 8 digits (SPEC R-DIR-1)",
	}),
	programs: z
		.array(z.enum(PROGRAMS))
		.default([])
		.refine((programs) => new Set(programs).size === programs.length, {
			message: "a program is listed twice",
			params: { code: "duplicate_program" },
		}),
	partnerTypes: z.array(z.string().trim().min(1).max(100)).default([]),
});

/** A partner organization and its MPN IDs (SPEC R-DIR-1). */
export const importPartnerSchema = z.strictObject({
	organizationId: idSchema("organizationId"),
	name: nameSchema,
	mpnIds: z.array(importMpnIdSchema).min(1, {
		message: "a partner organization needs at least one MPN ID (SPEC R-DIR-1)",
	}),
});

const domainSchema = z.string().trim().toLowerCase().regex(HOSTNAME_PATTERN, {
	message: "a domain must be a valid host name such as contoso.com",
});

/** A customer tenant with its verified domains, among them `<name>.onmicrosoft.com` (SPEC R-DIR-3). */
export const importTenantSchema = z.strictObject({
	tenantId: guidSchema("tenantId"),
	name: nameSchema,
	domains: z
		.array(domainSchema)
		.min(1, { message: "a tenant needs at least one domain (SPEC R-DIR-3)" })
		.superRefine((domains, ctx) => {
			if (
				domains.length > 0 &&
				!domains.some((domain) => ONMICROSOFT_DOMAIN_PATTERN.test(domain))
			) {
				ctx.addIssue({
					code: "custom",
					message:
						"a tenant needs its initial domain <name>.onmicrosoft.com among its domains (SPEC R-DIR-3)",
					params: { code: "onmicrosoft_domain_required" },
				});
			}
		}),
});

/** A Business Applications subscription (SPEC R-DIR-5). */
export const importSubscriptionSchema = z.strictObject({
	subscriptionId: guidSchema("subscriptionId"),
	tenantId: guidSchema("tenantId"),
	productId: idSchema("productId"),
	channel: z.enum(CHANNELS),
	status: z.enum(SUBSCRIPTION_STATUSES),
	provisioned: z.boolean(),
});

/**
 * A user account (SPEC section 13): partner roles need `organizationId`, `customer_admin`
 * needs `tenantId`, vendor roles need neither; the three kinds do not mix (SPEC R-ROL-2).
 */
export const importUserSchema = z
	.strictObject({
		email: z
			.email({ error: whenPresent("email must be an email address") })
			.toLowerCase(),
		name: nameSchema,
		password: z
			.string()
			.min(8, { message: "a password needs at least 8 characters" })
			.max(256),
		organizationId: idSchema("organizationId").optional(),
		tenantId: guidSchema("tenantId").optional(),
		roles: z
			.array(z.enum(ROLES))
			.min(1, { message: "a user needs at least one role" })
			.refine((roles) => new Set(roles).size === roles.length, {
				message: "a role is listed twice",
				params: { code: "duplicate_role" },
			}),
		/**
		 * The user's language. Left out, a new user gets the default (en) and an existing
		 * one keeps theirs (which they may have set themselves: PATCH /me).
		 */
		locale: z.enum(LOCALES).optional(),
	})
	.superRefine((user, ctx) => {
		const partner = user.roles.some(isPartnerRole);
		const customer = user.roles.some(isCustomerRole);
		const vendor = user.roles.some(isVendorRole);
		if (Number(partner) + Number(customer) + Number(vendor) > 1) {
			ctx.addIssue({
				code: "custom",
				path: ["roles"],
				message:
					"partner roles, customer_admin and vendor roles (reviewer, platform_admin) cannot be combined (SPEC R-ROL-2)",
				params: { code: "incompatible_roles" },
			});
			return;
		}
		if (partner) {
			if (user.organizationId === undefined) {
				ctx.addIssue({
					code: "custom",
					path: ["organizationId"],
					message:
						"a partner user needs the organizationId of its partner organization",
					params: { code: "organization_required" },
				});
			}
			if (user.tenantId !== undefined) {
				ctx.addIssue({
					code: "custom",
					path: ["tenantId"],
					message: "a partner user has no tenantId",
					params: { code: "tenant_not_allowed" },
				});
			}
		}
		if (customer) {
			if (user.tenantId === undefined) {
				ctx.addIssue({
					code: "custom",
					path: ["tenantId"],
					message:
						"a customer_admin needs the tenantId of its tenant (SPEC R-ROL-3)",
					params: { code: "tenant_required" },
				});
			}
			if (user.organizationId !== undefined) {
				ctx.addIssue({
					code: "custom",
					path: ["organizationId"],
					message: "a customer_admin has no organizationId",
					params: { code: "organization_not_allowed" },
				});
			}
		}
		if (vendor) {
			if (user.organizationId !== undefined) {
				ctx.addIssue({
					code: "custom",
					path: ["organizationId"],
					message:
						"a vendor user (reviewer, platform_admin) has no organizationId",
					params: { code: "organization_not_allowed" },
				});
			}
			if (user.tenantId !== undefined) {
				ctx.addIssue({
					code: "custom",
					path: ["tenantId"],
					message: "a vendor user (reviewer, platform_admin) has no tenantId",
					params: { code: "tenant_not_allowed" },
				});
			}
		}
	});

/** The largest count of users or units a usage row holds (PostgreSQL's `integer`). */
const MAX_COUNT = 2_147_483_647;

/** Monthly usage and seat data of one product on one tenant (SPEC R-ACC-2). */
export const importUsageSchema = z.strictObject({
	tenantId: guidSchema("tenantId"),
	productId: idSchema("productId"),
	month: z.string().regex(MONTH_PATTERN, { message: "month must be YYYY-MM" }),
	monthlyActiveUsers: z
		.number({ error: whenPresent("monthlyActiveUsers must be a whole number") })
		.int({ message: "monthlyActiveUsers must be a whole number" })
		.min(0)
		.max(MAX_COUNT, {
			message: `monthlyActiveUsers must be at most ${MAX_COUNT.toLocaleString("en-US")}`,
		}),
	paidAvailableUnits: z
		.number({ error: whenPresent("paidAvailableUnits must be a whole number") })
		.int({ message: "paidAvailableUnits must be a whole number" })
		.min(0)
		.max(MAX_COUNT, {
			message: `paidAvailableUnits must be at most ${MAX_COUNT.toLocaleString("en-US")}`,
		}),
});

/** The whole import document; every section is optional (API.md "Directory import format"). */
export const importDocumentSchema = z.strictObject({
	products: z.array(importProductSchema).optional(),
	partners: z.array(importPartnerSchema).optional(),
	tenants: z.array(importTenantSchema).optional(),
	subscriptions: z.array(importSubscriptionSchema).optional(),
	users: z.array(importUserSchema).optional(),
	usage: z.array(importUsageSchema).optional(),
});

/** The row schema of each section. */
export const IMPORT_ROW_SCHEMAS = {
	products: importProductSchema,
	partners: importPartnerSchema,
	tenants: importTenantSchema,
	subscriptions: importSubscriptionSchema,
	users: importUserSchema,
	usage: importUsageSchema,
} as const;

/** A validated (normalised, defaults applied) import document. */
export type ImportDocument = z.output<typeof importDocumentSchema>;
/** An import document as written in a file, before defaults and normalisation. */
export type ImportDocumentInput = z.input<typeof importDocumentSchema>;
export type ImportProduct = z.output<typeof importProductSchema>;
export type ImportPartner = z.output<typeof importPartnerSchema>;
export type ImportMpnId = z.output<typeof importMpnIdSchema>;
export type ImportTenant = z.output<typeof importTenantSchema>;
export type ImportSubscription = z.output<typeof importSubscriptionSchema>;
export type ImportUser = z.output<typeof importUserSchema>;
export type ImportUsage = z.output<typeof importUsageSchema>;

/** One problem found in an import, named by its place in the document (`subscriptions[12].tenantId`). */
export interface ImportIssue {
	path: string;
	code: string;
	message: string;
}

/** What the directory already holds, for `checkImportReferences`. */
export interface ExistingDirectory {
	productIds?: Iterable<string>;
	organizationIds?: Iterable<string>;
	tenantIds?: Iterable<string>;
}

/**
 * Cross-row checks of a validated document: references to unknown products, tenants and
 * organizations (known = in the document, in `existing`, or for products in the built-in
 * catalog), duplicate keys (productId, organizationId, MPN ID, tenantId, domain,
 * subscriptionId, email, usage tenant+product+month), and subscriptions whose product is not
 * a Business Applications product (SPEC R-DIR-5). Returns no issues when all is well.
 */
export function checkImportReferences(
	doc: ImportDocument,
	existing: ExistingDirectory = {},
): ImportIssue[] {
	const issues: ImportIssue[] = [];
	const add = (path: string, code: string, message: string) => {
		issues.push({ path, code, message });
	};

	// Products: the built-in catalog, then what exists, then the document (later wins).
	const solutionAreaOf = new Map<string, string | undefined>();
	for (const product of CATALOG) {
		solutionAreaOf.set(product.productId, product.solutionArea);
	}
	for (const productId of existing.productIds ?? []) {
		if (!solutionAreaOf.has(productId))
			solutionAreaOf.set(productId, undefined);
	}
	const productRows = new Map<string, number>();
	(doc.products ?? []).forEach((product, i) => {
		const first = productRows.get(product.productId);
		if (first !== undefined) {
			add(
				`products[${i}].productId`,
				"duplicate_product_id",
				`product ${product.productId} is already listed at products[${first}]`,
			);
			return;
		}
		productRows.set(product.productId, i);
		solutionAreaOf.set(product.productId, product.solutionArea);
	});

	// Partners and MPN IDs (SPEC R-DIR-1).
	const organizationIds = new Set<string>(existing.organizationIds ?? []);
	const organizationRows = new Map<string, number>();
	const mpnRows = new Map<string, string>();
	(doc.partners ?? []).forEach((partner, i) => {
		const first = organizationRows.get(partner.organizationId);
		if (first !== undefined) {
			add(
				`partners[${i}].organizationId`,
				"duplicate_organization_id",
				`organization ${partner.organizationId} is already listed at partners[${first}]`,
			);
		} else {
			organizationRows.set(partner.organizationId, i);
		}
		organizationIds.add(partner.organizationId);
		partner.mpnIds.forEach((mpn, j) => {
			const path = `partners[${i}].mpnIds[${j}].mpnId`;
			const firstMpn = mpnRows.get(mpn.mpnId);
			if (firstMpn !== undefined) {
				add(
					path,
					"duplicate_mpn_id",
					`MPN ID ${mpn.mpnId} is already listed at ${firstMpn}; an MPN ID belongs to one partner organization`,
				);
			} else {
				mpnRows.set(mpn.mpnId, path);
			}
		});
	});

	// Tenants and domains (SPEC R-DIR-3).
	const tenantIds = new Set<string>(
		[...(existing.tenantIds ?? [])].map((id) => id.toLowerCase()),
	);
	const tenantRows = new Map<string, number>();
	const domainRows = new Map<string, string>();
	(doc.tenants ?? []).forEach((tenant, i) => {
		const first = tenantRows.get(tenant.tenantId);
		if (first !== undefined) {
			add(
				`tenants[${i}].tenantId`,
				"duplicate_tenant_id",
				`tenant ${tenant.tenantId} is already listed at tenants[${first}]`,
			);
		} else {
			tenantRows.set(tenant.tenantId, i);
		}
		tenantIds.add(tenant.tenantId);
		tenant.domains.forEach((domain, j) => {
			const path = `tenants[${i}].domains[${j}]`;
			const firstDomain = domainRows.get(domain);
			if (firstDomain !== undefined) {
				add(
					path,
					"duplicate_domain",
					`domain ${domain} is already listed at ${firstDomain}; a domain belongs to one tenant`,
				);
			} else {
				domainRows.set(domain, path);
			}
		});
	});

	const checkTenant = (path: string, tenantId: string) => {
		if (!tenantIds.has(tenantId)) {
			add(
				path,
				"unknown_tenant",
				`tenant ${tenantId} is neither in this import nor in the directory`,
			);
		}
	};
	const checkProduct = (path: string, productId: string) => {
		if (!solutionAreaOf.has(productId)) {
			add(
				path,
				"unknown_product",
				`product ${productId} is neither in this import nor in the catalog`,
			);
			return false;
		}
		return true;
	};

	// Subscriptions (SPEC R-DIR-5).
	const subscriptionRows = new Map<string, number>();
	(doc.subscriptions ?? []).forEach((subscription, i) => {
		const first = subscriptionRows.get(subscription.subscriptionId);
		if (first !== undefined) {
			add(
				`subscriptions[${i}].subscriptionId`,
				"duplicate_subscription_id",
				`subscription ${subscription.subscriptionId} is already listed at subscriptions[${first}]`,
			);
		} else {
			subscriptionRows.set(subscription.subscriptionId, i);
		}
		checkTenant(`subscriptions[${i}].tenantId`, subscription.tenantId);
		const path = `subscriptions[${i}].productId`;
		if (checkProduct(path, subscription.productId)) {
			const area = solutionAreaOf.get(subscription.productId);
			if (area !== undefined && area !== "business_applications") {
				add(
					path,
					"product_not_business_applications",
					`product ${subscription.productId} is a Microsoft 365 workload; subscriptions are for Business Applications products (SPEC R-DIR-5)`,
				);
			}
		}
	});

	// Users (SPEC section 13).
	const emailRows = new Map<string, number>();
	(doc.users ?? []).forEach((user, i) => {
		const first = emailRows.get(user.email);
		if (first !== undefined) {
			add(
				`users[${i}].email`,
				"duplicate_email",
				`${user.email} is already listed at users[${first}]`,
			);
		} else {
			emailRows.set(user.email, i);
		}
		if (
			user.organizationId !== undefined &&
			!organizationIds.has(user.organizationId)
		) {
			add(
				`users[${i}].organizationId`,
				"unknown_organization",
				`organization ${user.organizationId} is neither in this import nor in the directory`,
			);
		}
		if (user.tenantId !== undefined) {
			checkTenant(`users[${i}].tenantId`, user.tenantId);
		}
	});

	// Usage (SPEC R-ACC-2).
	const usageRows = new Map<string, number>();
	(doc.usage ?? []).forEach((row, i) => {
		const key = `${row.tenantId}|${row.productId}|${row.month}`;
		const first = usageRows.get(key);
		if (first !== undefined) {
			add(
				`usage[${i}]`,
				"duplicate_usage_row",
				`usage of ${row.productId} on tenant ${row.tenantId} for ${row.month} is already listed at usage[${first}]`,
			);
		} else {
			usageRows.set(key, i);
		}
		checkTenant(`usage[${i}].tenantId`, row.tenantId);
		checkProduct(`usage[${i}].productId`, row.productId);
	});

	return issues;
}
