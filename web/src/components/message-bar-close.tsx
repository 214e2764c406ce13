/** The close button of a dismissable message bar (a notice after an action). */
import { Button, MessageBarActions } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";

/** Put inside a `MessageBar`, after its body: the "×" in its corner, named "Close". */
export function MessageBarClose({ onClose }: { onClose: () => void }) {
	const { t } = useTranslation();
	return (
		<MessageBarActions
			containerAction={
				<Button
					appearance="transparent"
					aria-label={t("close")}
					icon={<DismissRegular />}
					onClick={onClose}
				/>
			}
		/>
	);
}
