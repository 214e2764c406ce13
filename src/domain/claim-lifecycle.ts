/**
 * The claim state machine of SPEC.md section 4: which action each actor may take in each
 * status. Pure: no I/O. Use cases call {@link assertTransition} under a row lock.
 */
import { DomainError } from "./errors.ts";

/** Claim statuses (API values), SPEC section 4. */
export const CLAIM_STATUSES = [
	"draft",
	"submitted",
	"under_review",
	"partner_action_required",
	"approved",
	"rejected",
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Display names per locale, SPEC section 4's table. */
export const STATUS_LABELS: Record<
	ClaimStatus,
	Record<"en" | "nl" | "sv" | "de", string>
> = {
	draft: {
		en: "In progress",
		nl: "In bewerking",
		sv: "Redigering",
		de: "Bearbeitung läuft",
	},
	submitted: {
		en: "Submitted",
		nl: "Ingediend",
		sv: "Skickad",
		de: "Eingereicht",
	},
	under_review: {
		en: "Under review",
		nl: "Wordt beoordeeld",
		sv: "Under granskning",
		de: "Wird überprüft",
	},
	partner_action_required: {
		en: "Partner action required",
		nl: "Partneractie vereist",
		sv: "Partneråtgärd krävs",
		de: "Partneraktion erforderlich",
	},
	approved: {
		en: "Approved",
		nl: "Goedgekeurd",
		sv: "Godkänd",
		de: "Genehmigt",
	},
	rejected: {
		en: "Rejected",
		nl: "Afgewezen",
		sv: "Avslagen",
		de: "Abgelehnt",
	},
};

/** Who acts: the party kinds of SPEC section 1 plus the system (timers). */
export type ActorKind =
	| "partner"
	| "reviewer"
	| "customer"
	| "system"
	| "platform_admin";

/** Every action of the transition table (SPEC section 4), plus editing and uploads. */
export type ClaimAction =
	| "submit"
	| "delete"
	| "edit"
	| "upload_document"
	| "remove_document"
	| "start_review"
	| "request_information"
	| "resubmit"
	| "expire_partner_response"
	| "approve"
	| "reject"
	| "opt_out"
	| "activate_association"
	| "withdraw"
	| "dispute"
	| "dispute_decision";

/** The facts about a claim that decide whether an action is allowed. */
export interface TransitionFacts {
	status: ClaimStatus;
	/** A dispute is open on this rejection (SPEC section 10). */
	disputeOpen: boolean;
	/** The approved claim's consent window has not ended (R-TIME-5). */
	consentWindowOpen: boolean;
	/** The association is pending consent (not yet active or declined). */
	associationPending: boolean;
	/**
	 * The rejection can still be disputed: its reason allows a dispute (not
	 * `partner_request`, R-DSP-1) and its window (R-TIME-7) has not closed.
	 */
	disputeWindowOpen: boolean;
	/** The partner's response deadline (R-TIME-4) has not passed, or there is none. */
	partnerResponseOpen: boolean;
}

interface Rule {
	actor: ActorKind;
	from: (f: TransitionFacts) => boolean;
}

const is =
	(...s: ClaimStatus[]) =>
	(f: TransitionFacts) =>
		s.includes(f.status);

/** SPEC section 4's table as data: action → actor and allowed source states. */
export const TRANSITIONS: Record<ClaimAction, Rule> = {
	submit: { actor: "partner", from: is("draft") },
	delete: { actor: "partner", from: is("draft") },
	edit: {
		actor: "partner",
		from: is("draft", "submitted", "partner_action_required"),
	},
	upload_document: {
		actor: "partner",
		from: (f) =>
			["draft", "submitted", "partner_action_required"].includes(f.status) ||
			// Updated PoE for a dispute (R-DSP-1): only while one can still be filed.
			(f.status === "rejected" && !f.disputeOpen && f.disputeWindowOpen),
	},
	remove_document: { actor: "partner", from: is("draft") },
	start_review: { actor: "reviewer", from: is("submitted") },
	request_information: { actor: "reviewer", from: is("under_review") },
	// R-TIME-4: once the response deadline passed, only its expiry (the system) acts.
	resubmit: {
		actor: "partner",
		from: (f) =>
			f.status === "partner_action_required" && f.partnerResponseOpen,
	},
	expire_partner_response: {
		actor: "system",
		from: is("partner_action_required"),
	},
	approve: { actor: "reviewer", from: is("under_review") },
	reject: { actor: "reviewer", from: is("under_review") },
	opt_out: {
		actor: "customer",
		from: (f) =>
			f.status === "approved" && f.consentWindowOpen && f.associationPending,
	},
	activate_association: {
		actor: "system",
		from: (f) =>
			f.status === "approved" && !f.consentWindowOpen && f.associationPending,
	},
	withdraw: {
		actor: "partner",
		from: is(
			"submitted",
			"under_review",
			"partner_action_required",
			"approved",
		),
	},
	dispute: {
		actor: "partner",
		from: (f) => f.status === "rejected" && !f.disputeOpen,
	},
	dispute_decision: {
		actor: "reviewer",
		from: (f) => f.status === "rejected" && f.disputeOpen,
	},
};

/** True when `actor` may take `action` on a claim with these facts (SPEC section 4). */
export function canTransition(
	action: ClaimAction,
	actor: ActorKind,
	facts: TransitionFacts,
): boolean {
	const rule = TRANSITIONS[action];
	return rule.actor === actor && rule.from(facts);
}

/**
 * Throws `invalid_transition` (409) unless the action is allowed from this state.
 * The actor's kind is checked by the routes (wrong role → 403/404); here a wrong actor
 * kind is also refused, so a use case can never be driven by the wrong party.
 * Editing, or adding PoE, outside its states throws `claim_not_editable` (R-EDIT-1).
 */
export function assertTransition(
	action: ClaimAction,
	actor: ActorKind,
	facts: TransitionFacts,
): void {
	if (canTransition(action, actor, facts)) return;
	if (action === "edit") {
		throw new DomainError(
			"claim_not_editable",
			`A claim can be edited only while In progress, Submitted or Partner action required; this one is ${facts.status}.`,
		);
	}
	// Adding PoE is an edit (R-EDIT-1), and updated PoE for a dispute (R-DSP-1).
	if (action === "upload_document" && actor === "partner") {
		throw new DomainError(
			"claim_not_editable",
			facts.status === "rejected"
				? facts.disputeOpen
					? "This claim's dispute is open: the reviewer decides on the PoE it has. Add more if the reviewer asks for it."
					: "This rejection can no longer be disputed (its dispute window has closed, or the claim was withdrawn), so it takes no more PoE: create a new claim with the updated PoE."
				: `PoE can be added only while a claim is In progress, Submitted or Partner action required, or to dispute its rejection; this one is ${facts.status}.`,
		);
	}
	if (
		action === "resubmit" &&
		facts.status === "partner_action_required" &&
		!facts.partnerResponseOpen
	)
		throw new DomainError(
			"invalid_transition",
			"The response deadline has passed, so the claim can no longer be resubmitted: it is rejected with no partner response (R-TIME-4). Create a new claim with the updated PoE.",
			[],
			{ claimStatus: facts.status, action },
		);
	if (
		action === "opt_out" &&
		facts.status === "approved" &&
		!facts.consentWindowOpen
	)
		throw new DomainError(
			"invalid_transition",
			"The opt-out window has ended (R-TIME-5), so this association is active and can no longer be opted out of. If the partner should not have it, ask the partner to withdraw the claim.",
			[],
			{ claimStatus: facts.status, action },
		);
	throw new DomainError(
		"invalid_transition",
		`The action "${action}" is not allowed for a claim in status "${facts.status}"${
			facts.status === "rejected" && facts.disputeOpen
				? " with an open dispute"
				: ""
		}.`,
		[],
		{ claimStatus: facts.status, action },
	);
}

/** The actions the given actor could take now; the UI shows only these. */
export function allowedActions(
	actor: ActorKind,
	facts: TransitionFacts,
): ClaimAction[] {
	return (Object.keys(TRANSITIONS) as ClaimAction[]).filter((a) =>
		canTransition(a, actor, facts),
	);
}
