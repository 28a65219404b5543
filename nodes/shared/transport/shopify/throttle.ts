import type { Clock } from '../clock';
import type { GraphqlCost } from './client';

/**
 * Shopify's leaky bucket as last reported in `extensions.cost.throttleStatus`, projected forward
 * with the restore rate, so a call waits here instead of being THROTTLED there.
 */
export class CostBucket {
	private available?: number;
	private maximum?: number;
	private restoreRate?: number;
	private at = 0;
	private readonly lastRequested = new Map<string, number>();

	update(name: string, cost: GraphqlCost, now: number): void {
		if (cost.requestedQueryCost !== undefined) this.lastRequested.set(name, cost.requestedQueryCost);
		const status = cost.throttleStatus;
		if (!status) return;
		this.available = status.currentlyAvailable;
		this.maximum = status.maximumAvailable;
		this.restoreRate = status.restoreRate;
		this.at = now;
	}

	projectedAvailable(now: number): number | undefined {
		if (this.available === undefined || !this.restoreRate || this.maximum === undefined) return undefined;
		return Math.min(this.maximum, this.available + ((now - this.at) / 1000) * this.restoreRate);
	}

	/** Waits until the bucket should hold what this document asked for last time. */
	async waitFor(name: string, clock: Clock): Promise<void> {
		const needed = this.lastRequested.get(name);
		const available = this.projectedAvailable(clock.now());
		if (needed === undefined || available === undefined || !this.restoreRate || available >= needed) return;
		const waitMs = Math.ceil(((needed - available) / this.restoreRate) * 1000);
		await clock.sleep(waitMs);
	}

	/** Shopify's documented back-off: (requested - available) / restoreRate seconds. */
	waitAfterThrottle(cost?: GraphqlCost): number {
		const status = cost?.throttleStatus;
		const requested = cost?.requestedQueryCost;
		if (!status || requested === undefined || !status.restoreRate) return 1000;
		return Math.max(0, Math.ceil(((requested - status.currentlyAvailable) / status.restoreRate) * 1000));
	}
}

const buckets = new Map<string, CostBucket>();

export function costBucketFor(shopKey: string): CostBucket {
	let bucket = buckets.get(shopKey);
	if (!bucket) {
		bucket = new CostBucket();
		buckets.set(shopKey, bucket);
	}
	return bucket;
}

export function resetShopifyBuckets(): void {
	buckets.clear();
}

export interface ShopifyCallStats {
	calls: number;
	throttled: number;
	requestedCost: number;
	actualCost: number;
	errors: number;
}

const stats = new Map<string, ShopifyCallStats>();

export function recordShopifyCall(name: string, event: { cost?: GraphqlCost; throttled?: boolean; status?: number }): void {
	const entry = stats.get(name) ?? { calls: 0, throttled: 0, requestedCost: 0, actualCost: 0, errors: 0 };
	entry.calls++;
	if (event.throttled) entry.throttled++;
	if (event.status !== undefined && event.status >= 400 && !event.throttled) entry.errors++;
	entry.requestedCost += event.cost?.requestedQueryCost ?? 0;
	entry.actualCost += event.cost?.actualQueryCost ?? 0;
	stats.set(name, entry);
}

export function shopifyCallStats(): Record<string, ShopifyCallStats> {
	return Object.fromEntries([...stats.entries()].map(([name, s]) => [name, { ...s }]));
}

export function resetShopifyCallStats(): void {
	stats.clear();
}
