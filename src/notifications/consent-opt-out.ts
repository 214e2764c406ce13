/**
 * Opting out through the signed link of the consent notice (R-CON-1, R-CON-2): the
 * token names one claim and one consent window; its holder acts as that claim's
 * customer, for opting out only. A bad, expired or used link changes nothing.
 */
import type { Actor } from "../auth/actor.ts";
import { type ClaimView, loadClaimView } from "../claims/claim-view.ts";
import { optOut } from "../consent/opt-out.ts";
import type { AppContext } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import {
	type ConsentTokenPayload,
	verifyConsentToken,
} from "./consent-link.ts";
import { claimFacts, loadNames, loadRecipients } from "./facts.ts";
import type { Locale } from "./i18n.ts";
import type { AssociationFacts, PageKind } from "./pages.ts";
import { signingSecret } from "./secret.ts";

/** What a link leads to, with the HTTP status of its page. */
export interface LinkState {
	page: PageKind;
	status: 200 | 400 | 410;
	facts: AssociationFacts | null;
	/** The customer contact's language, when known. */
	locale: Locale | null;
	claimId: string | null;
}

async function describe(
	ctx: AppContext,
	view: ClaimView,
): Promise<{ facts: AssociationFacts; locale: Locale | null }> {
	const names = await loadNames(ctx.db, [view]);
	const f = claimFacts(ctx.config, view, names);
	const email = view.contacts?.customer?.email;
	let locale: Locale | null = null;
	if (email) {
		const r = (await loadRecipients(ctx.db, [email])).get(
			email.trim().toLowerCase(),
		);
		// A known user's language; an unknown address has no language of its own.
		if (r?.name) locale = r.locale;
	}
	return {
		facts: {
			partnerName: f.partnerName,
			customerName: f.customerName,
			products: f.products,
			consentEndsAt:
				view.deadlines.consentEndsAt ?? view.association?.consentEndsAt ?? null,
		},
		locale,
	};
}

const INVALID: LinkState = {
	page: "invalid",
	status: 400,
	facts: null,
	locale: null,
	claimId: null,
};

/** The state of a claim for a genuine token (expired or not). */
function stateOf(
	view: ClaimView,
	payload: ConsentTokenPayload,
	now: Date,
): Pick<LinkState, "page" | "status"> {
	const a = view.association;
	if (
		a?.status === "declined" &&
		view.rejection?.reason === "customer_declined"
	)
		return { page: "already", status: 200 };
	if (payload.approvedAt && a?.approvedAt !== payload.approvedAt)
		return { page: "closed", status: 410 };
	if (view.status !== "approved" || a?.status !== "pending_consent") {
		const ended =
			a?.status === "active" || now.getTime() >= payload.expiresAt.getTime();
		return ended
			? { page: "expired", status: 410 }
			: { page: "closed", status: 410 };
	}
	const ends = view.deadlines.consentEndsAt ?? a.consentEndsAt;
	if (now.getTime() >= payload.expiresAt.getTime() || now >= new Date(ends))
		return { page: "expired", status: 410 };
	return { page: "confirm", status: 200 };
}

/** What a link shows now (GET). Never changes anything. */
export async function inspectConsentLink(
	ctx: AppContext,
	token: unknown,
): Promise<LinkState> {
	const now = ctx.clock.now();
	const v = verifyConsentToken(signingSecret(ctx.config), token, { now });
	if (!v.ok && v.reason !== "expired") return INVALID;
	const payload = v.ok
		? v.payload
		: (v as { payload: ConsentTokenPayload }).payload;
	const view = await loadClaimView(ctx.db, payload.claimId);
	if (!view || view.status === "draft") return INVALID;
	const { facts, locale } = await describe(ctx, view);
	return {
		...stateOf(view, payload, now),
		facts,
		locale,
		claimId: view.id,
	};
}

/** The customer actor a genuine, unexpired link stands for. */
function linkActor(view: ClaimView): Actor {
	const contact = view.contacts?.customer;
	return {
		userId: null,
		name: `${contact?.name || "Customer"} (consent link)`,
		...(contact?.email ? { email: contact.email } : {}),
		roles: [],
		kind: "customer",
		tenantId: view.customer.tenantId,
	};
}

/** Opts out through a link (POST). Changes the claim only from the confirm state. */
export async function optOutWithLink(
	ctx: AppContext,
	token: unknown,
): Promise<LinkState> {
	const before = await inspectConsentLink(ctx, token);
	if (before.page !== "confirm" || !before.claimId) return before;
	const view = await loadClaimView(ctx.db, before.claimId);
	if (!view) return INVALID;
	try {
		await optOut(ctx, { actor: linkActor(view), claimId: view.id });
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		// The window closed or someone else acted meanwhile: say what is true now.
		const after = await inspectConsentLink(ctx, token);
		return after.page === "confirm"
			? { ...after, page: "closed", status: 410 }
			: after;
	}
	return { ...before, page: "done", status: 200 };
}

/**
 * For `POST /customer/associations/{claimId}/opt-out?token=…` (API.md: "customer admin,
 * or the signed link"): the actor a valid link for that claim stands for.
 * @throws `unauthenticated` for a bad, expired or other claim's token.
 */
export async function consentLinkActor(
	ctx: AppContext,
	token: string,
	claimId: string,
): Promise<Actor> {
	const v = verifyConsentToken(signingSecret(ctx.config), token, {
		now: ctx.clock.now(),
	});
	if (!v.ok || v.payload.claimId !== claimId)
		throw new DomainError(
			"unauthenticated",
			v.ok || v.reason !== "expired"
				? "The opt-out link is not valid for this claim; use the link from the consent notice exactly as it is."
				: `The opt-out link expired at ${v.payload.expiresAt.toISOString()} (the end of the consent window).`,
		);
	const view = await loadClaimView(ctx.db, claimId);
	if (
		!view ||
		(v.payload.approvedAt &&
			view.association?.approvedAt !== v.payload.approvedAt)
	)
		throw new DomainError(
			"unauthenticated",
			"The opt-out link belongs to an earlier consent window of this claim.",
		);
	return linkActor(view);
}
