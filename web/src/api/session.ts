/** The signed-in user (GET /me), sign-in and sign-out. */
import {
	queryOptions,
	useMutation,
	useQuery,
	useQueryClient,
} from "@tanstack/react-query";
import i18n, {
	adoptUserLanguage,
	type Language,
	setLanguage,
} from "../i18n/index.ts";
import { ApiError, api, setCsrfToken } from "./client.ts";
import { onUnauthenticated, queryClient } from "./query-client.ts";
import type { Me } from "./types.ts";

export const sessionKeys = { me: ["me"] as const };

/**
 * localStorage: the kind of user (`Me["kind"]`) this browser's last `GET /me` found signed
 * in; absent when it found nobody.
 */
const SIGNED_IN_HINT = "cpor.signedIn";

function rememberSignedIn(me: Me | null): void {
	try {
		if (me) localStorage.setItem(SIGNED_IN_HINT, me.kind);
		else localStorage.removeItem(SIGNED_IN_HINT);
	} catch {
		// Storage may be unavailable (private mode); the loaders then wait for GET /me.
	}
}

/** The kind of user signed in at this browser's last visit, or null (none, or unknown). */
function lastSignedInKind(): string | null {
	try {
		return localStorage.getItem(SIGNED_IN_HINT);
	} catch {
		return null;
	}
}

/** A signed-in user's session ended on the server ({@link sessionEnded}). */
let ended = false;

/** The query of the current user (GET /me): the user, or null when signed out. */
export const meQuery = queryOptions({
	queryKey: sessionKeys.me,
	queryFn: async (): Promise<Me | null> => {
		try {
			const me = await api<Me>("/me");
			setCsrfToken(me.csrfToken);
			rememberSignedIn(me);
			adoptUserLanguage(me.user.locale);
			return me;
		} catch (err) {
			if (err instanceof ApiError && err.status === 401) {
				// Someone was signed in: their session ended (this answer may come before the
				// page's own 401s, which then find nobody signed in).
				if (queryClient.getQueryData<Me | null>(sessionKeys.me)) ended = true;
				rememberSignedIn(null);
				return null;
			}
			throw err;
		}
	},
	staleTime: 60_000,
});

/**
 * A request of a signed-in user answered 401: the session ended on the server (it expired,
 * or the user signed out in another tab). The app then counts the user as signed out, so
 * the shell sends them to the sign-in page with the page to come back to, which says why
 * ({@link sessionEnded}), instead of each page showing the 401 with a Retry that cannot
 * help. A 401 while nobody is signed in (a wrong password) changes nothing.
 */
onUnauthenticated(() => {
	if (!queryClient.getQueryData<Me | null>(sessionKeys.me)) return;
	ended = true;
	setCsrfToken(null);
	rememberSignedIn(null);
	queryClient.setQueryData(sessionKeys.me, null);
});

/** True after the signed-in user's session ended on the server, until the next sign-in. */
export function sessionEnded(): boolean {
	return ended;
}

/**
 * Runs `start` (a route loader's prefetches) once someone is known to be signed in: at
 * once when `GET /me` said so, or, while it is on its way, when this browser was signed
 * in at its last visit (the page's requests then go alongside it, a round trip sooner);
 * otherwise after `GET /me` answers, and never when nobody is signed in (the app shows
 * the sign-in page, and no request is sent only to be answered 401). With `kinds`, only
 * for those kinds of user: a page for reviewers prefetches nothing for a partner, whom
 * the server would refuse (403) and the page tells whom it is for.
 */
export function whenSignedIn(
	start: () => void,
	kinds?: readonly Me["kind"][],
): void {
	const fits = (kind: string) =>
		!kinds || (kinds as readonly string[]).includes(kind);
	const known = queryClient.getQueryData(meQuery.queryKey);
	if (known) {
		if (fits(known.kind)) start();
		return;
	}
	if (known !== undefined) return;
	const last = lastSignedInKind();
	if (last && fits(last)) start();
	else
		void queryClient.ensureQueryData(meQuery).then(
			(me) => {
				if (me && fits(me.kind)) start();
			},
			() => undefined,
		);
}

/**
 * Sets the signed-in user's language (PATCH /me): the app's, in every browser they sign
 * in from, and their email's. The app switches at once; the account follows.
 */
export function useSetUserLanguage() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: (locale: Language) =>
			api<Me>("/me", { method: "PATCH", body: { locale } }),
		onMutate: (locale) => {
			const before = i18n.language as Language;
			setLanguage(locale);
			return { before };
		},
		onSuccess: (me) => qc.setQueryData(sessionKeys.me, me),
		// Not saved: the app goes back to the language the account still has.
		onError: (_err, _locale, context) => {
			if (context) setLanguage(context.before);
		},
	});
}

/** The current user, or null when signed out. */
export function useMe() {
	return useQuery(meQuery);
}

/**
 * The server's current time in ms (the sandbox clock, which an admin may have moved days
 * ahead), from GET /me's `now` and how long ago it answered; this browser's clock until
 * then. For "overdue" marks that agree with the server's (the queue's) judgement.
 */
export function serverNow(): number {
	const state = queryClient.getQueryState<Me | null>(sessionKeys.me);
	const now = state?.data?.now;
	if (!now || !state?.dataUpdatedAt) return Date.now();
	return Date.parse(now) + (Date.now() - state.dataUpdatedAt);
}

/** Signs in with email and password; refreshes everything. */
export function useLogin() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: (input: { email: string; password: string }) =>
			api("/auth/login", { body: input }),
		onSuccess: async () => {
			ended = false;
			qc.clear();
			await qc.invalidateQueries({ queryKey: sessionKeys.me });
		},
	});
}

/** Signs out and forgets every cached answer. */
export function useLogout() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: () => api("/auth/logout", { method: "POST" }),
		onSuccess: () => {
			ended = false;
			setCsrfToken(null);
			rememberSignedIn(null);
			qc.clear();
		},
	});
}
