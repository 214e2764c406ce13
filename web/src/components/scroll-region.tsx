/**
 * A horizontally scrollable region for wide tables, reachable by keyboard (WCAG 2.1.1).
 * A shadow on an edge says there is more beyond it (on a phone the scroll bar shows only
 * while scrolling): the page-coloured covers move with the content (`local`) and hide
 * the shadows (`scroll`) once an end is reached.
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const cover = tokens.colorNeutralBackground1;
const useStyles = makeStyles({
	scroll: {
		overflowX: "auto",
		maxWidth: "100%",
		backgroundImage: [
			`linear-gradient(to right, ${cover} 30%, transparent)`,
			`linear-gradient(to left, ${cover} 30%, transparent)`,
			"radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.22), transparent)",
			"radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.22), transparent)",
		].join(", "),
		backgroundPosition: "left center, right center, left center, right center",
		backgroundRepeat: "no-repeat",
		backgroundSize: "40px 100%, 40px 100%, 14px 100%, 14px 100%",
		backgroundAttachment: "local, local, scroll, scroll",
	},
});

export function ScrollRegion({
	label,
	children,
}: {
	label: string;
	children: ReactNode;
}) {
	const styles = useStyles();
	// A labelled group, not a landmark: it sits inside the page's sections, often under
	// the same name, and two landmarks of one name are ambiguous (axe landmark-unique).
	return (
		// biome-ignore lint/a11y/useSemanticElements: a fieldset is for form controls; this groups a table
		<div
			role="group"
			className={styles.scroll}
			aria-label={label}
			// biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
			tabIndex={0}
		>
			{children}
		</div>
	);
}
