/**
 * Step 7: everything on one page, then Submit (draft → submitted). The API re-checks
 * everything (R-CRT-2, -3, -5, -6, -7); its answer shows here, with a way to each step.
 */

import {
	Badge,
	Button,
	Link,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Text,
	tokens,
} from "@fluentui/react-components";
import { EditRegular } from "@fluentui/react-icons";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useClaimAction } from "../../../../api/claims.ts";
import { ApiError, type FieldProblem } from "../../../../api/client.ts";
import type { Claim, Contact } from "../../../../api/types.ts";
import { usePolicyText } from "../../../../components/policy.ts";
import { StatusBadge } from "../../../../components/status-badge.tsx";
import { formatBytes } from "../../../../format.ts";
import { useWizard } from "../context.ts";
import { useAnyErrorText, useErrorText, useFieldLabel } from "../errors.tsx";
import { StepFooter } from "../layout.tsx";
import { missingFields, STEP, STEPS, stepOfPath } from "../model.ts";

const useStyles = makeStyles({
	wrap: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	section: {
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		padding: tokens.spacingHorizontalL,
	},
	sectionHead: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalS,
		marginBottom: tokens.spacingVerticalS,
	},
	dl: {
		display: "grid",
		gridTemplateColumns: "minmax(140px, max-content) 1fr",
		gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
		margin: 0,
		"@media (max-width: 600px)": { gridTemplateColumns: "1fr" },
	},
	dt: { color: tokens.colorNeutralForeground2 },
	dd: { margin: 0, overflowWrap: "anywhere" },
	missing: {
		color: tokens.colorPaletteRedForeground1,
		fontStyle: "italic",
	},
	mono: { fontFamily: tokens.fontFamilyMonospace },
	problems: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: "20px" },
	problem: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalS,
	},
	badges: { display: "inline-flex", flexWrap: "wrap", gap: "4px" },
});

export function ReviewStep() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const { policy, within } = usePolicyText();
	const w = useWizard();
	const navigate = useNavigate();
	const submit = useClaimAction("submit");
	const text = useErrorText();
	const anyText = useAnyErrorText();
	const label = useFieldLabel();
	const claim = w.claim;
	if (!claim) {
		return (
			<MessageBar intent="warning">
				<MessageBarBody>{t("errors.noDraft")}</MessageBarBody>
			</MessageBar>
		);
	}
	const missing = missingFields(claim);
	const mpn = w.mpnIds.find((m) => m.mpnId === claim.mpnId);
	const edit = (step: number) => w.back({}, step);

	const value = (v: ReactNode | null | undefined) =>
		v === null || v === undefined || v === "" ? (
			<span className={styles.missing}>{t("review.missing")}</span>
		) : (
			v
		);

	const section = (
		title: string,
		step: number,
		rows: [string, ReactNode][],
		testId: string,
	) => (
		<section className={styles.section} data-testid={testId}>
			<div className={styles.sectionHead}>
				<Text as="h3" weight="semibold" size={400} style={{ margin: 0 }}>
					{title}
				</Text>
				<Button
					appearance="subtle"
					icon={<EditRegular />}
					aria-label={t("review.editSection", { section: title })}
					onClick={() => edit(step)}
				>
					{t("review.edit")}
				</Button>
			</div>
			<dl className={styles.dl}>
				{rows.map(([k, v]) => (
					<div key={k} style={{ display: "contents" }}>
						<dt className={styles.dt}>{k}</dt>
						<dd className={styles.dd}>{value(v)}</dd>
					</div>
				))}
			</dl>
		</section>
	);

	const contactRows = (
		who: string,
		c: Contact | null,
		withTitle = true,
	): [string, ReactNode][] => [
		[t("review.contactName", { who }), c?.name],
		...(withTitle
			? ([[t("review.contactTitle", { who }), c?.title]] as [
					string,
					ReactNode,
				][])
			: []),
		[t("review.contactEmail", { who }), c?.email],
	];

	const submitError = submit.error;
	const problems: FieldProblem[] =
		submitError instanceof ApiError ? submitError.errors : [];

	const onSubmit = () =>
		submit.mutate(
			{ id: claim.id, version: claim.version },
			{
				onSuccess: (c: Claim) => {
					window.scrollTo?.({ top: 0 });
					void navigate(`/claims/${c.id}`);
				},
			},
		);

	const ba = claim.solutionArea === "business_applications";

	return (
		<div className={styles.wrap}>
			<div>
				<StatusBadge status={claim.status} />
			</div>
			{missing.length > 0 && !submitError && (
				<MessageBar intent="warning" data-testid="review-missing">
					<MessageBarBody>
						<MessageBarTitle>{t("review.missingTitle")}</MessageBarTitle>
						<ul className={styles.problems}>
							{missing.map((p) => (
								<li key={p}>{label(p)}</li>
							))}
						</ul>
					</MessageBarBody>
				</MessageBar>
			)}
			{submitError && (
				<MessageBar intent="error" role="alert" data-testid="submit-error">
					<MessageBarBody>
						<MessageBarTitle>{t("review.submitFailed")}</MessageBarTitle>
						{anyText(submitError)}
						{problems.length > 0 && (
							<ul className={styles.problems}>
								{problems.map((p) => {
									const step = stepOfPath(p.path);
									return (
										<li key={`${p.path}-${p.code}`}>
											<span className={styles.problem}>
												<span>
													{p.code === "required"
														? t("review.isMissing", { field: label(p.path) })
														: submitError instanceof ApiError &&
																p.code === submitError.code
															? label(p.path)
															: `${label(p.path)}: ${text(p.code, p.message)}`}
												</span>
												{step !== undefined && (
													<Link as="button" onClick={() => edit(step)}>
														{t("review.goToStep", {
															step: t(`steps.${STEPS[step]}`),
														})}
													</Link>
												)}
											</span>
										</li>
									);
								})}
							</ul>
						)}
					</MessageBarBody>
				</MessageBar>
			)}
			{section(
				t("steps.mpn"),
				STEP.mpn,
				[
					[t("fields.name"), claim.name],
					[
						t("fields.mpnId"),
						<span key="mpn" className={styles.badges}>
							{claim.mpnId}{" "}
							{mpn && !mpn.enrolled ? (
								<Badge appearance="outline" color="warning">
									{t("mpn.notEnrolled")}
								</Badge>
							) : (
								mpn?.programs.map((p) => (
									<Badge key={p} appearance="tint" size="small">
										{t(`common:program.${p}`)}
									</Badge>
								))
							)}
						</span>,
					],
				],
				"review-mpn",
			)}
			{section(
				t("steps.customer"),
				STEP.customer,
				[
					[
						t("fields.tenantId"),
						<span key="tenant" className={styles.mono}>
							{claim.customer.tenantId}
						</span>,
					],
					[t("fields.domain"), claim.customer.domain],
				],
				"review-customer",
			)}
			{section(
				t("steps.activity"),
				STEP.activity,
				[
					[
						t("fields.solutionArea"),
						t(`common:solutionArea.${claim.solutionArea}`),
					],
					[t("fields.activity"), t(`common:activity.${claim.activity}`)],
				],
				"review-activity",
			)}
			{section(
				t("steps.products"),
				STEP.products,
				[
					[
						ba ? t("review.subscriptions") : t("fields.workloads"),
						claim.products.length ? (
							<ul
								key="products"
								className={styles.problems}
								style={{ margin: 0 }}
							>
								{claim.products.map((p) => (
									<li key={`${p.productId}-${p.subscriptionId ?? ""}`}>
										{p.name}
										{p.subscriptionId && (
											<>
												{" · "}
												<span className={styles.mono}>{p.subscriptionId}</span>
											</>
										)}
									</li>
								))}
							</ul>
						) : null,
					],
				],
				"review-products",
			)}
			{section(
				t("steps.contacts"),
				STEP.contacts,
				[
					...contactRows(t("contacts.customer"), claim.contacts.customer),
					...(ba
						? contactRows(
								t("contacts.customerTechnical"),
								claim.contacts.customerTechnical,
							)
						: []),
					...contactRows(t("contacts.partner"), claim.contacts.partner, false),
					...(claim.activity === "revenue_association"
						? ([
								[
									t("fieldNames.revenueAssociation.solutionSellerName"),
									claim.revenueAssociation?.solutionSellerName,
								],
								[
									t("fieldNames.revenueAssociation.customerName"),
									claim.revenueAssociation?.customerName,
								],
								[
									t("fieldNames.revenueAssociation.isvSolutionName"),
									claim.revenueAssociation?.isvSolutionName,
								],
							] as [string, ReactNode][])
						: []),
				],
				"review-contacts",
			)}
			{section(
				t("steps.poe"),
				STEP.poe,
				[
					[
						t("review.documents", { count: claim.documents.length }),
						claim.documents.length ? (
							<ul key="docs" className={styles.problems} style={{ margin: 0 }}>
								{claim.documents.map((d) => (
									<li key={d.id}>
										{d.name} ({formatBytes(d.size)})
									</li>
								))}
							</ul>
						) : null,
					],
				],
				"review-poe",
			)}
			<Text>
				{t("review.afterSubmit", { within: within(policy.reviewStartDays) })}
			</Text>
			<StepFooter
				busy={w.busy || submit.isPending}
				onBack={() => w.back({})}
				onNext={onSubmit}
				nextLabel={t("submit")}
			/>
		</div>
	);
}
