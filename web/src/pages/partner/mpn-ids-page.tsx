/**
 * The organization's MPN IDs (R-CRT-2) and which of them it uses for claims (R-ROL-1):
 * every partner user sees them; the Global and Incentives admins set one aside or use
 * it again (PATCH /mpn-ids/{mpnId}). New claims and submits need an MPN ID in use;
 * claims already submitted go on.
 */
import {
	Badge,
	Caption1,
	MessageBar,
	MessageBarBody,
	makeStyles,
	Switch,
	Table,
	TableBody,
	TableCell,
	TableHeader,
	TableHeaderCell,
	TableRow,
	Text,
	tokens,
} from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client.ts";
import { mpnIdsQuery, useMpnIds } from "../../api/directory.ts";
import { useMe } from "../../api/session.ts";
import type { MpnId } from "../../api/types.ts";
import { Page } from "../../components/page.tsx";
import { useFocusWhenShown } from "../../components/return-focus.ts";
import { ScrollRegion } from "../../components/scroll-region.tsx";
import { EmptyState, ErrorMessage, Loading } from "../../components/states.tsx";

const useStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
		maxWidth: "860px",
	},
	mono: { fontFamily: tokens.fontFamilyMonospace },
	programs: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
	},
});

/** R-ROL-1: the roles that manage which MPN IDs are used (as the server's manageMpnIds). */
const MANAGERS = ["global_admin", "incentives_admin"];

export function MpnIdsPage() {
	const styles = useStyles();
	const { t } = useTranslation("dashboard");
	const me = useMe();
	const mpnIds = useMpnIds();
	const qc = useQueryClient();
	const canManage = !!me.data?.roles.some((r) => MANAGERS.includes(r));
	const [notice, setNotice] = useState<string | null>(null);
	const noticeRef = useFocusWhenShown<HTMLDivElement>(notice);
	const change = useMutation({
		mutationFn: (v: { mpnId: string; inUse: boolean }) =>
			api<MpnId>(`/mpn-ids/${encodeURIComponent(v.mpnId)}`, {
				method: "PATCH",
				body: { inUse: v.inUse },
			}),
		onSuccess: (m) => {
			setNotice(
				t(m.inUse ? "mpnIds.nowInUse" : "mpnIds.nowAside", { mpn: m.mpnId }),
			);
			void qc.invalidateQueries({ queryKey: mpnIdsQuery.queryKey });
		},
	});
	return (
		<Page title={t("mpnIds.title")}>
			<div className={styles.root}>
				<Text>{canManage ? t("mpnIds.introAdmin") : t("mpnIds.intro")}</Text>
				{notice && (
					<MessageBar
						intent="success"
						role="status"
						ref={noticeRef}
						tabIndex={-1}
						data-testid="mpn-notice"
					>
						<MessageBarBody>{notice}</MessageBarBody>
					</MessageBar>
				)}
				{change.isError && <ErrorMessage error={change.error} />}
				{mpnIds.isLoading ? (
					<Loading />
				) : mpnIds.isError ? (
					<ErrorMessage
						error={mpnIds.error}
						onRetry={() => void mpnIds.refetch()}
					/>
				) : (mpnIds.data ?? []).length === 0 ? (
					<EmptyState title={t("mpnIds.empty")} />
				) : (
					<ScrollRegion label={t("mpnIds.title")}>
						<Table data-testid="mpn-ids">
							<TableHeader>
								<TableRow>
									<TableHeaderCell>{t("mpnIds.col.mpnId")}</TableHeaderCell>
									<TableHeaderCell>{t("mpnIds.col.programs")}</TableHeaderCell>
									<TableHeaderCell>{t("mpnIds.col.inUse")}</TableHeaderCell>
								</TableRow>
							</TableHeader>
							<TableBody>
								{(mpnIds.data ?? []).map((m) => (
									<TableRow
										key={m.mpnId}
										data-testid="mpn-row"
										data-mpn-id={m.mpnId}
									>
										<TableCell className={styles.mono}>{m.mpnId}</TableCell>
										<TableCell>
											{m.programs.length > 0 ? (
												<span className={styles.programs}>
													{m.programs.map((p) => (
														<Badge key={p} appearance="tint">
															{t(`common:program.${p}`)}
														</Badge>
													))}
												</span>
											) : (
												<Caption1>{t("mpnIds.noPrograms")}</Caption1>
											)}
										</TableCell>
										<TableCell>
											{canManage ? (
												<Switch
													checked={m.inUse}
													disabled={
														change.isPending &&
														change.variables?.mpnId === m.mpnId
													}
													label={
														m.inUse ? t("mpnIds.inUse") : t("mpnIds.aside")
													}
													aria-label={t("mpnIds.switchLabel", { mpn: m.mpnId })}
													onChange={(_, d) => {
														setNotice(null);
														change.mutate({ mpnId: m.mpnId, inUse: d.checked });
													}}
												/>
											) : (
												<Text>
													{m.inUse ? t("mpnIds.inUse") : t("mpnIds.aside")}
												</Text>
											)}
										</TableCell>
									</TableRow>
								))}
							</TableBody>
						</Table>
					</ScrollRegion>
				)}
			</div>
		</Page>
	);
}
