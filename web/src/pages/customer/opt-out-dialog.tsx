/** The opt-out confirmation (R-CON-2): what opting out does, an optional message, confirm. */
import {
	Body1,
	Button,
	Dialog,
	DialogActions,
	DialogBody,
	DialogContent,
	DialogSurface,
	DialogTitle,
	Field,
	makeStyles,
	Spinner,
	Textarea,
	tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "../../components/states.tsx";
import { formatDateTime } from "../../format.ts";
import { type CustomerAssociation, useOptOut } from "./api.ts";

const useStyles = makeStyles({
	content: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

export function OptOutDialog({
	association: a,
	onClose,
	onDone,
}: {
	association: CustomerAssociation;
	onClose: () => void;
	onDone: () => void;
}) {
	const { t } = useTranslation("customer");
	const styles = useStyles();
	const optOut = useOptOut();
	const [comment, setComment] = useState("");
	const products = a.products.map((p) => p.name).join(", ");
	return (
		<Dialog
			open
			modalType="alert"
			onOpenChange={(_, d) => {
				if (!d.open && !optOut.isPending) onClose();
			}}
		>
			<DialogSurface aria-describedby="opt-out-consequences">
				<form
					onSubmit={(e) => {
						e.preventDefault();
						optOut.mutate(
							{ claimId: a.claimId, comment },
							{ onSuccess: onDone },
						);
					}}
				>
					<DialogBody>
						<DialogTitle>
							{t("dialog.title", { partner: a.partnerName })}
						</DialogTitle>
						<DialogContent className={styles.content}>
							<div id="opt-out-consequences">
								<Body1 as="p" block>
									{t("dialog.intro", {
										date: formatDateTime(
											a.consentEndsAt ?? a.association?.consentEndsAt,
										),
									})}
								</Body1>
								<ul className={styles.list}>
									<li>
										{t("dialog.noPartnerOfRecord", {
											partner: a.partnerName,
											products,
										})}
									</li>
									<li>{t("dialog.noData", { partner: a.partnerName })}</li>
									<li>{t("dialog.rejected")}</li>
									<li>{t("dialog.final")}</li>
								</ul>
							</div>
							<Field label={t("dialog.comment")} hint={t("dialog.commentHint")}>
								<Textarea
									value={comment}
									maxLength={2000}
									resize="vertical"
									onChange={(_, d) => setComment(d.value)}
								/>
							</Field>
							{optOut.isError && <ErrorMessage error={optOut.error} />}
						</DialogContent>
						<DialogActions fluid>
							<Button
								appearance="secondary"
								onClick={onClose}
								disabled={optOut.isPending}
							>
								{t("dialog.keep")}
							</Button>
							<Button
								appearance="primary"
								type="submit"
								disabled={optOut.isPending}
								icon={optOut.isPending ? <Spinner size="tiny" /> : undefined}
							>
								{t("optOut")}
							</Button>
						</DialogActions>
					</DialogBody>
				</form>
			</DialogSurface>
		</Dialog>
	);
}
