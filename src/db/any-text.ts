/** A column compared with a list of text values in one array parameter. */
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/**
 * `<column> = any($1::text[])`: true when the column equals one of `values`, sent as ONE
 * array parameter. Unlike `inArray` (a parameter per value) it takes any number of values
 * in one statement text, and unlike `lower(column) in (…)` it uses the column's index.
 */
export function equalsAnyText(column: SQLWrapper, values: string[]): SQL {
	return sql`${column} = any(${sql.param(values)}::text[])`;
}
