import { describe, expect, it } from "vitest";
import {
	type ActorKind,
	allowedActions,
	assertTransition,
	CLAIM_STATUSES,
	type ClaimAction,
	canTransition,
	TRANSITIONS,
	type TransitionFacts,
} from "../../src/domain/claim-lifecycle.ts";
import type { DomainError } from "../../src/domain/errors.ts";

const facts = (
	status: TransitionFacts["status"],
	extra: Partial<TransitionFacts> = {},
): TransitionFacts => ({
	status,
	disputeOpen: false,
	consentWindowOpen: false,
	associationPending: false,
	disputeWindowOpen: false,
	partnerResponseOpen: true,
	...extra,
});

/** SPEC section 4's table, written out independently of TRANSITIONS. */
const TABLE: [TransitionFacts, ClaimAction, ActorKind][] = [
	[facts("draft"), "submit", "partner"],
	[facts("draft"), "delete", "partner"],
	[facts("submitted"), "start_review", "reviewer"],
	[facts("under_review"), "request_information", "reviewer"],
	[facts("partner_action_required"), "resubmit", "partner"],
	[facts("partner_action_required"), "expire_partner_response", "system"],
	[facts("under_review"), "approve", "reviewer"],
	[facts("under_review"), "reject", "reviewer"],
	[
		facts("approved", { consentWindowOpen: true, associationPending: true }),
		"opt_out",
		"customer",
	],
	[
		facts("approved", { consentWindowOpen: false, associationPending: true }),
		"activate_association",
		"system",
	],
	[facts("submitted"), "withdraw", "partner"],
	[facts("under_review"), "withdraw", "partner"],
	[facts("partner_action_required"), "withdraw", "partner"],
	[
		facts("approved", { associationPending: true, consentWindowOpen: true }),
		"withdraw",
		"partner",
	],
	[facts("rejected"), "dispute", "partner"],
	[facts("rejected", { disputeOpen: true }), "dispute_decision", "reviewer"],
];

describe("SPEC section 4: the claim state machine", () => {
	it.each(TABLE)("R-CRT-1 %o allows %s by %s", (f, action, actor) => {
		expect(canTransition(action, actor, f)).toBe(true);
		expect(() => assertTransition(action, actor, f)).not.toThrow();
	});

	it("R-CRT-1 every lifecycle action not in the table is refused with invalid_transition", () => {
		const variants: TransitionFacts[] = CLAIM_STATUSES.flatMap((s) => [
			facts(s),
			facts(s, { disputeOpen: true }),
			facts(s, { consentWindowOpen: true, associationPending: true }),
			facts(s, { associationPending: true }),
		]);
		const lifecycle = (Object.keys(TRANSITIONS) as ClaimAction[]).filter(
			(a) => !["edit", "upload_document", "remove_document"].includes(a),
		);
		let refused = 0;
		for (const f of variants) {
			for (const action of lifecycle) {
				for (const actor of [
					"partner",
					"reviewer",
					"customer",
					"system",
				] as ActorKind[]) {
					const inTable = TABLE.some(
						([tf, ta, tk]) =>
							ta === action &&
							tk === actor &&
							tf.status === f.status &&
							(ta !== "opt_out" ||
								(f.consentWindowOpen && f.associationPending)) &&
							(ta !== "activate_association" ||
								(!f.consentWindowOpen && f.associationPending)) &&
							(ta !== "dispute" || !f.disputeOpen) &&
							(ta !== "dispute_decision" || f.disputeOpen),
					);
					if (inTable) continue;
					refused++;
					expect(
						canTransition(action, actor, f),
						`${action} by ${actor} in ${JSON.stringify(f)}`,
					).toBe(false);
					try {
						assertTransition(action, actor, f);
						expect.unreachable();
					} catch (e) {
						expect((e as DomainError).code).toBe("invalid_transition");
						expect((e as DomainError).status).toBe(409);
					}
				}
			}
		}
		expect(refused).toBeGreaterThan(300);
	});

	it("R-EDIT-1 a claim is editable only in draft, submitted and partner_action_required", () => {
		for (const s of CLAIM_STATUSES) {
			const ok = ["draft", "submitted", "partner_action_required"].includes(s);
			expect(canTransition("edit", "partner", facts(s))).toBe(ok);
			if (!ok)
				expect(() => assertTransition("edit", "partner", facts(s))).toThrow(
					/edited only/,
				);
		}
		try {
			assertTransition("edit", "partner", facts("under_review"));
		} catch (e) {
			expect((e as DomainError).code).toBe("claim_not_editable");
		}
	});

	it("R-CRT-7 documents are removable only while In progress", () => {
		expect(canTransition("remove_document", "partner", facts("draft"))).toBe(
			true,
		);
		expect(
			canTransition("remove_document", "partner", facts("submitted")),
		).toBe(false);
	});

	it("R-DSP-1 R-CRT-7 a rejected claim takes updated PoE only while it can still be disputed", () => {
		const upload = (f: TransitionFacts) =>
			canTransition("upload_document", "partner", f);
		expect(upload(facts("rejected", { disputeWindowOpen: true }))).toBe(true);
		// Window closed, a withdrawal (no dispute), or a dispute already open.
		expect(upload(facts("rejected"))).toBe(false);
		expect(
			upload(facts("rejected", { disputeWindowOpen: true, disputeOpen: true })),
		).toBe(false);
		for (const s of ["under_review", "approved"] as const)
			expect(upload(facts(s, { disputeWindowOpen: true }))).toBe(false);
		for (const s of ["draft", "submitted", "partner_action_required"] as const)
			expect(upload(facts(s))).toBe(true);
	});

	it("R-TIME-4 once the response deadline has passed the partner cannot resubmit; the expiry still can", () => {
		const late = facts("partner_action_required", {
			partnerResponseOpen: false,
		});
		expect(canTransition("resubmit", "partner", late)).toBe(false);
		expect(() => assertTransition("resubmit", "partner", late)).toThrow(
			/response deadline has passed/,
		);
		expect(canTransition("expire_partner_response", "system", late)).toBe(true);
		expect(
			canTransition("resubmit", "partner", facts("partner_action_required")),
		).toBe(true);
	});

	it("R-DSP-1 one open dispute per claim", () => {
		expect(
			canTransition(
				"dispute",
				"partner",
				facts("rejected", { disputeOpen: true }),
			),
		).toBe(false);
		expect(allowedActions("partner", facts("rejected"))).toContain("dispute");
	});
});
