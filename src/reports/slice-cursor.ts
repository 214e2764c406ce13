/**
 * The `cursor` of a report's slices (`limit`): the last listed row's position in the
 * report's order, as strings, in an opaque base64url text.
 */
import { DomainError } from "../domain/errors.ts";

/** The cursor of a row at `position` (its values in the report's order). */
export function encodeSliceCursor(position: readonly string[]): string {
	return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/**
 * The position of a cursor that {@link encodeSliceCursor} wrote with `length` values.
 * @throws `validation_failed` (`cursor`, `invalid_cursor`) for anything else; the
 *   message tells to use the previous slice's nextCursor.
 */
export function decodeSliceCursor(cursor: string, length: number): string[] {
	try {
		const c: unknown = JSON.parse(
			Buffer.from(cursor, "base64url").toString("utf8"),
		);
		if (
			Array.isArray(c) &&
			c.length === length &&
			c.every((v) => typeof v === "string")
		)
			return c;
	} catch {
		// reported below
	}
	throw new DomainError(
		"validation_failed",
		"The cursor is not valid; use the nextCursor of the previous slice.",
		[
			{
				path: "cursor",
				code: "invalid_cursor",
				message: "Not a cursor this API issued.",
			},
		],
	);
}
