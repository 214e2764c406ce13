/**
 * Statements rendered once per shape. Drizzle renders a statement's SQL text and
 * parameters from its builders on every call; for a claim write (a claim's INSERT or
 * UPDATE with its history row and events, src/claims/history.ts) that cost more of the
 * server's CPU than any other Drizzle call (docs/performance.md, session 24). A
 * {@link ShapedPart} separates what the text depends on (its `key`) from the values: its
 * `build` writes the part with a placeholder for every value, so the text rendered for
 * one key is the text of every statement of that key, and only the values are filled in
 * per call. Drizzle still writes the SQL (its builders and dialect, once per shape).
 */
import {
	and,
	eq,
	getTableColumns,
	is,
	Param,
	Placeholder,
	SQL,
	type SQLWrapper,
	sql,
} from "drizzle-orm";
import { type PgColumn, PgDialect, type PgTable } from "drizzle-orm/pg-core";
import { LRUCache } from "lru-cache";
import type { Queryable } from "./client.ts";

/**
 * The placeholder of value `key` of values row `row` of a part (see
 * {@link ShapedPart.values}).
 */
export type PartPlaceholder = (row: number, key: string) => Placeholder;

/**
 * A part of a statement whose SQL text depends only on `key`. `build` must write the part
 * from the key's facts alone, with `p(row, key)` wherever a value goes: it runs only
 * when the shape is new, and every later call with the same key gets its text with this
 * call's `values` (`values[row][key]`; a value that is `undefined` is an error, `null`
 * is SQL NULL). `key` undefined: a shape that is not kept (rendered on each call).
 */
export interface ShapedPart {
	key: string | undefined;
	build(q: Queryable, p: PartPlaceholder): SQLWrapper;
	values: readonly Readonly<Record<string, unknown>>[];
}

/** One value's way from a call's parts into the statement's parameters. */
type Filler = (parts: readonly ShapedPart[]) => unknown;

/** A rendered shape: its text and how each parameter is filled. */
interface Rendered {
	text: string;
	fillers: Filler[];
}

/**
 * Shapes kept at most: claim writes have one per action, set of written columns and
 * number of rows in their parts (product lines, comments, events), a few dozen in use.
 */
const MAX_SHAPES = 200;
const shapes = new LRUCache<string, Rendered>({ max: MAX_SHAPES });
const dialect = new PgDialect();

/** The separator of a placeholder's name: `part/row/key`. */
const SEP = "/";

/**
 * Runs the statement `compose` makes from the parts' SQL (each part's `build`), rendered
 * once per `key` and parts' keys ({@link renderShaped}). Returns what Drizzle's `execute`
 * returns for the statement.
 * @throws Error when a value a placeholder needs is missing (before anything runs); the
 * database's errors as `execute` throws them.
 */
export async function executeShaped(
	q: Queryable,
	key: string,
	parts: readonly ShapedPart[],
	compose: (parts: readonly SQL[]) => SQL,
): Promise<unknown> {
	return q._.session
		.prepareQuery(
			renderShaped(q, key, parts, compose),
			undefined,
			undefined,
			false,
		)
		.execute();
}

/**
 * The SQL text and parameters of the statement `compose` makes from the parts' SQL: the
 * text as Drizzle rendered it for the first call with this `key` and these parts' keys
 * (`compose` must depend on nothing but `key` and the parts it is given), the parameters
 * from this call's values. A part whose key is undefined makes the statement rendered
 * now and not kept.
 * @throws Error when a value a placeholder needs is missing.
 */
export function renderShaped(
	q: Queryable,
	key: string,
	parts: readonly ShapedPart[],
	compose: (parts: readonly SQL[]) => SQL,
): { sql: string; params: unknown[] } {
	let shapeKey: string | undefined = key;
	for (const part of parts) {
		if (part.key === undefined) {
			shapeKey = undefined;
			break;
		}
		shapeKey += `\u0000${part.key}`;
	}
	let rendered = shapeKey === undefined ? undefined : shapes.get(shapeKey);
	if (!rendered) {
		rendered = render(q, parts, compose);
		if (shapeKey !== undefined) shapes.set(shapeKey, rendered);
	}
	return {
		sql: rendered.text,
		params: rendered.fillers.map((fill) => fill(parts)),
	};
}

/**
 * The placeholders of part number `part` of a shaped statement: for a `compose` that
 * writes a part's values itself (e.g. a part with an empty `build`).
 */
export function partPlaceholder(part: number): PartPlaceholder {
	return (row, key) => sql.placeholder(`${part}${SEP}${row}${SEP}${key}`);
}

/** Renders the statement with placeholders and works out how to fill each parameter. */
function render(
	q: Queryable,
	parts: readonly ShapedPart[],
	compose: (parts: readonly SQL[]) => SQL,
): Rendered {
	const built = parts.map((part, i) =>
		part.build(q, partPlaceholder(i)).getSQL(),
	);
	const query = dialect.sqlToQuery(compose(built));
	return { text: query.sql, fillers: query.params.map(fillerOf) };
}

/** How a rendered parameter gets its value: a placeholder's from the parts, else itself. */
function fillerOf(param: unknown): Filler {
	if (is(param, Param) && is(param.value, Placeholder)) {
		const { encoder } = param;
		const at = valueAt(param.value.name);
		return (parts) => {
			const value = at(parts);
			if (value === null) return null;
			const mapped = encoder.mapToDriverValue(value);
			if (mapped instanceof SQL)
				throw new Error(
					"a shaped statement's value maps to SQL: write that column unshaped",
				);
			return mapped;
		};
	}
	if (is(param, Placeholder)) return valueAt(param.name);
	return () => param;
}

/** Reads placeholder `name`'s value (`part/row/key`) from a call's parts. */
function valueAt(name: string): Filler {
	const [part, row, key] = name.split(SEP);
	const p = Number(part);
	const r = Number(row);
	if (!Number.isInteger(p) || !Number.isInteger(r) || key === undefined)
		throw new Error(`not a shaped placeholder: ${name}`);
	return (parts) => {
		const value = parts[p]?.values[r]?.[key];
		if (value === undefined)
			throw new Error(`no value for placeholder ${name} of a shaped statement`);
		return value;
	};
}

/**
 * An INSERT of `rows` into `table` as a shaped part: its shape is the table and each
 * row's defined keys (an `undefined` value is left to the column's default, as in
 * Drizzle's `values()`). Values go as parameters; a row with an SQL value makes the
 * part unshaped (rendered per call).
 */
export function shapedInsert(
	table: PgTable,
	rows: readonly Readonly<Record<string, unknown>>[],
): ShapedPart {
	const keys = rows.map((row) =>
		Object.keys(row).filter((k) => row[k] !== undefined),
	);
	let key: string | undefined = `insert ${tableId(table)}`;
	rows.forEach((row, i) => {
		const rowKeys = keys[i] as string[];
		if (rowKeys.some((k) => row[k] instanceof SQL)) key = undefined;
		else if (key !== undefined) key += `|${rowKeys.join(",")}`;
	});
	return {
		key,
		values: rows,
		build: (q, p) =>
			q
				.insert(table)
				.values(
					rows.map((row, i) =>
						Object.fromEntries(
							(keys[i] as string[]).map((k) => [
								k,
								row[k] instanceof SQL ? row[k] : p(i, k),
							]),
						),
					) as never,
				),
	};
}

/**
 * An UPDATE of `table` as a shaped part: SET `set` (each key a column key; an SQL value
 * must be a {@link shapeConstant}, else the part is unshaped) WHERE each column of
 * `match` equals its value, RETURNING the columns `returning` names (by key). Values
 * rows: `set`, then `match`.
 */
export function shapedUpdate(
	table: PgTable,
	set: Readonly<Record<string, unknown>>,
	match: Readonly<Record<string, unknown>>,
	returning: readonly string[] = [],
): ShapedPart {
	const setKeys = Object.keys(set).filter((k) => set[k] !== undefined);
	const matchKeys = Object.keys(match);
	let key: string | undefined = `update ${tableId(table)}|`;
	for (const k of setKeys) {
		const value = set[k];
		const shape = value instanceof SQL ? sqlConstants.get(value) : "$";
		if (shape === undefined) {
			key = undefined;
			break;
		}
		key += `${k}=${shape},`;
	}
	if (key !== undefined)
		key += `|${matchKeys.join(",")}|${returning.join(",")}`;
	return {
		key,
		values: [set, match],
		build: (q, p) => {
			const columns = getTableColumns(table) as Record<string, PgColumn>;
			const column = (k: string): PgColumn => {
				const c = columns[k];
				if (!c) throw new Error(`no column ${k} in ${tableId(table)}`);
				return c;
			};
			const update = q
				.update(table)
				.set(
					Object.fromEntries(
						setKeys.map((k) => {
							const value = set[k];
							return [k, value instanceof SQL ? value : p(0, k)];
						}),
					),
				)
				.where(
					and(
						...matchKeys.map((k) =>
							eq(column(k), new Param(p(1, k), column(k))),
						),
					),
				);
			return returning.length
				? update.returning(
						Object.fromEntries(returning.map((k) => [k, column(k)])),
					)
				: update;
		},
	};
}

/**
 * Names of SQL values that may stand in a shaped part (e.g. `version + 1` in an UPDATE's
 * SET): a part with one of these keeps its shape, with any other SQL value it is
 * rendered per call.
 */
const sqlConstants = new Map<SQL, string>();

/** Registers an SQL value as a constant of shapes ({@link sqlConstants}); returns it. */
export function shapeConstant<T extends SQL>(name: string, value: T): T {
	sqlConstants.set(value, name);
	return value;
}

const tableIds = new WeakMap<PgTable, string>();
/** A table's name in a shape (its SQL name; tables are few and fixed). */
function tableId(table: PgTable): string {
	let id = tableIds.get(table);
	if (!id) {
		id = dialect.sqlToQuery(sql`${table}`).sql;
		tableIds.set(table, id);
	}
	return id;
}
