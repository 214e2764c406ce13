/**
 * Messages as structured blocks, rendered to plain text and to HTML from the same
 * source. Every value is escaped in HTML; links are only ever http(s).
 */

/** One block of a message body. */
export type Block =
	| { kind: "p"; text: string }
	| { kind: "list"; items: string[] }
	| { kind: "facts"; rows: [label: string, value: string][] }
	| { kind: "button"; label: string; url: string }
	| { kind: "note"; text: string };

/** A message before rendering. */
export interface Message {
	subject: string;
	blocks: Block[];
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
	return s
		.replace(/&/g, "&amp;")
		.replace(/</g, "&lt;")
		.replace(/>/g, "&gt;")
		.replace(/"/g, "&quot;")
		.replace(/'/g, "&#39;");
}

/** The URL if it is http(s), else "#" (never a `javascript:` or data URL). */
export function safeUrl(url: string): string {
	try {
		const u = new URL(url);
		return u.protocol === "http:" || u.protocol === "https:"
			? u.toString()
			: "#";
	} catch {
		return "#";
	}
}

/** Plain-text rendering (the text/plain part). */
export function renderText(m: Message, footer: string): string {
	const out: string[] = [];
	for (const b of m.blocks) {
		switch (b.kind) {
			case "p":
			case "note":
				out.push(b.text);
				break;
			case "list":
				out.push(b.items.map((i) => `- ${i}`).join("\n"));
				break;
			case "facts":
				out.push(b.rows.map(([k, v]) => `${k}: ${v}`).join("\n"));
				break;
			case "button":
				out.push(`${b.label}:\n${safeUrl(b.url)}`);
				break;
		}
	}
	out.push(`-- \n${footer}`);
	return `${out.join("\n\n")}\n`;
}

/**
 * Long words (a pasted link, an ID) break anywhere rather than run past the message's
 * 640 px box: `anywhere` also lets a table cell shrink to fit.
 */
const WRAP = "overflow-wrap:anywhere;word-break:break-word";

const paragraphs = (s: string) => escapeHtml(s).replace(/\r?\n/g, "<br>\n");

/** The HTML body of blocks (no document wrapper). */
export function renderBlocksHtml(blocks: Block[]): string {
	return blocks
		.map((b) => {
			switch (b.kind) {
				case "p":
					return `<p style="margin:0 0 16px;${WRAP}">${paragraphs(b.text)}</p>`;
				case "note":
					return `<p style="margin:0 0 16px;color:#555;font-size:13px;${WRAP}">${paragraphs(b.text)}</p>`;
				case "list":
					return `<ul style="margin:0 0 16px;padding-left:24px">${b.items
						.map((i) => `<li style="${WRAP}">${escapeHtml(i)}</li>`)
						.join("")}</ul>`;
				case "facts":
					return `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${b.rows
						.map(
							([k, v]) =>
								`<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:600">${escapeHtml(k)}</th><td style="padding:4px 0;${WRAP}">${paragraphs(v)}</td></tr>`,
						)
						.join("")}</table>`;
				case "button":
					return `<p style="margin:0 0 16px"><a href="${escapeHtml(safeUrl(b.url))}" style="display:inline-block;background:#0f6cbd;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:4px;font-weight:600">${escapeHtml(b.label)}</a></p><p style="margin:0 0 16px;font-size:12px;color:#555;word-break:break-all">${escapeHtml(safeUrl(b.url))}</p>`;
			}
			return "";
		})
		.join("\n");
}

/** A whole HTML email. */
export function renderHtml(m: Message, lang: string, footer: string): string {
	return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(m.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f5;font-family:'Segoe UI',Arial,sans-serif;font-size:15px;line-height:1.5;color:#242424">
<div style="max-width:640px;margin:0 auto;background:#ffffff;padding:24px;border-radius:6px">
${renderBlocksHtml(m.blocks)}
<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px">
<p style="margin:0;color:#616161;font-size:12px">${escapeHtml(footer)}</p>
</div>
</body>
</html>
`;
}
