/**
 * Loading the directory (SPEC R-DIR-6, API.md "Directory import format").
 *
 * An import is all-or-nothing and idempotent: the document is validated as a whole (row
 * schemas, cross-row references, and conflicts with what the directory already holds),
 * then loaded in ONE transaction with upserts. Importing the same document twice changes
 * nothing; the summary counts each row as inserted, updated or unchanged by comparing it
 * with the row already stored. Nothing is ever deleted: rows the directory holds but the
 * document does not mention stay as they are.
 */
import { randomUUID } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { notifyAuthChanged } from "../auth/auth-cache.ts";
import { refreshClaimsOfProducts } from "../claims/claim-view.ts";
import { equalsAnyText } from "../db/any-text.ts";
import type { Db, Tx } from "../db/client.ts";
import {
	mpnIds,
	organizations,
	products,
	sessions,
	subscriptions,
	tenantDomains,
	tenants,
	usageRecords,
	users,
} from "../db/schema.ts";
import { DEFAULT_LOCALE, getCatalogProduct } from "../domain/catalog.ts";
import { DomainError, type FieldProblem } from "../domain/errors.ts";
import {
	checkImportReferences,
	IMPORT_SECTIONS,
	type ImportDocument,
} from "./import-schema.ts";
import {
	type ImportFormat,
	type LineOfPath,
	MAX_IMPORT_ERRORS,
	parseImport,
} from "./parse-import.ts";

/** Rows are written in batches of this many (one multi-row upsert per batch). */
export const IMPORT_BATCH_SIZE = 500;

/** What an import did to one kind of row. */
export interface SectionCounts {
	inserted: number;
	updated: number;
	unchanged: number;
}

/**
 * The result of an import: counts per kind of row. `partners` counts organizations,
 * `domains` tenant domains, `usage` monthly usage rows. `products` includes built-in
 * catalog products that the document refers to and the directory lacked (they are added).
 */
export interface ImportSummary {
	products: SectionCounts;
	partners: SectionCounts;
	mpnIds: SectionCounts;
	tenants: SectionCounts;
	domains: SectionCounts;
	subscriptions: SectionCounts;
	users: SectionCounts;
	usage: SectionCounts;
}

/** The kinds of row an import writes, in the order they are written. */
export type ImportProgressSection = keyof ImportSummary;

/** Options of {@link importDirectory} and {@link importDirectoryFile}. */
export interface ImportDirectoryOptions {
	/**
	 * Called after each batch: `done` rows of `total` (all rows of the document, every
	 * section, unchanged ones included) are through; `section` is the kind of row of the
	 * batch. The last call has `done === total`. Not called for a rejected document.
	 */
	onProgress?: (
		done: number,
		total: number,
		section: ImportProgressSection,
	) => void;
	/**
	 * Validate and load exactly as a real import (same transaction, same checks, same
	 * summary), then roll the transaction back: nothing is written.
	 */
	dryRun?: boolean;
}

/** Thrown at the end of a dry run's transaction to roll it back; carries the summary. */
class DryRunRollback extends Error {
	constructor(readonly summary: ImportSummary) {
		super("dry run: rolled back");
	}
}

/** An import file as uploaded or read from disk. */
export interface ImportFile {
	content: Buffer;
	/** Names a CSV file's section (`subscriptions.csv`); without one, the header does. */
	fileName?: string | undefined;
	/** Defaults to the file name's extension (`.json`, `.csv`), else to what the content looks like. */
	format?: ImportFormat;
}

/**
 * Validates a directory import document (API.md "Directory import format") and loads it
 * in one transaction (SPEC R-DIR-6). Order: products, partner organizations, MPN IDs,
 * tenants, domains, subscriptions, users, usage. Users' emails are lower-cased; a new
 * user gets a random UUID and an argon2 hash of its password; an existing user (same
 * email) keeps its ID, and keeps its password hash unless the password differs (then its
 * sessions end: they were signed in with the old password); its name, roles, locale,
 * organization and tenant are updated. Updated users are announced to every server
 * process (their cached credentials are dropped).
 *
 * @param doc the document as received (e.g. a parsed JSON body); validated here.
 * @returns counts per kind of row ({@link ImportSummary}).
 * @throws DomainError `validation_failed` (422) with every problem in `errors[]`
 *   (`path` like `subscriptions[12].channel`; codes from the row schemas, from
 *   `checkImportReferences`, plus `mpn_id_taken` when an MPN ID already belongs to another
 *   organization (SPEC R-DIR-1) and `domain_taken` when a domain already belongs to another
 *   tenant (SPEC R-DIR-3)). Nothing is written then; any other failure during the load
 *   rolls back the whole import too.
 */
export async function importDirectory(
	db: Db,
	doc: unknown,
	opts: ImportDirectoryOptions = {},
): Promise<ImportSummary> {
	return loadDocument(db, validateShape(doc), opts);
}

/**
 * Parses an import file (JSON: a whole document; CSV: one section, named by the file name
 * or recognised by its header) and imports it like {@link importDirectory}.
 *
 * @throws DomainError `validation_failed` with the file's parse errors (CSV errors carry
 *   the file's `line`), or with the errors of {@link importDirectory}. Nothing is loaded.
 */
export async function importDirectoryFile(
	db: Db,
	file: ImportFile,
	opts: ImportDirectoryOptions = {},
): Promise<ImportSummary> {
	return loadDocument(db, parseDirectoryFile(file), opts);
}

/**
 * The document of an import file, read as {@link importDirectoryFile} reads it, without a
 * database (`cpor import` checks the file before it opens one).
 * @throws DomainError `validation_failed` with the file's parse errors.
 */
export function parseDirectoryFile(file: ImportFile): ImportDocument {
	const format = file.format ?? formatOf(file.fileName, file.content);
	const parsed = parseImport({
		content: file.content,
		format,
		fileName: file.fileName,
	});
	if (!parsed.ok) throw validationFailed(parsed.errors);
	if (parsed.lineOf) fileLines.set(parsed.document, parsed.lineOf);
	return parsed.document;
}

/**
 * Where the rows of a document read from a CSV file are in it, so that the problems found
 * against the directory (an unknown tenant, a duplicate) name their line as the file's
 * own problems do.
 */
const fileLines = new WeakMap<ImportDocument, LineOfPath>();

/**
 * A problem of a CSV file's row with the row's `line`, and the rows its message refers
 * to (`already listed at products[0]`) named by their lines too.
 */
function withLine(problem: FieldProblem, lineOf: LineOfPath): FieldProblem {
	const line = lineOf(problem.path);
	const message = problem.message.replace(
		/\b[a-z]+\[\d+\](?:\.[A-Za-z]+(?:\[\d+\])?)*/g,
		(path) => {
			const at = lineOf(path);
			return at === undefined ? path : `line ${at}`;
		},
	);
	return { ...problem, message, ...(line !== undefined ? { line } : {}) };
}

/**
 * Imports a document that {@link parseDirectoryFile} returned, as {@link importDirectory}
 * does (without checking its shape again). @throws as {@link importDirectory}.
 */
export async function importParsedDirectory(
	db: Db,
	doc: ImportDocument,
	opts: ImportDirectoryOptions = {},
): Promise<ImportSummary> {
	return loadDocument(db, doc, opts);
}

/** The format named by a file's extension, else `json` when the content starts with `{` or `[`. */
function formatOf(fileName: string | undefined, content: Buffer): ImportFormat {
	const extension = /\.([^./\\]+)$/.exec(fileName ?? "")?.[1]?.toLowerCase();
	if (extension === "json") return "json";
	if (extension === "csv") return "csv";
	const start = content
		.subarray(0, 64)
		.toString("utf8")
		.replace(/^\uFEFF/, "")
		.trimStart();
	return start.startsWith("{") || start.startsWith("[") ? "json" : "csv";
}

/**
 * Runs the row schemas. The document goes through the JSON parser of parse-import.ts so
 * that a JSON body and a JSON file get exactly the same errors and messages.
 */
function validateShape(doc: unknown): ImportDocument {
	let text: string | undefined;
	try {
		text = JSON.stringify(doc ?? null);
	} catch (error) {
		throw validationFailed([
			{
				path: "",
				code: "invalid_json",
				message: `the document cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`,
			},
		]);
	}
	const parsed = parseImport({ content: text ?? "null", format: "json" });
	if (!parsed.ok) throw validationFailed(parsed.errors);
	return parsed.document;
}

/**
 * The `validation_failed` error for a list of problems: "The import has N invalid rows;
 * nothing was loaded." A problem names a row when its path has one (`subscriptions[3]`)
 * or it is a CSV line that could not be read; the others (an unknown section, a header's
 * column, an empty file) are the file's and are counted apart ("… and 1 other problem"),
 * not as rows.
 */
function validationFailed(errors: FieldProblem[]): DomainError {
	const rows = new Set<string>();
	let others = 0;
	for (const error of errors) {
		const row =
			/^[A-Za-z]+\[\d+\]/.exec(error.path)?.[0] ??
			(error.code === "invalid_csv" &&
			error.line !== undefined &&
			error.path !== ""
				? `line ${error.line}`
				: undefined);
		if (row === undefined) others++;
		else rows.add(row);
	}
	const count = (n: number, one: string, many: string) =>
		`${n} ${n === 1 ? one : many}`;
	const what =
		rows.size === 0
			? count(Math.max(others, 1), "problem", "problems")
			: others === 0
				? count(rows.size, "invalid row", "invalid rows")
				: `${count(rows.size, "invalid row", "invalid rows")} and ${count(others, "other problem", "other problems")}`;
	let shown = errors;
	if (errors.length > MAX_IMPORT_ERRORS) {
		shown = errors.slice(0, MAX_IMPORT_ERRORS - 1);
		shown.push({
			path: "",
			code: "too_many_errors",
			message: `${errors.length - shown.length} more errors are not shown; fix these and import again`,
		});
	}
	return new DomainError(
		"validation_failed",
		`The import has ${what}; nothing was loaded.`,
		shown,
	);
}

const emptyCounts = (): SectionCounts => ({
	inserted: 0,
	updated: 0,
	unchanged: 0,
});

function emptySummary(): ImportSummary {
	return {
		products: emptyCounts(),
		partners: emptyCounts(),
		mpnIds: emptyCounts(),
		tenants: emptyCounts(),
		domains: emptyCounts(),
		subscriptions: emptyCounts(),
		users: emptyCounts(),
		usage: emptyCounts(),
	};
}

/** `excluded.<column>`: the value proposed for insertion, in an upsert's SET. */
function excluded(column: PgColumn): SQL {
	return sql`excluded.${sql.identifier(column.name)}`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** One row to load: its `values` for the table and what loading it does. */
interface Planned<T> {
	values: T;
	state: "inserted" | "updated" | "unchanged";
}

/** Validates against the stored directory and loads a schema-valid document, all in one transaction. */
async function loadDocument(
	db: Db,
	doc: ImportDocument,
	opts: ImportDirectoryOptions,
): Promise<ImportSummary> {
	try {
		return await loadInTransaction(db, doc, opts);
	} catch (error) {
		if (error instanceof DryRunRollback) return error.summary;
		throw error;
	}
}

/** {@link loadDocument}'s transaction; a dry run throws {@link DryRunRollback} at its end. */
async function loadInTransaction(
	db: Db,
	doc: ImportDocument,
	opts: ImportDirectoryOptions,
): Promise<ImportSummary> {
	return db.transaction(async (tx) => {
		const plan = await planImport(tx, doc);
		const summary = emptySummary();
		const total = plan.sections.reduce(
			(sum, section) => sum + section.rows.length,
			0,
		);
		let done = 0;
		for (const section of plan.sections) {
			const counts = summary[section.name];
			for (
				let start = 0;
				start < section.rows.length;
				start += IMPORT_BATCH_SIZE
			) {
				const batch = section.rows.slice(start, start + IMPORT_BATCH_SIZE);
				const rows = await section.prepare(batch);
				const changed = rows.filter((row) => row.state !== "unchanged");
				for (const row of rows) counts[row.state]++;
				if (changed.length > 0)
					await section.write(changed.map((row) => row.values));
				done += batch.length;
				opts.onProgress?.(done, total, section.name);
			}
		}
		if (opts.dryRun) throw new DryRunRollback(summary);
		// Updated users may have other roles or organizations: every server process
		// forgets the credentials it resolved (delivered at commit; auth-cache.ts).
		if (summary.users.updated > 0) await notifyAuthChanged(tx);
		return summary;
	});
}

/** One kind of row: the rows to load, how to finish a batch (hash passwords), how to write it. */
interface SectionPlan {
	name: ImportProgressSection;
	rows: unknown[];
	prepare: (batch: unknown[]) => Promise<Planned<unknown>[]>;
	write: (values: unknown[]) => Promise<unknown>;
}

/** A section whose rows are all planned up front. */
function section<T>(
	name: ImportProgressSection,
	rows: Planned<T>[],
	write: (values: T[]) => Promise<unknown>,
): SectionPlan {
	return {
		name,
		rows,
		prepare: async (batch) => batch as Planned<unknown>[],
		write: (values) => write(values as T[]),
	};
}

/**
 * Loads what the directory holds for the document's keys, checks the document against it
 * (throwing `validation_failed`), and plans every row as inserted, updated or unchanged.
 */
async function planImport(
	tx: Tx,
	doc: ImportDocument,
): Promise<{ sections: SectionPlan[] }> {
	// Only what the directory holds under the document's keys (and the catalog): a
	// seven-row import into a directory of 200,000 partners read every organization, MPN
	// ID, tenant, domain, subscription and user (5.3 s and 946 MB of memory).
	const keys = documentKeys(doc);
	const [
		storedProducts,
		storedOrganizations,
		storedMpnIds,
		storedTenants,
		storedDomains,
		storedSubscriptions,
		storedUsers,
		storedUsage,
	] = [
		await tx.select().from(products),
		await keyed(tx, organizations, organizations.id, keys.organizationIds),
		await keyed(tx, mpnIds, mpnIds.mpnId, keys.mpnIds),
		await keyed(tx, tenants, tenants.tenantId, keys.tenantIds),
		await keyed(tx, tenantDomains, tenantDomains.domain, keys.domains),
		await keyed(
			tx,
			subscriptions,
			subscriptions.subscriptionId,
			keys.subscriptionIds,
		),
		await keyed(tx, users, users.email, keys.emails),
		doc.usage?.length
			? await tx
					.select()
					.from(usageRecords)
					.where(
						sql`(${usageRecords.tenantId}, ${usageRecords.productId}, ${usageRecords.month}) in (select * from unnest(${sql.param(doc.usage.map((u) => u.tenantId))}::text[], ${sql.param(doc.usage.map((u) => u.productId))}::text[], ${sql.param(doc.usage.map((u) => u.month))}::text[]))`,
					)
			: [],
	];

	const productById = new Map(
		storedProducts.map((row) => [row.productId, row]),
	);
	const organizationById = new Map(
		storedOrganizations.map((row) => [row.id, row]),
	);
	const mpnById = new Map(storedMpnIds.map((row) => [row.mpnId, row]));
	const tenantById = new Map(storedTenants.map((row) => [row.tenantId, row]));
	const domainByName = new Map(storedDomains.map((row) => [row.domain, row]));
	const subscriptionById = new Map(
		storedSubscriptions.map((row) => [row.subscriptionId, row]),
	);
	const userByEmail = new Map(storedUsers.map((row) => [row.email, row]));
	const usageKey = (row: {
		tenantId: string;
		productId: string;
		month: string;
	}) => `${row.tenantId}|${row.productId}|${row.month}`;
	const usageByKey = new Map(storedUsage.map((row) => [usageKey(row), row]));

	// Validation against the stored directory (SPEC R-DIR-1, R-DIR-3, R-DIR-6).
	const problems: FieldProblem[] = checkImportReferences(doc, {
		productIds: productById.keys(),
		organizationIds: organizationById.keys(),
		tenantIds: tenantById.keys(),
	});
	(doc.partners ?? []).forEach((partner, i) => {
		partner.mpnIds.forEach((mpn, j) => {
			const stored = mpnById.get(mpn.mpnId);
			if (
				stored !== undefined &&
				stored.organizationId !== partner.organizationId
			) {
				problems.push({
					path: `partners[${i}].mpnIds[${j}].mpnId`,
					code: "mpn_id_taken",
					message: `MPN ID ${mpn.mpnId} belongs to organization ${stored.organizationId}; an MPN ID cannot move to another organization (SPEC R-DIR-1)`,
				});
			}
		});
	});
	(doc.tenants ?? []).forEach((tenant, i) => {
		tenant.domains.forEach((domain, j) => {
			const stored = domainByName.get(domain);
			if (stored !== undefined && stored.tenantId !== tenant.tenantId) {
				problems.push({
					path: `tenants[${i}].domains[${j}]`,
					code: "domain_taken",
					message: `domain ${domain} belongs to tenant ${stored.tenantId}; a domain belongs to one tenant (SPEC R-DIR-3)`,
				});
			}
		});
	});
	if (problems.length > 0) {
		problems.sort((a, b) => comparePaths(a.path, b.path));
		const lineOf = fileLines.get(doc);
		throw validationFailed(
			lineOf ? problems.map((p) => withLine(p, lineOf)) : problems,
		);
	}

	// Products: the document's, plus built-in catalog products it refers to that are missing.
	type ProductRow = typeof products.$inferInsert;
	const productRows: ProductRow[] = (doc.products ?? []).map((p) => ({
		productId: p.productId,
		name: p.name,
		solutionArea: p.solutionArea,
		dynamics: p.dynamics,
	}));
	const listed = new Set(productRows.map((p) => p.productId));
	for (const ref of [...(doc.subscriptions ?? []), ...(doc.usage ?? [])]) {
		if (listed.has(ref.productId) || productById.has(ref.productId)) continue;
		const catalog = getCatalogProduct(ref.productId);
		if (catalog === undefined) continue;
		listed.add(ref.productId);
		productRows.push({
			productId: catalog.productId,
			name: catalog.name,
			solutionArea: catalog.solutionArea,
			dynamics: catalog.dynamics,
		});
	}
	const plannedProducts = productRows.map((values): Planned<ProductRow> => {
		const stored = productById.get(values.productId);
		if (stored === undefined) return { values, state: "inserted" };
		const same =
			stored.name === values.name &&
			stored.solutionArea === values.solutionArea &&
			stored.dynamics === values.dynamics;
		return { values, state: same ? "unchanged" : "updated" };
	});

	const updatedProducts = new Set(
		plannedProducts
			.filter((p) => p.state === "updated")
			.map((p) => p.values.productId),
	);

	type OrganizationRow = typeof organizations.$inferInsert;
	const plannedOrganizations = (doc.partners ?? []).map(
		(p): Planned<OrganizationRow> => {
			const values = { id: p.organizationId, name: p.name };
			const stored = organizationById.get(values.id);
			if (stored === undefined) return { values, state: "inserted" };
			return {
				values,
				state: stored.name === values.name ? "unchanged" : "updated",
			};
		},
	);

	type MpnRow = typeof mpnIds.$inferInsert & {
		programs: string[];
		partnerTypes: string[];
	};
	const plannedMpnIds = (doc.partners ?? []).flatMap((p) =>
		p.mpnIds.map((m): Planned<MpnRow> => {
			const values = {
				mpnId: m.mpnId,
				organizationId: p.organizationId,
				programs: [...m.programs],
				partnerTypes: [...m.partnerTypes],
			};
			const stored = mpnById.get(values.mpnId);
			if (stored === undefined) return { values, state: "inserted" };
			const same =
				sameList(stored.programs, values.programs) &&
				sameList(stored.partnerTypes, values.partnerTypes);
			return { values, state: same ? "unchanged" : "updated" };
		}),
	);

	type TenantRow = typeof tenants.$inferInsert;
	const plannedTenants = (doc.tenants ?? []).map((t): Planned<TenantRow> => {
		const values = { tenantId: t.tenantId, name: t.name };
		const stored = tenantById.get(values.tenantId);
		if (stored === undefined) return { values, state: "inserted" };
		return {
			values,
			state: stored.name === values.name ? "unchanged" : "updated",
		};
	});

	type DomainRow = typeof tenantDomains.$inferInsert;
	const plannedDomains = (doc.tenants ?? []).flatMap((t) =>
		t.domains.map(
			(domain): Planned<DomainRow> => ({
				values: { domain, tenantId: t.tenantId },
				// A stored domain of another tenant was rejected above.
				state: domainByName.has(domain) ? "unchanged" : "inserted",
			}),
		),
	);

	type SubscriptionRow = typeof subscriptions.$inferInsert;
	const plannedSubscriptions = (doc.subscriptions ?? []).map(
		(s): Planned<SubscriptionRow> => {
			const values = {
				subscriptionId: s.subscriptionId,
				tenantId: s.tenantId,
				productId: s.productId,
				channel: s.channel,
				status: s.status,
				provisioned: s.provisioned,
			};
			const stored = subscriptionById.get(values.subscriptionId);
			if (stored === undefined) return { values, state: "inserted" };
			const same =
				stored.tenantId === values.tenantId &&
				stored.productId === values.productId &&
				stored.channel === values.channel &&
				stored.status === values.status &&
				stored.provisioned === values.provisioned;
			return { values, state: same ? "unchanged" : "updated" };
		},
	);

	type UsageRow = typeof usageRecords.$inferInsert;
	const plannedUsage = (doc.usage ?? []).map((u): Planned<UsageRow> => {
		const values = {
			tenantId: u.tenantId,
			productId: u.productId,
			month: u.month,
			monthlyActiveUsers: u.monthlyActiveUsers,
			paidAvailableUnits: u.paidAvailableUnits,
		};
		const stored = usageByKey.get(usageKey(values));
		if (stored === undefined) return { values, state: "inserted" };
		const same =
			stored.monthlyActiveUsers === values.monthlyActiveUsers &&
			stored.paidAvailableUnits === values.paidAvailableUnits;
		return { values, state: same ? "unchanged" : "updated" };
	});

	// Users: passwords are hashed (or verified against the stored hash) a batch at a time.
	type UserRow = typeof users.$inferInsert;
	// Users whose password the import changes: their sessions end (signed in with the old one).
	const passwordChanged = new Set<string>();
	const prepareUsers = async (batch: unknown[]): Promise<Planned<unknown>[]> =>
		Promise.all(
			(batch as NonNullable<ImportDocument["users"]>).map(
				async (u): Promise<Planned<UserRow>> => {
					const stored = userByEmail.get(u.email);
					const organizationId = u.organizationId ?? null;
					const tenantId = u.tenantId ?? null;
					if (stored === undefined) {
						return {
							state: "inserted",
							values: {
								id: randomUUID(),
								email: u.email,
								name: u.name,
								passwordHash: await hash(u.password),
								organizationId,
								tenantId,
								roles: [...u.roles],
								locale: u.locale ?? DEFAULT_LOCALE,
							},
						};
					}
					// Left out, the language stays the user's own (PATCH /me may have set it).
					const locale = u.locale ?? stored.locale;
					const samePassword = await verify(
						stored.passwordHash,
						u.password,
					).catch(() => false);
					const same =
						samePassword &&
						stored.name === u.name &&
						stored.organizationId === organizationId &&
						stored.tenantId === tenantId &&
						sameList(stored.roles, u.roles) &&
						stored.locale === locale;
					if (!samePassword) passwordChanged.add(stored.id);
					return {
						state: same ? "unchanged" : "updated",
						values: {
							id: stored.id,
							email: u.email,
							name: u.name,
							passwordHash: samePassword
								? stored.passwordHash
								: await hash(u.password),
							organizationId,
							tenantId,
							roles: [...u.roles],
							locale,
						},
					};
				},
			),
		);

	const sections: SectionPlan[] = [
		section("products", plannedProducts, async (values) => {
			await upsert(
				tx,
				products,
				values,
				[products.productId],
				[products.name, products.solutionArea, products.dynamics],
			);
			// Claims show their products' names (and keep a copy of them, schema.ts). Every
			// updated product, not only a renamed one: a concurrent import may have renamed
			// it after this one read it, and this one writes the name it read.
			const ids = values
				.map((v) => v.productId)
				.filter((id) => updatedProducts.has(id));
			if (ids.length > 0) await refreshClaimsOfProducts(tx, ids);
		}),
		section("partners", plannedOrganizations, (values) =>
			upsert(
				tx,
				organizations,
				values,
				[organizations.id],
				[organizations.name],
			),
		),
		section("mpnIds", plannedMpnIds, (values) =>
			// The organization is not updated: an MPN ID never moves (checked above).
			upsert(
				tx,
				mpnIds,
				values,
				[mpnIds.mpnId],
				[mpnIds.programs, mpnIds.partnerTypes],
			),
		),
		section("tenants", plannedTenants, (values) =>
			upsert(tx, tenants, values, [tenants.tenantId], [tenants.name]),
		),
		section("domains", plannedDomains, (values) =>
			upsert(tx, tenantDomains, values, [tenantDomains.domain], []),
		),
		section("subscriptions", plannedSubscriptions, (values) =>
			upsert(
				tx,
				subscriptions,
				values,
				[subscriptions.subscriptionId],
				[
					subscriptions.tenantId,
					subscriptions.productId,
					subscriptions.channel,
					subscriptions.status,
					subscriptions.provisioned,
				],
			),
		),
		{
			name: "users",
			rows: doc.users ?? [],
			prepare: prepareUsers,
			write: async (values) => {
				await upsert(
					tx,
					users,
					values as UserRow[],
					[users.email],
					[
						users.name,
						users.passwordHash,
						users.organizationId,
						users.tenantId,
						users.roles,
						users.locale,
					],
				);
				const ended = (values as UserRow[])
					.map((v) => v.id as string)
					.filter((id) => passwordChanged.has(id));
				if (ended.length > 0)
					await tx.delete(sessions).where(inArray(sessions.userId, ended));
			},
		},
		section("usage", plannedUsage, (values) =>
			upsert(
				tx,
				usageRecords,
				values,
				[usageRecords.tenantId, usageRecords.productId, usageRecords.month],
				[usageRecords.monthlyActiveUsers, usageRecords.paidAvailableUnits],
			),
		),
	];
	return { sections };
}

/** The keys a document names or refers to, per table (each once). */
function documentKeys(doc: ImportDocument) {
	const unique = (values: (string | undefined)[]) => [
		...new Set(values.filter((v): v is string => v !== undefined)),
	];
	const partners = doc.partners ?? [];
	const docTenants = doc.tenants ?? [];
	const docUsers = doc.users ?? [];
	return {
		// Users refer to organizations and tenants; subscriptions and usage to tenants.
		organizationIds: unique([
			...partners.map((p) => p.organizationId),
			...docUsers.map((u) => u.organizationId),
		]),
		mpnIds: unique(partners.flatMap((p) => p.mpnIds.map((m) => m.mpnId))),
		tenantIds: unique([
			...docTenants.map((t) => t.tenantId),
			...(doc.subscriptions ?? []).map((s) => s.tenantId),
			...(doc.usage ?? []).map((u) => u.tenantId),
			...docUsers.map((u) => u.tenantId),
		]),
		domains: unique(docTenants.flatMap((t) => t.domains)),
		subscriptionIds: unique(
			(doc.subscriptions ?? []).map((s) => s.subscriptionId),
		),
		emails: unique(docUsers.map((u) => u.email)),
	};
}

/**
 * The rows of `table` whose `key` column is one of `values`, in one statement with one
 * array parameter (a document may name more keys than a statement takes parameters).
 */
async function keyed<T extends PgTable>(
	tx: Tx,
	table: T,
	key: PgColumn,
	values: string[],
): Promise<T["$inferSelect"][]> {
	if (values.length === 0) return [];
	return (await tx
		.select()
		.from(table as PgTable)
		.where(equalsAnyText(key, values))) as T["$inferSelect"][];
}

/**
 * `INSERT … ON CONFLICT (target) DO UPDATE SET col = excluded.col` (or `DO NOTHING` when
 * there is nothing to update): safe even if another import inserted the row meanwhile.
 */
async function upsert<T extends PgTable>(
	tx: Tx,
	table: T,
	values: T["$inferInsert"][],
	target: PgColumn[],
	update: PgColumn[],
): Promise<void> {
	const insert = tx.insert(table).values(values);
	if (update.length === 0) {
		await insert.onConflictDoNothing({ target });
		return;
	}
	const set: Record<string, SQL> = {};
	for (const column of update) set[columnKey(table, column)] = excluded(column);
	await insert.onConflictDoUpdate({ target, set: set as never });
}

/** The property name of a column on its table object (Drizzle's SET keys are property names). */
function columnKey(table: PgTable, column: PgColumn): string {
	for (const [key, value] of Object.entries(table)) {
		if (value === column) return key;
	}
	throw new Error(`column ${column.name} is not a column of this table`);
}

/** Orders error paths by section, then row number (`subscriptions[2]` before `subscriptions[10]`). */
function comparePaths(a: string, b: string): number {
	const key = (path: string) => {
		const match = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(path);
		return { section: match?.[1] ?? path, row: Number(match?.[2] ?? -1) };
	};
	const ka = key(a);
	const kb = key(b);
	if (ka.section !== kb.section) {
		return sectionOrder(ka.section) - sectionOrder(kb.section);
	}
	return ka.row - kb.row || (a < b ? -1 : a > b ? 1 : 0);
}

function sectionOrder(section: string): number {
	const index = (IMPORT_SECTIONS as readonly string[]).indexOf(section);
	return index === -1 ? IMPORT_SECTIONS.length : index;
}
