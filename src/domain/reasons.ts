/** Reason codes of SPEC R-REV-1 and R-REV-2. */

/** R-REV-1: reasons a reviewer gives when requesting information. */
export const INFORMATION_REQUEST_REASONS = [
	"missing_all_poe",
	"missing_customer_acknowledgement",
	"missing_or_old_dates",
	"missing_partner_solution",
	"missing_products",
] as const;
export type InformationRequestReason =
	(typeof INFORMATION_REQUEST_REASONS)[number];

/** R-REV-2: every rejection reason. */
export const REJECTION_REASONS = [
	"partner_request",
	"customer_declined",
	"insufficient_poe",
	"missing_customer_consent_on_poe",
	"missing_products",
	"no_partner_response",
	"poe_not_available",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** R-REV-2: the reasons a reviewer may name (not those only partners or customers cause). */
export const REVIEWER_REJECTION_REASONS = [
	"insufficient_poe",
	"missing_customer_consent_on_poe",
	"missing_products",
	"no_partner_response",
	"poe_not_available",
] as const satisfies readonly RejectionReason[];
export type ReviewerRejectionReason =
	(typeof REVIEWER_REJECTION_REASONS)[number];

/** English descriptions (used in comments, notices and the API reference). */
export const REASON_DESCRIPTIONS: Record<
	InformationRequestReason | RejectionReason,
	string
> = {
	missing_all_poe:
		"The wrong file was uploaded, or the PoE is not about this claim.",
	missing_customer_acknowledgement:
		"The customer's signature is not on the PoE.",
	missing_or_old_dates:
		"Dates are missing from the PoE, or old relative to the claim.",
	missing_partner_solution:
		"The description of the work done is missing or insufficient.",
	missing_products: "The PoE does not mention a claimed product or workload.",
	partner_request: "The partner asked for the claim to be rejected.",
	customer_declined: "The customer opted out of the association.",
	insufficient_poe: "The proof of execution is insufficient.",
	missing_customer_consent_on_poe:
		"The customer's consent is missing from the PoE.",
	no_partner_response:
		"The partner did not answer the information request in time.",
	poe_not_available: "The proof of execution is not available.",
};
