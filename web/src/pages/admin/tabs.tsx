/**
 * Tabs after the WAI-ARIA tabs pattern (arrow keys, Home/End, one tab stop), looking like
 * Fluent's TabList. Fluent's own TabList inserts focusable aria-hidden guard elements that
 * axe reports as `aria-hidden-focus`, so the pages with tabs use this one.
 */
import { makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import {
	type KeyboardEvent,
	type ReactElement,
	type ReactNode,
	useCallback,
	useRef,
} from "react";
import { useSearchParams } from "react-router";

const useStyles = makeStyles({
	list: {
		display: "flex",
		flexWrap: "wrap",
		gap: tokens.spacingHorizontalXS,
		borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
		marginBottom: tokens.spacingVerticalL,
	},
	tab: {
		display: "inline-flex",
		alignItems: "center",
		gap: tokens.spacingHorizontalS,
		padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
		border: "none",
		borderBottom: "3px solid transparent",
		background: "none",
		cursor: "pointer",
		fontFamily: tokens.fontFamilyBase,
		fontSize: tokens.fontSizeBase300,
		color: tokens.colorNeutralForeground2,
		borderRadius: `${tokens.borderRadiusMedium} ${tokens.borderRadiusMedium} 0 0`,
		"& svg": { fontSize: "20px" },
		":hover": {
			color: tokens.colorNeutralForeground1,
			backgroundColor: tokens.colorSubtleBackgroundHover,
		},
		":focus-visible": {
			outline: `2px solid ${tokens.colorStrokeFocus2}`,
			outlineOffset: "-2px",
		},
	},
	selected: {
		color: tokens.colorNeutralForeground1,
		fontWeight: tokens.fontWeightSemibold,
		borderBottomColor: tokens.colorCompoundBrandStroke,
		"& svg": { color: tokens.colorCompoundBrandForeground1 },
	},
});

export interface TabItem<K extends string> {
	value: K;
	label: string;
	icon?: ReactElement;
}

/**
 * The tab the address asks for (`?tab=`, null when none) and the function that shows
 * another: it replaces the address's `tab`, so that a tab can be linked and Back leaves
 * the page rather than stepping through its tabs.
 */
export function useTabParam(): [string | null, (value: string) => void] {
	const [params, setParams] = useSearchParams();
	const select = useCallback(
		(value: string) =>
			setParams(
				(p) => {
					p.set("tab", value);
					return p;
				},
				{ replace: true },
			),
		[setParams],
	);
	return [params.get("tab"), select];
}

/** A tab list; `id` prefixes the tab and panel IDs (`<id>-tab-<value>`, `<id>-panel-<value>`). */
export function Tabs<K extends string>({
	id,
	label,
	tabs,
	selected,
	onSelect,
	children,
}: {
	id: string;
	label: string;
	tabs: TabItem<K>[];
	selected: K;
	onSelect: (value: K) => void;
	/** The selected tab's panel. */
	children: ReactNode;
}) {
	const styles = useStyles();
	const refs = useRef(new Map<K, HTMLButtonElement>());
	const onKeyDown = (e: KeyboardEvent) => {
		const i = tabs.findIndex((t) => t.value === selected);
		const next =
			e.key === "ArrowRight"
				? (i + 1) % tabs.length
				: e.key === "ArrowLeft"
					? (i - 1 + tabs.length) % tabs.length
					: e.key === "Home"
						? 0
						: e.key === "End"
							? tabs.length - 1
							: -1;
		const tab = tabs[next];
		if (!tab) return;
		e.preventDefault();
		onSelect(tab.value);
		refs.current.get(tab.value)?.focus();
	};
	return (
		<>
			<div
				role="tablist"
				aria-label={label}
				className={styles.list}
				onKeyDown={onKeyDown}
			>
				{tabs.map((t) => {
					const isSelected = t.value === selected;
					return (
						<button
							key={t.value}
							ref={(el) => {
								if (el) refs.current.set(t.value, el);
								else refs.current.delete(t.value);
							}}
							type="button"
							role="tab"
							id={`${id}-tab-${t.value}`}
							aria-selected={isSelected}
							aria-controls={`${id}-panel-${t.value}`}
							tabIndex={isSelected ? 0 : -1}
							className={mergeClasses(
								styles.tab,
								isSelected && styles.selected,
							)}
							onClick={() => onSelect(t.value)}
						>
							{t.icon}
							{t.label}
						</button>
					);
				})}
			</div>
			<div
				role="tabpanel"
				id={`${id}-panel-${selected}`}
				aria-labelledby={`${id}-tab-${selected}`}
			>
				{children}
			</div>
		</>
	);
}
