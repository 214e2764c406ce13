/**
 * Newest-first pages of a small owned list (an organization's webhook subscriptions, a
 * user's API tokens): API.md's cursor pagination, ordered by `created_at` then `id`,
 * both descending.
 *
 * The cursor names the last listed row's ID; its position is read from that row in the
 * same statement, so the timestamp keeps PostgreSQL's microseconds (a JavaScript date
 * would round it to milliseconds and list a row twice). The rows are never deleted, only
 * marked (revoked, deleted), so a cursor's row is always there to be read; a cursor that
 * names no row of the caller's reads an empty last page.
 */
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { decodeCursor, encodeCursor, stringsOf } from "../domain/cursor.ts";

/** Rows per page when the client gives no `limit`. */
export const NEWEST_FIRST_PAGE = 50;

/** A table with the columns {@link newestFirst} orders by, and whose rows the caller owns. */
export interface NewestFirstTable {
	table: PgTable;
	createdAt: PgColumn;
	id: PgColumn;
	/**
	 * The caller's rows (e.g. its user's): the cursor's row is looked up among them only,
	 * so a cursor naming another owner's row reads nothing and tells nothing of it.
	 */
	owned: SQL;
}

/** What a client asks for: `limit` rows (1–200, default 50) after `cursor`. */
export interface NewestFirstQuery {
	limit?: number | undefined;
	cursor?: string | undefined;
}

/**
 * The pieces of a newest-first page's statement: the condition that starts after the
 * cursor's row (undefined for the first page), the order, and the rows to read (one
 * more than the page, which tells whether another page follows).
 * @throws `validation_failed` (`cursor`, `invalid_cursor`) for a cursor this API did not
 *   issue.
 */
export function newestFirst(
	{ table, createdAt, id, owned }: NewestFirstTable,
	query: NewestFirstQuery,
): { after: SQL | undefined; orderBy: SQL[]; read: number; limit: number } {
	const limit = query.limit ?? NEWEST_FIRST_PAGE;
	let after: SQL | undefined;
	if (query.cursor !== undefined) {
		const [cursorId] = decodeCursor(query.cursor, stringsOf(1));
		// The inner table's name shadows the outer one's: its columns are the cursor row's.
		after = sql`(${createdAt}, ${id}) < (select ${createdAt}, ${id} from ${table} where ${id} = ${cursorId} and ${owned})`;
	}
	return {
		after,
		orderBy: [sql`${createdAt} desc`, sql`${id} desc`],
		read: limit + 1,
		limit,
	};
}

/** The page of rows read with {@link newestFirst}: at most `limit`, and the next cursor. */
export function newestFirstPage<Row extends { id: string }>(
	rows: readonly Row[],
	limit: number,
): { rows: Row[]; nextCursor: string | null } {
	const page = rows.slice(0, limit);
	const last = page.at(-1);
	return {
		rows: page,
		nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
	};
}
