/**
 * Reading a directory import file in the browser (docs/api.md "Directory import format"):
 * its format, its CSV section (from the file name, else the header, as the server infers
 * it) and how many rows it holds, before anything is sent.
 */

/** The sections of an import document; a CSV file holds one. */
export const SECTIONS = [
	"products",
	"partners",
	"tenants",
	"subscriptions",
	"users",
	"usage",
] as const;
export type Section = (typeof SECTIONS)[number];

/** The kinds of row the import's summary counts, in the order they are written. */
export const SUMMARY_KEYS = [
	"products",
	"partners",
	"mpnIds",
	"tenants",
	"domains",
	"subscriptions",
	"users",
	"usage",
] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export interface SectionCounts {
	inserted: number;
	updated: number;
	unchanged: number;
}
/** The answer of POST /admin/directory/import (also with `?dryRun=true`). */
export type ImportSummary = Record<SummaryKey, SectionCounts>;

/** CSV columns per section; `true` = required (as the server's parse-import.ts). */
export const CSV_COLUMNS: Record<Section, [string, boolean][]> = {
	products: [
		["productId", true],
		["name", true],
		["solutionArea", true],
		["dynamics", true],
	],
	partners: [
		["organizationId", true],
		["name", true],
		["mpnId", true],
		["programs", false],
		["partnerTypes", false],
	],
	tenants: [
		["tenantId", true],
		["name", true],
		["domains", true],
	],
	subscriptions: [
		["subscriptionId", true],
		["tenantId", true],
		["productId", true],
		["channel", true],
		["status", true],
		["provisioned", true],
	],
	users: [
		["email", true],
		["name", true],
		["password", true],
		["organizationId", false],
		["tenantId", false],
		["roles", true],
		["locale", false],
	],
	usage: [
		["tenantId", true],
		["productId", true],
		["month", true],
		["monthlyActiveUsers", true],
		["paidAvailableUnits", true],
	],
};

/** A file read in the browser, ready to preview. */
export interface LoadedFile {
	file: File;
	text: string;
	format: "json" | "csv";
	/** Data rows (CSV: lines after the header; JSON: entries of every section, MPN IDs included). */
	rows: number;
	/** CSV: the section named by the file name or recognised by the header. */
	guess: { section: Section; from: "fileName" | "header" } | null;
	/** JSON that does not parse, with the parser's message. */
	jsonProblem: string | null;
	/** Nothing but white space: there is nothing to preview or import. */
	empty: boolean;
}

/** The section a file name names (`subscriptions.csv`, `2026-10-usage.csv`, `tenant.csv`). */
export function sectionFromFileName(fileName: string): Section | undefined {
	const base = (fileName.split(/[\\/]/).pop() ?? "")
		.replace(/\.[^.]*$/, "")
		.toLowerCase();
	const tokens = base.split(/[^a-z]+/).filter((token) => token.length > 0);
	return SECTIONS.find((section) => {
		const singular = section.endsWith("s") ? section.slice(0, -1) : section;
		return tokens.includes(section) || tokens.includes(singular);
	});
}

/** The section whose required columns a CSV header holds (the best match). */
export function sectionFromHeader(header: string[]): Section | undefined {
	const present = new Set(header.map((h) => h.trim().toLowerCase()));
	let best: { section: Section; score: number } | undefined;
	for (const section of SECTIONS) {
		const columns = CSV_COLUMNS[section];
		if (!columns.every(([c, req]) => !req || present.has(c.toLowerCase())))
			continue;
		const score = columns.filter(([c]) => present.has(c.toLowerCase())).length;
		if (!best || score > best.score) best = { section, score };
	}
	return best?.section;
}

/** The file's format: its extension, else what the content starts with. */
function formatOf(file: File, text: string): "json" | "csv" {
	const ext = /\.([^./\\]+)$/.exec(file.name)?.[1]?.toLowerCase();
	if (ext === "json") return "json";
	if (ext === "csv") return "csv";
	const start = text.slice(0, 64).trimStart();
	return start.startsWith("{") || start.startsWith("[") ? "json" : "csv";
}

/** Reads a chosen file and describes it. */
export async function loadFile(file: File): Promise<LoadedFile> {
	const raw = await file.text();
	const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
	const format = formatOf(file, text);
	const empty = text.trim() === "";
	if (format === "json") {
		let rows = 0;
		let jsonProblem: string | null = null;
		try {
			const doc = JSON.parse(text) as Record<string, unknown> | null;
			if (doc && typeof doc === "object" && !Array.isArray(doc)) {
				for (const section of SECTIONS) {
					const list = doc[section];
					if (!Array.isArray(list)) continue;
					rows += list.length;
					if (section === "partners")
						for (const p of list) {
							const mpn = (p as { mpnIds?: unknown })?.mpnIds;
							if (Array.isArray(mpn)) rows += mpn.length;
						}
				}
			}
		} catch (err) {
			jsonProblem = err instanceof Error ? err.message : String(err);
		}
		return {
			file,
			text,
			format,
			rows,
			guess: null,
			jsonProblem: empty ? null : jsonProblem,
			empty,
		};
	}
	const lines = text.split(/\r?\n/);
	const header = (lines[0] ?? "")
		.split(",")
		.map((h) => h.replace(/^"|"$/g, ""));
	const rows = lines.slice(1).filter((l) => l.trim() !== "").length;
	const byName = sectionFromFileName(file.name);
	const byHeader = byName ? undefined : sectionFromHeader(header);
	const guess = byName
		? { section: byName, from: "fileName" as const }
		: byHeader
			? { section: byHeader, from: "header" as const }
			: null;
	return { file, text, format, rows, guess, jsonProblem: null, empty };
}

/** The error report as CSV (line, path, code, message), for download. */
export function errorsCsv(
	errors: { line?: number; path: string; code: string; message: string }[],
): string {
	// A cell a spreadsheet would run as a formula opens as text ("CSV injection").
	const cell = (raw: string) => {
		const v = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
		return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
	};
	return [
		"line,path,code,message",
		...errors.map((e) =>
			[e.line === undefined ? "" : String(e.line), e.path, e.code, e.message]
				.map(cell)
				.join(","),
		),
	].join("\r\n");
}
