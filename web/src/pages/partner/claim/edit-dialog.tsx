/**
 * Editing a claim (R-EDIT-1): a draft freely (name, customer, solution area, activity,
 * MPN ID, products, contacts, revenue association fields); a submitted or
 * partner-action-required claim only its MPN ID, products and contacts. Sends only what
 * changed, with the version read (If-Match, R-EDIT-2); a 412 reloads the claim.
 */

import {
	Button,
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
	Select,
	Text,
	tokens,
} from "@fluentui/react-components";
import { Add20Regular, Delete20Regular } from "@fluentui/react-icons";
import { zodResolver } from "@hookform/resolvers/zod";
import type { TFunction } from "i18next";
import { useEffect, useMemo, useState } from "react";
import {
	type FieldPath,
	useFieldArray,
	useForm,
	useWatch,
} from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useInvalidateClaim, useUpdateClaim } from "../../../api/claims.ts";
import { ApiError } from "../../../api/client.ts";
import {
	useActivities,
	useMpnIds,
	useProducts,
} from "../../../api/directory.ts";
import type { Activity, Claim, SolutionArea } from "../../../api/types.ts";
import { useInFlight } from "../../../components/in-flight.ts";
import { ActionError } from "./errors.tsx";

const useStyles = makeStyles({
	surface: { maxWidth: "780px", width: "100%" },
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
		"& > *": { flexShrink: 0 },
	},
	section: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		border: "none",
		margin: 0,
		padding: 0,
	},
	legend: {
		fontWeight: tokens.fontWeightSemibold,
		fontSize: tokens.fontSizeBase400,
		padding: 0,
		marginBottom: tokens.spacingVerticalXS,
	},
	grid: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))",
		"& > *": { minWidth: 0 },
		gap: tokens.spacingHorizontalM,
	},
	line: {
		display: "grid",
		gridTemplateColumns: "minmax(180px, 1fr) minmax(200px, 1.4fr) auto",
		gap: tokens.spacingHorizontalS,
		alignItems: "end",
		"& > *": { minWidth: 0 },
		"@media (max-width: 600px)": { gridTemplateColumns: "minmax(0, 1fr)" },
	},
	lineM365: {
		display: "grid",
		gridTemplateColumns: "minmax(0, 1fr) auto",
		"& > *": { minWidth: 0 },
		gap: tokens.spacingHorizontalS,
		alignItems: "end",
	},
	muted: { color: tokens.colorNeutralForeground3 },
	fill: { minWidth: 0 },
	select: { width: "100%" },
	selectEl: { width: "100%", minWidth: 0, textOverflow: "ellipsis" },
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Values {
	name: string;
	mpnId: string;
	tenantId: string;
	domain: string;
	solutionArea: SolutionArea;
	activity: Activity;
	products: { productId: string; subscriptionId: string }[];
	customer: { name: string; title: string; email: string };
	customerTechnical: { name: string; title: string; email: string };
	partner: { name: string; email: string };
	revenue: {
		solutionSellerName: string;
		customerName: string;
		isvSolutionName: string;
	};
}

function defaults(c: Claim): Values {
	return {
		name: c.name,
		mpnId: c.mpnId,
		tenantId: c.customer.tenantId,
		domain: c.customer.domain,
		solutionArea: c.solutionArea,
		activity: c.activity,
		products: c.products.map((p) => ({
			productId: p.productId,
			subscriptionId: p.subscriptionId ?? "",
		})),
		customer: {
			name: c.contacts.customer?.name ?? "",
			title: c.contacts.customer?.title ?? "",
			email: c.contacts.customer?.email ?? "",
		},
		customerTechnical: {
			name: c.contacts.customerTechnical?.name ?? "",
			title: c.contacts.customerTechnical?.title ?? "",
			email: c.contacts.customerTechnical?.email ?? "",
		},
		partner: {
			name: c.contacts.partner?.name ?? "",
			email: c.contacts.partner?.email ?? "",
		},
		revenue: {
			solutionSellerName: c.revenueAssociation?.solutionSellerName ?? "",
			customerName: c.revenueAssociation?.customerName ?? "",
			isvSolutionName: c.revenueAssociation?.isvSolutionName ?? "",
		},
	};
}

/** The form's rules: a draft may be incomplete; a submitted claim must stay complete (R-CRT-6). */
function makeSchema(t: TFunction, draft: boolean) {
	const text = (required: boolean) =>
		required ? z.string().trim().min(1, t("edit.required")) : z.string().trim();
	const email = (required: boolean) =>
		text(required).refine((v) => v === "" || EMAIL.test(v), t("edit.badEmail"));
	const req = !draft;
	return z
		.object({
			name: z.string().trim().min(1, t("edit.required")).max(200),
			mpnId: z.string().regex(/^\d{6,8}$/, t("edit.badMpn")),
			tenantId: z.string().trim().min(1, t("edit.required")),
			domain: z.string().trim().min(1, t("edit.required")),
			solutionArea: z.enum(["business_applications", "microsoft_365"]),
			activity: z.enum(["presales", "usage", "revenue_association"]),
			products: z
				.array(
					z.object({
						productId: z.string(),
						subscriptionId: z.string().trim(),
					}),
				)
				.min(req ? 1 : 0, t("edit.productRequired")),
			customer: z.object({
				name: text(req),
				title: text(req),
				email: email(req),
			}),
			customerTechnical: z.object({
				name: z.string().trim(),
				title: z.string().trim(),
				email: email(false),
			}),
			partner: z.object({ name: text(req), email: email(req) }),
			revenue: z.object({
				solutionSellerName: z.string().trim(),
				customerName: z.string().trim(),
				isvSolutionName: z.string().trim(),
			}),
		})
		.superRefine((v, ctx) => {
			v.products.forEach((p, i) => {
				if (v.solutionArea === "business_applications" && !p.subscriptionId)
					ctx.addIssue({
						code: "custom",
						path: ["products", i, "subscriptionId"],
						message: t("edit.required"),
					});
				if (v.solutionArea === "microsoft_365" && !p.productId)
					ctx.addIssue({
						code: "custom",
						path: ["products", i, "productId"],
						message: t("edit.required"),
					});
			});
			if (req && v.solutionArea === "business_applications") {
				for (const k of ["name", "title", "email"] as const)
					if (!v.customerTechnical[k])
						ctx.addIssue({
							code: "custom",
							path: ["customerTechnical", k],
							message: t("edit.required"),
						});
			}
		});
}

/** `contacts.customer.email` / `products[0].subscriptionId` → the form's field name. */
function formPath(apiPath: string): string | null {
	const p = apiPath.replace(/\[(\d+)\]/g, ".$1");
	if (p.startsWith("contacts.")) return p.slice("contacts.".length);
	if (p.startsWith("revenueAssociation."))
		return `revenue.${p.slice("revenueAssociation.".length)}`;
	if (p.startsWith("customer.")) return p.slice("customer.".length);
	if (/^(name|mpnId|solutionArea|activity|products)(\.|$)/.test(p)) return p;
	return null;
}

export function EditClaimDialog({
	claim,
	open,
	onOpenChange,
	onSaved,
}: {
	claim: Claim;
	open: boolean;
	onOpenChange: (open: boolean) => void;
	onSaved: () => void;
}) {
	const { t } = useTranslation("claim");
	const styles = useStyles();
	const draft = claim.status === "draft";
	const schema = useMemo(() => makeSchema(t, draft), [t, draft]);
	const form = useForm<Values>({
		resolver: zodResolver(schema),
		defaultValues: defaults(claim),
	});
	const { control, formState, handleSubmit, reset, setError, setValue, watch } =
		form;
	/**
	 * Props for a Fluent Input/Select bound to a form field. Fluent inputs keep their own
	 * state, so they are controlled here (register's DOM writes would not show).
	 */
	const bind = (name: FieldPath<Values>, after?: (value: string) => void) => ({
		name,
		value: (watch(name) as string | undefined) ?? "",
		onChange: (_: unknown, d: { value: string }) => {
			setValue(name, d.value as never, {
				shouldDirty: true,
				shouldValidate: formState.isSubmitted,
			});
			after?.(d.value);
		},
	});
	const errors = formState.errors;
	const lines = useFieldArray({ control, name: "products" });
	const update = useUpdateClaim();
	const flight = useInFlight();
	const invalidate = useInvalidateClaim();
	const [conflict, setConflict] = useState(false);
	const [nothing, setNothing] = useState(false);
	const area = useWatch({ control, name: "solutionArea" });
	const activity = useWatch({ control, name: "activity" });
	const mpnIds = useMpnIds();
	const products = useProducts(area);
	const activities = useActivities();

	// Fresh values each time the dialog opens, and after a reload (version conflict).
	// biome-ignore lint/correctness/useExhaustiveDependencies: reset on open and new version only
	useEffect(() => {
		if (open) reset(defaults(claim));
		if (open) update.reset();
		setNothing(false);
	}, [open, claim.version]);
	useEffect(() => {
		if (open) setConflict(false);
	}, [open]);

	const catalog = (products.data ?? []).filter(
		(p) =>
			p.solutionArea === area &&
			(area !== "business_applications" || p.dynamics),
	);
	const activityOptions = (activities.data
		?.filter((a) => a.solutionArea === area)
		.map((a) => a.activity) ??
		(area === "microsoft_365"
			? ["usage"]
			: ["presales", "usage", "revenue_association"])) as Activity[];

	const onSubmit = handleSubmit((v) => {
		const base = defaults(claim);
		const changed = (k: keyof Values) =>
			JSON.stringify(v[k]) !== JSON.stringify(base[k]);
		const body: Record<string, unknown> = {};
		if (draft && changed("name")) body.name = v.name;
		if (changed("mpnId")) body.mpnId = v.mpnId;
		if (draft && (changed("tenantId") || changed("domain")))
			body.customer = { tenantId: v.tenantId, domain: v.domain };
		if (draft && changed("solutionArea")) body.solutionArea = v.solutionArea;
		if (draft && changed("activity")) body.activity = v.activity;
		if (changed("products") || (draft && changed("solutionArea")))
			body.products = v.products.map((p) =>
				v.solutionArea === "business_applications"
					? {
							subscriptionId: p.subscriptionId,
							...(p.productId ? { productId: p.productId } : {}),
						}
					: { productId: p.productId },
			);
		if (
			changed("customer") ||
			changed("customerTechnical") ||
			changed("partner")
		)
			body.contacts = {
				customer: v.customer,
				customerTechnical:
					v.solutionArea === "business_applications"
						? v.customerTechnical
						: (claim.contacts.customerTechnical ?? null),
				partner: v.partner,
			};
		if (
			draft &&
			v.activity === "revenue_association" &&
			(changed("revenue") || changed("activity"))
		)
			body.revenueAssociation = v.revenue;
		if (Object.keys(body).length === 0) {
			setNothing(true);
			return;
		}
		setConflict(false);
		// One request at a time (a double click, or the busy button that stays focusable).
		if (!flight.take()) return;
		update.mutate(
			{ id: claim.id, version: claim.version, body },
			{
				onSettled: flight.release,
				onSuccess: () => {
					onOpenChange(false);
					onSaved();
				},
				onError: (err) => {
					if (err instanceof ApiError && err.code === "version_conflict") {
						setConflict(true);
						void invalidate(claim.id);
					}
					if (err instanceof ApiError)
						for (const e of err.errors) {
							const path = formPath(e.path);
							if (path)
								setError(path as FieldPath<Values>, {
									type: e.code,
									message: e.message,
								});
						}
				},
			},
		);
	});

	const msg = (m: { message?: string } | undefined) => m?.message;

	return (
		<Dialog open={open} onOpenChange={(_, d) => onOpenChange(d.open)}>
			<DialogSurface className={styles.surface} aria-describedby={undefined}>
				<form onSubmit={onSubmit} noValidate>
					<DialogBody>
						<DialogTitle>
							{draft ? t("edit.titleDraft") : t("edit.title")}
						</DialogTitle>
						<DialogContent className={styles.form}>
							<Text>{draft ? t("edit.introDraft") : t("edit.intro")}</Text>
							{update.isError && <ActionError error={update.error} />}
							{conflict && !update.isError && (
								<MessageBar intent="warning" layout="multiline" role="status">
									<MessageBarBody>
										<MessageBarTitle>
											{t("error.version_conflict")}
										</MessageBarTitle>
										{t("error.version_conflict_text")}
									</MessageBarBody>
								</MessageBar>
							)}
							{draft && (
								<fieldset className={styles.section}>
									<legend className={styles.legend}>
										{t("edit.claimSection")}
									</legend>
									<Field
										label={t("field.name")}
										required
										validationMessage={msg(errors.name)}
									>
										<Input {...bind("name")} maxLength={200} />
									</Field>
									<div className={styles.grid}>
										<Field
											label={t("field.customer_tenantId")}
											required
											validationMessage={msg(errors.tenantId)}
										>
											<Input {...bind("tenantId")} />
										</Field>
										<Field
											label={t("field.customer_domain")}
											required
											validationMessage={msg(errors.domain)}
										>
											<Input {...bind("domain")} />
										</Field>
										<Field
											label={t("field.solutionArea")}
											required
											validationMessage={msg(errors.solutionArea)}
										>
											<Select
												className={styles.select}
												select={{ className: styles.selectEl }}
												{...bind("solutionArea", (v) => {
													if (v === "microsoft_365")
														form.setValue("activity", "usage", {
															shouldDirty: true,
														});
												})}
											>
												<option value="business_applications">
													{t("common:solutionArea.business_applications")}
												</option>
												<option value="microsoft_365">
													{t("common:solutionArea.microsoft_365")}
												</option>
											</Select>
										</Field>
										<Field
											label={t("field.activity")}
											required
											validationMessage={msg(errors.activity)}
										>
											<Select
												className={styles.select}
												select={{ className: styles.selectEl }}
												{...bind("activity")}
											>
												{activityOptions.map((a) => (
													<option key={a} value={a}>
														{t(`common:activity.${a}`)}
													</option>
												))}
											</Select>
										</Field>
									</div>
								</fieldset>
							)}

							<Field
								label={t("field.mpnId")}
								required
								validationMessage={msg(errors.mpnId)}
								hint={t("edit.mpnHint")}
							>
								<Select
									className={styles.select}
									select={{ className: styles.selectEl }}
									{...bind("mpnId")}
								>
									{!(mpnIds.data ?? []).some(
										(m) => m.mpnId === claim.mpnId,
									) && <option value={claim.mpnId}>{claim.mpnId}</option>}
									{(mpnIds.data ?? [])
										// R-ROL-1: the MPN IDs in use, and the claim's own.
										.filter((m) => m.inUse || m.mpnId === claim.mpnId)
										.map((m) => (
											<option key={m.mpnId} value={m.mpnId}>
												{m.enrolled
													? t("edit.mpnEnrolled", {
															mpnId: m.mpnId,
															programs: m.programs
																.map((p) => t(`common:program.${p}`))
																.join(", "),
														})
													: t("edit.mpnNotEnrolled", { mpnId: m.mpnId })}
											</option>
										))}
								</Select>
							</Field>

							<fieldset className={styles.section}>
								<legend className={styles.legend}>
									{area === "business_applications"
										? t("edit.productsBizApps")
										: t("edit.productsM365")}
								</legend>
								<Text size={200} className={styles.muted}>
									{area === "business_applications"
										? t("edit.productsBizAppsHint")
										: t("edit.productsM365Hint")}
								</Text>
								{lines.fields.map((f, i) => (
									<div
										key={f.id}
										className={
											area === "business_applications"
												? styles.line
												: styles.lineM365
										}
										data-testid="product-line"
									>
										<Field
											label={
												area === "business_applications"
													? t("edit.productOptional")
													: t("edit.workload")
											}
											required={area !== "business_applications"}
											validationMessage={msg(errors.products?.[i]?.productId)}
										>
											<Select
												className={styles.select}
												select={{ className: styles.selectEl }}
												{...bind(`products.${i}.productId`)}
											>
												<option value="">
													{area === "business_applications"
														? t("edit.fromSubscription")
														: t("edit.chooseWorkload")}
												</option>
												{catalog.map((p) => (
													<option key={p.productId} value={p.productId}>
														{p.name}
													</option>
												))}
												{f.productId &&
													!catalog.some((p) => p.productId === f.productId) && (
														<option value={f.productId}>{f.productId}</option>
													)}
											</Select>
										</Field>
										{area === "business_applications" && (
											<Field
												label={t("field.products_subscriptionId")}
												required
												validationMessage={msg(
													errors.products?.[i]?.subscriptionId,
												)}
											>
												<Input
													{...bind(`products.${i}.subscriptionId`)}
													placeholder="00000000-0000-0000-0000-000000000000"
												/>
											</Field>
										)}
										<Button
											icon={<Delete20Regular />}
											onClick={() => lines.remove(i)}
											aria-label={t("edit.removeLine", { n: i + 1 })}
										/>
									</div>
								))}
								{errors.products?.message && (
									<Text
										role="alert"
										style={{ color: tokens.colorPaletteRedForeground1 }}
									>
										{errors.products.message}
									</Text>
								)}
								<div>
									<Button
										icon={<Add20Regular />}
										onClick={() =>
											lines.append({ productId: "", subscriptionId: "" })
										}
									>
										{area === "business_applications"
											? t("edit.addSubscription")
											: t("edit.addWorkload")}
									</Button>
								</div>
							</fieldset>

							<fieldset className={styles.section}>
								<legend className={styles.legend}>
									{t("contacts.customer")}
								</legend>
								<div className={styles.grid}>
									<Field
										label={t("contacts.name")}
										required={!draft}
										validationMessage={msg(errors.customer?.name)}
									>
										<Input {...bind("customer.name")} autoComplete="off" />
									</Field>
									<Field
										label={t("contacts.jobTitle")}
										required={!draft}
										validationMessage={msg(errors.customer?.title)}
									>
										<Input {...bind("customer.title")} autoComplete="off" />
									</Field>
									<Field
										label={t("contacts.email")}
										required={!draft}
										validationMessage={msg(errors.customer?.email)}
									>
										<Input
											type="email"
											{...bind("customer.email")}
											autoComplete="off"
										/>
									</Field>
								</div>
							</fieldset>
							{area === "business_applications" && (
								<fieldset className={styles.section}>
									<legend className={styles.legend}>
										{t("contacts.customerTechnical")}
									</legend>
									<div className={styles.grid}>
										<Field
											label={t("contacts.name")}
											required={!draft}
											validationMessage={msg(errors.customerTechnical?.name)}
										>
											<Input
												{...bind("customerTechnical.name")}
												autoComplete="off"
											/>
										</Field>
										<Field
											label={t("contacts.jobTitle")}
											required={!draft}
											validationMessage={msg(errors.customerTechnical?.title)}
										>
											<Input
												{...bind("customerTechnical.title")}
												autoComplete="off"
											/>
										</Field>
										<Field
											label={t("contacts.email")}
											required={!draft}
											validationMessage={msg(errors.customerTechnical?.email)}
										>
											<Input
												type="email"
												{...bind("customerTechnical.email")}
												autoComplete="off"
											/>
										</Field>
									</div>
								</fieldset>
							)}
							<fieldset className={styles.section}>
								<legend className={styles.legend}>
									{t("contacts.partner")}
								</legend>
								<div className={styles.grid}>
									<Field
										label={t("contacts.name")}
										required={!draft}
										validationMessage={msg(errors.partner?.name)}
									>
										<Input {...bind("partner.name")} autoComplete="off" />
									</Field>
									<Field
										label={t("contacts.email")}
										required={!draft}
										validationMessage={msg(errors.partner?.email)}
									>
										<Input
											type="email"
											{...bind("partner.email")}
											autoComplete="off"
										/>
									</Field>
								</div>
							</fieldset>

							{draft && activity === "revenue_association" && (
								<fieldset className={styles.section}>
									<legend className={styles.legend}>
										{t("revenue.title")}
									</legend>
									<div className={styles.grid}>
										<Field
											label={t("field.revenueAssociation_solutionSellerName")}
										>
											<Input {...bind("revenue.solutionSellerName")} />
										</Field>
										<Field label={t("field.revenueAssociation_customerName")}>
											<Input {...bind("revenue.customerName")} />
										</Field>
										<Field
											label={t("field.revenueAssociation_isvSolutionName")}
										>
											<Input {...bind("revenue.isvSolutionName")} />
										</Field>
									</div>
								</fieldset>
							)}

							{nothing && <Text role="status">{t("edit.nothing")}</Text>}
						</DialogContent>
						<DialogActions>
							<Button
								type="submit"
								appearance="primary"
								disabledFocusable={update.isPending}
							>
								{t("edit.save")}
							</Button>
							<Button onClick={() => onOpenChange(false)}>
								{t("common:cancel")}
							</Button>
						</DialogActions>
					</DialogBody>
				</form>
			</DialogSurface>
		</Dialog>
	);
}
