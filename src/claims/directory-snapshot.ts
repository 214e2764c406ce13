/**
 * What a claim was validated against (SPEC R-DIR-6: "Claims keep a snapshot of what they
 * were validated against"), and how the directory differs from it now.
 *
 * The snapshot is written with the claim's own write when it is created, submitted and
 * resubmitted (the checks' directory facts, read anyway: no extra statement). The
 * directory check (directory-check.ts) compares it with the same facts read again.
 */
import { stringify as canonicalJson } from "safe-stable-stringify";
import type { SolutionArea } from "../domain/claim-validation.ts";
import type { DirectoryFacts } from "./directory-facts.ts";

/** A product line as validated: the catalog's product and the subscription's facts. */
export interface SnapshotLine {
	productId: string;
	/**
	 * The catalog's name, solution area and Dynamics flag, or null when the catalog has no
	 * such product.
	 */
	product: {
		name: string;
		solutionArea: SolutionArea;
		dynamics: boolean;
	} | null;
	/** Null for a workload line (no subscription). */
	subscriptionId: string | null;
	/** The directory's subscription, or null when it has none by that ID (or a workload line). */
	subscription: {
		tenantId: string;
		productId: string;
		channel: "volume_licensing" | "web_direct" | "csp";
		status: "active" | "in_grace" | "disabled" | "deleted";
		provisioned: boolean;
	} | null;
}

/**
 * A claim's snapshot (`claims.snapshot`): when it was validated (UTC), the tenant's name
 * and whether the claim's domain was among its verified domains, the MPN ID's programs
 * and whether the organization used it, and each product line. Snapshots written before
 * session 29 have only `validatedAt`, `tenantName` and `mpnPrograms`.
 */
export interface DirectorySnapshot {
	validatedAt: string;
	tenantName: string | null;
	domainVerified?: boolean;
	mpnPrograms: string[] | null;
	mpnInUse?: boolean | null;
	lines?: SnapshotLine[];
}

/**
 * The snapshot of `directory` (the facts the checks read) for a claim on `domain` with
 * `lines`, validated at `now`.
 */
export function directorySnapshot(
	directory: DirectoryFacts,
	claim: { domain: string },
	lines: readonly { productId: string; subscriptionId?: string | null }[],
	now: Date,
): DirectorySnapshot {
	return {
		validatedAt: now.toISOString(),
		tenantName: directory.tenant?.name ?? null,
		domainVerified:
			directory.tenant?.domains.includes(claim.domain.trim().toLowerCase()) ??
			false,
		mpnPrograms: directory.programs,
		mpnInUse: directory.mpnInUse,
		lines: lines.map((l) => {
			const product = directory.catalog.get(l.productId);
			const sub = l.subscriptionId
				? directory.subscriptions.get(l.subscriptionId.toLowerCase())
				: undefined;
			return {
				productId: l.productId,
				product: product
					? {
							name: product.name,
							solutionArea: product.solutionArea,
							dynamics: product.dynamics,
						}
					: null,
				subscriptionId: l.subscriptionId ?? null,
				subscription: sub
					? {
							tenantId: sub.tenantId,
							productId: sub.productId,
							channel: sub.channel,
							status: sub.status,
							provisioned: sub.provisioned,
						}
					: null,
			};
		}),
	};
}

/**
 * One difference between the snapshot and the directory now. `code`: `tenant_renamed`,
 * `tenant_missing`, `domain_unverified`, `domain_verified`, `mpn_programs_changed`,
 * `mpn_in_use_changed`, `product_changed` (name or solution area), `product_missing`,
 * `subscription_missing`, `subscription_changed` (`field`: `status`, `channel`,
 * `provisioned`, `productId` or `tenantId`). `subject` names the product or subscription.
 */
export interface DirectoryChange {
	code: string;
	subject?: string;
	field?: string;
	was: unknown;
	now: unknown;
}

/** Equal as JSON with sorted keys (a snapshot read back from jsonb has its keys reordered). */
const same = (a: unknown, b: unknown) =>
	canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * What differs between `validated` and `current` (both {@link directorySnapshot}s of the
 * same claim), in the order: tenant, domain, MPN ID, lines. Parts the older snapshot did
 * not keep are not compared.
 */
export function directoryChanges(
	validated: DirectorySnapshot,
	current: DirectorySnapshot,
): DirectoryChange[] {
	const out: DirectoryChange[] = [];
	if (current.tenantName === null && validated.tenantName !== null)
		out.push({ code: "tenant_missing", was: validated.tenantName, now: null });
	else if (!same(validated.tenantName, current.tenantName))
		out.push({
			code: "tenant_renamed",
			was: validated.tenantName,
			now: current.tenantName,
		});
	if (
		validated.domainVerified !== undefined &&
		validated.domainVerified !== current.domainVerified
	)
		out.push({
			code: current.domainVerified ? "domain_verified" : "domain_unverified",
			was: validated.domainVerified,
			now: current.domainVerified,
		});
	const sorted = (p: string[] | null) => (p ? [...p].sort() : null);
	if (!same(sorted(validated.mpnPrograms), sorted(current.mpnPrograms)))
		out.push({
			code: "mpn_programs_changed",
			was: validated.mpnPrograms,
			now: current.mpnPrograms,
		});
	if (
		validated.mpnInUse !== undefined &&
		!same(validated.mpnInUse, current.mpnInUse)
	)
		out.push({
			code: "mpn_in_use_changed",
			was: validated.mpnInUse,
			now: current.mpnInUse,
		});
	for (const was of validated.lines ?? []) {
		const now = current.lines?.find(
			(l) =>
				l.productId === was.productId &&
				l.subscriptionId === was.subscriptionId,
		);
		if (!now) continue;
		if (was.product && !now.product)
			out.push({
				code: "product_missing",
				subject: was.productId,
				was: was.product,
				now: null,
			});
		else if (!same(was.product, now.product))
			out.push({
				code: "product_changed",
				subject: was.productId,
				was: was.product,
				now: now.product,
			});
		const subject = was.subscriptionId ?? undefined;
		if (was.subscription && !now.subscription)
			out.push({
				code: "subscription_missing",
				subject,
				was: was.subscription,
				now: null,
			});
		else if (was.subscription && now.subscription)
			// A field an older snapshot did not keep is not compared.
			for (const field of [
				"status",
				"channel",
				"provisioned",
				"productId",
				"tenantId",
			] as const)
				if (
					was.subscription[field] !== undefined &&
					was.subscription[field] !== now.subscription[field]
				)
					out.push({
						code: "subscription_changed",
						subject,
						field,
						was: was.subscription[field],
						now: now.subscription[field],
					});
	}
	return out;
}
