/**
 * Which searchOrders window the next page belongs to, and which orders of a page to emit.
 *
 * Windows are on `lastUpdatedAfter`/`lastUpdatedBefore` (both inclusive at Amazon):
 * - regular: [cursor - overlap, now - 2 min - safety margin]; on completion the cursor moves to its end;
 * - backfill: the first run's [now - N days, …], then like regular;
 * - reconcile: every few hours a wider window [now - lookback, …] catches orders that Amazon
 *   indexed late (their lastUpdatedTime is older than the windows already read).
 * Overlap and reconcile read orders twice on purpose; the seen record (cursor.ts) emits them once.
 */
import type { AmazonOrderJson } from '../shared/mappers/amazonOrder';
import type { SeenEntry, TriggerState, WindowKind, WindowParams, WindowState } from './cursor';
import { toEpochSec } from './cursor';

/** Amazon: createdBefore/lastUpdatedBefore must be at least 2 minutes before the time of the request. */
export const AMAZON_MIN_AGE_MS = 2 * 60 * 1000;

export type TriggerEvent = 'newOrders' | 'cancellations' | 'anyUpdate';
export type FulfilledBy = 'merchant' | 'amazon' | 'both';
export type PendingMode = 'hold' | 'emit';

export interface TriggerSettings {
	event: TriggerEvent;
	fulfilledBy: FulfilledBy;
	marketplaceIds: string[];
	pending: PendingMode;
	includeShipped: boolean;
	overlapMs: number;
	reconcileEveryMs: number;
	reconcileLookbackMs: number;
	safetyMarginMs: number;
}

/** Why an order was emitted, on every output item as `event`. */
export type EmitReason = 'new' | 'pending' | 'cancellation' | 'update';

export function settingsKey(s: TriggerSettings): string {
	return JSON.stringify([s.event, s.fulfilledBy, [...s.marketplaceIds].sort(), s.pending, s.includeShipped]);
}

/** ISO 8601 to the second, the form Amazon documents ("2025-01-01T00:00:00Z"). */
export function isoSeconds(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The latest `lastUpdatedBefore` Amazon accepts now, by Amazon's clock, with a safety margin. */
export function latestBefore(nowMs: number, skewMs: number, safetyMarginMs: number): number {
	return Math.floor((nowMs + skewMs - AMAZON_MIN_AGE_MS - safetyMarginMs) / 1000) * 1000;
}

export function fulfilledByFilter(f: FulfilledBy): string[] | undefined {
	if (f === 'merchant') return ['MERCHANT'];
	if (f === 'amazon') return ['AMAZON'];
	return undefined;
}

/** Server-side status filter: fewer pages for the same orders. */
export function statusFilter(s: TriggerSettings): string[] | undefined {
	if (s.event === 'cancellations') return ['CANCELLED'];
	if (s.event === 'anyUpdate') return undefined;
	const statuses = ['UNSHIPPED', 'PARTIALLY_SHIPPED'];
	// Amazon ships FBA orders itself, often before a poll sees them Unshipped.
	if (s.includeShipped || s.fulfilledBy !== 'merchant') statuses.push('SHIPPED');
	if (s.pending === 'emit') statuses.push('PENDING', 'PENDING_AVAILABILITY');
	return statuses;
}

function paramsFor(s: TriggerSettings, afterMs: number, beforeMs: number): WindowParams {
	const params: WindowParams = {
		lastUpdatedAfter: isoSeconds(afterMs),
		lastUpdatedBefore: isoSeconds(beforeMs),
		marketplaceIds: [...s.marketplaceIds],
	};
	const fulfilledBy = fulfilledByFilter(s.fulfilledBy);
	if (fulfilledBy) params.fulfilledBy = fulfilledBy;
	const statuses = statusFilter(s);
	if (statuses) params.fulfillmentStatuses = statuses;
	return params;
}

export function reconcileDue(state: TriggerState, s: TriggerSettings, nowMs: number): boolean {
	return s.reconcileEveryMs > 0 && (state.lastReconcileAt === undefined || nowMs - state.lastReconcileAt >= s.reconcileEveryMs);
}

/** The next window to start, or undefined when there is nothing new to read yet. */
export function nextWindow(state: TriggerState, s: TriggerSettings, nowMs: number, kind?: WindowKind): WindowState | undefined {
	if (!state.cursor) return undefined;
	const before = latestBefore(nowMs, state.skewMs ?? 0, s.safetyMarginMs);
	const cursor = Date.parse(state.cursor);
	if (Number.isNaN(cursor)) return undefined;
	const chosen: WindowKind = kind ?? (reconcileDue(state, s, nowMs) ? 'reconcile' : 'regular');
	let after = cursor - (chosen === 'backfill' ? 0 : s.overlapMs);
	if (chosen === 'reconcile') after = Math.min(after, before - s.reconcileLookbackMs);
	// Never before the first run's starting point: "from now" means from now.
	const floor = state.floor ? Date.parse(state.floor) : Number.NaN;
	if (!Number.isNaN(floor)) after = Math.max(after, floor);
	if (chosen !== 'reconcile' && before <= cursor) return undefined;
	if (before <= after) return undefined;
	return { kind: chosen, params: paramsFor(s, after, before), settingsKey: settingsKey(s), startedAt: nowMs, pages: 0 };
}

/** A page token lives 24 hours; restart the window (same bounds) a little before that. */
export const TOKEN_LIFETIME_MS = 23 * 60 * 60 * 1000;

/**
 * Whether to emit this version of an order, and how to remember it. Never called for an order
 * that failed to map (those are emitted once per version as data errors).
 */
export function decide(
	order: Pick<AmazonOrderJson, 'amazonOrderId' | 'status' | 'fulfilledBy' | 'lastUpdatedTime' | 'pricesAvailable'>,
	seen: SeenEntry | undefined,
	s: TriggerSettings,
): { emit: EmitReason | undefined; entry: SeenEntry | undefined } {
	const updated = toEpochSec(order.lastUpdatedTime);
	const flags = seen?.[1] ?? '';
	const newer = !seen || updated > seen[0];
	const remember = (flag: string): SeenEntry => [Math.max(updated, seen?.[0] ?? 0), flags.includes(flag) ? flags : flags + flag];
	const keep: SeenEntry = [Math.max(updated, seen?.[0] ?? 0), flags];
	const status = order.status;
	const pending = status === 'PENDING' || status === 'PENDING_AVAILABILITY';
	if (s.fulfilledBy === 'merchant' && order.fulfilledBy !== 'MERCHANT') return { emit: undefined, entry: seen };
	if (s.fulfilledBy === 'amazon' && order.fulfilledBy !== 'AMAZON') return { emit: undefined, entry: seen };

	if (s.event === 'cancellations') {
		if (status !== 'CANCELLED' || flags.includes('C')) return { emit: undefined, entry: seen ? keep : undefined };
		return { emit: 'cancellation', entry: remember('C') };
	}

	if (s.event === 'newOrders') {
		if (flags.includes('N')) return { emit: undefined, entry: keep };
		if (pending) {
			// Held: nothing is recorded, so the priced version is emitted when it comes.
			if (s.pending === 'emit' && !flags.includes('P')) return { emit: 'pending', entry: remember('P') };
			return { emit: undefined, entry: seen };
		}
		const ready = status === 'UNSHIPPED' || status === 'PARTIALLY_SHIPPED';
		const shippedOk = status === 'SHIPPED' && (order.fulfilledBy === 'AMAZON' || s.includeShipped);
		if (!(ready || shippedOk) || !order.pricesAvailable) return { emit: undefined, entry: seen };
		return { emit: 'new', entry: remember('N') };
	}

	// any update: each version (lastUpdatedTime) once
	if (!newer) return { emit: undefined, entry: keep };
	if (pending && s.pending === 'hold') return { emit: undefined, entry: seen };
	if (status === 'CANCELLED') return { emit: 'cancellation', entry: remember('C') };
	if (pending) return { emit: 'pending', entry: remember('P') };
	if (!flags.includes('N') && order.pricesAvailable) return { emit: 'new', entry: remember('N') };
	return { emit: 'update', entry: keep };
}
