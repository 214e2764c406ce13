/**
 * Issue 5, scale-out (docs/operations.md "Several nodes on one PostgreSQL"): two
 * `cpor serve` processes and two `cpor worker` processes on one fresh PostgreSQL
 * database, under write load for a minute (`CPOR_SCALE_OUT_SECONDS` shortens it), and
 * then a check that nothing was lost or done twice:
 * - partners (API token of ana) create + upload PoE + submit Microsoft 365 usage claims on
 *   both servers (each claim a distinct tenant × workload, so R-CMP-1 never refuses);
 *   every claim acknowledged with 201 must be in the database, in the status its
 *   acknowledged steps put it in, with one history row per step;
 * - a reviewer (rita, session cookie) starts the review of every other submitted claim
 *   and requests information; the test then moves their response deadline into the past
 *   with SQL (time passing), continuously during the load, and the workers must reject
 *   each exactly once (R-TIME-4, `no_partner_response`);
 * - a webhook subscription of the partner's organization points at a receiver in this
 *   process that verifies each Standard Webhooks signature: every outbox event of the
 *   organization must arrive once (by `webhook-id`), in order per claim (API.md "Events").
 * Which process did what is told by `application_name` (set per process in DATABASE_URL)
 * recorded by test-only triggers on this throwaway database (`scale_out_audit`).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/db/client.ts";
import { importDirectory } from "../../src/directory/import-directory.ts";
import {
	type CporProcess,
	closeHttpConnections,
	type HttpAnswer,
	multipartFile,
	request,
	startCporProcess,
} from "../support/cpor-processes.ts";
import { samplePdf } from "../support/poe-fixtures.ts";
import {
	DEMO_IDS,
	PASSWORD,
	testDirectory,
	USERS,
} from "../support/test-app.ts";

/** How long the write load runs (seconds); `CPOR_SCALE_OUT_SECONDS` shortens it while developing. */
const SECONDS = Number(process.env.CPOR_SCALE_OUT_SECONDS || 60);
if (!(SECONDS > 0))
	throw new Error(
		`CPOR_SCALE_OUT_SECONDS must be a positive number of seconds, not "${process.env.CPOR_SCALE_OUT_SECONDS}"`,
	);
/** Concurrent partner clients (create + upload + submit loops), spread over both servers. */
const PARTNER_CLIENTS = 8;
/** Concurrent reviewer clients (start review + request information). */
const REVIEWER_CLIENTS = 2;
/** Every REVIEW_EVERY-th submitted claim goes to the reviewer (and then its deadline passes). */
const REVIEW_EVERY = 2;
/**
 * How often the test moves the response deadlines of answered-for claims into the past.
 * Not a multiple of the sweep intervals (250 and 1,000 ms): with 1,000 ms each move came
 * at nearly the same point of every process's sweep cycle, so the same process could
 * take every due claim (a CI run had one worker fire all 2,168 timers), and the check
 * that at least two processes fired timers failed by chance. A phase that moves by 130 ms
 * each time lets each process come first now and then.
 */
const MOVE_EVERY_MS = 1_130;
/** Sweep interval of the two `cpor worker` processes (the servers sweep every second too). */
const WORKER_INTERVAL_MS = 250;
/** Extra generated tenants (× 10 workloads) so the clients never run out of distinct claims. */
const EXTRA_TENANTS = 1_200;
/** Bound on waiting for the timers, the outbox and the deliveries after the load. */
const SETTLE_MS = 90_000;

const API = "/api/v1";
const APPS = {
	server1: "cpor-server-1",
	server2: "cpor-server-2",
	worker1: "cpor-worker-1",
	worker2: "cpor-worker-2",
} as const;

/** Where a claim got to: the last step acknowledged to the client. */
type Stage =
	| "created"
	| "uploaded"
	| "submitted"
	| "review_started"
	| "information_requested"
	| "deadline_passed";

/** What each stage means in the database: status, history actions, outbox event types. */
const EXPECTED: Record<
	Stage,
	{ status: string; actions: string[]; events: string[] }
> = {
	created: { status: "draft", actions: ["create"], events: [] },
	uploaded: {
		status: "draft",
		actions: ["create", "upload_document"],
		events: [],
	},
	submitted: {
		status: "submitted",
		actions: ["create", "upload_document", "submit"],
		events: ["claim.submitted"],
	},
	review_started: {
		status: "under_review",
		actions: ["create", "upload_document", "submit", "start_review"],
		events: ["claim.submitted", "claim.review_started"],
	},
	information_requested: {
		status: "partner_action_required",
		actions: [
			"create",
			"upload_document",
			"submit",
			"start_review",
			"request_information",
		],
		events: [
			"claim.submitted",
			"claim.review_started",
			"claim.information_requested",
		],
	},
	deadline_passed: {
		status: "rejected",
		actions: [
			"create",
			"upload_document",
			"submit",
			"start_review",
			"request_information",
			"expire_partner_response",
		],
		events: [
			"claim.submitted",
			"claim.review_started",
			"claim.information_requested",
			"claim.rejected",
		],
	},
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One verified webhook delivery. */
interface Received {
	webhookId: string;
	type: string;
	claimId: string;
	status: string;
}

/** A Standard Webhooks receiver: verifies each delivery with the subscription's secret. */
interface Receiver {
	url: string;
	secret: string | null;
	received: Received[];
	/** Attempts answered with something else than 204 (bad signature, no secret yet). */
	refused: { webhookId: string; status: number }[];
	close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
	const r: Omit<Receiver, "url" | "close"> = {
		secret: null,
		received: [],
		refused: [],
	};
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", (c: Buffer) => chunks.push(c));
		req.on("end", () => {
			const raw = Buffer.concat(chunks).toString("utf8");
			const headers: Record<string, string> = {};
			for (const [k, v] of Object.entries(req.headers))
				if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
			const webhookId = headers["webhook-id"] ?? "";
			const answer = (status: number) => {
				if (status !== 204) r.refused.push({ webhookId, status });
				res.statusCode = status;
				res.end();
			};
			if (!r.secret) return answer(503);
			let body: {
				type: string;
				data: { claim: { id: string; status: string } };
			};
			try {
				body = new Webhook(r.secret).verify(raw, headers) as typeof body;
			} catch {
				return answer(400);
			}
			r.received.push({
				webhookId,
				type: body.type,
				claimId: body.data.claim.id,
				status: body.data.claim.status,
			});
			answer(204);
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

/** The directory: the test directory plus generated tenants (Microsoft 365 usage needs no subscription). */
function scaleOutDirectory() {
	const base = testDirectory();
	const extra = Array.from({ length: EXTRA_TENANTS }, (_, i) => ({
		tenantId: randomUUID(),
		name: `Scale-out Tenant ${i + 1}`,
		domains: [`scaleout${i + 1}.onmicrosoft.com`],
	}));
	return { ...base, tenants: [...(base.tenants ?? []), ...extra] };
}

/** Test-only triggers: which process (application_name) wrote each history row, delivered, fanned out. */
const AUDIT_SQL = `
create table scale_out_audit (
  id bigserial primary key, what text not null, claim_id text, detail text,
  app text not null, at timestamptz not null default clock_timestamp());
create function scale_out_audit_history() returns trigger language plpgsql as $$
begin
  insert into scale_out_audit (what, claim_id, detail, app)
  values ('history', new.claim_id, new.action, current_setting('application_name'));
  return null;
end $$;
create trigger scale_out_audit_history after insert on claim_history
  for each row execute function scale_out_audit_history();
create function scale_out_audit_delivery() returns trigger language plpgsql as $$
begin
  insert into scale_out_audit (what, claim_id, detail, app)
  values ('delivery', new.claim_id, new.channel || ':' || coalesce(new.outcome, ''), current_setting('application_name'));
  return null;
end $$;
create trigger scale_out_audit_delivery after update of delivered_at on deliveries
  for each row when (old.delivered_at is null and new.delivered_at is not null)
  execute function scale_out_audit_delivery();
create function scale_out_audit_fan_out() returns trigger language plpgsql as $$
begin
  insert into scale_out_audit (what, claim_id, detail, app)
  values ('fan_out', new.claim_id, new.type, current_setting('application_name'));
  return null;
end $$;
create trigger scale_out_audit_fan_out after update of processed_at on outbox
  for each row when (old.processed_at is null and new.processed_at is not null)
  execute function scale_out_audit_fan_out();
`;

function withApp(url: string, app: string): string {
	const u = new URL(url);
	u.searchParams.set("application_name", app);
	return u.toString();
}

/** Counts of one server's `cpor_http_request_duration_seconds` by status (its own view). */
async function serverStatusCounts(
	url: string,
): Promise<Record<string, number>> {
	const res = await request(`${url}/metrics`, { method: "GET" });
	const counts: Record<string, number> = {};
	for (const line of res.body.split("\n")) {
		const m =
			/^cpor_http_request_duration_seconds_count\{([^}]*)\} (\d+(?:\.\d+)?)/.exec(
				line,
			);
		if (!m?.[1]) continue;
		const status = /status="(\d+)"/.exec(m[1])?.[1] ?? "?";
		counts[status] = (counts[status] ?? 0) + Number(m[2]);
	}
	return counts;
}

describe("scale-out (issue 5): two cpor serve and two cpor worker processes on one PostgreSQL", () => {
	let adminUrl: string;
	let dbName: string;
	let dbUrl: string;
	let dataDir: string;
	let pool: pg.Pool;
	let receiver: Receiver;
	const procs: CporProcess[] = [];
	let servers: CporProcess[] = [];
	/** The directory's tenants with their first domain (each claim's customer). */
	let tenants: { tenantId: string; domain: string }[] = [];

	const q = async <T = Record<string, unknown>>(
		text: string,
		values: unknown[] = [],
	): Promise<T[]> => (await pool.query(text, values)).rows as T[];

	beforeAll(async () => {
		adminUrl = inject("pgUrl");
		dbName = `cpor_scale_out_${randomBytes(6).toString("hex")}`;
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		await admin.query(`create database ${dbName}`);
		await admin.end();
		const u = new URL(adminUrl);
		u.pathname = `/${dbName}`;
		dbUrl = u.toString();

		// Migrate and load the directory once, before any node starts.
		const directory = scaleOutDirectory();
		tenants = directory.tenants.map((t) => ({
			tenantId: t.tenantId,
			domain: t.domains[0] as string,
		}));
		const database = await openDatabase({ databaseUrl: dbUrl, poolSize: 4 });
		try {
			await migrateDatabase(database);
			await importDirectory(database.db, directory);
		} finally {
			await database.close();
		}
		pool = new pg.Pool({
			connectionString: withApp(dbUrl, "scale-out-test"),
			max: 4,
		});
		pool.on("error", () => {});
		await pool.query(AUDIT_SQL);
		receiver = await startReceiver();

		// One shared data directory (PoE files), as a shared volume would be.
		dataDir = mkdtempSync(path.join(tmpdir(), "cpor-scale-out-"));
		// Every node gets the same signing secret (docs: CPOR_SECRET on several nodes).
		const secret = randomBytes(32).toString("hex");
		const env = (app: string) => ({
			DATABASE_URL: withApp(dbUrl, app),
			CPOR_DATA_DIR: dataDir,
			CPOR_SECRET: secret,
			LOG_LEVEL: "warn",
			TZ: "UTC",
			// The receiver listens on 127.0.0.1.
			CPOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
		});
		const started = await Promise.allSettled([
			startCporProcess({
				name: APPS.server1,
				command: "serve",
				env: env(APPS.server1),
			}),
			startCporProcess({
				name: APPS.server2,
				command: "serve",
				env: env(APPS.server2),
			}),
			startCporProcess({
				name: APPS.worker1,
				command: "worker",
				args: ["--interval", String(WORKER_INTERVAL_MS)],
				env: env(APPS.worker1),
			}),
			startCporProcess({
				name: APPS.worker2,
				command: "worker",
				args: ["--interval", String(WORKER_INTERVAL_MS)],
				env: env(APPS.worker2),
			}),
		]);
		for (const s of started) if (s.status === "fulfilled") procs.push(s.value);
		const failed = started.find((s) => s.status === "rejected");
		if (failed) throw (failed as PromiseRejectedResult).reason;
		servers = procs.filter((p) => p.url);
	}, 180_000);

	afterAll(async () => {
		closeHttpConnections();
		await Promise.allSettled(procs.map((p) => p.stop()));
		await receiver?.close();
		await pool?.end().catch(() => {});
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		if (dbName) {
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			await admin
				.query(`drop database if exists ${dbName} with (force)`)
				.catch(() => {});
			await admin.end();
		}
	});

	it("scale-out: two servers and two workers on one PostgreSQL under write load lose nothing and do nothing twice (every acknowledged claim stored, every R-TIME-4 timer fired once, every webhook event delivered once and in order)", {
		timeout: (SECONDS + 120) * 1000,
	}, async () => {
		const [s1, s2] = servers as [CporProcess, CporProcess];
		const url = (s: CporProcess) => s.url as string;

		// ------------------------------------------------------------ accounts
		const loginAs = async (email: string) => {
			const res = await request(`${url(s1)}${API}/auth/login`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ email, password: PASSWORD }),
			});
			expect(res.status, res.body).toBe(200);
			const cookie = String((res.headers["set-cookie"] ?? [])[0] ?? "").split(
				";",
			)[0] as string;
			const csrf = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
			return { cookie, "x-csrf-token": csrf };
		};
		const ana = await loginAs(USERS.ana);
		const rita = await loginAs(USERS.rita);
		const tokenRes = await request(`${url(s2)}${API}/api-tokens`, {
			method: "POST",
			headers: { ...ana, "content-type": "application/json" },
			body: JSON.stringify({ name: "scale-out test" }),
		});
		expect(tokenRes.status, tokenRes.body).toBe(201);
		const partnerAuth = {
			authorization: `Bearer ${(JSON.parse(tokenRes.body) as { token: string }).token}`,
		};
		const hook = await request(`${url(s1)}${API}/webhooks`, {
			method: "POST",
			headers: { ...partnerAuth, "content-type": "application/json" },
			body: JSON.stringify({ url: receiver.url }),
		});
		expect(hook.status, hook.body).toBe(201);
		receiver.secret = (JSON.parse(hook.body) as { secret: string }).secret;

		// ------------------------------------------------------------ load state
		const stage = new Map<string, Stage>();
		const perServer = new Map<string, Record<string, number>>();
		const unexpected: string[] = [];
		let networkErrors = 0;
		let serverErrors = 0;
		const call = async (
			server: CporProcess,
			method: string,
			pathName: string,
			expected: number,
			headers: Record<string, string>,
			body?: string | Buffer,
		): Promise<HttpAnswer | undefined> => {
			let res: HttpAnswer;
			try {
				res = await request(`${url(server)}${pathName}`, {
					method,
					headers,
					...(body !== undefined ? { body } : {}),
				});
			} catch (err) {
				networkErrors++;
				unexpected.push(
					`${server.name} ${method} ${pathName}: ${(err as Error).message}`,
				);
				return undefined;
			}
			const counts = perServer.get(server.name) ?? {};
			counts[res.status] = (counts[res.status] ?? 0) + 1;
			perServer.set(server.name, counts);
			if (res.status >= 500) serverErrors++;
			if (res.status !== expected) {
				unexpected.push(
					`${server.name} ${method} ${pathName}: ${res.status} ${res.body.slice(0, 200)}`,
				);
				return undefined;
			}
			return res;
		};

		const workloads = (testDirectory().products ?? [])
			.filter((p) => p.solutionArea === "microsoft_365")
			.map((p) => p.productId);
		const combos = tenants.flatMap((t) =>
			workloads.map((productId) => ({ ...t, productId })),
		);
		let nextCombo = 0;
		let exhausted = false;
		let submittedCount = 0;
		const reviewQueue: string[] = [];
		const toMove: string[] = [];
		const moved = new Set<string>();
		const moveAnomalies: string[] = [];
		const pdf = samplePdf("Scale-out proof of execution, signed");
		const json = { "content-type": "application/json" };

		const loadStart = Date.now();
		const loadEnd = loadStart + SECONDS * 1000;
		let partnersDone = false;
		let reviewersDone = false;

		const partnerClient = async (i: number) => {
			let n = 0;
			while (Date.now() < loadEnd) {
				const c = combos[nextCombo++];
				if (!c) {
					exhausted = true;
					return;
				}
				// Alternate the servers between the steps of one claim, and per claim.
				const [a, b] = (i + n++) % 2 === 0 ? [s1, s2] : [s2, s1];
				const created = await call(
					a,
					"POST",
					`${API}/claims`,
					201,
					{ ...partnerAuth, ...json },
					JSON.stringify({
						name: `Scale-out ${c.productId} ${c.tenantId.slice(0, 8)}`,
						mpnId: DEMO_IDS.mpnIds.fabrikamEnrolled,
						customer: { tenantId: c.tenantId, domain: c.domain },
						solutionArea: "microsoft_365",
						activity: "usage",
						products: [{ productId: c.productId }],
						contacts: {
							customer: {
								name: "Chris Customer",
								title: "CIO",
								email: "chris@contoso.example",
							},
							partner: {
								name: "Ana Garcia",
								email: "ana.global@fabrikam.example",
							},
						},
					}),
				);
				if (!created) continue;
				const id = (JSON.parse(created.body) as { id: string }).id;
				stage.set(id, "created");
				const m = multipartFile(pdf, "poe.pdf");
				const up = await call(
					b,
					"POST",
					`${API}/claims/${id}/documents`,
					201,
					{ ...partnerAuth, "content-type": m.contentType },
					m.body,
				);
				if (!up) continue;
				stage.set(id, "uploaded");
				const sub = await call(
					a,
					"POST",
					`${API}/claims/${id}/submit`,
					200,
					{ ...partnerAuth, ...json },
					"{}",
				);
				if (!sub) continue;
				stage.set(id, "submitted");
				if (submittedCount++ % REVIEW_EVERY === 0) reviewQueue.push(id);
			}
		};

		const reviewerClient = async (j: number) => {
			let n = 0;
			for (;;) {
				const id = reviewQueue.shift();
				if (!id) {
					if (partnersDone) return;
					await sleep(20);
					continue;
				}
				const [a, b] = (j + n++) % 2 === 0 ? [s1, s2] : [s2, s1];
				const started = await call(
					a,
					"POST",
					`${API}/claims/${id}/start-review`,
					200,
					{ ...rita, ...json },
					"{}",
				);
				if (!started) continue;
				stage.set(id, "review_started");
				const asked = await call(
					b,
					"POST",
					`${API}/claims/${id}/request-information`,
					200,
					{ ...rita, ...json },
					JSON.stringify({
						reasons: ["missing_customer_acknowledgement"],
						comment: "The PoE needs the customer's signature.",
					}),
				);
				if (!asked) continue;
				stage.set(id, "information_requested");
				toMove.push(id);
			}
		};

		/** Time passes for the claims waiting for the partner: their deadline is now behind. */
		const moveDeadlines = async () => {
			const ids = toMove.splice(0);
			if (ids.length === 0) return;
			const rows = await q<{ id: string }>(
				`update claims set partner_response_due = now() - interval '1 second',
					   due_at = now() - interval '1 second'
					 where id = any($1::text[]) and status = 'partner_action_required'
					 returning id`,
				[ids],
			);
			const got = new Set(rows.map((r) => r.id));
			for (const id of ids) {
				if (got.has(id)) {
					moved.add(id);
					stage.set(id, "deadline_passed");
				} else {
					moveAnomalies.push(id);
				}
			}
		};
		const mover = (async () => {
			while (!reviewersDone) {
				await sleep(MOVE_EVERY_MS);
				await moveDeadlines();
			}
			await moveDeadlines();
		})();

		const partners = Promise.all(
			Array.from({ length: PARTNER_CLIENTS }, (_, i) => partnerClient(i)),
		).finally(() => {
			partnersDone = true;
		});
		const reviewers = Promise.all(
			Array.from({ length: REVIEWER_CLIENTS }, (_, j) => reviewerClient(j)),
		).finally(() => {
			reviewersDone = true;
		});
		await Promise.all([partners, reviewers, mover]);
		const loadSeconds = (Date.now() - loadStart) / 1000;

		// No node died under the load.
		for (const p of procs)
			expect(
				p.exit(),
				`${p.name} exited during the load:\n${p.output().slice(-3000)}`,
			).toBeUndefined();

		// ------------------------------------------------------------ settle
		const fabrikamEvents = async () =>
			q<{ event_id: string; claim_id: string; type: string }>(
				`select event_id, claim_id, type from outbox
					 where organization_id = $1 order by id`,
				[DEMO_IDS.organizations.fabrikam],
			);
		const settleStart = Date.now();
		let last = "";
		for (;;) {
			const [row] = await q<{
				pending_timers: number;
				unprocessed: number;
				undelivered: number;
				events: number;
			}>(
				`select
					   (select count(*)::int from claims where id = any($1::text[]) and status <> 'rejected') as pending_timers,
					   (select count(*)::int from outbox where processed_at is null) as unprocessed,
					   (select count(*)::int from deliveries where delivered_at is null) as undelivered,
					   (select count(*)::int from outbox where organization_id = $2) as events`,
				[[...moved], DEMO_IDS.organizations.fabrikam],
			);
			const receivedIds = new Set(receiver.received.map((r) => r.webhookId))
				.size;
			last = `${row?.pending_timers} moved claims not yet rejected, ${row?.unprocessed} outbox events not fanned out, ${row?.undelivered} deliveries not delivered, ${receivedIds} of ${row?.events} events received`;
			if (
				row &&
				row.pending_timers === 0 &&
				row.unprocessed === 0 &&
				row.undelivered === 0 &&
				receivedIds >= row.events
			)
				break;
			if (Date.now() - settleStart > SETTLE_MS) {
				// What each node's connections are doing, to tell a stall from slowness.
				const activity = await q(
					`select application_name as app, state, wait_event_type, wait_event,
					        extract(epoch from now() - xact_start)::int as xact_seconds, left(query, 100) as query
					   from pg_stat_activity
					  where datname = current_database() and application_name like 'cpor-%'
					  order by 1`,
				);
				throw new Error(
					`the workers did not finish within ${SETTLE_MS / 1000} s after the load: ${last}\n--- connections ---\n${activity.map((a) => JSON.stringify(a)).join("\n")}\n${procs.map((p) => `--- ${p.name} ---\n${p.output().slice(-1500)}`).join("\n")}`,
				);
			}
			await sleep(250);
		}
		const settleSeconds = (Date.now() - settleStart) / 1000;
		// A little longer, so that a duplicate sent late would be seen.
		await sleep(2_000);

		// ------------------------------------------------------------ gather
		const ids = [...stage.keys()];
		const stored = await q<{
			id: string;
			status: string;
			reason: string | null;
		}>(
			"select id, status, rejection->>'reason' as reason from claims where id = any($1::text[])",
			[ids],
		);
		const [{ n: allClaims } = { n: -1 }] = await q<{ n: number }>(
			"select count(*)::int as n from claims",
		);
		const history = await q<{ claim_id: string; actions: string[] }>(
			`select claim_id, array_agg(action order by id) as actions
			 from claim_history group by claim_id`,
		);
		const duplicates = await q(
			`select claim_id, action, count(*)::int as n from claim_history
			 group by 1, 2 having count(*) > 1 limit 10`,
		);
		const [{ n: expiries } = { n: -1 }] = await q<{ n: number }>(
			"select count(*)::int as n from claim_history where action = 'expire_partner_response'",
		);
		const events = await fabrikamEvents();
		const outcomes = await q<{ channel: string; outcome: string; n: number }>(
			"select channel, outcome, count(*)::int as n from deliveries group by 1, 2 order by 1, 2",
		);
		const audit = await q<{
			what: string;
			detail: string;
			app: string;
			n: number;
		}>(
			"select what, detail, app, count(*)::int as n from scale_out_audit group by 1, 2, 3 order by 1, 2, 3",
		);
		const byApp = (what: string, detail?: string) => {
			const out: Record<string, number> = {};
			for (const a of audit)
				if (a.what === what && (detail === undefined || a.detail === detail))
					out[a.app] = (out[a.app] ?? 0) + a.n;
			return out;
		};
		const timersByApp = byApp("history", "expire_partner_response");
		const metrics = await Promise.all(
			servers.map((s) => serverStatusCounts(url(s))),
		);
		const stages: Record<string, number> = {};
		for (const s of stage.values()) stages[s] = (stages[s] ?? 0) + 1;
		console.info(
			`scale-out: ${JSON.stringify({
				seconds: {
					load: Math.round(loadSeconds * 10) / 10,
					settle: Math.round(settleSeconds * 10) / 10,
				},
				claimsAcknowledged: ids.length,
				claimsSubmitted: submittedCount,
				submittedPerSecond:
					Math.round((submittedCount / loadSeconds) * 10) / 10,
				claimsByStage: stages,
				timersFired: expiries,
				timersByProcess: timersByApp,
				outboxEvents: events.length,
				webhooksReceived: receiver.received.length,
				deliveries: outcomes,
				deliveriesByProcess: byApp("delivery"),
				fanOutByProcess: byApp("fan_out"),
				requestsByServer: Object.fromEntries(perServer),
				serverMetricsByStatus: Object.fromEntries(
					servers.map((s, i) => [s.name, metrics[i]]),
				),
			})}`,
		);

		// ------------------------------------------------------------ checks
		// Each check is soft, so that one run shows every problem.
		// The load happened: claims were submitted and deadlines passed.
		expect.soft(submittedCount, "claims submitted").toBeGreaterThan(0);
		expect.soft(moved.size, "response deadlines moved").toBeGreaterThan(0);
		// The clients: nothing refused, no 5xx, no broken connections, enough distinct claims.
		expect.soft(unexpected.slice(0, 20), "unexpected answers").toEqual([]);
		expect.soft(serverErrors, "5xx answers").toBe(0);
		expect.soft(networkErrors, "network errors").toBe(0);
		expect
			.soft(
				exhausted,
				"the clients ran out of distinct tenant × workload combinations",
			)
			.toBe(false);
		expect
			.soft(
				moveAnomalies,
				"claims not waiting for the partner when their deadline was moved",
			)
			.toEqual([]);

		// Every acknowledged claim is stored, in the status its steps put it in, and
		// there is no claim the clients were not told about.
		expect.soft(stored.length, "acknowledged claims stored").toBe(ids.length);
		expect.soft(allClaims, "claims in the database").toBe(ids.length);
		const wrongStatus = stored.filter((r) => {
			const s = stage.get(r.id) as Stage;
			return (
				r.status !== EXPECTED[s].status ||
				(s === "deadline_passed" && r.reason !== "no_partner_response")
			);
		});
		expect
			.soft(wrongStatus.slice(0, 10), `${wrongStatus.length} in a wrong status`)
			.toEqual([]);

		// History: exactly the acknowledged steps, each once, in order; every moved
		// deadline fired once (R-TIME-4) and no other claim was expired.
		const actionsOf = new Map(history.map((h) => [h.claim_id, h.actions]));
		const wrongHistory = ids
			.filter(
				(id) =>
					JSON.stringify(actionsOf.get(id) ?? []) !==
					JSON.stringify(EXPECTED[stage.get(id) as Stage].actions),
			)
			.map((id) => ({ id, stage: stage.get(id), actions: actionsOf.get(id) }));
		expect
			.soft(
				wrongHistory.slice(0, 10),
				`${wrongHistory.length} with a wrong history`,
			)
			.toEqual([]);
		expect.soft(duplicates, "duplicate history rows").toEqual([]);
		expect
			.soft(expiries, "R-TIME-4 expiries (one per moved deadline)")
			.toBe(moved.size);

		// The outbox: each claim's events, once each, in the order of its steps.
		const eventsOf = new Map<string, string[]>();
		for (const e of events)
			eventsOf.set(e.claim_id, [...(eventsOf.get(e.claim_id) ?? []), e.type]);
		const wrongEvents = ids
			.filter(
				(id) =>
					JSON.stringify(eventsOf.get(id) ?? []) !==
					JSON.stringify(EXPECTED[stage.get(id) as Stage].events),
			)
			.map((id) => ({ id, stage: stage.get(id), events: eventsOf.get(id) }));
		expect
			.soft(
				wrongEvents.slice(0, 10),
				`${wrongEvents.length} with wrong outbox events`,
			)
			.toEqual([]);

		// Deliveries: each settled, none given up; one webhook delivery per event.
		expect
			.soft(
				outcomes.filter((o) => o.outcome === "failed"),
				"deliveries given up",
			)
			.toEqual([]);
		expect
			.soft(
				outcomes.find((o) => o.channel === "webhook" && o.outcome === "sent")
					?.n,
				"webhook deliveries sent",
			)
			.toBe(events.length);

		// The receiver: every event once (by webhook-id), signatures valid, in order per claim.
		expect
			.soft(receiver.refused.slice(0, 10), "deliveries the receiver refused")
			.toEqual([]);
		const timesReceived = new Map<string, number>();
		for (const r of receiver.received)
			timesReceived.set(r.webhookId, (timesReceived.get(r.webhookId) ?? 0) + 1);
		const missing = events.filter((e) => !timesReceived.has(e.event_id));
		expect
			.soft(missing.slice(0, 10), `${missing.length} events never received`)
			.toEqual([]);
		const twice = [...timesReceived].filter(([, n]) => n > 1);
		expect
			.soft(
				twice.slice(0, 10),
				`${twice.length} events received more than once`,
			)
			.toEqual([]);
		const known = new Set(events.map((e) => e.event_id));
		expect
			.soft(
				receiver.received.filter((r) => !known.has(r.webhookId)).slice(0, 10),
				"received events that are not in the outbox",
			)
			.toEqual([]);
		const typeOf = new Map(events.map((e) => [e.event_id, e.type]));
		const outboxOrder = new Map<string, string[]>();
		for (const e of events)
			outboxOrder.set(e.claim_id, [
				...(outboxOrder.get(e.claim_id) ?? []),
				e.event_id,
			]);
		const arrivalOrder = new Map<string, string[]>();
		for (const r of receiver.received)
			arrivalOrder.set(r.claimId, [
				...(arrivalOrder.get(r.claimId) ?? []),
				r.webhookId,
			]);
		const outOfOrder = [...outboxOrder]
			.filter(
				([claimId, order]) =>
					JSON.stringify(arrivalOrder.get(claimId)) !== JSON.stringify(order),
			)
			.map(([claimId, order]) => ({
				claimId,
				outbox: order.map((id) => typeOf.get(id)),
				arrived: (arrivalOrder.get(claimId) ?? []).map((id) => typeOf.get(id)),
			}));
		// On failure, show how the deliveries of those claims were made (fan-out order,
		// delivery ids, times, which process fanned out each event).
		const orderDetail = outOfOrder.length
			? await q(
					`select d.claim_id, d.id::int as delivery_id, o.id::int as outbox_id, d.event_type,
					   o.created_at as event_at, d.created_at as fanned_out_at, d.delivered_at, d.attempts,
					   (select app from scale_out_audit a where a.what = 'fan_out' and a.claim_id = d.claim_id and a.detail = d.event_type limit 1) as fanned_out_by
					 from deliveries d join outbox o on o.event_id = d.event_id
					 where d.channel = 'webhook' and d.claim_id = any($1::text[])
					 order by d.claim_id, d.id`,
					[outOfOrder.slice(0, 2).map((o) => o.claimId)],
				)
			: [];
		expect
			.soft(
				outOfOrder.slice(0, 5),
				`${outOfOrder.length} of ${outboxOrder.size} claims' events arrived out of order (API.md "Events": in order per claim); deliveries of the first ones: ${JSON.stringify(orderDetail, null, 1)}`,
			)
			.toEqual([]);

		// Every node worked: both servers answered requests (the clients' count and the
		// server's own /metrics, with no 5xx in either), and the workers fired timers.
		for (const [i, s] of servers.entries()) {
			const mine = perServer.get(s.name) ?? {};
			expect
				.soft((mine[201] ?? 0) + (mine[200] ?? 0), `${s.name} answered`)
				.toBeGreaterThan(0);
			const theirs = metrics[i] ?? {};
			expect
				.soft(
					Object.keys(theirs).filter((st) => st.startsWith("5")),
					`${s.name} /metrics: ${JSON.stringify(theirs)}`,
				)
				.toEqual([]);
			expect
				.soft(theirs["201"] ?? 0, `${s.name} /metrics 201 answers`)
				.toBeGreaterThan(0);
		}
		// Any process may take a due claim (servers sweep too), so which one is chance:
		// the workers fired some, and the timers were shared by at least two processes.
		expect
			.soft(
				(timersByApp[APPS.worker1] ?? 0) + (timersByApp[APPS.worker2] ?? 0),
				`timers fired by the workers: ${JSON.stringify(timersByApp)}`,
			)
			.toBeGreaterThan(0);
		expect
			.soft(
				Object.values(timersByApp).filter((n) => n > 0).length,
				`processes that fired timers: ${JSON.stringify(timersByApp)}`,
			)
			.toBeGreaterThanOrEqual(2);
	});
});
