/** A horizontally scrollable region for wide tables, reachable by keyboard (WCAG 2.1.1). */
import { makeStyles } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
	scroll: { overflowX: "auto", maxWidth: "100%" },
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
