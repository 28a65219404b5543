/**
 * Enrichment: the order's Amazon linkage (one GraphQL query per event) turned into the event's
 * `shopifyOrder` and `amazon` blocks, and the Amazon OrderItemIds filled in on every line.
 */
import type { OrderMappingResult } from '../linkage';
import { ATTRIBUTE_AMAZON_PROGRAMS, ATTRIBUTE_LATEST_SHIP_DATE, readLinkage, TAG_AMAZON } from '../linkage';
import type {
	EventAmazonLinkage,
	EventCancellation,
	EventFulfillment,
	EventRefund,
	EventShopifyOrder,
	OrderEvent,
	OrderEventName,
} from './model';
import { ORDER_EVENT_TOPICS } from './model';
import { fulfillmentFingerprint, gid, isoTime, legacyId } from './payloads';

/** OrderAmazonMapping (and the *EventDetails documents' `order`) as the trigger reads it. */
export interface LinkedOrder extends OrderMappingResult {
	legacyResourceId?: string;
	displayFulfillmentStatus?: string | null;
	cancelReason?: string | null;
	updatedAt?: string | null;
	currencyCode?: string | null;
	presentmentCurrencyCode?: string | null;
	/** Order attributes; only the Amazon ones below are read (others may hold buyer text). */
	customAttributes?: Array<{ key: string; value?: string | null }> | null;
}


function attribute(order: LinkedOrder | null | undefined, key: string): string | null {
	const value = order?.customAttributes?.find((a) => a.key === key)?.value;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function programsOf(order: LinkedOrder | null | undefined): string[] {
	const text = attribute(order, ATTRIBUTE_AMAZON_PROGRAMS);
	if (!text || text.toLowerCase() === 'none') return [];
	return text.split(',').map((p) => p.trim()).filter((p) => /^[A-Z0-9_]+$/.test(p));
}

export function shopifyOrderOf(order: LinkedOrder | null | undefined, orderLegacyId: string): EventShopifyOrder {
	return {
		id: order?.id ?? gid('Order', orderLegacyId),
		legacyResourceId: order?.legacyResourceId ?? orderLegacyId,
		name: order?.name ?? null,
		cancelledAt: isoTime(order?.cancelledAt ?? null),
		displayFulfillmentStatus: order?.displayFulfillmentStatus ?? null,
		currencyCode: order?.presentmentCurrencyCode ?? order?.currencyCode ?? null,
		tags: order?.tags ?? [],
	};
}

/**
 * Whether "Only Amazon Orders" lets the event through: linked orders, and orders tagged Amazon
 * whose linkage is incomplete (so the consumer reports the broken linkage instead of the event
 * silently disappearing).
 */
export function concernsAmazon(event: OrderEvent): boolean {
	return event.isAmazonOrder || event.shopifyOrder.tags.includes(TAG_AMAZON);
}

export function amazonOf(order: LinkedOrder | null | undefined): EventAmazonLinkage | null {
	const linkage = readLinkage(order);
	if (!linkage) return null;
	return {
		amazonOrderId: linkage.amazonOrderId,
		marketplaceId: linkage.marketplaceId ?? null,
		fulfillmentChannel: linkage.fulfillmentChannel,
		isFba: linkage.isFba,
		latestShipDate: isoTime(attribute(order, ATTRIBUTE_LATEST_SHIP_DATE)),
		programs: programsOf(order),
		lineItems: linkage.lineItems.map((l) => ({ lineItemId: l.lineItemId, orderItemId: l.orderItemId, sku: l.sku ?? null, quantity: l.quantity })),
	};
}

function orderItemIdMap(amazon: EventAmazonLinkage | null): Map<string, string> {
	return new Map((amazon?.lineItems ?? []).map((l) => [legacyId(l.lineItemId), l.orderItemId]));
}

function withOrderItemIds<T extends { lineItemId: string; orderItemId: string | null }>(lines: T[], ids: Map<string, string>): T[] {
	return lines.map((line) => ({ ...line, orderItemId: ids.get(legacyId(line.lineItemId)) ?? line.orderItemId }));
}

/** Everything that identifies an event apart from its payload. */
export interface EventEnvelope {
	source: 'webhook' | 'poll';
	webhookId: string | null;
	shopifyEventId: string | null;
	triggeredAt: string | null;
	shop: string | null;
}

export interface EnrichmentResult {
	order: LinkedOrder | null;
	/** Set when the linkage query failed. */
	error?: string;
}

function base(event: OrderEventName, envelope: EventEnvelope, enrichment: EnrichmentResult, orderLegacyId: string) {
	const amazon = amazonOf(enrichment.order);
	return {
		amazon,
		event: {
			event,
			topic: ORDER_EVENT_TOPICS[event].topic,
			source: envelope.source,
			webhookId: envelope.webhookId,
			shopifyEventId: envelope.shopifyEventId,
			triggeredAt: envelope.triggeredAt,
			shop: envelope.shop,
			shopifyOrder: shopifyOrderOf(enrichment.order, orderLegacyId),
			isAmazonOrder: amazon !== null,
			amazon,
			linkageError: enrichment.error ?? null,
		},
	};
}

export function fulfillmentEvent(
	event: 'fulfillmentCreated' | 'fulfillmentUpdated',
	envelope: EventEnvelope,
	enrichment: EnrichmentResult,
	orderLegacyId: string,
	fulfillment: EventFulfillment,
): OrderEvent {
	const { amazon, event: common } = base(event, envelope, enrichment, orderLegacyId);
	const completed: EventFulfillment = { ...fulfillment, lineItems: withOrderItemIds(fulfillment.lineItems, orderItemIdMap(amazon)) };
	return {
		...common,
		dedupeKey: `fulfillment:${completed.legacyResourceId}:${fulfillmentFingerprint(completed)}`,
		occurredAt: event === 'fulfillmentCreated' ? completed.createdAt : completed.updatedAt,
		fulfillment: completed,
	};
}

export function refundEvent(envelope: EventEnvelope, enrichment: EnrichmentResult, orderLegacyId: string, refund: EventRefund): OrderEvent {
	const { amazon, event: common } = base('refundCreated', envelope, enrichment, orderLegacyId);
	const completed: EventRefund = { ...refund, refundLineItems: withOrderItemIds(refund.refundLineItems, orderItemIdMap(amazon)) };
	return { ...common, dedupeKey: `refund:${completed.legacyResourceId}`, occurredAt: completed.createdAt, refund: completed };
}

export function cancellationEvent(envelope: EventEnvelope, enrichment: EnrichmentResult, orderLegacyId: string, cancellation: EventCancellation): OrderEvent {
	const { event: common } = base('orderCancelled', envelope, enrichment, orderLegacyId);
	return { ...common, dedupeKey: `orderCancelled:${orderLegacyId}`, occurredAt: cancellation.cancelledAt, cancellation };
}
