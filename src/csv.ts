/**
 * CSV text of the exports (claims, earnings, usage): RFC 4180 by csv-stringify, with a
 * cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab
 * or a carriage return, and is not a number) prefixed by `'`, so that a claim named
 * `=HYPERLINK(…)` opens as text on a reviewer's machine (OWASP "CSV injection").
 */
import { stringify } from "csv-stringify/sync";

/** The CSV lines of `rows` (each an array of cells), each ending in a newline. */
export function csvLines(rows: readonly (readonly unknown[])[]): string {
	return stringify(rows as unknown[][], { escape_formulas: true });
}
