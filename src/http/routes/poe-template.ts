/**
 * The downloadable proof-of-execution template (SPEC R-CRT-7): a one-page PDF that lists
 * what a PoE must show, one item per information-request reason of R-REV-1, so a partner
 * can prepare a document a reviewer accepts the first time.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.ts";
import { POE_ALLOWED_TYPES } from "../../documents/detect-type.ts";
import { contentDisposition } from "../../documents/sanitize-name.ts";
import { renderSimplePdf } from "../../documents/simple-pdf.ts";
import { requireActor } from "../auth-hooks.ts";

/** The file name the template downloads as. */
export const POE_TEMPLATE_FILE_NAME = "cpor-poe-template.pdf";

/**
 * The template's lines (Latin-1, at most ~75 characters each so they fit the page).
 * `maxUploadMb` is the configured upload limit per file.
 */
export function poeTemplateLines(maxUploadMb: number): string[] {
	const types = POE_ALLOWED_TYPES.map((t) => t.extension.toUpperCase())
		.map((e) => (e === "JPG" ? "JPEG" : e))
		.join(", ");
	return [
		"CPOR - Proof of execution (PoE) template",
		"",
		"Upload a document that proves the work you did for this customer.",
		"A reviewer checks that it shows ALL of the following; a missing item",
		"means a request for more information and a slower decision.",
		"",
		"1. Customer name and tenant",
		"   Customer name: ____________________________________________",
		"   Tenant ID: ________________________________________________",
		"   Customer domain: __________________________________________",
		"",
		"2. Products and workloads",
		"   Every product or workload the claim names: Dynamics 365 products",
		"   with their subscription IDs, or Microsoft 365 workloads.",
		"   ___________________________________________________________",
		"",
		"3. Dates of the work",
		"   From: ______________  To: ______________",
		"   Recent dates that match the claim (not missing, not old).",
		"",
		"4. Description of the partner's solution and work",
		"   What you delivered: the solution, the work done and its outcome.",
		"   ___________________________________________________________",
		"   ___________________________________________________________",
		"",
		"5. Customer acknowledgement",
		"   Signed by the customer, on this document:",
		"   Name: ____________________  Title: ____________________",
		"   Signature: _______________  Date: _____________________",
		"",
		"Partner: __________________________  MPN ID: ______________",
		"",
		`Accepted files: ${types}; at most ${maxUploadMb} MB each.`,
		"The document must be about this claim and this customer only.",
	];
}

/** Registers GET /poe-template (any signed-in user). */
export function poeTemplateRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/poe-template",
			{
				schema: {
					tags: ["documents"],
					summary:
						"Download the PoE template: a PDF listing what a proof of execution must show (R-CRT-7, R-REV-1)",
				},
			},
			async (req, reply) => {
				requireActor(req);
				const pdf = renderSimplePdf(
					poeTemplateLines(
						Math.round(ctx.config.maxUploadBytes / (1024 * 1024)),
					),
				);
				return reply
					.type("application/pdf")
					.header(
						"content-disposition",
						contentDisposition(POE_TEMPLATE_FILE_NAME),
					)
					.header("x-content-type-options", "nosniff")
					.header("cache-control", "private, max-age=3600")
					.send(Buffer.from(pdf));
			},
		);
	};
}
