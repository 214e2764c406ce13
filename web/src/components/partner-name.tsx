/** A partner organization's name on a reviewer's page (GET /partners). */
import { usePartnerNames } from "../api/directory.ts";

/**
 * The partner organization's name, and with `withId` its ID beside it in brackets; the ID
 * alone while the name loads or when the directory has no name for it.
 */
export function PartnerName({
	organizationId,
	withId = false,
}: {
	organizationId: string;
	withId?: boolean;
}) {
	const name = usePartnerNames([organizationId])(organizationId);
	return (
		<span data-testid="partner-name" data-organization-id={organizationId}>
			{name}
			{withId && name !== organizationId && ` (${organizationId})`}
		</span>
	);
}
