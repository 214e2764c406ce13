/**
 * A comment's text in the reader's language: a comment CPOR wrote (its `template`: a
 * decision, an information request, a dispute, an activation, arbitration) is worded
 * from the data in the UI's language, with instants in the reader's zone; a person's
 * comment, and one written before templates were kept, shows its `body` as written.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Comment, CommentTemplate, CommentText } from "../api/types.ts";
import { formatDateTime } from "../format.ts";

/** A template (or part) this version of the app cannot word. */
class UnknownTemplate extends Error {}

/** CPOR's words where a person gave none, or the person's own. */
function textOf(t: TFunction, text: CommentText): string {
	if (typeof text === "string") return text;
	switch (text.key) {
		case "no_partner_response":
			return t("generated.noPartnerResponse", { at: formatDateTime(text.due) });
		case "arbitration_lost":
			return t("generated.arbitrationLost");
		case "customer_opted_out":
			return t("generated.customerOptedOut");
		case "rejection_requested":
			return t("generated.rejectionRequested");
		default:
			// A kind this app does not know yet: the comment shows its English body.
			throw new UnknownTemplate();
	}
}

/** The paragraphs of a template in the UI's language (`t` with common and claim loaded). */
export function templateText(t: TFunction, c: CommentTemplate): string {
	const at = (iso: string) => formatDateTime(iso);
	const parts: string[] = [];
	switch (c.key) {
		case "approved":
			parts.push(
				t("generated.approved"),
				[c.disputeAccepted ? t("generated.disputeAccepted") : "", c.text ?? ""]
					.filter(Boolean)
					.join(" "),
				t("generated.consentUntil", { at: at(c.consentEndsAt) }),
			);
			break;
		case "information_requested":
			parts.push(
				`${t(
					c.dispute
						? "generated.disputeInformationRequested"
						: "generated.informationRequested",
					{ at: at(c.respondBy) },
				)}\n${c.reasons
					.map((r) => `- ${t(`claim:reason.${r}`, { defaultValue: r })}`)
					.join("\n")}`,
				c.text,
			);
			break;
		case "rejected":
			parts.push(
				t("generated.rejected", {
					reason: t(`claim:reason.${c.reason}`, { defaultValue: c.reason }),
				}),
				textOf(t, c.text),
				c.disputeUntil
					? t("generated.disputeUntil", { at: at(c.disputeUntil) })
					: "",
			);
			break;
		case "dispute_filed":
			parts.push(
				t("generated.disputeFiled"),
				c.text ?? "",
				c.documents ? t("generated.updatedPoe", { count: c.documents }) : "",
			);
			break;
		case "dispute_upheld":
			parts.push(t("generated.disputeUpheld"), c.text);
			break;
		case "rejection_requested":
			parts.push(t("generated.rejectionRequested"));
			break;
		case "activated":
			parts.push(
				t("generated.activated", {
					list: c.eligibility
						.map(
							(e) =>
								`${t(`program.${e.program}`, { defaultValue: e.program })}: ${t(`eligibility.${e.result}`)}`,
						)
						.join(", "),
				}),
			);
			break;
		case "arbitration":
			parts.push(t("generated.arbitration"));
			break;
		default:
			throw new UnknownTemplate();
	}
	return parts.filter(Boolean).join("\n\n");
}

/** `word()`, or `asWritten` when it is empty or of a kind this app cannot word. */
function wordedOr(asWritten: string, word: () => string): string {
	try {
		return word() || asWritten;
	} catch (err) {
		if (err instanceof UnknownTemplate) return asWritten;
		throw err;
	}
}

/**
 * A rejection's comment as its reader reads it: CPOR's words (`generated`) in the UI's
 * language, else the comment as written.
 */
export function useRejectionComment(): (rejection: {
	comment: string;
	generated?: Exclude<CommentText, string>;
}) => string {
	const { t } = useTranslation(["common", "claim"]);
	return ({ comment, generated }) =>
		generated ? wordedOr(comment, () => textOf(t, generated)) : comment;
}

/**
 * The text of comment `c` as its reader reads it (see the module's comment); a template
 * of a kind this app does not know shows the English `body`.
 */
export function useCommentText(): (c: Comment) => string {
	const { t } = useTranslation(["common", "claim"]);
	return ({ body, template }) =>
		template ? wordedOr(body, () => templateText(t, template)) : body;
}
