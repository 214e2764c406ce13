/**
 * The API client: same-origin fetch with the session cookie, the CSRF token on writes,
 * ETag/If-Match on claim edits, and problem+json errors as {@link ApiError}.
 */

/** A field problem of a problem+json error. */
export interface FieldProblem {
	path: string;
	code: string;
	message: string;
	line?: number;
}

/** An RFC 9457 problem from the API, thrown by {@link api}. */
export class ApiError extends Error {
	readonly status: number;
	readonly code: string;
	readonly errors: FieldProblem[];
	readonly body: Record<string, unknown>;
	/** A 429's or 503's `Retry-After`, in seconds, when the answer gave one. */
	readonly retryAfter: number | undefined;
	constructor(
		status: number,
		body: Record<string, unknown>,
		retryAfter?: number,
	) {
		super(String(body.detail ?? body.title ?? `HTTP ${status}`));
		this.status = status;
		this.code = String(body.code ?? "error");
		this.errors = (body.errors as FieldProblem[] | undefined) ?? [];
		this.body = body;
		this.retryAfter = retryAfter;
	}
}

let csrfToken: string | null = null;
/** Set by the session query once /me answers. */
export function setCsrfToken(token: string | null): void {
	csrfToken = token;
}

/** Options of {@link api}. */
export interface ApiOptions {
	method?: string;
	body?: unknown;
	/** The version the user read (ETag) for If-Match. */
	version?: number;
	headers?: Record<string, string>;
	/** Multipart body (uploads). */
	form?: FormData;
	/**
	 * Aborts the request (TanStack Query's, when no one waits for the answer any more): a
	 * report read on the server then stops too (src/db/cancellable.ts).
	 */
	signal?: AbortSignal;
}

/** Calls `/api/v1{path}`; resolves with the JSON (or text for non-JSON), throws ApiError. */
export async function api<T = unknown>(
	path: string,
	opts: ApiOptions = {},
): Promise<T> {
	const method =
		opts.method ?? (opts.body !== undefined || opts.form ? "POST" : "GET");
	const headers: Record<string, string> = {
		accept: "application/json",
		...opts.headers,
	};
	if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
	if (opts.version !== undefined) headers["if-match"] = `"${opts.version}"`;
	let body: BodyInit | undefined;
	if (opts.form) body = opts.form;
	else if (opts.body !== undefined) {
		headers["content-type"] = "application/json";
		body = JSON.stringify(opts.body);
	}
	const res = await fetch(`/api/v1${path}`, {
		method,
		headers,
		body,
		credentials: "same-origin",
		signal: opts.signal,
	});
	const type = res.headers.get("content-type") ?? "";
	if (!res.ok) {
		const problem = type.includes("json")
			? ((await res.json()) as Record<string, unknown>)
			: { detail: await res.text() };
		const retryAfter = Number(res.headers.get("retry-after") ?? Number.NaN);
		throw new ApiError(
			res.status,
			problem,
			Number.isFinite(retryAfter) ? retryAfter : undefined,
		);
	}
	if (res.status === 204) return undefined as T;
	if (type.includes("json")) return (await res.json()) as T;
	return (await res.text()) as T;
}

/**
 * Every item of a list that is bounded by one claim or one tenant (a claim's comments and
 * history): follows `nextCursor` from page to page, 200 items a page (the API's most), and
 * resolves with the items in order. Throws ApiError as {@link api}.
 */
export async function everyPage<T>(
	path: string,
	opts: Pick<ApiOptions, "signal"> = {},
): Promise<T[]> {
	const items: T[] = [];
	let cursor: string | null = null;
	do {
		const q = new URLSearchParams({ limit: "200" });
		if (cursor) q.set("cursor", cursor);
		const page: { items: T[]; nextCursor?: string | null } = await api(
			`${path}${path.includes("?") ? "&" : "?"}${q}`,
			opts,
		);
		items.push(...page.items);
		cursor = page.nextCursor ?? null;
	} while (cursor);
	return items;
}

/**
 * Uploads a file with progress (XMLHttpRequest: fetch has no upload progress).
 * `onProgress` gets 0..1. Resolves with the JSON answer; rejects with ApiError.
 */
export function uploadWithProgress<T>(
	path: string,
	file: File,
	onProgress: (fraction: number) => void,
): Promise<T> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open("POST", `/api/v1${path}`);
		if (csrfToken) xhr.setRequestHeader("x-csrf-token", csrfToken);
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress(e.loaded / e.total);
		};
		xhr.onload = () => {
			let json: Record<string, unknown> = {};
			try {
				json = JSON.parse(xhr.responseText) as Record<string, unknown>;
			} catch {
				json = { detail: xhr.responseText };
			}
			if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
			else reject(new ApiError(xhr.status, json));
		};
		xhr.onerror = () =>
			reject(new ApiError(0, { detail: "The upload failed: network error." }));
		const form = new FormData();
		form.append("file", file);
		xhr.send(form);
	});
}
