/**
 * The error answers of each operation in the OpenAPI document (API.md "Conventions":
 * errors are RFC 9457 problem details with a stable `code`). The route schemas declare
 * only their success answer (a response schema would also change how Fastify serializes
 * it), so the document's build adds them: {@link problemTransform} notes which errors a
 * route can answer from its options (signed in or anonymous, path parameters, body,
 * If-Match, rate limit), and {@link addProblemResponses} writes them into the finished
 * document with a shared `Problem` schema. Serving and validation do not change.
 */
import type { SwaggerTransform } from "@fastify/swagger";
import type { FastifySchema, RouteOptions } from "fastify";

/** The problem+json body every error answer has (src/http/problem.ts). */
export const PROBLEM_SCHEMA = {
	type: "object",
	description:
		"RFC 9457 problem details; `code` is stable (API.md, SPEC.md), `errors` names each bad field",
	required: ["type", "title", "status", "detail", "code"],
	properties: {
		type: { type: "string" },
		title: { type: "string" },
		status: { type: "integer" },
		detail: { type: "string" },
		code: { type: "string" },
		errors: {
			type: "array",
			items: {
				type: "object",
				required: ["path", "code", "message"],
				properties: {
					path: { type: "string" },
					code: { type: "string" },
					message: { type: "string" },
					line: { type: "integer" },
				},
			},
		},
	},
} as const;

/** What each error status means, and its codes (docs/api.md). */
const DESCRIPTIONS: Record<string, string> = {
	"400":
		"`bad_request`: the body is not well-formed (e.g. JSON that does not parse)",
	"401": "`unauthenticated`: no valid session cookie or bearer token",
	"403":
		"`forbidden`: the caller's role does not allow this, or a cookie write without `X-CSRF-Token`",
	"404":
		"`not_found`: no such resource, or one the caller may not see (never 403 across organizations)",
	"409":
		"the action conflicts with the resource's state: `invalid_transition`, `claim_not_editable`, `dispute_window_closed`, `subscription_already_claimed`, `association_already_approved`, `idempotency_key_in_use`, …",
	"412": "`version_conflict`: `If-Match` names an older version",
	"413": "`payload_too_large`: the body is over the limit",
	"415": "`unsupported_media_type`: the body is not of a type this route takes",
	"422":
		"`validation_failed` or a rule's code (`domain_tenant_mismatch`, `mpn_not_enrolled`, …), with `errors[]` naming each field",
	"428": "`precondition_required`: `If-Match` is missing",
	"429":
		"`rate_limited`: too many requests; `Retry-After` says when to try again",
	"503":
		"`statement_timeout`: the database did not answer in time (PostgreSQL, `CPOR_STATEMENT_TIMEOUT_MS`); try again",
};

/** The error statuses of each operation, by `METHOD /path/{param}`, noted while the document is built. */
export type ProblemIndex = Map<string, string[]>;

const ACTS_ON_STATE =
	/^\/api\/v1\/(claims|customer\/associations|admin\/clock|webhooks|api-tokens|mpn-ids)/;

/** The error statuses a route can answer, from its options and schema. */
function statusesOf(
	method: string,
	url: string,
	route: RouteOptions,
	schema: FastifySchema,
): string[] {
	const config = (route.config ?? {}) as {
		anonymous?: boolean;
		rateLimit?: unknown;
		problems?: readonly string[];
	};
	const out = new Set<string>(config.problems ?? []);
	if (!config.anonymous) out.add("401").add("403");
	if (url.includes(":")) out.add("404");
	if (schema.body || schema.querystring || schema.params || schema.headers)
		out.add("422");
	const body = !!(schema.body || (schema as { consumes?: unknown }).consumes);
	// A body that is not JSON, or too large, or not JSON at all.
	if (body) out.add("400").add("413").add("415");
	// A state that refuses the action, or an Idempotency-Key reused with another body.
	if (
		(method !== "GET" && ACTS_ON_STATE.test(url)) ||
		(method === "POST" && !config.anonymous)
	)
		out.add("409");
	const headers = schema.headers as { properties?: object } | undefined;
	if (headers?.properties && "if-match" in headers.properties) {
		out.add("412");
		// An edit must say which version it edits; an action may leave If-Match out.
		if (method === "PATCH") out.add("428");
	}
	if (config.rateLimit) out.add("429");
	// Every route reads the database, whose statements have a time limit on PostgreSQL.
	out.add("503");
	return [...out].sort();
}

/**
 * Wraps a route-schema transform (jsonSchemaTransform) so that it notes each route's
 * error statuses in `index`, keyed as the document names the operation.
 */
export function problemTransform(
	inner: SwaggerTransform,
	index: ProblemIndex,
): SwaggerTransform {
	return (input) => {
		const out = inner(input);
		const methods = [input.route.method].flat();
		const path = input.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
		for (const m of methods)
			index.set(
				`${m.toLowerCase()} ${path}`,
				// The schema as JSON Schema (the transform's output), not as zod.
				statusesOf(m.toUpperCase(), input.url, input.route, out.schema),
			);
		return out;
	};
}

/** A document's operations: `paths[path][method]` with their `responses`. */
type Doc = {
	paths?: Record<string, Record<string, { responses?: object }>>;
	components?: { schemas?: Record<string, unknown> };
};

/**
 * Adds the `Problem` schema and, to each operation noted in `index`, its error answers
 * (`application/problem+json`, described with their codes). Returns the document.
 */
export function addProblemResponses<T extends object>(
	doc: T,
	index: ProblemIndex,
): T {
	const d = doc as Doc;
	d.components ??= {};
	d.components.schemas = { ...d.components.schemas, Problem: PROBLEM_SCHEMA };
	for (const [path, ops] of Object.entries(d.paths ?? {}))
		for (const [method, op] of Object.entries(ops)) {
			const statuses = index.get(`${method} ${path}`);
			if (!statuses) continue;
			const responses = (op.responses ?? {}) as Record<string, unknown>;
			for (const status of statuses)
				responses[status] ??= {
					description: DESCRIPTIONS[status] ?? "error",
					content: {
						"application/problem+json": {
							schema: { $ref: "#/components/schemas/Problem" },
						},
					},
				};
			op.responses = responses;
		}
	return doc;
}
