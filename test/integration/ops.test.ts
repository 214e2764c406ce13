import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/http/server.ts";
import {
	PASSWORD,
	type TestApp,
	USERS,
	startTestApp,
} from "../support/test-app.ts";

describe("operational endpoints and the API reference", () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp("pglite");
	});
	afterAll(async () => t?.close());

	it("serves /healthz, /readyz and Prometheus /metrics", async () => {
		const anon = t.anonymous();
		expect((await anon.get("/healthz")).json()).toEqual({ status: "ok" });
		expect((await anon.get("/readyz")).json()).toEqual({
			status: "ready",
			database: "pglite",
		});
		await (await t.login(USERS.ana)).get("/api/v1/claims");
		const metrics = await anon.get("/metrics");
		expect(metrics.headers["content-type"]).toMatch(/text\/plain/);
		expect(metrics.body).toMatch(
			/cpor_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/claims",status="200"\} 1/,
		);
	});

	it("generates the OpenAPI 3.1 document from the route schemas and serves the reference page", async () => {
		const doc = (await t.anonymous().get("/api/v1/openapi.json")).json();
		expect(doc.openapi).toBe("3.1.0");
		const paths = Object.keys(doc.paths);
		for (const p of [
			"/api/v1/claims",
			"/api/v1/claims/{id}",
			"/api/v1/claims/{id}/documents",
			"/api/v1/claims/{id}/request-information",
			"/api/v1/claims/{id}/dispute-decision",
			"/api/v1/review-queue",
			"/api/v1/customer/associations/{claimId}/opt-out",
			"/api/v1/admin/directory/import",
		]) {
			expect(paths).toContain(p);
		}
		const reasons =
			doc.paths["/api/v1/claims/{id}/request-information"].post.requestBody
				.content["application/json"].schema.properties.reasons.items.enum;
		expect(reasons).toContain("missing_customer_acknowledgement");
		const page = await t.anonymous().get("/api/docs/");
		expect(page.statusCode).toBe(200);
		expect(page.body).toMatch(/swagger/i);
	});

	it("R-TIME-9 without --sandbox the clock endpoint does not exist (404)", async () => {
		const plain = await buildServer(t.ctx, { logger: false });
		const paula = await t.login(USERS.paula);
		const login = await plain.inject({
			method: "POST",
			url: "/api/v1/auth/login",
			payload: { email: USERS.paula, password: PASSWORD },
		});
		const cookie = String(login.headers["set-cookie"]).split(";")[0] as string;
		const res = await plain.inject({
			method: "GET",
			url: "/api/v1/admin/clock",
			headers: { cookie },
		});
		expect(res.statusCode).toBe(404);
		expect(res.json().code).toBe("not_found");
		// The sandbox server (the harness) has it.
		expect((await paula.get("/api/v1/admin/clock")).statusCode).toBe(200);
		await plain.close();
	});

	it("answers unknown routes with problem+json 404", async () => {
		const res = await t.anonymous().get("/api/v1/nope");
		expect(res.statusCode).toBe(404);
		expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
		expect(res.json().code).toBe("not_found");
	});
});
