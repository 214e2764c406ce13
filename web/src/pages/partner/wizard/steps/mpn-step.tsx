/** Step 1: the claim's name and the MPN ID, with the programs each is enrolled in (R-CRT-2). */

import {
	Badge,
	Field,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Radio,
	RadioGroup,
	Text,
	tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { Controller, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { EmptyState } from "../../../../components/states.tsx";
import { useStash, useWizard } from "../context.ts";
import { StepFooter } from "../layout.tsx";
import { TextField } from "../text-field.tsx";
import { useServerErrors } from "../use-server-errors.ts";

const useStyles = makeStyles({
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	option: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXXS,
		paddingBottom: tokens.spacingVerticalS,
	},
	mpn: { fontWeight: tokens.fontWeightSemibold },
	programs: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
	},
	name: { maxWidth: "520px" },
});

export function MpnStep() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const w = useWizard();
	const schema = useMemo(
		() =>
			z.object({
				name: z
					.string()
					.trim()
					.min(1, t("v.nameRequired"))
					.max(200, t("v.tooLong", { max: 200 })),
				mpnId: z.string().min(1, t("v.mpnRequired")),
			}),
		[t],
	);
	const form = useForm({
		resolver: zodResolver(schema),
		defaultValues: { name: w.data.name, mpnId: w.data.mpnId },
	});
	useServerErrors(w.problems, ["name", "mpnId"], form.setError);
	useStash(() => form.getValues());
	const chosen = w.mpnIds.find((m) => m.mpnId === form.watch("mpnId"));

	if (w.mpnIds.length === 0) {
		return (
			<EmptyState title={t("mpn.noneTitle")}>
				<Text>{t("mpn.noneText")}</Text>
			</EmptyState>
		);
	}

	return (
		<form
			className={styles.form}
			noValidate
			onSubmit={form.handleSubmit((v) => w.next(v))}
		>
			<TextField
				control={form.control}
				name="name"
				className={styles.name}
				label={t("fields.name")}
				hint={t("hints.name")}
			/>
			<Controller
				control={form.control}
				name="mpnId"
				render={({ field, fieldState }) => (
					<Field
						label={t("fields.mpnId")}
						hint={t("hints.mpnId")}
						required
						validationMessage={fieldState.error?.message}
					>
						<RadioGroup
							ref={field.ref}
							value={field.value}
							onChange={(_, d) => field.onChange(d.value)}
							onBlur={field.onBlur}
							name={field.name}
						>
							{w.mpnIds.map((m) => (
								<Radio
									key={m.mpnId}
									value={m.mpnId}
									data-testid="mpn-option"
									label={
										<span className={styles.option}>
											<span className={styles.mpn}>{m.mpnId}</span>
											<span className={styles.programs}>
												{m.enrolled ? (
													<>
														<Text size={200}>{t("mpn.enrolledIn")}</Text>
														{m.programs.map((p) => (
															<Badge
																key={p}
																appearance="tint"
																color="brand"
																size="small"
															>
																{t(`common:program.${p}`)}
															</Badge>
														))}
													</>
												) : (
													<Badge appearance="outline" color="warning">
														{t("mpn.notEnrolled")}
													</Badge>
												)}
											</span>
										</span>
									}
								/>
							))}
						</RadioGroup>
					</Field>
				)}
			/>
			{chosen && !chosen.enrolled && (
				<MessageBar intent="warning" data-testid="mpn-not-enrolled">
					<MessageBarBody>
						<MessageBarTitle>{t("mpn.warnTitle")}</MessageBarTitle>
						{t("mpn.warnText", { mpnId: chosen.mpnId })}
					</MessageBarBody>
				</MessageBar>
			)}
			<StepFooter
				busy={w.busy}
				onSave={
					w.claim ? () => void form.handleSubmit((v) => w.save(v))() : undefined
				}
			/>
		</form>
	);
}
