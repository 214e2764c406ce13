/**
 * A list's search box that asks the server only once typing pauses, and only from
 * {@link SEARCH_MIN_LENGTH} characters on: shorter text has no trigram for the search's
 * index (migration 0017), so a rare pair of letters would read every claim.
 */
import { useEffect, useState } from "react";

/** The search asks the server from this many characters on. */
export const SEARCH_MIN_LENGTH = 3;

/**
 * The box's text, its setter, and whether what is typed is too short to search. After a
 * pause of 350 ms, `commit` gets the text to search (tabs and line breaks as spaces,
 * control characters dropped, trimmed), or undefined when too short or empty; only when
 * it differs from `current` (the search in use, e.g. the address's `q`).
 */
export function useSearchText(
	current: string | undefined,
	commit: (q: string | undefined) => void,
): { search: string; setSearch: (s: string) => void; tooShort: boolean } {
	const [search, setSearch] = useState(current ?? "");
	// Pasted tabs and line breaks become spaces (the API refuses control characters).
	const typed = search
		.replace(/\s+/g, " ")
		.replace(/\p{Cc}/gu, "")
		.trim();
	const tooShort = typed.length > 0 && typed.length < SEARCH_MIN_LENGTH;
	// biome-ignore lint/correctness/useExhaustiveDependencies: only typing starts the timer
	useEffect(() => {
		const q = typed.length >= SEARCH_MIN_LENGTH ? typed : undefined;
		if ((q ?? "") === (current ?? "")) return;
		const id = setTimeout(() => commit(q), 350);
		return () => clearTimeout(id);
	}, [search]);
	return { search, setSearch, tooShort };
}
