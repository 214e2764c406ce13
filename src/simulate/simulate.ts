/**
 * `cpor simulate` (issue 5): a time-compressed run of a whole ecosystem through the REAL
 * use cases on a private sandbox clock. N partners and T tenants (a generated directory),
 * M claims arriving over D days on business days, reviewers with a daily capacity taking
 * the queue by due time, partners answering information requests after a random delay
 * (some never: the R-TIME-4 timer rejects them), customers opting out, partners disputing
 * rejections, competing claims.
 *
 * Each simulated business day runs in phases: timers (08:00), partners' and customers'
 * scheduled steps (09:00), new claims (10:00–14:00), timers and the reviewers' batch
 * (15:00), timers and the dashboard counters' fold (23:00). Within a phase, the steps of claims on different customer and
 * workload keys run concurrently (`concurrency` at once, optionally on worker threads);
 * the steps on one key run one after the other in queue order. Claims interact only
 * through their key (R-CMP-1 duplicates, R-CMP-2/3 competing claims and arbitration), so
 * the database ends the same whatever the concurrency.
 *
 * Deterministic for a seed: the run's own choices (arrivals, partners, keys, competing)
 * come from one seeded PRNG drawn in a fixed order; every choice about a claim (decision,
 * delays, opt-out, dispute) comes from the claim's own seeded stream (random.ts); the
 * clock is moved only by the simulation. The report's SLA figures are computed from each
 * claim's deadlines (R-TIME-2, R-TIME-3, R-TIME-8) against the instant the reviewer acted
 * (or the end of the run when still open).
 *
 * Memory: per claim only a small record (SimClaim) is kept, not the claim resource.
 */
import { sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import { foldClaimStatusDeltas } from "../claims/status-counts.ts";
import type { AppContext } from "../context.ts";
import { CATALOG } from "../domain/catalog.ts";
import { SandboxClock } from "../domain/clock.ts";
import { runDueTimers } from "../jobs/sweeper.ts";
import {
	generateSimulationDirectory,
	loadSimulationDirectory,
} from "./directory.ts";
import { localExecutor, type SimExecutor } from "./executor.ts";
import type { SimClaimState, SimOp, SimOpResult } from "./operations.ts";
import {
	mix32,
	nextRandom,
	type RandomStream,
	seededRandom,
} from "./random.ts";

export { generateSimulationDirectory } from "./directory.ts";
export { seededRandom } from "./random.ts";

/** Parameters of a simulation. */
export interface SimulationOptions {
	partners: number;
	tenants: number;
	claims: number;
	days: number;
	/** Claims (or disputes) reviewers handle per business day, all reviewers together. */
	reviewCapacity: number;
	/** Share of approvals the customer opts out of within the consent window. */
	optOutRate: number;
	/** Share of reviewer rejections the partner disputes. */
	disputeRate: number;
	/** Share of new claims that compete with another partner's live claim. */
	competingRate: number;
	/** Share of information requests the partner never answers (R-TIME-4 rejects them). */
	noAnswerRate: number;
	seed: number;
	/** First simulated instant (default 2026-01-05T00:00Z, a Monday). */
	start?: Date;
	/** Steps in flight at once (default 1). The outcome does not depend on it. */
	concurrency?: number;
	/** Where the steps run (default: this thread, on `ctx`). */
	executor?: SimExecutor;
	/** Called at the end of each simulated day and about twice a second meanwhile. */
	onProgress?: (p: SimulationProgress) => void;
}

export interface SimulationProgress {
	day: number;
	days: number;
	claimsCreated: number;
	claims: number;
	/** Wall-clock seconds since the start of the run. */
	elapsedSeconds: number;
}

/** The end-of-run report. */
export interface SimulationReport {
	parameters: Omit<
		SimulationOptions,
		"onProgress" | "start" | "concurrency" | "executor"
	> & {
		start: string;
	};
	/** Claims per final status, read from the database. */
	claimsByStatus: Record<string, number>;
	claimsCreated: number;
	/** Generated claims the rules refused at creation, or for which no free customer and workload was found. */
	claimsRefused: number;
	competingClaims: number;
	actions: Record<string, number>;
	timers: { partnerResponseExpired: number; associationsActivated: number };
	/** SLA breaches per kind: acted late, or still waiting past the deadline at the end. */
	slaBreaches: {
		reviewStart: number;
		decision: number;
		disputeAnswer: number;
		openOverdueAtEnd: number;
	};
	/** Submission → first approval or rejection by a reviewer (arbitration losers included), in hours. */
	timeToDecisionHours: { count: number; median: number; p90: number };
	simulatedEnd: string;
	/** How the run was executed (does not change the figures above). */
	execution: {
		database: "pglite" | "postgres";
		concurrency: number;
		workers: number;
	};
	wallSeconds: number;
	claimsPerSecond: number;
}

export { SIMULATION_DEFAULTS } from "./defaults.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the simulation keeps of one claim (a million of them must fit in memory). */
class SimClaim implements RandomStream {
	id = "";
	status = "planned";
	submittedAt = 0;
	decided = false;
	/** Deadline of what the reviewer owes now (ms), for queue order. */
	due = Number.POSITIVE_INFINITY;
	reviewStartDue = Number.NaN;
	decisionDue = Number.NaN;
	disputeDecisionDue = Number.NaN;
	disputeOpen = false;
	/** The reviewer asked for information before. */
	asked = false;
	rejectionReason: string | null = null;
	/** Version of its live review-queue entry (0: not queued). */
	queued = 0;
	queuedDue = 0;
	/** The next claim (by number) on the same customer and workload, or -1. */
	nextInKey = -1;
	constructor(
		/** Creation order: the deterministic tie-break (claim IDs are random UUIDs). */
		readonly seq: number,
		readonly partner: number,
		/** tenant index × workloads + workload index. */
		readonly key: number,
		/** This claim's own PRNG state. */
		public rng: number,
	) {}
}

function swap(a: number[], i: number, j: number): void {
	const x = a[i] as number;
	a[i] = a[j] as number;
	a[j] = x;
}

/** A binary min-heap of (due, seq) with an entry version, for the review queue. */
class ReviewQueue {
	#due: number[] = [];
	#seq: number[] = [];
	#ver: number[] = [];
	get size(): number {
		return this.#due.length;
	}
	#less(i: number, j: number): boolean {
		const a = this.#due[i] as number;
		const b = this.#due[j] as number;
		return (
			a < b || (a === b && (this.#seq[i] as number) < (this.#seq[j] as number))
		);
	}
	#swap(i: number, j: number): void {
		swap(this.#due, i, j);
		swap(this.#seq, i, j);
		swap(this.#ver, i, j);
	}
	push(due: number, seq: number, ver: number): void {
		this.#due.push(due);
		this.#seq.push(seq);
		this.#ver.push(ver);
		let i = this.#due.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!this.#less(i, parent)) break;
			this.#swap(i, parent);
			i = parent;
		}
	}
	/** Removes the first entry; returns [seq, ver]. */
	pop(): [number, number] {
		const top: [number, number] = [
			this.#seq[0] as number,
			this.#ver[0] as number,
		];
		const last = this.#due.length - 1;
		this.#swap(0, last);
		this.#due.pop();
		this.#seq.pop();
		this.#ver.pop();
		let i = 0;
		const n = this.#due.length;
		for (;;) {
			const l = 2 * i + 1;
			const r = l + 1;
			let m = i;
			if (l < n && this.#less(l, m)) m = l;
			if (r < n && this.#less(r, m)) m = r;
			if (m === i) break;
			this.#swap(i, m);
			i = m;
		}
		return top;
	}
}

/** Runs `fn` on every item, at most `limit` at once; stops taking new items after a failure. */
async function forEachLimited<T>(
	items: readonly T[],
	limit: number,
	fn: (item: T) => Promise<void>,
): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	const runner = async () => {
		while (!failure && next < items.length) {
			const item = items[next++] as T;
			try {
				await fn(item);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, runner),
	);
	if (failure) throw failure.error;
}

/** Groups items by key, keeping their order within each group (and the groups' first-seen order). */
function groupByKey<T>(items: readonly T[], keyOf: (item: T) => number): T[][] {
	const groups = new Map<number, T[]>();
	for (const item of items) {
		const k = keyOf(item);
		const g = groups.get(k);
		if (g) g.push(item);
		else groups.set(k, [item]);
	}
	return [...groups.values()];
}

const percentile = (sorted: Float64Array, p: number) =>
	sorted.length === 0
		? 0
		: (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ??
			0);

const RESUBMIT = 0;
const DISPUTE = 1;
const OPT_OUT = 2;

/**
 * Runs the simulation against `ctx`'s database (which should be empty of claims; the
 * directory is loaded). Uses its own clock; `ctx.clock` is not touched. The steps run on
 * `opts.executor` (default: this thread on `ctx`); timers and the final counts on `ctx`.
 */
export async function runSimulation(
	ctx: AppContext,
	opts: SimulationOptions,
): Promise<SimulationReport> {
	const wallStart = performance.now();
	const rnd = seededRandom(opts.seed);
	const chance = (p: number) => rnd() < p;
	const int = (min: number, max: number) =>
		min + Math.floor(rnd() * (max - min + 1));
	const intOf = (t: SimClaim, min: number, max: number) =>
		min + Math.floor(nextRandom(t) * (max - min + 1));
	const limit = Math.max(1, Math.floor(opts.concurrency ?? 1));
	const executor = opts.executor ?? localExecutor(ctx);
	const doc = generateSimulationDirectory(
		opts.partners,
		opts.tenants,
		opts.seed,
	);
	await loadSimulationDirectory(ctx.db, doc);
	const start = opts.start ?? new Date("2026-01-05T00:00:00.000Z");
	const clock = new SandboxClock(start);
	const c: AppContext = { ...ctx, clock };
	const at = (day: number, hour: number) => {
		clock.setTo(
			new Date(
				Math.max(
					clock.now().getTime(),
					start.getTime() + day * DAY + hour * HOUR,
				),
			),
		);
		return clock.now().getTime();
	};
	const timers = { partnerResponseExpired: 0, associationsActivated: 0 };
	const sweep = async () => {
		const r = await runDueTimers(c);
		timers.partnerResponseExpired += r.expired;
		timers.associationsActivated += r.activated;
	};

	const partners = doc.partners ?? [];
	const tenants = doc.tenants ?? [];
	const workloads = CATALOG.filter(
		(p) => p.solutionArea === "microsoft_365",
	).map((p) => p.productId);
	const W = workloads.length;
	const actors = partners.map(
		(p, i): Actor => ({
			userId: `sim:partner:${i}`,
			name: `Simulated partner ${i + 1}`,
			roles: ["global_admin"],
			kind: "partner",
			organizationId: p.organizationId,
		}),
	);
	const actorOf = (i: number) => actors[i] as Actor;

	/** Every planned claim, by number. */
	const all: SimClaim[] = [];
	/** First claim (by number) on each key, or -1; the rest follow `nextInKey`. */
	const keyHead = new Int32Array(tenants.length * W).fill(-1);
	/** Day + 1 when a new claim took the key (one new claim per key and day). */
	const keyDay = new Int32Array(tenants.length * W);
	const onKey = function* (key: number): Generator<SimClaim> {
		for (let s = keyHead[key] as number; s >= 0; ) {
			const t = all[s] as SimClaim;
			yield t;
			s = t.nextInKey;
		}
	};
	const actions: Record<string, number> = {};
	const count = (a: string) => {
		actions[a] = (actions[a] ?? 0) + 1;
	};
	const sla = {
		reviewStart: 0,
		decision: 0,
		disputeAnswer: 0,
		openOverdueAtEnd: 0,
	};
	const decisionHours: number[] = [];
	/** Scheduled partner/customer steps by simulated day: claim number × 4 + kind. */
	const agenda = new Map<number, number[]>();
	const schedule = (day: number, kind: number, t: SimClaim) => {
		const list = agenda.get(day);
		if (list) list.push(t.seq * 4 + kind);
		else agenda.set(day, [t.seq * 4 + kind]);
	};
	const queue = new ReviewQueue();
	let queueVersion = 0;
	let created = 0;
	let refused = 0;
	let competing = 0;
	let currentDay = 0;
	let lastProgress = performance.now();
	const progress = (day: number, force: boolean) => {
		if (!opts.onProgress) return;
		const now = performance.now();
		if (!force && now - lastProgress < 500) return;
		lastProgress = now;
		opts.onProgress({
			day,
			days: opts.days,
			claimsCreated: created,
			claims: opts.claims,
			elapsedSeconds: (now - wallStart) / 1000,
		});
	};

	/** True when the claim waits for a reviewer (review, decision or dispute answer). */
	const waiting = (t: SimClaim) =>
		t.status === "submitted" ||
		t.status === "under_review" ||
		(t.status === "rejected" && t.disputeOpen);
	/** Puts a waiting claim in the review queue at its current due time (once). */
	const requeue = (t: SimClaim) => {
		if (!waiting(t)) {
			t.queued = 0;
			return;
		}
		if (t.queued !== 0 && t.queuedDue === t.due) return;
		t.queued = ++queueVersion;
		t.queuedDue = t.due;
		queue.push(t.due, t.seq, t.queued);
	};
	const decide = (t: SimClaim, now: number) => {
		if (!t.decided && (t.status === "approved" || t.status === "rejected")) {
			t.decided = true;
			decisionHours.push((now - t.submittedAt) / HOUR);
		}
	};
	const track = (t: SimClaim, s: SimClaimState, now: number) => {
		t.id = s.id;
		t.status = s.status;
		t.reviewStartDue = s.reviewStartDue;
		t.decisionDue = s.decisionDue;
		t.disputeDecisionDue = s.disputeDecisionDue;
		t.disputeOpen = s.disputeOpen;
		t.asked = s.asked;
		t.rejectionReason = s.rejectionReason;
		const d = s.disputeOpen
			? s.disputeDecisionDue
			: s.status === "submitted"
				? s.reviewStartDue
				: s.decisionDue;
		t.due = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
		decide(t, now);
		requeue(t);
	};
	/** Runs a step; a refusal (e.g. the claim moved on meanwhile) is counted, not fatal. */
	const step = async (
		name: string,
		t: SimClaim,
		op: SimOp,
	): Promise<SimOpResult> => {
		const res = await executor.run(op);
		if (res.ok) {
			count(name);
			track(t, res.claim, op.at);
		} else {
			count(`${name}_refused`);
			if (res.status !== null) t.status = res.status;
			t.disputeOpen = res.disputeOpen;
			requeue(t);
		}
		return res;
	};
	/** The other claims on the key that may still be open (their status is read after an approval). */
	const othersOf = (t: SimClaim) => {
		const ids: string[] = [];
		for (const o of onKey(t.key))
			if (o !== t && o.id && o.status !== "rejected") ids.push(o.id);
		return ids;
	};
	const afterRejection = (t: SimClaim) => {
		if (
			t.rejectionReason !== null &&
			t.rejectionReason !== "partner_request" &&
			t.rejectionReason !== "customer_declined" &&
			nextRandom(t) < opts.disputeRate
		)
			schedule(currentDay + intOf(t, 1, 5), DISPUTE, t);
	};
	/** After an approval: maybe an opt-out; competitors the use case rejected (R-CMP-3) are decided. */
	const afterApproval = (t: SimClaim, res: SimOpResult, now: number) => {
		if (nextRandom(t) < opts.optOutRate)
			schedule(currentDay + intOf(t, 1, 6), OPT_OUT, t);
		if (!res.ok) return;
		const statuses = new Map(res.others ?? []);
		for (const o of onKey(t.key)) {
			if (o === t || statuses.get(o.id) !== "rejected") continue;
			o.status = "rejected";
			decide(o, now);
			requeue(o);
		}
	};
	const afterRequest = (t: SimClaim) => {
		if (!(nextRandom(t) < opts.noAnswerRate))
			schedule(currentDay + intOf(t, 1, 5), RESUBMIT, t);
	};

	/** Picks the day's new claims (partner, customer, workload) in order, from the run's PRNG. */
	const planCreates = (day: number, n: number) => {
		const before = all.length;
		const plan: { t: SimClaim; at: number }[] = [];
		for (let i = 0; i < n; i++) {
			const at = start.getTime() + day * DAY + 10 * HOUR + (i * 4 * HOUR) / n;
			const p = int(0, partners.length - 1);
			let key = -1;
			if (chance(opts.competingRate) && before > 0) {
				// Another partner's live claim on the same tenant and workload (R-CMP-2),
				// created on an earlier day.
				for (let tries = 0; tries < 5 && key < 0; tries++) {
					const k = (all[int(0, before - 1)] as SimClaim).key;
					if (keyDay[k] === day + 1) continue;
					let live = false;
					let mine = false;
					for (const o of onKey(k)) {
						if (o.partner === p) mine = true;
						else if (o.status !== "rejected" && o.status !== "refused")
							live = true;
					}
					if (live && !mine) key = k;
				}
			}
			for (let tries = 0; tries < 20 && key < 0; tries++) {
				const k = int(0, tenants.length - 1) * W + int(0, W - 1);
				if (keyHead[k] === -1) key = k;
			}
			if (key < 0) {
				refused++;
				continue;
			}
			keyDay[key] = day + 1;
			const t = new SimClaim(all.length, p, key, mix32(opts.seed, all.length));
			t.nextInKey = keyHead[key] as number;
			keyHead[key] = t.seq;
			all.push(t);
			plan.push({ t, at });
		}
		return plan;
	};
	const createOne = async ({ t, at }: { t: SimClaim; at: number }) => {
		const ti = Math.floor(t.key / W);
		const workload = workloads[t.key % W] as string;
		const tenant = tenants[ti];
		const partner = partners[t.partner];
		if (!tenant || !partner) return;
		const actor = actorOf(t.partner);
		const res = await executor.run({
			kind: "create",
			at,
			actor,
			input: {
				name: `${tenant.name} ${workload} adoption`.slice(0, 200),
				mpnId: partner.mpnIds[0]?.mpnId as string,
				customer: {
					tenantId: tenant.tenantId,
					domain: tenant.domains[1] as string,
				},
				solutionArea: "microsoft_365",
				activity: "usage",
				products: [{ productId: workload }],
				contacts: {
					customer: {
						name: "Customer Sponsor",
						title: "CIO",
						email: `cio@simt${ti + 1}.example`,
					},
					customerTechnical: {
						name: "Customer IT",
						title: "IT Manager",
						email: `it@simt${ti + 1}.example`,
					},
					partner: {
						name: actor.name,
						email: `claims@sim-partner-${t.partner + 1}.example`,
					},
				},
			},
		});
		if (!res.ok) {
			refused++;
			t.status = "refused";
			return;
		}
		created++;
		if (res.claim.competing) competing++;
		t.submittedAt = at;
		track(t, res.claim, at);
		progress(currentDay + 1, false);
	};

	/** Partners and customers act on their scheduled steps. */
	const agendaStep = async (item: number, now: number) => {
		const t = all[Math.floor(item / 4)] as SimClaim;
		const kind = item % 4;
		const actor = actorOf(t.partner);
		if (kind === RESUBMIT && t.status === "partner_action_required")
			await step("resubmit", t, {
				kind: "resubmit",
				at: now,
				claimId: t.id,
				actor,
			});
		if (kind === DISPUTE && t.status === "rejected")
			await step("dispute", t, {
				kind: "dispute",
				at: now,
				claimId: t.id,
				actor,
			});
		if (kind === OPT_OUT && t.status === "approved") {
			const tenant = tenants[Math.floor(t.key / W)];
			await step("opt_out", t, {
				kind: "opt_out",
				at: now,
				claimId: t.id,
				actor: {
					userId: `sim:customer:${tenant?.tenantId}`,
					name: "Simulated customer admin",
					roles: ["customer_admin"],
					kind: "customer",
					tenantId: tenant?.tenantId ?? null,
				},
			});
		}
	};

	/** One work item of the reviewers: a dispute answer, or a review start and decision. */
	const reviewOne = async (t: SimClaim, now: number) => {
		if (t.status === "rejected") {
			if (now > t.disputeDecisionDue) sla.disputeAnswer++;
			const r = nextRandom(t);
			const decision =
				r < 0.4 ? "approve" : r < 0.6 ? "request_information" : "uphold";
			const res = await step(`dispute_${decision}`, t, {
				kind: "decide_dispute",
				at: now,
				claimId: t.id,
				decision,
				comment: "Dispute reviewed.",
				others: decision === "approve" ? othersOf(t) : [],
			});
			if (res.ok && res.claim.status === "approved") afterApproval(t, res, now);
			if (res.ok && res.claim.status === "partner_action_required")
				afterRequest(t);
			if (!res.ok && res.code === "association_already_approved")
				// Another partner won meanwhile (R-CMP-2): the rejection stands.
				await step("dispute_uphold", t, {
					kind: "decide_dispute",
					at: now,
					claimId: t.id,
					decision: "uphold",
					comment: "Another partner's claim is already approved.",
					others: [],
				});
			return;
		}
		if (t.status === "submitted") {
			if (now > t.reviewStartDue) sla.reviewStart++;
			const res = await step("start_review", t, {
				kind: "start_review",
				at: now,
				claimId: t.id,
			});
			if (!res.ok) return;
		}
		if (now > t.decisionDue) sla.decision++;
		const r = nextRandom(t);
		if (r < (t.asked ? 0.8 : 0.6)) {
			const res = await step("approve", t, {
				kind: "approve",
				at: now,
				claimId: t.id,
				others: othersOf(t),
			});
			if (res.ok) afterApproval(t, res, now);
			else if (res.code === "association_already_approved") {
				// Arbitration already decided for another partner (R-CMP-2, R-CMP-3).
				const w = await step("reject", t, {
					kind: "reject",
					at: now,
					claimId: t.id,
					comment: "Another partner is already of record for this workload.",
				});
				if (w.ok) afterRejection(t);
			}
		} else if (!t.asked && r < 0.85) {
			const res = await step("request_information", t, {
				kind: "request_information",
				at: now,
				claimId: t.id,
			});
			if (res.ok) afterRequest(t);
		} else {
			const res = await step("reject", t, {
				kind: "reject",
				at: now,
				claimId: t.id,
				comment: "The PoE does not show work for this customer.",
			});
			if (res.ok) afterRejection(t);
		}
	};
	/** Reviewers take up to `capacity` work items, most urgent first (due time, then claim number). */
	const reviewQueue = async (capacity: number, now: number) => {
		const batch: SimClaim[] = [];
		while (batch.length < capacity && queue.size > 0) {
			const [seq, ver] = queue.pop();
			const t = all[seq] as SimClaim;
			if (t.queued !== ver) continue;
			t.queued = 0;
			if (waiting(t)) batch.push(t);
		}
		await forEachLimited(
			groupByKey(batch, (t) => t.key),
			limit,
			async (group) => {
				for (const t of group) {
					// An earlier approval on the key may have rejected it (R-CMP-3).
					if (waiting(t)) await reviewOne(t, now);
				}
			},
		);
	};

	const businessDays: number[] = [];
	for (let d = 0; d < opts.days; d++)
		if (
			c.calendar.isBusinessDay(new Date(start.getTime() + d * DAY + 12 * HOUR))
		)
			businessDays.push(d);
	const perDay = new Map<number, number>();
	businessDays.forEach((d, i) => {
		const n =
			Math.floor(((i + 1) * opts.claims) / businessDays.length) -
			Math.floor((i * opts.claims) / businessDays.length);
		perDay.set(d, n);
	});
	try {
		for (let day = 0; day < opts.days; day++) {
			currentDay = day;
			const business = c.calendar.isBusinessDay(
				new Date(start.getTime() + day * DAY + 12 * HOUR),
			);
			at(day, 8);
			await sweep();
			if (business) {
				// Partners and customers act in the morning.
				const morning = at(day, 9);
				const items = (agenda.get(day) ?? []).sort((a, b) => a - b);
				agenda.delete(day);
				await forEachLimited(
					groupByKey(
						items,
						(item) => (all[Math.floor(item / 4)] as SimClaim).key,
					),
					limit,
					async (group) => {
						for (const item of group) await agendaStep(item, morning);
					},
				);
				// New claims arrive through the day (10:00–14:00).
				const plan = planCreates(day, perDay.get(day) ?? 0);
				await forEachLimited(plan, limit, createOne);
				// Reviewers work the queue by due time in the afternoon.
				const afternoon = at(day, 15);
				await sweep();
				await reviewQueue(opts.reviewCapacity, afternoon);
			} else {
				// Weekend steps move to the next business day.
				const pending = agenda.get(day);
				if (pending) {
					agenda.delete(day);
					const next = agenda.get(day + 1);
					if (next) next.push(...pending);
					else agenda.set(day + 1, pending);
				}
			}
			at(day, 23);
			await sweep();
			// The dashboard counters' background fold (R-DSH-1), once a simulated day.
			await foldClaimStatusDeltas(c);
			progress(day + 1, true);
		}
	} finally {
		if (!opts.executor) await executor.close();
	}
	// Still waiting past the deadline at the end of the run.
	const end = clock.now().getTime();
	for (const t of all) {
		if (waiting(t) && t.due < end) sla.openOverdueAtEnd++;
	}
	const res = await c.db.execute(
		sql`select status, count(*)::int as n from claims group by status order by status`,
	);
	const claimsByStatus: Record<string, number> = {};
	for (const r of (res as unknown as { rows: { status: string; n: number }[] })
		.rows)
		claimsByStatus[r.status] = Number(r.n);
	const sorted = Float64Array.from(decisionHours).sort();
	const wallSeconds = (performance.now() - wallStart) / 1000;
	const {
		onProgress: _p,
		start: _s,
		concurrency: _c,
		executor: _e,
		...parameters
	} = opts;
	const round = (x: number) => Math.round(x * 10) / 10;
	return {
		parameters: { ...parameters, start: start.toISOString() },
		claimsByStatus,
		claimsCreated: created,
		claimsRefused: refused,
		competingClaims: competing,
		actions: Object.fromEntries(
			Object.entries(actions).sort(([a], [b]) => (a < b ? -1 : 1)),
		),
		timers,
		slaBreaches: sla,
		timeToDecisionHours: {
			count: sorted.length,
			median: round(percentile(sorted, 0.5)),
			p90: round(percentile(sorted, 0.9)),
		},
		simulatedEnd: new Date(end).toISOString(),
		execution: {
			database: ctx.dbKind,
			concurrency: limit,
			workers: executor.workers,
		},
		wallSeconds: round(wallSeconds),
		claimsPerSecond: round(created / Math.max(wallSeconds, 0.001)),
	};
}

/** The report as text lines. */
export function formatReport(r: SimulationReport): string {
	const p = r.parameters;
	const n = (x: number) => x.toLocaleString("en");
	const lines = [
		`Simulated ${p.days} days (${p.start.slice(0, 10)} → ${r.simulatedEnd.slice(0, 10)}): ${n(p.partners)} partners, ${n(p.tenants)} tenants, seed ${p.seed}`,
		`Claims: ${n(r.claimsCreated)} created (${n(r.competingClaims)} competing), ${n(r.claimsRefused)} refused by the rules`,
		"Claims per status:",
		...Object.entries(r.claimsByStatus).map(
			([s, x]) => `  ${s.padEnd(28)} ${n(x)}`,
		),
		"Actions:",
		...Object.entries(r.actions).map(([a, x]) => `  ${a.padEnd(28)} ${n(x)}`),
		`Timers: ${n(r.timers.partnerResponseExpired)} no_partner_response rejections (R-TIME-4), ${n(r.timers.associationsActivated)} associations activated (R-TIME-6)`,
		`SLA breaches: review start ${n(r.slaBreaches.reviewStart)} (R-TIME-2), decision ${n(r.slaBreaches.decision)} (R-TIME-3), dispute answer ${n(r.slaBreaches.disputeAnswer)} (R-TIME-8); still open past due at the end ${n(r.slaBreaches.openOverdueAtEnd)}`,
		`Time to decision: median ${r.timeToDecisionHours.median} h, p90 ${r.timeToDecisionHours.p90} h (${n(r.timeToDecisionHours.count)} decided)`,
		`Throughput: ${r.claimsPerSecond} claims/s (${r.wallSeconds} s wall time; ${r.execution.database}, ${r.execution.concurrency} steps in flight, ${r.execution.workers ? `${r.execution.workers} worker threads` : "one thread"})`,
	];
	return `${lines.join("\n")}\n`;
}
