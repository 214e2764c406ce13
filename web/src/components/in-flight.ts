/**
 * One request at a time from a form: a double click submits twice before React renders
 * the button busy (and a busy button that stays focusable, `disabledFocusable`, still
 * submits its form), so a handler takes this guard first and releases it when its
 * request settles.
 */
import { useRef } from "react";

/** The guard: `take()` is true (and takes it) when nothing runs; `release()` frees it. */
export function useInFlight(): { take: () => boolean; release: () => void } {
	const busy = useRef(false);
	return {
		take: () => {
			if (busy.current) return false;
			busy.current = true;
			return true;
		},
		release: () => {
			busy.current = false;
		},
	};
}
