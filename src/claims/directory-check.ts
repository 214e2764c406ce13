/**
 * The directory check of a claim (SPEC R-DIR-6; `GET /claims/{id}/directory-check`): the
 * snapshot the claim was validated against (directory-snapshot.ts), the same directory
 * facts read now, what changed, and whether the submit checks would pass today, so that
 * a reviewer deciding days after the submission sees a subscription that ended or an
 * enrollment that lapsed.
 */
import { asc, eq } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { claimDocuments, claimProducts } from "../db/schema.ts";
import type { Activity, SolutionArea } from "../domain/claim-validation.ts";
import { DomainError, type FieldProblem } from "../domain/errors.ts";
import { readDirectoryFacts } from "./directory-facts.ts";
import {
	type DirectoryChange,
	type DirectorySnapshot,
	directoryChanges,
	directorySnapshot,
} from "./directory-snapshot.ts";
import { getVisibleClaimRow } from "./list-claims.ts";
import { checkSubmittable } from "./submit-claim.ts";

/** `GET /claims/{id}/directory-check`'s answer (docs/api.md). */
export interface DirectoryCheck {
	/** When the claim was last validated (UTC), or null for a claim without a snapshot. */
	validatedAt: string | null;
	validated: DirectorySnapshot | null;
	/** The same facts read now (`checkedAt`, the clock's UTC time). */
	current: DirectorySnapshot;
	checkedAt: string;
	changes: DirectoryChange[];
	/**
	 * What the submit checks (R-CRT-2 to R-CRT-7, R-CMP-1) say about the claim today:
	 * `[]` when it would pass; else the stable code and field of each problem.
	 */
	problems: (FieldProblem & { code: string })[];
}

/**
 * The directory check of one claim (SPEC R-DIR-6) for `actor` (the claim's partner or a
 * reviewer): the snapshot it was validated against, the same facts now, what changed and
 * whether the submit checks would pass today. Reads only.
 * @throws DomainError `not_found` when the claim does not exist or `actor` may not see it.
 */
export async function checkClaimDirectory(
	ctx: AppContext,
	actor: Actor,
	claimId: string,
): Promise<DirectoryCheck> {
	// One read-only transaction: the claim, its lines and the directory as of one moment
	// (an edit between them would mix two versions of the claim).
	return ctx.db.transaction(async (tx) => {
		const claim = await getVisibleClaimRow({ db: tx }, actor, claimId);
		const [lines, docs] = [
			await tx
				.select({
					productId: claimProducts.productId,
					subscriptionId: claimProducts.subscriptionId,
				})
				.from(claimProducts)
				.where(eq(claimProducts.claimId, claim.id))
				.orderBy(asc(claimProducts.position)),
			await tx
				.select({ id: claimDocuments.id })
				.from(claimDocuments)
				.where(eq(claimDocuments.claimId, claim.id))
				.limit(1),
		];
		const directory = await readDirectoryFacts(tx, {
			organizationId: claim.partnerOrganizationId,
			mpnId: claim.mpnId,
			tenantId: claim.tenantId,
			lines,
			duplicates: {
				solutionArea: claim.solutionArea as SolutionArea,
				activity: claim.activity as Activity,
				claimId: claim.id,
			},
		});
		const now = ctx.clock.now();
		const current = directorySnapshot(directory, claim, lines, now);
		const validated = (claim.snapshot as DirectorySnapshot | null) ?? null;
		let problems: DirectoryCheck["problems"] = [];
		try {
			// With the facts given, the checks read nothing more.
			await checkSubmittable(
				tx,
				claim,
				{ lines, docs },
				{ directoryFacts: directory },
			);
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			problems = err.errors.length
				? err.errors
				: [{ path: "", code: err.code, message: err.message }];
		}
		return {
			validatedAt: validated?.validatedAt ?? null,
			validated,
			current,
			checkedAt: now.toISOString(),
			changes: validated ? directoryChanges(validated, current) : [],
			problems,
		};
	});
}
