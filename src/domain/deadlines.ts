/**
 * SPEC section 5: the deadlines each transition sets, and the one that matters now
 * (`dueAt`: the review queue's order and the partner's "respond by"). Pure.
 */
import type { DeadlinePolicy } from "../config.ts";
import { addDeadline, type BusinessCalendar } from "./calendar.ts";
import type { ClaimStatus } from "./claim-lifecycle.ts";

/** Every deadline of a claim (UTC instants, or null when not running). API.md `deadlines`. */
export interface Deadlines {
	reviewStartDue: Date | null;
	decisionDue: Date | null;
	partnerResponseDue: Date | null;
	consentEndsAt: Date | null;
	disputeUntil: Date | null;
	disputeDecisionDue: Date | null;
}

/** Computes deadlines from a start instant with the configured calendar and policy. */
export class DeadlineCalculator {
	constructor(
		private readonly calendar: BusinessCalendar,
		private readonly policy: DeadlinePolicy,
	) {}

	/** R-TIME-2: review should start within N business days of submission. */
	reviewStartDue(submittedAt: Date): Date {
		return addDeadline(this.calendar, submittedAt, {
			days: this.policy.reviewStartDays,
			unit: "business",
		});
	}
	/** R-TIME-3: decision due N business days after the review's start. */
	decisionDue(reviewStartedAt: Date): Date {
		return addDeadline(this.calendar, reviewStartedAt, {
			days: this.policy.decisionDays,
			unit: "business",
		});
	}
	/** R-TIME-4: the partner answers within N business days of the information request. */
	partnerResponseDue(requestedAt: Date): Date {
		return addDeadline(this.calendar, requestedAt, {
			days: this.policy.partnerResponseDays,
			unit: "business",
		});
	}
	/** R-TIME-5: the customer's opt-out window (calendar or business days, configured). */
	consentEndsAt(approvedAt: Date): Date {
		return addDeadline(this.calendar, approvedAt, this.policy.consentWindow);
	}
	/** R-TIME-7: a dispute can be filed within N calendar days of the rejection. */
	disputeUntil(rejectedAt: Date): Date {
		return addDeadline(this.calendar, rejectedAt, {
			days: this.policy.disputeWindowDays,
			unit: "calendar",
		});
	}
	/** R-TIME-8: reviewers answer a dispute within N business days. */
	disputeDecisionDue(disputedAt: Date): Date {
		return addDeadline(this.calendar, disputedAt, {
			days: this.policy.disputeDecisionDays,
			unit: "business",
		});
	}
}

/**
 * R-TIME-9: the deadline of the party that must act now, per status. Rejected claims
 * with an open dispute are due to the reviewer; approved claims with a pending
 * association count down the consent window.
 */
export function currentDueAt(
	status: ClaimStatus,
	d: Deadlines,
	flags: { disputeOpen: boolean; associationPending: boolean },
): Date | null {
	switch (status) {
		case "submitted":
			return d.reviewStartDue;
		case "under_review":
			return d.decisionDue;
		case "partner_action_required":
			return d.partnerResponseDue;
		case "approved":
			return flags.associationPending ? d.consentEndsAt : null;
		case "rejected":
			return flags.disputeOpen ? d.disputeDecisionDue : null;
		default:
			return null;
	}
}

/** The SLAs reviewers own (SPEC section 5): review start (R-TIME-2), decision (R-TIME-3), dispute answer (R-TIME-8). */
export const REVIEWER_SLAS = [
	"review_start",
	"decision",
	"dispute_decision",
] as const;
/** A reviewer's SLA (one of {@link REVIEWER_SLAS}). */
export type ReviewerSla = (typeof REVIEWER_SLAS)[number];

/**
 * The reviewer SLA each open state of the review queue runs under: submitted claims
 * wait for a review to start, claims under review for a decision, rejected claims (with
 * an open dispute) for the dispute's answer. Other statuses have none.
 */
export const REVIEWER_SLA_OF_STATUS: Readonly<
	Partial<Record<ClaimStatus, ReviewerSla>>
> = {
	submitted: "review_start",
	under_review: "decision",
	rejected: "dispute_decision",
};
