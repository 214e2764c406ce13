/**
 * Telling screen-reader users that a new page opened (WCAG 2.4.3, 4.1.3): after an
 * in-app navigation the user started (not the first page of a visit) the page's title
 * is said through a polite live region that stays in the shell, and when the focus was
 * lost with the old page (the link or button that led here is gone) it moves to the new
 * page's heading, so that the keyboard goes on from the top of the page instead of the
 * document's start.
 */
import { useEffect, useRef, useState } from "react";
import { useLocation } from "react-router";
import { VISUALLY_HIDDEN } from "./states.tsx";

let announce: ((title: string) => void) | null = null;

// Whether the user has pressed a key or pointed since the document loaded: pages shown
// before that (the first page, and where it redirected) are the browser's to announce.
let userActed = false;
if (typeof document !== "undefined") {
	const acted = () => {
		userActed = true;
	};
	document.addEventListener("keydown", acted, { capture: true, once: true });
	document.addEventListener("pointerdown", acted, {
		capture: true,
		once: true,
	});
}

/** The live region (once, in the shell). */
export function PageAnnouncer() {
	const [text, setText] = useState("");
	useEffect(() => {
		// The same title twice in a row is said twice (a live region speaks changes).
		announce = (title) =>
			setText((said) => (said === title ? `${title}\u00a0` : title));
		return () => {
			announce = null;
		};
	}, []);
	return (
		<div
			aria-live="polite"
			aria-atomic="true"
			style={VISUALLY_HIDDEN}
			data-testid="page-announcer"
		>
			{text}
		</div>
	);
}

/**
 * For a page's heading: returns the ref to put on it (with `tabIndex={-1}`); once per
 * navigation (react-router's location key) says `title` and, when nothing has the
 * focus, focuses the heading. Pages shown before the user did anything (the first page
 * of a visit, and its redirects) say nothing: the browser announces a loaded document.
 */
export function usePageShown(title: string) {
	const heading = useRef<HTMLHeadingElement>(null);
	const { key } = useLocation();
	const titleRef = useRef(title);
	titleRef.current = title;
	// biome-ignore lint/correctness/useExhaustiveDependencies: once per navigation (its location key), not per render
	useEffect(() => {
		if (!userActed) return;
		announce?.(titleRef.current);
		const active = document.activeElement;
		if (!active || active === document.body || !active.isConnected)
			heading.current?.focus({ preventScroll: true });
	}, [key]);
	return heading;
}
