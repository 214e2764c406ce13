/**
 * Response compression (`CPOR_COMPRESS_RESPONSES`, @fastify/compress): answers of 4 KB or
 * more (COMPRESS_MIN_BYTES) and streamed exports are sent as brotli or gzip by the
 * request's Accept-Encoding and decode to the same bytes; smaller ones, and every answer of
 * a server with it turned off, are sent as they are; an Idempotency-Key replay is the same
 * JSON whatever either request accepts.
 */
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/demo/generate-directory.ts";
import { COMPRESS_MIN_BYTES } from "../../src/http/server.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";
/** A 200-character text (the longest a claim's name or a contact's field may be). */
const long = (s: string) => `${s} ${"x".repeat(200)}`.slice(0, 200);
/** The four core Microsoft 365 workloads: one claim each for Contoso (R-CMP-1). */
const WORKLOADS = [
	"exchange-online",
	"sharepoint-online",
	"microsoft-teams",
	"microsoft-365-apps",
];

describe("compressed responses", () => {
	let t: TestApp;
	let off: TestApp;
	let ana: Client;
	let claimId: string;
	beforeAll(async () => {
		t = await startTestApp("pglite");
		off = await startTestApp("pglite", {
			env: { CPOR_COMPRESS_RESPONSES: "false" },
		});
		ana = await t.login(USERS.ana);
		for (const productId of WORKLOADS) {
			const made = await ana.post(
				`${API}/claims`,
				m365ClaimBody({ name: long(productId), products: [{ productId }] }),
			);
			expect(made.statusCode, made.body).toBe(201);
			claimId = made.json().id;
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
		expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
		expect((plain.json() as { items: unknown[] }).items.length).toBe(4);

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
		expect(plain.body.split("\n").filter(Boolean)).toHaveLength(5);
		const gz = await get(ana, `${API}/claims?format=csv`, "gzip");
		expect(gz.statusCode).toBe(200);
		expect(gz.headers["content-encoding"]).toBe("gzip");
		expect(gz.headers["content-type"]).toMatch(/^text\/csv/);
		expect(gunzipSync(gz.rawPayload).toString("utf8")).toBe(plain.body);
	});

	it("sends answers under 4 KB, such as a claim, as they are", async () => {
		const claim = await get(ana, `${API}/claims/${claimId}`, "br");
		expect(claim.statusCode).toBe(200);
		expect(claim.rawPayload.length).toBeGreaterThan(1024);
		expect(claim.rawPayload.length).toBeLessThan(COMPRESS_MIN_BYTES);
		expect(claim.headers["content-encoding"]).toBeUndefined();
		expect(claim.json()).toMatchObject({ id: claimId });
	});

	it("replays an Idempotency-Key request as the same JSON, compressed or not as the replay asks", async () => {
		// A claim whose answer passes 4 KB: long fields and six PoE documents already.
		const made = await ana.post(
			`${API}/claims`,
			m365ClaimBody({
				name: long("Idempotent and compressed"),
				customer: {
					tenantId: DEMO_IDS.tenants.adventureWorks,
					domain: DEMO_IDS.domains.adventureWorksInitial,
				},
				products: [{ productId: "exchange-online" }],
				contacts: {
					customer: { name: long("C"), title: long("T") },
					customerTechnical: { name: long("D"), title: long("E") },
					partner: { name: long("P") },
				},
			}),
		);
		expect(made.statusCode, made.body).toBe(201);
		const id = made.json().id as string;
		const url = `${API}/claims/${id}/documents`;
		for (const n of [1, 2, 3, 4, 5, 6]) {
			const up = await ana.upload(url, samplePdf(`PoE ${n}`), long(`poe ${n}`));
			expect(up.statusCode, up.body).toBe(201);
		}

		const headers = { "idempotency-key": "compressed-upload-1" };
		const pdf = samplePdf("PoE 7");
		const first = await ana.upload(url, pdf, "poe 7.pdf", {
			...headers,
			"accept-encoding": "br",
		});
		expect(first.statusCode, first.body).toBe(201);
		expect(first.headers["content-encoding"]).toBe("br");
		const answer = JSON.parse(
			brotliDecompressSync(first.rawPayload).toString("utf8"),
		) as { claim: { documents: unknown[] } };
		expect(answer.claim.documents).toHaveLength(7);

		const plainReplay = await ana.upload(url, pdf, "poe 7.pdf", headers);
		expect(plainReplay.statusCode).toBe(201);
		expect(plainReplay.headers["idempotent-replayed"]).toBe("true");
		expect(plainReplay.headers["content-encoding"]).toBeUndefined();
		expect(plainReplay.json()).toEqual(answer);

		const gzReplay = await ana.upload(url, pdf, "poe 7.pdf", {
			...headers,
			"accept-encoding": "gzip",
		});
		expect(gzReplay.headers["idempotent-replayed"]).toBe("true");
		expect(gzReplay.headers["content-encoding"]).toBe("gzip");
		expect(
			JSON.parse(gunzipSync(gzReplay.rawPayload).toString("utf8")),
		).toEqual(answer);
		// Done once: the claim holds seven documents, not eight.
		expect(
			(await get(ana, `${API}/claims/${id}`)).json().documents,
		).toHaveLength(7);
	});

	it("sends everything as it is when CPOR_COMPRESS_RESPONSES=false", async () => {
		expect(off.ctx.config.compressResponses).toBe(false);
		expect(t.ctx.config.compressResponses).toBe(true);
		const other = await off.login(USERS.ana);
		for (const productId of WORKLOADS) {
			const made = await other.post(
				`${API}/claims`,
				m365ClaimBody({ name: long(productId), products: [{ productId }] }),
			);
			expect(made.statusCode, made.body).toBe(201);
		}
		const list = await get(other, `${API}/claims`, "gzip, deflate, br");
		expect(list.statusCode).toBe(200);
		expect(list.rawPayload.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
		expect(list.headers["content-encoding"]).toBeUndefined();
		expect((list.json() as { items: unknown[] }).items).toHaveLength(4);
		const csv = await get(other, `${API}/claims?format=csv`, "gzip");
		expect(csv.headers["content-encoding"]).toBeUndefined();
		expect(csv.body.split("\n").filter(Boolean)).toHaveLength(5);
	});
});
