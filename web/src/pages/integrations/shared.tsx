/**
 * The Integrations page's common parts: the "not allowed" state, and the frame of both
 * tabs ({@link ItemsTab}): a create form whose new item's secret is shown once, the list
 * with its loading, error and empty states, and removal after a confirmation, with the
 * focus handling around it. A tab states its form, its items' facts and its texts.
 */
import {
	Body1,
	Button,
	Caption1,
	Card,
	Dialog,
	DialogActions,
	DialogBody,
	DialogContent,
	DialogSurface,
	DialogTitle,
	Field,
	Input,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Spinner,
	Text,
	tokens,
} from "@fluentui/react-components";
import {
	AddRegular,
	CheckmarkRegular,
	CopyRegular,
	type FluentIcon,
} from "@fluentui/react-icons";
import type { UseMutationResult } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import {
	type ReactNode,
	type RefObject,
	useCallback,
	useEffect,
	useId,
	useRef,
	useState,
} from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type FieldProblem } from "../../api/client.ts";
import { useMe } from "../../api/session.ts";
import type { Role } from "../../api/types.ts";
import { MessageBarClose } from "../../components/message-bar-close.tsx";
import { RefreshButton } from "../../components/refresh-button.tsx";
import {
	EmptyState,
	ErrorMessage,
	Loading,
	ProblemList,
} from "../../components/states.tsx";

export const useSharedStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		maxWidth: "980px",
	},
	intro: { maxWidth: "75ch", margin: 0 },
	pageIntro: {
		maxWidth: "75ch",
		marginTop: 0,
		marginBottom: tokens.spacingVerticalL,
	},
	section: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	sectionHead: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalM,
	},
	heading: { margin: 0 },
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		maxWidth: "640px",
	},
	mono: {
		fontFamily: tokens.fontFamilyMonospace,
		overflowWrap: "anywhere",
	},
	name: { overflowWrap: "anywhere" },
	/** A bordered list with one row per item (name and facts, the action on the right). */
	list: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: tokens.colorNeutralBackground1,
	},
	row: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalM,
		padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
		":not(:last-child)": {
			borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
		},
	},
	rowMain: {
		display: "flex",
		gap: tokens.spacingHorizontalM,
		alignItems: "flex-start",
		flex: "1 1 320px",
		minWidth: 0,
	},
	rowIcon: {
		fontSize: "24px",
		flexShrink: 0,
		color: tokens.colorBrandForeground1,
		marginTop: "2px",
	},
	rowText: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXXS,
		minWidth: 0,
	},
	facts: {
		display: "flex",
		flexWrap: "wrap",
		columnGap: tokens.spacingHorizontalL,
		rowGap: tokens.spacingVerticalXXS,
		margin: 0,
		padding: 0,
		listStyleType: "none",
		color: tokens.colorNeutralForeground2,
	},
	badges: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
		listStyleType: "none",
		margin: 0,
		padding: 0,
	},
	secret: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		borderLeft: `4px solid ${tokens.colorPaletteGreenBorder2}`,
		":focus-visible": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
		},
	},
	secretRow: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		alignItems: "center",
	},
	secretInput: { flex: "1 1 280px", minWidth: 0 },
	secretValue: { fontFamily: tokens.fontFamilyMonospace },
	dialogContent: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
});

/** Roles' names in the user's language, as a list ("Global admin, Incentives admin"). */
export function roleNames(t: TFunction, roles: readonly Role[]): string {
	return roles.map((r) => t(`common:roles.${r}`)).join(", ");
}

/** A multiline message with a title (`intent` info or warning). */
export function TitledMessage({
	intent,
	title,
	testId,
	children,
}: {
	intent: "info" | "warning";
	title: string;
	testId?: string;
	children: ReactNode;
}) {
	return (
		<MessageBar intent={intent} layout="multiline" data-testid={testId}>
			<MessageBarBody>
				<MessageBarTitle>{title}</MessageBarTitle>
				{children}
			</MessageBarBody>
		</MessageBar>
	);
}

/** What a user who may not manage integrations sees (the page, or a list answered 403). */
export function NotAllowed() {
	const { t } = useTranslation("integrations");
	const me = useMe();
	const roles = roleNames(t, me.data?.roles ?? []);
	return (
		<TitledMessage
			intent="warning"
			title={t("notAllowedTitle")}
			testId="integrations-not-allowed"
		>
			{t("notAllowedText", { roles: roles || "—" })}
		</TitledMessage>
	);
}

/** True for an answer that says the user may not do this (403). */
function isForbidden(error: unknown): boolean {
	return error instanceof ApiError && error.status === 403;
}

/** True when a field problem is of `field` (named by its path in the body). */
function isOf(problem: FieldProblem, field: string): boolean {
	return problem.path === field;
}

/** The field problems of a failed request for `field`. */
export function problemsOf(error: unknown, field: string): FieldProblem[] {
	if (!(error instanceof ApiError)) return [];
	return error.errors.filter((e) => isOf(e, field));
}

/** Codes with their own title and explanation (others get a generic one with the server's detail). */
const KNOWN = new Set([
	"validation_failed",
	"forbidden",
	"unauthenticated",
	"not_found",
	"rate_limited",
]);

/**
 * A failed request next to its form: a title for the problem in the user's language, what
 * to do, and the server's own detail. A validation error whose field problems all show at
 * their fields (`fields`) only points at them.
 */
function FormProblem({
	error,
	fields = [],
}: {
	error: unknown;
	/** The form's fields that show their own problems. */
	fields?: string[];
}) {
	const { t } = useTranslation("integrations");
	if (!error) return null;
	const api = error instanceof ApiError ? error : null;
	const network = !api || api.status === 0;
	const code = network ? "network" : KNOWN.has(api.code) ? api.code : "generic";
	const unshown =
		api?.errors.filter((e) => !fields.some((f) => isOf(e, f))) ?? [];
	const atFields = code === "validation_failed" && unshown.length === 0;
	return (
		<MessageBar
			intent="error"
			layout="multiline"
			role="alert"
			data-testid="form-problem"
			data-code={api?.code ?? "network"}
		>
			<MessageBarBody>
				<MessageBarTitle>{t(`problem.${code}.title`)}</MessageBarTitle>
				{atFields
					? t("problem.validation_failed.atFields")
					: t(`problem.${code}.text`)}
				{api && !atFields && code !== "validation_failed" && (
					<Caption1 block>
						{t("problem.server", { detail: api.message })}
					</Caption1>
				)}
				<ProblemList problems={unshown} />
			</MessageBarBody>
		</MessageBar>
	);
}

/** A heading of the tabs (a section's, or the new secret's). */
function Heading({
	as,
	id,
	children,
}: {
	as: "h2" | "h3";
	id: string;
	children: ReactNode;
}) {
	const styles = useSharedStyles();
	return (
		<Text
			as={as}
			size={500}
			weight="semibold"
			id={id}
			className={styles.heading}
		>
			{children}
		</Text>
	);
}

/**
 * Copies `text` to the clipboard: the Clipboard API, or else the selected text of `input`
 * (a browser that refuses the API, e.g. without permission). Resolves whether it worked.
 */
async function copyText(
	text: string,
	input: HTMLInputElement | null,
): Promise<boolean> {
	try {
		await navigator.clipboard.writeText(text);
		return true;
	} catch {
		if (!input) return false;
		input.focus();
		input.select();
		try {
			return document.execCommand("copy");
		} catch {
			return false;
		}
	}
}

/**
 * A secret the server shows once (a new API token, a webhook's signing secret): a clear
 * "you will not see it again", the value selectable in a read-only field, a copy button,
 * and Done. Takes the focus when it appears, so that it is read out first.
 */
function SecretReveal({
	title,
	label,
	value,
	warning,
	onDone,
	testId,
}: {
	title: string;
	/** The read-only field's label. */
	label: string;
	value: string;
	/** What the secret is for and what to do if it is lost. */
	warning: string;
	onDone: () => void;
	testId: string;
}) {
	const { t } = useTranslation("integrations");
	const styles = useSharedStyles();
	const card = useRef<HTMLDivElement>(null);
	const input = useRef<HTMLInputElement>(null);
	const titleId = useId();
	const [copied, setCopied] = useState<"yes" | "no" | null>(null);
	useEffect(() => {
		card.current?.focus();
	}, []);
	return (
		<Card
			ref={card}
			tabIndex={-1}
			className={styles.secret}
			role="region"
			aria-labelledby={titleId}
			data-testid={testId}
		>
			<Heading as="h3" id={titleId}>
				{title}
			</Heading>
			<TitledMessage intent="warning" title={t("secret.onceTitle")}>
				{warning}
			</TitledMessage>
			<Field label={label}>
				<div className={styles.secretRow}>
					<Input
						ref={input}
						className={styles.secretInput}
						input={{ className: styles.secretValue }}
						value={value}
						readOnly
						onFocus={(e) => e.target.select()}
						data-testid="secret-value"
					/>
					<Button
						icon={copied === "yes" ? <CheckmarkRegular /> : <CopyRegular />}
						onClick={async () =>
							setCopied((await copyText(value, input.current)) ? "yes" : "no")
						}
					>
						{t("secret.copy")}
					</Button>
				</div>
			</Field>
			<Body1 aria-live="polite" data-testid="secret-copied">
				{copied === "yes"
					? t("secret.copied")
					: copied === "no"
						? t("secret.copyFailed")
						: ""}
			</Body1>
			<div>
				<Button appearance="primary" onClick={onDone}>
					{t("secret.done")}
				</Button>
			</div>
		</Card>
	);
}

/** A success notice after a revoke or delete: focusable (the focus goes there), dismissable. */
function DoneNotice({
	title,
	text,
	noticeRef,
	onDismiss,
}: {
	title: string;
	text: string;
	noticeRef: RefObject<HTMLDivElement | null>;
	onDismiss: () => void;
}) {
	return (
		<MessageBar
			intent="success"
			role="status"
			ref={noticeRef}
			tabIndex={-1}
			data-testid="done-notice"
		>
			<MessageBarBody>
				<MessageBarTitle>{title}</MessageBarTitle>
				{text}
			</MessageBarBody>
			<MessageBarClose onClose={onDismiss} />
		</MessageBar>
	);
}

/**
 * The focus around a confirmation dialog (as the customer's opt-out): back to the button
 * that opened it when it is cancelled, to the success notice when it is done.
 */
function useConfirmFocus<T>() {
	const [target, setTarget] = useState<T | null>(null);
	const returnFocus = useRef<HTMLElement | null>(null);
	const notice = useRef<HTMLDivElement>(null);
	const [focusTo, setFocusTo] = useState<"trigger" | "notice" | null>(null);
	useEffect(() => {
		if (focusTo === null || target !== null) return;
		(focusTo === "notice" ? notice.current : returnFocus.current)?.focus();
		setFocusTo(null);
	}, [focusTo, target]);
	const open = useCallback((item: T) => {
		returnFocus.current = document.activeElement as HTMLElement | null;
		setTarget(item);
	}, []);
	const cancel = useCallback(() => {
		setTarget(null);
		setFocusTo("trigger");
	}, []);
	const done = useCallback(() => {
		setTarget(null);
		setFocusTo("notice");
	}, []);
	return { target, open, cancel, done, notice };
}

/** Asks before something that cannot be undone (revoke, delete); shows its error inside. */
function ConfirmDialog({
	title,
	children,
	confirmLabel,
	pending,
	error,
	onConfirm,
	onCancel,
	testId,
}: {
	title: string;
	children: ReactNode;
	confirmLabel: string;
	pending: boolean;
	error: unknown;
	onConfirm: () => void;
	onCancel: () => void;
	testId: string;
}) {
	const { t } = useTranslation("integrations");
	const styles = useSharedStyles();
	const describedBy = useId();
	return (
		<Dialog
			open
			modalType="alert"
			onOpenChange={(_, d) => {
				if (!d.open && !pending) onCancel();
			}}
		>
			<DialogSurface aria-describedby={describedBy} data-testid={testId}>
				<form
					onSubmit={(e) => {
						e.preventDefault();
						if (!pending) onConfirm();
					}}
				>
					<DialogBody>
						<DialogTitle>{title}</DialogTitle>
						<DialogContent className={styles.dialogContent}>
							<div id={describedBy}>{children}</div>
							{!!error && <FormProblem error={error} />}
						</DialogContent>
						<DialogActions fluid>
							<Button
								appearance="secondary"
								onClick={onCancel}
								disabled={pending}
							>
								{t("common:cancel")}
							</Button>
							<Button
								appearance="primary"
								type="submit"
								disabled={pending}
								icon={pending ? <Spinner size="tiny" /> : undefined}
							>
								{confirmLabel}
							</Button>
						</DialogActions>
					</DialogBody>
				</form>
			</DialogSurface>
		</Dialog>
	);
}

/**
 * What the tabs' common frame needs to know of one tab's items, besides their data. Its
 * texts are in the tab's section of integrations.json (`texts`), under the same keys in
 * both: createTitle, create, creating, createdTitle, secretLabel, secretWarning,
 * listTitle, loading, emptyTitle, emptyText; and, after the removal's verb (`remove`)
 * and past participle (`removed`), `<remove>` (a row's button), `<remove>Title`,
 * `<remove>Text`, `<remove>Confirm`, `<removed>Title`, `<removed>Text`. A text about one
 * item gets the item's {@link ItemKind.values}.
 */
export interface ItemKind<T extends { id: string }, N extends T> {
	/** The tab's section of integrations.json. */
	texts: "tokens" | "webhooks";
	/** The removal's verb and past participle, as in the texts' keys. */
	remove: "revoke" | "delete";
	removed: "revoked" | "deleted";
	/**
	 * Prefix of the element IDs (`<id>-create`, `<id>-list`, `<id>-<item's ID>`), of test
	 * IDs (`new-<id>`, `<remove>-<id>-dialog`) and of a row's `data-<id>-id`.
	 */
	id: string;
	/** Prefix of the list's and its rows' test IDs (`<testId>-list`, `<testId>-row`). */
	testId: string;
	/** The icon of a row. */
	icon: FluentIcon;
	/** What names an item in its row (the row's button is described by it). */
	title: (item: T) => string;
	/** The title in a monospace font (a URL). */
	mono?: boolean;
	/** A new item's secret, shown this once. */
	secret: (item: N) => string;
	/** The interpolation values of the texts about an item. */
	values: (item: T) => Record<string, string>;
}

/** The parts of a list's query the frame uses (an infinite query: pages of the list). */
interface ListQuery {
	hasNextPage: boolean;
	isFetchingNextPage: boolean;
	fetchNextPage: () => unknown;
	isLoading: boolean;
	isError: boolean;
	isFetching: boolean;
	error: unknown;
	refetch: () => unknown;
}

/**
 * A tab of the Integrations page: its intro; a create form (the tab's fields, the submit
 * button and the server's problems) after which the new item's secret is shown once; the
 * list (loading, error, empty, a row per item with a remove button; Refresh); and the
 * removal's confirmation dialog, with a notice once it is done. While the dialog is open
 * the tab behind it is out of reach (keyboard and screen readers). A list answered 403
 * shows {@link NotAllowed} instead.
 */
export function ItemsTab<T extends { id: string }, N extends T, I>({
	kind,
	intro,
	list,
	items,
	create,
	remove,
	input,
	onCreated,
	fields,
	children,
	details,
	confirmDetail,
}: {
	kind: ItemKind<T, N>;
	intro: string;
	list: ListQuery;
	items: T[];
	create: UseMutationResult<N, Error, I>;
	/** Revokes or deletes an item by its ID. */
	remove: UseMutationResult<void, Error, string>;
	/**
	 * The form's input to send, or null when it is incomplete: then nothing is sent, and
	 * the tab says at its fields what is missing.
	 */
	input: () => I | null;
	/** After an item is created: clears the form. */
	onCreated: () => void;
	/** The form's fields that show their own problems (the others show below the form). */
	fields: string[];
	/** The create form's fields. */
	children: ReactNode;
	/** An item's facts in its row, below its title. */
	details: (item: T) => ReactNode;
	/** What the confirmation shows of its item above the text. */
	confirmDetail?: (item: T) => ReactNode;
}) {
	const { t } = useTranslation("integrations");
	const styles = useSharedStyles();
	// A platform admin's words where they differ (`emptyText_platform`).
	const context = useMe().data?.kind === "platform_admin" ? "platform" : "";
	const [created, setCreated] = useState<N | null>(null);
	const [removed, setRemoved] = useState<T | null>(null);
	const confirm = useConfirmFocus<T>();

	if (isForbidden(list.error)) return <NotAllowed />;

	const k = kind.texts;
	const createId = `${kind.id}-create`;
	const listId = `${kind.id}-list`;
	const target = confirm.target;

	function submit() {
		if (create.isPending) return;
		const value = input();
		if (value === null) return;
		create.mutate(value, {
			onSuccess: (item) => {
				setCreated(item);
				setRemoved(null);
				onCreated();
			},
		});
	}

	function removeTarget() {
		if (!target) return;
		remove.mutate(target.id, {
			onSuccess: () => {
				// The secret shown once is of no use any more once its item is gone.
				setCreated((c) => (c?.id === target.id ? null : c));
				setRemoved(target);
				confirm.done();
			},
		});
	}

	return (
		<>
			<div
				className={styles.root}
				inert={target !== null}
				aria-hidden={target !== null || undefined}
			>
				<Body1 as="p" block className={styles.intro}>
					{intro}
				</Body1>

				<section className={styles.section} aria-labelledby={createId}>
					<Heading as="h2" id={createId}>
						{t(`${k}.createTitle`)}
					</Heading>
					<form
						className={styles.form}
						noValidate
						onSubmit={(e) => {
							e.preventDefault();
							submit();
						}}
					>
						{children}
						<div>
							<Button
								type="submit"
								appearance="primary"
								disabledFocusable={create.isPending}
								icon={
									create.isPending ? <Spinner size="tiny" /> : <AddRegular />
								}
							>
								{create.isPending ? t(`${k}.creating`) : t(`${k}.create`)}
							</Button>
						</div>
						<FormProblem error={create.error} fields={fields} />
					</form>
					{created && (
						<SecretReveal
							key={created.id}
							testId={`new-${kind.id}`}
							title={t(`${k}.createdTitle`, kind.values(created))}
							label={t(`${k}.secretLabel`, kind.values(created))}
							value={kind.secret(created)}
							warning={t(`${k}.secretWarning`)}
							onDone={() => setCreated(null)}
						/>
					)}
				</section>

				<section className={styles.section} aria-labelledby={listId}>
					<div className={styles.sectionHead}>
						<Heading as="h2" id={listId}>
							{t(`${k}.listTitle`)}
						</Heading>
						<RefreshButton query={list}>{t("refresh")}</RefreshButton>
					</div>
					{removed && (
						<DoneNotice
							noticeRef={confirm.notice}
							title={t(`${k}.${kind.removed}Title`, kind.values(removed))}
							text={t(`${k}.${kind.removed}Text`, kind.values(removed))}
							onDismiss={() => setRemoved(null)}
						/>
					)}
					{list.isLoading ? (
						<Loading label={t(`${k}.loading`)} />
					) : list.isError ? (
						<ErrorMessage error={list.error} onRetry={() => list.refetch()} />
					) : items.length === 0 ? (
						<EmptyState title={t(`${k}.emptyTitle`)}>
							<Body1 as="p" block>
								{t(`${k}.emptyText`, { context })}
							</Body1>
						</EmptyState>
					) : (
						<>
							<ul
								className={styles.list}
								aria-labelledby={listId}
								data-testid={`${kind.testId}-list`}
							>
								{items.map((item) => (
									<ItemRow
										key={item.id}
										kind={kind}
										item={item}
										onRemove={() => {
											remove.reset();
											confirm.open(item);
										}}
									>
										{details(item)}
									</ItemRow>
								))}
							</ul>
							{list.hasNextPage && (
								<div>
									<Button
										onClick={() => list.fetchNextPage()}
										disabledFocusable={list.isFetchingNextPage}
									>
										{t(`${k}.more`)}
									</Button>
								</div>
							)}
						</>
					)}
				</section>
			</div>
			{target && (
				<ConfirmDialog
					testId={`${kind.remove}-${kind.id}-dialog`}
					title={t(`${k}.${kind.remove}Title`, kind.values(target))}
					confirmLabel={t(`${k}.${kind.remove}Confirm`)}
					pending={remove.isPending}
					error={remove.error}
					onCancel={confirm.cancel}
					onConfirm={removeTarget}
				>
					{confirmDetail?.(target)}
					<Body1 as="p" block>
						{t(`${k}.${kind.remove}Text`)}
					</Body1>
				</ConfirmDialog>
			)}
		</>
	);
}

/** An item's row: its icon, title and facts, and its remove button. */
function ItemRow<T extends { id: string }, N extends T>({
	kind,
	item,
	onRemove,
	children,
}: {
	kind: ItemKind<T, N>;
	item: T;
	onRemove: () => void;
	/** The item's facts. */
	children: ReactNode;
}) {
	const { t } = useTranslation("integrations");
	const styles = useSharedStyles();
	const Icon = kind.icon;
	const titleId = `${kind.id}-${item.id}`;
	return (
		<li
			className={styles.row}
			data-testid={`${kind.testId}-row`}
			{...{ [`data-${kind.id}-id`]: item.id }}
		>
			<div className={styles.rowMain}>
				<Icon className={styles.rowIcon} aria-hidden />
				<div className={styles.rowText}>
					<Text
						weight="semibold"
						id={titleId}
						className={kind.mono ? styles.mono : styles.name}
					>
						{kind.title(item)}
					</Text>
					{children}
				</div>
			</div>
			<Button onClick={onRemove} aria-describedby={titleId}>
				{t(`${kind.texts}.${kind.remove}`)}
			</Button>
		</li>
	);
}
