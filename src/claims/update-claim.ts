import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import {
	type Activity,
	checkComplete,
	type SolutionArea,
	throwIfProblems,
} from "../domain/claim-validation.ts";
import { DomainError } from "../domain/errors.ts";
import { performClaimAction } from "./claim-action.ts";
import {
	checkCustomer,
	checkMpn,
	mergeContacts,
	type StoredContact,
	type UpdateClaimInput,
	updateClaimSchema,
} from "./claim-input.ts";
import { resolveLines, writeLines } from "./claim-products.ts";
import type { ClaimRow, ClaimView } from "./claim-view.ts";
import { markCompeting } from "./competing.ts";
import { readDirectoryFacts } from "./directory-facts.ts";
import {
	type DirectorySnapshot,
	directorySnapshot,
} from "./directory-snapshot.ts";
import { assertEnrolled } from "./submit-claim.ts";

/** Options of {@link updateClaim}. */
export interface UpdateClaimOptions {
	actor: Actor;
	claimId: string;
	input: UpdateClaimInput;
	/** The version the partner read (If-Match), R-EDIT-2. */
	expectedVersion: number | undefined;
}

/** R-EDIT-1: the fields editable after submission. */
const EDITABLE_AFTER_SUBMIT = new Set(["mpnId", "products", "contacts"]);

/**
 * Edits a claim (R-EDIT-1): a draft freely; a submitted or partner-action-required claim
 * only its MPN ID, products and contacts. Re-runs the add-time checks on what changed and
 * re-evaluates competition after submission.
 * @throws DomainError `claim_not_editable`, `version_conflict`, or a validation code.
 */
export async function updateClaim(
	ctx: AppContext,
	opts: UpdateClaimOptions,
): Promise<ClaimView> {
	const input = updateClaimSchema.parse(opts.input);
	// Nothing to change is not an edit: no new version, no history entry of nothing.
	if (
		Object.values(input as Record<string, unknown>).every(
			(v) => v === undefined,
		)
	)
		throw new DomainError(
			"validation_failed",
			"The request changes nothing: send the fields to change (name, mpnId, customer, solutionArea, activity, products, contacts, revenueAssociation).",
			[
				{
					path: "body",
					code: "empty_update",
					message: "Send at least one field to change.",
				},
			],
		);
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "edit",
		expectedVersion: opts.expectedVersion,
		writesParts: true,
		// Values the claim has already: no new version, no history entry of nothing.
		unchangedIsNoop: true,
		apply: async ({ tx, claim, actor, now }) => {
			const given = Object.keys(input).filter(
				(k) => (input as Record<string, unknown>)[k] !== undefined,
			);
			if (claim.status !== "draft") {
				const locked = given.filter((k) => !EDITABLE_AFTER_SUBMIT.has(k));
				if (locked.length) {
					throw new DomainError(
						"claim_not_editable",
						`After submission only the MPN ID, products and contacts can be edited; ${locked.join(", ")} cannot.`,
						locked.map((k) => ({
							path: k,
							code: "claim_not_editable",
							message: `${k} cannot be edited after submission.`,
						})),
					);
				}
			}
			const next = {
				mpnId: input.mpnId ?? claim.mpnId,
				tenantId: (input.customer?.tenantId ?? claim.tenantId).toLowerCase(),
				domain: input.customer?.domain ?? claim.domain,
				solutionArea: (input.solutionArea ??
					claim.solutionArea) as SolutionArea,
				activity: (input.activity ?? claim.activity) as Activity,
			};
			const changes: Partial<ClaimRow> = {};
			if (input.name !== undefined) changes.name = input.name;
			if (input.mpnId !== undefined) {
				const mpn = await checkMpn(tx, claim.partnerOrganizationId, next.mpnId);
				throwIfProblems(mpn.problems);
				// R-CRT-2 held at submit holds after it too (a draft may be anything yet).
				if (claim.status !== "draft")
					assertEnrolled(
						next.mpnId,
						mpn.programs,
						next.solutionArea,
						next.activity,
					);
				changes.mpnId = next.mpnId;
			}
			const customerChanged =
				input.customer !== undefined ||
				input.solutionArea !== undefined ||
				input.activity !== undefined;
			if (customerChanged) {
				const c = await checkCustomer(tx, next);
				throwIfProblems(c.problems);
				Object.assign(changes, {
					tenantId: next.tenantId,
					domain: next.domain,
					solutionArea: next.solutionArea,
					activity: next.activity,
				});
			}
			if (input.contacts !== undefined)
				changes.contacts = mergeContacts(
					claim.contacts as Record<string, StoredContact | null> | null,
					input.contacts,
				);
			if (claim.status !== "draft") {
				// R-CRT-6: what submit required stays given; only the fields edited are held
				// to it (a claim's other fields were checked when it was submitted).
				throwIfProblems(
					checkComplete({
						solutionArea: next.solutionArea,
						activity: next.activity,
						products: input.products ?? [],
						contacts: (changes.contacts ?? claim.contacts) as never,
						revenueAssociation: claim.revenueAssociation as never,
					}).filter((p) =>
						given.some((k) => p.path === k || p.path.startsWith(`${k}.`)),
					),
					"claim_incomplete",
					"A submitted claim must stay complete; fill in the fields listed in errors[] or leave them as they were.",
				);
			}
			if (
				input.revenueAssociation !== undefined ||
				input.activity !== undefined
			) {
				changes.revenueAssociation =
					next.activity === "revenue_association"
						? (input.revenueAssociation ?? claim.revenueAssociation ?? null)
						: null;
			}
			// The lines as checked now, when they were (for the snapshot below).
			let checkedLines:
				| { productId: string; subscriptionId?: string | null }[]
				| undefined;
			if (input.products !== undefined || customerChanged) {
				const lines =
					input.products ??
					(
						await tx.query.claimProducts.findMany({
							where: (p, { eq }) => eq(p.claimId, claim.id),
						})
					).map((p) => ({
						productId: p.productId,
						subscriptionId: p.subscriptionId ?? undefined,
					}));
				const resolved = await resolveLines(tx, {
					lines,
					solutionArea: next.solutionArea,
					activity: next.activity,
					tenantId: next.tenantId,
					organizationId: claim.partnerOrganizationId,
					claimId: claim.id,
				});
				throwIfProblems(resolved.problems);
				checkedLines = resolved.lines;
				await writeLines(
					tx,
					{ ...claim, ...next, id: claim.id },
					resolved.lines,
				);
				if (claim.status !== "draft")
					changes.competing =
						claim.competing || (await markCompeting(tx, claim.id, actor, now));
			}
			if (checkedLines || input.mpnId !== undefined) {
				// R-DIR-6: the snapshot takes what this edit checked again (one statement). A
				// draft's is its whole snapshot (submit validates it all again); after
				// submission only the parts edited are re-validated, so only they change,
				// and the rest keeps what submit validated.
				const lines =
					checkedLines ??
					(await tx.query.claimProducts.findMany({
						columns: { productId: true, subscriptionId: true },
						where: (p, { eq }) => eq(p.claimId, claim.id),
						orderBy: (p, { asc }) => asc(p.position),
					}));
				const directory = await readDirectoryFacts(tx, {
					organizationId: claim.partnerOrganizationId,
					mpnId: next.mpnId,
					tenantId: next.tenantId,
					lines,
					duplicates: {
						solutionArea: next.solutionArea,
						activity: next.activity,
						claimId: claim.id,
					},
				});
				const fresh = directorySnapshot(directory, next, lines, now);
				const old = claim.snapshot as DirectorySnapshot | null;
				changes.snapshot =
					claim.status === "draft" || !old
						? fresh
						: {
								...old,
								...(input.mpnId !== undefined
									? {
											mpnPrograms: fresh.mpnPrograms,
											mpnInUse: fresh.mpnInUse,
										}
									: {}),
								...(checkedLines ? { lines: fresh.lines } : {}),
							};
			}
			return changes;
		},
	});
}
