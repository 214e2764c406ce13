/**
 * The way back to a list with the filters it had: a list keeps its address's query in
 * sessionStorage (per tab) as it changes, and a page opened from it links back to that
 * address (the partner's claims, the reviewer's queue).
 */
import { useEffect } from "react";

/** The lists that remember their filters: where each keeps them, and its path. */
const LISTS = {
	claims: { key: "cpor.claimsSearch", path: "/claims" },
	queue: { key: "cpor.reviewQueueSearch", path: "/review" },
} as const;
export type RememberedList = keyof typeof LISTS;

/** Keeps `list`'s filters as they change (`query` as URLSearchParams writes it, no "?"). */
export function useRememberListQuery(
	list: RememberedList,
	query: string,
): void {
	useEffect(() => {
		try {
			sessionStorage.setItem(LISTS[list].key, query ? `?${query}` : "");
		} catch {
			// No storage (private mode): the way back shows the whole list.
		}
	}, [list, query]);
}

/** `list`'s address with the filters last used in this tab (`/claims?q=…`), or its path. */
export function listAddress(list: RememberedList): string {
	const { key, path } = LISTS[list];
	try {
		const search = sessionStorage.getItem(key) ?? "";
		return search.startsWith("?") ? `${path}${search}` : path;
	} catch {
		return path;
	}
}
