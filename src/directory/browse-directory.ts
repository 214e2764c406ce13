/**
 * The directory as the platform admin (and a reviewer) looks it up (SPEC R-DIR-6: the
 * directory is reference data the admin loads and maintains; R-ROL-2): customer tenants
 * with their verified domains and subscriptions, and partner organizations with their
 * MPN IDs, programs and whether each is in use. Read-only; what changes it is the
 * import (import-directory.ts).
 *
 * Both lists are in name order (lower case, byte order: the `*_name_idx` indexes of
 * migration 0034), a page at a time by keyset. `q` finds by a name's first letters or an
 * exact ID: a tenant ID, a verified domain or a subscription ID; an organization ID or
 * an MPN ID.
 */
import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { decodeCursor, encodeCursor, stringsOf } from "../domain/cursor.ts";

/** A page of the directory (API.md lists: `{ items, nextCursor }`). */
export interface DirectoryPage<T> {
	items: T[];
	nextCursor: string | null;
}

/** A customer tenant as the directory holds it (R-DIR-3, R-DIR-5). */
export interface DirectoryTenant {
	tenantId: string;
	name: string;
	/** Verified domains, lower case, sorted. */
	domains: string[];
	subscriptions: {
		subscriptionId: string;
		productId: string;
		productName: string | null;
		channel: string;
		status: string;
		provisioned: boolean;
	}[];
}

/** A partner organization as the directory holds it (R-DIR-1, R-DIR-2, R-ROL-1). */
export interface DirectoryPartner {
	organizationId: string;
	name: string;
	mpnIds: {
		mpnId: string;
		programs: string[];
		partnerTypes: string[];
		inUse: boolean;
	}[];
}

/** Options of a directory page: `q` as above (trimmed; empty lists all), `limit` 1-200. */
export interface DirectoryQuery {
	q?: string | undefined;
	limit?: number | undefined;
	cursor?: string | undefined;
}

/** Default page size of the directory lists. */
export const DIRECTORY_PAGE_SIZE = 20;

/** `LIKE` prefix pattern of `text` in lower case, `\`, `%` and `_` escaped. */
function prefixPattern(text: string): string {
	return `${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** Rows of a raw statement (both drivers answer `{ rows }`; JSON columns come as text). */
async function rowsOf<T>(ctx: AppContext, query: ReturnType<typeof sql>) {
	const res = (await ctx.db.execute(query)) as unknown as { rows: T[] };
	return res.rows;
}

/** The keyset condition after `cursor` (the last row's lower-case name and ID), or true. */
function after(cursor: string | undefined, name: string, id: string) {
	if (!cursor) return sql`true`;
	const [lastName, lastId] = decodeCursor(cursor, stringsOf(2)) as [
		string,
		string,
	];
	return sql`(lower(${sql.raw(name)}) collate "C", ${sql.raw(id)}) > (${lastName} collate "C", ${lastId})`;
}

/** The page and its next cursor, from `limit + 1` rows read. */
function pageOf<T extends { name: string }>(
	rows: T[],
	limit: number,
	idOf: (row: T) => string,
): DirectoryPage<T> {
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return {
		items,
		nextCursor:
			rows.length > limit && last
				? encodeCursor([last.name.toLowerCase(), idOf(last)])
				: null,
	};
}

/**
 * A page of customer tenants (R-DIR-3), each with its domains and subscriptions (with the
 * catalog's product name). Reads only.
 * @throws DomainError `validation_failed` for a cursor this API did not issue.
 */
export async function listDirectoryTenants(
	ctx: AppContext,
	query: DirectoryQuery,
): Promise<DirectoryPage<DirectoryTenant>> {
	const limit = query.limit ?? DIRECTORY_PAGE_SIZE;
	const q = query.q?.trim() ?? "";
	const exact = q.toLowerCase();
	// Each way of finding reads its own index (an OR of them would read every tenant).
	const match = q
		? sql`t.tenant_id in (
			select tenant_id from tenants where lower(name) collate "C" like ${prefixPattern(q)}
			union select tenant_id from tenants where tenant_id = ${exact}
			union select tenant_id from tenant_domains where domain = ${exact}
			union select tenant_id from subscriptions where subscription_id = ${exact})`
		: sql`true`;
	const rows = await rowsOf<
		Omit<DirectoryTenant, "domains" | "subscriptions"> & {
			domains: string;
			subscriptions: string;
		}
	>(
		ctx,
		sql`select t.tenant_id as "tenantId", t.name,
			coalesce((select json_agg(d.domain order by d.domain) from tenant_domains d where d.tenant_id = t.tenant_id), '[]')::text as domains,
			coalesce((select json_agg(json_build_object(
				'subscriptionId', s.subscription_id, 'productId', s.product_id, 'productName', p.name,
				'channel', s.channel, 'status', s.status, 'provisioned', s.provisioned)
				order by p.name, s.subscription_id)
				from subscriptions s left join products p on p.product_id = s.product_id
				where s.tenant_id = t.tenant_id), '[]')::text as subscriptions
		from tenants t
		where ${match} and ${after(query.cursor, "t.name", "t.tenant_id")}
		order by lower(t.name) collate "C", t.tenant_id
		limit ${limit + 1}`,
	);
	return pageOf(
		rows.map((r) => ({
			...r,
			domains: JSON.parse(r.domains),
			subscriptions: JSON.parse(r.subscriptions),
		})),
		limit,
		(r) => r.tenantId,
	);
}

/**
 * A page of partner organizations (R-DIR-1), each with its MPN IDs, their programs and
 * partner types (R-DIR-2) and whether the organization uses them (R-ROL-1). Reads only.
 * @throws DomainError `validation_failed` for a cursor this API did not issue.
 */
export async function listDirectoryPartners(
	ctx: AppContext,
	query: DirectoryQuery,
): Promise<DirectoryPage<DirectoryPartner>> {
	const limit = query.limit ?? DIRECTORY_PAGE_SIZE;
	const q = query.q?.trim() ?? "";
	const match = q
		? sql`o.id in (
			select id from organizations where lower(name) collate "C" like ${prefixPattern(q)}
			union select id from organizations where id = ${q}
			union select organization_id from mpn_ids where mpn_id = ${q})`
		: sql`true`;
	const rows = await rowsOf<
		Omit<DirectoryPartner, "mpnIds"> & { mpnIds: string }
	>(
		ctx,
		sql`select o.id as "organizationId", o.name,
			coalesce((select json_agg(json_build_object(
				'mpnId', m.mpn_id, 'programs', m.programs, 'partnerTypes', m.partner_types, 'inUse', m.in_use)
				order by m.mpn_id)
				from mpn_ids m where m.organization_id = o.id), '[]')::text as "mpnIds"
		from organizations o
		where ${match} and ${after(query.cursor, "o.name", "o.id")}
		order by lower(o.name) collate "C", o.id
		limit ${limit + 1}`,
	);
	return pageOf(
		rows.map((r) => ({ ...r, mpnIds: JSON.parse(r.mpnIds) })),
		limit,
		(r) => r.organizationId,
	);
}
