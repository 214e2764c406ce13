/** The customer admin's associations (GET /customer/associations) and the opt-out (R-ROL-3, R-CON-2). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client.ts";
import type { Claim, ClaimStatus } from "../../api/types.ts";

/** One partner's association on the customer's tenant, as the API shows it to the customer admin. */
export interface CustomerAssociation {
	claimId: string;
	partnerName: string;
	status: ClaimStatus;
	solutionArea: string;
	activity: string;
	products: {
		productId: string;
		name: string;
		subscriptionId: string | null;
	}[];
	/** What the association unlocks for the partner (R-ACC-1), in English. */
	dataShared: string;
	association: {
		status: "pending_consent" | "active" | "declined";
		approvedAt: string | null;
		consentEndsAt: string | null;
		activatedAt: string | null;
		declinedAt: string | null;
	} | null;
	consentEndsAt: string | null;
	canOptOut: boolean;
}

export const customerKeys = {
	associations: ["customer", "associations"] as const,
};

export function useCustomerAssociations() {
	return useQuery({
		queryKey: customerKeys.associations,
		queryFn: async () =>
			(await api<{ items: CustomerAssociation[] }>("/customer/associations"))
				.items,
	});
}

/** Opts out of one association (R-CON-2); the comment is shown to the partner. */
export function useOptOut() {
	const qc = useQueryClient();
	return useMutation({
		mutationFn: ({ claimId, comment }: { claimId: string; comment: string }) =>
			api<Claim>(
				`/customer/associations/${encodeURIComponent(claimId)}/opt-out`,
				{ body: comment.trim() ? { comment: comment.trim() } : {} },
			),
		onSettled: () =>
			qc.invalidateQueries({ queryKey: customerKeys.associations }),
	});
}
