import { describe, expect, it } from "vitest";
import { formatInstant } from "../../src/notifications/i18n.ts";
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
