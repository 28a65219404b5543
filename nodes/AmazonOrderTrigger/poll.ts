import type { IDataObject, INodeExecutionData, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AmazonOrderJson, RawAmazonOrder } from '../shared/mappers/amazonOrder';
import { ORDER_INCLUDED_DATA, toAmazonOrderJson } from '../shared/mappers/amazonOrder';
import { searchOrdersWithHeaders } from '../shared/transport/amazon/api';
import { AmazonClient } from '../shared/transport/amazon/client';
import { AmazonRateLimitWait } from '../shared/transport/amazon/errors';
import type { SearchOrdersPage, SearchOrdersParams } from '../shared/transport/amazon/types';
import { getClock } from '../shared/transport/clock';
import { SearchBudget } from './budget';
import type { SeenEntry, TriggerState, WindowState } from './cursor';
import { loadState, pruneSeen, saveState } from './cursor';
import type { EmitReason, FulfilledBy, PendingMode, TriggerEvent, TriggerSettings } from './window';
import { TOKEN_LIFETIME_MS, decide, isoSeconds, latestBefore, nextWindow, settingsKey, statusFilter, fulfilledByFilter } from './window';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Manual "Fetch test event" reads one page of this many recent orders. */
const MANUAL_PAGE_SIZE = 20;
const MANUAL_LOOKBACK_MS = 7 * DAY;

interface Options {
	includeShipped?: boolean;
	includePersonalData?: boolean;
	maxPagesPerPoll?: number;
	overlapMinutes?: number;
	reconcileEveryHours?: number;
	reconcileLookbackHours?: number;
	safetyMarginSeconds?: number;
}

function readSettings(ctx: IPollFunctions, defaultMarketplaceIds: string[]): TriggerSettings & { options: Options } {
	const options = ctx.getNodeParameter('options', {}) as Options;
	const selected = (ctx.getNodeParameter('marketplaceIds', []) as string[]).filter(Boolean);
	const num = (value: number | undefined, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
	return {
		event: ctx.getNodeParameter('event', 'newOrders') as TriggerEvent,
		fulfilledBy: ctx.getNodeParameter('fulfilledBy', 'both') as FulfilledBy,
		marketplaceIds: selected.length ? selected : defaultMarketplaceIds,
		pending: ctx.getNodeParameter('pendingOrders', 'hold') as PendingMode,
		includeShipped: options.includeShipped === true,
		overlapMs: num(options.overlapMinutes, 10) * 60 * 1000,
		reconcileEveryMs: num(options.reconcileEveryHours, 6) * HOUR,
		reconcileLookbackMs: num(options.reconcileLookbackHours, 24) * HOUR,
		safetyMarginMs: num(options.safetyMarginSeconds, 60) * 1000,
		options,
	};
}

/** Amazon's clock minus ours, from the Date header (1 s resolution). */
function skewFrom(headers: Record<string, string>, localNow: number): number | undefined {
	const server = Date.parse(headers.date ?? '');
	if (Number.isNaN(server)) return undefined;
	// The header has a 1-second resolution: smaller differences are noise.
	const skew = server - localNow;
	return Math.abs(skew) < 2000 ? 0 : skew;
}

function emitItem(order: AmazonOrderJson, event: EmitReason): INodeExecutionData {
	return { json: { event, ...order } as unknown as IDataObject };
}

/** An order whose own numbers do not add up: emitted once per version, so it is seen, not lost. */
function dataErrorItem(raw: RawAmazonOrder, error: Error): INodeExecutionData {
	return {
		json: {
			event: 'dataError',
			amazonOrderId: raw.orderId,
			marketplaceId: raw.salesChannel?.marketplaceId ?? null,
			status: raw.fulfillment?.fulfillmentStatus ?? null,
			lastUpdatedTime: raw.lastUpdatedTime,
			dataError: error.message,
		},
	};
}

function isThrottle(error: unknown): boolean {
	return error instanceof NodeApiError && String(error.httpCode) === '429';
}

export async function pollAmazonOrders(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const node = this.getNode();
	const clock = getClock();
	const manual = this.getMode() === 'manual';
	const client = await AmazonClient.create(this, {
		onEmptyBucket: manual ? 'wait' : 'report',
		maxBucketWaitMs: manual ? 60_000 : 0,
		maxAttempts: 3,
		// A 429 asks for minutes: report it (the budget then skips) instead of sleeping in the poll.
		maxRetryTimeMs: 20_000,
	});
	const settings = readSettings(this, client.defaultMarketplaceIds);
	if (settings.marketplaceIds.length === 0) {
		throw new NodeOperationError(node, 'No marketplace selected', {
			description: 'Choose marketplaces in the trigger, or set them in the Amazon credential.',
		});
	}
	client.assertMarketplaces(settings.marketplaceIds);
	const omitPersonalData = settings.options.includePersonalData === false;
	const map = (raw: RawAmazonOrder) => toAmazonOrderJson(raw, { omitPersonalData });

	if (manual) return await manualSample.call(this, client, settings, map);

	const staticData = this.getWorkflowStaticData('node');
	const state: TriggerState = loadState(staticData);
	const now = clock.now();

	// First run: seed the cursor (from now), or start a backfill window.
	if (!state.cursor && !state.window) {
		const firstRun = this.getNodeParameter('firstRun', 'now') as string;
		state.lastReconcileAt = now;
		if (firstRun !== 'backfill') {
			state.cursor = isoSeconds(latestBefore(now, 0, settings.safetyMarginMs));
			state.floor = state.cursor;
			saveState(staticData, state);
			this.logger.info(`Amazon Order Trigger "${node.name}": first poll, starting from ${state.cursor}`);
			return null;
		}
		const days = Number(this.getNodeParameter('backfillDays', 7));
		state.cursor = isoSeconds(now - Math.max(1, days) * DAY);
		state.floor = state.cursor;
		state.window = nextWindow(state, settings, now, 'backfill');
	}
	// At most one window is started per poll, and none after a window completed in it: re-reading
	// the overlap right away would spend searches on orders just emitted.
	let windowStartedOrDone = Boolean(state.window && state.window.pages === 0);

	const budget = SearchBudget.load(state.budget, now);
	const maxPages = Math.max(1, Math.min(20, Number(settings.options.maxPagesPerPoll ?? 20)));
	const pollBudgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
	const started = clock.now();
	const items: INodeExecutionData[] = [];
	let pages = 0;
	let failure: unknown;

	for (;;) {
		const t = clock.now();
		if (pages >= maxPages) break;
		if (pollBudgetMs !== undefined && pollBudgetMs > 0 && t - started > pollBudgetMs * 0.6) break;
		let window = state.window;
		if (window && (window.settingsKey !== settingsKey(settings) || t - window.startedAt > TOKEN_LIFETIME_MS)) {
			// Settings changed, or the page token is about to expire: read the same bounds again from page 1.
			const restarted = nextWindow(state, settings, t, window.kind);
			window = restarted
				? { ...restarted, params: { ...restarted.params, lastUpdatedAfter: window.params.lastUpdatedAfter, lastUpdatedBefore: window.params.lastUpdatedBefore } }
				: undefined;
			state.window = window;
		}
		if (!window) {
			if (windowStartedOrDone) break;
			window = nextWindow(state, settings, t);
			if (!window) break;
			state.window = window;
			windowStartedOrDone = true;
		}
		if (!budget.canSpend(t)) {
			this.logger.info(
				`Amazon Order Trigger "${node.name}": the searchOrders budget is empty, skipping this poll; the next search is possible in ${Math.ceil(budget.waitMs(t) / 1000)} s (rate ${budget.rate}/s, burst ${budget.burst})`,
			);
			break;
		}
		const params: SearchOrdersParams = {
			...window.params,
			maxResultsPerPage: 100,
			includedData: ORDER_INCLUDED_DATA,
			...(window.paginationToken ? { paginationToken: window.paginationToken } : {}),
		};
		let page: SearchOrdersPage;
		let headers: Record<string, string>;
		try {
			budget.spend(t);
			({ page, headers } = await searchOrdersWithHeaders(client, params));
		} catch (error) {
			if (error instanceof AmazonRateLimitWait) {
				// The in-process bucket (shared with every workflow of this n8n) is empty: Amazon's is too.
				budget.drain(t);
				this.logger.info(`Amazon Order Trigger "${node.name}": ${error.message}; skipping this poll`);
				break;
			}
			if (isThrottle(error)) {
				budget.drain(clock.now());
				this.logger.warn(`Amazon Order Trigger "${node.name}": Amazon throttled searchOrders; the budget is emptied and the next polls wait`);
				break;
			}
			failure = error;
			break;
		}
		const after = clock.now();
		const limit = Number(headers['x-amzn-ratelimit-limit']);
		if (limit > 0) budget.adoptRate(limit, after);
		const skew = skewFrom(headers, after);
		if (skew !== undefined) state.skewMs = skew;
		pages++;
		window.pages++;
		items.push(...processPage(page, state, settings, map));
		const next = page.pagination?.nextToken;
		if (next) {
			window.paginationToken = next;
		} else {
			completeWindow(state, window, after);
			windowStartedOrDone = true;
		}
	}

	state.budget = budget.snapshot(clock.now());
	const retention = Math.max(settings.reconcileLookbackMs, settings.overlapMs) + 2 * DAY;
	pruneSeen(state, clock.now(), retention, Boolean(state.window));
	if (failure !== undefined && items.length === 0) {
		// Nothing emitted: keep the window where it was, but remember the budget spent.
		saveState(staticData, { ...loadState(staticData), budget: state.budget });
		if (failure instanceof NodeApiError || failure instanceof NodeOperationError) throw failure;
		throw new NodeApiError(node, failure as JsonObject, { message: (failure as Error).message });
	}
	if (failure !== undefined) {
		this.logger.warn(
			`Amazon Order Trigger "${node.name}": a page failed after ${pages} page(s) were read; emitting those, the next poll resumes the window. ${(failure as Error).message}`,
		);
	}
	saveState(staticData, state);
	return items.length ? [items] : null;
}

function completeWindow(state: TriggerState, window: WindowState, nowMs: number): void {
	const end = window.params.lastUpdatedBefore;
	if (!state.cursor || Date.parse(end) > Date.parse(state.cursor)) state.cursor = end;
	if (window.kind === 'reconcile') state.lastReconcileAt = nowMs;
	state.window = undefined;
}

function processPage(
	page: SearchOrdersPage,
	state: TriggerState,
	settings: TriggerSettings,
	map: (raw: RawAmazonOrder) => AmazonOrderJson,
): INodeExecutionData[] {
	const out: Array<{ at: string; item: INodeExecutionData }> = [];
	for (const raw of page.orders as unknown as RawAmazonOrder[]) {
		const seen: SeenEntry | undefined = state.seen[raw.orderId];
		let order: AmazonOrderJson;
		try {
			order = map(raw);
		} catch (error) {
			const version = Math.floor(Date.parse(raw.lastUpdatedTime) / 1000) || 0;
			if (!seen || version > seen[0] || !seen[1].includes('E')) {
				out.push({ at: raw.lastUpdatedTime, item: dataErrorItem(raw, error as Error) });
				state.seen[raw.orderId] = [Math.max(version, seen?.[0] ?? 0), (seen?.[1] ?? '') + (seen?.[1]?.includes('E') ? '' : 'E')];
			}
			continue;
		}
		const { emit, entry } = decide(order, seen, settings);
		if (entry) state.seen[order.amazonOrderId] = entry;
		if (emit) out.push({ at: order.lastUpdatedTime, item: emitItem(order, emit) });
	}
	out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
	return out.map((o) => o.item);
}

/** "Fetch test event": one page of recent orders, no cursor, no budget, no dedupe. */
async function manualSample(
	this: IPollFunctions,
	client: AmazonClient,
	settings: TriggerSettings,
	map: (raw: RawAmazonOrder) => AmazonOrderJson,
): Promise<INodeExecutionData[][] | null> {
	const now = getClock().now();
	const params: SearchOrdersParams = {
		lastUpdatedAfter: isoSeconds(now - MANUAL_LOOKBACK_MS),
		lastUpdatedBefore: isoSeconds(latestBefore(now, 0, settings.safetyMarginMs)),
		marketplaceIds: settings.marketplaceIds,
		maxResultsPerPage: MANUAL_PAGE_SIZE,
		includedData: ORDER_INCLUDED_DATA,
	};
	const fulfilledBy = fulfilledByFilter(settings.fulfilledBy);
	if (fulfilledBy) params.fulfilledBy = fulfilledBy;
	const statuses = statusFilter(settings);
	if (statuses) params.fulfillmentStatuses = statuses;
	let page: SearchOrdersPage;
	try {
		({ page } = await searchOrdersWithHeaders(client, params));
	} catch (error) {
		if (error instanceof AmazonRateLimitWait) {
			throw new NodeOperationError(this.getNode(), `Amazon's order search budget is used up for ${Math.ceil(error.waitMs / 1000)} more seconds`, {
				description: 'Amazon allows about one order search every 3 minutes. Try "Fetch Test Event" again in a few minutes.',
			});
		}
		throw error instanceof NodeApiError ? error : new NodeApiError(this.getNode(), error as JsonObject);
	}
	const items: Array<{ at: string; item: INodeExecutionData }> = [];
	for (const raw of page.orders as unknown as RawAmazonOrder[]) {
		try {
			const order = map(raw);
			const { emit } = decide(order, undefined, settings);
			if (emit) items.push({ at: order.lastUpdatedTime, item: emitItem(order, emit) });
		} catch (error) {
			items.push({ at: raw.lastUpdatedTime, item: dataErrorItem(raw, error as Error) });
		}
	}
	items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
	return items.length ? [items.map((i) => i.item)] : null;
}
