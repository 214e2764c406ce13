/**
 * The partner's actions on a claim, only those its status and the user's roles allow
 * (SPEC section 4, R-ROL-1): Edit, Submit, Delete draft, Resubmit (with an answer),
 * Request rejection (admins, with a confirmation) and Dispute (with a justification).
 * Every action sends the version read (If-Match); errors are shown as the API gave them.
 */

import {
	Button,
	Dialog,
	DialogActions,
	DialogBody,
	DialogContent,
	DialogSurface,
	DialogTitle,
	Field,
	MessageBar,
	MessageBarBody,
	makeStyles,
	Text,
	Textarea,
	tokens,
} from "@fluentui/react-components";
import {
	ArrowReset20Regular,
	Delete20Regular,
	Edit20Regular,
	Flag20Regular,
	Send20Regular,
	Warning20Regular,
} from "@fluentui/react-icons";
import {
	type FormEvent,
	type JSX,
	type ReactNode,
	useEffect,
	useRef,
	useState,
} from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import {
	useClaimAction,
	useDeleteClaim,
	useInvalidateClaim,
} from "../../../api/claims.ts";
import { ApiError } from "../../../api/client.ts";
import type { Claim, Me } from "../../../api/types.ts";
import {
	COMMENT_MAX_LENGTH,
	lengthHint,
} from "../../../components/length-hint.ts";
import { listAddress } from "../../../components/list-address.ts";
import { usePolicyText } from "../../../components/policy.ts";
import { useReturnFocus } from "../../../components/return-focus.ts";
import { formatDateTime } from "../../../format.ts";
import { EditClaimDialog } from "./edit-dialog.tsx";
import { ActionError } from "./errors.tsx";
import {
	canDispute,
	canEdit,
	canRequestRejection,
	canResubmit,
	canWithdraw,
	canWrite,
} from "./model.ts";

const useStyles = makeStyles({
	bar: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
	},
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		"& > *": { flexShrink: 0 },
	},
});

/** A confirmation / input dialog around one action. */
function ActionDialog({
	open,
	onOpenChange,
	title,
	children,
	confirm,
	confirmIcon,
	danger,
	pending,
	error,
	onConfirm,
}: {
	open: boolean;
	onOpenChange: (open: boolean) => void;
	title: string;
	children: ReactNode;
	confirm: string;
	confirmIcon?: JSX.Element;
	danger?: boolean;
	pending: boolean;
	error: unknown;
	onConfirm: () => void;
}) {
	const { t } = useTranslation("claim");
	const styles = useStyles();
	// One request at a time: a double click submits twice before the button renders
	// busy (and the busy button stays focusable). Taken on submit; freed by any render
	// without a request running (after it settled, or when the form refused the input).
	const sent = useRef(false);
	useEffect(() => {
		if (!pending) sent.current = false;
	});
	const onSubmit = (e: FormEvent) => {
		e.preventDefault();
		if (pending || sent.current) return;
		sent.current = true;
		onConfirm();
	};
	return (
		<Dialog open={open} onOpenChange={(_, d) => onOpenChange(d.open)}>
			<DialogSurface>
				<form onSubmit={onSubmit} noValidate>
					<DialogBody>
						<DialogTitle>{title}</DialogTitle>
						<DialogContent className={styles.form}>
							{children}
							{!!error && <ActionError error={error} />}
						</DialogContent>
						<DialogActions>
							<Button
								type="submit"
								appearance="primary"
								icon={confirmIcon}
								disabledFocusable={pending}
								style={
									danger
										? {
												backgroundColor: tokens.colorStatusDangerBackground3,
												color: tokens.colorNeutralForegroundOnBrand,
											}
										: undefined
								}
							>
								{confirm}
							</Button>
							<Button onClick={() => onOpenChange(false)}>
								{t("common:cancel")}
							</Button>
						</DialogActions>
					</DialogBody>
				</form>
			</DialogSurface>
		</Dialog>
	);
}

type DialogName =
	| "edit"
	| "resubmit"
	| "withdraw"
	| "dispute"
	| "delete"
	| null;

/**
 * The action buttons and their dialogs. `onDone` gets a success message for the page;
 * `onError` an error of an action without a dialog (Submit).
 */
export function ClaimActions({
	claim,
	me,
	onDone,
	onError,
}: {
	claim: Claim;
	me: Me | null | undefined;
	onDone: (message: string) => void;
	onError: (error: unknown) => void;
}) {
	const { t } = useTranslation("claim");
	const { policy, within } = usePolicyText();
	const styles = useStyles();
	const navigate = useNavigate();
	const invalidate = useInvalidateClaim();
	const [dialog, setDialog] = useState<DialogName>(null);
	const [text, setText] = useState("");
	/** Resubmit was confirmed without an answer (R-REV-3: the partner answers). */
	const [answerMissing, setAnswerMissing] = useState(false);
	const submit = useClaimAction("submit");
	const resubmit = useClaimAction("resubmit");
	const withdraw = useClaimAction("withdraw");
	const dispute = useClaimAction("dispute");
	// R-DSP-1: a dispute needs a justification or updated PoE. Without new PoE an empty
	// justification is told at the field before anything is sent; the server's refusal
	// (new PoE counted differently) is told there too, once.
	const [justificationEmpty, setJustificationEmpty] = useState(false);
	const refusedForJustification =
		dispute.error instanceof ApiError &&
		dispute.error.errors.some((p) => p.path === "justification");
	const justificationMissing = justificationEmpty || refusedForJustification;
	const justification = useRef<HTMLTextAreaElement>(null);
	useEffect(() => {
		if (refusedForJustification) justification.current?.focus();
	}, [refusedForJustification]);
	const remove = useDeleteClaim();

	const writer = canWrite(me);
	const admin = canWithdraw(me);
	const status = claim.status;
	const disputable = canDispute(claim);
	const newPoe = claim.rejection
		? claim.documents.filter(
				(d) =>
					d.purpose === "dispute" &&
					Date.parse(d.uploadedAt) >=
						Date.parse(claim.rejection?.rejectedAt ?? ""),
			).length
		: 0;

	/** A stale version: reload so the user sees what changed. */
	const onActionError = (err: unknown) => {
		if (
			err instanceof ApiError &&
			(err.code === "version_conflict" || err.status === 409)
		)
			void invalidate(claim.id);
	};
	const rememberOpener = useReturnFocus(dialog !== null);
	const open = (name: DialogName) => {
		rememberOpener();
		setText("");
		setAnswerMissing(false);
		setJustificationEmpty(false);
		for (const m of [resubmit, withdraw, dispute, remove]) m.reset();
		setDialog(name);
	};
	const close = () => setDialog(null);

	const buttons: ReactNode[] = [];
	if (writer && status === "draft") {
		buttons.push(
			<Button
				key="submit"
				appearance="primary"
				icon={<Send20Regular />}
				disabledFocusable={submit.isPending}
				onClick={() => {
					onError(null);
					submit.mutate(
						{ id: claim.id, version: claim.version },
						{
							onSuccess: () =>
								onDone(
									t("done.submit", {
										within: within(policy.reviewStartDays),
									}),
								),
							onError: (err) => {
								onActionError(err);
								onError(err);
							},
						},
					);
				}}
			>
				{t("action.submit")}
			</Button>,
		);
	}
	if (writer && canResubmit(claim)) {
		buttons.push(
			<Button
				key="resubmit"
				appearance="primary"
				icon={<Send20Regular />}
				onClick={() => open("resubmit")}
			>
				{t("action.resubmit")}
			</Button>,
		);
	}
	if (writer && canEdit(claim)) {
		buttons.push(
			<Button key="edit" icon={<Edit20Regular />} onClick={() => open("edit")}>
				{t("action.edit")}
			</Button>,
		);
	}
	if (writer && disputable) {
		buttons.push(
			<Button
				key="dispute"
				appearance="primary"
				icon={<Flag20Regular />}
				onClick={() => open("dispute")}
			>
				{t("action.dispute")}
			</Button>,
		);
	}
	if (admin && canRequestRejection(claim)) {
		buttons.push(
			<Button
				key="withdraw"
				icon={<ArrowReset20Regular />}
				onClick={() => open("withdraw")}
			>
				{t("action.withdraw")}
			</Button>,
		);
	}
	if (writer && status === "draft") {
		buttons.push(
			<Button
				key="delete"
				icon={<Delete20Regular />}
				onClick={() => open("delete")}
			>
				{t("action.delete")}
			</Button>,
		);
	}
	if (buttons.length === 0) return null;

	// A labelled group of buttons, each its own Tab stop (a toolbar would promise arrow
	// keys between them).
	return (
		// biome-ignore lint/a11y/useSemanticElements: a fieldset is for form controls; these are actions
		<div className={styles.bar} role="group" aria-label={t("action.label")}>
			{buttons}

			{dialog === "edit" && (
				<EditClaimDialog
					claim={claim}
					open
					onOpenChange={(o) => !o && close()}
					onSaved={() => onDone(t("done.edit"))}
				/>
			)}

			<ActionDialog
				open={dialog === "resubmit"}
				onOpenChange={(o) => !o && close()}
				title={t("resubmit.title")}
				confirm={t("action.resubmit")}
				confirmIcon={<Send20Regular />}
				pending={resubmit.isPending}
				error={resubmit.error}
				onConfirm={() => {
					if (!text.trim()) {
						setAnswerMissing(true);
						document.getElementById("resubmit-answer")?.focus();
						return;
					}
					resubmit.mutate(
						{
							id: claim.id,
							version: claim.version,
							body: { comment: text.trim() },
						},
						{
							onSuccess: () => {
								close();
								onDone(t("done.resubmit"));
							},
							onError: onActionError,
						},
					);
				}}
			>
				<Text>{t("resubmit.intro")}</Text>
				{claim.informationRequest && (
					<MessageBar intent="warning" layout="multiline">
						<MessageBarBody>
							<ul style={{ margin: 0, paddingLeft: 18 }}>
								{claim.informationRequest.reasons.map((r) => (
									<li key={r}>{t(`reason.${r}`, { defaultValue: r })}</li>
								))}
							</ul>
						</MessageBarBody>
					</MessageBar>
				)}
				<Field
					label={t("resubmit.answer")}
					hint={lengthHint(t, text) ?? t("resubmit.answerHint")}
					required
					validationMessage={
						answerMissing && !text.trim()
							? t("resubmit.answerRequired")
							: undefined
					}
				>
					<Textarea
						id="resubmit-answer"
						value={text}
						onChange={(_, d) => setText(d.value)}
						resize="vertical"
						rows={4}
						maxLength={COMMENT_MAX_LENGTH}
					/>
				</Field>
			</ActionDialog>

			<ActionDialog
				open={dialog === "withdraw"}
				onOpenChange={(o) => !o && close()}
				title={t("withdraw.title")}
				confirm={t("action.withdraw")}
				confirmIcon={<Warning20Regular />}
				danger
				pending={withdraw.isPending}
				error={withdraw.error}
				onConfirm={() =>
					withdraw.mutate(
						{
							id: claim.id,
							version: claim.version,
							body: text.trim() ? { comment: text.trim() } : {},
						},
						{
							onSuccess: () => {
								close();
								onDone(t("done.withdraw"));
							},
							onError: onActionError,
						},
					)
				}
			>
				<MessageBar intent="warning" layout="multiline">
					<MessageBarBody>
						{status === "approved"
							? t("withdraw.warningApproved")
							: t("withdraw.warning")}
					</MessageBarBody>
				</MessageBar>
				<Field
					label={t("withdraw.reason")}
					hint={lengthHint(t, text) ?? t("withdraw.reasonHint")}
				>
					<Textarea
						value={text}
						onChange={(_, d) => setText(d.value)}
						resize="vertical"
						rows={3}
						maxLength={COMMENT_MAX_LENGTH}
					/>
				</Field>
			</ActionDialog>

			<ActionDialog
				open={dialog === "dispute"}
				onOpenChange={(o) => !o && close()}
				title={t("dispute.title")}
				confirm={t("action.dispute")}
				confirmIcon={<Flag20Regular />}
				pending={dispute.isPending}
				error={refusedForJustification ? null : dispute.error}
				onConfirm={() => {
					if (newPoe === 0 && !text.trim()) {
						setJustificationEmpty(true);
						justification.current?.focus();
						return;
					}
					dispute.mutate(
						{
							id: claim.id,
							version: claim.version,
							body: text.trim() ? { justification: text.trim() } : {},
						},
						{
							onSuccess: () => {
								close();
								onDone(
									t("done.dispute", {
										within: within(policy.disputeDecisionDays),
									}),
								);
							},
							onError: onActionError,
						},
					);
				}}
			>
				<Text>
					{t("dispute.intro", {
						date: formatDateTime(
							claim.deadlines.disputeUntil ?? claim.rejection?.disputeUntil,
						),
					})}
				</Text>
				<Text>
					{newPoe > 0
						? t("dispute.newPoe", { count: newPoe })
						: t("dispute.noNewPoe")}
				</Text>
				<Field
					label={t("dispute.justification")}
					hint={lengthHint(t, text) ?? t("dispute.justificationHint")}
					required={newPoe === 0}
					// The server's answer when neither was given, on the field itself.
					validationMessage={
						justificationMissing ? t("dispute.justificationMissing") : undefined
					}
				>
					<Textarea
						ref={justification}
						value={text}
						onChange={(_, d) => {
							setText(d.value);
							if (d.value.trim()) setJustificationEmpty(false);
						}}
						resize="vertical"
						rows={5}
						maxLength={COMMENT_MAX_LENGTH}
					/>
				</Field>
			</ActionDialog>

			<ActionDialog
				open={dialog === "delete"}
				onOpenChange={(o) => !o && close()}
				title={t("delete.title")}
				confirm={t("action.delete")}
				confirmIcon={<Delete20Regular />}
				danger
				pending={remove.isPending}
				error={remove.error}
				onConfirm={() =>
					remove.mutate(
						{ id: claim.id, version: claim.version },
						{
							onSuccess: () => {
								close();
								// Back to the list as it was, which says the draft is gone.
								void navigate(listAddress("claims"), {
									replace: true,
									state: { deleted: claim.name },
								});
							},
							onError: onActionError,
						},
					)
				}
			>
				<Text>{t("delete.text", { name: claim.name })}</Text>
			</ActionDialog>
		</div>
	);
}
