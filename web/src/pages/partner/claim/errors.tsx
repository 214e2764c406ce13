/**
 * An action's error as the API gave it (problem+json): a title for the code in the user's
 * language, the API's detail, and each field problem (missing fields named in the user's
 * language when the field is known).
 */
import {
	Button,
	MessageBar,
	MessageBarActions,
	MessageBarBody,
	MessageBarTitle,
} from "@fluentui/react-components";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../../api/client.ts";

/** Codes with their own title (others get a generic one). */
const TITLED = new Set([
	"version_conflict",
	"claim_incomplete",
	"poe_required",
	"mpn_not_enrolled",
	"mpn_not_in_organization",
	"domain_tenant_mismatch",
	"activity_not_allowed",
	"invalid_transition",
	"claim_not_editable",
	"dispute_window_closed",
	"dispute_not_allowed",
	"dispute_already_open",
	"validation_failed",
	"payload_too_large",
	"unsupported_media_type",
	"subscription_already_claimed",
	"workload_already_claimed",
	"not_found",
	"forbidden",
	"rate_limited",
	"conflict_retry",
]);

/** `products[0].subscriptionId` → `products_subscriptionId` (the key of claim:field.*). */
export function fieldKey(path: string): string {
	return path.replace(/\[\d+\]/g, "").replace(/\./g, "_");
}

/** A field's name in the user's language, or null when it is not one we know. */
export function fieldLabel(t: TFunction, path: string): string | null {
	const key = `claim:field.${fieldKey(path)}`;
	const label = t(key, { defaultValue: "" });
	if (!label) return null;
	const index = /\[(\d+)\]/.exec(path);
	return index ? `${label} (${Number(index[1]) + 1})` : label;
}

export function ActionError({
	error,
	onDismiss,
}: {
	error: unknown;
	onDismiss?: () => void;
}) {
	const { t } = useTranslation("claim");
	if (!error) return null;
	const api = error instanceof ApiError ? error : null;
	const code = api?.code ?? "error";
	const title = TITLED.has(code) ? t(`error.${code}`) : t("error.generic");
	// A code with words of its own in the user's language (error.<code>_text) says them;
	// its own field problem, in the API's English, is then not repeated below.
	const localized = t(`error.${code}_text`, { defaultValue: "" });
	const detail =
		localized || (error instanceof Error ? error.message : String(error));
	const fields = (api?.errors ?? []).filter(
		(e) => !(localized && e.code === code),
	);
	return (
		<MessageBar
			intent={code === "version_conflict" ? "warning" : "error"}
			role="alert"
			layout="multiline"
			data-testid="action-error"
			data-code={code}
		>
			<MessageBarBody>
				<MessageBarTitle>{title}</MessageBarTitle>
				{detail}
				{fields.length > 0 && (
					<ul data-testid="action-error-fields">
						{fields.map((e) => {
							const label = fieldLabel(t, e.path);
							return (
								<li key={`${e.path}-${e.code}`} data-path={e.path}>
									{e.code === "required" && e.path === "products"
										? t("edit.productRequired")
										: e.code === "required" && label
											? t("error.missingField", { field: label })
											: label
												? `${label}: ${e.message}`
												: e.message}
								</li>
							);
						})}
					</ul>
				)}
			</MessageBarBody>
			{onDismiss && (
				<MessageBarActions>
					<Button appearance="transparent" onClick={onDismiss}>
						{t("common:close")}
					</Button>
				</MessageBarActions>
			)}
		</MessageBar>
	);
}
