/**
 * The dev mailbox (R-NTF-1; docs/api.md "Dev mailbox"): email kept instead of sent, newest
 * first, filtered by recipient; a message opens with its HTML in a sandboxed frame whose
 * links open in a new tab (so the consent notice's opt-out link can be followed).
 */
import {
	Badge,
	Body1,
	Button,
	Caption1,
	Field,
	Input,
	Link,
	makeStyles,
	mergeClasses,
	Table,
	TableBody,
	TableCell,
	TableHeader,
	TableHeaderCell,
	TableRow,
	Text,
	tokens,
} from "@fluentui/react-components";
import { DismissRegular, MailRegular } from "@fluentui/react-icons";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client.ts";
import { RefreshButton } from "../../components/refresh-button.tsx";
import { ScrollRegion } from "../../components/scroll-region.tsx";
import { EmptyState, ErrorMessage, Loading } from "../../components/states.tsx";
import { formatDateTime } from "../../format.ts";

/** A message of GET /admin/mailbox. */
interface MailSummary {
	id: string;
	to: string;
	subject: string | null;
	locale: string | null;
	kind: string | null;
	eventType: string | null;
	claimId: string | null;
	outcome: string;
	attempts: number;
	lastError: string | null;
	createdAt: string;
	deliveredAt: string | null;
}
/** GET /admin/mailbox/{id}. */
interface MailMessage extends MailSummary {
	text: string | null;
	html: string | null;
}

const KINDS = [
	"submitted",
	"information_requested",
	"approved",
	"consent_notice",
	"consent_declined",
	"rejected",
	"dispute_decided",
	"association_activated",
	"partner_reminder",
	"reviewer_reminder",
];
const PAGE = 50;

const useStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	filter: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalM,
		alignItems: "flex-end",
	},
	to: { minWidth: "min(100%, 320px)" },
	layout: {
		display: "grid",
		gridTemplateColumns: "minmax(0, 5fr) minmax(0, 6fr)",
		gap: tokens.spacingHorizontalL,
		alignItems: "start",
		"@media (max-width: 1100px)": { gridTemplateColumns: "minmax(0, 1fr)" },
	},
	selected: { backgroundColor: tokens.colorBrandBackground2 },
	// The table's rows highlight on hover: a click anywhere on one opens its message (the
	// subject stays the button that keyboards and screen readers use).
	row: { cursor: "pointer" },
	subject: { textAlign: "start", overflowWrap: "anywhere" },
	mono: {
		fontFamily: tokens.fontFamilyMonospace,
		fontSize: tokens.fontSizeBase200,
		overflowWrap: "anywhere",
	},
	message: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		padding: tokens.spacingHorizontalM,
		backgroundColor: tokens.colorNeutralBackground1,
		minWidth: 0,
		"@media (min-width: 1101px)": {
			position: "sticky",
			top: tokens.spacingVerticalS,
			maxHeight: `calc(100vh - 2 * ${tokens.spacingVerticalS})`,
			overflowY: "auto",
			boxSizing: "border-box",
		},
	},
	messageHead: {
		display: "flex",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalS,
		alignItems: "flex-start",
	},
	meta: {
		display: "grid",
		gridTemplateColumns: "max-content 1fr",
		columnGap: tokens.spacingHorizontalM,
		margin: 0,
		"& dt": { fontWeight: tokens.fontWeightSemibold },
		"& dd": { margin: 0, overflowWrap: "anywhere" },
	},
	frame: {
		width: "100%",
		height: "70vh",
		minHeight: "420px",
		"@media (min-width: 1101px)": { height: "60vh" },
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: "#fff",
	},
	text: {
		whiteSpace: "pre-wrap",
		overflowWrap: "anywhere",
		fontFamily: tokens.fontFamilyMonospace,
		fontSize: tokens.fontSizeBase200,
	},
});

export function MailboxTab() {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const [draft, setDraft] = useState("");
	const [to, setTo] = useState("");
	const [openId, setOpenId] = useState<string | null>(null);
	const list = useInfiniteQuery({
		queryKey: ["admin", "mailbox", to],
		queryFn: ({ pageParam }) => {
			const q = new URLSearchParams({ limit: String(PAGE) });
			if (to) q.set("to", to);
			if (pageParam) q.set("cursor", pageParam);
			return api<{ items: MailSummary[]; nextCursor: string | null }>(
				`/admin/mailbox?${q}`,
			);
		},
		initialPageParam: "",
		getNextPageParam: (last) => last.nextCursor ?? undefined,
	});
	const items = list.data?.pages.flatMap((p) => p.items) ?? [];

	return (
		<div className={styles.root}>
			<Body1 as="p" block>
				{t("mailbox.intro")}
			</Body1>
			<form
				className={styles.filter}
				onSubmit={(e) => {
					e.preventDefault();
					setTo(draft.trim());
					setOpenId(null);
				}}
				aria-label={t("mailbox.filterLabel")}
			>
				<Field
					className={styles.to}
					label={t("mailbox.recipient")}
					hint={t("mailbox.recipientHint")}
				>
					<Input
						type="email"
						value={draft}
						onChange={(_, d) => setDraft(d.value)}
						placeholder="carl.customer@contoso.example"
						autoComplete="off"
					/>
				</Field>
				<Button type="submit" appearance="primary">
					{t("mailbox.filter")}
				</Button>
				{to && (
					<Button
						onClick={() => {
							setDraft("");
							setTo("");
						}}
					>
						{t("mailbox.showAll")}
					</Button>
				)}
				<RefreshButton query={list}>{t("mailbox.refresh")}</RefreshButton>
			</form>

			<div className={styles.layout}>
				<div>
					{list.isLoading ? (
						<Loading />
					) : list.isError ? (
						<ErrorMessage error={list.error} onRetry={() => list.refetch()} />
					) : items.length === 0 ? (
						<EmptyState
							title={to ? t("mailbox.emptyFor", { to }) : t("mailbox.empty")}
						>
							<Body1>{t("mailbox.emptyText")}</Body1>
						</EmptyState>
					) : (
						<>
							<ScrollRegion label={t("mailbox.listLabel")}>
								<Table
									size="small"
									style={{ minWidth: "320px" }}
									aria-label={t("mailbox.listLabel")}
								>
									<TableHeader>
										<TableRow>
											<TableHeaderCell>{t("mailbox.message")}</TableHeaderCell>
											<TableHeaderCell style={{ width: "90px" }}>
												{t("mailbox.outcome")}
											</TableHeaderCell>
										</TableRow>
									</TableHeader>
									<TableBody>
										{items.map((m) => (
											<TableRow
												key={m.id}
												data-testid="mail-row"
												data-mail-id={m.id}
												className={mergeClasses(
													styles.row,
													openId === m.id && styles.selected,
												)}
												onClick={() => setOpenId(m.id)}
											>
												<TableCell>
													<Link
														as="button"
														className={styles.subject}
														onClick={() => setOpenId(m.id)}
														aria-current={openId === m.id ? "true" : undefined}
													>
														{m.subject || t("mailbox.noSubject")}
													</Link>
													<Caption1 block className={styles.mono}>
														{m.to}
													</Caption1>
													<Caption1 block>
														{[
															formatDateTime(m.createdAt),
															m.kind ? kindLabel(t, m.kind) : null,
														]
															.filter(Boolean)
															.join(" · ")}
													</Caption1>
												</TableCell>
												<TableCell>
													<Badge
														appearance="tint"
														color={
															m.outcome === "failed"
																? "danger"
																: m.outcome === "pending"
																	? "warning"
																	: "informative"
														}
													>
														{t(`mailbox.outcomes.${m.outcome}`, {
															defaultValue: m.outcome,
														})}
													</Badge>
												</TableCell>
											</TableRow>
										))}
									</TableBody>
								</Table>
							</ScrollRegion>
							{list.hasNextPage && (
								<Button
									style={{ marginTop: 8 }}
									onClick={() => list.fetchNextPage()}
									disabledFocusable={list.isFetchingNextPage}
								>
									{t("mailbox.more")}
								</Button>
							)}
						</>
					)}
				</div>
				{openId && (
					<MessageView
						id={openId}
						onClose={() => {
							setOpenId(null);
							// Back to the message's subject in the list, where the reader was.
							setTimeout(
								() =>
									document
										.querySelector<HTMLElement>(
											`[data-mail-id="${CSS.escape(openId)}"] button`,
										)
										?.focus(),
								0,
							);
						}}
					/>
				)}
			</div>
		</div>
	);
}

function kindLabel(
	t: (key: string, opts?: Record<string, unknown>) => string,
	kind: string,
): string {
	return KINDS.includes(kind) ? t(`mailbox.kinds.${kind}`) : kind;
}

/** Makes every link of the message open in a new tab (the frame itself stays put). */
function withLinksInNewTab(html: string): string {
	const base = '<base target="_blank">';
	return /<head[^>]*>/i.test(html)
		? html.replace(/<head[^>]*>/i, (m) => `${m}${base}`)
		: `${base}${html}`;
}

function MessageView({ id, onClose }: { id: string; onClose: () => void }) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const heading = useRef<HTMLHeadingElement>(null);
	const message = useQuery({
		queryKey: ["admin", "mailbox", "message", id],
		queryFn: () => api<MailMessage>(`/admin/mailbox/${encodeURIComponent(id)}`),
	});
	useEffect(() => {
		if (message.data) heading.current?.focus();
	}, [message.data]);
	return (
		<section
			className={styles.message}
			aria-labelledby="mail-subject"
			data-testid="mail-message"
		>
			{message.isLoading ? (
				<Loading />
			) : message.isError || !message.data ? (
				<ErrorMessage error={message.error} onRetry={() => message.refetch()} />
			) : (
				<>
					<div className={styles.messageHead}>
						<Text
							as="h3"
							size={500}
							weight="semibold"
							id="mail-subject"
							ref={heading}
							tabIndex={-1}
						>
							<MailRegular
								aria-hidden
								style={{ verticalAlign: "middle", marginRight: 6 }}
							/>
							{message.data.subject || t("mailbox.noSubject")}
						</Text>
						<Button
							appearance="subtle"
							icon={<DismissRegular />}
							aria-label={t("mailbox.closeMessage")}
							onClick={onClose}
						/>
					</div>
					<dl className={styles.meta}>
						<dt>{t("mailbox.to")}</dt>
						<dd className={styles.mono}>{message.data.to}</dd>
						<dt>{t("mailbox.received")}</dt>
						<dd>{formatDateTime(message.data.createdAt)}</dd>
						{message.data.kind && (
							<>
								<dt>{t("mailbox.kind")}</dt>
								<dd>{kindLabel(t, message.data.kind)}</dd>
							</>
						)}
						{message.data.locale && (
							<>
								<dt>{t("mailbox.language")}</dt>
								<dd>{message.data.locale}</dd>
							</>
						)}
						{message.data.claimId && (
							<>
								<dt>{t("mailbox.claim")}</dt>
								<dd className={styles.mono}>{message.data.claimId}</dd>
							</>
						)}
						{message.data.lastError && (
							<>
								<dt>{t("mailbox.lastError")}</dt>
								<dd>{message.data.lastError}</dd>
							</>
						)}
					</dl>
					{message.data.html ? (
						<>
							<Caption1>{t("mailbox.linksHint")}</Caption1>
							<iframe
								className={styles.frame}
								title={t("mailbox.frameTitle", {
									subject: message.data.subject ?? "",
								})}
								sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
								srcDoc={withLinksInNewTab(message.data.html)}
								data-testid="mail-html"
							/>
						</>
					) : (
						<pre className={styles.text}>{message.data.text ?? ""}</pre>
					)}
					{message.data.html && message.data.text && (
						<details>
							<summary>{t("mailbox.textVersion")}</summary>
							<pre className={styles.text}>{message.data.text}</pre>
						</details>
					)}
				</>
			)}
		</section>
	);
}
