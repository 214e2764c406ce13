/**
 * Local accounts: sign-in with argon2-hashed passwords, session tokens (only their
 * SHA-256 stored), CSRF tokens per session, and hashed API tokens shown once.
 */

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { and, eq, gt, isNull, lt, ne, or } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import {
	type NewestFirstQuery,
	newestFirst,
	newestFirstPage,
} from "../db/newest-first.ts";
import { apiTokens, sessions, users } from "../db/schema.ts";
import type { Locale } from "../domain/catalog.ts";
import { DomainError, forbidden, notFound } from "../domain/errors.ts";
import { type Actor, actorKindOf, type Role } from "./actor.ts";
import { notifyAuthChanged } from "./auth-cache.ts";

/** SHA-256 hex of a secret token. */
export function sha256(s: string): string {
	return createHash("sha256").update(s).digest("hex");
}

function token(prefix: string): string {
	return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

type UserRow = typeof users.$inferSelect;

/** The actor for a user row (and optionally a subset of its roles, for API tokens). */
export function actorOf(user: UserRow, roles?: string[]): Actor {
	const r = (roles ?? user.roles) as Role[];
	return {
		userId: user.id,
		name: user.name,
		email: user.email,
		roles: r,
		kind: actorKindOf(r),
		organizationId: user.organizationId,
		tenantId: user.tenantId,
		locale: user.locale,
	};
}

// A real hash to verify against when the email is unknown, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;

/**
 * Signs a user in. Returns the new session's secret (for the cookie), its CSRF token
 * and the user. @throws `unauthenticated` (401) for a wrong email or password;
 * `rate_limited` (429) after too many failed sign-ins (login-throttle.ts).
 */
export async function login(
	ctx: AppContext,
	email: string,
	password: string,
	/** The client's address, for the per-address failure limit (login-throttle.ts). */
	clientAddress = "",
): Promise<{
	sessionToken: string;
	csrfToken: string;
	expiresAt: Date;
	actor: Actor;
}> {
	const address = email.trim().toLowerCase();
	// Counted as failed from here (atomically with the check), forgiven on success.
	const attempt = await ctx.loginThrottle.attempt(address, clientAddress);
	let user: typeof users.$inferSelect | undefined;
	let ok: boolean;
	try {
		[user] = await ctx.db.select().from(users).where(eq(users.email, address));
		dummyHash ??= hash("not-a-password");
		ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(
			() => false,
		);
	} catch (err) {
		// The database failed, not the password: the attempt does not count (if forgiving
		// fails too, it counts, for the window; the database's error is the answer).
		await ctx.loginThrottle
			.forgive(address, clientAddress, attempt)
			.catch(() => {});
		throw err;
	}
	if (!user || !ok)
		throw new DomainError(
			"unauthenticated",
			"The email or password is not right.",
		);
	// Not clearing the failures (the database failing) does not refuse a right password.
	await ctx.loginThrottle
		.succeeded(address, clientAddress, attempt)
		.catch(() => {});
	const sessionToken = token("cps");
	const csrfToken = randomBytes(24).toString("base64url");
	const now = new Date();
	const expiresAt = new Date(
		now.getTime() + ctx.config.sessionHours * 3600_000,
	);
	await ctx.db.insert(sessions).values({
		idHash: sha256(sessionToken),
		userId: user.id,
		csrfToken,
		createdAt: now,
		expiresAt,
	});
	return { sessionToken, csrfToken, expiresAt, actor: actorOf(user) };
}

/** Ends a session (idempotent); every process forgets it (auth-cache.ts). */
export async function logout(
	ctx: AppContext,
	sessionToken: string,
): Promise<void> {
	const idHash = sha256(sessionToken);
	const key = `s:${idHash}`;
	const ended = await ctx.db.transaction(async (tx) => {
		const deleted = await tx
			.delete(sessions)
			.where(eq(sessions.idHash, idHash))
			.returning({ idHash: sessions.idHash });
		// Only a session that existed is announced: signing out with any cookie value
		// must not empty the other processes' caches.
		if (deleted.length > 0) await notifyAuthChanged(tx, key);
		return deleted.length > 0;
	});
	if (ended) ctx.authCache.invalidate(key);
}

/**
 * Resolves a session cookie to its actor and CSRF token, or null when unknown/expired.
 * Uses real time. Served from `ctx.authCache` when it holds the session (never past the
 * session's expiry).
 */
export async function resolveSession(
	ctx: AppContext,
	sessionToken: string,
): Promise<{ actor: Actor; csrfToken: string } | null> {
	const idHash = sha256(sessionToken);
	const resolved = await ctx.authCache.resolve(
		`s:${idHash}`,
		async () => {
			const [row] = await ctx.db
				.select({
					user: users,
					csrfToken: sessions.csrfToken,
					expiresAt: sessions.expiresAt,
				})
				.from(sessions)
				.innerJoin(users, eq(users.id, sessions.userId))
				.where(
					and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, new Date())),
				);
			return row
				? {
						actor: actorOf(row.user),
						csrfToken: row.csrfToken,
						expiresAtMs: row.expiresAt.getTime(),
					}
				: null;
		},
		(s) => s.expiresAtMs,
	);
	if (!resolved || resolved.expiresAtMs <= Date.now()) return null;
	return { actor: resolved.actor, csrfToken: resolved.csrfToken };
}

/**
 * Resolves a bearer API token to its actor (the token's roles), or null. Served from
 * `ctx.authCache` when it holds the token; revoking empties the caches of every process.
 * A lookup also records when the token was last used (real time, to the minute).
 */
export async function resolveApiToken(
	ctx: AppContext,
	bearer: string,
): Promise<(Actor & { tokenId: string }) | null> {
	const tokenHash = sha256(bearer);
	return ctx.authCache.resolve(`t:${tokenHash}`, async () => {
		const [row] = await ctx.db
			.select({ user: users, token: apiTokens })
			.from(apiTokens)
			.innerJoin(users, eq(users.id, apiTokens.userId))
			.where(
				and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)),
			);
		if (!row) return null;
		recordTokenUse(ctx, row.token.id, row.token.lastUsedAt);
		// A token carries a subset of its user's roles (API.md): the roles the user has
		// lost since (e.g. by an import) go with them, and a token left with none is
		// refused (an actor without roles would count as the system).
		const roles = row.token.roles.filter((r) => row.user.roles.includes(r));
		if (roles.length === 0) return null;
		return { ...actorOf(row.user, roles), tokenId: row.token.id };
	});
}

/**
 * A token's `lastUsedAt` is written when it is resolved and the stored value is older
 * than this (ms): at most one write a minute per token, and with the credential cache
 * it is as precise as the cache's time to live (default 10 s) plus this.
 */
const LAST_USED_PRECISION_MS = 60_000;

/**
 * Records that a token authenticated a request (real time), when its stored `lastUsedAt`
 * is a minute old or more. Best effort, not awaited: it is informational, and a failed
 * write (a read-only standby, a lock timeout) must not fail the request it describes.
 */
function recordTokenUse(
	ctx: AppContext,
	tokenId: string,
	lastUsedAt: Date | null,
): void {
	const now = new Date();
	if (now.getTime() - (lastUsedAt?.getTime() ?? 0) < LAST_USED_PRECISION_MS)
		return;
	const staleBefore = new Date(now.getTime() - LAST_USED_PRECISION_MS);
	ctx.db
		.update(apiTokens)
		.set({ lastUsedAt: now })
		.where(
			and(
				eq(apiTokens.id, tokenId),
				or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, staleBefore)),
			),
		)
		.then(
			() => {},
			() => {},
		);
}

/** An API token as listed (never its secret). */
export interface ApiTokenView {
	id: string;
	name: string;
	roles: string[];
	createdAt: string;
	lastUsedAt: string | null;
}

/**
 * Creates an API token for the actor carrying a subset of its roles; the secret is
 * returned once and only its hash stored. @throws `forbidden` for roles the actor lacks.
 */
export async function createApiToken(
	ctx: AppContext,
	actor: Actor,
	input: { name: string; roles?: string[] | undefined },
): Promise<ApiTokenView & { token: string }> {
	// Each role once, however often it was sent.
	const roles = [...new Set(input.roles?.length ? input.roles : actor.roles)];
	const extra = roles.filter((r) => !actor.roles.includes(r as Role));
	if (extra.length)
		throw forbidden(
			`A token can carry only your own roles; you do not have: ${extra.join(", ")}.`,
		);
	const secret = token("cpor");
	const id = randomUUID();
	const now = new Date();
	await ctx.db.insert(apiTokens).values({
		id,
		tokenHash: sha256(secret),
		name: input.name,
		userId: actor.userId as string,
		roles,
		createdAt: now,
	});
	return {
		id,
		name: input.name,
		roles,
		createdAt: now.toISOString(),
		lastUsedAt: null,
		token: secret,
	};
}

/** A page of API tokens (API.md cursor pagination). */
export interface ApiTokenPage {
	items: ApiTokenView[];
	nextCursor: string | null;
}

/**
 * The actor's own live API tokens, newest first, a page at a time (`limit` 1–200, default
 * 50). @throws `validation_failed` (`cursor`) for a cursor this API did not issue.
 */
export async function listApiTokens(
	ctx: AppContext,
	actor: Actor,
	page: NewestFirstQuery = {},
): Promise<ApiTokenPage> {
	const owned = eq(apiTokens.userId, actor.userId as string);
	const { after, orderBy, read, limit } = newestFirst(
		{
			table: apiTokens,
			createdAt: apiTokens.createdAt,
			id: apiTokens.id,
			owned,
		},
		page,
	);
	const rows = await ctx.db
		.select()
		.from(apiTokens)
		.where(and(owned, isNull(apiTokens.revokedAt), after))
		.orderBy(...orderBy)
		.limit(read);
	const { rows: listed, nextCursor } = newestFirstPage(rows, limit);
	return {
		items: listed.map((r) => ({
			id: r.id,
			name: r.name,
			roles: r.roles,
			createdAt: r.createdAt.toISOString(),
			lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
		})),
		nextCursor,
	};
}

/**
 * Sets the language of the actor's user: the web app's, and that of the email it is sent.
 * When it changes, every process forgets that user's resolved credentials (its sessions
 * and API tokens carry the language), and no one else's; the same language changes
 * nothing. @throws `forbidden` (403) for an actor that is not a user (the system).
 */
export async function setUserLocale(
	ctx: AppContext,
	actor: Actor,
	locale: Locale,
): Promise<void> {
	const userId = actor.userId;
	if (!userId) throw forbidden("Only a signed-in user has a language.");
	const keys = await ctx.db.transaction(async (tx) => {
		const changed = await tx
			.update(users)
			.set({ locale })
			.where(and(eq(users.id, userId), ne(users.locale, locale)))
			.returning({ id: users.id });
		if (changed.length === 0) return [];
		const [own, tokens] = [
			await tx
				.select({ idHash: sessions.idHash })
				.from(sessions)
				.where(eq(sessions.userId, userId)),
			await tx
				.select({ tokenHash: apiTokens.tokenHash })
				.from(apiTokens)
				.where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))),
		];
		const keys = [
			...own.map((r) => `s:${r.idHash}`),
			...tokens.map((r) => `t:${r.tokenHash}`),
		];
		for (const key of keys) await notifyAuthChanged(tx, key);
		return keys;
	});
	for (const key of keys) ctx.authCache.invalidate(key);
}

/**
 * Revokes one of the actor's tokens; every process stops accepting it (auth-cache.ts).
 * @throws `not_found`.
 */
export async function revokeApiToken(
	ctx: AppContext,
	actor: Actor,
	id: string,
): Promise<void> {
	const key = await ctx.db.transaction(async (tx) => {
		const [revoked] = await tx
			.update(apiTokens)
			.set({ revokedAt: new Date() })
			.where(
				and(
					eq(apiTokens.id, id),
					eq(apiTokens.userId, actor.userId as string),
					isNull(apiTokens.revokedAt),
				),
			)
			.returning({ tokenHash: apiTokens.tokenHash });
		if (!revoked) throw notFound("API token");
		const key = `t:${revoked.tokenHash}`;
		await notifyAuthChanged(tx, key);
		return key;
	});
	ctx.authCache.invalidate(key);
}

/** Creates a user directly (bootstrap admin). Idempotent on email. */
export async function ensureUser(
	ctx: AppContext,
	u: {
		email: string;
		name: string;
		password: string;
		roles: Role[];
		organizationId?: string;
		tenantId?: string;
		locale?: string;
	},
): Promise<void> {
	const email = u.email.trim().toLowerCase();
	const [existing] = await ctx.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.email, email));
	if (existing) return;
	await ctx.db.insert(users).values({
		id: randomUUID(),
		email,
		name: u.name,
		passwordHash: await hash(u.password),
		roles: u.roles,
		organizationId: u.organizationId ?? null,
		tenantId: u.tenantId ?? null,
		locale: u.locale ?? "en",
	});
}
