/**
 * The email channel of the outbox dispatcher (R-NTF-1): which events become which
 * messages, to whom, in which language; and sending them (SMTP when `SMTP_URL` is set,
 * else kept in `deliveries` as the dev mailbox). One delivery per event, recipient and
 * kind (`email:<eventId>:<recipient>:<kind>`), so a fan-out never mails twice.
 */
import type { ClaimView } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import type {
	Channel,
	Delivery,
	NewDelivery,
	OutboxEvent,
} from "../jobs/dispatcher.ts";
import { consentOptOutUrl } from "./consent-url.ts";
import {
	claimFacts,
	loadCustomerAdmins,
	loadNames,
	loadRecipients,
	type RecipientInfo,
} from "./facts.ts";
import { sendDeliveryMail } from "./mailer.ts";
import { composeMessage, type MessageSpec } from "./messages.ts";
import type { DisputeDecision } from "./texts.ts";

/** One message to plan. */
export interface Planned {
	to: string;
	name: string | null;
	spec: MessageSpec;
	/** The dedupe key, when the caller chose it. */
	key?: string;
}

/** Messages about one claim, to render together. */
export interface PlannedGroup {
	view: ClaimView;
	planned: Planned[];
	eventId: string | null;
	eventType: string;
	/** The dedupe key of a message without its own `key`. */
	dedupe?: (p: Planned) => string;
}

function partner(claim: ClaimView, spec: MessageSpec): Planned[] {
	const c = claim.contacts?.partner;
	return c?.email ? [{ to: c.email, name: c.name || null, spec }] : [];
}

/** True when the claim's dispute was decided with `decision` at `at` (that action's instant). */
function decidedDisputeAt(
	claim: ClaimView,
	decision: "approve" | "request_information",
	at: string | null | undefined,
): boolean {
	const d = claim.dispute;
	return !!at && d?.decision === decision && d.decidedAt === at;
}

function consentEnds(claim: ClaimView): string | null {
	return (
		claim.deadlines.consentEndsAt ?? claim.association?.consentEndsAt ?? null
	);
}

/**
 * R-CON-1: a consent notice is sent only while its window is open: one planned after it
 * ended (an approval mailed after downtime, or a demo's past approvals) would offer a
 * link that answers "the window has ended".
 */
function consentStillOpen(ctx: AppContext, ends: string): boolean {
	return new Date(ends).getTime() > ctx.clock.now().getTime();
}

/** R-CON-1: the consent notice with the signed opt-out link, valid until the window ends. */
function consentNotice(
	ctx: AppContext,
	claim: ClaimView,
	ends: string,
): MessageSpec {
	return {
		kind: "consent_notice",
		consentEndsAt: ends,
		optOutUrl: consentOptOutUrl(ctx, {
			claimId: claim.id,
			expiresAt: new Date(ends),
			approvedAt: claim.association?.approvedAt ?? null,
		}),
	};
}

/**
 * R-CON-1 / R-ROL-3: the consent notice also goes to the tenant's customer admins, who
 * see and opt out of its associations, whatever contact the partner named (a partner
 * could name itself). Adds to each approval's group a notice per admin not already a
 * recipient. One query for the whole batch.
 */
async function addCustomerAdmins(
	tx: Tx,
	ctx: AppContext,
	groups: PlannedGroup[],
): Promise<void> {
	const approvals = groups.filter((g) => {
		const ends = g.eventType === "claim.approved" && consentEnds(g.view);
		return !!ends && consentStillOpen(ctx, ends);
	});
	if (approvals.length === 0) return;
	const admins = await loadCustomerAdmins(
		tx,
		approvals.map((g) => g.view.customer.tenantId),
	);
	for (const g of approvals) {
		const ends = consentEnds(g.view) as string;
		const already = new Set(g.planned.map((p) => p.to.trim().toLowerCase()));
		for (const admin of admins.get(g.view.customer.tenantId) ?? []) {
			if (already.has(admin.email)) continue;
			already.add(admin.email);
			g.planned.push({
				to: admin.email,
				name: admin.name,
				spec: consentNotice(ctx, g.view, ends),
			});
		}
	}
}

/** The messages an event causes (before language and rendering). */
export function messagesFor(
	ctx: AppContext,
	type: string,
	claim: ClaimView,
): Planned[] {
	switch (type) {
		case "claim.submitted":
			return partner(claim, {
				kind: "submitted",
				reviewStartDue: claim.deadlines.reviewStartDue,
			});
		case "claim.information_requested": {
			const ir = claim.informationRequest;
			const respondBy = claim.deadlines.partnerResponseDue ?? ir?.respondBy;
			if (!ir || !respondBy) return [];
			return partner(claim, {
				kind: "information_requested",
				reasons: ir.reasons,
				comment: ir.comment,
				respondBy,
				dispute: decidedDisputeAt(claim, "request_information", ir.requestedAt),
			});
		}
		case "claim.approved": {
			const ends = consentEnds(claim);
			if (!ends) return [];
			const customer = claim.contacts?.customer;
			return [
				...partner(claim, {
					kind: "approved",
					consentEndsAt: ends,
					disputeAccepted: decidedDisputeAt(
						claim,
						"approve",
						claim.association?.approvedAt,
					),
				}),
				// R-CON-1: the customer's consent notice with the signed opt-out link, to
				// the contact the partner named (the tenant's customer admins are added
				// by the channel's plan, which reads them).
				...(customer?.email && consentStillOpen(ctx, ends)
					? [
							{
								to: customer.email,
								name: customer.name || null,
								spec: consentNotice(ctx, claim, ends),
							},
						]
					: []),
			];
		}
		case "claim.rejected": {
			const r = claim.rejection;
			// An opt-out is told by `claim.consent_declined` (one message, not two).
			if (!r || r.reason === "customer_declined") return [];
			return partner(claim, {
				kind: "rejected",
				reason: r.reason,
				comment: r.comment,
				generated: r.generated,
				disputeUntil: claim.deadlines.disputeUntil ?? r.disputeUntil,
			});
		}
		case "claim.consent_declined":
			return partner(claim, {
				kind: "consent_declined",
				disputeUntil:
					claim.deadlines.disputeUntil ?? claim.rejection?.disputeUntil ?? null,
			});
		case "claim.dispute_decided": {
			const d = claim.dispute;
			// An approval or an information request is told by its own message, which says
			// it answers the dispute (one message for one decision, not two).
			if (!d?.decision || d.decision !== "uphold") return [];
			return partner(claim, {
				kind: "dispute_decided",
				decision: d.decision as DisputeDecision,
				comment: d.decisionComment ?? "",
			});
		}
		case "association.activated":
			return partner(claim, { kind: "association_activated" });
		default:
			return [];
	}
}

/** Renders planned messages into delivery rows. */
export async function toDeliveries(
	q: Tx,
	ctx: AppContext,
	groups: PlannedGroup[],
): Promise<NewDelivery[]> {
	const all = groups.filter((c) => c.planned.length);
	if (all.length === 0) return [];
	const names = await loadNames(
		q,
		all.map((c) => c.view),
	);
	const recipients = await loadRecipients(
		q,
		all.flatMap((c) => c.planned.map((p) => p.to)),
	);
	const rows: NewDelivery[] = [];
	for (const c of all) {
		const facts = claimFacts(ctx.config, c.view, names);
		for (const p of c.planned) {
			const to = p.to.trim().toLowerCase();
			const info: RecipientInfo = recipients.get(to) ?? {
				locale: "en",
				name: null,
			};
			const msg = composeMessage(
				p.spec,
				facts,
				{ name: p.name ?? info.name, locale: info.locale },
				ctx.calendar.timeZone,
			);
			rows.push({
				dedupeKey:
					p.key ?? c.dedupe?.(p) ?? `email:${c.eventId}:${to}:${p.spec.kind}`,
				channel: "email",
				eventId: c.eventId,
				eventType: c.eventType,
				claimId: c.view.id,
				target: to,
				locale: info.locale,
				subject: msg.subject.replace(/[\r\n]+/g, " "),
				bodyText: msg.text,
				bodyHtml: msg.html,
				payload: { kind: p.spec.kind },
			});
		}
	}
	return rows;
}

/** The email channel. */
export function emailChannel(): Channel {
	return {
		name: "email",
		async plan(tx: Tx, events: OutboxEvent[], ctx: AppContext) {
			const groups: PlannedGroup[] = [];
			for (const event of events) {
				const payload = event.payload as {
					data?: { claim?: ClaimView };
				} | null;
				const view = payload?.data?.claim;
				if (!view?.id) continue;
				groups.push({
					view,
					planned: messagesFor(ctx, event.type, view),
					eventId: event.eventId,
					eventType: event.type,
					dedupe: (p) =>
						`email:${event.eventId}:${p.to.trim().toLowerCase()}:${p.spec.kind}`,
				});
			}
			await addCustomerAdmins(tx, ctx, groups);
			// One load of names and recipients for the whole batch (three queries).
			return toDeliveries(tx, ctx, groups);
		},
		async send(delivery: Delivery, ctx: AppContext) {
			if (!ctx.config.smtpUrl) return "kept";
			await sendDeliveryMail(ctx.config, delivery);
			return "sent";
		},
	};
}
