/**
 * What the trigger remembers between deliveries, in the workflow's static data (node scope).
 *
 * Shopify delivers webhooks at least once, retries for 4 hours, and promises no order. Two layers
 * keep downstream nodes from acting twice or on stale data:
 *
 * 1. Delivery ids (X-Shopify-Webhook-Id, the same on every retry of one delivery): kept 6 hours
 *    (the retry window plus margin), at most 1,000. Cheap first filter for plain retries.
 * 2. Resource versions, shared by webhook and polling mode:
 *    - per fulfillment: the newest `updatedAt` (+ X-Shopify-Triggered-At as tie-break for two
 *      changes in the same second) and a fingerprint of what Amazon cares about. An older version
 *      arriving late is dropped ("stale"); a newer one that changes nothing Amazon needs
 *      (shipment-status updates: in transit, delivered) is dropped ("unchanged");
 *    - per refund: seen ids (refunds are immutable);
 *    - per order: the cancellation (an order is cancelled at most once).
 *    Kept 7 days, at most 2,000 fulfillments, 1,000 refunds and 1,000 cancellations.
 *
 * Static data is saved as one JSON document per workflow on every change, so the stores are
 * bounded to stay small (about 200 KB at the caps). n8n loads and saves static data per webhook
 * request, so two deliveries handled at the same instant can both pass; the Amazon side stays
 * correct because confirmShipment is idempotent per packageReferenceId and refund consumers dedupe
 * on the refund id. Eviction beyond the caps degrades the same way: an evicted version that comes
 * back is treated as new and re-emitted, never lost.
 */
import type { IDataObject } from 'n8n-workflow';

export const DELIVERY_TTL_MS = 6 * 60 * 60 * 1000;
export const DELIVERY_CAP = 1000;
export const RESOURCE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const FULFILLMENT_CAP = 2000;
export const REFUND_CAP = 1000;
export const CANCEL_CAP = 1000;
/** Clock skew allowed between n8n and Shopify when deciding a same-second version was read after its second. */
export const SAME_SECOND_MARGIN_MS = 60_000;

/** [updatedAtMs, triggeredAtMs (0 = unknown), fingerprint, seenAtMs] */
type FulfillmentVersion = [number, number, string, number];

export interface TriggerState extends IDataObject {
	deliveries?: Record<string, number>;
	fulfillments?: Record<string, FulfillmentVersion>;
	refunds?: Record<string, number>;
	cancels?: Record<string, number>;
}

export type VersionDecision = 'new' | 'changed' | 'stale' | 'unchanged';

/** Drops expired entries, then the oldest beyond the cap (a 10 % slack avoids sorting on every write). */
function prune<T>(store: Record<string, T>, seenAt: (value: T) => number, now: number, ttlMs: number, cap: number): void {
	for (const [key, value] of Object.entries(store)) {
		if (now - seenAt(value) > ttlMs) delete store[key];
	}
	const keys = Object.keys(store);
	if (keys.length <= cap + Math.ceil(cap / 10)) return;
	keys.sort((a, b) => seenAt(store[a]) - seenAt(store[b]));
	for (const key of keys.slice(0, keys.length - cap)) delete store[key];
}

export class EventStore {
	constructor(
		private readonly state: TriggerState,
		private readonly now: number,
	) {
		state.deliveries ??= {};
		state.fulfillments ??= {};
		state.refunds ??= {};
		state.cancels ??= {};
		prune(state.deliveries, (v) => v, now, DELIVERY_TTL_MS, DELIVERY_CAP);
		prune(state.fulfillments, (v) => v[3], now, RESOURCE_TTL_MS, FULFILLMENT_CAP);
		prune(state.refunds, (v) => v, now, RESOURCE_TTL_MS, REFUND_CAP);
		prune(state.cancels, (v) => v, now, RESOURCE_TTL_MS, CANCEL_CAP);
	}

	/** True when this delivery id was seen; records it otherwise. */
	seenDelivery(webhookId: string | null): boolean {
		if (!webhookId) return false;
		const deliveries = this.state.deliveries!;
		if (deliveries[webhookId] !== undefined) return true;
		deliveries[webhookId] = this.now;
		return false;
	}

	/** Forgets a delivery, so Shopify's retry of it is processed (used when handling failed). */
	forgetDelivery(webhookId: string | null): void {
		if (webhookId) delete this.state.deliveries![webhookId];
	}

	/**
	 * Whether a fulfillment last updated at `updatedAtMs` may hold a change not seen yet. Shopify
	 * times have whole seconds, so a version read during the second it was written can hide a later
	 * change in that same second; such versions are read again until a minute (clock skew margin)
	 * after that second.
	 */
	fulfillmentMayHaveChanged(fulfillmentLegacyId: string, updatedAtMs: number): boolean {
		const known = this.state.fulfillments![fulfillmentLegacyId];
		if (!known) return true;
		const [knownUpdated, , , seenAt] = known;
		if (updatedAtMs !== knownUpdated) return updatedAtMs > knownUpdated;
		return seenAt < knownUpdated + 1000 + SAME_SECOND_MARGIN_MS;
	}

	/**
	 * Compares a fulfillment version with the newest one seen and records it when it is newer.
	 * `triggeredAtMs` (0 when unknown) orders two versions with the same second-precision updatedAt.
	 */
	decideFulfillment(fulfillmentLegacyId: string, updatedAtMs: number, triggeredAtMs: number, fingerprint: string): VersionDecision {
		const store = this.state.fulfillments!;
		const previous = store[fulfillmentLegacyId];
		if (!previous) {
			store[fulfillmentLegacyId] = [updatedAtMs, triggeredAtMs, fingerprint, this.now];
			return 'new';
		}
		const [prevUpdated, prevTriggered, prevFingerprint] = previous;
		if (updatedAtMs < prevUpdated) return 'stale';
		if (updatedAtMs === prevUpdated && triggeredAtMs > 0 && prevTriggered > 0 && triggeredAtMs < prevTriggered) return 'stale';
		const newest: FulfillmentVersion = [updatedAtMs, Math.max(triggeredAtMs, updatedAtMs === prevUpdated ? prevTriggered : 0), fingerprint, this.now];
		store[fulfillmentLegacyId] = newest;
		return fingerprint === prevFingerprint ? 'unchanged' : 'changed';
	}

	/** True the first time a refund id is seen. */
	firstRefund(refundLegacyId: string): boolean {
		const store = this.state.refunds!;
		if (store[refundLegacyId] !== undefined) return false;
		store[refundLegacyId] = this.now;
		return true;
	}

	/** True the first time an order's cancellation is seen. */
	firstCancellation(orderLegacyId: string): boolean {
		const store = this.state.cancels!;
		if (store[orderLegacyId] !== undefined) return false;
		store[orderLegacyId] = this.now;
		return true;
	}

	hasRefund(refundLegacyId: string): boolean {
		return this.state.refunds![refundLegacyId] !== undefined;
	}

	hasCancellation(orderLegacyId: string): boolean {
		return this.state.cancels![orderLegacyId] !== undefined;
	}
}
