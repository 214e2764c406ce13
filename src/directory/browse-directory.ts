/**
 * The directory as the platform admin (and a reviewer) looks it up (SPEC R-DIR-6: the
 * directory is reference data the admin loads and maintains; R-ROL-2): customer tenants
 * with their verified domains and subscriptions, partner organizations with their
 * MPN IDs, programs and whether each is in use, and (the platform admin's alone) the
 * people who can sign in. Read-only; what changes it is the import
 * (import-directory.ts).
 *
 * The lists are in name order (lower case, byte order: the `*_name_idx` indexes of
 * migrations 0034 and 0037), a page at a time by keyset. `q` finds by a name's first
 * letters or an exact ID: a tenant ID, a verified domain or a subscription ID; an
 * organization ID or an MPN ID; a user's ID or email, or their organization or tenant.
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

/**
 * A person who can sign in (R-ROL-1..3), as the directory import left them: a partner's
 * user carries an organization, a customer admin a tenant, CPOR's own staff neither.
 * No password hash, no sessions.
 */
export interface DirectoryUser {
	id: string;
	/** Lower case. */
	email: string;
	name: string;
	roles: string[];
	organizationId: string | null;
	organizationName: string | null;
	tenantId: string | null;
	tenantName: string | null;
	/** The user's language for email and a browser without a choice (`PATCH /me`). */
	locale: string;
}

/** Options of a directory page: `q` as above (trimmed; empty lists all), `limit` 1-200. */
export interface DirectoryQuery {
	q?: string | undefined;
	limit?: number | undefined;
	cursor?: string | undefined;
}

/** Default page size of the directory lists. */
export const DIRECTORY_PAGE_SIZE = 20;

/**
 * `LIKE` prefix pattern of `text`, its `\`, `%` and `_` escaped; the statement puts it in
 * lower case with PostgreSQL's own `lower()`, as the names' keys are.
 */
function prefixPattern(text: string): string {
	return `${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** Rows of a raw statement (both drivers answer `{ rows }`; JSON columns come as text). */
async function rowsOf<T>(ctx: AppContext, query: ReturnType<typeof sql>) {
	const res = (await ctx.db.execute(query)) as unknown as { rows: T[] };
	return res.rows;
}

/** A row's sort key: its name in lower case, byte order (the `*_name_idx` indexes). */
const NAME_KEY = `lower(name) collate "C"`;

/** The keyset condition after `cursor` (the last row's sort key and ID), or true. */
function after(cursor: string | undefined, key: string, id: string) {
	if (!cursor) return sql`true`;
	const [lastKey, lastId] = decodeCursor(cursor, stringsOf(2)) as [
		string,
		string,
	];
	return sql`(${sql.raw(key)}, ${sql.raw(id)}) > (${lastKey} collate "C", ${lastId})`;
}

/**
 * The rows of a page, as IDs and sort keys (`found(id, k)`): the names that start with
 * `q`'s letters walked in the index's order (at most `limit + 1` of them), and the rows
 * that `exact` finds by ID; without `q`, every row in order. Each branch reads an
 * index of its own, so a page costs its size, not the number of rows that match.
 */
function foundRows(opts: {
	table: string;
	id: string;
	q: string;
	exact: ReturnType<typeof sql>;
	cursor: string | undefined;
	limit: number;
}) {
	const key = NAME_KEY;
	const walk = sql`(select ${sql.raw(opts.id)} as id, ${sql.raw(key)} as k from ${sql.raw(opts.table)}
		where ${opts.q ? sql`${sql.raw(key)} like lower(${prefixPattern(opts.q)}) collate "C"` : sql`true`}
			and ${after(opts.cursor, key, opts.id)}
		order by 2, 1 limit ${opts.limit + 1})`;
	if (!opts.q) return walk;
	return sql`${walk} union (select ${sql.raw(opts.id)}, ${sql.raw(key)} from ${sql.raw(opts.table)}
		where ${sql.raw(opts.id)} in (${opts.exact}) and ${after(opts.cursor, key, opts.id)})`;
}

/** The page and its next cursor, from `limit + 1` rows read with their `sortKey`. */
function pageOf<T extends { sortKey: string }>(
	rows: T[],
	limit: number,
	idOf: (row: T) => string,
): DirectoryPage<Omit<T, "sortKey">> {
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return {
		items: items.map(({ sortKey: _k, ...rest }) => rest),
		nextCursor:
			rows.length > limit && last
				? encodeCursor([last.sortKey, idOf(last)])
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
	const found = foundRows({
		table: "tenants",
		id: "tenant_id",
		q,
		exact: sql`select ${exact}::text
			union select tenant_id from tenant_domains where domain = ${exact}
			union select tenant_id from subscriptions where subscription_id = ${exact}`,
		cursor: query.cursor,
		limit,
	});
	const rows = await rowsOf<
		Omit<DirectoryTenant, "domains" | "subscriptions"> & {
			domains: string;
			subscriptions: string;
			sortKey: string;
		}
	>(
		ctx,
		sql`with found as (${found})
		select t.tenant_id as "tenantId", t.name, f.k as "sortKey",
			coalesce((select json_agg(d.domain order by d.domain) from tenant_domains d where d.tenant_id = t.tenant_id), '[]')::text as domains,
			coalesce((select json_agg(json_build_object(
				'subscriptionId', s.subscription_id, 'productId', s.product_id, 'productName', p.name,
				'channel', s.channel, 'status', s.status, 'provisioned', s.provisioned)
				order by p.name, s.subscription_id)
				from subscriptions s left join products p on p.product_id = s.product_id
				where s.tenant_id = t.tenant_id), '[]')::text as subscriptions
		from found f join tenants t on t.tenant_id = f.id
		order by f.k, f.id
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
	const found = foundRows({
		table: "organizations",
		id: "id",
		q,
		exact: sql`select ${q}::text
			union select organization_id from mpn_ids where mpn_id = ${q}`,
		cursor: query.cursor,
		limit,
	});
	const rows = await rowsOf<
		Omit<DirectoryPartner, "mpnIds"> & { mpnIds: string; sortKey: string }
	>(
		ctx,
		sql`with found as (${found})
		select o.id as "organizationId", o.name, f.k as "sortKey",
			coalesce((select json_agg(json_build_object(
				'mpnId', m.mpn_id, 'programs', m.programs, 'partnerTypes', m.partner_types, 'inUse', m.in_use)
				order by m.mpn_id)
				from mpn_ids m where m.organization_id = o.id), '[]')::text as "mpnIds"
		from found f join organizations o on o.id = f.id
		order by f.k, f.id
		limit ${limit + 1}`,
	);
	return pageOf(
		rows.map((r) => ({ ...r, mpnIds: JSON.parse(r.mpnIds) })),
		limit,
		(r) => r.organizationId,
	);
}

/**
 * A page of the people who can sign in (R-ROL-1..3), with their organization's or
 * tenant's name. `q` finds by a name's first letters, or exactly by a user ID, an email
 * (any case), an organization ID (its people) or a tenant ID (any case; its customer
 * admins). Each branch reads at most a page and one more from its index. Reads only.
 * @throws DomainError `validation_failed` for a cursor this API did not issue.
 */
export async function listDirectoryUsers(
	ctx: AppContext,
	query: DirectoryQuery,
): Promise<DirectoryPage<DirectoryUser>> {
	const limit = query.limit ?? DIRECTORY_PAGE_SIZE;
	const q = query.q?.trim() ?? "";
	const byNameOrId = foundRows({
		table: "users",
		id: "id",
		q,
		exact: sql`select ${q}::text
			union select id from users where email = ${q.toLowerCase()}`,
		cursor: query.cursor,
		limit,
	});
	// An organization's people and a tenant's customer admins, in the list's order from
	// the cursor on, at most a page and one more each (migration 0037's indexes).
	const members = (where: ReturnType<typeof sql>) =>
		sql`(select id, ${sql.raw(NAME_KEY)} as k from users
			where ${where} and ${after(query.cursor, NAME_KEY, "id")}
			order by 2, 1 limit ${limit + 1})`;
	const found = q
		? sql`${byNameOrId}
			union ${members(sql`organization_id = ${q}`)}
			union ${members(sql`tenant_id = ${q.toLowerCase()} and 'customer_admin' = any(roles)`)}`
		: byNameOrId;
	const rows = await rowsOf<DirectoryUser & { sortKey: string }>(
		ctx,
		sql`with found as (${found})
		select u.id, u.email, u.name, u.roles, u.organization_id as "organizationId",
			o.name as "organizationName", u.tenant_id as "tenantId", t.name as "tenantName",
			u.locale, f.k as "sortKey"
		from found f join users u on u.id = f.id
			left join organizations o on o.id = u.organization_id
			left join tenants t on t.tenant_id = u.tenant_id
		order by f.k, f.id
		limit ${limit + 1}`,
	);
	return pageOf(rows, limit, (r) => r.id);
}
