/** Sign-in. */

import {
	Button,
	Card,
	Field,
	Input,
	MessageBar,
	MessageBarBody,
	makeStyles,
	Text,
	tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { ApiError } from "../api/client.ts";
import { sessionEnded, useLogin, useMe } from "../api/session.ts";
import { returnPath } from "../router-address.ts";
import { homeFor, LanguageSwitch } from "../shell.tsx";

const useStyles = makeStyles({
	wrap: {
		minHeight: "100vh",
		display: "grid",
		placeItems: "center",
		padding: tokens.spacingHorizontalL,
		backgroundColor: tokens.colorNeutralBackground3,
	},
	card: {
		width: "min(420px, 100%)",
		padding: tokens.spacingHorizontalXXL,
		display: "flex",
		flexDirection: "column",
		gap: tokens.spacingVerticalM,
	},
});

/** The sign-in form, its messages in the UI's language. */
function signInSchema(t: (key: string) => string) {
	return z.object({
		email: z.string().trim().min(3, t("emailRequired")),
		password: z.string().min(1, t("passwordRequired")),
	});
}

/**
 * Why a sign-in failed, in the UI's language: too many attempts (with the wait the
 * server gave, in minutes), the server not answering or failing, else wrong credentials.
 */
function signInError(
	error: unknown,
	t: (key: string, o?: Record<string, unknown>) => string,
): string {
	if (error instanceof ApiError && error.status === 429)
		return t("signInTooMany", {
			count: Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60)),
		});
	// No answer, or the server failing: nothing the user typed was wrong.
	if (!(error instanceof ApiError) || error.status >= 500)
		return t("signInUnavailable");
	return t("signInFailed");
}

export function LoginPage() {
	const styles = useStyles();
	const { t } = useTranslation();
	const me = useMe();
	const login = useLogin();
	const navigate = useNavigate();
	const [params] = useSearchParams();
	const schema = useMemo(() => signInSchema(t), [t]);
	const form = useForm<z.infer<typeof schema>>({
		resolver: zodResolver(schema),
		defaultValues: { email: "", password: "" },
	});
	useEffect(() => {
		document.title = `${t("signIn")} · CPOR`;
	}, [t]);
	if (me.data)
		return (
			<Navigate
				to={returnPath(params.get("next")) ?? homeFor(me.data)}
				replace
			/>
		);
	const onSubmit = form.handleSubmit((values) => {
		// The busy button stays focusable (a keyboard user keeps their place): one
		// sign-in at a time.
		if (login.isPending) return;
		login.mutate(values, {
			onSuccess: () =>
				navigate(returnPath(params.get("next")) ?? "/", { replace: true }),
		});
	});
	return (
		<main className={styles.wrap}>
			<Card className={styles.card}>
				<Text as="h1" size={700} weight="semibold">
					{t("signInTitle")}
				</Text>
				<Text>{t("signInHelp")}</Text>
				{sessionEnded() && !login.isError && (
					<MessageBar intent="warning" data-testid="session-ended">
						<MessageBarBody>{t("sessionEnded")}</MessageBarBody>
					</MessageBar>
				)}
				{login.isError && (
					<MessageBar intent="error" role="alert" data-testid="sign-in-error">
						<MessageBarBody>{signInError(login.error, t)}</MessageBarBody>
					</MessageBar>
				)}
				<form
					onSubmit={onSubmit}
					noValidate
					style={{ display: "flex", flexDirection: "column", gap: 12 }}
				>
					<Field
						label={t("email")}
						required
						validationMessage={form.formState.errors.email?.message}
					>
						<Input
							type="email"
							autoComplete="username"
							{...form.register("email")}
						/>
					</Field>
					<Field
						label={t("password")}
						required
						validationMessage={form.formState.errors.password?.message}
					>
						<Input
							type="password"
							autoComplete="current-password"
							{...form.register("password")}
						/>
					</Field>
					<Button
						appearance="primary"
						type="submit"
						disabledFocusable={login.isPending}
					>
						{t("signIn")}
					</Button>
				</form>
				<LanguageSwitch />
			</Card>
		</main>
	);
}
