/**
 * The contract between the Shopify Order Events Trigger and the nodes that consume its events
 * (Mark Amazon Fulfilled, Check Refund Eligibility, Sync Refund). Webhook mode and polling mode
 * produce exactly this shape; docs/ORDER-EVENTS.md describes every field for workflow builders.
 *
 * Identifiers are Shopify GIDs (`gid://shopify/Fulfillment/123`) plus the numeric
 * `legacyResourceId` as a string (Shopify ids can exceed 2^53 in JSON numbers). Money is given
 * twice: `amount` as Shopify's decimal string and `minor` as integer minor units (money.ts), in
 * the order's presentment currency, which is the Amazon marketplace currency for imported orders.
 * No buyer PII (names, addresses, e-mails, phones) is ever part of an event.
 */

export type OrderEventName = 'fulfillmentCreated' | 'fulfillmentUpdated' | 'refundCreated' | 'orderCancelled';

/** Shopify webhook topics (header X-Shopify-Topic) and GraphQL subscription topics per event. */
export const ORDER_EVENT_TOPICS: Readonly<Record<OrderEventName, { topic: string; subscriptionTopic: string }>> = Object.freeze({
	fulfillmentCreated: { topic: 'fulfillments/create', subscriptionTopic: 'FULFILLMENTS_CREATE' },
	fulfillmentUpdated: { topic: 'fulfillments/update', subscriptionTopic: 'FULFILLMENTS_UPDATE' },
	refundCreated: { topic: 'refunds/create', subscriptionTopic: 'REFUNDS_CREATE' },
	orderCancelled: { topic: 'orders/cancelled', subscriptionTopic: 'ORDERS_CANCELLED' },
});

export const ORDER_EVENT_NAMES: readonly OrderEventName[] = Object.freeze(Object.keys(ORDER_EVENT_TOPICS) as OrderEventName[]);

export interface EventMoney {
	/** Decimal string as Shopify sends it, normalised to the currency's digits ("19.90", "1500"). */
	amount: string;
	/** Integer minor units (cents, yen). */
	minor: number;
	currencyCode: string;
}

export interface EventAmazonLineItem {
	/** Shopify line item GID. */
	lineItemId: string;
	/** Amazon OrderItemId from the line item property `_amazon_order_item_id`. */
	orderItemId: string;
	sku: string | null;
	/** Quantity ordered on the Shopify line (as imported from Amazon). */
	quantity: number;
}

/** The order's Amazon linkage (nodes/shared/linkage), or null for an order that is not from Amazon. */
export interface EventAmazonLinkage {
	amazonOrderId: string;
	marketplaceId: string | null;
	fulfillmentChannel: 'MFN' | 'AFN';
	isFba: boolean;
	/** The order's latest ship date as Create Shopify Order stored it (order attribute "Latest ship date"), else null. */
	latestShipDate: string | null;
	/** Amazon programs stored at import (order attribute "Amazon programs"), e.g. PRIME, FBM_SHIP_PLUS; [] when unknown. */
	programs: string[];
	lineItems: EventAmazonLineItem[];
}

export interface EventShopifyOrder {
	id: string;
	legacyResourceId: string;
	name: string | null;
	/** Set when the order is cancelled in Shopify (lets refund consumers avoid double handling). */
	cancelledAt: string | null;
	displayFulfillmentStatus: string | null;
	/** Presentment currency of the order (the Amazon marketplace currency for imported orders). */
	currencyCode: string | null;
	/** The order's tags ("Amazon", "Amazon US", "FBA" for imported orders). */
	tags: string[];
}

export interface EventFulfillmentLineItem {
	lineItemId: string;
	quantity: number;
	/** From the linkage (or the line item's `_amazon_order_item_id` property); null when unlinked. */
	orderItemId: string | null;
	sku: string | null;
}

export type EventFulfillmentStatus = 'SUCCESS' | 'CANCELLED' | 'ERROR' | 'FAILURE' | 'PENDING' | 'OPEN';

export interface EventFulfillment {
	id: string;
	legacyResourceId: string;
	/** "#1001.1" */
	name: string | null;
	status: EventFulfillmentStatus;
	createdAt: string;
	updatedAt: string;
	trackingCompany: string | null;
	trackingNumbers: string[];
	trackingUrls: string[];
	lineItems: EventFulfillmentLineItem[];
}

export type EventRestockType = 'NO_RESTOCK' | 'CANCEL' | 'RETURN' | 'LEGACY_RESTOCK';

export interface EventRefundLineItem {
	/** Refund line item GID when Shopify gives one (webhooks do), else null. */
	id: string | null;
	lineItemId: string;
	orderItemId: string | null;
	sku: string | null;
	quantity: number;
	restockType: EventRestockType;
	locationId: string | null;
	/** Line subtotal refunded (after discounts), without tax. */
	subtotal: EventMoney;
	totalTax: EventMoney;
}

export interface EventRefundTransaction {
	id: string;
	kind: string;
	status: string;
	gateway: string | null;
	amount: EventMoney;
	parentTransactionId: string | null;
	processedAt: string | null;
}

export interface EventRefund {
	id: string;
	legacyResourceId: string;
	createdAt: string;
	processedAt: string | null;
	note: string | null;
	currencyCode: string;
	refundLineItems: EventRefundLineItem[];
	/** Shipping refunded (sum of refund shipping lines) and its tax. */
	shipping: { subtotal: EventMoney; tax: EventMoney };
	transactions: EventRefundTransaction[];
	totals: {
		lineItemsSubtotal: EventMoney;
		lineItemsTax: EventMoney;
		shipping: EventMoney;
		shippingTax: EventMoney;
		/** Money that actually moved: successful REFUND transactions. Zero for restock-only and $0 refunds. */
		refunded: EventMoney;
	};
	/** True when no money moved (restock-only, store-credit-free $0 refund). */
	isZeroAmount: boolean;
}

export type EventCancelReason = 'CUSTOMER' | 'DECLINED' | 'FRAUD' | 'INVENTORY' | 'OTHER' | 'STAFF';

export interface EventCancellation {
	cancelledAt: string;
	reason: EventCancelReason | null;
	/** Refunds present on the order when the cancellation event was produced (a cancel with refund also emits refundCreated). */
	refundIds: string[];
}

export interface OrderEvent {
	event: OrderEventName;
	/** Shopify REST topic, e.g. "fulfillments/create". */
	topic: string;
	/** How the event reached n8n. */
	source: 'webhook' | 'poll';
	/** X-Shopify-Webhook-Id (webhook mode), null in polling mode. */
	webhookId: string | null;
	/** X-Shopify-Event-Id: shared by the deliveries of one merchant action (webhook mode), else null. */
	shopifyEventId: string | null;
	/**
	 * Stable across modes and deliveries: "fulfillment:<id>:<fingerprint>", "refund:<id>",
	 * "orderCancelled:<orderId>". Consumers can dedupe on it.
	 */
	dedupeKey: string;
	/** When the change happened in Shopify (fulfillment createdAt/updatedAt, refund createdAt, cancelledAt). */
	occurredAt: string;
	/** X-Shopify-Triggered-At (webhook mode), null in polling mode. */
	triggeredAt: string | null;
	shop: string | null;
	shopifyOrder: EventShopifyOrder;
	isAmazonOrder: boolean;
	amazon: EventAmazonLinkage | null;
	/** Set when the linkage could not be read (Shopify unavailable): consumers must look it up themselves. */
	linkageError: string | null;
	fulfillment?: EventFulfillment;
	refund?: EventRefund;
	cancellation?: EventCancellation;
}

/** Narrow check for consumers: is this JSON an event produced by the trigger? */
export function isOrderEvent(value: unknown): value is OrderEvent {
	if (!value || typeof value !== 'object') return false;
	const v = value as Partial<OrderEvent>;
	return (
		typeof v.event === 'string' &&
		(ORDER_EVENT_NAMES as readonly string[]).includes(v.event) &&
		typeof v.shopifyOrder === 'object' &&
		v.shopifyOrder !== null &&
		typeof v.shopifyOrder.id === 'string'
	);
}
