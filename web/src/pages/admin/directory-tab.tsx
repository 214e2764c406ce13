/**
 * The directory as it is (SPEC R-DIR-6: reference data the platform admin loads and
 * maintains; GET /admin/directory/tenants, /partners and /users): customers with their
 * verified domains and subscriptions, partners with their MPN IDs and programs, and (the
 * platform admin's alone) the people who can sign in with their roles, found by a name's
 * first letters or an exact ID, a page at a time. Changing it is the Directory import
 * tab's work.
 */
import {
	Badge,
	Body1,
	Button,
	Caption1,
	Card,
	Field,
	makeStyles,
	Radio,
	RadioGroup,
	SearchBox,
	Table,
	TableBody,
	TableCell,
	TableHeader,
	TableHeaderCell,
	TableRow,
	Text,
	tokens,
} from "@fluentui/react-components";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type DirectoryKind, useDirectoryLookup } from "../../api/directory.ts";
import type {
	DirectoryPartner,
	DirectoryTenant,
	DirectoryUser,
} from "../../api/types.ts";
import { ScrollRegion } from "../../components/scroll-region.tsx";
import {
	EmptyState,
	ErrorMessage,
	Loading,
	ResultsStatus,
} from "../../components/states.tsx";
import { formatNumber } from "../../format.ts";
import { LANGUAGES } from "../../i18n/index.ts";

const useStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		maxWidth: "960px",
	},
	controls: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalL,
		alignItems: "flex-end",
	},
	search: { minWidth: "min(100%, 360px)" },
	list: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	head: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "baseline",
		gap: tokens.spacingHorizontalM,
	},
	mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
	roles: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
	},
	muted: { color: tokens.colorNeutralForeground3 },
});

/** What the search finds, per kind of entry (its field's hint). */
const SEARCH_HINTS: Record<DirectoryKind, string> = {
	tenants: "directory.searchTenantsHint",
	partners: "directory.searchPartnersHint",
	users: "directory.searchUsersHint",
};

/**
 * The look-up; `canImport` (the platform admin) says in its introduction that the import
 * tab changes the directory.
 */
export function DirectoryTab({ canImport = true }: { canImport?: boolean }) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	const [kind, setKind] = useState<DirectoryKind>("tenants");
	const [typed, setTyped] = useState("");
	const [q, setQ] = useState("");
	useEffect(() => {
		const id = setTimeout(() => setQ(typed.trim()), 300);
		return () => clearTimeout(id);
	}, [typed]);
	const list = useDirectoryLookup(kind, q);
	const items = list.data?.pages.flatMap((p) => p.items) ?? [];
	const listRef = useRef<HTMLUListElement>(null);
	// After "Show more" loads the last page the button is gone: the first new entry
	// takes the focus, once the entries are drawn.
	const focusFrom = useRef<number | null>(null);
	useEffect(() => {
		const from = focusFrom.current;
		if (from === null || items.length <= from || list.isFetchingNextPage)
			return;
		focusFrom.current = null;
		if (!list.hasNextPage)
			listRef.current
				?.querySelectorAll<HTMLElement>(":scope > li")
				[from]?.focus();
	}, [items.length, list.hasNextPage, list.isFetchingNextPage]);

	return (
		<div className={styles.root} data-testid="directory">
			<Body1 as="p" block>
				{t(canImport ? "directory.intro" : "directory.introReviewer")}
			</Body1>
			<div className={styles.controls}>
				<Field label={t("directory.show")}>
					<RadioGroup
						layout="horizontal"
						value={kind}
						onChange={(_, d) => setKind(d.value as DirectoryKind)}
					>
						<Radio value="tenants" label={t("directory.tenants")} />
						<Radio value="partners" label={t("directory.partners")} />
						{canImport && <Radio value="users" label={t("directory.users")} />}
					</RadioGroup>
				</Field>
				<Field
					className={styles.search}
					label={t("directory.search")}
					hint={t(SEARCH_HINTS[kind])}
				>
					<SearchBox
						value={typed}
						onChange={(_, d) => setTyped(d.value)}
						data-testid="directory-search"
					/>
				</Field>
			</div>
			<ResultsStatus
				ready={!!list.data && !list.isFetching}
				count={items.length}
				empty={q ? t("directory.noMatch", { q }) : t(`directory.empty.${kind}`)}
				shown={t("directory.shown", { count: items.length })}
			/>
			{list.isLoading ? (
				<Loading />
			) : list.isError && !list.data ? (
				<ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
			) : items.length === 0 ? (
				<EmptyState
					title={
						q ? t("directory.noMatch", { q }) : t(`directory.empty.${kind}`)
					}
				>
					<Body1>
						{q
							? t("directory.noMatchText")
							: canImport
								? t("directory.emptyText")
								: ""}
					</Body1>
				</EmptyState>
			) : (
				<ul
					ref={listRef}
					className={styles.list}
					aria-label={t(`directory.${kind}`)}
					data-testid="directory-results"
				>
					{items.map((item) =>
						"email" in item ? (
							<UserCard key={item.id} user={item} />
						) : "domains" in item ? (
							<TenantCard key={item.tenantId} tenant={item} />
						) : (
							<PartnerCard key={item.organizationId} partner={item} />
						),
					)}
				</ul>
			)}
			{list.hasNextPage && (
				<div>
					<Button
						onClick={() => {
							focusFrom.current = items.length;
							void list.fetchNextPage();
						}}
						disabledFocusable={list.isFetchingNextPage}
					>
						{t("directory.more")}
					</Button>
				</div>
			)}
			{list.isError && list.data && <ErrorMessage error={list.error} />}
		</div>
	);
}

/**
 * One entry of the results: a card headed by the name and ID (the list item takes the
 * focus after "Show more"), with `children` below.
 */
function DirectoryEntry({
	testId,
	name,
	id,
	children,
}: {
	testId: string;
	name: string;
	id: string;
	children: ReactNode;
}) {
	const styles = useStyles();
	return (
		<li tabIndex={-1} data-testid={testId}>
			<Card>
				<div className={styles.head}>
					<Text as="h3" weight="semibold" size={400}>
						{name}
					</Text>
					<Caption1 className={styles.mono}>{id}</Caption1>
				</div>
				{children}
			</Card>
		</li>
	);
}

function TenantCard({ tenant }: { tenant: DirectoryTenant }) {
	const { t } = useTranslation("admin");
	const styles = useStyles();
	return (
		<DirectoryEntry
			testId="directory-tenant"
			name={tenant.name}
			id={tenant.tenantId}
		>
			<Body1>
				{t("directory.domains")}:{" "}
				{tenant.domains.length ? (
					<span className={styles.mono}>{tenant.domains.join(", ")}</span>
				) : (
					<span className={styles.muted}>{t("directory.none")}</span>
				)}
			</Body1>
			{tenant.subscriptions.length === 0 ? (
				<Caption1 className={styles.muted}>
					{t("directory.noSubscriptions")}
				</Caption1>
			) : (
				<ScrollRegion
					label={t("directory.subscriptionsOf", { name: tenant.name })}
				>
					<Table size="small">
						<TableHeader>
							<TableRow>
								<TableHeaderCell>{t("directory.product")}</TableHeaderCell>
								<TableHeaderCell>{t("directory.subscription")}</TableHeaderCell>
								<TableHeaderCell>{t("directory.channel")}</TableHeaderCell>
								<TableHeaderCell>{t("directory.status")}</TableHeaderCell>
							</TableRow>
						</TableHeader>
						<TableBody>
							{tenant.subscriptions.map((s) => (
								<TableRow key={s.subscriptionId}>
									<TableCell>{s.productName ?? s.productId}</TableCell>
									<TableCell className={styles.mono}>
										{s.subscriptionId}
									</TableCell>
									<TableCell>
										{t(`directory.channels.${s.channel}`, {
											defaultValue: s.channel,
										})}
									</TableCell>
									<TableCell>
										{t(`directory.statuses.${s.status}`, {
											defaultValue: s.status,
										})}
										{!s.provisioned && (
											<>
												{" "}
												<Badge appearance="outline" color="warning">
													{t("directory.notProvisioned")}
												</Badge>
											</>
										)}
									</TableCell>
								</TableRow>
							))}
						</TableBody>
					</Table>
				</ScrollRegion>
			)}
		</DirectoryEntry>
	);
}

function PartnerCard({ partner }: { partner: DirectoryPartner }) {
	const { t } = useTranslation(["admin", "common"]);
	const styles = useStyles();
	return (
		<DirectoryEntry
			testId="directory-partner"
			name={partner.name}
			id={partner.organizationId}
		>
			{partner.mpnIds.length === 0 ? (
				<Caption1 className={styles.muted}>{t("directory.noMpnIds")}</Caption1>
			) : (
				<ScrollRegion label={t("directory.mpnIdsOf", { name: partner.name })}>
					<Table size="small">
						<TableHeader>
							<TableRow>
								<TableHeaderCell>{t("directory.mpnId")}</TableHeaderCell>
								<TableHeaderCell>{t("directory.programs")}</TableHeaderCell>
								<TableHeaderCell>{t("directory.inUse")}</TableHeaderCell>
							</TableRow>
						</TableHeader>
						<TableBody>
							{partner.mpnIds.map((m) => (
								<TableRow key={m.mpnId}>
									<TableCell className={styles.mono}>{m.mpnId}</TableCell>
									<TableCell>
										{m.programs.length
											? m.programs
													.map((p) =>
														t(`common:program.${p}`, { defaultValue: p }),
													)
													.join(", ")
											: t("directory.notEnrolled")}
									</TableCell>
									<TableCell>
										{m.inUse ? t("directory.yes") : t("directory.setAside")}
									</TableCell>
								</TableRow>
							))}
						</TableBody>
					</Table>
				</ScrollRegion>
			)}
			<Caption1 className={styles.muted}>
				{t("directory.mpnCount", {
					count: partner.mpnIds.length,
					formatted: formatNumber(partner.mpnIds.length),
				})}
			</Caption1>
		</DirectoryEntry>
	);
}

/**
 * A person who can sign in: email, roles, the organization or customer they belong to
 * (or none: platform staff), and their language.
 */
function UserCard({ user }: { user: DirectoryUser }) {
	const { t } = useTranslation(["admin", "common"]);
	const styles = useStyles();
	const language =
		LANGUAGES.find((l) => l.code === user.locale)?.name ?? user.locale;
	return (
		<DirectoryEntry testId="directory-user" name={user.name} id={user.email}>
			<ul className={styles.roles} aria-label={t("directory.roles")}>
				{user.roles.map((role) => (
					<li key={role}>
						<Badge appearance="tint">
							{t(`common:roles.${role}`, { defaultValue: role })}
						</Badge>
					</li>
				))}
			</ul>
			<Body1>
				{user.organizationId ? (
					<>
						{t("directory.organization")}:{" "}
						{user.organizationName ?? user.organizationId}{" "}
						<span className={styles.mono}>({user.organizationId})</span>
					</>
				) : user.tenantId ? (
					<>
						{t("directory.tenant")}: {user.tenantName ?? user.tenantId}{" "}
						<span className={styles.mono}>({user.tenantId})</span>
					</>
				) : (
					<span className={styles.muted}>{t("directory.staff")}</span>
				)}
			</Body1>
			<Caption1 className={styles.muted}>
				{t("directory.language")}: <span lang={user.locale}>{language}</span>
				{" · "}
				{t("directory.userId")}: <span className={styles.mono}>{user.id}</span>
			</Caption1>
		</DirectoryEntry>
	);
}
