/**
 * What the trigger keeps in the workflow's static data between polls:
 * - `cursor`: where the next regular window starts (its `lastUpdatedBefore` once done);
 * - `floor`: the first run's starting point ("from now", or now - backfill days);
 * - `window`: a window in progress, with the exact parameters it was started with and the
 *   pagination token, so the next poll resumes it with identical parameters (Amazon requires it);
 * - `budget`: the searchOrders token bucket (budget.ts);
 * - `seen`: a bounded record orderId -> [lastUpdatedTime (epoch s), flags] that makes overlapping
 *   and reconcile windows emit each order (or each version of it) exactly once;
 * - `lastReconcileAt`, `skewMs` (Amazon's clock minus ours, from the Date header).
 *
 * The poll works on a copy and writes it back only when it returns, so a page's cursor and seen
 * entries are persisted together with the page's orders, never before.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BudgetState } from './budget';

export const STATE_VERSION = 1;

/** At most this many orders in the dedupe record (about 40 bytes each in the static data). */
export const MAX_SEEN = 5000;

export type WindowKind = 'regular' | 'backfill' | 'reconcile';

/** The searchOrders parameters of a window, exactly as sent on its first page. */
export interface WindowParams {
	lastUpdatedAfter: string;
	lastUpdatedBefore: string;
	marketplaceIds: string[];
	fulfilledBy?: string[];
	fulfillmentStatuses?: string[];
}

export interface WindowState {
	kind: WindowKind;
	params: WindowParams;
	/** Settings the window was started with (event, fulfilled by, marketplaces). */
	settingsKey: string;
	paginationToken?: string;
	/** Epoch ms of the first page: pagination tokens expire after 24 hours. */
	startedAt: number;
	pages: number;
}

/** Flags: N = emitted as a new order, C = emitted as a cancellation, P = emitted while Pending. */
export type SeenEntry = [lastUpdatedSec: number, flags: string];

export interface TriggerState {
	v: number;
	cursor?: string;
	/** The first run's starting point: no window reads before it (not even overlap or reconcile). */
	floor?: string;
	window?: WindowState;
	budget?: BudgetState;
	seen: Record<string, SeenEntry>;
	lastReconcileAt?: number;
	skewMs?: number;
}

export function loadState(staticData: IDataObject): TriggerState {
	const raw = (staticData.amazonOrders ?? {}) as Partial<TriggerState>;
	const copy = JSON.parse(JSON.stringify(raw)) as Partial<TriggerState>;
	return {
		v: STATE_VERSION,
		cursor: typeof copy.cursor === 'string' ? copy.cursor : undefined,
		floor: typeof copy.floor === 'string' ? copy.floor : undefined,
		window: copy.window && copy.window.params ? copy.window : undefined,
		budget: copy.budget,
		seen: copy.seen && typeof copy.seen === 'object' ? copy.seen : {},
		lastReconcileAt: typeof copy.lastReconcileAt === 'number' ? copy.lastReconcileAt : undefined,
		skewMs: typeof copy.skewMs === 'number' ? copy.skewMs : undefined,
	};
}

export function saveState(staticData: IDataObject, state: TriggerState): void {
	const clean: IDataObject = { v: state.v, seen: state.seen as unknown as IDataObject };
	if (state.cursor) clean.cursor = state.cursor;
	if (state.floor) clean.floor = state.floor;
	if (state.window) clean.window = state.window as unknown as IDataObject;
	if (state.budget) clean.budget = state.budget as unknown as IDataObject;
	if (state.lastReconcileAt !== undefined) clean.lastReconcileAt = state.lastReconcileAt;
	if (state.skewMs !== undefined) clean.skewMs = state.skewMs;
	staticData.amazonOrders = clean;
}

export function toEpochSec(iso: string): number {
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/**
 * Drops what can no longer come back: entries whose last update is older than `retentionMs` (the
 * caller passes the widest window that can still run, the reconcile lookback or the overlap, plus
 * 2 days), then the oldest beyond MAX_SEEN.
 * While a window is in progress nothing is dropped by age (a backfill reads older orders).
 */
export function pruneSeen(state: TriggerState, nowMs: number, retentionMs: number, windowInProgress: boolean): void {
	let entries = Object.entries(state.seen);
	if (!windowInProgress) {
		const oldest = Math.floor((nowMs - retentionMs) / 1000);
		entries = entries.filter(([, entry]) => entry[0] >= oldest);
	}
	if (entries.length > MAX_SEEN) {
		entries.sort((a, b) => b[1][0] - a[1][0]);
		entries = entries.slice(0, MAX_SEEN);
	}
	if (entries.length !== Object.keys(state.seen).length) state.seen = Object.fromEntries(entries);
}
