/**
 * A POST with upload progress (XMLHttpRequest: fetch reports no upload progress) for a
 * JSON or CSV body, with the session's CSRF token; answers JSON or rejects with ApiError
 * like `api()` in api/client.ts.
 */
import { ApiError } from "../../api/client.ts";

/** Options of {@link postWithProgress}. */
export interface ProgressPost {
	/** The body as read from the file. */
	body: string | Blob;
	/** `application/json` or `text/csv; charset=utf-8`. */
	contentType: string;
	/** The session's CSRF token (GET /me's `csrfToken`). */
	csrfToken: string | null;
	/** The share of the body sent so far, 0..1. */
	onUploadProgress?: (fraction: number) => void;
	/** Called once the whole body is sent: the server is working now. */
	onUploaded?: () => void;
	/** Aborts the request (rejects with an AbortError DOMException). */
	signal?: AbortSignal;
}

/** POSTs `/api/v1{path}` with progress; resolves with the JSON answer, rejects with {@link ApiError}. */
export function postWithProgress<T>(
	path: string,
	opts: ProgressPost,
): Promise<T> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open("POST", `/api/v1${path}`);
		xhr.setRequestHeader("content-type", opts.contentType);
		xhr.setRequestHeader("accept", "application/json");
		if (opts.csrfToken) xhr.setRequestHeader("x-csrf-token", opts.csrfToken);
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable && e.total > 0)
				opts.onUploadProgress?.(e.loaded / e.total);
		};
		xhr.upload.onload = () => {
			opts.onUploadProgress?.(1);
			opts.onUploaded?.();
		};
		xhr.onload = () => {
			let json: Record<string, unknown>;
			try {
				json = JSON.parse(xhr.responseText) as Record<string, unknown>;
			} catch {
				json = { detail: xhr.responseText || `HTTP ${xhr.status}` };
			}
			if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
			else reject(new ApiError(xhr.status, json));
		};
		xhr.onerror = () =>
			reject(
				new ApiError(0, {
					code: "network_error",
					detail:
						"The server could not be reached; check the connection and try again.",
				}),
			);
		xhr.onabort = () => reject(new DOMException("Aborted", "AbortError"));
		opts.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
		xhr.send(opts.body);
	});
}
