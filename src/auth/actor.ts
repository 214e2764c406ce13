/**
 * Who is acting: a signed-in user (or API token) with roles, or the system (timers).
 * Roles and what they may do follow SPEC R-ROL-1 to R-ROL-3.
 */

import { PARTNER_ROLES, ROLES, type Role } from "../domain/catalog.ts";
import type { ActorKind } from "../domain/claim-lifecycle.ts";
import { forbidden } from "../domain/errors.ts";

export { PARTNER_ROLES, ROLES, type Role };

/** The acting party of a use case. `organizationId` for partners, `tenantId` for customer admins. */
export interface Actor {
	userId: string | null;
	name: string;
	email?: string;
	roles: Role[];
	kind: ActorKind;
	organizationId?: string | null;
	tenantId?: string | null;
	locale?: string;
}

/** The system actor used by timers (R-TIME-4, R-TIME-6). */
export const SYSTEM_ACTOR: Actor = {
	userId: null,
	name: "CPOR",
	roles: [],
	kind: "system",
};

/** The actor kind a set of roles maps to (a user has roles of one party only). */
export function actorKindOf(roles: readonly Role[]): ActorKind {
	if (roles.some((r) => (PARTNER_ROLES as readonly string[]).includes(r)))
		return "partner";
	if (roles.includes("reviewer")) return "reviewer";
	if (roles.includes("customer_admin")) return "customer";
	if (roles.includes("platform_admin")) return "platform_admin";
	return "system";
}

/** The role recorded in history: the most privileged of the actor's roles. */
export function primaryRole(actor: Actor): string {
	if (actor.kind === "system") return "system";
	return actor.roles[0] ?? actor.kind;
}

/** Capabilities of R-ROL-1..3, each listing the roles that have it. */
export const CAPABILITIES = {
	/** R-ROL-1: all four partner roles can view. */
	viewClaims: [
		"global_admin",
		"billing_admin",
		"incentives_admin",
		"incentives_user",
		"reviewer",
	],
	/** R-ROL-1: create, edit, submit, dispute (not billing admin). */
	writeClaims: ["global_admin", "incentives_admin", "incentives_user"],
	/** R-ROL-1: only admins request rejection. */
	withdrawClaims: ["global_admin", "incentives_admin"],
	/** R-ROL-1: only admins (Global, Incentives) manage which MPN IDs are used. */
	manageMpnIds: ["global_admin", "incentives_admin"],
	/** R-ROL-1: Billing admin (and the admins) see earnings and payout reporting. */
	viewEarnings: ["global_admin", "billing_admin", "incentives_admin"],
	/** Organization admins manage integrations (API tokens, webhooks). */
	manageIntegrations: ["global_admin", "incentives_admin", "platform_admin"],
	/** R-ROL-2: reviewers review, arbitrate and decide disputes. */
	review: ["reviewer"],
	/** R-ROL-2: platform admins maintain the directory and the sandbox clock. */
	administer: ["platform_admin"],
	/** R-DIR-6: the directory's tenants and partners, looked up (platform admins, reviewers). */
	lookUpDirectory: ["platform_admin", "reviewer"],
	/** R-ROL-1..3: the people who can sign in, their roles and languages (platform admins). */
	lookUpUsers: ["platform_admin"],
	/** R-ROL-3: customer admins see and opt out of their tenant's associations. */
	customer: ["customer_admin"],
	/** Comment on a claim (partners who can write, and reviewers). */
	comment: ["global_admin", "incentives_admin", "incentives_user", "reviewer"],
} as const satisfies Record<string, readonly Role[]>;
export type Capability = keyof typeof CAPABILITIES;

/** True when any of the actor's roles grants the capability. */
export function can(actor: Actor, capability: Capability): boolean {
	const allowed = CAPABILITIES[capability] as readonly string[];
	return actor.roles.some((r) => allowed.includes(r));
}

/** Throws `forbidden` (403) unless the actor has the capability. */
export function requireCapability(actor: Actor, capability: Capability): void {
	if (!can(actor, capability)) {
		throw forbidden(
			`Your role (${actor.roles.join(", ") || "none"}) does not allow this; it needs one of: ${CAPABILITIES[capability].join(", ")}.`,
		);
	}
}

/**
 * The partner organization the actor acts for. @throws `forbidden` (403) with `message`
 * for anyone else (reviewers, customer admins, the system, a partner without one).
 */
export function partnerOrganizationOf(actor: Actor, message: string): string {
	if (actor.kind !== "partner" || !actor.organizationId)
		throw forbidden(message);
	return actor.organizationId;
}
