/**
 * Parsing of directory import files (API.md "Directory import format", SPEC R-DIR-6).
 *
 * JSON: one document with any of the sections. CSV: one file per section, columns named as
 * the JSON fields, list cells separated by `;`, partners as one row per MPN ID. The result is
 * a validated document or every error of the file (up to MAX_IMPORT_ERRORS), each naming its
 * place (`subscriptions[12].channel`) and, for CSV, its line. Never throws on bad input.
 * Cross-row checks (unknown tenants, duplicates) are `checkImportReferences`' job.
 */
import { parse as parseCsv } from "csv-parse/sync";
import type * as z from "zod";
import {
	IMPORT_SECTIONS,
	type ImportDocument,
	type ImportSection,
	importDocumentSchema,
} from "./import-schema.ts";

export type ImportFormat = "json" | "csv";

export interface ParseImportInput {
	content: Buffer | string;
	format: ImportFormat;
	/** The section of a CSV file; inferred from `fileName`, then from the header, when absent. */
	section?: ImportSection;
	fileName?: string;
}

/** One error of an import file; `line` is 1-based (CSV header = line 1) when known. */
export interface ImportError {
	path: string;
	line?: number;
	code: string;
	message: string;
}

/**
 * The 1-based line of a CSV file where the row at a document path starts
 * (`subscriptions[1].tenantId` → 3), or undefined for a path that names no row.
 */
export type LineOfPath = (path: string) => number | undefined;

export type ParseImportResult =
	| {
			ok: true;
			document: ImportDocument;
			/** CSV: where each row of the document is in the file. */
			lineOf?: LineOfPath;
	  }
	| { ok: false; errors: ImportError[] };

/** A document path's segments: `partners[0].mpnIds[1].mpnId` → partners, 0, mpnIds, 1, mpnId. */
function pathSegments(path: string): (string | number)[] {
	return (path.match(/[^.[\]]+/g) ?? []).map((s) =>
		/^\d+$/.test(s) ? Number(s) : s,
	);
}

/** At most this many errors are reported for one file; the last one then says how many were left out. */
export const MAX_IMPORT_ERRORS = 1000;

type ColumnKind = "string" | "list" | "boolean" | "number";

interface ColumnSpec {
	name: string;
	kind: ColumnKind;
	required: boolean;
}

const col = (name: string, kind: ColumnKind, required = true): ColumnSpec => ({
	name,
	kind,
	required,
});

/** The CSV columns of each section (the JSON field names; partners flattened to one row per MPN ID). */
export const CSV_COLUMNS: Readonly<
	Record<ImportSection, readonly ColumnSpec[]>
> = {
	products: [
		col("productId", "string"),
		col("name", "string"),
		col("solutionArea", "string"),
		col("dynamics", "boolean"),
	],
	partners: [
		col("organizationId", "string"),
		col("name", "string"),
		col("mpnId", "string"),
		col("programs", "list", false),
		col("partnerTypes", "list", false),
	],
	tenants: [
		col("tenantId", "string"),
		col("name", "string"),
		col("domains", "list"),
	],
	subscriptions: [
		col("subscriptionId", "string"),
		col("tenantId", "string"),
		col("productId", "string"),
		col("channel", "string"),
		col("status", "string"),
		col("provisioned", "boolean"),
	],
	users: [
		col("email", "string"),
		col("name", "string"),
		col("password", "string"),
		col("organizationId", "string", false),
		col("tenantId", "string", false),
		col("roles", "list"),
		col("locale", "string", false),
	],
	usage: [
		col("tenantId", "string"),
		col("productId", "string"),
		col("month", "string"),
		col("monthlyActiveUsers", "number"),
		col("paidAvailableUnits", "number"),
	],
};

/**
 * Parses and validates one import file. JSON errors: `invalid_json`, then one error per zod
 * issue (code = the zod issue code, or the schema's specific code for custom checks). CSV
 * errors also carry the file's line.
 */
export function parseImport(input: ParseImportInput): ParseImportResult {
	try {
		const text = decode(input.content);
		return input.format === "csv"
			? parseCsvImport(text, input.section, input.fileName)
			: parseJsonImport(text);
	} catch (error) {
		// Defensive: nothing above should throw, but bad input must never escape as an exception.
		return {
			ok: false,
			errors: [
				{
					path: "",
					code: "invalid_file",
					message: `the file could not be read: ${error instanceof Error ? error.message : String(error)}`,
				},
			],
		};
	}
}

/** The section a CSV file name names (`subscriptions.csv`, `2026-10-usage.csv`, `tenant.csv`). */
export function sectionFromFileName(
	fileName: string | undefined,
): ImportSection | undefined {
	if (fileName === undefined) return undefined;
	const base = (fileName.split(/[\\/]/).pop() ?? "")
		.replace(/\.[^.]*$/, "")
		.toLowerCase();
	const tokens = base.split(/[^a-z]+/).filter((token) => token.length > 0);
	for (const section of IMPORT_SECTIONS) {
		const singular = section.endsWith("s") ? section.slice(0, -1) : section;
		if (tokens.includes(section) || tokens.includes(singular)) return section;
	}
	return undefined;
}

/** The section whose required columns a CSV header holds (the best match), if any. */
export function sectionFromHeader(
	header: readonly string[],
): ImportSection | undefined {
	const present = new Set(header.map((name) => name.trim().toLowerCase()));
	let best: { section: ImportSection; score: number } | undefined;
	for (const section of IMPORT_SECTIONS) {
		const columns = CSV_COLUMNS[section];
		const complete = columns
			.filter((c) => c.required)
			.every((c) => present.has(c.name.toLowerCase()));
		if (!complete) continue;
		const score = columns.filter((c) =>
			present.has(c.name.toLowerCase()),
		).length;
		if (best === undefined || score > best.score) best = { section, score };
	}
	return best?.section;
}

function decode(content: Buffer | string): string {
	const text = typeof content === "string" ? content : content.toString("utf8");
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseJsonImport(text: string): ParseImportResult {
	if (text.trim() === "") {
		return fail([
			{ path: "", code: "invalid_json", message: "the file is empty" },
		]);
	}
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		const line = jsonErrorLine(detail, text);
		return fail([
			{
				path: "",
				...(line !== undefined ? { line } : {}),
				code: "invalid_json",
				message: `the file is not valid JSON: ${detail}`,
			},
		]);
	}
	const result = importDocumentSchema.safeParse(data, {
		error: (issue) => describeIssue(issue, false),
	});
	if (result.success) return { ok: true, document: result.data };
	return fail(result.error.issues.flatMap((issue) => toErrors(issue)));
}

/** The line of a JSON.parse error, when the engine's message gives a position. */
function jsonErrorLine(message: string, text: string): number | undefined {
	const lineMatch = /\(line (\d+) column \d+\)/.exec(message);
	if (lineMatch?.[1] !== undefined) return Number(lineMatch[1]);
	const positionMatch = /at position (\d+)/.exec(message);
	if (positionMatch?.[1] !== undefined) {
		const position = Math.min(Number(positionMatch[1]), text.length);
		return text.slice(0, position).split("\n").length;
	}
	if (/Unexpected end of JSON input/.test(message)) {
		return text.split("\n").length;
	}
	return undefined;
}

interface CsvRow {
	line: number;
	values: Record<string, unknown>;
}

function parseCsvImport(
	text: string,
	givenSection: ImportSection | undefined,
	fileName: string | undefined,
): ParseImportResult {
	const errors: ImportError[] = [];
	let records: { record: string[]; info: { lines: number } }[];
	try {
		records = parseCsv(text, {
			bom: true,
			info: true,
			trim: true,
			skip_empty_lines: true,
			relax_column_count: true,
			skip_records_with_error: true,
			on_skip: (error: { message: string; lines?: number } | undefined) => {
				if (error === undefined) return;
				errors.push({
					path: givenSection ?? "",
					...(typeof error.lines === "number" ? { line: error.lines } : {}),
					code: "invalid_csv",
					message: `the row is not valid CSV: ${error.message}`,
				});
			},
		}) as unknown as { record: string[]; info: { lines: number } }[];
	} catch (error) {
		const csvError = error as { message?: string; lines?: number };
		return fail([
			...errors,
			{
				path: "",
				...(typeof csvError.lines === "number" ? { line: csvError.lines } : {}),
				code: "invalid_csv",
				message: `the file is not valid CSV: ${csvError.message ?? String(error)}`,
			},
		]);
	}

	const [headerRecord, ...dataRecords] = records;
	if (headerRecord === undefined) {
		return fail([
			...errors,
			{
				path: "",
				line: 1,
				code: "empty_file",
				message: "the file is empty; a CSV import needs a header row",
			},
		]);
	}
	const header = headerRecord.record;
	const headerLine = startLine(headerRecord.record, headerRecord.info.lines);
	const section =
		givenSection ?? sectionFromFileName(fileName) ?? sectionFromHeader(header);
	if (section === undefined) {
		return fail([
			{
				path: "",
				line: headerLine,
				code: "unknown_section",
				message: `cannot tell which section this CSV holds; name the file after its section (${IMPORT_SECTIONS.map((s) => `${s}.csv`).join(", ")}), send ?section= with a text/csv body, or use that section's columns${semicolonHint(header)}`,
			},
		]);
	}
	for (const error of errors) if (error.path === "") error.path = section;

	// Header: map each column to a field of the section.
	const specs = CSV_COLUMNS[section];
	const byLowerName = new Map(
		specs.map((spec) => [spec.name.toLowerCase(), spec]),
	);
	const columnSpecs: (ColumnSpec | undefined)[] = [];
	const seen = new Set<string>();
	header.forEach((rawName, index) => {
		const spec = byLowerName.get(rawName.trim().toLowerCase());
		if (spec === undefined) {
			errors.push({
				path: section,
				line: headerLine,
				code: "unknown_column",
				message: `unknown column "${rawName}" (column ${index + 1}); the ${section} columns are ${specs.map((s) => s.name).join(", ")}${semicolonHint(header)}`,
			});
			columnSpecs.push(undefined);
		} else if (seen.has(spec.name)) {
			errors.push({
				path: section,
				line: headerLine,
				code: "duplicate_column",
				message: `column "${spec.name}" appears twice`,
			});
			columnSpecs.push(undefined);
		} else {
			seen.add(spec.name);
			columnSpecs.push(spec);
		}
	});
	const missingColumns = new Set(
		specs.filter((s) => s.required && !seen.has(s.name)).map((s) => s.name),
	);
	for (const name of missingColumns) {
		errors.push({
			path: section,
			line: headerLine,
			code: "missing_column",
			message: `required column "${name}" is missing from the header`,
		});
	}

	// Rows.
	const rows: CsvRow[] = [];
	for (const { record, info } of dataRecords) {
		const line = startLine(record, info.lines);
		const index = rows.length;
		if (record.length !== header.length) {
			errors.push({
				path: `${section}[${index}]`,
				line,
				code: "invalid_field_count",
				message: `the row has ${record.length} fields but the header has ${header.length}`,
			});
		}
		const values: Record<string, unknown> = {};
		record.forEach((cell, column) => {
			const spec = columnSpecs[column];
			if (spec === undefined) return;
			const value = convertCell(cell, spec.kind);
			if (value !== undefined) values[spec.name] = value;
		});
		rows.push({ line, values });
	}

	// Assemble the section and the line of each document path.
	let sectionRows: unknown[];
	let lineOf: (path: readonly PropertyKey[]) => number | undefined;
	if (section === "partners") {
		const grouped = groupPartnerRows(rows, errors);
		sectionRows = grouped.partners;
		lineOf = (path) => {
			const partnerIndex = path[1];
			if (typeof partnerIndex !== "number") return undefined;
			const partner = grouped.lines[partnerIndex];
			if (partner === undefined) return undefined;
			const mpnIndex = path[2] === "mpnIds" ? path[3] : undefined;
			if (typeof mpnIndex === "number") {
				return partner.mpnLines[mpnIndex] ?? partner.firstLine;
			}
			return partner.firstLine;
		};
	} else {
		sectionRows = rows.map((row) => row.values);
		lineOf = (path) => {
			const index = path[1];
			return typeof index === "number" ? rows[index]?.line : undefined;
		};
	}

	const result = importDocumentSchema.safeParse(
		{ [section]: sectionRows },
		{ reportInput: true, error: (issue) => describeIssue(issue, true) },
	);
	if (result.success && errors.length === 0) {
		return {
			ok: true,
			document: result.data,
			lineOf: (path) => lineOf(pathSegments(path)),
		};
	}
	if (!result.success) {
		for (const issue of result.error.issues) {
			const field = issue.path[issue.path.length - 1];
			const missingRequired =
				(issue.code === "invalid_type" || issue.code === "invalid_value") &&
				typeof field === "string" &&
				missingColumns.has(field) &&
				issue.input === undefined;
			if (missingRequired) continue; // already reported once at the header
			const line = lineOf(issue.path);
			for (const error of toErrors(issue)) {
				errors.push(line !== undefined ? { ...error, line } : error);
			}
		}
	}
	errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
	return fail(errors);
}

/**
 * What to say of a header that is one column holding semicolons (`tenantId;name;domains`):
 * a spreadsheet saved the file with `;` between columns, where CPOR reads `,` (and `;`
 * separates the values of a list cell). Empty for any other header.
 */
function semicolonHint(header: readonly string[]): string {
	return header.length === 1 && (header[0] ?? "").includes(";")
		? `. The header is one column with semicolons in it: the file looks separated by ";" (as some spreadsheets save CSV); save it separated by commas, and keep ";" only between the values of a list cell`
		: "";
}

/** The first line of a record, from the line it ends on and the line breaks inside its cells. */
function startLine(record: readonly string[], endLine: number): number {
	let breaks = 0;
	for (const cell of record) {
		for (const char of cell) if (char === "\n") breaks++;
	}
	return Math.max(1, endLine - breaks);
}

const TRUE_WORDS = new Set(["true", "yes", "1", "y"]);
const FALSE_WORDS = new Set(["false", "no", "0", "n"]);

function convertCell(cell: string, kind: ColumnKind): unknown {
	const text = cell.trim();
	if (kind === "list") {
		return text
			.split(";")
			.map((item) => item.trim())
			.filter((item) => item.length > 0);
	}
	if (text === "") return undefined;
	if (kind === "boolean") {
		const lower = text.toLowerCase();
		if (TRUE_WORDS.has(lower)) return true;
		if (FALSE_WORDS.has(lower)) return false;
		return text; // left as text: the schema reports it
	}
	if (kind === "number") {
		return /^[+-]?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text;
	}
	return text;
}

interface PartnerLines {
	firstLine: number;
	mpnLines: number[];
}

/** Groups partner CSV rows (one per MPN ID) into partner organizations, in order of first appearance. */
function groupPartnerRows(
	rows: CsvRow[],
	errors: ImportError[],
): { partners: Record<string, unknown>[]; lines: PartnerLines[] } {
	interface Group {
		partner: { organizationId?: unknown; name?: unknown; mpnIds: unknown[] };
		lines: PartnerLines;
	}
	const groups: Group[] = [];
	const indexById = new Map<string, number>();
	for (const { line, values } of rows) {
		const { organizationId, name, ...mpn } = values;
		const key = typeof organizationId === "string" ? organizationId : "";
		const index = indexById.get(key);
		let group = index === undefined ? undefined : groups[index];
		if (group === undefined) {
			indexById.set(key, groups.length);
			group = {
				partner: {
					...(organizationId !== undefined ? { organizationId } : {}),
					...(name !== undefined ? { name } : {}),
					mpnIds: [],
				},
				lines: { firstLine: line, mpnLines: [] },
			};
			groups.push(group);
		} else if (name !== undefined) {
			if (group.partner.name === undefined) {
				group.partner.name = name;
			} else if (group.partner.name !== name) {
				errors.push({
					path: `partners[${index}].name`,
					line,
					code: "inconsistent_partner_name",
					message: `organization ${key} is named "${String(group.partner.name)}" on line ${group.lines.firstLine} but "${String(name)}" here`,
				});
			}
		}
		group.partner.mpnIds.push(mpn);
		group.lines.mpnLines.push(line);
	}
	return {
		partners: groups.map((group) => group.partner),
		lines: groups.map((group) => group.lines),
	};
}

/** Formats a document path: `subscriptions[12].channel`. */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = "";
	for (const key of path) {
		if (typeof key === "number") out += `[${key}]`;
		else out += out === "" ? String(key) : `.${String(key)}`;
	}
	return out;
}

function toErrors(issue: z.core.$ZodIssue): ImportError[] {
	const path = formatPath(issue.path);
	if (issue.code === "unrecognized_keys") {
		return issue.keys.map((key) => ({
			path: formatPath([...issue.path, key]),
			code: issue.code,
			message:
				issue.path.length === 0
					? `unknown section "${key}"; the sections are ${IMPORT_SECTIONS.join(", ")}`
					: `unknown field "${key}"`,
		}));
	}
	const specific =
		issue.code === "custom" && typeof issue.params?.code === "string"
			? issue.params.code
			: undefined;
	return [{ path, code: specific ?? issue.code, message: issue.message }];
}

function fieldName(path: readonly PropertyKey[]): string {
	for (let i = path.length - 1; i >= 0; i--) {
		const key = path[i];
		if (typeof key === "string") {
			return typeof path[i + 1] === "number" ? `an entry of ${key}` : key;
		}
	}
	return "the document";
}

/** Human messages for zod issues that the schema does not word itself. */
function describeIssue(
	issue: z.core.$ZodRawIssue,
	csv: boolean,
): string | undefined {
	const path = issue.path ?? [];
	const field = fieldName(path);
	switch (issue.code) {
		case "invalid_type": {
			if (issue.input === undefined) return `${field} is required`;
			if (path.length === 0) {
				return `the document must be a JSON object with any of the sections ${IMPORT_SECTIONS.join(", ")}`;
			}
			switch (issue.expected) {
				case "boolean":
					return csv
						? `${field} must be true or false (also yes/no, 1/0); got "${String(issue.input)}"`
						: `${field} must be true or false`;
				case "number":
				case "int":
					return `${field} must be a whole number`;
				case "array":
					return path.length === 1
						? `${field} must be a list (array) of rows`
						: `${field} must be a list`;
				case "object":
					return `${field} must be an object`;
				case "string":
					return `${field} must be text`;
				default:
					return `${field} must be of type ${issue.expected}`;
			}
		}
		case "invalid_value":
			return issue.input === undefined
				? `${field} is missing; it must be one of ${issue.values.map(String).join(", ")}`
				: `${field} must be one of ${issue.values.map(String).join(", ")}; got ${JSON.stringify(issue.input)}`;
		case "too_small":
			if (issue.origin === "string") {
				return Number(issue.minimum) <= 1
					? `${field} must not be empty`
					: `${field} needs at least ${issue.minimum} characters`;
			}
			if (issue.origin === "array") {
				return `${field} needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? "" : "s"}`;
			}
			return `${field} must be at least ${issue.minimum}`;
		case "too_big":
			if (issue.origin === "string") {
				return `${field} must be at most ${issue.maximum} characters`;
			}
			if (issue.origin === "array") {
				return `${field} may have at most ${issue.maximum} items`;
			}
			return `${field} must be at most ${issue.maximum}`;
		case "invalid_format":
			return `${field} is not a valid ${issue.format === "regex" ? "value" : issue.format}`;
		default:
			return undefined;
	}
}

function fail(errors: ImportError[]): ParseImportResult {
	if (errors.length > MAX_IMPORT_ERRORS) {
		const shown = errors.slice(0, MAX_IMPORT_ERRORS - 1);
		shown.push({
			path: "",
			code: "too_many_errors",
			message: `${errors.length - shown.length} more errors are not shown; fix these and import again`,
		});
		return { ok: false, errors: shown };
	}
	return { ok: false, errors };
}
