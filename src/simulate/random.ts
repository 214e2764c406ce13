/**
 * Seeded randomness of `cpor simulate`. The run's own choices (which partner, which
 * customer and workload, whether a claim competes) come from one stream drawn in a fixed
 * order; every later choice about a claim (reviewer decision, partner delay, opt-out,
 * dispute) comes from that claim's own stream, seeded from the run's seed and the claim's
 * number. So the outcome does not depend on the order in which concurrent use cases
 * finish.
 */

/** mulberry32: a small, fast, seedable PRNG. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		return mulberryOut(a);
	};
}

function mulberryOut(state: number): number {
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A 32-bit hash of two integers (murmur3 finalizer): the start state of a claim's stream. */
export function mix32(a: number, b: number): number {
	let h = (a ^ Math.imul(b + 1, 0x9e3779b1)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

/** Something that carries its own mulberry32 state (a simulated claim). */
export interface RandomStream {
	rng: number;
}

/** The next number in [0, 1) of `s`'s own stream (advances it). */
export function nextRandom(s: RandomStream): number {
	s.rng = (s.rng + 0x6d2b79f5) >>> 0;
	return mulberryOut(s.rng);
}
