/**
 * Asks before the partner leaves the wizard for another page of the app with what they
 * entered not saved: a step's values typed but not yet taken on with Next (or Save draft),
 * or, before the draft exists (it is created on leaving step 3), anything entered at all.
 * Closing or reloading the browser tab then gets the browser's own question (its
 * `beforeunload`), which a page cannot word.
 */
import {
	Button,
	Dialog,
	DialogActions,
	DialogBody,
	DialogContent,
	DialogSurface,
	DialogTitle,
} from "@fluentui/react-components";
import { useCallback, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useBeforeUnload, useBlocker } from "react-router";

/**
 * `unsaved` is read when the user navigates, so it sees the step's current values.
 * Leaving is going to another page, or to the wizard of another draft or a new claim
 * (`?draft=` changes: the wizard starts anew); `draftId` is the draft this wizard
 * edits, which the address may come to name (after step 3 creates it).
 */
export function LeaveGuard({
	unsaved,
	draftId,
}: {
	unsaved: () => boolean;
	draftId: () => string | undefined;
}) {
	const { t } = useTranslation("wizard");
	const blocker = useBlocker(({ currentLocation, nextLocation }) => {
		const elsewhere =
			currentLocation.pathname !== nextLocation.pathname ||
			(new URLSearchParams(nextLocation.search).get("draft") ?? undefined) !==
				draftId();
		return elsewhere && unsaved();
	});
	// The tab closed or reloaded: the browser asks (preventDefault; returnValue for older
	// ones), only after the user has interacted with the page.
	// Not once Leave was chosen: a reload on the way (a new build's missing page) would
	// ask again.
	const leaving = useRef(false);
	useBeforeUnload(
		useCallback(
			(event: BeforeUnloadEvent) => {
				if (leaving.current || !unsaved()) return;
				event.preventDefault();
				event.returnValue = true;
			},
			[unsaved],
		),
	);
	const open = blocker.state === "blocked";
	// Where the focus was when the way out was taken (the menu link): Stay gives it back.
	const opener = useRef<HTMLElement | null>(null);
	if (open && !opener.current)
		opener.current = document.activeElement as HTMLElement | null;
	const stay = () => {
		if (blocker.state === "blocked") blocker.reset();
		const back = opener.current;
		opener.current = null;
		// After the dialog has gone (its own restore runs on close).
		setTimeout(() => back?.isConnected && back.focus(), 0);
	};
	return (
		<Dialog
			open={open}
			onOpenChange={(_, d) => {
				if (!d.open) stay();
			}}
		>
			<DialogSurface>
				<DialogBody>
					<DialogTitle>{t("leave.title")}</DialogTitle>
					<DialogContent>{t("leave.text")}</DialogContent>
					<DialogActions>
						<Button appearance="primary" onClick={stay}>
							{t("leave.stay")}
						</Button>
						<Button
							onClick={() => {
								opener.current = null;
								leaving.current = true;
								if (blocker.state === "blocked") blocker.proceed();
							}}
						>
							{t("leave.leave")}
						</Button>
					</DialogActions>
				</DialogBody>
			</DialogSurface>
		</Dialog>
	);
}
