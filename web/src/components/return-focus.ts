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
