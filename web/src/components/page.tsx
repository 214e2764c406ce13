/** A page's title row and body. Sets the document title. */
import { makeStyles, Text, tokens } from "@fluentui/react-components";
import { type ReactNode, useEffect } from "react";

const useStyles = makeStyles({
	header: {
		display: "flex",
		flexWrap: "wrap",
		alignItems: "center",
		justifyContent: "space-between",
		gap: tokens.spacingHorizontalM,
		marginBottom: tokens.spacingVerticalL,
	},
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
	return (
		<>
			<div className={styles.header}>
				<Text as="h1" size={700} weight="semibold">
					{title}
				</Text>
				{actions && <div>{actions}</div>}
			</div>
			{children}
		</>
	);
}
