/**
 * A text field's length once it nears its limit ("9,512 of 10,000 characters"), so that
 * a long paste is not cut at the limit without a word; undefined well below it.
 */
import type { TFunction } from "i18next";
import { formatNumber } from "../format.ts";

/** A comment's most characters (the API refuses more). */
export const COMMENT_MAX_LENGTH = 10_000;

/** The hint for `text` in a field of at most `max` characters, from 90% of it on. */
export function lengthHint(
	t: TFunction,
	text: string,
	max = COMMENT_MAX_LENGTH,
): string | undefined {
	if (text.length < max * 0.9) return undefined;
	return t("common:charactersOf", {
		n: formatNumber(text.length),
		max: formatNumber(max),
	});
}
