import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { DomainError } from "../domain/errors.ts";

/**
 * The querystring of a cursor-paginated list (API.md "Lists are cursor-paginated"):
 * `limit` 1-200 (the list's default when left out) and the `cursor` of the previous
 * page's `nextCursor`. A limit out of range answers 422 `validation_failed`.
 */
export const pageQuery = z.object({
	limit: z.coerce.number().int().min(1).max(200).optional(),
	cursor: z.string().max(200).optional(),
});

/**
 * Registers, on the API's routes (`preValidation`, after the sign-in check), the answer
 * `422 validation_failed` to a query parameter given more than once
 * (`?status=draft&status=approved`): each is one value, and the route's schema would say
 * only "expected string, received array". Each repeated name is in `errors[]` (code
 * `repeated`), with what to send instead.
 */
export function registerSingleQueryValues(api: FastifyInstance): void {
	api.addHook("preValidation", async (req) => {
		const query = req.query as Record<string, unknown> | undefined;
		if (!query || typeof query !== "object") return;
		const repeated = Object.entries(query).filter(([, v]) => Array.isArray(v));
		if (repeated.length === 0) return;
		const errors = repeated.map(([name, v]) => ({
			path: `querystring.${name}`,
			code: "repeated",
			message: `${name} is given ${(v as unknown[]).length} times; give it once (a list filters by one value of each parameter).`,
		}));
		throw new DomainError(
			"validation_failed",
			`Give each query parameter once: ${repeated.map(([n]) => n).join(", ")} ${repeated.length === 1 ? "is" : "are"} repeated.`,
			errors,
		);
	});
}
