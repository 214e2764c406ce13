/**
 * What messages need from the database: partner and customer names, recipients'
 * languages (a user with that email has a `locale`; else English), and the public URL
 * that links point to.
 */
import { and, inArray, sql } from "drizzle-orm";
import type { ClaimView } from "../claims/claim-view.ts";
import type { Config } from "../config.ts";
import { equalsAnyText } from "../db/any-text.ts";
import type { Queryable } from "../db/client.ts";
import { organizations, tenants, users } from "../db/schema.ts";
import { type Locale, toLocale } from "./i18n.ts";
import type { ClaimFacts } from "./messages.ts";

/** The base URL of links in messages: CPOR_PUBLIC_URL, else http://HOST:PORT. */
export function publicBaseUrl(config: Config): string {
	if (config.publicUrl) return config.publicUrl.replace(/\/+$/, "");
	const host =
		config.host === "0.0.0.0" || config.host === "::"
			? "localhost"
			: config.host.includes(":")
				? `[${config.host}]`
				: config.host;
	return `http://${host}:${config.port}`;
}

/** Where a person sees a claim. */
export function claimUrl(config: Config, claimId: string): string {
	return `${publicBaseUrl(config)}/claims/${encodeURIComponent(claimId)}`;
}

/** Names of the organizations and tenants of some claims. */
export interface Names {
	organizations: Map<string, string>;
	tenants: Map<string, string>;
}

/** Loads organization and tenant names for claims (two queries). */
export async function loadNames(
	q: Queryable,
	views: ClaimView[],
): Promise<Names> {
	const orgIds = [...new Set(views.map((v) => v.partnerOrganizationId))];
	const tenantIds = [...new Set(views.map((v) => v.customer.tenantId))];
	const orgRows = orgIds.length
		? await q
				.select({ id: organizations.id, name: organizations.name })
				.from(organizations)
				.where(inArray(organizations.id, orgIds))
		: [];
	const tenantRows = tenantIds.length
		? await q
				.select({ id: tenants.tenantId, name: tenants.name })
				.from(tenants)
				.where(inArray(tenants.tenantId, tenantIds))
		: [];
	return {
		organizations: new Map(orgRows.map((r) => [r.id, r.name])),
		tenants: new Map(tenantRows.map((r) => [r.id, r.name])),
	};
}

/** The facts every claim message shows. */
export function claimFacts(
	config: Config,
	view: ClaimView,
	names: Names,
): ClaimFacts {
	const tenantName = names.tenants.get(view.customer.tenantId);
	return {
		claimId: view.id,
		claimName: view.name.replace(/[\r\n]+/g, " "),
		status: view.status,
		partnerName:
			names.organizations.get(view.partnerOrganizationId) ??
			view.partnerOrganizationId,
		customerName: tenantName
			? `${tenantName} (${view.customer.domain})`
			: view.customer.domain,
		products: view.products.map((p) =>
			p.subscriptionId ? `${p.name} (${p.subscriptionId})` : p.name,
		),
		claimUrl: claimUrl(config, view.id),
	};
}

/** A recipient's language and, when it is a user, name. */
export interface RecipientInfo {
	locale: Locale;
	name: string | null;
}

/** Languages of recipients by (lower-case) email: their user's locale, else English. */
export async function loadRecipients(
	q: Queryable,
	emails: string[],
): Promise<Map<string, RecipientInfo>> {
	const lowered = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
	const out = new Map<string, RecipientInfo>();
	if (lowered.length === 0) return out;
	const rows = await q
		.select({ email: users.email, locale: users.locale, name: users.name })
		.from(users)
		// Stored in lower case: the unique index finds them (lower(email) read every user).
		.where(equalsAnyText(users.email, lowered));
	for (const r of rows)
		out.set(r.email.toLowerCase(), {
			locale: toLocale(r.locale),
			name: r.name,
		});
	for (const e of lowered)
		if (!out.has(e)) out.set(e, { locale: "en", name: null });
	return out;
}

/**
 * The customer admins of these tenants (R-ROL-3: they see and opt out of their tenant's
 * associations), by tenant ID: each with its email in lower case and its name. One
 * query, on the partial index of customer admins by tenant (migration 0030).
 */
export async function loadCustomerAdmins(
	q: Queryable,
	tenantIds: string[],
): Promise<Map<string, { email: string; name: string }[]>> {
	const out = new Map<string, { email: string; name: string }[]>();
	const ids = [...new Set(tenantIds)];
	if (ids.length === 0) return out;
	const rows = await q
		.select({ tenantId: users.tenantId, email: users.email, name: users.name })
		.from(users)
		.where(
			and(
				equalsAnyText(users.tenantId, ids),
				sql`'customer_admin' = any(${users.roles})`,
			),
		)
		.orderBy(users.email);
	for (const r of rows) {
		if (!r.tenantId) continue;
		const list = out.get(r.tenantId) ?? [];
		list.push({ email: r.email.toLowerCase(), name: r.name });
		out.set(r.tenantId, list);
	}
	return out;
}
