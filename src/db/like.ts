/** LIKE patterns from user input. */

/**
 * The `LIKE`/`ILIKE` pattern matching values that contain `text` anywhere, its `\`, `%`
 * and `_` escaped (PostgreSQL's default escape character is `\`).
 */
export function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
