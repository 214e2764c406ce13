/** The wizard's step indicator and the Back / Save draft / Next row. */
import {
	Button,
	makeStyles,
	mergeClasses,
	Spinner,
	tokens,
} from "@fluentui/react-components";
import { CheckmarkRegular } from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import { VISUALLY_HIDDEN } from "../../../components/states.tsx";
import { STEPS } from "./model.ts";

const useStyles = makeStyles({
	list: {
		listStyleType: "none",
		margin: 0,
		padding: 0,
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalS,
		counterReset: "step",
	},
	item: {
		display: "flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
		borderRadius: tokens.borderRadiusCircular,
		border: `1px solid ${tokens.colorNeutralStroke2}`,
		color: tokens.colorNeutralForeground2,
		fontSize: tokens.fontSizeBase200,
		minHeight: "32px",
		boxSizing: "border-box",
	},
	current: {
		border: `2px solid ${tokens.colorBrandStroke1}`,
		color: tokens.colorNeutralForeground1,
		fontWeight: tokens.fontWeightSemibold,
		backgroundColor: tokens.colorBrandBackground2,
	},
	done: { color: tokens.colorNeutralForeground1 },
	number: {
		display: "inline-grid",
		placeItems: "center",
		width: "22px",
		height: "22px",
		borderRadius: tokens.borderRadiusCircular,
		backgroundColor: tokens.colorNeutralBackground5,
		fontWeight: tokens.fontWeightSemibold,
		flexShrink: 0,
	},
	numberCurrent: {
		backgroundColor: tokens.colorBrandBackground,
		color: tokens.colorNeutralForegroundOnBrand,
	},
	numberDone: {
		backgroundColor: tokens.colorPaletteGreenBackground3,
		color: tokens.colorNeutralForegroundOnBrand,
	},
	jump: {
		display: "inline-flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalXS,
		minWidth: "auto",
		padding: 0,
		height: "auto",
		fontWeight: "inherit",
		fontSize: "inherit",
	},
	label: {
		"@media (max-width: 700px)": {
			// Small screens: only the current step keeps its label visible.
			position: "absolute",
			width: "1px",
			height: "1px",
			overflow: "hidden",
			clip: "rect(0 0 0 0)",
			whiteSpace: "nowrap",
		},
	},
	labelCurrent: {
		"@media (max-width: 700px)": {
			position: "static",
			width: "auto",
			height: "auto",
			clip: "auto",
		},
	},
	srOnly: VISUALLY_HIDDEN,
	footer: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		gap: tokens.spacingHorizontalM,
		marginTop: tokens.spacingVerticalXL,
		paddingTop: tokens.spacingVerticalL,
		borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
		"@media (max-width: 500px)": {
			// Phones: full-width buttons, the primary one first.
			flexDirection: "column-reverse",
			alignItems: "stretch",
		},
	},
	spacer: {
		flexGrow: 1,
		"@media (max-width: 500px)": { display: "none" },
	},
});

/** The steps as an ordered list; earlier steps can be revisited. */
export function StepIndicator({
	step,
	onJump,
}: {
	step: number;
	onJump: (to: number) => void;
}) {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	return (
		<nav aria-label={t("progress")}>
			<ol className={styles.list} data-testid="wizard-steps">
				{STEPS.map((key, i) => {
					const state = i < step ? "done" : i === step ? "current" : "todo";
					const label = t(`steps.${key}`);
					const content = (
						<>
							<span
								className={mergeClasses(
									styles.number,
									state === "current" && styles.numberCurrent,
									state === "done" && styles.numberDone,
								)}
								aria-hidden="true"
							>
								{state === "done" ? <CheckmarkRegular /> : i + 1}
							</span>
							<span
								className={mergeClasses(
									styles.label,
									state === "current" && styles.labelCurrent,
								)}
							>
								{label}
							</span>
							<span className={styles.srOnly}>
								{t(`stepState.${state}`, { n: i + 1, total: STEPS.length })}
							</span>
						</>
					);
					return (
						<li
							key={key}
							className={mergeClasses(
								styles.item,
								state === "current" && styles.current,
								state === "done" && styles.done,
							)}
							aria-current={state === "current" ? "step" : undefined}
							data-step={key}
							data-state={state}
						>
							{state === "done" ? (
								<Button
									appearance="transparent"
									className={styles.jump}
									onClick={() => onJump(i)}
								>
									{content}
								</Button>
							) : (
								content
							)}
						</li>
					);
				})}
			</ol>
		</nav>
	);
}

/**
 * Back / Save draft / Next. `next` is a submit button of the step's form unless
 * `onNext` is given. Fields that check themselves on blur skip that check when focus
 * moves to Next (`data-wizard-next`), so the click is not swallowed by a save starting.
 */
export function StepFooter({
	onBack,
	onSave,
	onNext,
	nextLabel,
	busy,
	nextDisabled,
}: {
	onBack?: () => void;
	onSave?: () => void;
	onNext?: () => void;
	nextLabel?: string;
	busy?: boolean;
	nextDisabled?: boolean;
}) {
	const styles = useStyles();
	const { t } = useTranslation("wizard");
	return (
		<div className={styles.footer}>
			{onBack && (
				<Button onClick={onBack} disabledFocusable={busy}>
					{t("back")}
				</Button>
			)}
			<span className={styles.spacer} />
			{busy && <Spinner size="tiny" label={t("saving")} />}
			{onSave && (
				<Button appearance="subtle" onClick={onSave} disabledFocusable={busy}>
					{t("saveDraft")}
				</Button>
			)}
			<Button
				appearance="primary"
				type={onNext ? "button" : "submit"}
				onClick={onNext}
				data-wizard-next=""
				disabledFocusable={busy}
				disabled={nextDisabled}
			>
				{nextLabel ?? t("next")}
			</Button>
		</div>
	);
}
