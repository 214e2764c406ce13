import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
	detectPoeType,
	looksLikeEml,
	POE_ALLOWED_TYPES,
} from "../../src/documents/detect-type.ts";
import {
	DocumentError,
	DocumentNotFoundError,
	DocumentStore,
	DocumentTooLargeError,
	EmptyDocumentError,
	UnsupportedDocumentTypeError,
} from "../../src/documents/document-store.ts";
import {
	contentDisposition,
	sanitizeFileName,
} from "../../src/documents/sanitize-name.ts";
import {
	sampleDocx,
	sampleEml,
	sampleExe,
	sampleGif,
	sampleHtml,
	sampleJpeg,
	sampleMsg,
	samplePdf,
	samplePng,
	samplePptx,
	sampleSvg,
	sampleText,
	sampleXlsx,
	sampleZip,
	storedZip,
} from "../support/poe-fixtures.ts";

const DOCX =
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function sha256(bytes: Uint8Array): string {
	return createHash("sha256").update(bytes).digest("hex");
}

/** Yields `bytes` in chunks of `size`, recording how many chunks were pulled. */
function chunked(bytes: Uint8Array, size: number, pulled = { count: 0 }) {
	return (async function* () {
		for (let i = 0; i < bytes.length; i += size) {
			pulled.count++;
			yield bytes.subarray(i, i + size);
		}
	})();
}

/** A PDF padded with a comment to at least `length` bytes. */
function bigPdf(length: number): Uint8Array {
	const pdf = samplePdf();
	const pad = new TextEncoder().encode(
		`%${"x".repeat(Math.max(0, length - pdf.length - 2))}\n`,
	);
	const out = new Uint8Array(pdf.length + pad.length);
	out.set(pdf, 0);
	out.set(pad, pdf.length);
	return out;
}

/** A DOCX whose [Content_Types].xml comes after a part larger than the detection head. */
function lateContentTypesDocx(): Uint8Array {
	const body = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${"<w:p><w:r><w:t>Line of proof</w:t></w:r></w:p>".repeat(300)}</w:body></w:document>`;
	return storedZip([
		{ name: "word/document.xml", data: body },
		{
			name: "_rels/.rels",
			data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
		},
		{
			name: "[Content_Types].xml",
			data: `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${DOCX}.main+xml"/></Types>`,
		},
	]);
}

async function filesUnder(dir: string): Promise<string[]> {
	try {
		const entries = await readdir(dir, {
			recursive: true,
			withFileTypes: true,
		});
		return entries.filter((e) => e.isFile()).map((e) => e.name);
	} catch {
		return [];
	}
}

describe("R-CRT-7 PoE type detection by content", () => {
	const allowed: [string, () => Uint8Array, string, string][] = [
		["PDF", samplePdf, "application/pdf", "pdf"],
		["DOCX", sampleDocx, DOCX, "docx"],
		[
			"XLSX",
			sampleXlsx,
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"xlsx",
		],
		[
			"PPTX",
			samplePptx,
			"application/vnd.openxmlformats-officedocument.presentationml.presentation",
			"pptx",
		],
		["PNG", samplePng, "image/png", "png"],
		["JPEG", sampleJpeg, "image/jpeg", "jpg"],
		["MSG", sampleMsg, "application/vnd.ms-outlook", "msg"],
		["EML", sampleEml, "message/rfc822", "eml"],
	];

	it.each(allowed)(
		"R-CRT-7 detects %s",
		async (_label, make, contentType, extension) => {
			expect(await detectPoeType(make())).toEqual({ contentType, extension });
		},
	);

	it("R-CRT-7 every allowed type is listed in POE_ALLOWED_TYPES", () => {
		expect(POE_ALLOWED_TYPES.map((t) => t.extension)).toEqual([
			"pdf",
			"docx",
			"xlsx",
			"pptx",
			"png",
			"jpg",
			"msg",
			"eml",
		]);
	});

	const refused: [string, () => Uint8Array][] = [
		["EXE", sampleExe],
		["plain zip", sampleZip],
		["plain text", sampleText],
		["HTML", sampleHtml],
		["SVG", sampleSvg],
		["GIF", sampleGif],
		["empty", () => new Uint8Array(0)],
	];

	it.each(refused)("R-CRT-7 refuses %s", async (_label, make) => {
		expect(await detectPoeType(make())).toBeNull();
	});

	it("R-CRT-7 EML needs header lines with at least two known mail headers", () => {
		const enc = (s: string) => new TextEncoder().encode(s);
		expect(looksLikeEml(enc("Subject: hi\r\n\r\nbody"))).toBe(false);
		expect(looksLikeEml(enc("Subject: hi\nX-Custom: 1\n\nbody"))).toBe(false);
		expect(looksLikeEml(enc("Hello there\nFrom: a\nTo: b\n"))).toBe(false);
		expect(looksLikeEml(enc("From: a\x00\nTo: b\n\n"))).toBe(false);
		expect(looksLikeEml(enc(" folded: x\nFrom: a\nTo: b\n"))).toBe(false);
		expect(
			looksLikeEml(enc("From: a@b.example\nTo: c@d.example\n\nbody")),
		).toBe(true);
		expect(
			looksLikeEml(enc("From: Ünïcødé <a@b.example>\nSubject: résumé\n\n")),
		).toBe(true);
		expect(
			looksLikeEml(
				new Uint8Array([0x46, 0x72, 0x6f, 0x6d, 0x3a, 0x20, 0xff, 0x0a]),
			),
		).toBe(false);
	});

	it("R-CRT-7 a PDF named .exe is stored as a PDF named .pdf", async () => {
		const root = await mkdtemp(join(tmpdir(), "cpor-docs-"));
		try {
			const stored = await new DocumentStore(root).put(
				chunked(samplePdf(), 64),
			);
			expect(stored.contentType).toBe("application/pdf");
			expect(sanitizeFileName("invoice.exe", stored.extension)).toBe(
				"invoice.pdf",
			);
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});

	it("R-CRT-7 an EXE named .pdf is refused", async () => {
		const root = await mkdtemp(join(tmpdir(), "cpor-docs-"));
		try {
			await expect(
				new DocumentStore(root).put(chunked(sampleExe(), 64)),
			).rejects.toBeInstanceOf(UnsupportedDocumentTypeError);
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});
});

describe("R-CRT-7 PoE file names", () => {
	it.each([
		["../../etc/passwd", "pdf", "passwd.pdf"],
		["..\\..\\Windows\\system32\\evil.dll", "pdf", "evil.pdf"],
		["report.exe", "pdf", "report.pdf"],
		["report.PDF", "pdf", "report.pdf"],
		["", "pdf", "document.pdf"],
		["   ", "png", "document.png"],
		["...", "pdf", "document.pdf"],
		[".htaccess", "pdf", "htaccess.pdf"],
		['a<b>c:d"e|f?g*h.docx', "docx", "abcdefgh.docx"],
		["line\r\nbreak\ttab\u0000nul.pdf", "pdf", "line break tabnul.pdf"],
		["  lots   of\u00a0 space .pdf", "pdf", "lots of space.pdf"],
		["invoice\u202efdp.exe", "pdf", "invoicefdp.pdf"],
		["Cafe\u0301 menu.jpeg", "jpg", "Caf\u00e9 menu.jpg"],
		["con.txt", "eml", "con_.eml"],
		["Q3 results.final", "xlsx", "Q3 results.xlsx"],
		["Q3 results.final-version", "xlsx", "Q3 results.final-version.xlsx"],
		["mail", ".EML", "mail.eml"],
	])("R-CRT-7 sanitizes %j (%s) to %j", (name, ext, expected) => {
		expect(sanitizeFileName(name, ext)).toBe(expected);
	});

	it("R-CRT-7 limits names to 120 characters keeping the extension", () => {
		const long = sanitizeFileName(`${"a".repeat(300)}.pdf`, "pdf");
		expect(long).toHaveLength(120);
		expect(long.endsWith(".pdf")).toBe(true);

		const emoji = sanitizeFileName(`${"👍🏽".repeat(200)}.png`, "png");
		expect(emoji.endsWith("👍🏽.png")).toBe(true);
		expect([...new Intl.Segmenter().segment(emoji)]).toHaveLength(120);
	});

	it("R-CRT-7 rejects a bogus extension", () => {
		expect(() => sanitizeFileName("x", "p/df")).toThrow();
		expect(() => sanitizeFileName("x", "")).toThrow();
	});

	it("R-CRT-7 builds RFC 6266 Content-Disposition values", () => {
		expect(contentDisposition("report.pdf")).toBe(
			'attachment; filename="report.pdf"',
		);
		expect(contentDisposition("Q3 report.pdf")).toBe(
			'attachment; filename="Q3 report.pdf"',
		);
		expect(contentDisposition("résumé 2026.pdf")).toBe(
			"attachment; filename=\"resume 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf",
		);
		expect(contentDisposition("日本語.pdf")).toBe(
			"attachment; filename=\"___.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.pdf",
		);
		const injected = contentDisposition('a"b\r\nSet-Cookie: x=1.pdf');
		expect(injected).not.toMatch(/[\r\n]/);
		expect(injected).toContain("filename=");
	});
});

describe("R-CRT-7 PoE document store", () => {
	let root: string;

	beforeEach(async () => {
		root = join(await mkdtemp(join(tmpdir(), "cpor-docs-")), "documents");
	});

	afterEach(async () => {
		await rm(join(root, ".."), { recursive: true, force: true });
	});

	it("R-CRT-7 stores content-addressed, read-only, and deduplicates", async () => {
		const store = new DocumentStore(root);
		const pdf = bigPdf(20_000);
		const first = await store.put(chunked(pdf, 1000));
		const second = await store.put(Readable.from([Buffer.from(pdf)]));

		expect(first).toEqual({
			sha256: sha256(pdf),
			size: pdf.length,
			contentType: "application/pdf",
			extension: "pdf",
		});
		expect(second).toEqual(first);

		const file = store.path(first.sha256);
		expect(file).toBe(
			join(
				root,
				first.sha256.slice(0, 2),
				first.sha256.slice(2, 4),
				first.sha256,
			),
		);
		expect(await filesUnder(root)).toEqual([first.sha256]);
		expect((await stat(file)).mode & 0o777).toBe(0o444);
		expect(new Uint8Array(await readFile(file))).toEqual(pdf);
		expect(await store.has(first.sha256)).toBe(true);
		expect(await store.has(first.sha256.toUpperCase())).toBe(true);

		const chunks: Buffer[] = [];
		for await (const chunk of store.open(first.sha256))
			chunks.push(chunk as Buffer);
		expect(new Uint8Array(Buffer.concat(chunks))).toEqual(pdf);
	});

	it("R-CRT-7 a stored document is read-only under any umask, and a strict umask keeps it from other users", async () => {
		const store = new DocumentStore(root);
		const before = process.umask(0o077);
		let stored: Awaited<ReturnType<DocumentStore["put"]>>;
		try {
			stored = await store.put(chunked(bigPdf(5_000), 1000));
		} finally {
			process.umask(before);
		}
		expect((await stat(store.path(stored.sha256))).mode & 0o777).toBe(0o400);
		// The usual umask (022) gives every user read access, and no one write access.
		const again = await store.put(chunked(bigPdf(6_000), 1000));
		expect((await stat(store.path(again.sha256))).mode & 0o777).toBe(
			0o444 & ~before,
		);
	});

	it("R-CRT-7 stores again after its folders were removed from outside (a folder is made when an entry in it cannot be)", async () => {
		const store = new DocumentStore(root);
		const pdf = bigPdf(20_000);
		const first = await store.put(chunked(pdf, 1000));
		// The shard folder alone, then the whole root.
		await rm(join(root, first.sha256.slice(0, 2)), { recursive: true });
		expect(await store.has(first.sha256)).toBe(false);
		expect(await store.put(chunked(pdf, 1000))).toEqual(first);
		await rm(root, { recursive: true });
		expect(await store.put(chunked(pdf, 1000))).toEqual(first);
		expect(await filesUnder(root)).toEqual([first.sha256]);
		expect(new Uint8Array(await readFile(store.path(first.sha256)))).toEqual(
			pdf,
		);
	});

	it("R-CRT-7 stores every allowed type", async () => {
		const store = new DocumentStore(root);
		const makers = [
			samplePdf,
			sampleDocx,
			sampleXlsx,
			samplePptx,
			samplePng,
			sampleJpeg,
			sampleMsg,
			sampleEml,
		];
		const stored = [];
		for (const make of makers) stored.push(await store.put(chunked(make(), 7)));
		expect(stored.map((s) => s.extension)).toEqual(
			POE_ALLOWED_TYPES.map((t) => t.extension),
		);
		expect(await filesUnder(root)).toHaveLength(makers.length);
	});

	it("R-CRT-7 recognises an OOXML package whose content types come late", async () => {
		const docx = lateContentTypesDocx();
		expect(docx.length).toBeGreaterThan(8000);
		// The head alone is not conclusive; the store decides on the whole file.
		expect(await detectPoeType(docx.subarray(0, 4100))).toBeNull();
		const stored = await new DocumentStore(root).put(chunked(docx, 4096));
		expect(stored.contentType).toBe(DOCX);
	});

	it("R-CRT-7 refuses a large non-OOXML zip and leaves nothing behind", async () => {
		const zip = storedZip([
			{ name: "payload.bin", data: new Uint8Array(20_000).fill(7) },
		]);
		await expect(
			new DocumentStore(root).put(chunked(zip, 1000)),
		).rejects.toBeInstanceOf(UnsupportedDocumentTypeError);
		expect(await filesUnder(root)).toEqual([]);
	});

	it("R-CRT-7 enforces the size limit, stops reading, leaves no temp file", async () => {
		const store = new DocumentStore(root, 10_000);
		const pulled = { count: 0 };
		const error = await store
			.put(chunked(bigPdf(100_000), 1000, pulled))
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DocumentTooLargeError);
		expect(error).toBeInstanceOf(DocumentError);
		expect((error as DocumentError).code).toBe("payload_too_large");
		expect(pulled.count).toBe(11);
		expect(await filesUnder(root)).toEqual([]);

		// Exactly at the limit is fine.
		const atLimit = await store.put(chunked(bigPdf(10_000), 999));
		expect(atLimit.size).toBe(10_000);
	});

	it("R-CRT-7 refuses unsupported types with the allowed list and leaves nothing behind", async () => {
		const store = new DocumentStore(root);
		for (const make of [
			sampleExe,
			sampleText,
			sampleHtml,
			sampleSvg,
			sampleGif,
			sampleZip,
		]) {
			const error = await store
				.put(chunked(make(), 100))
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(UnsupportedDocumentTypeError);
			expect((error as DocumentError).code).toBe("unsupported_media_type");
			expect((error as Error).message).toContain("application/pdf");
			expect((error as Error).message).toContain("message/rfc822");
		}
		// An executable is refused as soon as the head is in, without reading the rest.
		const exe = new Uint8Array(50_000);
		exe.set(sampleExe(), 0);
		const pulled = { count: 0 };
		await expect(store.put(chunked(exe, 1000, pulled))).rejects.toBeInstanceOf(
			UnsupportedDocumentTypeError,
		);
		expect(pulled.count).toBe(5);
		// An empty file is told as such, not as a file of the wrong type.
		const empty = await store
			.put(chunked(new Uint8Array(0), 1))
			.catch((e: unknown) => e);
		expect(empty).toBeInstanceOf(EmptyDocumentError);
		expect((empty as DocumentError).code).toBe("validation_failed");
		expect((empty as Error).message).toMatch(/empty \(0 bytes\)/);
		expect(await filesUnder(root)).toEqual([]);
	});

	it("R-CRT-7 removes the temp file when the upload stream fails", async () => {
		const failing = (async function* () {
			yield samplePdf();
			throw new Error("connection reset");
		})();
		await expect(new DocumentStore(root).put(failing)).rejects.toThrow(
			"connection reset",
		);
		expect(await filesUnder(root)).toEqual([]);
	});

	it("R-CRT-7 open() of an unknown or malformed hash throws DocumentNotFoundError", async () => {
		const store = new DocumentStore(root);
		await store.put(chunked(samplePng(), 10));
		for (const bad of [
			"0".repeat(64),
			"../../etc/passwd",
			"abc",
			"g".repeat(64),
			`${"a".repeat(64)}/..`,
			"",
		]) {
			expect(() => store.open(bad)).toThrow(DocumentNotFoundError);
			expect(await store.has(bad)).toBe(false);
		}
		expect(() => store.path("../x")).toThrow(DocumentNotFoundError);
	});
});
