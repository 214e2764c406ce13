/**
 * Cursors of paginated reads (API.md: `?cursor=…` → `nextCursor`): the last listed row's
 * position in the read's order, as JSON in an opaque base64url text.
 */
import { DomainError } from "./errors.ts";

/** The cursor of a row at `position` (any JSON value). */
export function encodeCursor(position: unknown): string {
	return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/**
 * The position of a cursor that {@link encodeCursor} wrote, when `accept` takes it.
 * @throws `validation_failed` (`cursor`, `invalid_cursor`) for anything else, telling
 *   the client to use the `nextCursor` of the previous page.
 */
export function decodeCursor<T>(
	cursor: string,
	accept: (position: unknown) => position is T,
): T {
	try {
		const position: unknown = JSON.parse(
			Buffer.from(cursor, "base64url").toString("utf8"),
		);
		if (accept(position)) return position;
	} catch {
		// reported below
	}
	throw new DomainError(
		"validation_failed",
		"The cursor is not valid; use the nextCursor of the previous page.",
		[
			{
				path: "cursor",
				code: "invalid_cursor",
				message: "Not a cursor this API issued.",
			},
		],
	);
}

/** An `accept` for {@link decodeCursor}: an array of `length` strings. */
export function stringsOf(
	length: number,
): (position: unknown) => position is string[] {
	return (position): position is string[] =>
		Array.isArray(position) &&
		position.length === length &&
		position.every((v) => typeof v === "string");
}
