import { useCallback, useEffect, useRef } from "react";

/**
 * Gives the focus back, when a dialog that is opened by state (not by Fluent's
 * DialogTrigger, which does this itself) closes, to the element that had it when it was
 * opened: call the returned function as the dialog opens (in the button's click handler,
 * before the dialog takes the focus). Without this, Esc or Cancel left the focus on the
 * page's body, and a keyboard user had to find their place again. Nothing is done when
 * that element has left the page meanwhile (an action that succeeded and removed its
 * button; the page then shows its own notice) or something else took the focus.
 */
export function useReturnFocus(open: boolean): () => void {
	const opener = useRef<HTMLElement | null>(null);
	const remember = useCallback(() => {
		const active = document.activeElement;
		opener.current =
			active instanceof HTMLElement && active !== document.body ? active : null;
	}, []);
	useEffect(() => {
		if (open) return;
		const target = opener.current;
		opener.current = null;
		if (!target) return;
		// After the dialog's own focus handling. A closing dialog may still be on the page,
		// fading out, with the focus on its Cancel button: that counts as nowhere.
		const timer = setTimeout(() => {
			const active = document.activeElement;
			const nowhere =
				active === null ||
				active === document.body ||
				active.closest('[role="dialog"], [role="alertdialog"]') !== null;
			if (target.isConnected && nowhere) target.focus();
		}, 0);
		return () => clearTimeout(timer);
	}, [open]);
	return remember;
}

/**
 * Puts the focus on the element given the returned ref (made focusable with
 * `tabIndex={-1}`) each time `shown` changes to something (an action's success notice):
 * the action's button or dialog has gone with the claim's new status, and without this
 * the focus fell to the page's body. Runs after a closing dialog's own focus handling.
 */
export function useFocusWhenShown<T extends HTMLElement>(shown: unknown) {
	const ref = useRef<T>(null);
	useEffect(() => {
		if (!shown) return;
		const timer = setTimeout(() => ref.current?.focus(), 0);
		return () => clearTimeout(timer);
	}, [shown]);
	return ref;
}

/** What a keyboard can reach inside a dialog, in document order. */
const FOCUSABLE = [
	"input:not([disabled])",
	"textarea:not([disabled])",
	"select:not([disabled])",
	"button:not([disabled])",
	"a[href]",
	'[tabindex]:not([tabindex="-1"])',
]
	// Not Fluent's focus-trap sentinels (tabster's dummies), nor anything hidden.
	.map((s) => `${s}:not([data-tabster-dummy]):not([aria-hidden="true"])`)
	.join(", ");

/**
 * Keeps the focus inside an open dialog (the element given the returned ref) when its
 * own first choice is disabled, or becomes disabled while it has the focus (a choice
 * ruled out by data that arrives after the dialog opened): without this the focus fell
 * to the page's body, outside the dialog, and a keyboard user could neither reach the
 * dialog nor close it with Esc. Checks when the dialog opens and whenever `recheck`
 * changes; moves the focus to the first element a keyboard can reach, if it is elsewhere.
 */
export function useKeepFocusInside<T extends HTMLElement>(
	open: boolean,
	recheck?: unknown,
) {
	const ref = useRef<T>(null);
	// biome-ignore lint/correctness/useExhaustiveDependencies: `recheck` is when to look again
	useEffect(() => {
		if (!open) return;
		const timer = setTimeout(() => {
			const surface = ref.current;
			if (!surface) return;
			const active = document.activeElement;
			if (
				active instanceof HTMLElement &&
				surface.contains(active) &&
				!(active as HTMLInputElement).disabled
			)
				return;
			surface.querySelector<HTMLElement>(FOCUSABLE)?.focus();
		}, 50);
		return () => clearTimeout(timer);
	}, [open, recheck]);
	return ref;
}
