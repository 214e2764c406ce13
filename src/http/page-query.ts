import { z } from "zod";

/**
 * The querystring of a cursor-paginated list (API.md "Lists are cursor-paginated"):
 * `limit` 1-200 (the list's default when left out) and the `cursor` of the previous
 * page's `nextCursor`. A limit out of range answers 422 `validation_failed`.
 */
export const pageQuery = z.object({
	limit: z.coerce.number().int().min(1).max(200).optional(),
	cursor: z.string().max(200).optional(),
});
