/**
 * A page's title row and body. Sets the document title; after a navigation says the
 * title to screen readers and takes the focus if it was lost (page-announcer.tsx).
 */
import { makeStyles, Text, tokens } from "@fluentui/react-components";
import { type ReactNode, useEffect } from "react";
import { usePageShown } from "./page-announcer.tsx";

const useStyles = makeStyles({
	header: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalM,
		marginBottom: tokens.spacingVerticalL,
	},
	// Focused after a navigation (page-announcer.tsx): no ring on a heading, which is not a control.
	heading: { ":focus": { outlineStyle: "none" } },
});

export function Page({
	title,
	actions,
	children,
}: {
	title: string;
	actions?: ReactNode;
	children: ReactNode;
}) {
	const styles = useStyles();
	useEffect(() => {
		document.title = `${title} · CPOR`;
	}, [title]);
	const heading = usePageShown(title);
	return (
		<>
			<div className={styles.header}>
				<Text
					as="h1"
					size={700}
					weight="semibold"
					ref={heading}
					tabIndex={-1}
					className={styles.heading}
				>
					{title}
				</Text>
				{actions && <div>{actions}</div>}
			</div>
			{children}
		</>
	);
}
