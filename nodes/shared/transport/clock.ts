import { sleep } from 'n8n-workflow';

/** Time as the transports see it. Tests swap in a simulated clock to check rate limits. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms: number) => await sleep(Math.max(0, Math.ceil(ms))),
};

let activeClock: Clock = realClock;

export function getClock(): Clock {
	return activeClock;
}

/** For tests and benchmarks only; pass nothing to restore the real clock. */
export function useClock(clock?: Clock): void {
	activeClock = clock ?? realClock;
}

/** Exponential backoff with full jitter, capped. */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
	const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
