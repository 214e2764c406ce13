import { type MouseEvent, useCallback } from "react";
import { useNavigate } from "react-router";

/**
 * The click handler of a link, or a button drawn as one (`as="a"` with `href={to}`), that
 * navigates inside the app: a plain left click goes to `to` through the router; a click
 * with a modifier key or another button is left to the browser (a new tab, a new window).
 */
export function useRouterClick(to: string) {
	const navigate = useNavigate();
	return useCallback(
		(e: MouseEvent<HTMLElement>) => {
			if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
				return;
			e.preventDefault();
			void navigate(to);
		},
		[navigate, to],
	);
}
