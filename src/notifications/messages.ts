/**
 * Composes one notification (R-NTF-1) in the recipient's language: subject, text and
 * HTML from the same blocks. Pure: callers gather the facts.
 */

import type { GeneratedText } from "../claims/comment-template.ts";
import type { ReviewerSla } from "../domain/deadlines.ts";
import { formatInstant, type Locale, reasonText, statusLabel } from "./i18n.ts";
import { type Block, type Message, renderHtml, renderText } from "./render.ts";
import { type DisputeDecision, TEXTS, type Texts } from "./texts.ts";

/** What every claim message says about the claim. */
export interface ClaimFacts {
	claimId: string;
	claimName: string;
	status: string;
	/** The partner organization's name. */
	partnerName: string;
	/** The customer as shown: tenant name and domain. */
	customerName: string;
	products: string[];
	claimUrl: string;
}

/** The kinds of message and what each needs (instants as ISO strings). */
export type MessageSpec =
	| { kind: "submitted"; reviewStartDue: string | null }
	| {
			kind: "information_requested";
			reasons: string[];
			comment: string;
			respondBy: string;
			/** The request is a dispute's decision (R-DSP-1). */
			dispute?: boolean;
	  }
	| {
			kind: "approved";
			consentEndsAt: string;
			/** The approval is a dispute's decision (R-DSP-1). */
			disputeAccepted?: boolean;
	  }
	| { kind: "consent_notice"; consentEndsAt: string; optOutUrl: string }
	| {
			kind: "rejected";
			reason: string;
			/** The person's words, or CPOR's English when `generated` is set. */
			comment: string;
			/** CPOR's words as data, worded in the recipient's language. */
			generated?: GeneratedText | undefined;
			disputeUntil: string | null;
	  }
	| { kind: "consent_declined"; disputeUntil: string | null }
	| { kind: "dispute_decided"; decision: DisputeDecision; comment: string }
	| { kind: "association_activated" }
	| {
			kind: "partner_reminder";
			due: string;
			/** Which reminder of the series (2 or 1 business days before), for its key; not shown. */
			businessDaysLeft: number;
	  }
	| { kind: "reviewer_reminder"; deadline: ReviewerSla; due: string };

export type MessageKind = MessageSpec["kind"];

/** A rendered message. */
export interface ComposedMessage {
	subject: string;
	text: string;
	html: string;
}

/** CPOR's words where a person's would go (comment-template.ts), in `t`'s language. */
function generatedText(
	t: Texts,
	g: GeneratedText,
	date: (iso: string) => string,
): string {
	switch (g.key) {
		case "no_partner_response":
			return t.generated.noPartnerResponse(date(g.due));
		case "arbitration_lost":
			return t.generated.arbitrationLost;
		case "rejection_requested":
			return t.generated.rejectionRequested;
		case "customer_opted_out":
			return t.generated.customerOptedOut;
	}
}

/** Builds the message for a recipient. */
export function composeMessage(
	spec: MessageSpec,
	facts: ClaimFacts,
	recipient: { name: string | null; locale: Locale },
	timeZone: string,
): ComposedMessage {
	const locale = recipient.locale;
	const t = TEXTS[locale];
	const date = (iso: string) => formatInstant(iso, locale, timeZone);
	const products = facts.products.join(", ");
	const claimFacts: Block = {
		kind: "facts",
		rows: [
			[t.label.claim, facts.claimName],
			[t.label.claimId, facts.claimId],
			[t.label.customer, facts.customerName],
			[t.label.products, products],
			[t.label.status, statusLabel(facts.status, locale)],
		],
	};
	const open: Block = {
		kind: "button",
		label: t.openClaim,
		url: facts.claimUrl,
	};
	const hello: Block = { kind: "p", text: t.hello(recipient.name) };
	let m: Message;
	switch (spec.kind) {
		case "submitted":
			m = {
				subject: t.submitted.subject(facts.claimName),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.submitted.body(
							facts.claimName,
							facts.customerName,
							spec.reviewStartDue ? date(spec.reviewStartDue) : null,
						),
					},
					claimFacts,
					open,
				],
			};
			break;
		case "information_requested":
			m = {
				subject: t.informationRequested.subject(facts.claimName),
				blocks: [
					hello,
					{
						kind: "p",
						text: spec.dispute
							? t.informationRequested.disputeIntro(facts.claimName)
							: t.informationRequested.intro(facts.claimName),
					},
					{
						kind: "list",
						items: spec.reasons.map((r) => reasonText(r, locale)),
					},
					...(spec.comment
						? [
								{
									kind: "facts",
									rows: [[t.label.comment, spec.comment]],
								} as Block,
							]
						: []),
					{
						kind: "facts",
						rows: [[t.label.respondBy, date(spec.respondBy)]],
					},
					{
						kind: "p",
						text: t.informationRequested.respond(date(spec.respondBy)),
					},
					claimFacts,
					open,
				],
			};
			break;
		case "approved":
			m = {
				subject: t.approved.subject(facts.claimName),
				blocks: [
					hello,
					{
						kind: "p",
						text: (spec.disputeAccepted
							? t.approved.disputeBody
							: t.approved.body)(facts.claimName, facts.customerName),
					},
					{
						kind: "p",
						text: t.approved.window(
							facts.partnerName,
							date(spec.consentEndsAt),
						),
					},
					claimFacts,
					open,
				],
			};
			break;
		case "consent_notice": {
			const ends = date(spec.consentEndsAt);
			m = {
				subject: t.consentNotice.subject(
					facts.partnerName,
					facts.customerName,
					ends,
				),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.consentNotice.intro(facts.partnerName, facts.customerName),
					},
					{
						kind: "facts",
						rows: [
							[t.label.partner, facts.partnerName],
							[t.label.customer, facts.customerName],
							[t.label.products, products],
							[t.label.dataShared, t.dataSharedShort],
							[t.label.consentEnds, ends],
						],
					},
					{ kind: "p", text: t.consentNotice.data(facts.partnerName) },
					{
						kind: "p",
						text: t.consentNotice.howToOptOut(facts.partnerName, ends),
					},
					{
						kind: "button",
						label: t.consentNotice.button,
						url: spec.optOutUrl,
					},
					{ kind: "note", text: t.consentNotice.note(ends) },
				],
			};
			break;
		}
		case "rejected":
			m = {
				subject: t.rejected.subject(facts.claimName),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.rejected.body(facts.claimName, facts.customerName),
					},
					{
						kind: "facts",
						rows: [
							// R-CMP-3: a claim that lost arbitration says so first; the reason the
							// reviewer gave (its PoE judged against the approved one) comes after.
							...((spec.generated?.key === "arbitration_lost"
								? [
										[t.label.reason, generatedText(t, spec.generated, date)],
										[t.label.assessment, reasonText(spec.reason, locale)],
									]
								: [[t.label.reason, reasonText(spec.reason, locale)]]) as [
								string,
								string,
							][]),
							...((spec.generated && spec.generated.key !== "arbitration_lost"
								? [[t.label.note, generatedText(t, spec.generated, date)]]
								: !spec.generated && spec.comment
									? [
											[
												spec.reason === "partner_request"
													? t.label.requestComment
													: t.label.comment,
												spec.comment,
											],
										]
									: []) as [string, string][]),
							...(spec.disputeUntil
								? ([[t.label.disputeUntil, date(spec.disputeUntil)]] as [
										string,
										string,
									][])
								: []),
						],
					},
					{ kind: "p", text: t.rejected.where },
					open,
					{
						kind: "p",
						text: spec.disputeUntil
							? t.rejected.dispute(date(spec.disputeUntil))
							: t.rejected.noDispute,
					},
					claimFacts,
				],
			};
			break;
		case "consent_declined":
			m = {
				subject: t.consentDeclined.subject(facts.claimName),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.consentDeclined.body(
							facts.claimName,
							facts.customerName,
							facts.partnerName,
							products,
						),
					},
					...(spec.disputeUntil
						? [
								{
									kind: "p",
									text: t.rejected.dispute(date(spec.disputeUntil)),
								} as Block,
							]
						: []),
					claimFacts,
					open,
				],
			};
			break;
		case "dispute_decided":
			m = {
				subject: t.disputeDecided.subject(facts.claimName),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.disputeDecided.body(spec.decision, facts.claimName),
					},
					{
						kind: "facts",
						rows: [
							[t.label.decision, t.disputeDecided.decision[spec.decision]],
							...(spec.comment
								? ([[t.label.comment, spec.comment]] as [string, string][])
								: []),
						],
					},
					claimFacts,
					open,
				],
			};
			break;
		case "association_activated":
			m = {
				subject: t.associationActivated.subject(facts.claimName),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.associationActivated.body(
							facts.partnerName,
							facts.customerName,
							products,
						),
					},
					{ kind: "p", text: t.associationActivated.next },
					claimFacts,
					open,
				],
			};
			break;
		case "partner_reminder":
			m = {
				subject: t.partnerReminder.subject(facts.claimName, date(spec.due)),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.partnerReminder.body(facts.claimName, date(spec.due)),
					},
					{ kind: "facts", rows: [[t.label.respondBy, date(spec.due)]] },
					claimFacts,
					open,
				],
			};
			break;
		case "reviewer_reminder":
			m = {
				subject: t.reviewerReminder.subject(facts.claimName, date(spec.due)),
				blocks: [
					hello,
					{
						kind: "p",
						text: t.reviewerReminder.body(
							spec.deadline,
							facts.claimName,
							facts.partnerName,
							facts.customerName,
							date(spec.due),
						),
					},
					{
						kind: "facts",
						rows: [
							[t.label.partner, facts.partnerName],
							[t.label.due, date(spec.due)],
						],
					},
					claimFacts,
					open,
				],
			};
			break;
	}
	return {
		subject: m.subject,
		text: renderText(m, t.footer),
		html: renderHtml(m, locale, t.footer),
	};
}
