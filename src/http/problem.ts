/**
 * RFC 9457 problem details for every error (API.md "Conventions"): DomainError,
 * request-validation errors, body-parser and multipart errors, and unknown routes.
 * No request, however malformed, gets a 500 unless the server itself is broken.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ZodError } from "zod";
import { pgErrorCode } from "../db/client.ts";
import { DomainError, type FieldProblem } from "../domain/errors.ts";

/** The problem+json body. */
export interface Problem {
	type: string;
	title: string;
	status: number;
	detail: string;
	code: string;
	errors: FieldProblem[];
	[extra: string]: unknown;
}

/** Builds the problem body for a DomainError. */
export function problemOf(err: DomainError, instance?: string): Problem {
	// Extras first: they must never replace the standard members (e.g. `status`).
	return {
		...err.extra,
		type: `https://cpor.dev/problems/${err.code}`,
		title: err.title,
		status: err.status,
		detail: err.message,
		code: err.code,
		errors: err.errors,
		...(instance ? { instance } : {}),
	};
}

function zodProblems(issues: ZodError["issues"], prefix = ""): FieldProblem[] {
	return issues.map((i) => ({
		path: [
			prefix,
			...i.path.map((p, n) =>
				typeof p === "number"
					? `[${p}]`
					: `${n || prefix ? "." : ""}${String(p)}`,
			),
		]
			.join("")
			.replace(/^\./, ""),
		code: i.code,
		message: i.message,
	}));
}

/**
 * The `errors[].path` of a request field, in the form of API.md's
 * (`products[0].productId`): a body field by its path in the body, array items by index
 * in brackets (the body itself: `body`); a query or path parameter after its place
 * (`querystring.limit`, `params.id`).
 */
export function fieldPath(
	where: string,
	segments: readonly (string | number)[],
): string {
	const inner = segments.reduce<string>(
		(out, s) =>
			typeof s === "number" || /^\d+$/.test(s)
				? `${out}[${s}]`
				: out
					? `${out}.${s}`
					: s,
		"",
	);
	if (where === "body") return inner || "body";
	return inner ? `${where}.${inner}` : where;
}

/** Maps any thrown error to a DomainError (or null for a genuine server fault). */
export function toDomainError(err: unknown): DomainError | null {
	if (err instanceof DomainError) return err;
	if (err instanceof ZodError) {
		return new DomainError(
			"validation_failed",
			"The request is not valid; see errors[].",
			zodProblems(err.issues),
		);
	}
	const fe = err as FastifyError & { validationContext?: string };
	if (hasZodFastifySchemaValidationErrors(fe)) {
		const where = fe.validationContext ?? "body";
		const problems = fe.validation.map((v) => ({
			path: fieldPath(
				where,
				String(v.instancePath ?? "")
					.split("/")
					.filter(Boolean)
					.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")),
			),
			code: String(
				(v.params as { issue?: { code?: string } })?.issue?.code ??
					v.keyword ??
					"invalid",
			),
			message: v.message ?? "invalid",
		}));
		return new DomainError(
			"validation_failed",
			`The request ${where} is not valid; see errors[].`,
			problems,
		);
	}
	switch (fe?.code) {
		case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
			return new DomainError(
				"unsupported_media_type",
				"Send JSON (application/json), or multipart/form-data for uploads.",
			);
		case "FST_ERR_CTP_EMPTY_JSON_BODY":
		case "FST_ERR_CTP_INVALID_JSON_BODY":
			return new DomainError(
				"validation_failed",
				"The body is not valid JSON.",
				[{ path: "body", code: "invalid_json", message: fe.message }],
			);
		case "FST_ERR_CTP_BODY_TOO_LARGE":
		case "FST_REQ_FILE_TOO_LARGE":
		case "FST_FILES_LIMIT":
		case "FST_PARTS_LIMIT":
			return new DomainError(
				"payload_too_large",
				"The request body is larger than allowed.",
			);
		case "FST_INVALID_MULTIPART_CONTENT_TYPE":
			return new DomainError(
				"unsupported_media_type",
				"Upload the file as multipart/form-data in a field named `file`.",
			);
		case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
		case "FST_ERR_BAD_URL":
		case "FST_ERR_ASYNC_CONSTRAINT":
			return new DomainError("bad_request", fe.message);
		default:
			break;
	}
	if (typeof fe?.statusCode === "number" && fe.statusCode === 429) {
		return new DomainError(
			"rate_limited",
			"Too many requests; wait a moment and try again.",
		);
	}
	if (
		typeof fe?.statusCode === "number" &&
		fe.statusCode >= 400 &&
		fe.statusCode < 500
	) {
		return new DomainError(
			fe.statusCode === 413 ? "payload_too_large" : "bad_request",
			fe.message,
		);
	}
	const pg = pgErrorCode(err);
	if (pg === "40001" || pg === "40P01") {
		return new DomainError(
			"conflict_retry",
			"A concurrent change got in the way; retry the request.",
		);
	}
	// 57014: PostgreSQL stopped the statement at the pool's statement_timeout (or an
	// operator cancelled it); its transaction was rolled back.
	if (pg === "57014") {
		return new DomainError(
			"statement_timeout",
			"The database took too long to answer and the request was stopped; nothing was changed. Narrow it (a longer search text, a status or another filter) or try again later.",
		);
	}
	// 22003: a number beyond its column's type; 22009: a time zone displacement out of
	// range (an instant past year 9999). The input's own checks should catch both first.
	if (pg === "22003" || pg === "22009") {
		return new DomainError(
			"validation_failed",
			"A number or date in the request is out of range.",
		);
	}
	// 22021: a NUL character (or invalid UTF-8) in a text value; 22P05: untranslatable.
	if (
		pg === "22P02" ||
		pg === "22007" ||
		pg === "22008" ||
		pg === "22021" ||
		pg === "22P05"
	) {
		return new DomainError(
			"validation_failed",
			"A value in the request has the wrong format.",
		);
	}
	if (err instanceof Error && MALFORMED_MULTIPART.test(err.message)) {
		return new DomainError(
			"validation_failed",
			"The multipart/form-data body is malformed; upload the file in a field named `file`.",
			[{ path: "body", code: "invalid_multipart", message: err.message }],
		);
	}
	return null;
}

/** The multipart parser's (busboy's) plain errors for a malformed request body. */
const MALFORMED_MULTIPART =
	/^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|.+ terminated early due to unexpected end of multipart data|The needle cannot .+|Missing Content-Type-header\.|Unsupported Content-Type\.)$/;

/** Sends a problem+json response. */
export function sendProblem(
	reply: FastifyReply,
	req: FastifyRequest,
	err: DomainError,
) {
	return reply
		.status(err.status)
		.headers(err.headers)
		.type("application/problem+json")
		.send(problemOf(err, req.url));
}
