import { sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import { PROGRAM_LABELS, type Program } from "../domain/catalog.ts";
import {
	type Activity,
	checkComplete,
	programsForActivity,
	type SolutionArea,
	throwIfProblems,
} from "../domain/claim-validation.ts";
import { DomainError } from "../domain/errors.ts";
import { performClaimAction } from "./claim-action.ts";
import { checkCustomerFacts, checkMpnFacts } from "./claim-input.ts";
import { resolveLines } from "./claim-products.ts";
import type { ClaimProductRow, ClaimRow, ClaimView } from "./claim-view.ts";
import { lockCompeteKeys, markCompeting } from "./competing.ts";
import { type DirectoryFacts, readDirectoryFacts } from "./directory-facts.ts";
import {
	type DirectorySnapshot,
	directorySnapshot,
} from "./directory-snapshot.ts";

/** Options of {@link submitClaim}. */
export interface SubmitClaimOptions {
	actor: Actor;
	claimId: string;
	expectedVersion?: number | undefined;
}

/** Programs by their names (R-DIR-2): "OSA Sell", "OSA Sell or OSU-BizApps". */
function programNames(programs: readonly Program[]): string {
	return programs.map((p) => PROGRAM_LABELS[p]).join(" or ");
}

/**
 * R-CRT-2: the MPN ID (enrolled in `programs`) is enrolled in a program the claim's
 * solution area and activity feed (none needed: nothing to check).
 * @throws DomainError `mpn_not_enrolled` on `mpnId`.
 */
export function assertEnrolled(
	mpnId: string,
	programs: readonly string[],
	solutionArea: SolutionArea,
	activity: Activity,
): void {
	const needed = programsForActivity(solutionArea, activity);
	if (needed.length > 0 && !needed.some((p) => programs.includes(p))) {
		throw new DomainError(
			"mpn_not_enrolled",
			`MPN ID ${mpnId} is not enrolled in ${programNames(needed)}, which this activity feeds. Choose an enrolled MPN ID.`,
			[
				{
					path: "mpnId",
					code: "mpn_not_enrolled",
					message: `Not enrolled in ${programNames(needed)}.`,
				},
			],
		);
	}
}

/**
 * Re-runs every submit-time check on a claim, in this order: completeness (R-CRT-6,
 * `claim_incomplete` naming every missing field), PoE (R-CRT-7, `poe_required`), MPN
 * enrollment (R-CRT-2, `mpn_not_enrolled`), domain/tenant (R-CRT-3) and each product
 * line again (R-CRT-5, R-CMP-1). `parts` are the claim's lines and documents as read
 * under the row lock. Returns the MPN's programs, what the claim was validated against
 * (its R-DIR-6 snapshot) and, `withCompetitors`, the claim's competitors (R-CMP-2, read
 * in the same statement; sorted IDs; else []).
 */
export async function checkSubmittable(
	tx: Tx,
	claim: ClaimRow,
	parts: {
		lines: Pick<ClaimProductRow, "productId" | "subscriptionId">[];
		docs: unknown[];
	},
	opts: {
		withCompetitors?: boolean;
		/** The facts already read with the claim (ActionScope.directoryFacts), else read here. */
		directoryFacts?: DirectoryFacts | undefined;
		/** The validation's time for the snapshot (the clock's now; default the real time). */
		now?: Date;
	} = {},
): Promise<{
	programs: string[];
	competitors: string[];
	/** What the claim was validated against (R-DIR-6), for its snapshot. */
	snapshot: DirectorySnapshot;
}> {
	const { lines } = parts;
	const solutionArea = claim.solutionArea as SolutionArea;
	const activity = claim.activity as Activity;
	throwIfProblems(
		checkComplete({
			solutionArea,
			activity,
			products: lines.map((l) => ({ productId: l.productId })),
			contacts: claim.contacts as never,
			revenueAssociation: claim.revenueAssociation as never,
		}),
		"claim_incomplete",
		"The claim is incomplete; fill in the fields listed in errors[] and submit again.",
	);
	if (parts.docs.length === 0) {
		throw new DomainError(
			"poe_required",
			"Upload at least one proof of execution (PoE) document before submitting.",
			[
				{
					path: "documents",
					code: "poe_required",
					message: "At least one PoE document is required.",
				},
			],
		);
	}
	const productLines = lines.map((l) => ({
		productId: l.productId,
		subscriptionId: l.subscriptionId ?? undefined,
	}));
	// The MPN, tenant, catalog and subscriptions in one statement.
	const directory =
		opts.directoryFacts ??
		(await readDirectoryFacts(tx, {
			organizationId: claim.partnerOrganizationId,
			mpnId: claim.mpnId,
			tenantId: claim.tenantId,
			lines: productLines,
			duplicates: { solutionArea, activity, claimId: claim.id },
			...(opts.withCompetitors ? { competitorsOf: claim.id } : {}),
		}));
	const mpn = checkMpnFacts(
		claim.mpnId,
		directory.programs,
		directory.mpnInUse,
	);
	throwIfProblems(mpn.problems);
	assertEnrolled(claim.mpnId, mpn.programs, solutionArea, activity);
	const customer = checkCustomerFacts(
		{ domain: claim.domain, solutionArea, activity },
		directory.tenant,
	);
	throwIfProblems(customer.problems);
	const resolved = await resolveLines(
		tx,
		{
			lines: productLines,
			solutionArea,
			activity,
			tenantId: claim.tenantId,
			organizationId: claim.partnerOrganizationId,
			claimId: claim.id,
		},
		directory,
	);
	throwIfProblems(resolved.problems);
	return {
		programs: mpn.programs,
		competitors: directory.competitors ?? [],
		snapshot: directorySnapshot(
			directory,
			claim,
			lines,
			opts.now ?? new Date(),
		),
	};
}

/**
 * Submits a draft (SPEC section 4: draft → submitted) after {@link checkSubmittable};
 * sets the review-start SLA (R-TIME-2) and marks competing claims (R-CMP-2).
 * Emits `claim.submitted`. Runs `optimistic` (two statements, no transaction: the claim
 * with its directory facts, then the write) unless there are competitors to mark; then
 * again under the row lock.
 */
export async function submitClaim(
	ctx: AppContext,
	opts: SubmitClaimOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "submit",
		expectedVersion: opts.expectedVersion,
		events: ["claim.submitted"],
		// No transaction unless there are competitors to mark (see `optimistic`); the
		// directory facts come with the claim's read (two statements in all).
		optimistic: true,
		withDirectoryFacts: true,
		apply: async ({
			tx,
			claim,
			actor,
			now,
			ctx,
			lines,
			docs,
			directoryFacts,
			optimistic,
			needLock,
			guard,
		}) => {
			// R-CMP-2 under concurrency (migration 0007): under the row lock, the compete
			// keys are locked before the competitors are read; an optimistic try that finds
			// none looks again under those locks when it writes, and is undone and tried
			// again if one appeared.
			if (!optimistic) await lockCompeteKeys(tx, claim.id);
			const { competitors, snapshot } = await checkSubmittable(
				tx,
				claim,
				{ lines, docs },
				{ withCompetitors: true, directoryFacts, now },
			);
			// Marking competitors writes their rows, under their locks and ours.
			if (optimistic && competitors.length > 0) needLock();
			if (optimistic)
				guard({
					key: "no competitors",
					wrap: (check, p) =>
						sql`cpor_expect_no_competitors(${check}, ${p("claimId")})`,
					values: { claimId: claim.id },
				});
			const competing = await markCompeting(
				tx,
				claim.id,
				actor,
				now,
				competitors,
			);
			return {
				status: "submitted",
				submittedAt: now,
				reviewStartDue: ctx.deadlines.reviewStartDue(now),
				competing,
				snapshot,
			};
		},
	});
}
