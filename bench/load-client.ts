/**
 * HTTP load helpers for the benchmarks that run a load process next to a `cpor serve`
 * child (bench/embedded.ts): keep-alive requests, and the create + upload PoE + submit
 * loop of Microsoft 365 usage claims (the same sequence as bench/write-path.ts), each
 * claim on a distinct tenant × workload so R-CMP-1 never refuses one.
 */
import http from "node:http";

/** A tiny valid PDF used as PoE. */
export const PDF = Buffer.from(
	"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/**
 * {@link PDF} made unique to `claimId` by a PDF comment line after the header, so every
 * claim's PoE is a new file to the content-addressed store (stored and renamed into a
 * new shard folder), as in real use, not a duplicate it drops.
 */
export function poePdf(claimId: string): Buffer {
	const header = "%PDF-1.4\n".length;
	return Buffer.concat([
		PDF.subarray(0, header),
		Buffer.from(`%claim ${claimId}\n`),
		PDF.subarray(header),
	]);
}

/** A response: status and body text. */
export interface Reply {
	status: number;
	body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

/** One HTTP request over the shared keep-alive agent. */
export function send(
	url: string,
	method: string,
	headers: Record<string, string>,
	body?: Buffer | string,
): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent }, (res) => {
			const chunks: Buffer[] = [];
			res.on("data", (c: Buffer) => chunks.push(c));
			res.on("end", () =>
				resolve({
					status: res.statusCode ?? 0,
					body: Buffer.concat(chunks).toString("utf8"),
				}),
			);
			res.on("error", reject);
		});
		req.on("error", reject);
		if (body !== undefined) req.end(body);
		else req.end();
	});
}

/**
 * One GET over the shared keep-alive agent that reads the body without keeping or
 * decoding it (the read-path load, whose list pages are ~100 KB: decoding them cost the
 * load process 0.67-0.70 ms of CPU per first page, draining it 0.58 ms). Resolves to
 * the status.
 */
export function getDiscarding(
	url: string,
	headers: Record<string, string>,
): Promise<{ status: number }> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: "GET", headers, agent }, (res) => {
			res.resume();
			res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
			res.on("error", reject);
		});
		req.on("error", reject);
		req.end();
	});
}

/** Closes the keep-alive sockets (so the process can exit). */
export function closeAgent(): void {
	agent.destroy();
}

/** The p-th percentile (nearest rank) in ms, one decimal; null for no samples. */
export function percentile(xs: number[], p: number): number | null {
	if (!xs.length) return null;
	const s = [...xs].sort((a, b) => a - b);
	const v = s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
	return Math.round((v ?? 0) * 10) / 10;
}

/** A claimable tenant × Microsoft 365 workload. */
export interface LoadCombo {
	tenantId: string;
	domain: string;
	productId: string;
}

/** Options of {@link runCreateSubmitLoad}. */
export interface CreateSubmitLoadOptions {
	/** `http://host:port` of the server. */
	base: string;
	/** API token of a partner user who may write claims. */
	token: string;
	/** An MPN ID of the token's organization enrolled in osu_m365. */
	mpnId: string;
	/** The partner contact written into each claim. */
	partner: { name: string; email: string };
	/** Distinct combos; each claim takes the next one (the load stops when they run out). */
	combos: LoadCombo[];
	clients: number;
	seconds: number;
}

/** What the load did: throughput, latency per step, errors by step/status/body. */
export interface CreateSubmitLoadResult {
	done: number;
	seconds: number;
	perSecond: number;
	latency: Record<
		string,
		{ n: number; p50: number | null; p99: number | null }
	>;
	errors: Record<string, number>;
	exhausted: boolean;
}

/**
 * `clients` concurrent loops, each: POST /claims (a Microsoft 365 usage claim), POST
 * /claims/{id}/documents (a tiny PDF, a different file per claim), POST /claims/{id}/submit, until `seconds` pass.
 */
export async function runCreateSubmitLoad(
	o: CreateSubmitLoadOptions,
): Promise<CreateSubmitLoadResult> {
	const lat: Record<string, number[]> = {
		sequence: [],
		create: [],
		upload: [],
		submit: [],
	};
	const errors: Record<string, number> = {};
	let done = 0;
	let next = 0;
	const deadline = performance.now() + o.seconds * 1000;
	const auth = { authorization: `Bearer ${o.token}` };
	const fail = (what: string, r: Reply) => {
		const key = `${what} ${r.status} ${r.body.slice(0, 120)}`;
		errors[key] = (errors[key] ?? 0) + 1;
	};
	const timed = async <T>(what: string, f: () => Promise<T>) => {
		const t = performance.now();
		const r = await f();
		lat[what]?.push(performance.now() - t);
		return r;
	};
	async function client() {
		while (performance.now() < deadline) {
			const c = o.combos[next++];
			if (!c) break;
			const t0 = performance.now();
			const created = await timed("create", () =>
				send(
					`${o.base}/api/v1/claims`,
					"POST",
					{ ...auth, "content-type": "application/json" },
					JSON.stringify({
						name: `Bench ${c.productId} ${c.tenantId.slice(0, 8)}`,
						mpnId: o.mpnId,
						customer: { tenantId: c.tenantId, domain: c.domain },
						solutionArea: "microsoft_365",
						activity: "usage",
						products: [{ productId: c.productId }],
						contacts: {
							customer: {
								name: "Chris Customer",
								title: "CIO",
								email: `it@${c.domain}`,
							},
							partner: o.partner,
						},
					}),
				),
			);
			if (created.status !== 201) {
				fail("create", created);
				continue;
			}
			const id = (JSON.parse(created.body) as { id: string }).id;
			const boundary = `----cporbench${next}`;
			const payload = Buffer.concat([
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="poe.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
				),
				poePdf(id),
				Buffer.from(`\r\n--${boundary}--\r\n`),
			]);
			const up = await timed("upload", () =>
				send(
					`${o.base}/api/v1/claims/${id}/documents`,
					"POST",
					{
						...auth,
						"content-type": `multipart/form-data; boundary=${boundary}`,
					},
					payload,
				),
			);
			if (up.status !== 201) {
				fail("upload", up);
				continue;
			}
			const sub = await timed("submit", () =>
				send(
					`${o.base}/api/v1/claims/${id}/submit`,
					"POST",
					{ ...auth, "content-type": "application/json" },
					"{}",
				),
			);
			if (sub.status !== 200) {
				fail("submit", sub);
				continue;
			}
			lat.sequence?.push(performance.now() - t0);
			done++;
		}
	}
	const started = performance.now();
	await Promise.all(Array.from({ length: o.clients }, () => client()));
	const elapsed = (performance.now() - started) / 1000;
	const latency = Object.fromEntries(
		Object.entries(lat)
			.filter(([, xs]) => xs.length)
			.map(([k, xs]) => [
				k,
				{ n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) },
			]),
	);
	return {
		done,
		seconds: Math.round(elapsed * 10) / 10,
		perSecond: Math.round((done / elapsed) * 10) / 10,
		latency,
		errors,
		exhausted: next > o.combos.length,
	};
}
