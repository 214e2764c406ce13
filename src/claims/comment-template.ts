/**
 * The comments CPOR writes itself (decisions, information requests, disputes, activations,
 * arbitration), kept as data beside their English `body`: the web app words them in the
 * reader's language and time zone, while the API's `body` and the emails stay as they
 * were. A person's own words inside one (`text`) are kept as written.
 */
import type { Program } from "../domain/catalog.ts";
import { PROGRAM_LABELS } from "../domain/catalog.ts";
import type { EligibilityResult } from "../domain/eligibility.ts";
import {
	type InformationRequestReason,
	REASON_DESCRIPTIONS,
	type RejectionReason,
} from "../domain/reasons.ts";
import { formatInstant } from "../notifications/i18n.ts";

/** Words CPOR puts where a person's would go when they gave none. Instants are UTC ISO 8601. */
export type GeneratedText =
	/** R-TIME-4: the partner's response deadline passed. */
	| { key: "no_partner_response"; due: string }
	/**
	 * A competing claim lost arbitration (R-CMP-3). The winner is not named: no other
	 * partner's claim is visible to a partner (R-ACC-1). Comments written by
	 * earlier versions carry its ID as `winnerClaimId`.
	 */
	| { key: "arbitration_lost"; winnerClaimId?: string }
	/** R-CON-2: the customer opted out without a comment. */
	| { key: "customer_opted_out" }
	/** Section 4: the partner requested rejection without a comment (its rejection's words). */
	| { key: "rejection_requested" };

/** A person's words, or CPOR's when they gave none. */
export type CommentText = string | GeneratedText;

/**
 * A comment CPOR writes, as stored in `claim_comments.template` and returned as the
 * comment's `template` (API.md comments). Instants are UTC ISO 8601 strings.
 */
export type CommentTemplate =
	/** R-REV-1: approved; the consent window runs until `consentEndsAt` (R-TIME-5). */
	| {
			key: "approved";
			text: string | null;
			consentEndsAt: string;
			/** R-DSP-3: the approval is a dispute's decision. */
			disputeAccepted?: true;
	  }
	/** R-REV-2: more information asked for, to be given by `respondBy` (R-TIME-4). */
	| {
			key: "information_requested";
			reasons: InformationRequestReason[];
			text: string;
			respondBy: string;
			/** R-DSP-3: asked as a dispute's decision. */
			dispute?: true;
	  }
	/** R-REV-2, R-DSP-2: rejected; disputable until `disputeUntil` (R-TIME-7), if at all. */
	| {
			key: "rejected";
			reason: RejectionReason;
			text: CommentText;
			disputeUntil: string | null;
	  }
	/** R-DSP-1: a dispute filed, with the partner's justification and new PoE files. */
	| { key: "dispute_filed"; text: string | null; documents: number }
	/** R-DSP-3: the rejection stands. */
	| { key: "dispute_upheld"; text: string }
	/** R-DSP-1: the partner asked for the claim to be rejected, without a comment. */
	| { key: "rejection_requested" }
	/** R-TIME-6, R-ELG-1: the association became active, with each program's result. */
	| {
			key: "activated";
			eligibility: { program: Program; result: EligibilityResult["result"] }[];
	  }
	/** R-CMP-2: the claim competes with another partner's and goes to arbitration. */
	| { key: "arbitration" };

/** The English of {@link GeneratedText}, or the person's own words. */
export function commentTextBody(text: CommentText, timeZone: string): string {
	if (typeof text === "string") return text;
	switch (text.key) {
		case "no_partner_response":
			return `The partner did not answer the information request by ${formatInstant(text.due, "en", timeZone)}.`;
		case "arbitration_lost":
			return "Arbitration: another partner's claim for the same customer, product and activity was approved.";
		case "customer_opted_out":
			return "The customer opted out of this partner association.";
		case "rejection_requested":
			return "The partner asked for this claim to be rejected.";
	}
}

/**
 * The comment's English body (the API's `body`, the search, the emails' quotes), with
 * instants in the business calendar's `timeZone` (an IANA name).
 */
export function commentBody(t: CommentTemplate, timeZone: string): string {
	const at = (iso: string) => formatInstant(iso, "en", timeZone);
	switch (t.key) {
		case "approved": {
			const said = [t.disputeAccepted ? "Dispute accepted." : "", t.text ?? ""]
				.filter(Boolean)
				.join(" ");
			return `Approved.${said ? `\n\n${said}` : ""}\n\nThe customer is notified and can opt out until ${at(t.consentEndsAt)}.`;
		}
		case "information_requested":
			return `${t.dispute ? "Dispute: information requested" : "Information requested"} (respond by ${at(t.respondBy)}):\n${t.reasons
				.map((r) => `- ${REASON_DESCRIPTIONS[r]}`)
				.join("\n")}\n\n${t.text}`;
		case "rejected":
			return `Rejected: ${REASON_DESCRIPTIONS[t.reason]}\n\n${commentTextBody(t.text, timeZone)}${
				t.disputeUntil
					? `\n\nYou can dispute this decision from the claim page until ${at(t.disputeUntil)}, with a business justification and/or updated PoE.`
					: ""
			}`;
		case "dispute_filed":
			return `Dispute filed.${t.text ? `\n\n${t.text}` : ""}${
				t.documents
					? `\n\nUpdated PoE: ${t.documents === 1 ? "1 document" : `${t.documents} documents`}.`
					: ""
			}`;
		case "dispute_upheld":
			return `Dispute decided: the rejection is upheld.\n\n${t.text}`;
		case "rejection_requested":
			return "The partner asked for this claim to be rejected.";
		case "activated":
			return `The consent window ended without an opt-out: the association is active. Eligibility: ${t.eligibility
				.map(
					(e) =>
						`${PROGRAM_LABELS[e.program]}: ${e.result === "eligible" ? "eligible" : "not eligible"}`,
				)
				.join(", ")}.`;
		case "arbitration":
			return "Another partner has claimed the same customer, product and activity. The claims go to arbitration: a reviewer compares the proof of execution of each and approves at most one.";
	}
}
