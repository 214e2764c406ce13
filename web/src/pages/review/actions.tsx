/**
 * The reviewer's actions on a claim (SPEC section 4): start review, request information
 * (R-REV-1), approve (with the arbitration outcome for competing claims, R-CMP-3), reject
 * (R-REV-2) and decide a dispute. Each sends the version the reviewer read (If-Match)
 * and shows the API's error in place.
 */

import {
	Button,
	Caption1,
	Checkbox,
	Dialog,
	DialogActions,
	DialogBody,
	DialogContent,
	DialogSurface,
	DialogTitle,
	DialogTrigger,
	Field,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Radio,
	RadioGroup,
	Select,
	Spinner,
	Text,
	Textarea,
	tokens,
} from "@fluentui/react-components";
import {
	CheckmarkRegular,
	DismissRegular,
	GavelRegular,
	PlayRegular,
	QuestionCircleRegular,
} from "@fluentui/react-icons";
import { zodResolver } from "@hookform/resolvers/zod";
import {
	type FormEvent,
	type ReactElement,
	type ReactNode,
	useEffect,
	useId,
	useMemo,
	useRef,
	useState,
} from "react";
import {
	Controller,
	type UseFormRegisterReturn,
	useForm,
} from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import {
	useClaimAction,
	useCompeting,
	useInvalidateClaim,
} from "../../api/claims.ts";
import { ApiError } from "../../api/client.ts";
import { usePartnerNames } from "../../api/directory.ts";
import type { Claim } from "../../api/types.ts";
import { useInFlight } from "../../components/in-flight.ts";
import { usePolicyText } from "../../components/policy.ts";
import { useKeepFocusInside } from "../../components/return-focus.ts";
import { ErrorMessage } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import {
	INFORMATION_REASONS,
	type InformationReason,
	REVIEWER_REJECTION_REASONS,
	type ReviewerRejectionReason,
	RouterLink,
} from "./shared.tsx";

const useStyles = makeStyles({
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	surface: { maxWidth: "min(640px, calc(100vw - 24px))" },
	reasons: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
		border: "none",
		margin: 0,
		padding: 0,
	},
	legend: {
		fontWeight: tokens.fontWeightSemibold,
		marginBottom: tokens.spacingVerticalXS,
		padding: 0,
	},
	reasonLabel: { display: "flex", flexDirection: "column" },
	description: { color: tokens.colorNeutralForeground3 },
	error: { color: tokens.colorPaletteRedForeground1 },
	list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
	pre: { whiteSpace: "pre-wrap", margin: 0, overflowWrap: "anywhere" },
});

/**
 * Runs a mutation and then `done` (or `fail`). Unlike `mutate`'s callbacks, these run
 * even when the calling component unmounted meanwhile: the claim's new status usually
 * removes the button that started the action.
 */
function run<T>(
	p: Promise<T>,
	done: (v: T) => void,
	fail: (e: unknown) => void = () => {},
): Promise<void> {
	return p.then(done, fail);
}

/** Called after a successful action with a sentence saying what happened. */
export type OnDone = (message: string, claim: Claim) => void;

/** An action's error, with "Reload the claim" when the version was stale (412). */
export function ActionError({
	error,
	claimId,
	onReset,
}: {
	error: unknown;
	claimId: string;
	onReset?: () => void;
}) {
	const { t } = useTranslation("review");
	const invalidate = useInvalidateClaim();
	if (!error) return null;
	const stale = error instanceof ApiError && error.code === "version_conflict";
	return (
		<div>
			{stale ? (
				// Someone else acted first: say so in words, and reload the claim under the
				// open dialog (what was typed stays) instead of "something went wrong".
				<MessageBar intent="warning" layout="multiline" role="alert">
					<MessageBarBody>
						<MessageBarTitle>{t("actions.staleTitle")}</MessageBarTitle>
						{t("actions.staleText")}
					</MessageBarBody>
				</MessageBar>
			) : (
				<ErrorMessage error={error} />
			)}
			{stale && (
				<Button
					appearance="secondary"
					style={{ marginTop: 8 }}
					onClick={() => {
						onReset?.();
						void invalidate(claimId);
					}}
				>
					{t("actions.reload")}
				</Button>
			)}
		</div>
	);
}

/** R-REV-1 reasons as checkboxes, each with its description. */
function ReasonChecks({
	value,
	onChange,
	error,
}: {
	value: InformationReason[];
	onChange: (v: InformationReason[]) => void;
	error?: string;
}) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const errorId = useId();
	// A missing reason is the form's first problem: the focus goes to the first box (the
	// form's own focus goes to the first field it can focus, the comment below).
	const first = useRef<HTMLInputElement | null>(null);
	useEffect(() => {
		if (!error) return;
		// After the form's own focus on its first registered field.
		const timer = setTimeout(() => first.current?.focus(), 0);
		return () => clearTimeout(timer);
	}, [error]);
	return (
		<fieldset
			className={styles.reasons}
			aria-invalid={error ? true : undefined}
			aria-describedby={error ? errorId : undefined}
			data-testid="information-reasons"
		>
			<legend className={styles.legend}>
				{t("actions.reasonsLegend")}{" "}
				<span aria-hidden="true" className={styles.error}>
					*
				</span>
			</legend>
			{INFORMATION_REASONS.map((r, i) => (
				<Checkbox
					key={r}
					// The box itself (a Checkbox's own ref is its wrapper).
					input={i === 0 ? { ref: first } : undefined}
					value={r}
					checked={value.includes(r)}
					onChange={(_, d) =>
						onChange(
							d.checked
								? INFORMATION_REASONS.filter(
										(x) => x === r || value.includes(x),
									)
								: value.filter((x) => x !== r),
						)
					}
					label={
						<span className={styles.reasonLabel}>
							<Text weight="semibold">{t(`reasons.info.${r}.label`)}</Text>
							<Caption1 className={styles.description}>
								{t(`reasons.info.${r}.description`)}
							</Caption1>
						</span>
					}
				/>
			))}
			{error && (
				<Text role="alert" id={errorId} className={styles.error}>
					{error}
				</Text>
			)}
		</fieldset>
	);
}

/** The required comment to the partner that every reviewer decision posts (R-REV-3). */
function PartnerCommentField({
	registration,
	error,
}: {
	registration: UseFormRegisterReturn;
	error?: string;
}) {
	const { t } = useTranslation("review");
	return (
		<Field
			label={t("actions.commentToPartner")}
			required
			validationMessage={error}
		>
			<Textarea rows={4} resize="vertical" {...registration} />
		</Field>
	);
}

/** A dialog with a form; the trigger button opens it. */
function ActionDialog({
	open,
	setOpen,
	trigger,
	title,
	submitLabel,
	submitting,
	onSubmit,
	children,
	testId,
	recheckFocus,
}: {
	open: boolean;
	setOpen: (open: boolean) => void;
	trigger: ReactElement;
	title: string;
	submitLabel: string;
	submitting: boolean;
	/** The form's submit; its promise settles with the request (one runs at a time). */
	onSubmit: (e: FormEvent) => unknown;
	children: ReactNode;
	testId: string;
	/** When data that can disable the dialog's choices arrives (see useKeepFocusInside). */
	recheckFocus?: unknown;
}) {
	const flight = useInFlight();
	const styles = useStyles();
	const { t } = useTranslation("review");
	const surface = useKeepFocusInside<HTMLDivElement>(open, recheckFocus);
	return (
		<Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
			<DialogTrigger disableButtonEnhancement>{trigger}</DialogTrigger>
			<DialogSurface
				ref={surface}
				className={styles.surface}
				data-testid={testId}
			>
				<form
					onSubmit={(e) => {
						// One request at a time: a double click, or the busy button that stays
						// focusable, would submit again.
						if (!flight.take()) {
							e.preventDefault();
							return;
						}
						void Promise.resolve(onSubmit(e)).finally(flight.release);
					}}
					noValidate
				>
					<DialogBody>
						<DialogTitle>{title}</DialogTitle>
						<DialogContent className={styles.form}>{children}</DialogContent>
						<DialogActions fluid>
							<DialogTrigger disableButtonEnhancement>
								<Button appearance="secondary">{t("common:cancel")}</Button>
							</DialogTrigger>
							<Button
								appearance="primary"
								type="submit"
								disabledFocusable={submitting}
								icon={submitting ? <Spinner size="tiny" /> : undefined}
							>
								{submitLabel}
							</Button>
						</DialogActions>
					</DialogBody>
				</form>
			</DialogSurface>
		</Dialog>
	);
}

/** submitted → under_review. */
export function StartReviewButton({
	claim,
	onDone,
	onError,
	label,
}: {
	claim: Claim;
	onDone: OnDone;
	onError: (error: unknown) => void;
	label?: string;
}) {
	const { t } = useTranslation("review");
	const { policy, within } = usePolicyText();
	const start = useClaimAction("start-review");
	return (
		<Button
			appearance="primary"
			icon={start.isPending ? <Spinner size="tiny" /> : <PlayRegular />}
			disabledFocusable={start.isPending}
			aria-label={label}
			onClick={() => {
				onError(null);
				void run(
					start.mutateAsync({ id: claim.id, version: claim.version }),
					(c) =>
						onDone(
							t("done.startReview", {
								name: c.name,
								within: within(policy.decisionDays),
							}),
							c,
						),
					onError,
				);
			}}
		>
			{t("actions.startReview")}
		</Button>
	);
}

/**
 * under_review → partner_action_required with R-REV-1 reasons and a comment.
 * `triggerAriaLabel` names the claim where several claims' buttons share a page.
 */
export function RequestInformationAction({
	claim,
	onDone,
	triggerAriaLabel,
}: {
	claim: Claim;
	onDone: OnDone;
	triggerAriaLabel?: string;
}) {
	const { t } = useTranslation("review");
	const policyText = usePolicyText();
	const [open, setOpen] = useState(false);
	const action = useClaimAction("request-information");
	const schema = useMemo(
		() =>
			z.object({
				reasons: z
					.array(z.enum(INFORMATION_REASONS))
					.min(1, t("validation.reasons")),
				comment: z.string().trim().min(1, t("validation.comment")).max(10_000),
			}),
		[t],
	);
	const form = useForm<z.infer<typeof schema>>({
		resolver: zodResolver(schema),
		defaultValues: { reasons: [], comment: "" },
	});
	// Closed with Esc or Cancel, the dialog keeps what was typed for when it opens again;
	// after the action it starts empty.
	const setOpenAndReset = (o: boolean) => {
		setOpen(o);
		if (!o) action.reset();
	};
	const finish = () => {
		setOpenAndReset(false);
		form.reset();
	};
	const onSubmit = form.handleSubmit((v) =>
		run(
			action.mutateAsync({ id: claim.id, version: claim.version, body: v }),
			(c) => {
				finish();
				onDone(t("done.requestInformation", { name: c.name }), c);
			},
		),
	);
	return (
		<ActionDialog
			open={open}
			setOpen={setOpenAndReset}
			trigger={
				<Button icon={<QuestionCircleRegular />} aria-label={triggerAriaLabel}>
					{t("actions.requestInformation")}
				</Button>
			}
			title={t("actions.requestInformationTitle", { name: claim.name })}
			submitLabel={t("actions.requestInformation")}
			submitting={action.isPending}
			onSubmit={onSubmit}
			testId="request-information-dialog"
		>
			<Text>
				{t("actions.requestInformationHelp", {
					days: policyText.days(policyText.policy.partnerResponseDays),
				})}
			</Text>
			<Controller
				control={form.control}
				name="reasons"
				render={({ field, fieldState }) => (
					<ReasonChecks
						value={field.value}
						onChange={field.onChange}
						error={fieldState.error?.message}
					/>
				)}
			/>
			<PartnerCommentField
				registration={form.register("comment")}
				error={form.formState.errors.comment?.message}
			/>
			<ActionError
				error={action.error}
				claimId={claim.id}
				onReset={() => action.reset()}
			/>
		</ActionDialog>
	);
}

/** The claims that approving `claim` rejects (R-CMP-3), with their partner and status. */
function CompetitorList({ claims }: { claims: Claim[] }) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const partnerName = usePartnerNames(
		claims.map((c) => c.partnerOrganizationId),
	);
	return (
		<ul className={styles.list} data-testid="competitors-to-reject">
			{claims.map((c) => (
				<li key={c.id}>
					<Text weight="semibold">{c.name}</Text>{" "}
					<Text>
						{t("actions.byPartner", {
							partner: partnerName(c.partnerOrganizationId),
							mpn: c.mpnId,
						})}
					</Text>{" "}
					<StatusBadge status={c.status} />
				</li>
			))}
		</ul>
	);
}

/** Claims a decision on `claim` rejects: the competitors still open. */
function openCompetitors(claim: Claim, competitors: Claim[]): Claim[] {
	return competitors.filter(
		(c) =>
			c.id !== claim.id &&
			["submitted", "under_review", "partner_action_required"].includes(
				c.status,
			),
	);
}

/**
 * under_review → approved. When the claim competes, says which claims it rejects and
 * takes the reason and comment they get (R-CMP-3).
 */
export function ApproveAction({
	claim,
	onDone,
	competitors,
	triggerLabel,
	triggerAriaLabel,
}: {
	claim: Claim;
	onDone: OnDone;
	/** Known competitors (arbitration page); fetched when not given and the claim competes. */
	competitors?: Claim[];
	triggerLabel?: string;
	triggerAriaLabel?: string;
}) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const [open, setOpen] = useState(false);
	const action = useClaimAction("approve");
	const fetched = useCompeting(
		claim.id,
		open && claim.competing && !competitors,
	);
	const others = openCompetitors(claim, competitors ?? fetched.data ?? []);
	const schema = useMemo(
		() =>
			z.object({
				comment: z.string().trim().max(10_000),
				competingRejectionReason: z.enum(REVIEWER_REJECTION_REASONS),
				competingRejectionComment: z.string().trim().max(10_000),
			}),
		[],
	);
	const form = useForm<z.infer<typeof schema>>({
		resolver: zodResolver(schema),
		defaultValues: {
			comment: "",
			competingRejectionReason: "insufficient_poe",
			competingRejectionComment: "",
		},
	});
	// Closed with Esc or Cancel, the dialog keeps what was typed for when it opens again;
	// after the action it starts empty.
	const setOpenAndReset = (o: boolean) => {
		setOpen(o);
		if (!o) action.reset();
	};
	const finish = () => {
		setOpenAndReset(false);
		form.reset();
	};
	const rejecting = claim.competing ? others : [];
	const onSubmit = form.handleSubmit((v) => {
		const body: Record<string, string> = {};
		if (v.comment) body.comment = v.comment;
		if (claim.competing) {
			body.competingRejectionReason = v.competingRejectionReason;
			if (v.competingRejectionComment)
				body.competingRejectionComment = v.competingRejectionComment;
		}
		return run(
			action.mutateAsync({ id: claim.id, version: claim.version, body }),
			(c) => {
				finish();
				onDone(
					rejecting.length > 0
						? t("done.approveCompeting", {
								name: c.name,
								count: rejecting.length,
								names: rejecting.map((x) => `“${x.name}”`).join(", "),
							})
						: t("done.approve", { name: c.name }),
					c,
				);
			},
		);
	});
	const label = triggerLabel ?? t("actions.approve");
	const partnerName = usePartnerNames([claim.partnerOrganizationId]);
	return (
		<ActionDialog
			open={open}
			setOpen={setOpenAndReset}
			trigger={
				<Button
					appearance="primary"
					icon={<CheckmarkRegular />}
					aria-label={triggerAriaLabel}
				>
					{label}
				</Button>
			}
			title={t("actions.approveTitle", { name: claim.name })}
			submitLabel={label}
			submitting={action.isPending}
			onSubmit={onSubmit}
			testId="approve-dialog"
		>
			<Text>
				{t("actions.approveHelp", {
					partner: partnerName(claim.partnerOrganizationId),
				})}
			</Text>
			{claim.competing &&
				(fetched.isLoading ? (
					<Spinner size="small" label={t("actions.loadingCompetitors")} />
				) : fetched.isError ? (
					<ErrorMessage
						error={fetched.error}
						onRetry={() => void fetched.refetch()}
					/>
				) : (
					<MessageBar intent="warning" layout="multiline">
						<MessageBarBody>
							<MessageBarTitle>
								{t("actions.competingWarningTitle")}
							</MessageBarTitle>
							{others.length > 0 ? (
								<>
									{t("actions.competingWarning", { count: others.length })}
									<CompetitorList claims={others} />
								</>
							) : (
								t("actions.competingNoneOpen")
							)}
						</MessageBarBody>
					</MessageBar>
				))}
			<Field label={t("actions.approvalComment")} hint={t("actions.optional")}>
				<Textarea rows={3} resize="vertical" {...form.register("comment")} />
			</Field>
			{claim.competing && others.length > 0 && (
				<>
					<Field
						label={t("actions.competingReason")}
						required
						validationMessage={
							form.formState.errors.competingRejectionReason?.message
						}
					>
						<Select {...form.register("competingRejectionReason")}>
							{REVIEWER_REJECTION_REASONS.map((r) => (
								<option key={r} value={r}>
									{t(`reasons.reject.${r}.label`)}
								</option>
							))}
						</Select>
					</Field>
					<Text size={200} className={styles.description}>
						{t(
							`reasons.reject.${form.watch("competingRejectionReason")}.description`,
						)}
					</Text>
					<Field
						label={t("actions.competingComment")}
						hint={t("actions.competingCommentHint")}
					>
						<Textarea
							rows={3}
							resize="vertical"
							{...form.register("competingRejectionComment")}
						/>
					</Field>
				</>
			)}
			<ActionError
				error={action.error}
				claimId={claim.id}
				onReset={() => action.reset()}
			/>
		</ActionDialog>
	);
}

/** under_review → rejected with a reviewer's R-REV-2 reason and a comment. */
export function RejectAction({
	claim,
	onDone,
}: {
	claim: Claim;
	onDone: OnDone;
}) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const policyText = usePolicyText();
	const [open, setOpen] = useState(false);
	const action = useClaimAction("reject");
	const schema = useMemo(
		() =>
			z.object({
				reason: z.enum(REVIEWER_REJECTION_REASONS, {
					error: t("validation.reason"),
				}),
				comment: z.string().trim().min(1, t("validation.comment")).max(10_000),
			}),
		[t],
	);
	const form = useForm<{
		reason: ReviewerRejectionReason | "";
		comment: string;
	}>({
		// biome-ignore lint/suspicious/noExplicitAny: the empty choice is refused by the schema
		resolver: zodResolver(schema) as any,
		defaultValues: { reason: "", comment: "" },
	});
	// Closed with Esc or Cancel, the dialog keeps what was typed for when it opens again;
	// after the action it starts empty.
	const setOpenAndReset = (o: boolean) => {
		setOpen(o);
		if (!o) action.reset();
	};
	const finish = () => {
		setOpenAndReset(false);
		form.reset();
	};
	const onSubmit = form.handleSubmit((v) =>
		run(
			action.mutateAsync({ id: claim.id, version: claim.version, body: v }),
			(c) => {
				finish();
				onDone(t("done.reject", { name: c.name }), c);
			},
		),
	);
	return (
		<ActionDialog
			open={open}
			setOpen={setOpenAndReset}
			trigger={<Button icon={<DismissRegular />}>{t("actions.reject")}</Button>}
			title={t("actions.rejectTitle", { name: claim.name })}
			submitLabel={t("actions.reject")}
			submitting={action.isPending}
			onSubmit={onSubmit}
			testId="reject-dialog"
		>
			<Text>
				{t("actions.rejectHelp", {
					days: policyText.calendarDays(policyText.policy.disputeWindowDays),
				})}
			</Text>
			<Controller
				control={form.control}
				name="reason"
				render={({ field, fieldState }) => (
					<Field
						label={t("actions.rejectReason")}
						required
						validationMessage={fieldState.error?.message}
					>
						<RadioGroup
							value={field.value}
							onChange={(_, d) => field.onChange(d.value)}
						>
							{REVIEWER_REJECTION_REASONS.map((r) => (
								<Radio
									key={r}
									value={r}
									label={
										<span className={styles.reasonLabel}>
											<Text weight="semibold">
												{t(`reasons.reject.${r}.label`)}
											</Text>
											<Caption1 className={styles.description}>
												{t(`reasons.reject.${r}.description`)}
											</Caption1>
										</span>
									}
								/>
							))}
						</RadioGroup>
					</Field>
				)}
			/>
			<PartnerCommentField
				registration={form.register("comment")}
				error={form.formState.errors.comment?.message}
			/>
			<ActionError
				error={action.error}
				claimId={claim.id}
				onReset={() => action.reset()}
			/>
		</ActionDialog>
	);
}

const DECISIONS = ["approve", "request_information", "uphold"] as const;

/** A rejected claim's open dispute: approve / request information / uphold, with a comment. */
export function DecideDisputeAction({
	claim,
	onDone,
}: {
	claim: Claim;
	onDone: OnDone;
}) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const [open, setOpen] = useState(false);
	const action = useClaimAction("dispute-decision");
	const schema = useMemo(
		() =>
			z
				.object({
					decision: z.enum(DECISIONS, { error: t("validation.decision") }),
					reasons: z.array(z.enum(INFORMATION_REASONS)),
					comment: z
						.string()
						.trim()
						.min(1, t("validation.comment"))
						.max(10_000),
				})
				.refine(
					(v) => v.decision !== "request_information" || v.reasons.length > 0,
					{ path: ["reasons"], message: t("validation.reasons") },
				),
		[t],
	);
	const form = useForm<{
		decision: (typeof DECISIONS)[number] | "";
		reasons: InformationReason[];
		comment: string;
	}>({
		// biome-ignore lint/suspicious/noExplicitAny: the empty choice is refused by the schema
		resolver: zodResolver(schema) as any,
		defaultValues: { decision: "", reasons: [], comment: "" },
	});
	// Closed with Esc or Cancel, the dialog keeps what was typed for when it opens again;
	// after the action it starts empty.
	const setOpenAndReset = (o: boolean) => {
		setOpen(o);
		if (!o) action.reset();
	};
	const finish = () => {
		setOpenAndReset(false);
		form.reset();
	};
	const decision = form.watch("decision");
	// R-CMP-2: another partner's approved claim holds the association, so this one
	// cannot be approved: say so before the reviewer picks it, not after the server's 409.
	// Read with the page (not when the dialog opens), so that the dialog opens with its
	// choices settled: a keyboard user's focus lands on an enabled one.
	const competitors = useCompeting(claim.id, claim.competing);
	const holder = competitors.data?.find((c) => c.status === "approved");
	// A choice ruled out goes last: the dialog's first choice is one that can be made.
	const decisions = holder
		? [...DECISIONS.filter((d) => d !== "approve"), "approve" as const]
		: DECISIONS;
	const onSubmit = form.handleSubmit((v) =>
		run(
			action.mutateAsync({
				id: claim.id,
				version: claim.version,
				body: {
					decision: v.decision,
					comment: v.comment,
					...(v.decision === "request_information"
						? { reasons: v.reasons }
						: {}),
				},
			}),
			(c) => {
				finish();
				onDone(
					t(`done.dispute.${v.decision as (typeof DECISIONS)[number]}`, {
						name: c.name,
					}),
					c,
				);
			},
		),
	);
	const dispute = claim.dispute;
	const disputeDocs = claim.documents.filter((d) => d.purpose === "dispute");
	return (
		<ActionDialog
			open={open}
			setOpen={setOpenAndReset}
			trigger={
				<Button appearance="primary" icon={<GavelRegular />}>
					{t("actions.decideDispute")}
				</Button>
			}
			title={t("actions.decideDisputeTitle", { name: claim.name })}
			submitLabel={t("actions.decideDispute")}
			submitting={action.isPending}
			onSubmit={onSubmit}
			testId="dispute-dialog"
			recheckFocus={holder?.id}
		>
			{dispute && (
				<div>
					<Text weight="semibold" block>
						{t("details.justification")}
					</Text>
					<p className={styles.pre}>{dispute.justification}</p>
					<Caption1 block>
						{disputeDocs.length > 0
							? t("actions.disputeDocs", {
									count: disputeDocs.length,
									names: disputeDocs.map((d) => d.name).join(", "),
								})
							: t("actions.disputeNoDocs")}
					</Caption1>
				</div>
			)}
			<Controller
				control={form.control}
				name="decision"
				render={({ field, fieldState }) => (
					<Field
						label={t("actions.disputeDecision")}
						required
						validationMessage={fieldState.error?.message}
					>
						<RadioGroup
							value={field.value}
							onChange={(_, d) => field.onChange(d.value)}
						>
							{decisions.map((d) => (
								<Radio
									key={d}
									value={d}
									disabled={d === "approve" && !!holder}
									label={
										<span className={styles.reasonLabel}>
											<Text weight="semibold">
												{t(`dispute.decisionOption.${d}`)}
											</Text>
											<Caption1 className={styles.description}>
												{t(`dispute.decisionHelp.${d}`)}
											</Caption1>
										</span>
									}
								/>
							))}
						</RadioGroup>
					</Field>
				)}
			/>
			{holder && (
				<MessageBar
					intent="info"
					layout="multiline"
					data-testid="dispute-held-by"
				>
					<MessageBarBody>
						{t("actions.disputeHeldBy", { name: holder.name })}{" "}
						<RouterLink to={`/review/claims/${holder.id}`}>
							{t("actions.disputeHeldByOpen")}
						</RouterLink>
					</MessageBarBody>
				</MessageBar>
			)}
			{decision === "approve" && claim.competing && !holder && (
				<MessageBar intent="warning" layout="multiline">
					<MessageBarBody>
						{t("actions.disputeApproveCompeting")}
					</MessageBarBody>
				</MessageBar>
			)}
			{decision === "request_information" && (
				<Controller
					control={form.control}
					name="reasons"
					render={({ field, fieldState }) => (
						<ReasonChecks
							value={field.value}
							onChange={field.onChange}
							error={fieldState.error?.message}
						/>
					)}
				/>
			)}
			<PartnerCommentField
				registration={form.register("comment")}
				error={form.formState.errors.comment?.message}
			/>
			<ActionError
				error={action.error}
				claimId={claim.id}
				onReset={() => action.reset()}
			/>
		</ActionDialog>
	);
}
