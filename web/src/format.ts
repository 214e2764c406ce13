/**
 * Dates and numbers in the user's language (Intl). Times are shown in the browser's zone,
 * named, since emails give deadlines in the business calendar's zone.
 */
import i18n from "./i18n/index.ts";

/** A date and time with the browser's zone, e.g. "Nov 23, 2026, 9:00 AM GMT+1". */
export function formatDateTime(iso: string | null | undefined): string {
	if (!iso) return "—";
	return new Intl.DateTimeFormat(i18n.language, {
		year: "numeric",
		month: "short",
		day: "numeric",
		hour: "numeric",
		minute: "2-digit",
		timeZoneName: "short",
	}).format(new Date(iso));
}

/** A date, e.g. "23 Nov 2026". */
export function formatDate(iso: string | null | undefined): string {
	if (!iso) return "—";
	return new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" }).format(
		new Date(iso),
	);
}

/**
 * A calendar date given as "YYYY-MM-DD" (a holiday, a local date of the business
 * calendar), with its weekday, e.g. "Fri, 25 Dec 2026": the same date in every browser
 * zone (read and written in UTC).
 */
export function formatCalendarDate(isoDate: string): string {
	return new Intl.DateTimeFormat(i18n.language, {
		weekday: "short",
		day: "numeric",
		month: "short",
		year: "numeric",
		timeZone: "UTC",
	}).format(new Date(`${isoDate}T00:00:00Z`));
}

/** A number with the locale's grouping. */
export function formatNumber(n: number): string {
	return new Intl.NumberFormat(i18n.language).format(n);
}

/** A byte size, e.g. "48 KB". */
export function formatBytes(n: number): string {
	const units = ["B", "KB", "MB", "GB"];
	let i = 0;
	let v = n;
	while (v >= 1024 && i < units.length - 1) {
		v /= 1024;
		i++;
	}
	return `${new Intl.NumberFormat(i18n.language, { maximumFractionDigits: i ? 1 : 0 }).format(v)} ${units[i]}`;
}
