import { describe, expect, it } from "vitest";
import { formatInstant } from "../../src/notifications/i18n.ts";
import { composeMessage } from "../../src/notifications/messages.ts";
import { renderBlocksHtml } from "../../src/notifications/render.ts";

describe("email text", () => {
	it("R-NTF-1 an instant names its zone with the offset from UTC, which changes with summer time; UTC alone has none", () => {
		expect(
			formatInstant("2026-12-15T07:01:00Z", "en", "Europe/Stockholm"),
		).toBe("Tuesday, 15 December 2026 at 08:01 (Europe/Stockholm, UTC+1)");
		expect(
			formatInstant("2026-07-15T07:01:00Z", "en", "Europe/Stockholm"),
		).toContain("(Europe/Stockholm, UTC+2)");
		expect(
			formatInstant("2026-12-15T07:01:00Z", "de", "America/New_York"),
		).toContain("(America/New_York, UTC-5)");
		expect(
			formatInstant("2026-12-15T07:01:00Z", "en", "Asia/Kolkata"),
		).toContain("(Asia/Kolkata, UTC+5:30)");
		expect(formatInstant("2026-12-15T07:01:00Z", "en", "UTC")).toMatch(
			/ \(UTC\)$/,
		);
	});

	it("R-NTF-1 a long word in a paragraph, a list or a fact (a pasted link) breaks rather than run past the message's box", () => {
		const link = `https://example.com/${"a".repeat(260)}`;
		const html = renderBlocksHtml([
			{ kind: "p", text: link },
			{ kind: "list", items: [link] },
			{ kind: "facts", rows: [["Comment", link]] },
		]);
		expect(html.match(/overflow-wrap:anywhere/g)).toHaveLength(3);
		expect(html).toContain(`<td style="padding:4px 0;overflow-wrap:anywhere`);
	});
});

describe("the rejection email", () => {
	const facts = {
		claimId: "c1",
		claimName: "Contoso Defender hardening",
		status: "rejected",
		partnerName: "Northwind Traders",
		customerName: "Contoso (contoso.com)",
		products: ["Microsoft Defender for Office 365"],
		claimUrl: "http://localhost:3000/claims/c1",
	};
	const rejected = (generated?: { key: "arbitration_lost" }) =>
		composeMessage(
			{
				kind: "rejected",
				reason: "insufficient_poe",
				comment: "",
				...(generated ? { generated } : {}),
				disputeUntil: "2026-12-24T09:00:00Z",
			},
			facts,
			{ name: "Nora", locale: "en" },
			"UTC",
		);
	it("R-CMP-3 R-DSP-2 a claim that lost arbitration is told so as its reason, the reviewer's reason after it as an assessment", () => {
		const lost = rejected({ key: "arbitration_lost" }).text;
		expect(lost).toContain(
			"Reason: Arbitration: another partner's claim for the same customer, product and activity was approved.",
		);
		expect(lost).toContain(
			"Reviewer's assessment: The proof of execution is insufficient.",
		);
		expect(lost.indexOf("Reason:")).toBeLessThan(
			lost.indexOf("Reviewer's assessment:"),
		);
		// Any other rejection gives its reason first, as before.
		const other = rejected().text;
		expect(other).toContain("Reason: The proof of execution is insufficient.");
		expect(other).not.toContain("assessment");
	});
});
