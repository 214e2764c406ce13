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
