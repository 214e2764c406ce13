/**
 * What a partner may do with a claim and which deadline needs the partner, from the claim's
 * status (SPEC section 4), the user's roles (R-ROL-1) and the time. The API decides in the
 * end; these only keep the UI from offering actions it would refuse.
 */
import { serverNow } from "../../../api/session.ts";
import type { Claim, Me, Role } from "../../../api/types.ts";

const WRITERS: Role[] = ["global_admin", "incentives_admin", "incentives_user"];
const ADMINS: Role[] = ["global_admin", "incentives_admin"];

/** R-ROL-1: create, edit, submit, dispute, upload and comment (not billing admin). */
export function canWrite(me: Me | null | undefined): boolean {
	return (
		!!me && me.kind === "partner" && me.roles.some((r) => WRITERS.includes(r))
	);
}

/** R-ROL-1: only global and incentives admins request rejection. */
export function canWithdraw(me: Me | null | undefined): boolean {
	return (
		!!me && me.kind === "partner" && me.roles.some((r) => ADMINS.includes(r))
	);
}

/** True when a dispute is open on the claim's rejection. */
export function disputeOpen(claim: Claim): boolean {
	return claim.dispute?.status === "open";
}

/**
 * R-DSP-1, R-TIME-7: a rejected claim can be disputed before `deadlines.disputeUntil`,
 * unless it was rejected at the partner's own request or a dispute is already open.
 */
export function canDispute(claim: Claim, now = serverNow()): boolean {
	const until = claim.deadlines.disputeUntil ?? claim.rejection?.disputeUntil;
	return (
		claim.status === "rejected" &&
		!!claim.rejection &&
		claim.rejection.reason !== "partner_request" &&
		!disputeOpen(claim) &&
		!!until &&
		Date.parse(until) > now
	);
}

/** R-TIME-4: a claim waiting for the partner can be resubmitted until its response deadline. */
export function canResubmit(claim: Claim, now = serverNow()): boolean {
	const due =
		claim.deadlines.partnerResponseDue ?? claim.informationRequest?.respondBy;
	return (
		claim.status === "partner_action_required" &&
		(!due || Date.parse(due) > now)
	);
}

/** R-EDIT-1: editable while In progress (freely), Submitted or Partner action required. */
export function canEdit(claim: Claim): boolean {
	return ["draft", "submitted", "partner_action_required"].includes(
		claim.status,
	);
}

/** R-CRT-7, R-DSP-1: PoE can be added while editable, and after a rejection for a dispute. */
export function canUpload(claim: Claim, now = serverNow()): boolean {
	return canEdit(claim) || canDispute(claim, now);
}

/** Section 4: a partner can request rejection from these statuses. */
export function canRequestRejection(claim: Claim): boolean {
	return [
		"submitted",
		"under_review",
		"partner_action_required",
		"approved",
	].includes(claim.status);
}

/** The deadline that needs the partner (R-TIME-9), if any. */
export type PartnerDeadline =
	| { kind: "respond"; at: string }
	| { kind: "dispute"; at: string };

export function partnerDeadline(
	claim: Claim,
	now = serverNow(),
): PartnerDeadline | null {
	if (claim.status === "partner_action_required") {
		const at =
			claim.deadlines.partnerResponseDue ?? claim.informationRequest?.respondBy;
		return at ? { kind: "respond", at } : null;
	}
	if (canDispute(claim, now)) {
		const at = (claim.deadlines.disputeUntil ??
			claim.rejection?.disputeUntil) as string;
		return { kind: "dispute", at };
	}
	return null;
}

/** Human names of the PoE content types the API accepts (R-CRT-7). */
const TYPE_NAMES: Record<string, string> = {
	"application/pdf": "PDF",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		"Word",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation":
		"PowerPoint",
	"image/png": "PNG",
	"image/jpeg": "JPEG",
	"application/vnd.ms-outlook": "Outlook (.msg)",
	"message/rfc822": "Email (.eml)",
};

export function documentTypeName(contentType: string): string {
	return TYPE_NAMES[contentType] ?? contentType;
}

/** The file types the upload offers (the API checks the content). */
export const POE_ACCEPT =
	".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.msg,.eml,application/pdf,image/png,image/jpeg";
