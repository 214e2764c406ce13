/**
 * Step 4: the products. Microsoft 365: the workloads, as checkboxes. Business
 * Applications: subscription IDs, each checked as it is entered (R-CRT-5): the list is
 * saved to the draft, and each line shows the product it found or the API's problem.
 */

import {
	Button,
	Checkbox,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	makeStyles,
	Spinner,
	Text,
	tokens,
} from "@fluentui/react-components";
import { AddRegular, DeleteRegular } from "@fluentui/react-icons";
import { zodResolver } from "@hookform/resolvers/zod";
import { type FocusEvent, useEffect, useMemo, useRef, useState } from "react";
import { Controller, useFieldArray, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ApiError, api, type FieldProblem } from "../../../../api/client.ts";
import { useProducts } from "../../../../api/directory.ts";
import type { Claim } from "../../../../api/types.ts";
import { ErrorMessage, Loading } from "../../../../components/states.tsx";
import { useStash, useWizard } from "../context.ts";
import { useErrorText } from "../errors.tsx";
import { StepFooter } from "../layout.tsx";
import { TextField } from "../text-field.tsx";

const useStyles = makeStyles({
	form: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalL,
	},
	fieldset: {
		border: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalXS,
	},
	legend: {
		fontWeight: tokens.fontWeightSemibold,
		marginBottom: tokens.spacingVerticalS,
		padding: 0,
	},
	grid: {
		display: "grid",
		gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))",
		alignItems: "start",
		gap: `0 ${tokens.spacingHorizontalL}`,
	},
	error: { color: tokens.colorPaletteRedForeground1 },
	lines: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
	line: {
		display: "flex",
		alignItems: "flex-start",
		gap: tokens.spacingHorizontalS,
	},
	lineField: { flexGrow: 1, maxWidth: "560px", minWidth: 0 },
	remove: { marginTop: "26px" },
	mono: { fontFamily: tokens.fontFamilyMonospace },
	add: { alignSelf: "flex-start" },
});

const patchProducts =
	(products: { productId?: string; subscriptionId?: string }[]) => (c: Claim) =>
		api<Claim>(`/claims/${c.id}`, {
			method: "PATCH",
			body: { products },
			version: c.version,
		});

export function ProductsStep() {
	const w = useWizard();
	const { t } = useTranslation("wizard");
	if (!w.claim) {
		return (
			<MessageBar intent="warning">
				<MessageBarBody>{t("errors.noDraft")}</MessageBarBody>
			</MessageBar>
		);
	}
	return w.claim.solutionArea === "business_applications" ? (
		<SubscriptionsForm />
	) : (
		<WorkloadsForm />
	);
}

/** Microsoft 365: choose workloads. */
function WorkloadsForm() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const text = useErrorText();
	const w = useWizard();
	const products = useProducts("microsoft_365");
	const [problems, setProblems] = useState<FieldProblem[]>([]);
	const schema = useMemo(
		() =>
			z.object({
				workloads: z.array(z.string()).min(1, t("v.workloadRequired")),
			}),
		[t],
	);
	const form = useForm({
		resolver: zodResolver(schema),
		defaultValues: { workloads: w.data.workloads },
	});
	useStash(() => form.getValues());

	const save = async (workloads: string[]) => {
		setProblems([]);
		try {
			await w.run(patchProducts(workloads.map((productId) => ({ productId }))));
			return true;
		} catch (err) {
			if (err instanceof ApiError && err.errors.length) {
				setProblems(
					err.errors.map((p) => {
						const i = Number(/^products\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
						const id = workloads[i];
						const name = products.data?.find((x) => x.productId === id)?.name;
						return name
							? { ...p, message: `${name}: ${text(p.code, p.message)}` }
							: { ...p, message: text(p.code, p.message) };
					}),
				);
			} else w.fail(err);
			return false;
		}
	};

	if (products.isLoading) return <Loading />;
	if (products.isError)
		return (
			<ErrorMessage error={products.error} onRetry={() => products.refetch()} />
		);

	return (
		<form
			className={styles.form}
			noValidate
			onSubmit={form.handleSubmit(async (v) => {
				if (await save(v.workloads))
					await w.next({ workloads: v.workloads }, { saved: true });
			})}
		>
			{problems.length > 0 && (
				<MessageBar intent="error" role="alert">
					<MessageBarBody>
						<MessageBarTitle>{t("products.workloadProblems")}</MessageBarTitle>
						<ul>
							{problems.map((p) => (
								<li key={`${p.path}-${p.code}`}>{p.message}</li>
							))}
						</ul>
					</MessageBarBody>
				</MessageBar>
			)}
			<Controller
				control={form.control}
				name="workloads"
				render={({ field, fieldState }) => (
					<fieldset
						className={styles.fieldset}
						aria-describedby={fieldState.error ? "workloads-error" : undefined}
						aria-invalid={fieldState.error ? true : undefined}
					>
						<legend className={styles.legend}>{t("fields.workloads")}</legend>
						<div className={styles.grid}>
							{(products.data ?? []).map((p) => (
								<Checkbox
									key={p.productId}
									label={p.name}
									value={p.productId}
									data-testid="workload-option"
									checked={field.value.includes(p.productId)}
									onChange={(_, d) =>
										field.onChange(
											d.checked
												? [...field.value, p.productId]
												: field.value.filter((x) => x !== p.productId),
										)
									}
								/>
							))}
						</div>
						{fieldState.error && (
							<Text id="workloads-error" role="alert" className={styles.error}>
								{fieldState.error.message}
							</Text>
						)}
					</fieldset>
				)}
			/>
			<StepFooter
				busy={w.busy}
				onBack={() => w.back(form.getValues())}
				onSave={() => {
					const v = form.getValues();
					w.clearError();
					void save(v.workloads);
				}}
			/>
		</form>
	);
}

/** Business Applications: one subscription ID per line, each checked by the API. */
function SubscriptionsForm() {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const text = useErrorText();
	const w = useWizard();
	const claim = w.claim as Claim;
	const schema = useMemo(
		() =>
			z
				.object({ lines: z.array(z.object({ value: z.string() })) })
				.superRefine((v, ctx) => {
					if (!v.lines.some((l) => l.value.trim()))
						ctx.addIssue({
							code: "custom",
							path: ["lines", 0, "value"],
							message: t("v.subscriptionRequired"),
						});
				}),
		[t],
	);
	const form = useForm({
		resolver: zodResolver(schema),
		defaultValues: {
			lines: w.data.subscriptions.map((value) => ({ value })),
		},
	});
	const lines = useFieldArray({ control: form.control, name: "lines" });
	const values = form.watch("lines");
	useStash(() => ({
		subscriptions: form.getValues("lines").map((l) => l.value),
	}));

	/** Per line (field ID): the API's problem with what was checked. */
	const [lineErrors, setLineErrors] = useState<
		Record<string, { value: string; problem: FieldProblem }>
	>({});
	const [other, setOther] = useState<FieldProblem[]>([]);
	const [checking, setChecking] = useState(false);
	const inflight = useRef<Promise<boolean> | null>(null);
	const norm = (s: string) => s.trim().toLowerCase();
	const keyOf = (vals: string[]) => vals.map(norm).filter(Boolean).join("|");
	/** The last check: which list, and whether every line passed. */
	const last = useRef<{ key: string; ok: boolean }>({
		key: keyOf(claim.products.map((p) => p.subscriptionId ?? "")),
		ok: true,
	});

	const entries = () => {
		const current = form.getValues("lines");
		return lines.fields
			.map((f, i) => ({ id: f.id, value: (current[i]?.value ?? "").trim() }))
			.filter((e) => e.value);
	};

	const doCheck = async (): Promise<boolean> => {
		const list = entries();
		const key = keyOf(list.map((e) => e.value));
		setChecking(true);
		setOther([]);
		w.clearError();
		try {
			await w.run(
				patchProducts(list.map((e) => ({ subscriptionId: e.value }))),
			);
			setLineErrors({});
			last.current = { key, ok: true };
			return true;
		} catch (err) {
			if (!(err instanceof ApiError)) {
				w.fail(err);
				return false;
			}
			const perLine: Record<string, { value: string; problem: FieldProblem }> =
				{};
			const rest: FieldProblem[] = [];
			for (const p of err.errors) {
				const m = /^products\[(\d+)\]/.exec(p.path);
				const e = m ? list[Number(m[1])] : undefined;
				if (e && !perLine[e.id]) perLine[e.id] = { value: e.value, problem: p };
				else rest.push(p);
			}
			if (Object.keys(perLine).length === 0) {
				w.fail(err);
				return false;
			}
			setLineErrors(perLine);
			setOther(rest);
			last.current = { key, ok: false };
			// Keep the lines that passed in the draft (and show their products).
			const passing = list.filter((e) => !perLine[e.id]);
			const saved = keyOf(
				(w.claim ?? claim).products.map((p) => p.subscriptionId ?? ""),
			);
			if (keyOf(passing.map((e) => e.value)) !== saved) {
				await w
					.run(patchProducts(passing.map((e) => ({ subscriptionId: e.value }))))
					.catch(() => undefined);
			}
			const first = list.findIndex((e) => perLine[e.id]);
			const index = lines.fields.findIndex((f) => f.id === list[first]?.id);
			if (index >= 0) form.setFocus(`lines.${index}.value`);
			return false;
		} finally {
			setChecking(false);
		}
	};

	const check = async (): Promise<boolean> => {
		if (inflight.current) await inflight.current;
		const p = doCheck();
		inflight.current = p;
		try {
			return await p;
		} finally {
			if (inflight.current === p) inflight.current = null;
		}
	};

	/** Checks the list when it changed since the last check. */
	const checkIfChanged = () => {
		if (keyOf(entries().map((e) => e.value)) !== last.current.key) void check();
	};

	// The element a pointer is pressing (between pointerdown and click), if any.
	const pressed = useRef<EventTarget | null>(null);
	useEffect(() => {
		const down = (e: PointerEvent) => {
			pressed.current = e.target;
		};
		const up = () => {
			setTimeout(() => {
				pressed.current = null;
			}, 0);
		};
		document.addEventListener("pointerdown", down, true);
		document.addEventListener("pointerup", up, true);
		return () => {
			document.removeEventListener("pointerdown", down, true);
			document.removeEventListener("pointerup", up, true);
		};
	}, []);

	const onBlurLine = (i: number, e: FocusEvent<HTMLInputElement>) => {
		// Next checks on submit, and a check started here would make it busy for the
		// Enter or click that follows. Clicking Add or Remove: they check themselves.
		// Tabbing to Add or Remove is no click: the ID is checked as the step promises.
		const target = e.relatedTarget as HTMLElement | null;
		const to = target?.dataset;
		if (to?.wizardNext !== undefined) return;
		const clicking =
			target !== null &&
			pressed.current instanceof Node &&
			target.contains(pressed.current);
		if (clicking && to?.lineAction !== undefined) return;
		if (!norm(form.getValues(`lines.${i}.value`) ?? "")) return;
		checkIfChanged();
	};

	// After Add or Remove re-rendered the lines.
	const [changed, setChanged] = useState(0);
	// biome-ignore lint/correctness/useExhaustiveDependencies: runs after Add or Remove
	useEffect(() => {
		if (changed) checkIfChanged();
	}, [changed]);

	const onSubmit = form.handleSubmit(async (v) => {
		if (inflight.current) await inflight.current;
		const key = keyOf(v.lines.map((l) => l.value));
		const ok = key === last.current.key ? last.current.ok : await check();
		if (!ok) return;
		await w.next(
			{ subscriptions: entries().map((e) => e.value) },
			{ saved: true },
		);
	});

	const failing = Object.keys(lineErrors).filter((id) => {
		const i = lines.fields.findIndex((f) => f.id === id);
		return (
			i >= 0 &&
			norm(values[i]?.value ?? "") === norm(lineErrors[id]?.value ?? "")
		);
	}).length;

	return (
		<form className={styles.form} noValidate onSubmit={onSubmit}>
			{failing > 0 && (
				<MessageBar
					intent="error"
					role="alert"
					data-testid="subscription-errors"
				>
					<MessageBarBody>
						<MessageBarTitle>
							{t("products.linesFailed", { count: failing })}
						</MessageBarTitle>
						{t("products.linesFailedHelp")}
						{other.length > 0 && (
							<ul>
								{other.map((p) => (
									<li key={`${p.path}-${p.code}`}>{text(p.code, p.message)}</li>
								))}
							</ul>
						)}
					</MessageBarBody>
				</MessageBar>
			)}
			<div className={styles.lines}>
				{lines.fields.map((f, i) => {
					const value = norm(values[i]?.value ?? "");
					const err = lineErrors[f.id];
					const problem =
						err && norm(err.value) === value ? err.problem : undefined;
					const found =
						!problem && value
							? (w.claim ?? claim).products.find(
									(p) => p.subscriptionId === value,
								)
							: undefined;
					const message = problem
						? text(problem.code, problem.message)
						: found
							? t("products.found", { name: found.name })
							: checking && value && !found
								? t("products.checking")
								: undefined;
					const state = problem ? "error" : found ? "success" : "none";
					return (
						<div
							key={f.id}
							className={styles.line}
							data-testid="subscription-line"
							data-state={problem ? "error" : found ? "ok" : "unchecked"}
							data-code={problem?.code}
						>
							<TextField
								control={form.control}
								name={`lines.${i}.value`}
								className={styles.lineField}
								inputClassName={styles.mono}
								label={t("products.subscriptionLabel", { n: i + 1 })}
								required={i === 0}
								spellCheck={false}
								placeholder="00000000-0000-0000-0000-000000000000"
								validationState={state}
								validationMessage={message}
								validationMessageIcon={
									checking && value && !found && !problem ? (
										<Spinner size="extra-tiny" />
									) : undefined
								}
								onBlur={(e) => onBlurLine(i, e)}
							/>
							{lines.fields.length > 1 && (
								<Button
									className={styles.remove}
									appearance="subtle"
									icon={<DeleteRegular />}
									aria-label={t("products.removeLine", { n: i + 1 })}
									data-line-action="remove"
									onClick={() => {
										lines.remove(i);
										setChanged((n) => n + 1);
									}}
								/>
							)}
						</div>
					);
				})}
			</div>
			<Button
				className={styles.add}
				icon={<AddRegular />}
				data-line-action="add"
				onClick={() => {
					lines.append({ value: "" });
					setChanged((n) => n + 1);
				}}
			>
				{t("products.addLine")}
			</Button>
			<StepFooter
				busy={w.busy}
				onBack={() =>
					w.back({
						subscriptions: form.getValues("lines").map((l) => l.value),
					})
				}
				onSave={() => void check()}
			/>
		</form>
	);
}
