import { renderSimplePdf } from "../../src/documents/simple-pdf.ts";
/**
 * Small, real sample files built in memory for PoE document tests (R-CRT-7).
 * Each builder returns fresh bytes, so tests may mutate them freely.
 */
import { crc32 } from "node:zlib";

const encoder = new TextEncoder();

function concat(parts: readonly Uint8Array[]): Uint8Array {
	const total = parts.reduce((sum, part) => sum + part.length, 0);
	const out = new Uint8Array(total);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/** A minimal valid one-page PDF showing `text`. */
export function samplePdf(text = "CPOR proof of execution"): Uint8Array {
	return renderSimplePdf([text]);
}

/** A valid 1x1 RGBA PNG (IHDR, IDAT, IEND with correct CRCs). */
export function samplePng(): Uint8Array {
	return new Uint8Array(
		Buffer.from(
			"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
			"base64",
		),
	);
}

/**
 * A valid baseline 1x1 greyscale JPEG: one 8x8 block whose DC difference and AC
 * coefficients are all zero, coded with single-symbol Huffman tables.
 */
export function sampleJpeg(): Uint8Array {
	const dqt = [0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1)];
	const sof0 = [
		0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11,
		0x00,
	];
	const dht = (tableClass: number) => [
		0xff,
		0xc4,
		0x00,
		0x14,
		tableClass << 4,
		0x01,
		...new Array<number>(15).fill(0),
		0x00,
	];
	const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
	// Bits "0" (DC category 0) + "0" (AC end of block), padded with 1-bits.
	const scan = [0x3f];
	return new Uint8Array([
		0xff,
		0xd8,
		...dqt,
		...sof0,
		...dht(0),
		...dht(1),
		...sos,
		...scan,
		0xff,
		0xd9,
	]);
}

export interface ZipEntry {
	name: string;
	data: string | Uint8Array;
}

/** Builds a STORED (uncompressed) zip with local headers, CRC-32s and a central directory. */
export function storedZip(entries: readonly ZipEntry[]): Uint8Array {
	const locals: Uint8Array[] = [];
	const centrals: Uint8Array[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = encoder.encode(entry.name);
		const data =
			typeof entry.data === "string" ? encoder.encode(entry.data) : entry.data;
		const crc = crc32(data) >>> 0;

		const local = new Uint8Array(30 + name.length);
		const lv = new DataView(local.buffer);
		lv.setUint32(0, 0x04034b50, true);
		lv.setUint16(4, 20, true); // version needed
		lv.setUint16(6, 0x0800, true); // flags: UTF-8 names
		lv.setUint16(8, 0, true); // method: stored
		lv.setUint16(10, 0, true); // time
		lv.setUint16(12, 0x21, true); // date: 1980-01-01
		lv.setUint32(14, crc, true);
		lv.setUint32(18, data.length, true);
		lv.setUint32(22, data.length, true);
		lv.setUint16(26, name.length, true);
		lv.setUint16(28, 0, true);
		local.set(name, 30);

		const central = new Uint8Array(46 + name.length);
		const cv = new DataView(central.buffer);
		cv.setUint32(0, 0x02014b50, true);
		cv.setUint16(4, 20, true); // version made by
		cv.setUint16(6, 20, true); // version needed
		cv.setUint16(8, 0x0800, true);
		cv.setUint16(10, 0, true);
		cv.setUint16(12, 0, true);
		cv.setUint16(14, 0x21, true);
		cv.setUint32(16, crc, true);
		cv.setUint32(20, data.length, true);
		cv.setUint32(24, data.length, true);
		cv.setUint16(28, name.length, true);
		// extra length, comment length, disk start, internal attrs, external attrs: 0
		cv.setUint32(42, offset, true);
		central.set(name, 46);

		locals.push(local, data);
		centrals.push(central);
		offset += local.length + data.length;
	}
	const centralSize = centrals.reduce((sum, c) => sum + c.length, 0);
	const eocd = new Uint8Array(22);
	const ev = new DataView(eocd.buffer);
	ev.setUint32(0, 0x06054b50, true);
	ev.setUint16(8, entries.length, true);
	ev.setUint16(10, entries.length, true);
	ev.setUint32(12, centralSize, true);
	ev.setUint32(16, offset, true);
	return concat([...locals, ...centrals, eocd]);
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(partName: string, mainContentType: string): string {
	return (
		`${XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
		'<Default Extension="xml" ContentType="application/xml"/>' +
		`<Override PartName="/${partName}" ContentType="${mainContentType}"/>` +
		"</Types>"
	);
}

function rootRels(partName: string): string {
	return (
		`${XML_HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${partName}"/>` +
		"</Relationships>"
	);
}

function ooxml(
	partName: string,
	mainContentType: string,
	part: string,
): Uint8Array {
	return storedZip([
		{
			name: "[Content_Types].xml",
			data: contentTypes(partName, mainContentType),
		},
		{ name: "_rels/.rels", data: rootRels(partName) },
		{ name: partName, data: part },
	]);
}

/** A minimal Word document: [Content_Types].xml, _rels/.rels, word/document.xml. */
export function sampleDocx(): Uint8Array {
	return ooxml(
		"word/document.xml",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
		`${XML_HEADER}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Signed statement of work</w:t></w:r></w:p></w:body></w:document>`,
	);
}

/** A minimal Excel workbook: [Content_Types].xml, _rels/.rels, xl/workbook.xml. */
export function sampleXlsx(): Uint8Array {
	return ooxml(
		"xl/workbook.xml",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
		`${XML_HEADER}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`,
	);
}

/** A minimal PowerPoint deck: [Content_Types].xml, _rels/.rels, ppt/presentation.xml. */
export function samplePptx(): Uint8Array {
	return ooxml(
		"ppt/presentation.xml",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
		`${XML_HEADER}<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`,
	);
}

/** A plain zip that is not an OOXML package. */
export function sampleZip(): Uint8Array {
	return storedZip([
		{ name: "readme.txt", data: "just a zip\n" },
		{ name: "data/values.csv", data: "a,b\n1,2\n" },
	]);
}

/** An RFC 822 e-mail with the usual headers. */
export function sampleEml(): Uint8Array {
	return encoder.encode(
		[
			"Return-Path: <partner@example.com>",
			"Received: from mail.example.com (mail.example.com [192.0.2.1])",
			"\tby mx.example.org; Tue, 3 Mar 2026 10:00:00 +0000",
			"From: Partner <partner@example.com>",
			"To: Customer <it@customer.example>",
			"Subject: Deployment completed",
			"Date: Tue, 3 Mar 2026 10:00:00 +0000",
			"Message-ID: <poe-1@example.com>",
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=utf-8",
			"",
			"The deployment was completed today.",
			"",
		].join("\r\n"),
	);
}

/** An OLE compound file (as Outlook .msg uses): CFB magic, header fields, padded to 4100 bytes. */
export function sampleMsg(): Uint8Array {
	const bytes = new Uint8Array(4100);
	bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
	const view = new DataView(bytes.buffer);
	view.setUint16(0x18, 0x003e, true); // minor version
	view.setUint16(0x1a, 0x0003, true); // major version 3
	view.setUint16(0x1c, 0xfffe, true); // byte order: little endian
	view.setUint16(0x1e, 0x0009, true); // sector shift: 512 bytes
	view.setUint16(0x20, 0x0006, true); // mini sector shift: 64 bytes
	return bytes;
}

/** A DOS/PE executable header ("MZ"). */
export function sampleExe(): Uint8Array {
	const bytes = new Uint8Array(512);
	bytes.set(encoder.encode("MZ"), 0);
	new DataView(bytes.buffer).setUint32(0x3c, 0x80, true); // e_lfanew
	bytes.set(encoder.encode("This program cannot be run in DOS mode."), 0x4e);
	bytes.set(encoder.encode("PE\0\0"), 0x80);
	return bytes;
}

/** Plain text that is not an e-mail. */
export function sampleText(): Uint8Array {
	return encoder.encode(
		"Meeting notes\nFrom: the kickoff we agreed on the plan.\nNothing else.\n",
	);
}

/** An HTML page. */
export function sampleHtml(): Uint8Array {
	return encoder.encode(
		"<!doctype html><html><head><title>PoE</title></head><body>Hi</body></html>\n",
	);
}

/** An SVG image (XML; not on the allow-list). */
export function sampleSvg(): Uint8Array {
	return encoder.encode(
		'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>\n',
	);
}

/** A 1x1 GIF89a (not on the allow-list). */
export function sampleGif(): Uint8Array {
	return new Uint8Array(
		Buffer.from(
			"R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==",
			"base64",
		),
	);
}
