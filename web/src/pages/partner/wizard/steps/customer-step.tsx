/**
 * Step 2: the customer's tenant ID and domain (R-CRT-3). The API checks that the domain
 * belongs to the tenant when the draft is created or changed; its answer shows here.
 */

import {
	MessageBar,
	MessageBarBody,
	makeStyles,
	tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useStash, useWizard } from "../context.ts";
import { StepFooter } from "../layout.tsx";
import { DOMAIN, GUID } from "../model.ts";
import { TextField } from "../text-field.tsx";
import { useServerErrors } from "../use-server-errors.ts";

const useStyles = makeStyles({
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	field: { maxWidth: "520px" },
	mono: { fontFamily: tokens.fontFamilyMonospace },
});

export function CustomerStep() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const w = useWizard();
	const schema = useMemo(
		() =>
			z.object({
				customer: z.object({
					tenantId: z
						.string()
						.trim()
						.min(1, t("v.tenantRequired"))
						.regex(GUID, t("v.tenantGuid")),
					domain: z
						.string()
						.trim()
						.min(1, t("v.domainRequired"))
						.regex(DOMAIN, t("v.domainFormat")),
				}),
			}),
		[t],
	);
	const form = useForm({
		resolver: zodResolver(schema),
		defaultValues: { customer: w.data.customer },
	});
	useServerErrors(
		w.problems,
		["customer.tenantId", "customer.domain"],
		form.setError,
	);
	useStash(() => form.getValues());
	const tenant = form.watch("customer.tenantId").trim().toLowerCase();
	const clearsSubscriptions =
		w.claim?.solutionArea === "business_applications" &&
		w.claim.products.length > 0 &&
		GUID.test(tenant) &&
		tenant !== w.claim.customer.tenantId.toLowerCase();

	return (
		<form
			className={styles.form}
			noValidate
			onSubmit={form.handleSubmit((v) => w.next(v))}
		>
			<TextField
				control={form.control}
				name="customer.tenantId"
				className={styles.field}
				inputClassName={styles.mono}
				label={t("fields.tenantId")}
				hint={t("hints.tenantId")}
				spellCheck={false}
				placeholder="00000000-0000-0000-0000-000000000000"
			/>
			<TextField
				control={form.control}
				name="customer.domain"
				className={styles.field}
				label={t("fields.domain")}
				hint={t("hints.domain")}
				spellCheck={false}
				placeholder="contoso.onmicrosoft.com"
			/>
			{clearsSubscriptions && (
				<MessageBar intent="warning">
					<MessageBarBody>{t("customer.clearsSubscriptions")}</MessageBarBody>
				</MessageBar>
			)}
			<StepFooter
				busy={w.busy}
				onBack={() => w.back(form.getValues())}
				onSave={
					w.claim ? () => void form.handleSubmit((v) => w.save(v))() : undefined
				}
			/>
		</form>
	);
}
