/**
 * Text that PostgreSQL cannot store, refused where it arrives: a NUL character (U+0000)
 * or half of a UTF-16 surrogate pair ("\ud800" in JSON) in any string of a request's
 * body, query or path. Before, such a value reached the database and came back as
 * "A value in the request has the wrong format." with no field named; now the answer is
 * `422 validation_failed` naming the field, as the schema's own checks do.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { DomainError } from "../domain/errors.ts";
import { fieldPath } from "./problem.ts";

/** A NUL, or a surrogate without its pair. */
const UNSTORABLE =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what it looks for
	/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path (`contacts.customer.name` in a body, `querystring.q`; {@link fieldPath}) of a
 * string in `value` that holds unstorable text, what it holds and on which line of the
 * string; null when none. Walks without recursion, at most `maxDepth` levels deep (the
 * API's bodies nest a few; deeper ones fail their schema anyway) and `budget` values
 * (a larger body, a directory import of a million rows, is left to its rows' checks and
 * PostgreSQL's, which also answer 422).
 */
export function findUnstorableText(
	value: unknown,
	path: string,
	budget = 200_000,
	maxDepth = 32,
): { path: string; what: "nul" | "surrogate"; line: number } | null {
	const stack: [unknown, string[], number][] = [[value, [], 0]];
	// Every value pushed is charged, so that the stack stays within the budget too.
	let left = budget;
	while (stack.length > 0) {
		const [v, at, depth] = stack.pop() as [unknown, string[], number];
		if (typeof v === "string") {
			const m = UNSTORABLE.exec(v);
			if (!m) continue;
			// The line within the string (a CSV body's row; 1 for a one-line value).
			const line = v.slice(0, m.index).split("\n").length;
			return {
				path: fieldPath(path, at),
				what: m[0] === "\u0000" ? "nul" : "surrogate",
				line,
			};
		}
		if (depth >= maxDepth) continue;
		const items: [string, unknown][] = Array.isArray(v)
			? v.map((item, i) => [String(i), item])
			: v !== null && typeof v === "object"
				? Object.entries(v)
				: [];
		left -= items.length;
		if (left < 0) return null;
		for (let i = items.length - 1; i >= 0; i--) {
			const [k, item] = items[i] as [string, unknown];
			stack.push([item, [...at, k], depth + 1]);
		}
	}
	return null;
}

/**
 * Registers the check on the routes of `app` (the API's), before the route's schema
 * (`preValidation`) and after the sign-in check: nobody signed in is told that first.
 */
export function registerTextInputCheck(app: FastifyInstance): void {
	app.addHook("preValidation", async (req: FastifyRequest) => {
		const found =
			findUnstorableText(req.params, "params") ??
			findUnstorableText(req.query, "querystring") ??
			(req.isMultipart() ? null : findUnstorableText(req.body, "body"));
		if (!found) return;
		const where =
			found.line > 1 ? `${found.path} (line ${found.line})` : found.path;
		const message =
			found.what === "nul"
				? `${where} holds a NUL character (\\u0000), which cannot be stored: remove it.`
				: `${where} holds half of a UTF-16 surrogate pair (an unpaired \\ud800–\\udfff), which is not text: send the whole character.`;
		throw new DomainError("validation_failed", message, [
			{
				path: found.path,
				code: "invalid_character",
				message,
				...(found.line > 1 ? { line: found.line } : {}),
			},
		]);
	});
}
