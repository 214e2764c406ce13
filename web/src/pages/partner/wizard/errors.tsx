/**
 * The wizard's error texts: each API error code (docs/api.md, SPEC sections 3 and 7) as a
 * human message in the UI language, falling back to the API's own message.
 */
import {
	Button,
	MessageBar,
	MessageBarActions,
	MessageBarBody,
	MessageBarTitle,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { ApiError, type FieldProblem } from "../../../api/client.ts";

/** `(code, fallback) → message` in the UI language. */
export function useErrorText() {
	const { t } = useTranslation("wizard");
	return (code: string, fallback: string) =>
		t(`errors.${code}`, { defaultValue: fallback });
}

/** The label of an API field path (`contacts.customer.email` → "Customer contact: email"). */
export function useFieldLabel() {
	const { t } = useTranslation("wizard");
	return (path: string) => {
		const key = path.replace(/\[\d+\]/g, "");
		return t(`fieldNames.${key}`, { defaultValue: path });
	};
}

/** The text of an unknown error: the API's code as a human message, or the error's message. */
export function useAnyErrorText() {
	const text = useErrorText();
	const { t } = useTranslation("wizard");
	return (error: unknown) => {
		if (error instanceof ApiError) {
			if (error.status === 0) return t("errors.network");
			return text(error.code, error.message);
		}
		return error instanceof Error ? error.message : String(error);
	};
}

/**
 * An API error as an alert: the human message, the field problems not shown next to a
 * field (`unplaced`), and for `version_conflict` a way to reload the draft.
 */
export function ApiErrorBar({
	error,
	unplaced = [],
	onReload,
}: {
	error: unknown;
	unplaced?: FieldProblem[];
	onReload?: () => void;
}) {
	const { t } = useTranslation("wizard");
	const message = useAnyErrorText();
	const text = useErrorText();
	const conflict =
		error instanceof ApiError && error.code === "version_conflict";
	return (
		<MessageBar intent="error" role="alert" data-testid="wizard-error">
			<MessageBarBody>
				<MessageBarTitle>{t("errors.title")}</MessageBarTitle>
				{message(error)}
				{unplaced.length > 0 && (
					<ul>
						{unplaced.map((p) => (
							<li key={`${p.path}-${p.code}`}>{text(p.code, p.message)}</li>
						))}
					</ul>
				)}
			</MessageBarBody>
			{conflict && onReload && (
				<MessageBarActions>
					<Button onClick={onReload}>{t("reloadDraft")}</Button>
				</MessageBarActions>
			)}
		</MessageBar>
	);
}
