/**
 * Response compression (`CPOR_COMPRESS_RESPONSES`, @fastify/compress): responses of 1 KB
 * or more are sent as brotli or gzip by the request's Accept-Encoding and decode to the
 * same bytes; smaller ones, and every response of a server with it turned off, are sent as
 * they are; an Idempotency-Key replay is the same JSON whatever either request accepts.
 */
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type Client,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

describe("compressed responses", () => {
	let t: TestApp;
	let off: TestApp;
	let ana: Client;
	beforeAll(async () => {
		t = await startTestApp("pglite");
		off = await startTestApp("pglite", {
			env: { CPOR_COMPRESS_RESPONSES: "false" },
		});
		ana = await t.login(USERS.ana);
		for (const name of ["Compressed one", "Compressed two"]) {
			const made = await ana.post(
				`${API}/claims`,
				m365ClaimBody({
					name,
					products: [
						{
							productId:
								name === "Compressed one"
									? "exchange-online"
									: "microsoft-teams",
						},
					],
				}),
			);
			expect(made.statusCode, made.body).toBe(201);
		}
	}, 60_000);
	afterAll(async () => {
		await off?.close();
		await t?.close();
	});

	const get = (c: Client, url: string, acceptEncoding?: string) =>
		c.request("GET", url, {
			headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {},
		});

	it("sends the claims list as brotli or gzip as the client accepts, decoding to the same JSON, and as it is without Accept-Encoding", async () => {
		const plain = await get(ana, `${API}/claims`);
		expect(plain.statusCode).toBe(200);
		expect(plain.headers["content-encoding"]).toBeUndefined();
		expect(plain.rawPayload.length).toBeGreaterThan(1024);
		expect((plain.json() as { items: unknown[] }).items.length).toBe(2);

		const br = await get(ana, `${API}/claims`, "gzip, deflate, br");
		expect(br.statusCode).toBe(200);
		expect(br.headers["content-encoding"]).toBe("br");
		expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
		expect(br.headers["content-type"]).toMatch(/^application\/json/);
		const brText = brotliDecompressSync(br.rawPayload).toString("utf8");
		expect(br.rawPayload.length).toBeLessThan(brText.length / 2);
		expect(JSON.parse(brText)).toEqual(plain.json());

		const gz = await get(ana, `${API}/claims`, "gzip");
		expect(gz.headers["content-encoding"]).toBe("gzip");
		expect(JSON.parse(gunzipSync(gz.rawPayload).toString("utf8"))).toEqual(
			plain.json(),
		);

		const identity = await get(ana, `${API}/claims`, "identity");
		expect(identity.headers["content-encoding"]).toBeUndefined();
		expect(identity.json()).toEqual(plain.json());
	});

	it("streams the CSV export compressed, decoding to the same rows", async () => {
		const plain = await get(ana, `${API}/claims?format=csv`);
		expect(plain.statusCode).toBe(200);
		expect(plain.body.split("\n").filter(Boolean)).toHaveLength(3);
		const gz = await get(ana, `${API}/claims?format=csv`, "gzip");
		expect(gz.statusCode).toBe(200);
		expect(gz.headers["content-encoding"]).toBe("gzip");
		expect(gz.headers["content-type"]).toMatch(/^text\/csv/);
		expect(gunzipSync(gz.rawPayload).toString("utf8")).toBe(plain.body);
	});

	it("sends responses under 1 KB as they are", async () => {
		const me = await get(ana, `${API}/me`, "br");
		expect(me.statusCode).toBe(200);
		expect(me.rawPayload.length).toBeLessThan(1024);
		expect(me.headers["content-encoding"]).toBeUndefined();
		expect(me.json()).toMatchObject({ user: { email: USERS.ana } });
	});

	it("replays an Idempotency-Key request as the same JSON, compressed or not as the replay asks", async () => {
		// Long enough a name that the claim's JSON passes 1 KB.
		const body = m365ClaimBody({
			name: `Idempotent and compressed ${"adoption ".repeat(12)}`.trim(),
			products: [{ productId: "sharepoint-online" }],
		});
		const headers = { "idempotency-key": "compressed-create-1" };
		const first = await ana.post(`${API}/claims`, body, {
			...headers,
			"accept-encoding": "br",
		});
		expect(first.statusCode, first.body).toBe(201);
		expect(first.headers["content-encoding"]).toBe("br");
		expect(first.headers.etag).toBe('"1"');
		const created = JSON.parse(
			brotliDecompressSync(first.rawPayload).toString("utf8"),
		) as { id: string };

		const plainReplay = await ana.post(`${API}/claims`, body, headers);
		expect(plainReplay.statusCode).toBe(201);
		expect(plainReplay.headers["idempotent-replayed"]).toBe("true");
		expect(plainReplay.headers["content-encoding"]).toBeUndefined();
		expect(plainReplay.json()).toEqual(created);

		const gzReplay = await ana.post(`${API}/claims`, body, {
			...headers,
			"accept-encoding": "gzip",
		});
		expect(gzReplay.headers["idempotent-replayed"]).toBe("true");
		expect(gzReplay.headers["content-encoding"]).toBe("gzip");
		expect(
			JSON.parse(gunzipSync(gzReplay.rawPayload).toString("utf8")),
		).toEqual(created);
	});

	it("sends everything as it is when CPOR_COMPRESS_RESPONSES=false", async () => {
		expect(off.ctx.config.compressResponses).toBe(false);
		expect(t.ctx.config.compressResponses).toBe(true);
		const nora = await off.login(USERS.ana);
		const made = await nora.post(
			`${API}/claims`,
			m365ClaimBody({ products: [{ productId: "exchange-online" }] }),
		);
		expect(made.statusCode, made.body).toBe(201);
		const list = await get(nora, `${API}/claims`, "gzip, deflate, br");
		expect(list.statusCode).toBe(200);
		expect(list.rawPayload.length).toBeGreaterThan(1024);
		expect(list.headers["content-encoding"]).toBeUndefined();
		expect((list.json() as { items: unknown[] }).items).toHaveLength(1);
	});
});
