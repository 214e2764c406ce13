/** The signed opt-out link of a consent notice (R-CON-1). */
import type { AppContext } from "../context.ts";
import { signConsentToken } from "./consent-link.ts";
import { publicBaseUrl } from "./facts.ts";
import { signingSecret } from "./secret.ts";

/** The public path of the opt-out page. */
export const OPT_OUT_PATH = "/consent/opt-out";

/** A link that lets its holder opt out of one association until the window ends. */
export function consentOptOutUrl(
	ctx: AppContext,
	opts: { claimId: string; expiresAt: Date; approvedAt: string | null },
): string {
	const token = signConsentToken(signingSecret(ctx.config), {
		claimId: opts.claimId,
		expiresAt: opts.expiresAt,
		approvedAt: opts.approvedAt,
	});
	return `${publicBaseUrl(ctx.config)}${OPT_OUT_PATH}?token=${encodeURIComponent(token)}`;
}
