/**
 * The directory check on the reviewer's claim page (SPEC R-DIR-6; GET
 * /claims/{id}/directory-check): whether the directory still says what the claim was
 * validated against. Unchanged: one line saying so. Changed: a warning that lists each
 * change in words and, when the submit checks would now refuse the claim, why.
 */
import {
	Button,
	Caption1,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	tokens,
} from "@fluentui/react-components";
import { CheckmarkCircleRegular } from "@fluentui/react-icons";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useDirectoryCheck } from "../../api/claims.ts";
import type { DirectoryCheck as Check } from "../../api/types.ts";
import { formatDateTime } from "../../format.ts";

const useStyles = makeStyles({
	ok: {
		display: "inline-flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		color: tokens.colorNeutralForeground3,
	},
	list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: "20px" },
});

/**
 * A value of a change in words: a product as its name and solution area, a list joined,
 * yes/no, a subscription's status or channel by its label.
 */
function valueText(v: unknown, t: TFunction): string {
	if (v === null || v === undefined) return t("directory.none");
	if (typeof v === "boolean") return v ? t("directory.yes") : t("directory.no");
	if (Array.isArray(v)) return v.length ? v.join(", ") : t("directory.none");
	if (typeof v === "object" && "name" in v)
		return "solutionArea" in v
			? `${String(v.name)} (${t(`common:solutionArea.${String(v.solutionArea)}`)})`
			: String(v.name);
	return t(`directory.value.${String(v)}`, { defaultValue: String(v) });
}

/** One change of {@link Check.changes} as a sentence. */
function changeText(
	c: Check["changes"][number],
	domain: string,
	t: TFunction,
): string {
	return t(`directory.change.${c.code}`, {
		defaultValue: t("directory.change.other", { code: c.code }),
		subject: c.subject,
		domain,
		field: c.field ? t(`directory.field.${c.field}`) : "",
		was: valueText(c.was, t),
		now: valueText(c.now, t),
	});
}

/** The check for claim `claimId` (on `domain`); shown while a decision is open. */
export function DirectoryCheckNotice({
	claimId,
	domain,
}: {
	claimId: string;
	domain: string;
}) {
	const { t } = useTranslation(["review", "wizard"]);
	const styles = useStyles();
	const check = useDirectoryCheck(claimId);
	if (check.isLoading) return null;
	if (check.isError || !check.data)
		return (
			<Caption1 data-testid="directory-check-failed">
				{t("directory.failed")}{" "}
				<Button
					size="small"
					appearance="transparent"
					onClick={() => void check.refetch()}
				>
					{t("common:retry")}
				</Button>
			</Caption1>
		);
	const c = check.data;
	const validatedAt = c.validatedAt ? formatDateTime(c.validatedAt) : null;
	if (c.changes.length === 0 && c.problems.length === 0)
		return (
			<Caption1 className={styles.ok} data-testid="directory-check">
				<CheckmarkCircleRegular aria-hidden />
				{validatedAt
					? t("directory.unchanged", { date: validatedAt })
					: t("directory.passes")}
			</Caption1>
		);
	return (
		<MessageBar
			intent="warning"
			layout="multiline"
			data-testid="directory-check"
		>
			<MessageBarBody>
				<MessageBarTitle>
					{validatedAt && c.changes.length > 0
						? t("directory.changedTitle", { date: validatedAt })
						: t("directory.problemsTitle")}
				</MessageBarTitle>
				{c.changes.length > 0 && (
					<ul className={styles.list} data-testid="directory-changes">
						{c.changes.map((ch) => (
							<li key={`${ch.code}|${ch.subject ?? ""}|${ch.field ?? ""}`}>
								{changeText(ch, domain, t)}
							</li>
						))}
					</ul>
				)}
				{c.problems.length > 0 && (
					<>
						{t("directory.wouldFail")}
						<ul className={styles.list} data-testid="directory-problems">
							{c.problems.map((p) => (
								<li key={`${p.path}|${p.code}`}>
									{t(`wizard:errors.${p.code}`, { defaultValue: p.message })}
								</li>
							))}
						</ul>
					</>
				)}
			</MessageBarBody>
		</MessageBar>
	);
}
