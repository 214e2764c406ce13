/**
 * The sandbox clock (API.md "Bootstrap and sandbox"): only registered with --sandbox.
 * Moving it stores its lead over real time (a restart goes on from there) and runs every
 * due timer before answering.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { saveSandboxLead } from "../../db/sandbox-clock.ts";
import {
	ClockRangeError,
	ClockRewindError,
	type SandboxClock,
} from "../../domain/clock.ts";
import { DomainError } from "../../domain/errors.ts";
import { runBackgroundWork } from "../../jobs/sweeper.ts";
import { authorize } from "../auth-hooks.ts";

/** Registers GET/POST /admin/clock for a sandbox clock. */
export function adminClockRoutes(
	ctx: AppContext,
	clock: SandboxClock,
): FastifyPluginAsyncZod {
	return async (app) => {
		app.get(
			"/admin/clock",
			{ schema: { tags: ["admin"], summary: "The sandbox clock" } },
			async (req) => {
				authorize(req, "administer");
				return { now: clock.now().toISOString(), sandbox: true };
			},
		);

		app.post(
			"/admin/clock",
			{
				schema: {
					tags: ["admin"],
					summary:
						"Move the sandbox clock forward ({ advanceBy: ISO 8601 duration } or { to: instant }) and run due timers",
					body: z.union([
						z.object({ advanceBy: z.string().min(2).max(40) }).strict(),
						z.object({ to: z.string().datetime({ offset: true }) }).strict(),
					]),
				},
			},
			async (req) => {
				authorize(req, "administer");
				const body = req.body as { advanceBy?: string; to?: string };
				let target: Date;
				try {
					// A duration counts from now and is never negative: not checked against a
					// now read again a moment later (a zero one would seem a rewind).
					if (body.advanceBy) target = clock.advancedBy(body.advanceBy);
					else {
						target = new Date(body.to as string);
						clock.assertCanMoveTo(target);
					}
				} catch (err) {
					if (err instanceof ClockRewindError) {
						throw new DomainError(
							"clock_rewind",
							`The sandbox clock only moves forward; it is ${clock.now().toISOString()}.`,
						);
					}
					if (err instanceof ClockRangeError) {
						const path = body.advanceBy ? "advanceBy" : "to";
						throw new DomainError("validation_failed", err.message, [
							{ path, code: "clock_out_of_range", message: err.message },
						]);
					}
					if (err instanceof RangeError) {
						throw new DomainError("validation_failed", err.message, [
							{
								path: "advanceBy",
								code: "invalid_duration",
								message: err.message,
							},
						]);
					}
					throw err;
				}
				// Kept before the clock moves and the timers run: a restart goes on from
				// here, and a failed save leaves the clock where it was.
				await saveSandboxLead(ctx.db, target);
				// A move to "now" may trail the ticking clock by the save's milliseconds.
				if (target > clock.now()) clock.setTo(target);
				const work = await runBackgroundWork(ctx);
				return { now: clock.now().toISOString(), sandbox: true, ...work };
			},
		);
	};
}
