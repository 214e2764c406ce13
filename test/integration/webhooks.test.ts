/**
 * R-NTF-1 webhooks (API.md `/webhooks`, "Events"): a real HTTP receiver on 127.0.0.1
 * verifies every delivery's Standard Webhooks signature and records what it got.
 */
import { lookup } from "node:dns/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { and, asc, eq, isNull } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, webhooks } from "../../src/db/schema.ts";
import { defaultChannels } from "../../src/jobs/channels.ts";
import {
	deliverDue,
	fanOutEvents,
	LOST_ATTEMPTS_ERROR,
	MAX_ATTEMPTS,
	MAX_DELIVERY_AGE_MS,
} from "../../src/jobs/dispatcher.ts";
import { runBackgroundWork } from "../../src/jobs/sweeper.ts";
import { isPublicAddress } from "../../src/webhooks/network-policy.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	type Client,
	type DbKind,
	DEMO_IDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

const API = "/api/v1";

/** One verified delivery. */
interface Received {
	id: string;
	timestamp: string;
	type: string;
	eventTimestamp: string;
	claim: { id: string; status: string; partnerOrganizationId: string };
	raw: string;
	headers: Record<string, string>;
}

/** A webhook endpoint: verifies with the subscription's secret, records every attempt. */
interface Receiver {
	url: string;
	/** Set once subscribed; deliveries before that answer 500. */
	secret: string | null;
	/** Answer 500 to this many more attempts (before verifying). */
	failNext: number;
	/** Milliseconds to wait before answering a verified delivery (a slow receiver). */
	delayMs: number;
	/** When set, verified deliveries are answered only once it resolves (after `onHeld`). */
	holdUntil: Promise<void> | null;
	/** Called when a verified delivery starts being held. */
	onHeld: (() => void) | null;
	/** Most verified deliveries being answered at once: overall, and of any one claim. */
	maxInFlight: { all: number; perClaim: number };
	attempts: { id: string; status: number }[];
	received: Received[];
	/** The verified deliveries of one claim, in arrival order. */
	of(claimId: string): Received[];
	close(): Promise<void>;
}

function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(h))
		if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
	return out;
}

async function startReceiver(): Promise<Receiver> {
	const r: Omit<Receiver, "url" | "close"> = {
		secret: null,
		failNext: 0,
		delayMs: 0,
		holdUntil: null,
		onHeld: null,
		maxInFlight: { all: 0, perClaim: 0 },
		attempts: [],
		received: [],
		of(claimId) {
			return this.received.filter((x) => x.claim.id === claimId);
		},
	};
	let inFlight = 0;
	const inFlightOf = new Map<string, number>();
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", (c: Buffer) => chunks.push(c));
		req.on("end", () => {
			const raw = Buffer.concat(chunks).toString("utf8");
			const headers = flatHeaders(req.headers);
			const id = headers["webhook-id"] ?? "";
			const answer = (status: number) => {
				r.attempts.push({ id, status });
				res.statusCode = status;
				res.end();
			};
			if (r.failNext > 0 || !r.secret) {
				r.failNext = Math.max(0, r.failNext - 1);
				return answer(500);
			}
			let body: {
				type: string;
				timestamp: string;
				data: { claim: Received["claim"] };
			};
			try {
				body = new Webhook(r.secret).verify(raw, headers) as typeof body;
			} catch {
				return answer(400);
			}
			r.received.push({
				id,
				timestamp: headers["webhook-timestamp"] ?? "",
				type: body.type,
				eventTimestamp: body.timestamp,
				claim: body.data.claim,
				raw,
				headers,
			});
			if (r.holdUntil) {
				r.onHeld?.();
				void r.holdUntil.then(() => answer(204));
				return;
			}
			if (r.delayMs === 0) return answer(204);
			const claimId = body.data.claim.id;
			const mine = (inFlightOf.get(claimId) ?? 0) + 1;
			inFlightOf.set(claimId, mine);
			inFlight++;
			r.maxInFlight.all = Math.max(r.maxInFlight.all, inFlight);
			r.maxInFlight.perClaim = Math.max(r.maxInFlight.perClaim, mine);
			setTimeout(() => {
				inFlight--;
				inFlightOf.set(claimId, (inFlightOf.get(claimId) ?? 1) - 1);
				answer(204);
			}, r.delayMs);
		});
	});
	await new Promise<void>((resolve) =>
		server.listen(0, "127.0.0.1", () => resolve()),
	);
	const { port } = server.address() as AddressInfo;
	return Object.assign(r, {
		url: `http://127.0.0.1:${port}/hooks/cpor`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	});
}

/** Runs background work until a round sends nothing (one delivery per claim and target per round). */
async function drain(t: TestApp): Promise<void> {
	for (let i = 0; i < 50; i++) {
		const r = await runBackgroundWork(t.ctx);
		if (r.events === 0 && r.deliveries.sent + r.deliveries.kept === 0) return;
	}
	throw new Error("background work did not settle");
}

async function subscribe(
	admin: Client,
	receiver: Receiver,
	eventTypes?: string[],
): Promise<string> {
	const res = await admin.post(`${API}/webhooks`, {
		url: receiver.url,
		...(eventTypes ? { eventTypes } : {}),
	});
	expect(res.statusCode, res.body).toBe(201);
	const sub = res.json() as { id: string; secret: string };
	receiver.secret = sub.secret;
	return sub.id;
}

async function ok(
	res: Promise<{ statusCode: number; body: string }>,
): Promise<void> {
	const r = await res;
	expect(r.statusCode, r.body).toBeLessThan(300);
}

/** Creates an M365 claim on a workload with PoE and submits it; returns its id. */
async function submitted(ana: Client, productId: string): Promise<string> {
	const c = await ana.post(
		`${API}/claims`,
		m365ClaimBody({ name: productId, products: [{ productId }] }),
	);
	expect(c.statusCode, c.body).toBe(201);
	const id = (c.json() as { id: string }).id;
	await ok(ana.upload(`${API}/claims/${id}/documents`, samplePdf(), "poe.pdf"));
	await ok(ana.post(`${API}/claims/${id}/submit`));
	return id;
}

/** Walks create → submit → review → information request → resubmit → approve. */
async function walk(
	ana: Client,
	rita: Client,
	productId: string,
): Promise<string> {
	const id = await submitted(ana, productId);
	await ok(rita.post(`${API}/claims/${id}/start-review`));
	await ok(
		rita.post(`${API}/claims/${id}/request-information`, {
			reasons: ["missing_all_poe"],
			comment: "Upload the signed statement of work.",
		}),
	);
	await ok(
		ana.post(`${API}/claims/${id}/resubmit`, { comment: "Signed SOW added." }),
	);
	await ok(rita.post(`${API}/claims/${id}/approve`, {}));
	return id;
}

const WALK_EVENTS = [
	"claim.submitted",
	"claim.review_started",
	"claim.information_requested",
	"claim.resubmitted",
	"claim.approved",
];

async function expectOrderedVerifiedWalk(
	t: TestApp,
	ana: Client,
	rita: Client,
	productId: string,
) {
	const receiver = await startReceiver();
	try {
		const subId = await subscribe(ana, receiver);
		const id = await walk(ana, rita, productId);
		await drain(t);
		const got = receiver.of(id);
		expect(got.map((r) => r.type)).toEqual(WALK_EVENTS);
		expect(got.map((r) => r.claim.status)).toEqual([
			"submitted",
			"under_review",
			"partner_action_required",
			"under_review",
			"approved",
		]);
		for (const r of got) {
			expect(r.claim.id).toBe(id);
			expect(r.claim.partnerOrganizationId).toBeTruthy();
			expect(r.id).toMatch(/^evt_/);
			expect(r.headers["webhook-signature"]).toMatch(/^v1,/);
			expect(r.headers["content-type"]).toContain("application/json");
			// The header carries the sending time (real clock); the body the event time.
			expect(Math.abs(Number(r.timestamp) * 1000 - Date.now())).toBeLessThan(
				60_000,
			);
			expect(r.eventTimestamp).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
		}
		expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
		// Every attempt succeeded at once, and nothing was sent twice.
		expect(receiver.attempts.filter((a) => a.status !== 204)).toEqual([]);
		await ok(ana.del(`${API}/webhooks/${subId}`));
		return { got, secret: receiver.secret as string };
	} finally {
		await receiver.close();
	}
}

/** The deliveries to one webhook subscription, in id (fan-out) order. */
function deliveriesTo(t: TestApp, subId: string) {
	return t.ctx.db
		.select()
		.from(deliveries)
		.where(eq(deliveries.target, subId))
		.orderBy(asc(deliveries.id));
}

/** Resolves with `work`'s value, or with a marker once `ms` pass (the timer is cleared). */
async function unlessAfter<T>(
	work: Promise<T>,
	ms: number,
): Promise<T | "waited"> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			work,
			new Promise<"waited">((resolve) => {
				timer = setTimeout(() => resolve("waited"), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * A receiver holds its delivery while the API reads and writes, the sandbox clock jumps
 * past the reservation's length and another pass runs (it sends nothing twice), and the
 * subscription is deleted: no transaction stays open while a delivery is sent. Each wait
 * has a 4-second guard, shorter than the webhook call's own 10-second timeout (which
 * would end the wait), so a wait for the held call fails the test instead of passing late.
 */
async function expectNothingWaitsForASend(
	t: TestApp,
	ana: Client,
	rita: Client,
	productId: string,
): Promise<void> {
	const receiver = await startReceiver();
	let release = () => {};
	let round: ReturnType<typeof runBackgroundWork> | undefined;
	const guarded = <T>(work: Promise<T>) => unlessAfter(work, 4_000);
	try {
		const subId = await subscribe(ana, receiver);
		const id = await submitted(ana, productId);
		receiver.holdUntil = new Promise<void>((resolve) => {
			release = resolve;
		});
		const held = new Promise<"held">((resolve) => {
			receiver.onHeld = () => resolve("held");
		});
		round = runBackgroundWork(t.ctx);
		expect(await guarded(held)).toBe("held");
		expect(
			await guarded(ana.get(`${API}/claims/${id}`).then((r) => r.statusCode)),
		).toBe(200);
		expect(
			await guarded(
				rita.post(`${API}/claims/${id}/start-review`).then((r) => r.statusCode),
			),
		).toBe(200);
		// The reservation is real time: a sandbox clock jumped past its length does not
		// let another pass (as a second worker would run) take the delivery again.
		t.clock.advanceBy("PT11M");
		expect(
			await guarded(deliverDue(t.ctx, defaultChannels(t.ctx.config))),
		).toMatchObject({
			sent: 0,
			retried: 0,
			failed: 0,
		});
		expect(
			await guarded(
				ana.del(`${API}/webhooks/${subId}`).then((r) => r.statusCode),
			),
		).toBe(204);
		release();
		// The held call went through: recorded as sent over the delete's closing, once.
		expect((await round).deliveries).toMatchObject({ sent: 1, failed: 0 });
		expect(receiver.attempts).toHaveLength(1);
		expect(receiver.of(id).map((r) => r.type)).toEqual(["claim.submitted"]);
		const rows = await deliveriesTo(t, subId);
		expect(
			rows.map((r) => [r.eventType, r.outcome, r.attempts, r.lastError]),
		).toEqual([["claim.submitted", "sent", 1, null]]);
		expect(rows[0]?.reservedUntil).toBeNull();
		// The review's start, fanned out after the delete, goes nowhere.
		await drain(t);
		expect(receiver.attempts).toHaveLength(1);
		expect(await deliveriesTo(t, subId)).toHaveLength(1);
	} finally {
		release();
		await round?.catch(() => {});
		await receiver.close();
	}
}

describe("R-NTF-1 webhooks on pglite", () => {
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	let paula: Client;
	let nora: Client;
	let ivan: Client;
	beforeAll(async () => {
		t = await startTestApp("pglite");
		[ana, rita, paula, nora, ivan] = await Promise.all([
			t.login(USERS.ana),
			t.login(USERS.rita),
			t.login(USERS.paula),
			t.login(USERS.nora),
			t.login(USERS.ivan),
		]);
	});
	afterAll(async () => t?.close());

	it("R-NTF-1 a subscriber gets the claim's events in order, each signed (Standard Webhooks) and carrying the claim", async () => {
		const { got, secret } = await expectOrderedVerifiedWalk(
			t,
			ana,
			rita,
			"microsoft-teams",
		);
		// Sanity check of the verifier: the original verifies; a tampered body or
		// another secret does not.
		const last = got.at(-1) as Received;
		const real = new Webhook(secret);
		expect(real.verify(last.raw, last.headers)).toMatchObject({
			type: "claim.approved",
		});
		const tampered = last.raw.replace('"approved"', '"rejected"');
		expect(tampered).not.toBe(last.raw);
		expect(() => real.verify(tampered, last.headers)).toThrow(
			WebhookVerificationError,
		);
		const other = new Webhook(
			`whsec_${Buffer.alloc(24, 7).toString("base64")}`,
		);
		expect(() => other.verify(last.raw, last.headers)).toThrow(
			WebhookVerificationError,
		);
	});

	it("R-NTF-1 subscriptions: secret shown once (whsec_), listed without it, http(s) only, admins only, no cross-organization access", async () => {
		const res = await ana.post(`${API}/webhooks`, {
			url: "https://crm.fabrikam.example/cpor",
			description: "CRM sync",
		});
		expect(res.statusCode, res.body).toBe(201);
		const sub = res.json();
		expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
		expect(Buffer.from(sub.secret.slice(6), "base64")).toHaveLength(24);
		expect(sub.eventTypes).toContain("claim.approved");
		expect(sub.eventTypes).toHaveLength(11);
		expect(sub.url).toBe("https://crm.fabrikam.example/cpor");

		const list = await ana.get(`${API}/webhooks`);
		expect(list.statusCode).toBe(200);
		const mine = list.json().items.find((w: { id: string }) => w.id === sub.id);
		expect(mine).toMatchObject({ id: sub.id, url: sub.url });
		expect(mine).not.toHaveProperty("secret");
		expect(list.body).not.toContain(sub.secret);

		for (const url of [
			"ftp://crm.fabrikam.example/x",
			"javascript:alert(1)",
			"not a url",
		]) {
			const bad = await ana.post(`${API}/webhooks`, { url });
			expect(bad.statusCode, url).toBe(422);
			expect(bad.headers["content-type"]).toContain("application/problem+json");
			expect(bad.json().code).toBe("validation_failed");
		}
		expect(
			(
				await ana.post(`${API}/webhooks`, {
					url: "https://x.example",
					eventTypes: ["claim.exploded"],
				})
			).statusCode,
		).toBe(422);

		// Another organization: neither sees nor deletes it.
		expect(
			(await nora.get(`${API}/webhooks`))
				.json()
				.items.map((w: { id: string }) => w.id),
		).not.toContain(sub.id);
		const noraDel = await nora.del(`${API}/webhooks/${sub.id}`);
		expect(noraDel.statusCode).toBe(404);
		expect(noraDel.json().code).toBe("not_found");

		// Not an admin: 403.
		for (const r of [
			await ivan.post(`${API}/webhooks`, { url: "https://x.example" }),
			await ivan.get(`${API}/webhooks`),
			await ivan.del(`${API}/webhooks/${sub.id}`),
		]) {
			expect(r.statusCode).toBe(403);
			expect(r.json().code).toBe("forbidden");
		}
		expect((await t.anonymous().get(`${API}/webhooks`)).statusCode).toBe(401);

		const del = await ana.del(`${API}/webhooks/${sub.id}`);
		expect(del.statusCode).toBe(204);
		expect((await ana.del(`${API}/webhooks/${sub.id}`)).statusCode).toBe(404);
		expect(
			(await ana.get(`${API}/webhooks`))
				.json()
				.items.map((w: { id: string }) => w.id),
		).not.toContain(sub.id);
	});

	it("R-NTF-1 a failing receiver is retried with backoff (same webhook-id), delivered once, and the claim's later events wait for it", async () => {
		const receiver = await startReceiver();
		try {
			const subId = await subscribe(ana, receiver);
			receiver.failNext = 3;
			const id = await submitted(ana, "exchange-online");
			await ok(rita.post(`${API}/claims/${id}/start-review`));
			await drain(t);
			expect(receiver.attempts.map((a) => a.status)).toEqual([500]);
			const firstId = receiver.attempts[0]?.id;
			expect(firstId).toMatch(/^evt_/);

			const advance = async (by: string) => {
				const r = await paula.post(`${API}/admin/clock`, { advanceBy: by });
				expect(r.statusCode, r.body).toBe(200);
			};
			// Backoff 5 s after the first failure: one second later nothing is due.
			await advance("PT1S");
			expect(receiver.attempts).toHaveLength(1);
			await advance("PT5S"); // 2nd attempt fails → 10 s
			await advance("PT10S"); // 3rd attempt fails → 20 s
			expect(receiver.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
			expect(receiver.of(id)).toEqual([]);
			await advance("PT19S");
			expect(receiver.attempts).toHaveLength(3);
			await advance("PT1S"); // 4th attempt succeeds, then the held-back event follows
			await drain(t);
			expect(receiver.of(id).map((r) => r.type)).toEqual([
				"claim.submitted",
				"claim.review_started",
			]);
			// Every attempt of the first event carried the same webhook-id; then the next one.
			expect(receiver.attempts.map((a) => a.id)).toEqual([
				firstId,
				firstId,
				firstId,
				firstId,
				receiver.of(id)[1]?.id,
			]);
			const [row] = await t.ctx.db
				.select()
				.from(deliveries)
				.where(
					and(
						eq(deliveries.target, subId),
						eq(deliveries.eventId, firstId as string),
					),
				);
			expect(row).toMatchObject({
				attempts: 4,
				outcome: "sent",
				lastError: null,
			});
			await ok(ana.del(`${API}/webhooks/${subId}`));
		} finally {
			await receiver.close();
		}
	});

	it("R-NTF-1 a subscription for claim.approved receives only that", async () => {
		const receiver = await startReceiver();
		try {
			const subId = await subscribe(ana, receiver, ["claim.approved"]);
			const listed = (await ana.get(`${API}/webhooks`))
				.json()
				.items.find((w: { id: string }) => w.id === subId);
			expect(listed.eventTypes).toEqual(["claim.approved"]);
			const id = await walk(ana, rita, "sharepoint-online");
			await drain(t);
			expect(receiver.received.map((r) => r.type)).toEqual(["claim.approved"]);
			expect(receiver.of(id)).toHaveLength(1);
			expect(receiver.of(id)[0]?.claim.status).toBe("approved");
			await ok(ana.del(`${API}/webhooks/${subId}`));
		} finally {
			await receiver.close();
		}
	});

	it("R-NTF-1 deliveries of different claims are sent at the same time, a claim's one after another, and a round stops sending at its budget", async () => {
		const receiver = await startReceiver();
		try {
			const subId = await subscribe(ana, receiver);
			receiver.delayMs = 150;
			// Six customers (generated tenants), two events each: submitted, review started.
			const customers = (testDirectory().tenants ?? [])
				.filter(
					(x) =>
						x.tenantId !== DEMO_IDS.tenants.contoso &&
						x.tenantId !== DEMO_IDS.tenants.adventureWorks,
				)
				.slice(0, 6);
			expect(customers).toHaveLength(6);
			const ids: string[] = [];
			for (const c of customers) {
				const res = await ana.post(
					`${API}/claims`,
					m365ClaimBody({
						name: `Concurrent delivery ${c.name}`,
						customer: { tenantId: c.tenantId, domain: c.domains[0] },
					}),
				);
				expect(res.statusCode, res.body).toBe(201);
				const id = (res.json() as { id: string }).id;
				await ok(
					ana.upload(`${API}/claims/${id}/documents`, samplePdf(), "poe.pdf"),
				);
				await ok(ana.post(`${API}/claims/${id}/submit`));
				await ok(rita.post(`${API}/claims/${id}/start-review`));
				ids.push(id);
			}
			// A budget of 0 ms: one pass, then the round returns. The pass takes the oldest
			// undelivered delivery of each claim (its claim.submitted) and sends them together.
			const round = await runBackgroundWork(t.ctx, { deliveryBudgetMs: 0 });
			expect(round.deliveries.sent).toBe(6);
			expect(
				receiver.received
					.filter((r) => ids.includes(r.claim.id))
					.map((r) => r.type),
			).toEqual(Array(6).fill("claim.submitted"));
			// While one 150-ms answer was pending, others were sent.
			expect(receiver.maxInFlight.all).toBeGreaterThan(1);
			const left = await t.ctx.db
				.select({ type: deliveries.eventType })
				.from(deliveries)
				.where(
					and(eq(deliveries.target, subId), isNull(deliveries.deliveredAt)),
				);
			expect(left.map((d) => d.type)).toEqual(
				Array(6).fill("claim.review_started"),
			);
			// Without a budget the rest follows, in order per claim, never two of one claim at once.
			await drain(t);
			for (const id of ids)
				expect(receiver.of(id).map((r) => r.type)).toEqual([
					"claim.submitted",
					"claim.review_started",
				]);
			expect(receiver.maxInFlight.perClaim).toBe(1);
			await ok(ana.del(`${API}/webhooks/${subId}`));
		} finally {
			await receiver.close();
		}
	});

	it("R-NTF-1 while a receiver holds its delivery the API answers, no other pass sends it again, and deleting the subscription does not wait", async () => {
		await expectNothingWaitsForASend(t, ana, rita, "viva-engage");
	});

	it("R-NTF-1 a delivery whose last attempts left no outcome is given up at the maximum once it is days old, and the claim's next event to that target goes out", async () => {
		const receiver = await startReceiver();
		try {
			const subId = await subscribe(ana, receiver);
			const id = await submitted(ana, "intune");
			await fanOutEvents(t.ctx, defaultChannels(t.ctx.config));
			// Its senders stopped mid-call MAX_ATTEMPTS times: no outcome was written, and
			// the last reservation has run out. While it is younger than the maximum age
			// it is taken again, not given up.
			const lost = {
				attempts: MAX_ATTEMPTS,
				reservedUntil: new Date(Date.now() - 60_000),
			};
			await t.ctx.db
				.update(deliveries)
				.set(lost)
				.where(eq(deliveries.target, subId));
			receiver.failNext = 1;
			expect(
				await deliverDue(t.ctx, defaultChannels(t.ctx.config)),
			).toMatchObject({ sent: 0, retried: 1, failed: 0 });
			await t.ctx.db
				.update(deliveries)
				.set({
					...lost,
					nextAttemptAt: t.ctx.clock.now(),
					createdAt: new Date(
						t.ctx.clock.now().getTime() - MAX_DELIVERY_AGE_MS,
					),
				})
				.where(eq(deliveries.target, subId));
			await ok(rita.post(`${API}/claims/${id}/start-review`));
			await fanOutEvents(t.ctx, defaultChannels(t.ctx.config));
			const result = await deliverDue(t.ctx, defaultChannels(t.ctx.config));
			expect(result).toMatchObject({ sent: 1, failed: 1 });
			expect(receiver.of(id).map((r) => r.type)).toEqual([
				"claim.review_started",
			]);
			const rows = await deliveriesTo(t, subId);
			expect(
				rows.map((r) => [r.eventType, r.outcome, r.attempts, r.lastError]),
			).toEqual([
				["claim.submitted", "failed", MAX_ATTEMPTS, LOST_ATTEMPTS_ERROR],
				["claim.review_started", "sent", 1, null],
			]);
			await ok(ana.del(`${API}/webhooks/${subId}`));
		} finally {
			await receiver.close();
		}
	});

	it("R-NTF-1 a delivery past the maximum attempts and age whose last failure was written gets one more try, and is sent when the receiver is back", async () => {
		const receiver = await startReceiver();
		try {
			const subId = await subscribe(ana, receiver);
			const id = await submitted(ana, "microsoft-365-apps");
			await fanOutEvents(t.ctx, defaultChannels(t.ctx.config));
			// Failed MAX_ATTEMPTS times over more than the maximum age, each failure
			// written (no reservation left); the receiver is back now.
			await t.ctx.db
				.update(deliveries)
				.set({
					attempts: MAX_ATTEMPTS + 100,
					reservedUntil: null,
					lastError: "HTTP 503",
					nextAttemptAt: t.ctx.clock.now(),
					createdAt: new Date(
						t.ctx.clock.now().getTime() - MAX_DELIVERY_AGE_MS - 60_000,
					),
				})
				.where(eq(deliveries.target, subId));
			const result = await deliverDue(t.ctx, defaultChannels(t.ctx.config));
			expect(result).toMatchObject({ sent: 1, failed: 0 });
			expect(receiver.of(id).map((r) => r.type)).toEqual(["claim.submitted"]);
			await ok(ana.del(`${API}/webhooks/${subId}`));
		} finally {
			await receiver.close();
		}
	});

	it("R-NTF-1 a deleted subscription receives nothing more, and its unsent deliveries are dropped", async () => {
		const receiver = await startReceiver();
		try {
			const subId = await subscribe(ana, receiver);
			const id = await submitted(ana, "onedrive-for-business");
			await drain(t);
			expect(receiver.of(id).map((r) => r.type)).toEqual(["claim.submitted"]);
			// The next event fails once, so its delivery is pending when we delete.
			receiver.failNext = 1;
			await ok(rita.post(`${API}/claims/${id}/start-review`));
			await drain(t);
			expect(receiver.attempts.map((a) => a.status)).toEqual([204, 500]);

			expect((await ana.del(`${API}/webhooks/${subId}`)).statusCode).toBe(204);
			await ok(rita.post(`${API}/claims/${id}/approve`, {}));
			await ok(paula.post(`${API}/admin/clock`, { advanceBy: "PT1H" }));
			await drain(t);
			expect(receiver.attempts).toHaveLength(2);
			expect(receiver.of(id).map((r) => r.type)).toEqual(["claim.submitted"]);

			const rows = await deliveriesTo(t, subId);
			expect(
				rows.map((r) => [r.eventType, r.outcome, r.deliveredAt !== null]),
			).toEqual([
				["claim.submitted", "sent", true],
				["claim.review_started", "failed", true],
			]);
			expect(rows[1]?.lastError).toContain("deleted");
			// The endpoint copy (URL and secret) is gone from the delivery rows.
			for (const r of rows) expect(r.payload).not.toHaveProperty("endpoint");
		} finally {
			await receiver.close();
		}
	});
});

describe("R-NTF-1 webhooks go to public addresses only (server-side request forgery)", () => {
	let t: TestApp;
	let ana: Client;
	let receiver: Receiver;
	beforeAll(async () => {
		t = await startTestApp("pglite", {
			env: { CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "false" },
		});
		ana = await t.login(USERS.ana);
		receiver = await startReceiver();
	});
	afterAll(async () => {
		await receiver?.close();
		await t?.close();
	});

	it("R-NTF-1 a subscription to this machine or a private, link-local or mapped address is refused, saying what to do; a public name is taken", async () => {
		const port = new URL(receiver.url).port;
		for (const url of [
			receiver.url,
			`http://localhost:${port}/hooks`,
			"http://api.localhost/hooks",
			"http://169.254.169.254/latest/meta-data/",
			"http://10.1.2.3/hooks",
			"http://192.168.0.10/hooks",
			"http://[::1]/hooks",
			"http://[::ffff:127.0.0.1]/hooks",
			"http://[fd00::5]/hooks",
			"http://0.0.0.0/hooks",
		]) {
			const res = await ana.post(`${API}/webhooks`, { url });
			expect(res.statusCode, `${url}: ${res.body}`).toBe(422);
			const body = res.json() as {
				code: string;
				detail: string;
				errors: { path: string; code: string }[];
			};
			expect(body.code).toBe("validation_failed");
			expect(body.errors).toEqual([
				expect.objectContaining({ path: "url", code: "private_address" }),
			]);
			expect(body.detail).toContain("CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true");
		}
		const listed = await ana.get(`${API}/webhooks`);
		expect((listed.json() as { items: unknown[] }).items).toEqual([]);
		const publicName = await ana.post(`${API}/webhooks`, {
			url: "https://hooks.fabrikam.example/cpor",
		});
		expect(publicName.statusCode, publicName.body).toBe(201);
		await ok(
			ana.del(`${API}/webhooks/${(publicName.json() as { id: string }).id}`),
		);
	});

	it("R-NTF-1 a subscription to a public host over plain http is refused, saying to use https", async () => {
		for (const url of [
			"http://hooks.fabrikam.example/cpor",
			"HTTP://Hooks.Fabrikam.example:8080/cpor",
		]) {
			const res = await ana.post(`${API}/webhooks`, { url });
			expect(res.statusCode, `${url}: ${res.body}`).toBe(422);
			const body = res.json() as {
				detail: string;
				errors: { path: string; code: string }[];
			};
			expect(body.errors).toEqual([
				expect.objectContaining({ path: "url", code: "https_required" }),
			]);
			expect(body.detail).toContain("https://");
		}
		expect(
			((await ana.get(`${API}/webhooks`)).json() as { items: unknown[] }).items,
		).toEqual([]);
	});

	it("R-NTF-1 a subscription URL with a user name or password is refused: every admin of the organization would see it", async () => {
		const res = await ana.post(`${API}/webhooks`, {
			url: "https://cpor:s3cret@hooks.fabrikam.example/cpor",
		});
		expect(res.statusCode, res.body).toBe(422);
		expect(res.json().errors).toEqual([
			expect.objectContaining({ path: "url", code: "credentials_in_url" }),
		]);
		expect(res.body).not.toContain("s3cret@");
		expect(
			((await ana.get(`${API}/webhooks`)).json() as { items: unknown[] }).items,
		).toEqual([]);
	});

	it("R-NTF-1 a delivery to a subscription whose host is, or resolves to, a private address is not sent", async () => {
		// Subscriptions written before the check, or whose name now resolves to a
		// private address: one by address, one by this machine's name (which resolves
		// to a loopback or private address here).
		const port = new URL(receiver.url).port;
		const name = hostname();
		const resolved = await lookup(name, { all: true });
		expect(
			resolved.every((a) => !isPublicAddress(a.address)),
			`${name} resolves to ${JSON.stringify(resolved)}`,
		).toBe(true);
		const ids = ["ssrf-by-address", "ssrf-by-name"] as const;
		for (const [id, url] of [
			[ids[0], receiver.url],
			[ids[1], `http://${name}:${port}/hooks/cpor`],
		] as const)
			await t.ctx.db.insert(webhooks).values({
				id,
				organizationId: "fabrikam",
				url,
				secret: `whsec_${Buffer.alloc(24, 1).toString("base64")}`,
				eventTypes: ["claim.submitted"],
				createdBy: "test",
				createdAt: t.ctx.clock.now(),
			});
		await submitted(ana, "microsoft-teams");
		await runBackgroundWork(t.ctx);
		expect(receiver.attempts).toEqual([]);
		for (const id of ids) {
			const [d] = await deliveriesTo(t, id);
			expect(d?.deliveredAt ?? null, id).toBeNull();
			expect(d?.lastError, id).toMatch(/private address/);
			expect(d?.lastError, id).toContain(
				"CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true",
			);
		}
	});
});

describe("R-NTF-1 webhooks on postgres", () => {
	const kind: DbKind = "postgres";
	let t: TestApp;
	let ana: Client;
	let rita: Client;
	beforeAll(async () => {
		t = await startTestApp(kind);
		[ana, rita] = await Promise.all([t.login(USERS.ana), t.login(USERS.rita)]);
	});
	afterAll(async () => t?.close());

	it("R-NTF-1 a subscriber gets the claim's events in order, each signed and carrying the claim (PostgreSQL)", async () => {
		await expectOrderedVerifiedWalk(t, ana, rita, "microsoft-teams");
	});

	it("R-NTF-1 while a receiver holds its delivery the API answers, no other pass sends it again, and deleting the subscription does not wait (PostgreSQL)", async () => {
		await expectNothingWaitsForASend(t, ana, rita, "viva-engage");
	});
});
