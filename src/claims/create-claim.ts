import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { claims } from "../db/schema.ts";
import { shapedInsert } from "../db/shaped-statement.ts";
import { throwIfProblems } from "../domain/claim-validation.ts";
import {
	type CreateClaimInput,
	checkCustomerFacts,
	checkMpnFacts,
	createClaimSchema,
	normalizeContacts,
} from "./claim-input.ts";
import {
	linesInsert,
	resolveLines,
	throwLineConflict,
} from "./claim-products.ts";
import {
	type ClaimRow,
	type ClaimView,
	claimPartsJson,
	claimResourceJson,
	toClaimView,
} from "./claim-view.ts";
import { readDirectoryFacts } from "./directory-facts.ts";
import { directorySnapshot } from "./directory-snapshot.ts";
import { historySnapshot, recordHistoryAndEvents } from "./history.ts";

/** Options of {@link createClaim}. */
export interface CreateClaimOptions {
	actor: Actor;
	input: CreateClaimInput;
}

/**
 * Creates a draft claim (R-CRT-1) for the actor's organization. Checks at add time:
 * MPN of the own organization (R-CRT-2), the activity pair (R-CRT-4), domain and tenant
 * (R-CRT-3), each product line (R-CRT-5) and duplicates (R-CMP-1, under concurrency by
 * the unique index). Contacts may still be missing (checked at submit, R-CRT-6).
 * @throws DomainError with the first failing check's code; nothing is written.
 */
export async function createClaim(
	ctx: AppContext,
	opts: CreateClaimOptions,
): Promise<ClaimView> {
	const input = createClaimSchema.parse(opts.input);
	const organizationId = opts.actor.organizationId as string;
	// No explicit transaction: one read, then one statement writes the claim, its lines
	// and its history row (atomic by itself). Under READ COMMITTED a transaction around
	// the two would add no guarantee (the read takes no locks; R-CMP-1 duplicates racing
	// in between are caught by the unique index) and cost two round trips (BEGIN, COMMIT).
	const db = ctx.db;
	const now = ctx.clock.now();
	// The MPN, tenant, catalog and subscriptions in one statement.
	const directory = await readDirectoryFacts(db, {
		organizationId,
		mpnId: input.mpnId,
		tenantId: input.customer.tenantId,
		lines: input.products,
		duplicates: {
			solutionArea: input.solutionArea,
			activity: input.activity,
		},
	});
	const mpn = checkMpnFacts(
		input.mpnId,
		directory.programs,
		directory.mpnInUse,
	);
	const customer = checkCustomerFacts(
		{
			domain: input.customer.domain,
			solutionArea: input.solutionArea,
			activity: input.activity,
		},
		directory.tenant,
	);
	throwIfProblems([...mpn.problems, ...customer.problems]);
	const { lines, problems } = await resolveLines(
		db,
		{
			lines: input.products,
			solutionArea: input.solutionArea,
			activity: input.activity,
			tenantId: input.customer.tenantId,
			organizationId,
		},
		directory,
	);
	throwIfProblems(problems);
	const id = randomUUID();
	const row = {
		id,
		name: input.name,
		status: "draft",
		version: 1,
		partnerOrganizationId: organizationId,
		mpnId: input.mpnId,
		tenantId: input.customer.tenantId.toLowerCase(),
		domain: input.customer.domain,
		solutionArea: input.solutionArea,
		activity: input.activity,
		contacts: normalizeContacts(input.contacts),
		revenueAssociation:
			input.activity === "revenue_association"
				? (input.revenueAssociation ?? null)
				: null,
		snapshot: directorySnapshot(
			directory,
			{ domain: input.customer.domain },
			lines,
			now,
		),
		createdBy: opts.actor.userId ?? "system",
		createdAt: now,
		updatedAt: now,
	};
	// The row as the database stores it (every column, the schema's defaults written
	// out), so the claim, its lines and its history row go in one statement below.
	const inserted: ClaimRow = {
		...row,
		competing: false,
		reviewStartDue: null,
		decisionDue: null,
		partnerResponseDue: null,
		consentEndsAt: null,
		disputeUntil: null,
		disputeDecisionDue: null,
		dueAt: null,
		informationRequest: null,
		rejection: null,
		dispute: null,
		association: null,
		eligibility: [],
		reviewerId: null,
		submittedAt: null,
		reviewStartedAt: null,
		decidedAt: null,
		// Written below from the view (claimPartsJson, claimResourceJson).
		partsVersion: null,
		resourceVersion: null,
	};
	// The view from what is written (no reload): lines in order, no documents yet.
	const view = toClaimView(
		inserted,
		lines.map((l, position) => ({
			claimId: id,
			position,
			productId: l.productId,
			name: l.name,
			subscriptionId: l.subscriptionId,
			partnerOrganizationId: organizationId,
			tenantId: row.tenantId,
			activity: row.activity,
			claimKey: l.claimKey,
			competeKey: l.competeKey,
			live: true,
			holdsAssociation: false,
		})),
		[],
	);
	const linesWrite = linesInsert(row, lines);
	try {
		await recordHistoryAndEvents(
			db,
			{
				claimId: id,
				actor: opts.actor,
				at: now,
				action: "create",
				before: null,
				after: historySnapshot(view),
			},
			[],
			view,
			[
				shapedInsert(claims, [
					{
						...inserted,
						...claimPartsJson(view),
						...claimResourceJson(view),
					},
				]),
				...(linesWrite ? [linesWrite] : []),
			],
		);
	} catch (err) {
		throwLineConflict(err, row);
	}
	return view;
}
