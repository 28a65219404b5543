import type { AmazonOperation } from './usagePlans';

export interface AmazonCallStats {
	calls: number;
	throttled: number;
	retries: number;
	errors: number;
}

/** Per-process counters: the benchmarks read them to print calls per order against the plan. */
const stats = new Map<AmazonOperation, AmazonCallStats>();

export function recordAmazonCall(operation: AmazonOperation, event: { status?: number; retry?: boolean }): void {
	const entry = stats.get(operation) ?? { calls: 0, throttled: 0, retries: 0, errors: 0 };
	if (event.retry) entry.retries++;
	else {
		entry.calls++;
		if (event.status === 429) entry.throttled++;
		else if (event.status === undefined || event.status >= 400) entry.errors++;
	}
	stats.set(operation, entry);
}

export function amazonCallStats(): Record<string, AmazonCallStats> {
	return Object.fromEntries([...stats.entries()].map(([op, s]) => [op, { ...s }]));
}

export function resetAmazonCallStats(): void {
	stats.clear();
}
