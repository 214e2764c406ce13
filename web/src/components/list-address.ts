/**
 * The way back to a list with the filters it had: a list keeps its address's query in
 * sessionStorage (per tab) as it changes, and a page opened from it links back to that
 * address (the partner's claims, the reviewer's queue).
 */

/** Keeps a list's filters (`search`, e.g. "?q=contoso"), for the way back to it. */
export function rememberListSearch(key: string, search: string): void {
	try {
		sessionStorage.setItem(key, search);
	} catch {
		// No storage (private mode): the way back shows the whole list.
	}
}

/** `path` with the filters last used in this tab (`/claims?q=…`), or `path` alone. */
export function listAddress(key: string, path: string): string {
	try {
		const search = sessionStorage.getItem(key) ?? "";
		return search.startsWith("?") ? `${path}${search}` : path;
	} catch {
		return path;
	}
}

/** sessionStorage: the partner's claim list's filters as last used. */
const CLAIMS_SEARCH = "cpor.claimsSearch";

/** Keeps the partner's claim list's filters, for the way back to it. */
export function rememberClaimsSearch(search: string): void {
	rememberListSearch(CLAIMS_SEARCH, search);
}

/** The partner's claim list with the filters last used in this tab: "/claims?q=…". */
export function claimsAddress(): string {
	return listAddress(CLAIMS_SEARCH, "/claims");
}
