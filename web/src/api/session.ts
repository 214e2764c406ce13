/** The signed-in user (GET /me), sign-in and sign-out. */
import {
	queryOptions,
	useMutation,
	useQuery,
	useQueryClient,
} from "@tanstack/react-query";
import { ApiError, api, setCsrfToken } from "./client.ts";
import type { Me } from "./types.ts";

export const sessionKeys = { me: ["me"] as const };

/** The query of the current user (GET /me): the user, or null when signed out. */
export const meQuery = queryOptions({
	queryKey: sessionKeys.me,
	queryFn: async (): Promise<Me | null> => {
		try {
			const me = await api<Me>("/me");
			setCsrfToken(me.csrfToken);
			return me;
		} catch (err) {
			if (err instanceof ApiError && err.status === 401) return null;
			throw err;
		}
	},
	staleTime: 60_000,
});

/** The current user, or null when signed out. */
export function useMe() {
	return useQuery(meQuery);
}

/** Signs in with email and password; refreshes everything. */
export function useLogin() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: (input: { email: string; password: string }) =>
			api("/auth/login", { body: input }),
		onSuccess: async () => {
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
			setCsrfToken(null);
			qc.clear();
		},
	});
}
