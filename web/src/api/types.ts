/** Shapes of the API's resources (docs/api.md), as the web app uses them. */

export type ClaimStatus =
	| "draft"
	| "submitted"
	| "under_review"
	| "partner_action_required"
	| "approved"
	| "rejected";
export type SolutionArea = "business_applications" | "microsoft_365";
export type Activity = "presales" | "usage" | "revenue_association";
export type Role =
	| "global_admin"
	| "billing_admin"
	| "incentives_admin"
	| "incentives_user"
	| "customer_admin"
	| "reviewer"
	| "platform_admin";

export interface Me {
	user: { id: string; name: string; email: string; locale: string };
	roles: Role[];
	kind: "partner" | "reviewer" | "customer" | "platform_admin" | "system";
	organization: { id: string; name: string } | null;
	tenant: { tenantId: string; name: string } | null;
	csrfToken: string | null;
	/** The server's time when it answered (the sandbox clock in sandbox mode), UTC ISO. */
	now?: string;
	/** The SLA lengths as configured (SPEC section 5), in days. */
	deadlinePolicy?: DeadlinePolicy;
}

/** The configured deadline lengths (GET /me `deadlinePolicy`), in days. */
export interface DeadlinePolicy {
	reviewStartDays: number;
	decisionDays: number;
	partnerResponseDays: number;
	consentWindow: { days: number; unit: "calendar" | "business" };
	disputeWindowDays: number;
	disputeDecisionDays: number;
}

export interface Contact {
	name: string;
	title?: string;
	email: string;
}

export interface ClaimDocument {
	id: string;
	name: string;
	contentType: string;
	size: number;
	sha256: string;
	uploadedAt: string;
	purpose: string;
}

/** Why a program is not eligible, as data (src/domain/eligibility.ts). */
export type EligibilityReason =
	| { code: "revenue_association" }
	| { code: "activity_not_fed"; activity: Activity; solutionArea: SolutionArea }
	| { code: "mpn_not_enrolled" }
	| { code: "subscription_missing" }
	| { code: "subscription_csp"; subscriptionId: string }
	| { code: "subscription_inactive"; subscriptionId: string; status: string };

export interface Eligibility {
	program: "osa_sell" | "osu_m365" | "osu_bizapps";
	result: "eligible" | "not_eligible";
	/** In English. */
	reasons: string[];
	/** The same reasons as data; absent on results evaluated before it was kept. */
	reasonDetails?: EligibilityReason[];
	evaluatedAt: string;
}

export interface Claim {
	id: string;
	name: string;
	status: ClaimStatus;
	version: number;
	partnerOrganizationId: string;
	mpnId: string;
	customer: { tenantId: string; domain: string };
	solutionArea: SolutionArea;
	activity: Activity;
	products: {
		productId: string;
		name: string;
		subscriptionId: string | null;
	}[];
	contacts: {
		customer: Contact | null;
		customerTechnical: Contact | null;
		partner: Contact | null;
	};
	revenueAssociation: {
		solutionSellerName: string;
		customerName: string;
		isvSolutionName: string;
	} | null;
	documents: ClaimDocument[];
	competing: boolean;
	deadlines: {
		reviewStartDue: string | null;
		decisionDue: string | null;
		partnerResponseDue: string | null;
		consentEndsAt: string | null;
		disputeUntil: string | null;
		disputeDecisionDue: string | null;
	};
	dueAt: string | null;
	informationRequest: {
		reasons: string[];
		comment: string;
		requestedAt: string;
		requestedBy: string;
		respondBy: string;
		/** When the partner resubmitted with an answer (UTC). */
		answeredAt?: string;
	} | null;
	rejection: {
		reason: string;
		/** The person's words; CPOR's English when they gave none (see `generated`). */
		comment: string;
		/** When `comment` is CPOR's words, the same as data, to word in the UI's language. */
		generated?: Exclude<CommentText, string>;
		rejectedAt: string;
		rejectedBy: string;
		disputeUntil: string | null;
	} | null;
	dispute: {
		status: "open" | "decided";
		justification: string;
		filedAt: string;
		decision: string | null;
		decidedAt: string | null;
		decisionComment: string | null;
	} | null;
	association: {
		status: "pending_consent" | "active" | "declined";
		approvedAt: string;
		consentEndsAt: string;
		activatedAt: string | null;
		declinedAt: string | null;
	} | null;
	eligibility: Eligibility[];
	createdAt: string;
	updatedAt: string;
	submittedAt: string | null;
}

export interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

/** Words CPOR put where a person's would go (server: comment-template.ts). */
export type CommentText =
	| string
	| { key: "no_partner_response"; due: string }
	/**
	 * A competing claim lost arbitration (R-CMP-3). The winner is not named: no other
	 * partner's claim is visible to a partner (R-ACC-1). Comments written by
	 * earlier versions carry its ID as `winnerClaimId`.
	 */
	| { key: "arbitration_lost"; winnerClaimId?: string }
	| { key: "customer_opted_out" }
	| { key: "rejection_requested" };

/** A comment CPOR wrote, as data (server: comment-template.ts); instants in UTC ISO. */
export type CommentTemplate =
	| {
			key: "approved";
			text: string | null;
			consentEndsAt: string;
			disputeAccepted?: true;
	  }
	| {
			key: "information_requested";
			reasons: string[];
			text: string;
			respondBy: string;
			dispute?: true;
	  }
	| {
			key: "rejected";
			reason: string;
			text: CommentText;
			disputeUntil: string | null;
	  }
	| { key: "dispute_filed"; text: string | null; documents: number }
	| { key: "dispute_upheld"; text: string }
	| { key: "rejection_requested" }
	| {
			key: "activated";
			eligibility: { program: string; result: string }[];
	  }
	| { key: "arbitration" };

export interface Comment {
	id: string;
	authorName: string;
	authorRole: string;
	kind: string;
	/** The text as written; for CPOR's own comments, English (see `template`). */
	body: string;
	/** CPOR's own comment as data, worded in the reader's language; null for a person's. */
	template?: CommentTemplate | null;
	createdAt: string;
}

export interface HistoryEntry {
	id: string;
	at: string;
	actorName: string;
	actorRole: string;
	action: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}

export interface QueueItem {
	claim: Claim;
	sla: "review_start" | "decision" | "dispute_decision";
	dueAt: string | null;
	overdue: boolean;
}

export interface Product {
	productId: string;
	name: string;
	solutionArea: SolutionArea;
	dynamics: boolean;
}

export interface MpnId {
	mpnId: string;
	programs: string[];
	enrolled: boolean;
	/** R-ROL-1: whether the organization uses it for claims. */
	inUse: boolean;
}

/** A claim's product line as validated against the directory (R-DIR-6). */
export interface SnapshotLine {
	productId: string;
	product: { name: string; solutionArea: string } | null;
	subscriptionId: string | null;
	subscription: {
		productId: string;
		channel: string;
		status: string;
		provisioned: boolean;
	} | null;
}

/** What a claim was validated against (R-DIR-6); older claims kept only the first three. */
export interface DirectorySnapshot {
	validatedAt: string;
	tenantName: string | null;
	mpnPrograms: string[] | null;
	domainVerified?: boolean;
	mpnInUse?: boolean | null;
	lines?: SnapshotLine[];
}

/** GET /claims/{id}/directory-check (docs/api.md). */
export interface DirectoryCheck {
	validatedAt: string | null;
	validated: DirectorySnapshot | null;
	current: DirectorySnapshot;
	checkedAt: string;
	changes: {
		code: string;
		subject?: string;
		field?: string;
		was: unknown;
		now: unknown;
	}[];
	problems: { path: string; code: string; message: string }[];
}

/** GET /admin/directory/tenants (docs/api.md). */
export interface DirectoryTenant {
	tenantId: string;
	name: string;
	domains: string[];
	subscriptions: {
		subscriptionId: string;
		productId: string;
		productName: string | null;
		channel: string;
		status: string;
		provisioned: boolean;
	}[];
}
/** GET /admin/directory/users (docs/api.md). */
export interface DirectoryUser {
	id: string;
	email: string;
	name: string;
	roles: string[];
	organizationId: string | null;
	organizationName: string | null;
	tenantId: string | null;
	tenantName: string | null;
	locale: string;
}
/** GET /admin/directory/partners (docs/api.md). */
export interface DirectoryPartner {
	organizationId: string;
	name: string;
	mpnIds: {
		mpnId: string;
		programs: string[];
		partnerTypes: string[];
		inUse: boolean;
	}[];
}
