/**
 * Polling mode, for n8n instances Shopify cannot reach: the same events as webhook mode, read from
 * the Admin GraphQL API.
 *
 * - One cheap page query lists the orders updated since the cursor (minus a 10-minute overlap for
 *   Shopify's search-index lag) with their fulfillments' `updatedAt`, refunds' `createdAt` and
 *   `cancelledAt`. Only what is new against the shared version store (state.ts) is fetched in
 *   detail: one query per event, which also carries the order's Amazon linkage, exactly like the
 *   webhook enrichment.
 * - Several changes to one fulfillment between two polls come out as one event with the latest
 *   state; Amazon ends up with the same packages and tracking as in webhook mode.
 * - The first production poll only seeds the cursor (n8n's convention) unless "Start From" is set;
 *   nothing that happened before the trigger was activated is emitted. A manual run ("Fetch Test
 *   Event") returns recent sample events and touches no state.
 */
import type { IDataObject } from 'n8n-workflow';

import type { OrderEvent, OrderEventName, EventEnvelope, LinkedOrder } from '../../shared/orderEvents';
import type { ShopifyClient } from '../../shared/transport/shopify/client';
import { concernsAmazon, cancellationEvent, fulfillmentEvent, refundEvent, cancelReason, fulfillmentFingerprint, fulfillmentFromGraphql, isoTime, legacyId, refundFromGraphql } from '../../shared/orderEvents';
import type { TriggerState } from '../state';
import { EventStore } from '../state';

export const POLL_OVERLAP_MS = 10 * 60 * 1000;
// 20 orders × (1 + 20 fulfillments + 20 refunds) + 2 = 822 requested cost points, under the 1,000 per query.
const PAGE_SIZE = 20;
const MAX_PAGES = 40;
const MANUAL_SAMPLE = 5;
const MANUAL_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface PollState extends TriggerState {
	/** Newest order updatedAt processed (ISO). */
	cursor?: string;
	/** When polling started: nothing older is emitted. */
	since?: string;
}

export interface PollSettings {
	events: OrderEventName[];
	onlyAmazonOrders: boolean;
	/** ISO; where the first poll starts instead of "now". */
	startFrom?: string;
}

interface PageOrder {
	id: string;
	legacyResourceId: string;
	updatedAt: string;
	cancelledAt: string | null;
	fulfillments: Array<{ id: string; updatedAt: string }>;
	refunds: Array<{ id: string; createdAt: string | null }>;
}

interface Page {
	orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: PageOrder[] };
}

const ENVELOPE: EventEnvelope = { source: 'poll', webhookId: null, shopifyEventId: null, triggeredAt: null, shop: null };

function searchQuery(fromIso: string, onlyAmazonOrders: boolean): string {
	return `updated_at:>='${fromIso}'${onlyAmazonOrders ? ' tag:Amazon' : ''}`;
}

async function* pages(client: ShopifyClient, query: string, maxPages: number): AsyncGenerator<PageOrder[]> {
	let after: string | null = null;
	for (let page = 0; page < maxPages; page++) {
		const data: Page = await client.run<Page>('OrderEventsPage', { query, first: PAGE_SIZE, after });
		yield data.orders.nodes;
		if (!data.orders.pageInfo.hasNextPage || !data.orders.pageInfo.endCursor) return;
		after = data.orders.pageInfo.endCursor;
	}
}

async function fulfillmentDetails(client: ShopifyClient, order: PageOrder, fulfillmentId: string) {
	const data = await client.run<{ order: LinkedOrder | null; fulfillment: IDataObject | null }>('FulfillmentEventDetails', {
		orderId: order.id,
		fulfillmentId,
	});
	return { order: data.order, fulfillment: data.fulfillment ? fulfillmentFromGraphql(data.fulfillment) : null };
}

async function refundDetails(client: ShopifyClient, order: PageOrder, refundId: string) {
	const data = await client.run<{ order: LinkedOrder | null; refund: IDataObject | null }>('RefundEventDetails', { orderId: order.id, refundId });
	const currency = data.order?.presentmentCurrencyCode ?? data.order?.currencyCode ?? 'USD';
	return { order: data.order, refund: data.refund ? refundFromGraphql(data.refund, currency) : null };
}

async function cancellationDetails(client: ShopifyClient, order: PageOrder) {
	const data = await client.run<{ order: LinkedOrder | null }>('OrderAmazonMapping', { id: order.id });
	return data.order;
}

function keep(event: OrderEvent, settings: PollSettings): boolean {
	if (!settings.events.includes(event.event)) return false;
	return !settings.onlyAmazonOrders || concernsAmazon(event);
}

function ms(iso: string | null | undefined): number {
	const value = iso ? Date.parse(iso) : NaN;
	return Number.isNaN(value) ? 0 : value;
}

/** One production poll. Returns the new events, oldest first (empty when there is nothing new). */
export async function pollEvents(client: ShopifyClient, state: PollState, settings: PollSettings, now: number): Promise<OrderEvent[]> {
	if (!state.cursor) {
		const start = isoTime(settings.startFrom ?? null);
		// Shopify times have whole seconds: start at the second, so a change in that very second is not missed.
		state.since = new Date(Math.floor((start ? Date.parse(start) : now) / 1000) * 1000).toISOString();
		state.cursor = state.since;
		if (!start) return [];
	}
	const since = ms(state.since);
	const fromMs = Math.max(0, ms(state.cursor) - POLL_OVERLAP_MS);
	const store = new EventStore(state, now);
	const events: OrderEvent[] = [];
	let newest = ms(state.cursor);

	for await (const orders of pages(client, searchQuery(new Date(fromMs).toISOString(), settings.onlyAmazonOrders), MAX_PAGES)) {
		for (const order of orders) {
			newest = Math.max(newest, ms(order.updatedAt));
			for (const f of order.fulfillments) {
				const updated = ms(f.updatedAt);
				if (updated < since || !store.fulfillmentMayHaveChanged(legacyId(f.id), updated)) continue;
				const details = await fulfillmentDetails(client, order, f.id);
				if (!details.fulfillment) continue;
				const fulfillment = details.fulfillment;
				const decision = store.decideFulfillment(fulfillment.legacyResourceId, ms(fulfillment.updatedAt), 0, fulfillmentFingerprint(fulfillment));
				if (decision === 'stale' || decision === 'unchanged') continue;
				// Created inside the window we are reading = we are seeing its creation.
				const name = decision === 'new' && ms(fulfillment.createdAt) >= fromMs ? 'fulfillmentCreated' : 'fulfillmentUpdated';
				const event = fulfillmentEvent(name, ENVELOPE, { order: details.order }, order.legacyResourceId, fulfillment);
				if (keep(event, settings)) events.push(event);
			}
			for (const r of order.refunds) {
				if (ms(r.createdAt) < since || store.hasRefund(legacyId(r.id))) continue;
				const details = await refundDetails(client, order, r.id);
				if (!details.refund || !store.firstRefund(details.refund.legacyResourceId)) continue;
				const event = refundEvent(ENVELOPE, { order: details.order }, order.legacyResourceId, details.refund);
				if (keep(event, settings)) events.push(event);
			}
			if (order.cancelledAt && ms(order.cancelledAt) >= since && !store.hasCancellation(order.legacyResourceId)) {
				const linked = await cancellationDetails(client, order);
				store.firstCancellation(order.legacyResourceId);
				const event = cancellationEvent(ENVELOPE, { order: linked }, order.legacyResourceId, {
					cancelledAt: isoTime(order.cancelledAt) as string,
					reason: cancelReason(linked?.cancelReason),
					refundIds: order.refunds.map((r) => r.id),
				});
				if (keep(event, settings)) events.push(event);
			}
		}
	}
	state.cursor = new Date(newest).toISOString();
	return events.sort((a, b) => ms(a.occurredAt) - ms(b.occurredAt));
}

/** "Fetch Test Event": the newest events of recent orders, without reading or writing any state. */
export async function sampleEvents(client: ShopifyClient, settings: PollSettings, now: number): Promise<OrderEvent[]> {
	const events: OrderEvent[] = [];
	const query = searchQuery(new Date(now - MANUAL_WINDOW_MS).toISOString(), settings.onlyAmazonOrders);
	for await (const orders of pages(client, query, 1)) {
		for (const order of [...orders].sort((a, b) => ms(b.updatedAt) - ms(a.updatedAt))) {
			if (events.length >= MANUAL_SAMPLE) break;
			if (settings.events.includes('orderCancelled') && order.cancelledAt) {
				const linked = await cancellationDetails(client, order);
				events.push(
					cancellationEvent(ENVELOPE, { order: linked }, order.legacyResourceId, {
						cancelledAt: isoTime(order.cancelledAt) as string,
						reason: cancelReason(linked?.cancelReason),
						refundIds: order.refunds.map((r) => r.id),
					}),
				);
				continue;
			}
			const refund = order.refunds[order.refunds.length - 1];
			if (settings.events.includes('refundCreated') && refund) {
				const details = await refundDetails(client, order, refund.id);
				if (details.refund) events.push(refundEvent(ENVELOPE, { order: details.order }, order.legacyResourceId, details.refund));
				continue;
			}
			const fulfillment = [...order.fulfillments].sort((a, b) => ms(b.updatedAt) - ms(a.updatedAt))[0];
			if (fulfillment && (settings.events.includes('fulfillmentCreated') || settings.events.includes('fulfillmentUpdated'))) {
				const details = await fulfillmentDetails(client, order, fulfillment.id);
				if (!details.fulfillment) continue;
				const created = details.fulfillment.createdAt === details.fulfillment.updatedAt;
				events.push(fulfillmentEvent(created ? 'fulfillmentCreated' : 'fulfillmentUpdated', ENVELOPE, { order: details.order }, order.legacyResourceId, details.fulfillment));
			}
		}
	}
	return events.filter((e) => !settings.onlyAmazonOrders || concernsAmazon(e));
}
