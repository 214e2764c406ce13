/**
 * Renders a minimal, valid one-page PDF with lines of Helvetica text. Used for the
 * demo's PoE documents and the downloadable PoE template; no dependencies.
 */

/** Returns the bytes of a one-page PDF showing `lines` (Latin-1 text) top to bottom. */
export function renderSimplePdf(lines: string[]): Uint8Array {
	const esc = (t: string) => t.replace(/[\\()]/g, (c) => `\\${c}`);
	const content = `BT /F1 12 Tf 72 720 Td 16 TL\n${lines.map((l) => `(${esc(l)}) '`).join("\n")}\nET\n`;
	const objects = [
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		`<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}endstream`,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	];
	let pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(pdf, "latin1"));
		pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xrefOffset = Buffer.byteLength(pdf, "latin1");
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets)
		pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
	return new Uint8Array(Buffer.from(pdf, "latin1"));
}
