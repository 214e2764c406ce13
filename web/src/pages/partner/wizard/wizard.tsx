/**
 * The create-claim wizard: seven steps; steps 1–3 collect the MPN ID, name, customer,
 * solution area and activity, and leaving step 3 creates the draft (POST /claims); from
 * then on each step is saved to the draft (PATCH with If-Match) as it is completed.
 */
import { makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { SaveRegular } from "@fluentui/react-icons";
import { useQueryClient } from "@tanstack/react-query";
import {
	type ComponentType,
	useCallback,
	useEffect,
	useMemo,
	useRef,
	useState,
} from "react";
import { useTranslation } from "react-i18next";
import { claimKeys } from "../../../api/claims.ts";
import { ApiError, api, type FieldProblem } from "../../../api/client.ts";
import type { ActivityInfo } from "../../../api/directory.ts";
import type { Claim, Me, MpnId } from "../../../api/types.ts";
import { formatDateTime } from "../../../format.ts";
import { type WizardApi, WizardContext } from "./context.ts";
import { ApiErrorBar } from "./errors.tsx";
import { StepIndicator } from "./layout.tsx";
import { LeaveGuard } from "./leave-guard.tsx";
import {
	basicsBody,
	contactsBody,
	createBody,
	dataFromClaim,
	emptyData,
	firstIncompleteStep,
	STEP,
	STEPS,
	stepOfPath,
	type WizardData,
} from "./model.ts";
import { ActivityStep } from "./steps/activity-step.tsx";
import { ContactsStep } from "./steps/contacts-step.tsx";
import { CustomerStep } from "./steps/customer-step.tsx";
import { MpnStep } from "./steps/mpn-step.tsx";
import { PoeStep } from "./steps/poe-step.tsx";
import { ProductsStep } from "./steps/products-step.tsx";
import { ReviewStep } from "./steps/review-step.tsx";

const STEP_COMPONENTS: ComponentType[] = [
	MpnStep,
	CustomerStep,
	ActivityStep,
	ProductsStep,
	ContactsStep,
	PoeStep,
	ReviewStep,
];

const useStyles = makeStyles({
	top: {
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalS,
		marginBottom: tokens.spacingVerticalL,
	},
	saved: {
		display: "flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		color: tokens.colorNeutralForeground2,
		minHeight: "20px",
		fontSize: tokens.fontSizeBase200,
	},
	panel: {
		backgroundColor: tokens.colorNeutralBackground1,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		borderRadius: tokens.borderRadiusLarge,
		padding: tokens.spacingHorizontalXXL,
		maxWidth: "900px",
		"@media (max-width: 600px)": { padding: tokens.spacingHorizontalL },
	},
	counter: {
		marginBottom: tokens.spacingVerticalXXS,
		color: tokens.colorNeutralForeground2,
		fontSize: tokens.fontSizeBase200,
	},
	heading: {
		display: "inline-block",
		margin: `0 0 ${tokens.spacingVerticalS}`,
		fontSize: tokens.fontSizeBase500,
		lineHeight: tokens.lineHeightBase500,
		fontWeight: tokens.fontWeightSemibold,
		":focus-visible": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
			outlineOffset: "2px",
		},
		":focus": { outlineStyle: "none" },
	},
	headingFocusRing: {
		":focus": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
			outlineOffset: "2px",
		},
	},
	intro: {
		margin: `0 0 ${tokens.spacingVerticalL}`,
		color: tokens.colorNeutralForeground2,
	},
	error: { marginBottom: tokens.spacingVerticalL },
});

export interface WizardProps {
	me: Me | null | undefined;
	mpnIds: MpnId[];
	activities: ActivityInfo[];
	/** A draft to resume (`?draft=<id>`), or null for a new claim. */
	initialClaim: Claim | null;
	/** Called once the draft exists (to put its ID in the address). */
	onCreated: (id: string) => void;
}

export function Wizard({
	me,
	mpnIds,
	activities,
	initialClaim,
	onCreated,
}: WizardProps) {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	const qc = useQueryClient();

	const [claim, setClaim] = useState<Claim | null>(initialClaim);
	const claimRef = useRef<Claim | null>(initialClaim);
	const [data, setDataState] = useState<WizardData>(() => {
		if (initialClaim) return dataFromClaim(initialClaim, me);
		const d = emptyData(me);
		// One MPN ID, or one enrolled among several: preselect it.
		const enrolled = mpnIds.filter((m) => m.enrolled);
		if (mpnIds.length === 1) d.mpnId = mpnIds[0]?.mpnId ?? "";
		else if (enrolled.length === 1) d.mpnId = enrolled[0]?.mpnId ?? "";
		return d;
	});
	const dataRef = useRef(data);
	// What the wizard started with, for "was anything entered" before the draft exists.
	const startData = useRef(data);
	const [step, setStep] = useState(() =>
		initialClaim ? firstIncompleteStep(initialClaim) : STEP.mpn,
	);
	const [problems, setProblems] = useState<FieldProblem[]>([]);
	const [error, setError] = useState<unknown>(null);
	const [pending, setPending] = useState(0);
	const [savedAt, setSavedAt] = useState<string | null>(null);
	const [formKey, setFormKey] = useState(0);
	const queue = useRef<Promise<unknown>>(Promise.resolve());
	const stash = useRef<(() => Partial<WizardData>) | null>(null);
	const heading = useRef<HTMLHeadingElement>(null);
	const mounted = useRef(false);
	const [focusRing, setFocusRing] = useState(false);

	// Focus the step's heading whenever the step changes (not on first load).
	// biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
	useEffect(() => {
		if (!mounted.current) {
			mounted.current = true;
			return;
		}
		setFocusRing(true);
		heading.current?.focus();
	}, [step]);

	const setData = useCallback((values: Partial<WizardData>) => {
		dataRef.current = { ...dataRef.current, ...values };
		setDataState(dataRef.current);
	}, []);

	const accept = useCallback(
		(c: Claim) => {
			claimRef.current = c;
			setClaim(c);
			qc.setQueryData(claimKeys.detail(c.id), c);
			void qc.invalidateQueries({ queryKey: claimKeys.lists() });
			void qc.invalidateQueries({ queryKey: claimKeys.history(c.id) });
			setSavedAt(new Date().toISOString());
		},
		[qc],
	);

	const run = useCallback(
		(change: (c: Claim) => Promise<Claim>) => {
			const p = queue.current.then(async () => {
				const current = claimRef.current;
				if (!current) throw new Error(t("errors.noDraft"));
				setPending((n) => n + 1);
				try {
					const next = await change(current);
					accept(next);
					return next;
				} finally {
					setPending((n) => n - 1);
				}
			});
			queue.current = p.catch(() => undefined);
			return p;
		},
		[accept, t],
	);

	const go = useCallback((to: number) => {
		setError(null);
		setProblems([]);
		setStep(Math.max(0, Math.min(STEPS.length - 1, to)));
		window.scrollTo?.({ top: 0 });
	}, []);

	const fail = useCallback((err: unknown) => {
		// Problems name their field by its path in the body (`contacts.customer.email`).
		const list = err instanceof ApiError ? err.errors : [];
		setError(err);
		setProblems(list);
		// A problem of an earlier step (e.g. the domain, found when the draft is created):
		// go there, so it shows next to its field.
		setStep((current) => {
			const steps = list
				.map((p) => stepOfPath(p.path))
				.filter((s): s is number => s !== undefined);
			if (steps.length === 0 || steps.includes(current)) return current;
			return Math.min(...steps);
		});
	}, []);

	/** Saves a step's values: steps 1–3 (creating the draft at step 3) and 5. */
	const persist = useCallback(
		async (at: number, d: WizardData) => {
			const current = claimRef.current;
			if (at <= STEP.activity) {
				if (current) {
					const body = basicsBody(at, d, current);
					if (body)
						await run((c) =>
							api<Claim>(`/claims/${c.id}`, {
								method: "PATCH",
								body,
								version: c.version,
							}),
						);
				} else if (at === STEP.activity) {
					setPending((n) => n + 1);
					try {
						const created = await api<Claim>("/claims", {
							body: createBody(d),
						});
						accept(created);
						onCreated(created.id);
					} finally {
						setPending((n) => n - 1);
					}
				}
			} else if (at === STEP.contacts) {
				await run((c) =>
					api<Claim>(`/claims/${c.id}`, {
						method: "PATCH",
						body: contactsBody(d),
						version: c.version,
					}),
				);
			}
		},
		[accept, onCreated, run],
	);

	const wizard = useMemo<WizardApi>(
		() => ({
			data,
			claim,
			step,
			problems,
			error,
			busy: pending > 0,
			mpnIds,
			activities,
			stash,
			back(values, to) {
				setData(values);
				go(to ?? step - 1);
			},
			async next(values, opts) {
				setData(values);
				setError(null);
				setProblems([]);
				try {
					if (!opts?.saved) await persist(step, dataRef.current);
					go(step + 1);
				} catch (err) {
					fail(err);
				}
			},
			async save(values) {
				setData(values);
				setError(null);
				setProblems([]);
				try {
					await persist(step, dataRef.current);
				} catch (err) {
					fail(err);
				}
			},
			run,
			fail,
			clearError() {
				setError(null);
				setProblems([]);
			},
			async reload() {
				const current = claimRef.current;
				if (!current) return;
				try {
					const fresh = await api<Claim>(`/claims/${current.id}`);
					claimRef.current = fresh;
					setClaim(fresh);
					qc.setQueryData(claimKeys.detail(fresh.id), fresh);
					dataRef.current = dataFromClaim(fresh, me);
					setDataState(dataRef.current);
					setError(null);
					setProblems([]);
					setFormKey((k) => k + 1);
				} catch (err) {
					fail(err);
				}
			},
		}),
		[
			data,
			claim,
			step,
			problems,
			error,
			pending,
			mpnIds,
			activities,
			setData,
			go,
			persist,
			run,
			fail,
			qc,
			me,
		],
	);

	/**
	 * True when leaving now would lose what was entered: the step's values differ from
	 * what the wizard took on (typed, not yet Next), or nothing is saved yet (no draft)
	 * while something was entered.
	 */
	const unsaved = useCallback(() => {
		const typed = stash.current?.() ?? {};
		const taken = dataRef.current as unknown as Record<string, unknown>;
		// The products step saves its lines to the draft itself: what the draft has is saved.
		const c = claimRef.current;
		const saved: Record<string, unknown> = c
			? {
					workloads: c.products.map((p) => p.productId),
					subscriptions: c.products.map((p) => p.subscriptionId ?? ""),
				}
			: {};
		const same = (k: string, a: unknown, b: unknown) => {
			// Subscription lines: blank lines and spaces around an ID are not values.
			const norm = (v: unknown) =>
				k === "subscriptions" && Array.isArray(v)
					? v.map((x) => String(x).trim()).filter(Boolean)
					: v;
			return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
		};
		const changed = Object.entries(typed).some(
			([k, v]) =>
				!same(k, v, taken[k]) && !(k in saved && same(k, v, saved[k])),
		);
		if (changed) return true;
		if (claimRef.current) return false;
		return (
			JSON.stringify(dataRef.current) !== JSON.stringify(startData.current)
		);
	}, []);

	const key = STEPS[step] ?? "mpn";
	const Current = STEP_COMPONENTS[step] ?? MpnStep;
	const introKey =
		key === "products" && claim
			? claim.solutionArea === "business_applications"
				? "productsBa"
				: "productsM365"
			: key;
	// Problems the step cannot show next to a field (another step's, or none of its own).
	const unplaced = problems.filter((p) => stepOfPath(p.path) !== step);

	return (
		<WizardContext.Provider value={wizard}>
			<LeaveGuard unsaved={unsaved} draftId={() => claimRef.current?.id} />
			<div className={styles.top}>
				<StepIndicator
					step={step}
					onJump={(to) => wizard.back(stash.current?.() ?? {}, to)}
				/>
				<div
					className={styles.saved}
					role="status"
					aria-live="polite"
					data-testid="draft-saved"
				>
					{savedAt && claim && (
						<>
							<SaveRegular aria-hidden="true" />
							{t("savedAsDraft", { time: formatDateTime(savedAt) })}
						</>
					)}
				</div>
			</div>
			<section
				className={styles.panel}
				aria-labelledby="wizard-step-heading"
				data-testid="wizard-step"
				data-step={key}
			>
				<div className={styles.counter}>
					{t("stepOf", { n: step + 1, total: STEPS.length })}
				</div>
				<h2
					id="wizard-step-heading"
					ref={heading}
					tabIndex={-1}
					className={mergeClasses(
						styles.heading,
						focusRing && styles.headingFocusRing,
					)}
					onBlur={() => setFocusRing(false)}
				>
					{t(`steps.${key}`)}
				</h2>
				<p className={styles.intro}>{t(`intro.${introKey}`)}</p>
				{error !== null && (
					<div className={styles.error}>
						<ApiErrorBar
							error={error}
							unplaced={unplaced}
							onReload={() => void wizard.reload()}
						/>
					</div>
				)}
				<Current key={`${key}-${formKey}`} />
			</section>
		</WizardContext.Provider>
	);
}
