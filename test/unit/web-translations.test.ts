/**
 * The web app's translations (web/src/i18n/locales/<lng>/<ns>.json): every language has
 * every namespace and key that English has, and no text is empty. A key missing in one
 * language would show the English text there, silently.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEXTS } from "../../src/notifications/texts.ts";

const LOCALES = path.resolve("web/src/i18n/locales");

/** The dotted paths of an object's string leaves, with their texts. */
function leaves(obj: unknown, prefix = ""): Map<string, string> {
	const out = new Map<string, string>();
	for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
		const key = prefix ? `${prefix}.${k}` : k;
		if (v && typeof v === "object")
			for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
		else out.set(key, String(v));
	}
	return out;
}

function load(lng: string, ns: string): Map<string, string> {
	return leaves(
		JSON.parse(readFileSync(path.join(LOCALES, lng, `${ns}.json`), "utf8")),
	);
}

const languages = readdirSync(LOCALES).sort();
const namespaces = readdirSync(path.join(LOCALES, "en"))
	.filter((f) => f.endsWith(".json"))
	.map((f) => f.replace(/\.json$/, ""));

describe("web app translations", () => {
	it("has the four languages and English's namespaces in each", () => {
		expect(languages).toEqual(["de", "en", "nl", "sv"]);
		expect(namespaces.length).toBeGreaterThan(0);
		for (const lng of languages)
			expect(
				readdirSync(path.join(LOCALES, lng))
					.filter((f) => f.endsWith(".json"))
					.sort(),
				lng,
			).toEqual(namespaces.map((n) => `${n}.json`).sort());
	});

	for (const lng of languages.filter((l) => l !== "en"))
		it(`${lng} has exactly English's keys, none empty`, () => {
			for (const ns of namespaces) {
				const en = load("en", ns);
				const other = load(lng, ns);
				const missing = [...en.keys()].filter((k) => !other.has(k));
				const extra = [...other.keys()].filter((k) => !en.has(k));
				expect({ ns, missing, extra }).toEqual({ ns, missing: [], extra: [] });
				const empty = [...other].filter(([, v]) => v.trim() === "");
				expect(empty, `${lng}/${ns}`).toEqual([]);
			}
		});
	for (const lng of languages)
		it(`R-CON-1 ${lng}: the consent notice names the customer's page as the web app's menu does`, () => {
			const menu = load(lng, "common").get("nav.customer") as string;
			expect(menu.length).toBeGreaterThan(3);
			const texts = TEXTS[lng as keyof typeof TEXTS];
			expect(texts.consentNotice.note("1 Dec")).toContain(menu);
		});
});
