/**
 * The defaults of `cpor simulate`, apart from the simulation so that the CLI can show
 * them without loading it (and faker) at every start.
 */

/** Validated defaults of the CLI. */
export const SIMULATION_DEFAULTS = {
	partners: 20,
	tenants: 500,
	claims: 1000,
	days: 30,
	reviewCapacity: 50,
	optOutRate: 0.05,
	disputeRate: 0.3,
	competingRate: 0.05,
	noAnswerRate: 0.2,
	seed: 1,
} as const;
