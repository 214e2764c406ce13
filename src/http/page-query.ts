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

declare module "fastify" {
	interface FastifyContextConfig {
		/**
		 * Query parameters of the route that take several values separated by commas
		 * (`status=draft,approved`): given more than once, their values are joined so.
		 */
		commaLists?: readonly string[];
	}
}

/**
 * Registers, on the API's routes (`preValidation`, after the sign-in check), what a query
 * parameter given more than once means (`?status=draft&status=approved`): for a parameter
 * that takes several values separated by commas (the route's `commaLists`), the values
 * joined with commas, as if given so; for any other, `422 validation_failed` naming it
 * (code `repeated`) with what to send: it takes one value, and the route's schema would say
 * only "expected string, received array".
 */
export function registerSingleQueryValues(api: FastifyInstance): void {
	api.addHook("preValidation", async (req) => {
		const query = req.query as Record<string, unknown> | undefined;
		if (!query || typeof query !== "object") return;
		const lists = req.routeOptions.config?.commaLists ?? [];
		const repeated: [string, unknown[]][] = [];
		for (const [name, v] of Object.entries(query)) {
			if (!Array.isArray(v)) continue;
			if (lists.includes(name)) query[name] = v.join(",");
			else repeated.push([name, v]);
		}
		if (repeated.length === 0) return;
		const errors = repeated.map(([name, v]) => ({
			path: `querystring.${name}`,
			code: "repeated",
			message: `${name} is given ${v.length} times; give it once (it takes one value).`,
		}));
		throw new DomainError(
			"validation_failed",
			`Give each query parameter once: ${repeated.map(([n]) => n).join(", ")} ${repeated.length === 1 ? "is" : "are"} repeated.`,
			errors,
		);
	});
}
