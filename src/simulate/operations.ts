/**
 * The steps of `cpor simulate`, each one call (or, for a new claim, the three calls
 * create, upload PoE, submit) of the REAL use cases at a given simulated instant. A step
 * is plain data, so it can run in the simulation's thread or in a worker thread; its
 * result is the little the simulation keeps of the claim (not the whole claim resource),
 * or the refusal's error code with the claim's status read again.
 */
import { Readable } from "node:stream";
import { inArray, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { CreateClaimInput } from "../claims/claim-input.ts";
import type { ClaimView } from "../claims/claim-view.ts";
import { createClaim } from "../claims/create-claim.ts";
import { resubmitClaim } from "../claims/resubmit-claim.ts";
import { submitClaim } from "../claims/submit-claim.ts";
import { uploadDocument } from "../claims/upload-document.ts";
import { optOut } from "../consent/opt-out.ts";
import type { AppContext } from "../context.ts";
import { claims } from "../db/schema.ts";
import { decideDispute } from "../disputes/decide-dispute.ts";
import { disputeClaim } from "../disputes/dispute-claim.ts";
import { renderSimplePdf } from "../documents/simple-pdf.ts";
import type { Clock } from "../domain/clock.ts";
import { DomainError } from "../domain/errors.ts";
import { approveClaim } from "../review/approve-claim.ts";
import { rejectClaim } from "../review/reject-claim.ts";
import { requestInformation } from "../review/request-information.ts";
import { startReview } from "../review/start-review.ts";

/** The reviewer every review step acts as. */
export const SIM_REVIEWER: Actor = {
	userId: "sim:reviewer",
	name: "Simulated reviewer",
	roles: ["reviewer"],
	kind: "reviewer",
};

/** The PoE every simulated claim uploads (the same bytes: stored once, content-addressed). */
export const SIM_POE = Buffer.from(
	renderSimplePdf([
		"Proof of execution",
		"Simulated engagement: workshops, deployment and adoption plan.",
		"Customer acknowledgement: signed.",
	]),
);

/** One simulated step; `at` is the simulated instant (ms since the epoch). */
export type SimOp =
	| { kind: "create"; at: number; actor: Actor; input: CreateClaimInput }
	| { kind: "start_review"; at: number; claimId: string }
	| {
			kind: "approve";
			at: number;
			claimId: string;
			/** Claims on the same customer and workload whose status to read afterwards (R-CMP-3 losers). */
			others: string[];
	  }
	| { kind: "reject"; at: number; claimId: string; comment: string }
	| { kind: "request_information"; at: number; claimId: string }
	| { kind: "resubmit"; at: number; claimId: string; actor: Actor }
	| { kind: "dispute"; at: number; claimId: string; actor: Actor }
	| {
			kind: "decide_dispute";
			at: number;
			claimId: string;
			decision: "approve" | "request_information" | "uphold";
			comment: string;
			others: string[];
	  }
	| { kind: "opt_out"; at: number; claimId: string; actor: Actor };

/** What the simulation keeps of a claim after a step (deadlines in ms, NaN when none). */
export interface SimClaimState {
	id: string;
	status: string;
	competing: boolean;
	reviewStartDue: number;
	decisionDue: number;
	disputeDecisionDue: number;
	disputeOpen: boolean;
	/** An information request was made (the reviewer asked before). */
	asked: boolean;
	rejectionReason: string | null;
}

/** A step's outcome. */
export type SimOpResult =
	| {
			ok: true;
			claim: SimClaimState;
			/** For approvals: the status of each of `others` afterwards, as [id, status]. */
			others?: [string, string][];
	  }
	| {
			ok: false;
			/** The DomainError code of the refusal. */
			code: string;
			/** The claim's status read after the refusal (null: no claim). */
			status: string | null;
			disputeOpen: boolean;
	  };

const ms = (iso: string | null | undefined) =>
	iso ? Date.parse(iso) : Number.NaN;

/** The compact state of a claim resource. */
export function stateOf(v: ClaimView): SimClaimState {
	return {
		id: v.id,
		status: v.status,
		competing: v.competing,
		reviewStartDue: ms(v.deadlines.reviewStartDue),
		decisionDue: ms(v.deadlines.decisionDue),
		disputeDecisionDue: ms(v.deadlines.disputeDecisionDue),
		disputeOpen: v.dispute?.status === "open",
		asked: v.informationRequest !== null,
		rejectionReason: v.rejection?.reason ?? null,
	};
}

/** A clock standing still at `at`. */
const fixedClock = (at: number): Clock => ({ now: () => new Date(at) });

const rowsOf = <T>(res: unknown): T[] => (res as { rows: T[] }).rows;

/**
 * Runs one step with the real use cases on `ctx`'s database, at the step's instant. A
 * DomainError (the rules refused the step) becomes a result; anything else throws.
 */
export async function performOp(
	ctx: AppContext,
	op: SimOp,
): Promise<SimOpResult> {
	const c: AppContext = { ...ctx, clock: fixedClock(op.at) };
	let claimId: string | null = op.kind === "create" ? null : op.claimId;
	try {
		let v: ClaimView;
		switch (op.kind) {
			case "create": {
				v = await createClaim(c, { actor: op.actor, input: op.input });
				claimId = v.id;
				v = (
					await uploadDocument(c, {
						actor: op.actor,
						claimId: v.id,
						stream: Readable.from([SIM_POE]),
						fileName: "PoE.pdf",
					})
				).claim;
				v = await submitClaim(c, { actor: op.actor, claimId: v.id });
				break;
			}
			case "start_review":
				v = await startReview(c, { actor: SIM_REVIEWER, claimId: op.claimId });
				break;
			case "approve":
				v = await approveClaim(c, {
					actor: SIM_REVIEWER,
					claimId: op.claimId,
					comment: "PoE verified.",
				});
				return {
					ok: true,
					claim: stateOf(v),
					others: await statusesOf(c, op.others),
				};
			case "reject":
				v = await rejectClaim(c, {
					actor: SIM_REVIEWER,
					claimId: op.claimId,
					reason: "insufficient_poe",
					comment: op.comment,
				});
				break;
			case "request_information":
				v = await requestInformation(c, {
					actor: SIM_REVIEWER,
					claimId: op.claimId,
					reasons: ["missing_or_old_dates"],
					comment: "Please add the engagement dates to the PoE.",
				});
				break;
			case "resubmit":
				v = await resubmitClaim(c, {
					actor: op.actor,
					claimId: op.claimId,
					comment: "Updated PoE with the engagement dates.",
				});
				break;
			case "dispute":
				v = await disputeClaim(c, {
					actor: op.actor,
					claimId: op.claimId,
					justification: "The customer confirms our work; see the PoE.",
				});
				break;
			case "decide_dispute":
				v = await decideDispute(c, {
					actor: SIM_REVIEWER,
					claimId: op.claimId,
					decision: op.decision,
					comment: op.comment,
					...(op.decision === "request_information"
						? { reasons: ["missing_customer_acknowledgement"] }
						: {}),
				});
				if (v.status === "approved")
					return {
						ok: true,
						claim: stateOf(v),
						others: await statusesOf(c, op.others),
					};
				break;
			case "opt_out":
				v = await optOut(c, { actor: op.actor, claimId: op.claimId });
				break;
		}
		return { ok: true, claim: stateOf(v) };
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		// The claim may have moved on meanwhile (a timer, an arbitration): read it again.
		const row = claimId
			? rowsOf<{ status: string; dispute: string | null }>(
					await c.db.execute(
						sql`select status, dispute->>'status' as dispute from claims where id = ${claimId}`,
					),
				)[0]
			: undefined;
		return {
			ok: false,
			code: err.code,
			status: row?.status ?? null,
			disputeOpen: row?.dispute === "open",
		};
	}
}

/** The statuses of `ids` (after an approval rejected the competing ones, R-CMP-3). */
async function statusesOf(
	ctx: AppContext,
	ids: string[],
): Promise<[string, string][]> {
	if (ids.length === 0) return [];
	const rows = await ctx.db
		.select({ id: claims.id, status: claims.status })
		.from(claims)
		.where(inArray(claims.id, ids));
	return rows.map((r) => [r.id, r.status]);
}
