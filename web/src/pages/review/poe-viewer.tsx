/**
 * The proof-of-execution viewer (R-CRT-7, R-CMP-3): opens PDFs and images inside the page.
 * The download route answers `content-disposition: attachment`, so the bytes are fetched
 * and shown from a `blob:` URL built with a content type from an allow-list (PDF and
 * PNG/JPEG/GIF/WebP only: nothing that could run script in this origin). Other types
 * are offered as downloads. A picker chooses among several documents.
 */
import {
	Badge,
	Button,
	Caption1,
	Field,
	makeStyles,
	mergeClasses,
	Select,
	Spinner,
	Text,
	tokens,
} from "@fluentui/react-components";
import {
	ArrowDownloadRegular,
	DocumentRegular,
	OpenRegular,
} from "@fluentui/react-icons";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ClaimDocument } from "../../api/types.ts";
import { ErrorMessage } from "../../components/states.tsx";
import { formatBytes, formatDateTime } from "../../format.ts";

const INLINE_PDF = new Set(["application/pdf"]);
const INLINE_IMAGE = new Set([
	"image/png",
	"image/jpeg",
	"image/gif",
	"image/webp",
]);

/** Whether a document type is shown inline. */
export function isInline(contentType: string): boolean {
	const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
	return INLINE_PDF.has(type) || INLINE_IMAGE.has(type);
}

/** The download URL of a claim's document. */
export function documentUrl(claimId: string, documentId: string): string {
	return `/api/v1/claims/${encodeURIComponent(claimId)}/documents/${encodeURIComponent(documentId)}`;
}

const useStyles = makeStyles({
	root: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		minWidth: 0,
	},
	meta: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalS,
	},
	name: { overflowWrap: "anywhere" },
	// A long file name must not widen the page on a phone: the picker shrinks, and its
	// text ends with an ellipsis.
	pickerField: { minWidth: 0, maxWidth: "100%" },
	picker: { maxWidth: "100%", minWidth: 0 },
	pickerSelect: { width: "100%", minWidth: 0, textOverflow: "ellipsis" },
	frame: {
		width: "100%",
		height: "70vh",
		minHeight: "420px",
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: tokens.colorNeutralBackground3,
	},
	frameCompact: { height: "380px", minHeight: "280px" },
	imageBox: {
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		backgroundColor: tokens.colorNeutralBackground3,
		overflow: "auto",
		maxHeight: "70vh",
		display: "flex",
		justifyContent: "center",
	},
	imageBoxCompact: { maxHeight: "380px" },
	image: { maxWidth: "100%", height: "auto", display: "block" },
	placeholder: {
		display: "flex",
		flexDirection: "column",
		alignItems: "center",
		justifyContent: "center",
		gap: tokens.spacingVerticalS,
		padding: tokens.spacingVerticalXXL,
		border: `1px dashed ${tokens.colorNeutralStroke1}`,
		borderRadius: tokens.borderRadiusMedium,
		textAlign: "center",
	},
});

type Loaded =
	| { state: "loading" }
	| { state: "error"; error: unknown }
	| { state: "ready"; url: string; type: string };

/** Fetches a document's bytes and returns a `blob:` URL of the allowed type (revoked on change). */
function useDocumentBlob(
	claimId: string,
	doc: ClaimDocument | undefined,
	attempt: number,
): Loaded | null {
	const [loaded, setLoaded] = useState<Loaded | null>(null);
	const inline = doc ? isInline(doc.contentType) : false;
	const docId = doc?.id;
	const docType = doc?.contentType;
	// biome-ignore lint/correctness/useExhaustiveDependencies: attempt re-runs the fetch on retry
	useEffect(() => {
		if (!docId || !docType || !inline) {
			setLoaded(null);
			return;
		}
		const abort = new AbortController();
		let url: string | null = null;
		setLoaded({ state: "loading" });
		fetch(documentUrl(claimId, docId), {
			credentials: "same-origin",
			signal: abort.signal,
		})
			.then(async (res) => {
				if (!res.ok) {
					let detail = `HTTP ${res.status}`;
					try {
						const body = (await res.json()) as { detail?: string };
						if (body.detail) detail = body.detail;
					} catch {
						/* not JSON */
					}
					throw new Error(detail);
				}
				const bytes = await res.arrayBuffer();
				const type = docType.split(";")[0]?.trim().toLowerCase() ?? "";
				url = URL.createObjectURL(new Blob([bytes], { type }));
				setLoaded({ state: "ready", url, type });
			})
			.catch((error: unknown) => {
				if (abort.signal.aborted) return;
				setLoaded({ state: "error", error });
			});
		return () => {
			abort.abort();
			if (url) URL.revokeObjectURL(url);
		};
	}, [claimId, docId, docType, inline, attempt]);
	return loaded;
}

/**
 * Shows one of the claim's documents inline (PDF in an iframe, images as img) with a
 * picker when there are several; `compact` for the arbitration columns.
 */
export function PoeViewer({
	claimId,
	documents,
	compact = false,
	initialDocumentId,
	newSince,
}: {
	claimId: string;
	documents: ClaimDocument[];
	compact?: boolean;
	initialDocumentId?: string;
	/** Documents uploaded after this instant (UTC ISO) are marked new (an answered request). */
	newSince?: string | undefined;
}) {
	const styles = useStyles();
	const { t } = useTranslation("review");
	const [selectedId, setSelectedId] = useState<string | undefined>(
		initialDocumentId,
	);
	const [attempt, setAttempt] = useState(0);
	const doc =
		documents.find((d) => d.id === selectedId) ?? documents[0] ?? undefined;
	const loaded = useDocumentBlob(claimId, doc, attempt);
	if (documents.length === 0)
		return (
			<div className={styles.placeholder}>
				<DocumentRegular fontSize={32} aria-hidden />
				<Text>{t("poe.none")}</Text>
			</div>
		);
	if (!doc) return null;
	const title = t("poe.frameTitle", { name: doc.name });
	return (
		<div className={styles.root} data-testid="poe-viewer">
			{documents.length > 1 && (
				<Field
					className={styles.pickerField}
					label={t("poe.pick", { count: documents.length })}
				>
					<Select
						className={styles.picker}
						select={{ className: styles.pickerSelect }}
						value={doc.id}
						onChange={(_, d) => setSelectedId(d.value)}
						data-testid="poe-picker"
					>
						{documents.map((d) => (
							<option key={d.id} value={d.id}>
								{d.purpose === "dispute"
									? `${d.name} · ${t("poe.purpose.dispute")}`
									: newSince && d.uploadedAt > newSince
										? `${d.name} · ${t("poe.new")}`
										: d.name}
							</option>
						))}
					</Select>
				</Field>
			)}
			<div className={styles.meta}>
				<Text weight="semibold" className={styles.name}>
					{doc.name}
				</Text>
				{doc.purpose === "dispute" && (
					<Badge appearance="tint" color="informative">
						{t("poe.purpose.dispute")}
					</Badge>
				)}
				<Caption1>
					{[
						doc.contentType,
						formatBytes(doc.size),
						t("poe.uploaded", { date: formatDateTime(doc.uploadedAt) }),
					].join(" · ")}
				</Caption1>
				<Button
					as="a"
					href={documentUrl(claimId, doc.id)}
					download={doc.name}
					size="small"
					appearance="subtle"
					icon={<ArrowDownloadRegular />}
					aria-label={t("poe.downloadNamed", { name: doc.name })}
				>
					{t("poe.download")}
				</Button>
				{loaded?.state === "ready" && (
					<Button
						as="a"
						href={loaded.url}
						target="_blank"
						rel="noopener"
						size="small"
						appearance="subtle"
						icon={<OpenRegular />}
						aria-label={t("poe.openNamed", { name: doc.name })}
					>
						{t("poe.open")}
					</Button>
				)}
			</div>
			{!isInline(doc.contentType) ? (
				<div className={styles.placeholder}>
					<DocumentRegular fontSize={32} aria-hidden />
					<Text>{t("poe.notInline")}</Text>
					<Button
						as="a"
						href={documentUrl(claimId, doc.id)}
						download={doc.name}
						appearance="primary"
						icon={<ArrowDownloadRegular />}
					>
						{t("poe.downloadNamed", { name: doc.name })}
					</Button>
				</div>
			) : !loaded || loaded.state === "loading" ? (
				<Spinner label={t("poe.loading", { name: doc.name })} />
			) : loaded.state === "error" ? (
				<ErrorMessage
					error={loaded.error}
					onRetry={() => setAttempt((n) => n + 1)}
				/>
			) : INLINE_PDF.has(loaded.type) ? (
				<iframe
					title={title}
					src={loaded.url}
					className={mergeClasses(styles.frame, compact && styles.frameCompact)}
					data-testid="poe-frame"
				/>
			) : (
				<div
					className={mergeClasses(
						styles.imageBox,
						compact && styles.imageBoxCompact,
					)}
				>
					<img
						src={loaded.url}
						alt={title}
						className={styles.image}
						data-testid="poe-image"
					/>
				</div>
			)}
		</div>
	);
}
