/**
 * Step 5: the contacts (R-CRT-6, all fields required): the customer contact, for
 * Business Applications the customer technical contact, the partner contact; and for
 * Revenue association the solution seller, the customer's name and the ISV solution.
 */

import { makeStyles, tokens } from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { type FieldPath, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useStash, useWizard } from "../context.ts";
import { StepFooter } from "../layout.tsx";
import type { WizardData } from "../model.ts";
import { TextField } from "../text-field.tsx";
import { useServerErrors } from "../use-server-errors.ts";

const useStyles = makeStyles({
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXL,
	},
	fieldset: {
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusMedium,
		margin: 0,
		padding: tokens.spacingHorizontalL,
		display: "grid",
		gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))",
		alignItems: "start",
		gap: tokens.spacingHorizontalL,
	},
	legend: {
		fontWeight: tokens.fontWeightSemibold,
		padding: `0 ${tokens.spacingHorizontalXS}`,
	},
});

type Values = Pick<WizardData, "contacts" | "revenueAssociation">;

const FIELDS = [
	"contacts.customer.name",
	"contacts.customer.title",
	"contacts.customer.email",
	"contacts.customerTechnical.name",
	"contacts.customerTechnical.title",
	"contacts.customerTechnical.email",
	"contacts.partner.name",
	"contacts.partner.email",
	"revenueAssociation.solutionSellerName",
	"revenueAssociation.customerName",
	"revenueAssociation.isvSolutionName",
] as const;

export function ContactsStep() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const w = useWizard();
	const ba = w.data.solutionArea === "business_applications";
	const ra = w.data.activity === "revenue_association";

	const schema = useMemo(() => {
		const text = (key: string) =>
			z
				.string()
				.trim()
				.min(1, t(`v.required.${key}`))
				.max(200, t("v.tooLong", { max: 200 }));
		const email = z
			.string()
			.trim()
			.min(1, t("v.required.email"))
			.pipe(z.email(t("v.email")));
		const contact = z.object({
			name: text("name"),
			title: text("title"),
			email,
		});
		const optional = z.object({
			name: z.string(),
			title: z.string(),
			email: z.string(),
		});
		return z.object({
			contacts: z.object({
				customer: contact,
				customerTechnical: ba ? contact : optional,
				partner: z.object({ name: text("name"), email }),
			}),
			revenueAssociation: ra
				? z.object({
						solutionSellerName: text("solutionSellerName"),
						customerName: text("customerName"),
						isvSolutionName: text("isvSolutionName"),
					})
				: z.object({
						solutionSellerName: z.string(),
						customerName: z.string(),
						isvSolutionName: z.string(),
					}),
		});
	}, [t, ba, ra]);

	const form = useForm<Values>({
		resolver: zodResolver(schema),
		defaultValues: {
			contacts: w.data.contacts,
			revenueAssociation: w.data.revenueAssociation,
		},
	});
	useServerErrors(w.problems, FIELDS, form.setError);
	useStash(() => form.getValues());

	const input = (
		name: FieldPath<Values>,
		label: string,
		type: "text" | "email" = "text",
		autoComplete = "off",
	) => (
		<TextField
			control={form.control}
			name={name}
			label={label}
			type={type}
			autoComplete={autoComplete}
		/>
	);

	return (
		<form
			className={styles.form}
			noValidate
			onSubmit={form.handleSubmit((v) => w.next(v))}
		>
			<fieldset className={styles.fieldset} data-testid="customer-contact">
				<legend className={styles.legend}>{t("contacts.customer")}</legend>
				{input("contacts.customer.name", t("contacts.customerName"))}
				{input("contacts.customer.title", t("contacts.customerTitle"))}
				{input("contacts.customer.email", t("contacts.customerEmail"), "email")}
			</fieldset>
			{ba && (
				<fieldset className={styles.fieldset} data-testid="technical-contact">
					<legend className={styles.legend}>
						{t("contacts.customerTechnical")}
					</legend>
					{input(
						"contacts.customerTechnical.name",
						t("contacts.technicalName"),
					)}
					{input(
						"contacts.customerTechnical.title",
						t("contacts.technicalTitle"),
					)}
					{input(
						"contacts.customerTechnical.email",
						t("contacts.technicalEmail"),
						"email",
					)}
				</fieldset>
			)}
			<fieldset className={styles.fieldset} data-testid="partner-contact">
				<legend className={styles.legend}>{t("contacts.partner")}</legend>
				{input(
					"contacts.partner.name",
					t("contacts.partnerName"),
					"text",
					"name",
				)}
				{input(
					"contacts.partner.email",
					t("contacts.partnerEmail"),
					"email",
					"email",
				)}
			</fieldset>
			{ra && (
				<fieldset className={styles.fieldset} data-testid="revenue-association">
					<legend className={styles.legend}>
						{t("contacts.revenueAssociation")}
					</legend>
					{input(
						"revenueAssociation.solutionSellerName",
						t("fieldNames.revenueAssociation.solutionSellerName"),
					)}
					{input(
						"revenueAssociation.customerName",
						t("fieldNames.revenueAssociation.customerName"),
					)}
					{input(
						"revenueAssociation.isvSolutionName",
						t("fieldNames.revenueAssociation.isvSolutionName"),
					)}
				</fieldset>
			)}
			<StepFooter
				busy={w.busy}
				onBack={() => w.back(form.getValues())}
				onSave={() => void w.save(form.getValues())}
			/>
		</form>
	);
}
