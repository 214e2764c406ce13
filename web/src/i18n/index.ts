/**
 * i18next with one JSON file per namespace and language under locales/<lng>/<ns>.json
 * (en, nl, sv, de), loaded on demand (`i18next-resources-to-backend`). Status names
 * follow SPEC section 4's table.
 */
import i18n from "i18next";
import resourcesToBackend from "i18next-resources-to-backend";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = [
	{ code: "en", name: "English" },
	{ code: "nl", name: "Nederlands" },
	{ code: "sv", name: "Svenska" },
	{ code: "de", name: "Deutsch" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

/**
 * One loader per locales/<lng>/<ns>.json: each file is its own chunk, fetched when its
 * language is first used. The first page's JavaScript carries no translations: a
 * language is ~65 KB of JSON (~15 KB compressed), and all four were ~275 KB.
 */
const loaders = import.meta.glob<{ default: Record<string, unknown> }>(
	"./locales/*/*.json",
);
/** The namespaces, from the English files' names. */
const namespaces = Object.keys(loaders).flatMap((path) => {
	const m = /^\.\/locales\/en\/(\w+)\.json$/.exec(path);
	return m ? [m[1] as string] : [];
});

const stored =
	typeof localStorage !== "undefined"
		? localStorage.getItem("cpor.lang")
		: null;
const browser =
	typeof navigator !== "undefined" ? navigator.language.slice(0, 2) : "en";
const initial =
	[stored, browser].find((l) => l && LANGUAGES.some((x) => x.code === l)) ??
	"en";

/**
 * Resolves when the initial language's namespaces (and English, the fallback) are
 * loaded; render after it, so that no text shows as its key. Never rejects: a file that
 * fails to load leaves its keys to the fallback (i18next logs the failure).
 */
export const i18nReady: Promise<unknown> = i18n
	.use(
		resourcesToBackend((lng: string, ns: string) => {
			const load = loaders[`./locales/${lng}/${ns}.json`];
			return load
				? load()
				: Promise.reject(new Error(`no translations for ${lng}/${ns}`));
		}),
	)
	.use(initReactI18next)
	.init({
		lng: initial,
		fallbackLng: "en",
		supportedLngs: LANGUAGES.map((l) => l.code),
		load: "languageOnly",
		defaultNS: "common",
		ns: namespaces,
		interpolation: { escapeValue: false },
		returnNull: false,
	})
	.catch(() => undefined);

/** Switches the language (and remembers it in this browser, for the sign-in page). */
export function setLanguage(code: Language): void {
	localStorage.setItem("cpor.lang", code);
	document.documentElement.lang = code;
	void i18n.changeLanguage(code);
}

/**
 * Switches to the signed-in user's own language (GET /me's `user.locale`, which their
 * email uses too) when this browser has no language chosen in it and the app supports
 * that one, other than the default (en). A choice made in the browser stands (it is the user's too once signed in:
 * the language menu then sets both).
 */
export function adoptUserLanguage(locale: string | undefined): void {
	if (localStorage.getItem("cpor.lang")) return;
	const code = LANGUAGES.find((l) => l.code === locale)?.code;
	// English is every account's default too, so it says nothing of a choice: a browser
	// in another language keeps its own.
	if (!code || code === "en" || code === i18n.language) return;
	document.documentElement.lang = code;
	void i18n.changeLanguage(code);
}

document.documentElement.lang = initial;
export default i18n;
