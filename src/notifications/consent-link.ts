/**
 * Signed single-purpose links (R-CON-1, R-CON-2): the consent notice carries a token that
 * lets its holder opt out of ONE association until the consent window ends, with no
 * account. Token = base64url(JSON payload) "." base64url(HMAC-SHA256(key, payload part)),
 * where the key is derived from the signing secret for this use only. Verification is
 * constant-time and checks purpose and expiry; anything else is refused.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a consent token may be used for. Only opting out exists today. */
export type ConsentPurpose = "opt_out";

/** The facts a valid token carries. */
export interface ConsentTokenPayload {
	purpose: string;
	claimId: string;
	expiresAt: Date;
	/** The association's `approvedAt`: binds the token to one consent window. */
	approvedAt: string | null;
}

/** Why a token was refused. */
export type ConsentTokenProblem =
	| "malformed"
	| "bad_signature"
	| "wrong_purpose"
	| "expired";

/** The result of {@link verifyConsentToken}. */
export type ConsentTokenResult =
	| { ok: true; payload: ConsentTokenPayload }
	| { ok: false; reason: Exclude<ConsentTokenProblem, "expired"> }
	/** Genuine but past its end: the payload says which claim and when it ended. */
	| { ok: false; reason: "expired"; payload: ConsentTokenPayload };

/** Longest token accepted (a real one is ~200 characters). */
export const MAX_TOKEN_LENGTH = 1024;

const B64URL = /^[A-Za-z0-9_-]+$/;

function key(secret: string): Buffer {
	return createHmac("sha256", secret).update("cpor/consent-link/v1").digest();
}

function mac(secret: string, body: string): Buffer {
	return createHmac("sha256", key(secret)).update(body).digest();
}

/**
 * Signs a consent token for one claim, valid until `expiresAt` (the window's end).
 * `purpose` defaults to `opt_out`; `approvedAt` ties it to one consent window.
 */
export function signConsentToken(
	secret: string,
	opts: {
		claimId: string;
		expiresAt: Date;
		purpose?: string;
		approvedAt?: string | null;
	},
): string {
	const payload = {
		p: opts.purpose ?? "opt_out",
		c: opts.claimId,
		e: opts.expiresAt.getTime(),
		...(opts.approvedAt ? { a: opts.approvedAt } : {}),
	};
	const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
	return `${body}.${mac(secret, body).toString("base64url")}`;
}

/**
 * Verifies a token: well-formed, signed with `secret`, for `purpose` (default `opt_out`)
 * and not expired at `now`. Never throws.
 */
export function verifyConsentToken(
	secret: string,
	token: unknown,
	opts: { now: Date; purpose?: ConsentPurpose },
): ConsentTokenResult {
	if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH)
		return { ok: false, reason: "malformed" };
	const parts = token.trim().split(".");
	const [body, sig] = parts;
	if (
		parts.length !== 2 ||
		!body ||
		!sig ||
		!B64URL.test(body) ||
		!B64URL.test(sig)
	)
		return { ok: false, reason: "malformed" };
	// Compare the canonical encodings, so no other spelling of the MAC is accepted.
	const expected = Buffer.from(mac(secret, body).toString("base64url"));
	const given = Buffer.from(sig);
	if (given.length !== expected.length || !timingSafeEqual(given, expected))
		return { ok: false, reason: "bad_signature" };
	let raw: unknown;
	try {
		raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
	} catch {
		return { ok: false, reason: "malformed" };
	}
	const p = raw as { p?: unknown; c?: unknown; e?: unknown; a?: unknown };
	if (
		typeof p !== "object" ||
		p === null ||
		typeof p.p !== "string" ||
		typeof p.c !== "string" ||
		!p.c ||
		typeof p.e !== "number" ||
		!Number.isFinite(p.e) ||
		(p.a !== undefined && typeof p.a !== "string")
	)
		return { ok: false, reason: "malformed" };
	if (p.p !== (opts.purpose ?? "opt_out"))
		return { ok: false, reason: "wrong_purpose" };
	const payload: ConsentTokenPayload = {
		purpose: p.p,
		claimId: p.c,
		expiresAt: new Date(p.e),
		approvedAt: typeof p.a === "string" ? p.a : null,
	};
	if (opts.now.getTime() >= p.e)
		return { ok: false, reason: "expired", payload };
	return { ok: true, payload };
}
