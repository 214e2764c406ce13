/**
 * `/claims/new`: the partner's create-claim wizard; `/claims/new?draft=<id>` resumes a
 * draft at its first incomplete step. Loads what the steps need (the user, the
 * organization's MPN IDs, the allowed activities, the draft), then shows the wizard.
 */
import {
	MessageBar,
	MessageBarBody,
	MessageBarTitle,
} from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useClaim } from "../../../api/claims.ts";
import { useActivities, useMpnIds } from "../../../api/directory.ts";
import { useMe } from "../../../api/session.ts";
import { Page } from "../../../components/page.tsx";
import { ErrorMessage, Loading } from "../../../components/states.tsx";
import { Wizard } from "./wizard.tsx";

export function WizardPage() {
	const { t } = useTranslation("wizard");
	const [params, setParams] = useSearchParams();
	const draftId = params.get("draft") ?? undefined;
	const me = useMe();
	const partner = me.data?.kind === "partner";
	const canWrite =
		partner && !(me.data?.roles ?? []).every((r) => r === "billing_admin");
	const mpnIds = useMpnIds();
	const activities = useActivities();
	// A new wizard instance whenever the address names another draft (or none), except
	// when it is the draft this instance just created (the address follows it).
	const [instance, setInstance] = useState(0);
	const [created, setCreated] = useState<string | undefined>();
	const createdRef = useRef<string | undefined>(undefined);
	const shownDraft = useRef(draftId);
	useEffect(() => {
		if (shownDraft.current === draftId) return;
		shownDraft.current = draftId;
		if (draftId && draftId === createdRef.current) return;
		createdRef.current = undefined;
		setCreated(undefined);
		setInstance((i) => i + 1);
	}, [draftId]);
	const resumed = !!draftId && draftId !== created;
	const draft = useClaim(resumed ? draftId : undefined);

	const title = resumed ? t("titleDraft") : t("title");

	if (me.isLoading) return <Loading />;
	if (!partner || !canWrite) {
		return (
			<Page title={title}>
				<MessageBar intent="warning">
					<MessageBarBody>
						<MessageBarTitle>{t("notAllowedTitle")}</MessageBarTitle>
						{partner ? t("notAllowedRole") : t("notAllowedKind")}
					</MessageBarBody>
				</MessageBar>
			</Page>
		);
	}
	if (mpnIds.isError || activities.isError) {
		return (
			<Page title={title}>
				<ErrorMessage
					error={mpnIds.error ?? activities.error}
					onRetry={() => {
						void mpnIds.refetch();
						void activities.refetch();
					}}
				/>
			</Page>
		);
	}
	if (resumed && draft.isError) {
		return (
			<Page title={title}>
				<ErrorMessage error={draft.error} onRetry={() => draft.refetch()} />
				<p>
					<Link to="/claims/new">{t("startNew")}</Link>
				</p>
			</Page>
		);
	}
	if (mpnIds.isLoading || activities.isLoading || (resumed && !draft.data))
		return (
			<Page title={title}>
				<Loading />
			</Page>
		);

	// R-ROL-1: the organization has MPN IDs, but an admin set every one aside.
	const all = mpnIds.data ?? [];
	if (all.length > 0 && !all.some((m) => m.inUse)) {
		const admin = (me.data?.roles ?? []).some(
			(r) => r === "global_admin" || r === "incentives_admin",
		);
		return (
			<Page title={title}>
				<MessageBar intent="warning" data-testid="mpn-all-set-aside">
					<MessageBarBody>
						<MessageBarTitle>{t("mpn.allSetAsideTitle")}</MessageBarTitle>
						{admin ? (
							<>
								{t("mpn.allSetAsideAdmin")}{" "}
								<Link to="/mpn-ids">{t("mpn.openMpnIds")}</Link>
							</>
						) : (
							t("mpn.allSetAsideUser")
						)}
					</MessageBarBody>
				</MessageBar>
			</Page>
		);
	}

	const initial = resumed ? (draft.data ?? null) : null;
	if (initial && initial.status !== "draft") {
		return (
			<Page title={title}>
				<MessageBar intent="info">
					<MessageBarBody>
						<MessageBarTitle>{t("notDraftTitle")}</MessageBarTitle>
						{t("notDraftText", {
							status: t(`common:status.${initial.status}`),
						})}{" "}
						<Link to={`/claims/${initial.id}`}>{t("openClaim")}</Link>
					</MessageBarBody>
				</MessageBar>
			</Page>
		);
	}

	return (
		<Page title={title}>
			<Wizard
				key={instance}
				me={me.data}
				// R-ROL-1: only the MPN IDs the organization uses for claims.
				mpnIds={(mpnIds.data ?? []).filter((m) => m.inUse)}
				activities={activities.data ?? []}
				initialClaim={initial}
				onCreated={(id) => {
					createdRef.current = id;
					setCreated(id);
					setParams({ draft: id }, { replace: true });
				}}
			/>
		</Page>
	);
}
