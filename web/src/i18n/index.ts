/**
 * i18next with one JSON file per namespace and language under locales/<lng>/<ns>.json
 * (en, nl, sv, de). Status names follow SPEC section 4's table.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = [
	{ code: "en", name: "English" },
	{ code: "nl", name: "Nederlands" },
	{ code: "sv", name: "Svenska" },
	{ code: "de", name: "Deutsch" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const files = import.meta.glob<{ default: Record<string, unknown> }>(
	"./locales/*/*.json",
	{ eager: true },
);
const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, mod] of Object.entries(files)) {
	const m = /\.\/locales\/(\w+)\/(\w+)\.json$/.exec(path);
	if (!m) continue;
	const [, lng, ns] = m as unknown as [string, string, string];
	resources[lng] ??= {};
	resources[lng][ns] = mod.default;
}

const stored =
	typeof localStorage !== "undefined"
		? localStorage.getItem("cpor.lang")
		: null;
const browser =
	typeof navigator !== "undefined" ? navigator.language.slice(0, 2) : "en";
const initial =
	[stored, browser].find((l) => l && LANGUAGES.some((x) => x.code === l)) ??
	"en";

void i18n.use(initReactI18next).init({
	resources,
	lng: initial,
	fallbackLng: "en",
	defaultNS: "common",
	ns: Object.keys(resources.en ?? { common: {} }),
	interpolation: { escapeValue: false },
	returnNull: false,
});

/** Switches the language (and remembers it in this browser). */
export function setLanguage(code: Language): void {
	localStorage.setItem("cpor.lang", code);
	document.documentElement.lang = code;
	void i18n.changeLanguage(code);
}

document.documentElement.lang = i18n.language;
export default i18n;
