/**
 * Step 6: proof of execution (R-CRT-7). Drop files or choose them; each uploads with a
 * progress bar; the server checks type (by content) and size and its refusal shows on
 * the file. Uploaded files can be removed while the claim is In progress.
 */
import {
	Button,
	Link,
	MessageBar,
	MessageBarBody,
	makeStyles,
	mergeClasses,
	ProgressBar,
	Text,
	tokens,
} from "@fluentui/react-components";
import {
	ArrowDownloadRegular,
	ArrowUploadRegular,
	DeleteRegular,
	DismissRegular,
	DocumentRegular,
} from "@fluentui/react-icons";
import { type DragEvent, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api, uploadWithProgress } from "../../../../api/client.ts";
import type { Claim } from "../../../../api/types.ts";
import { VISUALLY_HIDDEN } from "../../../../components/states.tsx";
import { formatBytes, formatDateTime } from "../../../../format.ts";
import { useWizard } from "../context.ts";
import { useAnyErrorText } from "../errors.tsx";
import { StepFooter } from "../layout.tsx";
import { POE_ACCEPT, POE_TYPES } from "../model.ts";

const useStyles = makeStyles({
	wrap: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	columns: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXL,
	},
	main: {
		flexGrow: 2,
		flexBasis: "380px",
		minWidth: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	aside: {
		flexGrow: 1,
		flexBasis: "240px",
		minWidth: 0,
		backgroundColor: tokens.colorNeutralBackground2,
		borderRadius: tokens.borderRadiusMedium,
		padding: tokens.spacingHorizontalL,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
	asideList: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
	drop: {
		display: "flex",
		flexDirection: "column",
		alignItems: "center",
		textAlign: "center",
		gap: tokens.spacingVerticalS,
		padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`,
		border: `2px dashed ${tokens.colorNeutralStroke1}`,
		borderRadius: tokens.borderRadiusLarge,
		backgroundColor: tokens.colorNeutralBackground1,
		"& input:focus-visible + label": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
			outlineOffset: "2px",
		},
	},
	dragging: {
		border: `2px dashed ${tokens.colorBrandStroke1}`,
		backgroundColor: tokens.colorBrandBackground2,
	},
	icon: { fontSize: "32px", color: tokens.colorBrandForeground1 },
	srOnly: VISUALLY_HIDDEN,
	choose: {
		display: "inline-flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: tokens.colorBrandBackground,
		color: tokens.colorNeutralForegroundOnBrand,
		fontWeight: tokens.fontWeightSemibold,
		cursor: "pointer",
		":hover": { backgroundColor: tokens.colorBrandBackgroundHover },
	},
	hint: { color: tokens.colorNeutralForeground2 },
	list: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
	row: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalS,
		padding: tokens.spacingHorizontalS,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
	},
	rowMain: {
		flexGrow: 1,
		flexBasis: "200px",
		minWidth: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXXS,
	},
	name: { overflowWrap: "anywhere", fontWeight: tokens.fontWeightSemibold },
	meta: { color: tokens.colorNeutralForeground2 },
	rowError: { color: tokens.colorPaletteRedForeground1 },
});

interface Upload {
	key: number;
	name: string;
	size: number;
	state: "waiting" | "uploading" | "error";
	progress: number;
	error?: unknown;
}

export function PoeStep() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const w = useWizard();
	const errorText = useAnyErrorText();
	const inputId = useId();
	const claim = w.claim;
	const [uploads, setUploads] = useState<Upload[]>([]);
	const [dragging, setDragging] = useState(false);
	const [announce, setAnnounce] = useState("");
	const [actionError, setActionError] = useState<unknown>(null);
	const [needDocument, setNeedDocument] = useState(false);
	const counter = useRef(0);
	const input = useRef<HTMLInputElement>(null);

	if (!claim) {
		return (
			<MessageBar intent="warning">
				<MessageBarBody>{t("errors.noDraft")}</MessageBarBody>
			</MessageBar>
		);
	}

	const update = (key: number, change: Partial<Upload>) =>
		setUploads((list) =>
			list.map((u) => (u.key === key ? { ...u, ...change } : u)),
		);

	const uploadOne = async (key: number, file: File) => {
		try {
			await w.run(async (c) => {
				update(key, { state: "uploading" });
				const answer = await uploadWithProgress<{ claim: Claim }>(
					`/claims/${c.id}/documents`,
					file,
					(progress) => update(key, { progress }),
				);
				return answer.claim;
			});
			setUploads((list) => list.filter((u) => u.key !== key));
			setAnnounce(t("poe.uploaded", { name: file.name }));
			setNeedDocument(false);
		} catch (error) {
			update(key, { state: "error", error });
			setAnnounce(t("poe.uploadFailed", { name: file.name }));
		}
	};

	const add = (files: FileList | File[] | null) => {
		const list = Array.from(files ?? []);
		if (!list.length) return;
		const entries = list.map((file) => ({
			file,
			key: ++counter.current,
		}));
		setUploads((u) => [
			...u,
			...entries.map(({ file, key }) => ({
				key,
				name: file.name,
				size: file.size,
				state: "waiting" as const,
				progress: 0,
			})),
		]);
		for (const { file, key } of entries) void uploadOne(key, file);
	};

	const onDrop = (e: DragEvent<HTMLDivElement>) => {
		e.preventDefault();
		setDragging(false);
		add(e.dataTransfer.files);
	};

	const remove = async (docId: string, name: string) => {
		setActionError(null);
		try {
			await w.run((c) =>
				api<Claim>(`/claims/${c.id}/documents/${docId}`, {
					method: "DELETE",
					version: c.version,
				}),
			);
			setAnnounce(t("poe.removed", { name }));
		} catch (err) {
			setActionError(err);
		}
	};

	const uploadError = (u: Upload) => {
		const e = u.error;
		if (e instanceof ApiError && e.status === 415)
			return t("errors.unsupported_media_type", { types: POE_TYPES });
		if (e instanceof ApiError && e.status === 413)
			return t("errors.payload_too_large");
		return errorText(e);
	};

	return (
		<div className={styles.wrap}>
			<div className={styles.srOnly} role="status" aria-live="polite">
				{announce}
			</div>
			<div className={styles.columns}>
				<div className={styles.main}>
					{/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the file input inside is the keyboard way */}
					<div
						className={mergeClasses(styles.drop, dragging && styles.dragging)}
						data-testid="poe-dropzone"
						onDragEnter={(e) => {
							e.preventDefault();
							setDragging(true);
						}}
						onDragOver={(e) => {
							e.preventDefault();
							e.dataTransfer.dropEffect = "copy";
						}}
						onDragLeave={(e) => {
							if (!e.currentTarget.contains(e.relatedTarget as Node | null))
								setDragging(false);
						}}
						onDrop={onDrop}
					>
						<ArrowUploadRegular className={styles.icon} aria-hidden="true" />
						<Text weight="semibold">{t("poe.dropHere")}</Text>
						<input
							ref={input}
							id={inputId}
							type="file"
							multiple
							accept={POE_ACCEPT}
							className={styles.srOnly}
							aria-describedby={`${inputId}-hint`}
							onChange={(e) => {
								add(e.target.files);
								e.target.value = "";
							}}
						/>
						<label htmlFor={inputId} className={styles.choose}>
							{t("poe.choose")}
						</label>
						<Text size={200} className={styles.hint} id={`${inputId}-hint`}>
							{t("poe.allowed", { types: POE_TYPES, max: "25 MB" })}
						</Text>
					</div>

					{uploads.length > 0 && (
						<ul className={styles.list} aria-label={t("poe.uploading")}>
							{uploads.map((u) => (
								<li
									key={u.key}
									className={styles.row}
									data-testid="poe-upload"
									data-state={u.state}
								>
									<DocumentRegular aria-hidden="true" />
									<div className={styles.rowMain}>
										<Text className={styles.name}>{u.name}</Text>
										{u.state === "error" ? (
											<Text role="alert" className={styles.rowError}>
												{t("poe.refused", { name: u.name })} {uploadError(u)}
											</Text>
										) : (
											<>
												<ProgressBar
													value={u.state === "waiting" ? 0 : u.progress}
													max={1}
													aria-label={t("poe.progressLabel", { name: u.name })}
												/>
												<Text size={200} className={styles.meta}>
													{u.state === "waiting"
														? t("poe.waiting")
														: t("poe.percent", {
																percent: Math.round(u.progress * 100),
															})}{" "}
													· {formatBytes(u.size)}
												</Text>
											</>
										)}
									</div>
									{u.state === "error" && (
										<Button
											appearance="subtle"
											icon={<DismissRegular />}
											aria-label={t("poe.dismiss", { name: u.name })}
											onClick={() =>
												setUploads((l) => l.filter((x) => x.key !== u.key))
											}
										/>
									)}
								</li>
							))}
						</ul>
					)}

					{actionError !== null && (
						<MessageBar intent="error" role="alert">
							<MessageBarBody>{errorText(actionError)}</MessageBarBody>
						</MessageBar>
					)}

					<section aria-labelledby="poe-uploaded-heading">
						<Text
							as="h3"
							id="poe-uploaded-heading"
							weight="semibold"
							size={400}
							block
						>
							{t("poe.uploadedTitle", { count: claim.documents.length })}
						</Text>
						{claim.documents.length === 0 ? (
							<Text className={styles.hint} block>
								{t("poe.none")}
							</Text>
						) : (
							<ul className={styles.list} style={{ marginTop: 8 }}>
								{claim.documents.map((d) => (
									<li
										key={d.id}
										className={styles.row}
										data-testid="poe-document"
										data-document-id={d.id}
									>
										<DocumentRegular aria-hidden="true" />
										<div className={styles.rowMain}>
											<Link
												className={styles.name}
												href={`/api/v1/claims/${claim.id}/documents/${d.id}`}
												download={d.name}
											>
												{d.name}
											</Link>
											<Text size={200} className={styles.meta}>
												{formatBytes(d.size)} · {formatDateTime(d.uploadedAt)}
											</Text>
										</div>
										<Button
											appearance="subtle"
											icon={<DeleteRegular />}
											aria-label={t("poe.remove", { name: d.name })}
											disabledFocusable={w.busy}
											onClick={() => void remove(d.id, d.name)}
										>
											{t("poe.removeShort")}
										</Button>
									</li>
								))}
							</ul>
						)}
					</section>
					{needDocument && (
						<MessageBar intent="error" role="alert">
							<MessageBarBody>{t("errors.poe_required")}</MessageBarBody>
						</MessageBar>
					)}
				</div>
				<aside className={styles.aside} aria-labelledby="poe-must-show">
					<Text
						as="h3"
						id="poe-must-show"
						weight="semibold"
						size={400}
						style={{ margin: 0 }}
					>
						{t("poe.mustShowTitle")}
					</Text>
					<ul className={styles.asideList}>
						<li>{t("poe.mustShow.customer")}</li>
						<li>{t("poe.mustShow.products")}</li>
						<li>{t("poe.mustShow.dates")}</li>
						<li>{t("poe.mustShow.work")}</li>
						<li>{t("poe.mustShow.acknowledgement")}</li>
					</ul>
					<Link href="/api/v1/poe-template" download>
						<ArrowDownloadRegular aria-hidden="true" /> {t("poe.template")}
					</Link>
				</aside>
			</div>
			<StepFooter
				busy={w.busy}
				onBack={() => w.back({})}
				onNext={() => {
					if (claim.documents.length === 0) {
						setNeedDocument(true);
						return;
					}
					void w.next({}, { saved: true });
				}}
			/>
		</div>
	);
}
