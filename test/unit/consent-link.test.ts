import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import {
	signConsentToken,
	verifyConsentToken,
} from "../../src/notifications/consent-link.ts";
import { signingSecret } from "../../src/notifications/secret.ts";

const SECRET = "s".repeat(64);
const NOW = new Date("2026-11-23T09:00:00.000Z");
const ENDS = new Date("2026-11-30T09:00:00.000Z");

function flip(ch: string): string {
	return ch === "A" ? "B" : "A";
}

describe("consent-link tokens", () => {
	it("R-CON-1 a signed opt-out token verifies and carries the claim, window end and approval", () => {
		const token = signConsentToken(SECRET, {
			claimId: "claim-1",
			expiresAt: ENDS,
			approvedAt: "2026-11-23T09:00:00.000Z",
		});
		expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
		const v = verifyConsentToken(SECRET, token, { now: NOW });
		expect(v).toEqual({
			ok: true,
			payload: {
				purpose: "opt_out",
				claimId: "claim-1",
				expiresAt: ENDS,
				approvedAt: "2026-11-23T09:00:00.000Z",
			},
		});
	});

	it("R-CON-1 a tampered token is refused: payload, signature, or another secret", () => {
		const token = signConsentToken(SECRET, {
			claimId: "claim-1",
			expiresAt: ENDS,
		});
		const [body, sig] = token.split(".") as [string, string];
		// Another claim ID in the payload, with the old signature.
		const forged = Buffer.from(
			JSON.stringify({ p: "opt_out", c: "claim-2", e: ENDS.getTime() }),
		).toString("base64url");
		expect(
			verifyConsentToken(SECRET, `${forged}.${sig}`, { now: NOW }),
		).toEqual({ ok: false, reason: "bad_signature" });
		// Every single-character change of the signature, including its last character.
		for (const i of [0, Math.floor(sig.length / 2), sig.length - 1]) {
			const changed = `${sig.slice(0, i)}${flip(sig[i] as string)}${sig.slice(i + 1)}`;
			expect(
				verifyConsentToken(SECRET, `${body}.${changed}`, { now: NOW }).ok,
			).toBe(false);
		}
		expect(verifyConsentToken("t".repeat(64), token, { now: NOW })).toEqual({
			ok: false,
			reason: "bad_signature",
		});
		for (const bad of [
			"",
			"abc",
			`${body}.`,
			`.${sig}`,
			`${body}.${sig}.x`,
			`${body}.${sig}!`,
			"x".repeat(5000),
			undefined,
			42,
		])
			expect(verifyConsentToken(SECRET, bad, { now: NOW }).ok).toBe(false);
	});

	it("R-CON-2 the token expires at the end of the consent window", () => {
		const token = signConsentToken(SECRET, {
			claimId: "claim-1",
			expiresAt: ENDS,
		});
		expect(
			verifyConsentToken(SECRET, token, {
				now: new Date(ENDS.getTime() - 1),
			}).ok,
		).toBe(true);
		const at = verifyConsentToken(SECRET, token, { now: ENDS });
		expect(at.ok).toBe(false);
		expect(at).toMatchObject({
			reason: "expired",
			payload: { claimId: "claim-1", expiresAt: ENDS },
		});
	});

	it("R-CON-1 a token is single-purpose: another purpose is refused", () => {
		const token = signConsentToken(SECRET, {
			claimId: "claim-1",
			expiresAt: ENDS,
			purpose: "view",
		});
		expect(verifyConsentToken(SECRET, token, { now: NOW })).toEqual({
			ok: false,
			reason: "wrong_purpose",
		});
	});
});

describe("the signing secret", () => {
	it("R-CON-1 without CPOR_SECRET a random secret is generated once and kept in <dataDir>/secret (0600)", () => {
		const dir = mkdtempSync(path.join(tmpdir(), "cpor-secret-"));
		try {
			const a = signingSecret(loadConfig({ CPOR_DATA_DIR: dir }));
			expect(a).toMatch(/^[0-9a-f]{64}$/);
			const file = path.join(dir, "secret");
			expect(statSync(file).mode & 0o777).toBe(0o600);
			// Another process (another config) reads the same secret.
			expect(signingSecret(loadConfig({ CPOR_DATA_DIR: dir }))).toBe(a);
			expect(readFileSync(file, "utf8").trim()).toBe(a);
			// CPOR_SECRET wins.
			expect(
				signingSecret(
					loadConfig({ CPOR_DATA_DIR: dir, CPOR_SECRET: "x".repeat(40) }),
				),
			).toBe("x".repeat(40));
			expect(() => loadConfig({ CPOR_SECRET: "short" })).toThrow(/CPOR_SECRET/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
