/** What the wizard gives each step: the values so far, the draft, navigation and saving. */
import { createContext, type RefObject, useContext, useEffect } from "react";
import type { FieldProblem } from "../../../api/client.ts";
import type { ActivityInfo } from "../../../api/directory.ts";
import type { Claim, MpnId } from "../../../api/types.ts";
import type { WizardData } from "./model.ts";

export interface WizardApi {
	/** Everything entered so far (saved or not). */
	data: WizardData;
	/** The draft, once created (steps 4–7 always have one). */
	claim: Claim | null;
	/** The current step (index of STEPS). */
	step: number;
	/** The API's field problems of the last failed save. */
	problems: FieldProblem[];
	/** The last failed save's error (shown above the step), or null. */
	error: unknown;
	/** A save is running. */
	busy: boolean;
	mpnIds: MpnId[];
	activities: ActivityInfo[];
	/** Goes to an earlier step, keeping what was typed on this one. */
	back(values: Partial<WizardData>, to?: number): void;
	/**
	 * Moves on with the step's validated values: steps 1–3 and 5 are saved first (step 3
	 * creates the draft); `saved: true` when the step saved them itself.
	 */
	next(values: Partial<WizardData>, opts?: { saved?: boolean }): Promise<void>;
	/** Saves the step's values and stays (Save draft). */
	save(values: Partial<WizardData>): Promise<void>;
	/**
	 * Runs one change on the draft with its latest version (changes run one at a time),
	 * keeps the answer and shows "Saved as draft". Rejects with the ApiError.
	 */
	run(change: (claim: Claim) => Promise<Claim>): Promise<Claim>;
	/** Shows an error above the step (and problems next to fields). */
	fail(error: unknown): void;
	/** Clears the shown error. */
	clearError(): void;
	/** Re-reads the draft from the server (after a version conflict). */
	reload(): Promise<void>;
	/** The current step's unsaved values (kept when the step indicator jumps back). */
	stash: RefObject<(() => Partial<WizardData>) | null>;
}

export const WizardContext = createContext<WizardApi | null>(null);

/** The wizard, inside a step. */
export function useWizard(): WizardApi {
	const w = useContext(WizardContext);
	if (!w) throw new Error("useWizard outside the wizard");
	return w;
}

/** Lets the wizard read a step's current (unvalidated) values when it jumps away. */
export function useStash(read: () => Partial<WizardData>): void {
	const { stash } = useWizard();
	useEffect(() => {
		stash.current = read;
		return () => {
			stash.current = null;
		};
	});
}
