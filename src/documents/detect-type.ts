/**
 * PoE document type detection (R-CRT-7): an allow-list checked by CONTENT (magic bytes),
 * never by the file name or the client's declared content type.
 */
import { open } from "node:fs/promises";
import {
	type FileTypeResult,
	fileTypeFromBuffer,
	fileTypeFromFile,
} from "file-type";

/** A detected, allowed PoE document type. */
export interface PoeType {
	contentType: string;
	extension: string;
}

/** One entry of the PoE allow-list. */
export interface PoeAllowedType extends PoeType {
	description: string;
}

/** The document types accepted as proof of execution, in display order. */
export const POE_ALLOWED_TYPES: readonly PoeAllowedType[] = Object.freeze([
	{ contentType: "application/pdf", extension: "pdf", description: "PDF" },
	{
		contentType:
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		extension: "docx",
		description: "Word document",
	},
	{
		contentType:
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		extension: "xlsx",
		description: "Excel workbook",
	},
	{
		contentType:
			"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		extension: "pptx",
		description: "PowerPoint presentation",
	},
	{ contentType: "image/png", extension: "png", description: "PNG image" },
	{ contentType: "image/jpeg", extension: "jpg", description: "JPEG image" },
	{
		contentType: "application/vnd.ms-outlook",
		extension: "msg",
		description: "Outlook message",
	},
	{
		contentType: "message/rfc822",
		extension: "eml",
		description: "E-mail (EML)",
	},
]);

/** How many leading bytes detection looks at (file-type's own sample size). */
export const POE_DETECTION_BYTES = 4100;

/** How far into the content the EML header check looks. */
const EML_SCAN_BYTES = 4096;

function allowed(extension: string): PoeType {
	const entry = POE_ALLOWED_TYPES.find((t) => t.extension === extension);
	if (!entry) throw new Error(`not an allowed PoE extension: ${extension}`);
	return { contentType: entry.contentType, extension: entry.extension };
}

/** Maps file-type's verdict onto the allow-list (file-type extension → allowed type). */
const FROM_FILE_TYPE: Readonly<Record<string, string>> = {
	pdf: "pdf",
	docx: "docx",
	xlsx: "xlsx",
	pptx: "pptx",
	png: "png",
	apng: "png", // an animated PNG is still a PNG
	jpg: "jpg",
	cfb: "msg", // OLE compound file, as Outlook .msg uses
};

/** Header names that mark RFC 822 / RFC 5322 mail (lower-case). */
const KNOWN_MAIL_HEADERS = new Set([
	"from",
	"to",
	"cc",
	"subject",
	"date",
	"received",
	"message-id",
	"mime-version",
	"return-path",
	"reply-to",
	"sender",
	"delivered-to",
	"in-reply-to",
	"references",
]);

const HEADER_FIELD = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;
// Any C0 control except TAB, CR, LF; and DEL. (CR is checked separately: only as part of CRLF.)
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * True when the bytes start like an RFC 822 message: a block of printable ASCII/UTF-8
 * header lines (with folded continuations) containing at least two known mail headers
 * within the first 4 KB.
 */
export function looksLikeEml(head: Uint8Array): boolean {
	const slice = head.subarray(0, EML_SCAN_BYTES);
	let text: string;
	try {
		// stream: true tolerates a multi-byte character cut off at the end of the slice.
		text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
			slice,
			{ stream: true },
		);
	} catch {
		return false;
	}
	const lines = text.split("\n");
	const truncated = head.length > EML_SCAN_BYTES;
	if (truncated) lines.pop(); // the last line may be cut short

	const seen = new Set<string>();
	let fields = 0;
	for (let i = 0; i < lines.length; i++) {
		let line = lines[i] ?? "";
		if (line.endsWith("\r")) line = line.slice(0, -1);
		if (line === "") break; // end of the header block
		if (line.includes("\r") || FORBIDDEN_CONTROL.test(line)) return false;
		if (i === 0 && /^From \S/.test(line)) continue; // mbox envelope line
		if (line.startsWith(" ") || line.startsWith("\t")) {
			if (fields === 0) return false; // a continuation needs a field to continue
			continue;
		}
		const match = HEADER_FIELD.exec(line);
		if (!match?.[1]) return false;
		fields++;
		const name = match[1].toLowerCase();
		if (KNOWN_MAIL_HEADERS.has(name)) seen.add(name);
	}
	return seen.size >= 2;
}

function classify(
	result: FileTypeResult | undefined,
	head: Uint8Array,
): PoeType | null {
	if (result) {
		const ext = FROM_FILE_TYPE[result.ext];
		return ext ? allowed(ext) : null;
	}
	return looksLikeEml(head) ? allowed("eml") : null;
}

/**
 * Detects an allowed PoE type from the first bytes of a document (pass at least
 * {@link POE_DETECTION_BYTES}, or the whole document if shorter). Returns null for
 * anything not on the allow-list, including zips that are not OOXML, text, HTML, SVG,
 * GIF and executables.
 */
export async function detectPoeType(head: Uint8Array): Promise<PoeType | null> {
	if (head.length === 0) return null;
	let result: FileTypeResult | undefined;
	try {
		result = await fileTypeFromBuffer(head);
	} catch {
		return null; // malformed container: refuse rather than guess
	}
	return classify(result, head);
}

/** True when the bytes start with a zip local file header (a possible OOXML package). */
export function isZipHead(head: Uint8Array): boolean {
	return (
		head.length >= 4 &&
		head[0] === 0x50 &&
		head[1] === 0x4b &&
		head[2] === 0x03 &&
		head[3] === 0x04
	);
}

/**
 * Detects an allowed PoE type from a complete file on disk. Unlike {@link detectPoeType}
 * this can read a zip's central directory, so OOXML packages whose
 * `[Content_Types].xml` is not near the start are still recognised.
 */
export async function detectPoeTypeOfFile(
	filePath: string,
): Promise<PoeType | null> {
	const handle = await open(filePath, "r");
	let head: Uint8Array;
	try {
		const buffer = new Uint8Array(POE_DETECTION_BYTES);
		const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
		head = buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
	if (head.length === 0) return null;
	let result: FileTypeResult | undefined;
	try {
		result = await fileTypeFromFile(filePath);
	} catch {
		return null;
	}
	return classify(result, head);
}

/** A human-readable list of the allowed types, for error messages. */
export function describePoeAllowedTypes(): string {
	return POE_ALLOWED_TYPES.map(
		(t) => `${t.description} (.${t.extension}, ${t.contentType})`,
	).join(", ");
}
