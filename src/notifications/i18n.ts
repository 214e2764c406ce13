/**
 * The languages of notifications and pages (en, nl, sv, de): locale choice, dates in
 * the recipient's language and the configured time zone, reason and status names.
 */
import { type ClaimStatus, STATUS_LABELS } from "../domain/claim-lifecycle.ts";
import { REASON_DESCRIPTIONS } from "../domain/reasons.ts";

/** Supported languages. */
export const LOCALES = ["en", "nl", "sv", "de"] as const;
export type Locale = (typeof LOCALES)[number];

/** A supported locale for a stored or requested value (`nl`, `nl-BE`, `NL`); else `en`. */
export function toLocale(value: string | null | undefined): Locale {
	const base = (value ?? "").trim().slice(0, 2).toLowerCase();
	return (LOCALES as readonly string[]).includes(base)
		? (base as Locale)
		: "en";
}

/** The best supported language of an Accept-Language header, or null. */
export function fromAcceptLanguage(header: string | undefined): Locale | null {
	if (!header) return null;
	const ranked = header
		.split(",")
		.map((part) => {
			const [tag, ...params] = part.trim().split(";");
			const q = params
				.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1])
				.find((x) => x !== undefined);
			return { tag: (tag ?? "").toLowerCase(), q: q ? Number(q) : 1 };
		})
		.filter((x) => x.tag && x.q > 0)
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		const base = tag.slice(0, 2);
		if ((LOCALES as readonly string[]).includes(base)) return base as Locale;
	}
	return null;
}

const DATE_TAGS: Record<Locale, string> = {
	en: "en-GB",
	nl: "nl-NL",
	sv: "sv-SE",
	de: "de-DE",
};

/** An instant as the recipient reads it: full date and time in `timeZone`, the zone named with its offset from UTC ("(Europe/Stockholm, UTC+1)"; "(UTC)" alone). */
export function formatInstant(
	instant: Date | string,
	locale: Locale,
	timeZone: string,
): string {
	const d = typeof instant === "string" ? new Date(instant) : instant;
	if (Number.isNaN(d.getTime())) return String(instant);
	const offset = utcOffset(d, timeZone);
	const zone = offset ? `${timeZone}, ${offset}` : timeZone;
	return `${instantFormat(locale, timeZone).format(d)} (${zone})`;
}

/**
 * The zone's offset from UTC at `d` ("UTC+1", "UTC-5", "UTC+5:30"), so that a reader
 * elsewhere can tell the time; empty for UTC itself.
 */
function utcOffset(d: Date, timeZone: string): string {
	if (timeZone === "UTC" || timeZone === "Etc/UTC") return "";
	let f = offsetFormats.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat("en-US", {
			timeZone,
			timeZoneName: "shortOffset",
		});
		offsetFormats.set(timeZone, f);
	}
	const name = f.formatToParts(d).find((p) => p.type === "timeZoneName")?.value;
	// "GMT+1", "GMT-5", "GMT+5:30"; "GMT" alone is UTC+0.
	if (!name) return "";
	return name === "GMT" ? "UTC+0" : name.replace(/^GMT/, "UTC");
}
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per locale and zone: building an Intl.DateTimeFormat costs far more than using one. */
const instantFormats = new Map<string, Intl.DateTimeFormat>();
function instantFormat(locale: Locale, timeZone: string): Intl.DateTimeFormat {
	const key = `${locale} ${timeZone}`;
	let f = instantFormats.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(DATE_TAGS[locale], {
			dateStyle: "full",
			timeStyle: "short",
			timeZone,
		});
		instantFormats.set(key, f);
	}
	return f;
}

/** SPEC section 4's status name in the locale. */
export function statusLabel(status: string, locale: Locale): string {
	return STATUS_LABELS[status as ClaimStatus]?.[locale] ?? status;
}

/** R-REV-1 and R-REV-2 reasons, described in each language. */
export const REASON_TEXTS: Record<Locale, Record<string, string>> = {
	en: REASON_DESCRIPTIONS,
	nl: {
		missing_all_poe:
			"Het verkeerde bestand is geüpload, of het bewijs gaat niet over deze claim.",
		missing_customer_acknowledgement:
			"De handtekening van de klant staat niet op het bewijs van uitvoering.",
		missing_or_old_dates:
			"Datums ontbreken in het bewijs, of zijn oud ten opzichte van de claim.",
		missing_partner_solution:
			"De beschrijving van het uitgevoerde werk ontbreekt of is onvoldoende.",
		missing_products: "Het bewijs noemt een geclaimd product of workload niet.",
		partner_request: "De partner heeft gevraagd de claim af te wijzen.",
		customer_declined: "De klant heeft zich afgemeld voor de koppeling.",
		insufficient_poe: "Het bewijs van uitvoering is onvoldoende.",
		missing_customer_consent_on_poe:
			"De toestemming van de klant ontbreekt op het bewijs van uitvoering.",
		no_partner_response:
			"De partner heeft niet op tijd op het informatieverzoek gereageerd.",
		poe_not_available: "Het bewijs van uitvoering is niet beschikbaar.",
	},
	sv: {
		missing_all_poe:
			"Fel fil laddades upp, eller så gäller beviset inte det här anspråket.",
		missing_customer_acknowledgement:
			"Kundens underskrift saknas på genomförandebeviset.",
		missing_or_old_dates:
			"Datum saknas i beviset eller är gamla i förhållande till anspråket.",
		missing_partner_solution:
			"Beskrivningen av det utförda arbetet saknas eller är otillräcklig.",
		missing_products:
			"Beviset nämner inte en produkt eller arbetsbelastning som anspråket gäller.",
		partner_request: "Partnern bad om att anspråket skulle avslås.",
		customer_declined: "Kunden avanmälde sig från kopplingen.",
		insufficient_poe: "Genomförandebeviset är otillräckligt.",
		missing_customer_consent_on_poe:
			"Kundens samtycke saknas på genomförandebeviset.",
		no_partner_response: "Partnern svarade inte på informationsbegäran i tid.",
		poe_not_available: "Genomförandebeviset är inte tillgängligt.",
	},
	de: {
		missing_all_poe:
			"Es wurde die falsche Datei hochgeladen, oder der Nachweis betrifft nicht diesen Anspruch.",
		missing_customer_acknowledgement:
			"Die Unterschrift des Kunden fehlt auf dem Ausführungsnachweis.",
		missing_or_old_dates:
			"Im Nachweis fehlen Daten, oder sie sind im Verhältnis zum Anspruch veraltet.",
		missing_partner_solution:
			"Die Beschreibung der geleisteten Arbeit fehlt oder ist unzureichend.",
		missing_products:
			"Der Nachweis nennt ein beanspruchtes Produkt oder einen Workload nicht.",
		partner_request:
			"Der Partner hat die Ablehnung dieses Anspruchs beantragt.",
		customer_declined: "Der Kunde hat sich von der Zuordnung abgemeldet.",
		insufficient_poe: "Der Ausführungsnachweis ist unzureichend.",
		missing_customer_consent_on_poe:
			"Die Zustimmung des Kunden fehlt auf dem Ausführungsnachweis.",
		no_partner_response:
			"Der Partner hat nicht rechtzeitig auf die Informationsanfrage geantwortet.",
		poe_not_available: "Der Ausführungsnachweis ist nicht verfügbar.",
	},
};

/** A reason code described in the locale (the code itself when unknown). */
export function reasonText(code: string, locale: Locale): string {
	return REASON_TEXTS[locale][code] ?? REASON_TEXTS.en[code] ?? code;
}
