/**
 * PoE document file names (R-CRT-7): the uploader's name is kept for display and
 * download, but cleaned so it can never address a path, inject a header or lie about
 * the type (the extension always matches the detected content).
 */
import createContentDisposition from "content-disposition";

/** Longest stored name, in characters (grapheme clusters), extension included. */
export const MAX_FILE_NAME_LENGTH = 120;

/** Stem used when nothing usable is left of the uploaded name. */
const DEFAULT_STEM = "document";

// C0 controls, DEL, C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;
// Invisible formatting characters that can disguise a name: bidi embeddings/overrides/
// isolates (e.g. "invoice\u202Efdp.exe"), zero-width characters, BOM, line/paragraph separators.
const INVISIBLE_CHARS = /[\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// Characters Windows reserves in file names (slashes are handled as path separators).
const RESERVED_CHARS = /[<>:"|?*]/g;
// Windows device names, which cannot be file stems.
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
// What is treated as an existing extension to be replaced: 1-5 letters/digits.
const EXISTING_EXTENSION = /\.[\p{L}\p{N}]{1,5}$/u;

function stripUnsafe(value: string): string {
	return value
		.normalize("NFC")
		.replace(/[\t\n\v\f\r]/g, " ")
		.replace(CONTROL_CHARS, "")
		.replace(INVISIBLE_CHARS, "");
}

/** Built once: an Intl.Segmenter costs far more to build than to use. */
let segmenter: Intl.Segmenter | undefined;

function graphemes(value: string): string[] {
	segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
	return Array.from(segmenter.segment(value), (s) => s.segment);
}

function trimEdges(stem: string): string {
	// No leading dots (hidden files, "..") and no trailing dots or spaces (Windows strips them).
	return stem.replace(/^[.\s]+/u, "").replace(/[.\s]+$/u, "");
}

/**
 * Cleans an uploaded file name for storage and download and forces its extension to the
 * detected type's: strips any path (`/` and `\`), control and invisible characters, the
 * reserved characters `<>:"|?*` and leading dots; collapses whitespace; NFC-normalises;
 * limits the result to {@link MAX_FILE_NAME_LENGTH} characters keeping the extension.
 *
 * sanitizeFileName("../../etc/passwd", "pdf") === "passwd.pdf"
 * sanitizeFileName("report.exe", "pdf") === "report.pdf"
 * sanitizeFileName("", "pdf") === "document.pdf"
 */
export function sanitizeFileName(name: string, extension: string): string {
	const ext = extension.replace(/^\./, "").toLowerCase();
	if (!/^[a-z0-9]{1,10}$/.test(ext)) {
		throw new Error(`invalid file extension: ${JSON.stringify(extension)}`);
	}

	let base = stripUnsafe(name);
	base = base.split(/[/\\]/).pop() ?? "";
	base = base.replace(RESERVED_CHARS, "").replace(/\s+/gu, " ");
	base = trimEdges(base);

	// Replace whatever extension the name claims with the one the content proved.
	let stem = trimEdges(base.replace(EXISTING_EXTENSION, ""));
	if (stem === "") stem = DEFAULT_STEM;
	if (WINDOWS_DEVICE_NAME.test(stem)) stem = `${stem}_`;

	const maxStem = MAX_FILE_NAME_LENGTH - ext.length - 1;
	// A stem of at most maxStem UTF-16 code units has at most as many graphemes.
	if (stem.length > maxStem) {
		const parts = graphemes(stem);
		if (parts.length > maxStem)
			stem = trimEdges(parts.slice(0, maxStem).join("")) || DEFAULT_STEM;
	}
	return `${stem}.${ext}`;
}

/** An ASCII-only stand-in for a name: accents dropped, anything else non-ASCII → "_". */
function asciiFallback(name: string): string {
	return name
		.normalize("NFKD")
		.replace(/\p{M}/gu, "")
		.replace(/[^\x20-\x7e]/g, "_")
		.replace(/["\\%]/g, "_");
}

/**
 * An RFC 6266 `Content-Disposition` value for downloading a document:
 * `attachment; filename="ascii-fallback"; filename*=UTF-8''percent-encoded`
 * (plain `attachment; filename=...` when the name is already safe ASCII).
 */
export function contentDisposition(name: string): string {
	const clean = stripUnsafe(name).trim() || `${DEFAULT_STEM}`;
	return createContentDisposition(clean, { fallback: asciiFallback(clean) });
}
