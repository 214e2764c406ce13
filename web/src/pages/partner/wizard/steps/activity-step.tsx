/**
 * Step 3: the solution area and the activity, only the allowed pairs (R-CRT-4), each with
 * its meaning and what it feeds. Leaving this step creates the draft.
 */

import {
	Field,
	MessageBar,
	MessageBarBody,
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
import type { Activity, SolutionArea } from "../../../../api/types.ts";
import { useStash, useWizard } from "../context.ts";
import { StepFooter } from "../layout.tsx";
import { programsForActivity } from "../model.ts";
import { useServerErrors } from "../use-server-errors.ts";

const AREAS: SolutionArea[] = ["business_applications", "microsoft_365"];

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
	title: { fontWeight: tokens.fontWeightSemibold },
	detail: { color: tokens.colorNeutralForeground2 },
	messages: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
	},
});

export function ActivityStep() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const w = useWizard();
	const schema = useMemo(
		() =>
			z.object({
				solutionArea: z.enum(AREAS, { error: t("v.areaRequired") }),
				activity: z.enum(["presales", "usage", "revenue_association"], {
					error: t("v.activityRequired"),
				}),
			}),
		[t],
	);
	const form = useForm({
		resolver: zodResolver(schema),
		// "" until chosen (the schema refuses it with the message above).
		defaultValues: {
			solutionArea: w.data.solutionArea as SolutionArea,
			activity: w.data.activity as Activity,
		},
	});
	useServerErrors(w.problems, ["solutionArea", "activity"], form.setError);
	useStash(() => {
		const v = form.getValues();
		return { solutionArea: v.solutionArea ?? "", activity: v.activity ?? "" };
	});

	const area = form.watch("solutionArea");
	const activity = form.watch("activity");
	const options = w.activities.filter((a) => a.solutionArea === area);
	const mpn = w.mpnIds.find((m) => m.mpnId === w.data.mpnId);
	const needed = programsForActivity(area ?? "", activity ?? "");
	const unenrolled =
		mpn && needed.length > 0 && !needed.some((p) => mpn.programs.includes(p));
	const clearsProducts =
		!!w.claim &&
		w.claim.products.length > 0 &&
		!!area &&
		area !== w.claim.solutionArea;

	const chooseArea = (next: SolutionArea) => {
		form.setValue("solutionArea", next, { shouldValidate: true });
		const allowed = w.activities.filter((a) => a.solutionArea === next);
		const current = form.getValues("activity");
		if (!allowed.some((a) => a.activity === current)) {
			form.setValue(
				"activity",
				(allowed.length === 1 ? allowed[0]?.activity : undefined) as Activity,
			);
		}
	};

	return (
		<form
			className={styles.form}
			noValidate
			onSubmit={form.handleSubmit((v) => w.next(v))}
		>
			<Controller
				control={form.control}
				name="solutionArea"
				render={({ field, fieldState }) => (
					<Field
						label={t("fields.solutionArea")}
						required
						validationMessage={fieldState.error?.message}
					>
						<RadioGroup
							ref={field.ref}
							name={field.name}
							value={field.value ?? ""}
							onChange={(_, d) => chooseArea(d.value as SolutionArea)}
							onBlur={field.onBlur}
						>
							{AREAS.map((a) => (
								<Radio
									key={a}
									value={a}
									label={
										<span className={styles.option}>
											<span className={styles.title}>
												{t(`common:solutionArea.${a}`)}
											</span>
											<Text size={200} className={styles.detail}>
												{t(`areaInfo.${a}`)}
											</Text>
										</span>
									}
								/>
							))}
						</RadioGroup>
					</Field>
				)}
			/>
			{area && (
				<Controller
					control={form.control}
					name="activity"
					render={({ field, fieldState }) => (
						<Field
							label={t("fields.activity")}
							required
							validationMessage={fieldState.error?.message}
						>
							<RadioGroup
								ref={field.ref}
								name={field.name}
								value={field.value ?? ""}
								onChange={(_, d) => field.onChange(d.value)}
								onBlur={field.onBlur}
							>
								{options.map((o) => (
									<Radio
										key={o.activity}
										value={o.activity}
										data-testid="activity-option"
										label={
											<span className={styles.option}>
												<span className={styles.title}>
													{t(`common:activity.${o.activity}`)}
												</span>
												<Text size={200}>
													{t(
														`activityInfo.${o.solutionArea}.${o.activity}.meaning`,
														{
															defaultValue: o.meaning,
														},
													)}
												</Text>
												<Text size={200} className={styles.detail}>
													{t("activity.feeds", {
														feeds: t(
															`activityInfo.${o.solutionArea}.${o.activity}.feeds`,
															{ defaultValue: o.feeds },
														),
													})}
												</Text>
											</span>
										}
									/>
								))}
							</RadioGroup>
						</Field>
					)}
				/>
			)}
			<div className={styles.messages}>
				{area === "business_applications" && (
					<MessageBar intent="info">
						<MessageBarBody>{t("activity.baChannels")}</MessageBarBody>
					</MessageBar>
				)}
				{activity === "revenue_association" && (
					<MessageBar intent="info">
						<MessageBarBody>{t("activity.revenueNoPayment")}</MessageBarBody>
					</MessageBar>
				)}
				{unenrolled && (
					<MessageBar intent="warning" data-testid="mpn-program-warning">
						<MessageBarBody>
							{t("activity.mpnNotEnrolled", {
								mpnId: mpn.mpnId,
								programs: needed
									.map((p) => t(`common:program.${p}`))
									.join(", "),
							})}
						</MessageBarBody>
					</MessageBar>
				)}
				{clearsProducts && (
					<MessageBar intent="warning">
						<MessageBarBody>{t("activity.clearsProducts")}</MessageBarBody>
					</MessageBar>
				)}
				{!w.claim && <Text>{t("activity.createsDraft")}</Text>}
			</div>
			<StepFooter
				busy={w.busy}
				onBack={() => {
					const v = form.getValues();
					w.back({
						solutionArea: v.solutionArea ?? "",
						activity: v.activity ?? "",
					});
				}}
				onSave={
					w.claim ? () => void form.handleSubmit((v) => w.save(v))() : undefined
				}
			/>
		</form>
	);
}
