/**
 * The small public HTML pages behind the consent notice's link (R-CON-1, R-CON-2):
 * what the customer is opting out of, the confirmation, and clear pages for a bad,
 * expired or used link. Every value is escaped.
 */
import { formatInstant, type Locale } from "./i18n.ts";
import { type Block, escapeHtml, renderBlocksHtml } from "./render.ts";
import { TEXTS } from "./texts.ts";

/** What the pages show about the association. */
export interface AssociationFacts {
	partnerName: string;
	customerName: string;
	products: string[];
	consentEndsAt: string | null;
}

/** Which page to show. */
export type PageKind =
	| "confirm"
	| "done"
	| "already"
	| "invalid"
	| "expired"
	| "closed";

/** Security headers of the pages: nothing loads, nothing frames, no referrer leaks the token. */
export const PAGE_HEADERS: Record<string, string> = {
	"content-type": "text/html; charset=utf-8",
	"cache-control": "no-store",
	"referrer-policy": "no-referrer",
	"x-content-type-options": "nosniff",
	"x-frame-options": "DENY",
	"content-security-policy":
		"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const STYLE = `body{margin:0;padding:24px;background:#f5f5f5;font-family:'Segoe UI',Arial,sans-serif;font-size:16px;line-height:1.5;color:#242424}
main{max-width:640px;margin:0 auto;background:#fff;padding:24px 28px;border-radius:6px}
h1{font-size:24px;margin:0 0 16px}
button{background:#c50f1f;color:#fff;border:0;border-radius:4px;padding:10px 18px;font-size:16px;font-weight:600;cursor:pointer}
button:focus{outline:3px solid #0f6cbd;outline-offset:2px}`;

/** Renders one page in the locale. `token` is needed for the confirm page's form. */
export function renderConsentPage(
	kind: PageKind,
	opts: {
		locale: Locale;
		timeZone: string;
		facts?: AssociationFacts | null;
		token?: string;
	},
): string {
	const t = TEXTS[opts.locale];
	const p = t.page;
	const f = opts.facts ?? null;
	const ends = f?.consentEndsAt
		? formatInstant(f.consentEndsAt, opts.locale, opts.timeZone)
		: "";
	// After an opt-out the partner sees nothing and the window no longer matters: those
	// two rows are left out.
	const factsBlock = (optedOut = false): Block[] =>
		f
			? [
					{
						kind: "facts",
						rows: [
							[t.label.partner, f.partnerName],
							[t.label.customer, f.customerName],
							[t.label.products, f.products.join(", ")],
							...(optedOut
								? []
								: ([
										[t.label.dataShared, t.dataSharedShort],
										...(ends ? [[t.label.consentEnds, ends]] : []),
									] as [string, string][])),
						],
					},
				]
			: [];
	let title: string;
	let blocks: Block[];
	let form = "";
	switch (kind) {
		case "confirm":
			title = p.title;
			blocks = [
				{
					kind: "p",
					text: p.intro(f?.partnerName ?? "", f?.customerName ?? ""),
				},
				...factsBlock(),
				...(f
					? [{ kind: "p", text: t.consentNotice.data(f.partnerName) } as Block]
					: []),
				{ kind: "p", text: p.agree },
			];
			form = `<form method="post" action="opt-out"><input type="hidden" name="token" value="${escapeHtml(opts.token ?? "")}"><button type="submit">${escapeHtml(p.button)}</button></form>`;
			break;
		case "done":
		case "already":
			title = kind === "done" ? p.doneTitle : p.alreadyTitle;
			blocks = [
				{ kind: "p", text: p.doneBody(f?.partnerName ?? "") },
				...factsBlock(true),
			];
			break;
		case "invalid":
			title = p.invalidTitle;
			blocks = [
				{ kind: "p", text: p.invalidBody },
				{ kind: "note", text: p.signInHint },
			];
			break;
		case "expired":
			title = p.expiredTitle;
			blocks = [
				{ kind: "p", text: p.expiredBody(ends || "—") },
				...factsBlock(),
				{ kind: "note", text: p.signInHint },
			];
			break;
		case "closed":
			title = p.closedTitle;
			blocks = [
				{ kind: "p", text: p.closedBody },
				...factsBlock(),
				{ kind: "note", text: p.signInHint },
			];
			break;
	}
	return `<!doctype html>
<html lang="${opts.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · CPOR</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${renderBlocksHtml(blocks)}
${form}
</main></body>
</html>
`;
}
