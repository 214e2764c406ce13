/**
 * Prometheus gauges of the reviewer SLAs (R-TIME-2, R-TIME-3, R-TIME-8):
 * `cpor_sla_open{sla, state}` with `state` `due` or `overdue`, the same open counts as
 * `GET /reports/sla`, computed at scrape time with one SQL query at the clock's now.
 */
import client from "prom-client";
import type { AppContext } from "../context.ts";
import { openSlaCounts, SLAS } from "./sla-report.ts";

/** Registers the SLA gauges on a registry. */
export function registerSlaMetrics(
	registry: client.Registry,
	ctx: AppContext,
): client.Gauge<"sla" | "state"> {
	return new client.Gauge({
		name: "cpor_sla_open",
		help: "Open reviewer work per SLA (review_start R-TIME-2, decision R-TIME-3, dispute_decision R-TIME-8): due = deadline ahead, overdue = deadline reached",
		labelNames: ["sla", "state"],
		registers: [registry],
		async collect() {
			let counts: Awaited<ReturnType<typeof openSlaCounts>>;
			try {
				counts = await openSlaCounts(ctx.db, ctx.clock.now());
			} catch {
				// Database unavailable: no SLA samples this scrape (/readyz reports the outage).
				this.reset();
				return;
			}
			for (const sla of SLAS) {
				this.set({ sla, state: "due" }, counts[sla].due);
				this.set({ sla, state: "overdue" }, counts[sla].overdue);
			}
		},
	});
}
