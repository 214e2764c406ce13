/**
 * A text field's length once it nears its limit ("9,512 of 10,000 characters"), so that
 * a long paste is not cut at the limit without a word; undefined well below it.
 */
import type { TFunction } from "i18next";
import { formatNumber } from "../format.ts";

/** A comment's most characters (the API refuses more). */
export const COMMENT_MAX_LENGTH = 10_000;

/**
 * The hint for `text` in a field of at most `max` characters, from 90% of it on; at the
 * limit it says that anything more is not added (the field's `maxLength` cuts a paste).
 */
export function lengthHint(
	t: TFunction,
	text: string,
	max = COMMENT_MAX_LENGTH,
): string | undefined {
	if (text.length < max * 0.9) return undefined;
	return t(
		text.length >= max ? "common:charactersAtLimit" : "common:charactersOf",
		{ n: formatNumber(text.length), max: formatNumber(max) },
	);
}

/**
 * What a screen reader is told when `text` reaches the limit (a paste cut short makes no
 * sound of its own); empty below it. For a polite live region (SpokenStatus).
 */
export function lengthLimitStatus(
	t: TFunction,
	text: string,
	max = COMMENT_MAX_LENGTH,
): string {
	return text.length >= max ? (lengthHint(t, text, max) ?? "") : "";
}
