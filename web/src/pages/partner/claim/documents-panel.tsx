/**
 * PoE documents (R-CRT-7): name, type, size, upload time and a download link; uploads
 * with progress while the status allows (editable, or rejected for a dispute); removal
 * only while In progress.
 */
import {
	Button,
	Caption1,
	Dialog,
	DialogActions,
	DialogBody,
	DialogContent,
	DialogSurface,
	DialogTitle,
	Link,
	makeStyles,
	ProgressBar,
	Table,
	TableBody,
	TableCell,
	TableHeader,
	TableHeaderCell,
	TableRow,
	Text,
	tokens,
	useRestoreFocusTarget,
} from "@fluentui/react-components";
import {
	ArrowUpload20Regular,
	Delete20Regular,
	DocumentArrowDown20Regular,
} from "@fluentui/react-icons";
import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useInvalidateClaim } from "../../../api/claims.ts";
import { api, uploadWithProgress } from "../../../api/client.ts";
import type { Claim } from "../../../api/types.ts";
import { useNarrow } from "../../../components/narrow.ts";
import { SpokenStatus } from "../../../components/states.tsx";
import { formatBytes, formatDateTime, formatNumber } from "../../../format.ts";
import { ActionError } from "./errors.tsx";
import { documentTypeName, POE_ACCEPT } from "./model.ts";

const useStyles = makeStyles({
	tableWrap: { overflowX: "auto" },
	name: { overflowWrap: "anywhere" },
	upload: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		marginTop: tokens.spacingVerticalM,
	},
	uploads: {
		listStyleType: "none",
		padding: 0,
		margin: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
	uploadRow: { display: "flex", flexDirection: "column", gap: "2px" },
	hiddenInput: {
		position: "absolute",
		width: "1px",
		height: "1px",
		opacity: 0,
		overflow: "hidden",
	},
	muted: { color: tokens.colorNeutralForeground3 },
	docList: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	docItem: { display: "flex", flexDirection: "column", gap: "2px" },
	downloadCell: {
		display: "flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		// The icon keeps its size beside a long file name.
		"& > svg": { flexShrink: 0 },
	},
});

interface Upload {
	key: string;
	name: string;
	size: number;
	progress: number;
	state: "uploading" | "done" | "failed";
	error?: unknown;
}

export function DocumentsPanel({
	claim,
	canUploadNow,
	canRemove,
}: {
	claim: Claim;
	canUploadNow: boolean;
	canRemove: boolean;
}) {
	const { t } = useTranslation("claim");
	const styles = useStyles();
	const invalidate = useInvalidateClaim();
	const inputRef = useRef<HTMLInputElement>(null);
	const inputId = useId();
	const [uploads, setUploads] = useState<Upload[]>([]);
	const narrow = useNarrow();
	// The document last removed, said to screen readers; its button went with its row, so
	// the focus goes to the upload button.
	const [removed, setRemoved] = useState<string | null>(null);
	const uploadButton = useRef<HTMLButtonElement>(null);
	const panel = useRef<HTMLDivElement>(null);
	// Closed without removing, the confirmation gives the focus back to its Remove button.
	const restoreFocusTarget = useRestoreFocusTarget();
	// The document whose removal waits for the user's yes (it cannot be undone).
	const [confirming, setConfirming] = useState<{
		id: string;
		name: string;
	} | null>(null);
	const remove = useMutation({
		mutationFn: (d: { id: string; name: string }) =>
			api<Claim>(`/claims/${claim.id}/documents/${d.id}`, {
				method: "DELETE",
				version: claim.version,
			}),
		onSuccess: (_claim, d) => {
			// The same name twice in a row is said twice (a live region speaks changes).
			setRemoved((said) => (said === d.name ? `${d.name}\u00a0` : d.name));
			const button = uploadButton.current;
			if (button && !button.disabled && button.isConnected) button.focus();
			else panel.current?.focus();
		},
		onSettled: () => invalidate(claim.id),
	});

	const patch = (key: string, p: Partial<Upload>) =>
		setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...p } : u)));

	async function uploadFiles(files: File[]) {
		const batch = files.map((f, i) => ({
			key: `${Date.now()}-${i}-${f.name}`,
			name: f.name,
			size: f.size,
			progress: 0,
			state: "uploading" as const,
		}));
		setUploads((list) => [...list.filter((u) => u.state !== "done"), ...batch]);
		for (const [i, file] of files.entries()) {
			const key = (batch[i] as Upload).key;
			try {
				await uploadWithProgress(`/claims/${claim.id}/documents`, file, (p) =>
					patch(key, { progress: p }),
				);
				patch(key, { state: "done", progress: 1 });
			} catch (error) {
				patch(key, { state: "failed", error });
			}
			await invalidate(claim.id);
		}
	}

	const docs = claim.documents;
	return (
		// Takes the focus after a removal when there is no upload button to take it.
		<div ref={panel} tabIndex={-1}>
			{docs.length === 0 ? (
				<Text block data-testid="no-documents">
					{t("documents.none")}
				</Text>
			) : narrow ? (
				<ul
					className={styles.docList}
					aria-label={t("documents.title")}
					data-testid="documents"
				>
					{docs.map((d) => (
						<li
							key={d.id}
							className={styles.docItem}
							data-testid="document-row"
							data-document-id={d.id}
						>
							<Link
								className={styles.name}
								href={`/api/v1/claims/${claim.id}/documents/${d.id}`}
								download={d.name}
								aria-label={t("documents.download", { name: d.name })}
							>
								{d.name}
							</Link>
							<Caption1 className={styles.muted}>
								{documentTypeName(d.contentType)} · {formatBytes(d.size)} ·{" "}
								{formatDateTime(d.uploadedAt)}
								{d.purpose === "dispute"
									? ` · ${t("documents.forDispute")}`
									: ""}
							</Caption1>
							{canRemove && (
								<div>
									<Button
										size="small"
										icon={<Delete20Regular />}
										disabled={remove.isPending}
										onClick={() => setConfirming({ id: d.id, name: d.name })}
										{...restoreFocusTarget}
										aria-label={t("documents.remove", { name: d.name })}
									>
										{t("documents.removeShort")}
									</Button>
								</div>
							)}
						</li>
					))}
				</ul>
			) : (
				<div className={styles.tableWrap}>
					<Table aria-label={t("documents.title")} data-testid="documents">
						<TableHeader>
							<TableRow>
								<TableHeaderCell>{t("documents.name")}</TableHeaderCell>
								<TableHeaderCell>{t("documents.type")}</TableHeaderCell>
								<TableHeaderCell>{t("documents.size")}</TableHeaderCell>
								<TableHeaderCell>{t("documents.uploaded")}</TableHeaderCell>
								{canRemove && (
									<TableHeaderCell>
										<span className={styles.muted}>
											{t("documents.actions")}
										</span>
									</TableHeaderCell>
								)}
							</TableRow>
						</TableHeader>
						<TableBody>
							{docs.map((d) => (
								<TableRow
									key={d.id}
									data-testid="document-row"
									data-document-id={d.id}
								>
									<TableCell>
										<span className={styles.downloadCell}>
											<DocumentArrowDown20Regular aria-hidden />
											<Link
												className={styles.name}
												href={`/api/v1/claims/${claim.id}/documents/${d.id}`}
												download={d.name}
												aria-label={t("documents.download", { name: d.name })}
											>
												{d.name}
											</Link>
										</span>
										{d.purpose === "dispute" && (
											<Caption1 block className={styles.muted}>
												{t("documents.forDispute")}
											</Caption1>
										)}
									</TableCell>
									<TableCell>{documentTypeName(d.contentType)}</TableCell>
									<TableCell>{formatBytes(d.size)}</TableCell>
									<TableCell>{formatDateTime(d.uploadedAt)}</TableCell>
									{canRemove && (
										<TableCell>
											<Button
												size="small"
												icon={<Delete20Regular />}
												disabled={remove.isPending}
												onClick={() =>
													setConfirming({ id: d.id, name: d.name })
												}
												{...restoreFocusTarget}
												aria-label={t("documents.remove", { name: d.name })}
											>
												{t("documents.removeShort")}
											</Button>
										</TableCell>
									)}
								</TableRow>
							))}
						</TableBody>
					</Table>
				</div>
			)}
			<Dialog
				open={confirming !== null}
				onOpenChange={(_, d) => !d.open && setConfirming(null)}
			>
				<DialogSurface>
					<DialogBody>
						<DialogTitle>
							{t("documents.removeTitle", { name: confirming?.name ?? "" })}
						</DialogTitle>
						<DialogContent>
							{claim.documents.filter((d) => d.purpose !== "dispute").length ===
								1 && claim.status === "draft"
								? t("documents.removeTextLast")
								: t("documents.removeText")}
						</DialogContent>
						<DialogActions>
							{/* Cancel first, where the dialog puts the focus: a second Enter must not remove it. */}
							<Button onClick={() => setConfirming(null)}>
								{t("common:cancel")}
							</Button>
							<Button
								appearance="primary"
								icon={<Delete20Regular />}
								style={{
									backgroundColor: tokens.colorStatusDangerBackground3,
									color: tokens.colorNeutralForegroundOnBrand,
								}}
								onClick={() => {
									if (confirming) remove.mutate(confirming);
									setConfirming(null);
								}}
							>
								{t("documents.removeShort")}
							</Button>
						</DialogActions>
					</DialogBody>
				</DialogSurface>
			</Dialog>
			{remove.isError && (
				<ActionError error={remove.error} onDismiss={() => remove.reset()} />
			)}
			<SpokenStatus
				text={removed ? t("documents.removedNamed", { name: removed }) : ""}
				testId="removed-status"
			/>
			{canUploadNow && (
				<div className={styles.upload}>
					<input
						id={inputId}
						ref={inputRef}
						type="file"
						multiple
						accept={POE_ACCEPT}
						className={styles.hiddenInput}
						tabIndex={-1}
						aria-label={t("documents.chooseFiles")}
						data-testid="poe-file-input"
						onChange={(e) => {
							const files = Array.from(e.target.files ?? []);
							e.target.value = "";
							if (files.length) void uploadFiles(files);
						}}
					/>
					<div>
						<Button
							ref={uploadButton}
							icon={<ArrowUpload20Regular />}
							onClick={() => inputRef.current?.click()}
							disabled={uploads.some((u) => u.state === "uploading")}
						>
							{t("documents.upload")}
						</Button>
					</div>
					<Caption1 className={styles.muted}>
						{claim.status === "rejected"
							? t("documents.hintDispute")
							: t("documents.hint")}
					</Caption1>
					{/* Each finished upload said once to screen readers (the list's percentages
					    would chatter). */}
					<SpokenStatus
						text={uploads
							.filter((u) => u.state !== "uploading")
							.map((u) =>
								t(
									u.state === "done"
										? "documents.uploadedNamed"
										: "documents.failedNamed",
									{ name: u.name },
								),
							)
							.join(" ")}
						testId="uploads-status"
					/>
					{uploads.length > 0 && (
						<ul className={styles.uploads} aria-label={t("documents.uploads")}>
							{uploads.map((u) => (
								<li
									key={u.key}
									className={styles.uploadRow}
									data-testid="upload"
								>
									<Text>
										{u.name} · {formatBytes(u.size)} ·{" "}
										{u.state === "uploading"
											? t("documents.progress", {
													percent: formatNumber(Math.round(u.progress * 100)),
												})
											: u.state === "done"
												? t("documents.uploadedOk")
												: t("documents.failed")}
									</Text>
									{u.state === "uploading" && (
										<ProgressBar
											value={u.progress}
											max={1}
											aria-label={t("documents.progressLabel", {
												name: u.name,
											})}
										/>
									)}
									{u.state === "failed" && <ActionError error={u.error} />}
								</li>
							))}
						</ul>
					)}
				</div>
			)}
		</div>
	);
}
