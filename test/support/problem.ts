/**
 * The problem+json answer every API error has (API.md "Errors"), checked in one place
 * for the integration tests.
 */
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";

/** An API error's body: RFC 9457 fields plus `code` and `errors[]` (API.md). */
export interface ProblemBody {
	type: string;
	title: string;
	status: number;
	detail: string;
	code: string;
	errors: { path: string; code: string; message: string }[];
	[extra: string]: unknown;
}

/**
 * Asserts that `res` is a problem+json answer with `status` and `code` (and, when given,
 * exactly these `errors[].path`s in order), every field of {@link ProblemBody} present.
 * Returns the parsed body.
 */
export function expectProblem(
	res: LightMyRequestResponse,
	status: number,
	code: string,
	paths?: string[],
): ProblemBody {
	expect(res.statusCode, res.body).toBe(status);
	expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
	const body = res.json() as ProblemBody;
	expect(body.code, res.body).toBe(code);
	expect(body.status).toBe(status);
	expect(typeof body.type).toBe("string");
	expect(typeof body.title).toBe("string");
	expect(typeof body.detail).toBe("string");
	expect(Array.isArray(body.errors)).toBe(true);
	if (paths) expect(body.errors.map((e) => e.path)).toEqual(paths);
	return body;
}
