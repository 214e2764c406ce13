import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildServer } from "../../src/http/server.ts";
import { startRuntime } from "../../src/runtime.ts";
import {
	createTestDatabase,
	PASSWORD,
	queryRows,
	startTestApp,
	type TestApp,
	USERS,
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
		// Each operation's error answers are problem+json, with the statuses it can give.
		const responses = (path: string, method: string) =>
			Object.keys(doc.paths[path][method].responses);
		expect(responses("/api/v1/claims/{id}", "patch")).toEqual([
			"200",
			"400",
			"401",
			"403",
			"404",
			"409",
			"412",
			"413",
			"415",
			"422",
			"428",
			"503",
		]);
		expect(responses("/api/v1/auth/login", "post")).toEqual([
			"200",
			"400",
			"401",
			"413",
			"415",
			"422",
			"429",
			"503",
		]);
		// Sign-out takes no body: nothing about bodies.
		expect(responses("/api/v1/auth/logout", "post")).toEqual(["200", "503"]);
		expect(
			responses("/api/v1/customer/associations/{claimId}/opt-out", "post"),
		).toEqual(expect.arrayContaining(["401", "403", "404", "409"]));
		expect(responses("/api/v1/claims", "get")).toEqual([
			"200",
			"401",
			"403",
			"422",
			"503",
		]);
		expect(
			doc.paths["/api/v1/claims/{id}/approve"].post.responses["409"].content[
				"application/problem+json"
			].schema,
		).toEqual({ $ref: "#/components/schemas/Problem" });
		expect(doc.components.schemas.Problem.required).toContain("code");
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

describe("the PostgreSQL pool of a server process", () => {
	it("holds at most CPOR_DB_POOL_SIZE connections, however many queries wait", async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), "cpor-pool-"));
		const runtime = await startRuntime(
			loadConfig({
				DATABASE_URL: await createTestDatabase(),
				CPOR_DATA_DIR: dataDir,
				CPOR_DB_POOL_SIZE: "2",
				LOG_LEVEL: "silent",
			}),
		);
		try {
			// Eight queries at once, each holding its connection for 50 ms: they share two
			// backends (and all answer).
			const pids = await Promise.all(
				Array.from({ length: 8 }, async () => {
					const rows = await queryRows<{ pid: number }>(
						runtime,
						sql`select pg_backend_pid() as pid, pg_sleep(0.05)`,
					);
					return rows[0]?.pid;
				}),
			);
			expect(pids.every((p) => typeof p === "number")).toBe(true);
			expect(new Set(pids).size).toBe(2);
		} finally {
			await runtime.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
