/**
 * The directory import's error report as the admin downloads it (web app): one row per
 * problem, and a cell a spreadsheet would run as a formula opens as text.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { errorsCsv } from "../../web/src/pages/admin/import-file.ts";

describe("the import's error report (CSV)", () => {
	it("R-DIR-6 has a row per problem, quoted where needed, and formulas as text", () => {
		const text = errorsCsv([
			{
				line: 3,
				path: "=cmd|' /C calc'!A0",
				code: "unknown_key",
				message: "x",
			},
			{
				path: "tenants[0].name",
				code: "required",
				message: 'Say "hi", then go',
			},
		]);
		expect(parse(text, { columns: true })).toEqual([
			{
				line: "3",
				path: "'=cmd|' /C calc'!A0",
				code: "unknown_key",
				message: "x",
			},
			{
				line: "",
				path: "tenants[0].name",
				code: "required",
				message: 'Say "hi", then go',
			},
		]);
	});
});
