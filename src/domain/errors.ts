/**
 * Typed domain errors. Each carries a stable `code` (SPEC.md / API.md) that maps to
 * exactly one HTTP status, so routes never decide statuses themselves.
 */

/** One field-level problem inside an error: `path` like `products[1].subscriptionId`. */
export interface FieldProblem {
	path: string;
	code: string;
	message: string;
	line?: number;
}

/** HTTP status for each stable error code. Unknown codes answer 422. */
export const ERROR_STATUS: Record<string, number> = {
	validation_failed: 422,
	bad_request: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	rate_limited: 429,
	payload_too_large: 413,
	headers_too_large: 431,
	request_timeout: 408,
	unsupported_media_type: 415,
	precondition_required: 428,
	version_conflict: 412,
	invalid_transition: 409,
	claim_not_editable: 409,
	dispute_window_closed: 409,
	dispute_not_allowed: 409,
	dispute_already_open: 409,
	subscription_already_claimed: 409,
	workload_already_claimed: 409,
	association_already_approved: 409,
	idempotency_key_in_use: 409,
	idempotency_key_reused: 422,
	clock_rewind: 409,
	email_taken: 409,
	conflict_retry: 409,
	statement_timeout: 503,
	// R-CRT-2..7 validation codes
	mpn_not_enrolled: 422,
	mpn_not_in_organization: 422,
	mpn_not_in_use: 422,
	domain_tenant_mismatch: 422,
	activity_not_allowed: 422,
	not_a_subscription_id: 422,
	product_not_in_tenant: 422,
	subscription_not_dynamics: 422,
	subscription_is_csp: 422,
	subscription_not_provisioned: 422,
	subscription_inactive: 422,
	product_not_in_solution_area: 422,
	unknown_product: 422,
	claim_incomplete: 422,
	poe_required: 422,
	document_not_removable: 409,
};

const TITLES: Record<number, string> = {
	400: "Bad request",
	401: "Not signed in",
	403: "Forbidden",
	404: "Not found",
	408: "Request timeout",
	409: "Conflict",
	412: "Precondition failed",
	413: "Payload too large",
	415: "Unsupported media type",
	422: "Unprocessable content",
	428: "Precondition required",
	429: "Too many requests",
	431: "Request header fields too large",
	503: "Service unavailable",
};

/**
 * A business-rule or request error with a stable code. Thrown by use cases; the HTTP
 * layer renders it as RFC 9457 problem+json with `status = ERROR_STATUS[code]`.
 */
export class DomainError extends Error {
	readonly code: string;
	readonly status: number;
	readonly errors: FieldProblem[];
	readonly extra: Record<string, unknown>;
	/** HTTP headers the answer carries besides the problem (e.g. `retry-after`). */
	readonly headers: Record<string, string> = {};

	constructor(
		code: string,
		message: string,
		errors: FieldProblem[] = [],
		extra: Record<string, unknown> = {},
	) {
		super(message);
		this.name = "DomainError";
		this.code = code;
		this.status = ERROR_STATUS[code] ?? 422;
		this.errors = errors;
		this.extra = extra;
	}

	/** Short human title for the status (problem+json `title`). */
	get title(): string {
		return TITLES[this.status] ?? "Error";
	}
}

/** 404 for anything the caller may not see (no existence leaks across organizations). */
export function notFound(what = "claim"): DomainError {
	return new DomainError(
		"not_found",
		`No ${what} with that ID exists, or you do not have access to it.`,
	);
}

/** 403 for a signed-in user whose role does not allow the action (API.md). */
export function forbidden(
	message = "Your role does not allow this action.",
): DomainError {
	return new DomainError("forbidden", message);
}

/**
 * 429 `rate_limited`: the server is busy with this kind of work; the answer's
 * `Retry-After` says in how many seconds to try again (RFC 9110, section 10.2.3).
 */
export function rateLimited(
	message: string,
	retryAfterSeconds: number,
): DomainError {
	const err = new DomainError("rate_limited", message);
	err.headers["retry-after"] = String(
		Math.max(1, Math.ceil(retryAfterSeconds)),
	);
	return err;
}
