/** Whether the screen is phone-sized, for layouts that switch from tables to cards. */
import { useSyncExternalStore } from "react";

/** The media query of a narrow screen (a phone, or a window split in two). */
const NARROW = "(max-width: 760px)";

/** True on phone-sized screens (the layouts switch from tables to cards); re-renders on change. */
export function useNarrow(): boolean {
	return useSyncExternalStore(
		(cb) => {
			const m = window.matchMedia(NARROW);
			m.addEventListener("change", cb);
			return () => m.removeEventListener("change", cb);
		},
		() => window.matchMedia(NARROW).matches,
		() => false,
	);
}
