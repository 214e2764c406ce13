/** Loading, error and empty states used by every page. */
import {
	Button,
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
	Spinner,
	Text,
} from "@fluentui/react-components";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type FieldProblem } from "../api/client.ts";

export function Loading({ label }: { label?: string }) {
	const { t } = useTranslation();
	return <Spinner label={label ?? t("loading")} style={{ padding: 32 }} />;
}

/** An error from a query or mutation, with the API's detail and a retry when given. */
export function ErrorMessage({
	error,
	onRetry,
}: {
	error: unknown;
	onRetry?: () => void;
}) {
	const { t } = useTranslation();
	const detail =
		error instanceof ApiError
			? error.message
			: error instanceof Error
				? error.message
				: String(error);
	return (
		<MessageBar intent="error" role="alert">
			<MessageBarBody>
				<MessageBarTitle>{t("error")}</MessageBarTitle>
				{detail}
				{error instanceof ApiError && <ProblemList problems={error.errors} />}
			</MessageBarBody>
			{onRetry && (
				<Button appearance="transparent" onClick={onRetry}>
					{t("retry")}
				</Button>
			)}
		</MessageBar>
	);
}

/** The API's problems with single values (`errors` of a problem answer), a line each; nothing when none. */
export function ProblemList({ problems }: { problems: FieldProblem[] }) {
	if (problems.length === 0) return null;
	return (
		<ul>
			{problems.map((e) => (
				<li key={`${e.path}-${e.code}`}>
					{e.line ? `line ${e.line}: ` : ""}
					{e.message}
				</li>
			))}
		</ul>
	);
}

export function EmptyState({
	title,
	children,
}: {
	title: string;
	children?: ReactNode;
}) {
	return (
		<div style={{ padding: 32, textAlign: "center" }}>
			<Text as="h2" size={500} weight="semibold" block align="center">
				{title}
			</Text>
			{children && <div style={{ marginTop: 8 }}>{children}</div>}
		</div>
	);
}

/** Styles that hide an element from sight but not from screen readers. */
export const VISUALLY_HIDDEN = {
	position: "absolute",
	width: "1px",
	height: "1px",
	margin: "-1px",
	padding: 0,
	overflow: "hidden",
	clip: "rect(0 0 0 0)",
	whiteSpace: "nowrap",
	border: 0,
} as const;

/**
 * A polite status message only screen readers hear (WCAG 4.1.3): `text` is said when it
 * changes; "" says nothing. The region stays in the page, so that what goes into it is
 * announced.
 */
export function SpokenStatus({
	text,
	testId,
}: {
	text: string;
	testId?: string;
}) {
	return (
		<span
			role="status"
			aria-live="polite"
			style={VISUALLY_HIDDEN}
			data-testid={testId}
		>
			{text}
		</span>
	);
}

/**
 * What a list or search now shows, said to screen readers (WCAG 4.1.3): a polite live
 * region that stays on the page while the list changes, so that "No claims match"
 * (`empty`, when `count` is 0) is heard as well as "12 claims shown" (`shown`); an empty
 * state put in the list's place is not announced. Says nothing until `ready` (loaded,
 * not failed). Unseen: the page shows the same.
 */
export function ResultsStatus({
	ready,
	count,
	empty,
	shown,
}: {
	ready: boolean;
	count: number;
	empty: string;
	shown: string;
}) {
	const text = !ready ? "" : count === 0 ? empty : shown;
	return (
		<span
			role="status"
			aria-live="polite"
			style={VISUALLY_HIDDEN}
			data-testid="results-status"
		>
			{text}
		</span>
	);
}
