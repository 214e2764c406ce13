/**
 * Where the router is, or is going while a navigation is pending, read from the router's
 * own state at the moment of asking. Components read the router through React, whose
 * navigations are transitions: a render for another cause (a session ending while a page
 * loads) can still see the page that is being left. routes.tsx registers its router.
 */
interface RouterState {
	location: { pathname: string; search: string };
	navigation: { location?: { pathname: string; search: string } | undefined };
}

let router: { readonly state: RouterState } | null = null;

/** Registers the app's router (routes.tsx, once). */
export function registerRouter(r: { readonly state: RouterState }): void {
	router = r;
}

/**
 * The path and query of the page on its way, else of the current page; a pending
 * navigation to the sign-in page does not count. Null before a router is registered.
 */
export function routerAddress(): string | null {
	if (!router) return null;
	const { location, navigation } = router.state;
	const pending = navigation.location;
	const at =
		pending && !pending.pathname.startsWith("/login") ? pending : location;
	return at.pathname + at.search;
}

/**
 * The page of a `?next=` address to go to after signing in: a path of this app (with its
 * query and fragment), else null. Anything that would leave the app, `//host/…`,
 * `https://…`, `/\host`, `javascript:`, or is not a path, is refused, so that a crafted
 * sign-in link can neither send the user elsewhere nor break the page.
 */
export function returnPath(next: string | null): string | null {
	if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\"))
		return null;
	try {
		const url = new URL(next, window.location.origin);
		if (url.origin !== window.location.origin) return null;
		// Dot segments can make one again ("/.//host" → "//host"), which the router would
		// take for another site.
		if (/^\/[/\\]/.test(url.pathname)) return null;
		if (url.pathname.startsWith("/login")) return null;
		return url.pathname + url.search + url.hash;
	} catch {
		return null;
	}
}
