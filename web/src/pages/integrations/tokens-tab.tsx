/**
 * The user's API tokens (docs/api.md "Authentication"): create one (its secret is shown
 * this once), the list with roles, creation and last use, and revoke with a confirmation.
 */
import { Caption1, Field, Input } from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { FieldProblem } from "../../api/client.ts";
import {
	type ApiToken,
	type NewApiToken,
	useApiTokens,
	useCreateApiToken,
	useRevokeApiToken,
} from "../../api/integrations.ts";
import { useMe } from "../../api/session.ts";
import { formatDateTime } from "../../format.ts";
import {
	type ItemKind,
	ItemsTab,
	problemsOf,
	roleNames,
	useSharedStyles,
} from "./shared.tsx";

/** The longest name the server takes. */
const NAME_MAX = 100;

const TOKENS: ItemKind<ApiToken, NewApiToken> = {
	texts: "tokens",
	remove: "revoke",
	removed: "revoked",
	id: "token",
	testId: "api-token",
	icon: KeyRegular,
	title: (token) => token.name,
	secret: (token) => token.token,
	values: (token) => ({ name: token.name }),
};

/** A field problem of the name in the user's language (the server's message otherwise). */
function nameMessage(
	t: TFunction,
	problems: FieldProblem[],
): string | undefined {
	const p = problems[0];
	if (!p) return undefined;
	if (p.code === "too_small") return t("tokens.nameRequired");
	if (p.code === "too_big") return t("tokens.nameTooLong", { max: NAME_MAX });
	return p.message;
}

export function TokensTab() {
	const { t } = useTranslation("integrations");
	const me = useMe();
	const list = useApiTokens();
	const create = useCreateApiToken();
	const revoke = useRevokeApiToken();
	const [name, setName] = useState("");
	const [missing, setMissing] = useState(false);

	const nameProblem = missing
		? t("tokens.nameRequired")
		: nameMessage(t, problemsOf(create.error, "name"));

	return (
		<ItemsTab
			kind={TOKENS}
			intro={t("tokens.intro", { roles: roleNames(t, me.data?.roles ?? []) })}
			list={list}
			items={list.data?.pages.flatMap((p) => p.items) ?? []}
			create={create}
			remove={revoke}
			fields={["name"]}
			input={() => {
				const trimmed = name.trim();
				setMissing(trimmed === "");
				return trimmed ? { name: trimmed } : null;
			}}
			onCreated={() => setName("")}
			details={(token) => <TokenFacts token={token} />}
		>
			<Field
				label={t("tokens.name")}
				hint={t("tokens.nameHint")}
				required
				validationMessage={nameProblem}
			>
				<Input
					value={name}
					maxLength={NAME_MAX}
					autoComplete="off"
					placeholder={t("tokens.namePlaceholder")}
					onChange={(_, d) => {
						setName(d.value);
						if (d.value.trim()) setMissing(false);
					}}
				/>
			</Field>
		</ItemsTab>
	);
}

/** A token's roles, creation, last use and expiry. */
function TokenFacts({ token }: { token: ApiToken }) {
	const { t } = useTranslation("integrations");
	const styles = useSharedStyles();
	return (
		<ul className={styles.facts}>
			<li>
				<Caption1>
					{t("tokens.roles", { roles: roleNames(t, token.roles) })}
				</Caption1>
			</li>
			<li>
				<Caption1>
					{t("tokens.created", { date: formatDateTime(token.createdAt) })}
				</Caption1>
			</li>
			<li data-testid="token-last-used" data-used={!!token.lastUsedAt}>
				<Caption1>
					{token.lastUsedAt
						? t("tokens.lastUsed", { date: formatDateTime(token.lastUsedAt) })
						: t("tokens.neverUsed")}
				</Caption1>
			</li>
			<li>
				<Caption1>{t("tokens.noExpiry")}</Caption1>
			</li>
		</ul>
	);
}
