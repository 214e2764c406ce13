/** A query's Refresh button. */
import { Button } from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import type { ReactNode } from "react";

/** Fetches `query` again: a subtle button with the refresh icon, disabled while it fetches. */
export function RefreshButton({
	query,
	children,
}: {
	query: { isFetching: boolean; refetch: () => unknown };
	/** The button's label. */
	children: ReactNode;
}) {
	return (
		<Button
			appearance="subtle"
			icon={<ArrowClockwiseRegular />}
			onClick={() => query.refetch()}
			disabledFocusable={query.isFetching}
		>
			{children}
		</Button>
	);
}
