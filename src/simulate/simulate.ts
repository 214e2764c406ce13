/**
 * `cpor simulate` (issue 5): a time-compressed run of a whole ecosystem through the REAL
 * use cases on a private sandbox clock. N partners and T tenants (a small generated
 * directory, imported with the ordinary import), M claims arriving over D days on business
 * days, reviewers with a daily capacity taking the queue by due time, partners answering
 * information requests after a random delay (some never: the R-TIME-4 timer rejects
 * them), customers opting out, partners disputing rejections, competing claims.
 *
 * Deterministic for a seed: every random choice comes from one seeded PRNG (and a seeded
 * Faker for names), the clock is a frozen SandboxClock moved only by the simulation.
 * The report's SLA figures are computed from each claim's deadlines (R-TIME-2, R-TIME-3,
 * R-TIME-8) against the instant the reviewer acted (or the end of the run when still open).
 */
import { Readable } from "node:stream";
import { en, Faker } from "@faker-js/faker";
import { sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { ClaimView } from "../claims/claim-view.ts";
import { createClaim } from "../claims/create-claim.ts";
import { resubmitClaim } from "../claims/resubmit-claim.ts";
import { submitClaim } from "../claims/submit-claim.ts";
import { uploadDocument } from "../claims/upload-document.ts";
import { optOut } from "../consent/opt-out.ts";
import type { AppContext } from "../context.ts";
import { importDirectory } from "../directory/import-directory.ts";
import type { ImportDocument } from "../directory/import-schema.ts";
import { decideDispute } from "../disputes/decide-dispute.ts";
import { disputeClaim } from "../disputes/dispute-claim.ts";
import { renderSimplePdf } from "../documents/simple-pdf.ts";
import { CATALOG, PROGRAMS } from "../domain/catalog.ts";
import { SandboxClock } from "../domain/clock.ts";
import { DomainError } from "../domain/errors.ts";
import { runDueTimers } from "../jobs/sweeper.ts";
import { approveClaim } from "../review/approve-claim.ts";
import { rejectClaim } from "../review/reject-claim.ts";
import { requestInformation } from "../review/request-information.ts";
import { startReview } from "../review/start-review.ts";

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
	/** Called every few percent of simulated days. */
	onProgress?: (p: SimulationProgress) => void;
}

export interface SimulationProgress {
	day: number;
	days: number;
	claimsCreated: number;
	claims: number;
}

/** The end-of-run report. */
export interface SimulationReport {
	parameters: Omit<SimulationOptions, "onProgress" | "start"> & {
		start: string;
	};
	/** Claims per final status, read from the database. */
	claimsByStatus: Record<string, number>;
	claimsCreated: number;
	/** Generated claims the rules refused at creation (e.g. R-CMP-1 duplicates). */
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
	wallSeconds: number;
	claimsPerSecond: number;
}

/** Validated defaults of the CLI. */
export const SIMULATION_DEFAULTS = {
	partners: 20,
	tenants: 500,
	claims: 1000,
	days: 30,
	reviewCapacity: 50,
	optOutRate: 0.05,
	disputeRate: 0.3,
	competingRate: 0.05,
	noAnswerRate: 0.2,
	seed: 1,
} as const;

/** mulberry32: a small, fast, seedable PRNG. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A directory of `partners` organizations (one MPN ID each, enrolled everywhere) and `tenants` tenants. */
export function generateSimulationDirectory(
	partners: number,
	tenants: number,
	seed: number,
): ImportDocument {
	const faker = new Faker({ locale: [en] });
	faker.seed(seed);
	return {
		products: CATALOG.map((p) => ({ ...p })),
		partners: Array.from({ length: partners }, (_, i) => ({
			organizationId: `sim-partner-${i + 1}`,
			name: `${faker.company.name()} (sim ${i + 1})`.slice(0, 200),
			mpnIds: [
				{
					mpnId: String(7_000_000 + i + 1),
					programs: [...PROGRAMS],
					partnerTypes: [],
				},
			],
		})),
		tenants: Array.from({ length: tenants }, (_, i) => ({
			tenantId: faker.string.uuid(),
			name: `${faker.company.name()} (sim ${i + 1})`.slice(0, 200),
			domains: [`simt${i + 1}.onmicrosoft.com`, `simt${i + 1}.example`],
		})),
	} as ImportDocument;
}

interface Tracked {
	id: string;
	/** Creation order: the deterministic tie-break (claim IDs are random UUIDs). */
	seq: number;
	partner: number;
	key: string;
	status: string;
	submittedAt: number;
	decided: boolean;
	/** Deadline of what the reviewer owes now (ms), for queue order. */
	due: number;
	/** The view's deadlines, kept for the SLA checks. */
	view: ClaimView;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0
		? 0
		: (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ??
			0);

/**
 * Runs the simulation against `ctx`'s database (which should be empty of claims; the
 * directory is imported). Uses its own clock; `ctx.clock` is not touched.
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
	const doc = generateSimulationDirectory(
		opts.partners,
		opts.tenants,
		opts.seed,
	);
	await importDirectory(ctx.db, doc);
	const start = opts.start ?? new Date("2026-01-05T00:00:00.000Z");
	const clock = new SandboxClock(start);
	const c: AppContext = { ...ctx, clock };
	const at = (day: number, hour: number) =>
		clock.setTo(
			new Date(
				Math.max(
					clock.now().getTime(),
					start.getTime() + day * DAY + hour * HOUR,
				),
			),
		);
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
	const actorOf = (i: number): Actor => ({
		userId: `sim:partner:${i}`,
		name: `Simulated partner ${i + 1}`,
		roles: ["global_admin"],
		kind: "partner",
		organizationId: partners[i]?.organizationId ?? null,
	});
	const reviewer: Actor = {
		userId: "sim:reviewer",
		name: "Simulated reviewer",
		roles: ["reviewer"],
		kind: "reviewer",
	};
	const pdf = Buffer.from(
		renderSimplePdf([
			"Proof of execution",
			"Simulated engagement: workshops, deployment and adoption plan.",
			"Customer acknowledgement: signed.",
		]),
	);

	const byId = new Map<string, Tracked>();
	/** (tenant:workload) → claim ids, live or not (competing picks a live one). */
	const byKey = new Map<string, string[]>();
	const usedByPartner = new Set<string>();
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
	/** Scheduled partner/customer steps by simulated day. */
	const agenda = new Map<
		number,
		{ kind: "resubmit" | "opt_out" | "dispute"; id: string }[]
	>();
	const schedule = (
		day: number,
		kind: "resubmit" | "opt_out" | "dispute",
		id: string,
	) => {
		const list = agenda.get(day) ?? [];
		list.push({ kind, id });
		agenda.set(day, list);
	};
	let created = 0;
	let refused = 0;
	let competing = 0;
	let currentDay = 0;

	const dueOf = (v: ClaimView): number => {
		const d =
			v.dispute?.status === "open"
				? v.deadlines.disputeDecisionDue
				: v.status === "submitted"
					? v.deadlines.reviewStartDue
					: v.deadlines.decisionDue;
		return d ? Date.parse(d) : Number.MAX_SAFE_INTEGER;
	};
	const track = (t: Tracked, v: ClaimView) => {
		t.status = v.status;
		t.view = v;
		t.due = dueOf(v);
		if (!t.decided && (v.status === "approved" || v.status === "rejected")) {
			t.decided = true;
			decisionHours.push((clock.now().getTime() - t.submittedAt) / HOUR);
		}
	};
	/** Why the last attempt was refused (its error code), or null. */
	let lastRefusal: string | null = null;
	/** Runs a use case; a refusal (e.g. the claim moved on meanwhile) is counted, not fatal. */
	const attempt = async (
		name: string,
		t: Tracked,
		fn: () => Promise<ClaimView>,
	): Promise<ClaimView | null> => {
		lastRefusal = null;
		try {
			const v = await fn();
			count(name);
			track(t, v);
			return v;
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			count(`${name}_refused`);
			lastRefusal = err.code;
			await refresh(t);
			return null;
		}
	};
	/** Re-reads a claim's status and open dispute after a refusal (it may have moved on). */
	const refresh = async (t: Tracked) => {
		const rows = await c.db.execute(
			sql`select status, dispute->>'status' as dispute from claims where id = ${t.id}`,
		);
		const row = (
			rows as unknown as { rows: { status: string; dispute: string | null }[] }
		).rows[0];
		if (!row) return;
		t.status = row.status;
		if (t.view.dispute && row.dispute !== "open")
			t.view = { ...t.view, dispute: { ...t.view.dispute, status: "decided" } };
	};
	const afterRejection = (t: Tracked) => {
		if (
			t.view.rejection &&
			!["partner_request", "customer_declined"].includes(
				(t.view.rejection as { reason?: string }).reason ?? "",
			) &&
			chance(opts.disputeRate)
		)
			schedule(currentDay + int(1, 5), "dispute", t.id);
	};
	/** After an approval, refresh competitors the use case rejected (R-CMP-3). */
	const afterApproval = async (t: Tracked) => {
		if (chance(opts.optOutRate))
			schedule(currentDay + int(1, 6), "opt_out", t.id);
		for (const otherId of byKey.get(t.key) ?? []) {
			const o = byId.get(otherId);
			if (!o || o.id === t.id || o.status === "rejected") continue;
			const rows = await c.db.execute(
				sql`select status from claims where id = ${o.id}`,
			);
			const status = (rows as unknown as { rows: { status: string }[] }).rows[0]
				?.status;
			if (status === "rejected") {
				o.status = "rejected";
				if (!o.decided) {
					o.decided = true;
					decisionHours.push((clock.now().getTime() - o.submittedAt) / HOUR);
				}
			}
		}
	};

	const createOne = async () => {
		const p = int(0, partners.length - 1);
		let key: string | undefined;
		if (chance(opts.competingRate) && byKey.size > 0) {
			// Another partner's live claim on the same tenant and workload (R-CMP-2).
			const keys = [...byKey.keys()];
			for (let tries = 0; tries < 5 && !key; tries++) {
				const k = keys[int(0, keys.length - 1)] as string;
				const live = (byKey.get(k) ?? []).some((id) => {
					const o = byId.get(id);
					return o && o.partner !== p && o.status !== "rejected";
				});
				if (live && !usedByPartner.has(`${p}|${k}`)) key = k;
			}
		}
		if (!key) {
			for (let tries = 0; tries < 20 && !key; tries++) {
				const k = `${int(0, tenants.length - 1)}:${workloads[int(0, workloads.length - 1)]}`;
				if (!byKey.has(k)) key = k;
			}
		}
		if (!key) {
			refused++;
			return;
		}
		usedByPartner.add(`${p}|${key}`);
		const [ti, workload] = key.split(":") as [string, string];
		const tenant = tenants[Number(ti)];
		const partner = partners[p];
		if (!tenant || !partner) return;
		const actor = actorOf(p);
		try {
			let v = await createClaim(c, {
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
							email: `cio@simt${Number(ti) + 1}.example`,
						},
						customerTechnical: {
							name: "Customer IT",
							title: "IT Manager",
							email: `it@simt${Number(ti) + 1}.example`,
						},
						partner: {
							name: actor.name,
							email: `claims@sim-partner-${p + 1}.example`,
						},
					},
				} as never,
			});
			v = (
				await uploadDocument(c, {
					actor,
					claimId: v.id,
					stream: Readable.from([pdf]),
					fileName: "PoE.pdf",
				})
			).claim;
			v = await submitClaim(c, { actor, claimId: v.id });
			created++;
			if (v.competing) competing++;
			const t: Tracked = {
				id: v.id,
				seq: byId.size,
				partner: p,
				key,
				status: v.status,
				submittedAt: clock.now().getTime(),
				decided: false,
				due: 0,
				view: v,
			};
			track(t, v);
			byId.set(v.id, t);
			const list = byKey.get(key) ?? [];
			list.push(v.id);
			byKey.set(key, list);
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			refused++;
		}
	};

	/** True when the claim waits for a reviewer (review, decision or dispute answer). */
	const waiting = (t: Tracked) =>
		t.status === "submitted" ||
		t.status === "under_review" ||
		(t.status === "rejected" && t.view.dispute?.status === "open");
	/** Reviewers handle up to `capacity` work items, most urgent first. */
	const reviewQueue = async (capacity: number) => {
		const queue = [...byId.values()]
			.filter(waiting)
			.sort((a, b) => a.due - b.due || a.seq - b.seq)
			.slice(0, capacity);
		for (const t of queue) {
			// An earlier approval in this batch may have rejected it (R-CMP-3).
			if (!waiting(t)) continue;
			const now = clock.now().getTime();
			if (t.status === "rejected") {
				const due = t.view.deadlines.disputeDecisionDue;
				if (due && now > Date.parse(due)) sla.disputeAnswer++;
				const r = rnd();
				const decision =
					r < 0.4 ? "approve" : r < 0.6 ? "request_information" : "uphold";
				const v = await attempt(`dispute_${decision}`, t, () =>
					decideDispute(c, {
						actor: reviewer,
						claimId: t.id,
						decision,
						comment: "Dispute reviewed.",
						...(decision === "request_information"
							? { reasons: ["missing_customer_acknowledgement"] }
							: {}),
					}),
				);
				if (v?.status === "approved") await afterApproval(t);
				if (v?.status === "partner_action_required") afterRequest(t);
				if (!v && lastRefusal === "association_already_approved")
					// Another partner won meanwhile (R-CMP-2): the rejection stands.
					await attempt("dispute_uphold", t, () =>
						decideDispute(c, {
							actor: reviewer,
							claimId: t.id,
							decision: "uphold",
							comment: "Another partner's claim is already approved.",
						}),
					);
				continue;
			}
			if (t.status === "submitted") {
				const due = t.view.deadlines.reviewStartDue;
				if (due && now > Date.parse(due)) sla.reviewStart++;
				const v = await attempt("start_review", t, () =>
					startReview(c, { actor: reviewer, claimId: t.id }),
				);
				if (!v) continue;
			}
			const due = t.view.deadlines.decisionDue;
			if (due && now > Date.parse(due)) sla.decision++;
			const asked = Boolean(t.view.informationRequest);
			const r = rnd();
			if (r < (asked ? 0.8 : 0.6)) {
				const v = await attempt("approve", t, () =>
					approveClaim(c, {
						actor: reviewer,
						claimId: t.id,
						comment: "PoE verified.",
					}),
				);
				if (v) await afterApproval(t);
				else if (lastRefusal === "association_already_approved") {
					// Arbitration already decided for another partner (R-CMP-2, R-CMP-3).
					const w = await attempt("reject", t, () =>
						rejectClaim(c, {
							actor: reviewer,
							claimId: t.id,
							reason: "insufficient_poe",
							comment:
								"Another partner is already of record for this workload.",
						}),
					);
					if (w) afterRejection(t);
				}
			} else if (!asked && r < 0.85) {
				const v = await attempt("request_information", t, () =>
					requestInformation(c, {
						actor: reviewer,
						claimId: t.id,
						reasons: ["missing_or_old_dates"],
						comment: "Please add the engagement dates to the PoE.",
					}),
				);
				if (v) afterRequest(t);
			} else {
				const v = await attempt("reject", t, () =>
					rejectClaim(c, {
						actor: reviewer,
						claimId: t.id,
						reason: "insufficient_poe",
						comment: "The PoE does not show work for this customer.",
					}),
				);
				if (v) afterRejection(t);
			}
		}
	};
	const afterRequest = (t: Tracked) => {
		if (!chance(opts.noAnswerRate))
			schedule(currentDay + int(1, 5), "resubmit", t.id);
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
	const step = Math.max(1, Math.floor(opts.days / 50));
	for (let day = 0; day < opts.days; day++) {
		currentDay = day;
		const business = c.calendar.isBusinessDay(
			new Date(start.getTime() + day * DAY + 12 * HOUR),
		);
		at(day, 8);
		await sweep();
		if (business) {
			// Partners and customers act in the morning.
			at(day, 9);
			for (const item of agenda.get(day) ?? []) {
				const t = byId.get(item.id);
				if (!t) continue;
				const actor = actorOf(t.partner);
				if (item.kind === "resubmit" && t.status === "partner_action_required")
					await attempt("resubmit", t, () =>
						resubmitClaim(c, {
							actor,
							claimId: t.id,
							comment: "Updated PoE with the engagement dates.",
						}),
					);
				if (item.kind === "dispute" && t.status === "rejected")
					await attempt("dispute", t, () =>
						disputeClaim(c, {
							actor,
							claimId: t.id,
							justification: "The customer confirms our work; see the PoE.",
						}),
					);
				if (item.kind === "opt_out" && t.status === "approved") {
					const tenant = tenants[Number(t.key.split(":")[0])];
					const v = await attempt("opt_out", t, () =>
						optOut(c, {
							actor: {
								userId: `sim:customer:${tenant?.tenantId}`,
								name: "Simulated customer admin",
								roles: ["customer_admin"],
								kind: "customer",
								tenantId: tenant?.tenantId ?? null,
							} as Actor,
							claimId: t.id,
						}),
					);
					if (v) t.status = v.status;
				}
			}
			agenda.delete(day);
			// New claims arrive through the day (10:00–14:00).
			const n = perDay.get(day) ?? 0;
			for (let i = 0; i < n; i++) {
				clock.setTo(
					new Date(
						Math.max(
							clock.now().getTime(),
							start.getTime() + day * DAY + 10 * HOUR + (i * 4 * HOUR) / n,
						),
					),
				);
				await createOne();
			}
			// Reviewers work the queue by due time in the afternoon.
			at(day, 15);
			await sweep();
			await reviewQueue(opts.reviewCapacity);
		} else {
			// Weekend steps move to the next business day.
			const pending = agenda.get(day);
			if (pending) {
				agenda.delete(day);
				for (const p of pending) schedule(day + 1, p.kind, p.id);
			}
		}
		at(day, 23);
		await sweep();
		if (opts.onProgress && ((day + 1) % step === 0 || day + 1 === opts.days))
			opts.onProgress({
				day: day + 1,
				days: opts.days,
				claimsCreated: created,
				claims: opts.claims,
			});
	}
	// Still waiting past the deadline at the end of the run.
	const end = clock.now().getTime();
	for (const t of byId.values()) {
		if (waiting(t) && t.due < end) sla.openOverdueAtEnd++;
	}
	const res = await c.db.execute(
		sql`select status, count(*)::int as n from claims group by status order by status`,
	);
	const claimsByStatus: Record<string, number> = {};
	for (const r of (res as unknown as { rows: { status: string; n: number }[] })
		.rows)
		claimsByStatus[r.status] = Number(r.n);
	const sorted = [...decisionHours].sort((a, b) => a - b);
	const wallSeconds = (performance.now() - wallStart) / 1000;
	const { onProgress: _p, start: _s, ...parameters } = opts;
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
		wallSeconds: round(wallSeconds),
		claimsPerSecond: round(created / Math.max(wallSeconds, 0.001)),
	};
}

/** The report as text lines. */
export function formatReport(r: SimulationReport): string {
	const p = r.parameters;
	const lines = [
		`Simulated ${p.days} days (${p.start.slice(0, 10)} → ${r.simulatedEnd.slice(0, 10)}): ${p.partners} partners, ${p.tenants} tenants, seed ${p.seed}`,
		`Claims: ${r.claimsCreated} created (${r.competingClaims} competing), ${r.claimsRefused} refused by the rules`,
		"Claims per status:",
		...Object.entries(r.claimsByStatus).map(
			([s, n]) => `  ${s.padEnd(28)} ${n}`,
		),
		"Actions:",
		...Object.entries(r.actions).map(([a, n]) => `  ${a.padEnd(28)} ${n}`),
		`Timers: ${r.timers.partnerResponseExpired} no_partner_response rejections (R-TIME-4), ${r.timers.associationsActivated} associations activated (R-TIME-6)`,
		`SLA breaches: review start ${r.slaBreaches.reviewStart} (R-TIME-2), decision ${r.slaBreaches.decision} (R-TIME-3), dispute answer ${r.slaBreaches.disputeAnswer} (R-TIME-8); still open past due at the end ${r.slaBreaches.openOverdueAtEnd}`,
		`Time to decision: median ${r.timeToDecisionHours.median} h, p90 ${r.timeToDecisionHours.p90} h (${r.timeToDecisionHours.count} decided)`,
		`Throughput: ${r.claimsPerSecond} claims/s (${r.wallSeconds} s wall time)`,
	];
	return `${lines.join("\n")}\n`;
}
