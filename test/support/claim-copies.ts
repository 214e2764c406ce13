/**
 * Many claims fast, for tests of large partners: copies of one claim and its product
 * lines made in SQL (two statements), each line on keys of its own so R-CMP-1 and
 * R-CMP-2 hold. The copies' resource copy is marked stale (the reads build it).
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../../src/db/client.ts";

/**
 * Inserts `count` copies of claim `id` with IDs `${prefix}1` … `${prefix}${count}`, and
 * of its product lines. Remove them with {@link deleteClaimCopies}.
 */
export async function copyClaim(
	db: Queryable,
	id: string,
	count: number,
	prefix: string,
): Promise<void> {
	// (LATERAL: `(f(row)).*` would call f once per column.)
	await db.execute(sql`insert into claims select r.*
		from claims c cross join generate_series(1, ${count}::int) g
		cross join lateral jsonb_populate_record(null::claims, to_jsonb(c)
			|| jsonb_build_object('id', ${prefix} || g, 'resource_version', null)) r
		where c.id = ${id}`);
	await db.execute(sql`insert into claim_products select r.*
		from claim_products p cross join generate_series(1, ${count}::int) g
		cross join lateral jsonb_populate_record(null::claim_products, to_jsonb(p)
			|| jsonb_build_object('claim_id', ${prefix} || g,
				'claim_key', p.claim_key || '#' || g, 'compete_key', p.compete_key || '#' || g)) r
		where p.claim_id = ${id}`);
}

/** Deletes the copies {@link copyClaim} made with `prefix` (their lines go with them). */
export async function deleteClaimCopies(
	db: Queryable,
	prefix: string,
): Promise<void> {
	await db.execute(sql`delete from claims where id like ${`${prefix}%`}`);
}
