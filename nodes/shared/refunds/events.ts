/**
 * What a Shopify refund-created or order-cancelled event means for the refund nodes: which Shopify
 * order, which refund, refund or cancellation. Accepts the Shopify Order Events Trigger's items
 * and also raw Shopify webhook payloads (refunds/create, orders/cancelled), so a plain Webhook node
 * works too. Only ids are taken from the event: the nodes re-read the order and the refund from
 * Shopify, so a stale or trimmed payload can never send a wrong amount. Pure: no I/O.
 */
import type { IDataObject } from 'n8n-workflow';

import { orderGid } from '../linkage';
import { isOrderEvent } from '../orderEvents';

export interface ParsedEvent {
	kind: 'refund' | 'cancellation';
	shopifyOrderId: string;
	shopifyRefundId?: string;
	/** For messages: the webhook/event id when there is one. */
	eventId?: string;
}

export class EventParseError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EventParseError';
	}
}

function str(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim()) return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function obj(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function gidOf(value: unknown, type: 'Order' | 'Refund'): string | undefined {
	const text = str(value);
	if (!text) return undefined;
	if (text.startsWith('gid://')) return text.startsWith(`gid://shopify/${type}/`) ? text : undefined;
	return /^\d+$/.test(text) ? `gid://shopify/${type}/${text}` : undefined;
}

function eventKind(json: IDataObject): 'refund' | 'cancellation' | undefined {
	const names = [json.event, json.eventType, json.type, json.topic, obj(json.event)?.type]
		.map((v) => (typeof v === 'string' ? v.toLowerCase() : ''))
		.join(' ');
	if (/refund/.test(names)) return 'refund';
	if (/cancel/.test(names)) return 'cancellation';
	return undefined;
}

/** Reads an event item; throws EventParseError with what is missing. */
export function parseRefundEvent(json: IDataObject): ParsedEvent {
	// The Shopify Order Events Trigger's contract (nodes/shared/orderEvents.ts).
	if (isOrderEvent(json)) {
		const eventId = json.dedupeKey ?? json.webhookId ?? undefined;
		if (json.event === 'refundCreated') {
			if (!json.refund?.id) throw new EventParseError(`The refund event for order ${json.shopifyOrder.id} carries no refund id.`);
			return { kind: 'refund', shopifyOrderId: orderGid(json.shopifyOrder.id), shopifyRefundId: json.refund.id, eventId };
		}
		if (json.event === 'orderCancelled') return { kind: 'cancellation', shopifyOrderId: orderGid(json.shopifyOrder.id), eventId };
		throw new EventParseError(`A "${json.event}" event is not a refund or a cancellation: connect only the trigger's "refund created" and "order cancelled" events to this node.`);
	}
	const refund = obj(json.refund);
	const order = obj(json.order);
	const kind = eventKind(json);
	const eventId = str(json.eventId) ?? str(json.webhookId) ?? str(obj(json.webhook)?.id);

	// A refund: explicit refund object, refund id fields, or a raw refunds/create payload.
	const rawRefund = Array.isArray(json.refund_line_items) || str(json.admin_graphql_api_id)?.startsWith('gid://shopify/Refund/');
	const refundId =
		gidOf(refund?.admin_graphql_api_id, 'Refund') ??
		gidOf(refund?.id, 'Refund') ??
		gidOf(json.refundId, 'Refund') ??
		gidOf(json.shopifyRefundId, 'Refund') ??
		(rawRefund ? (gidOf(json.admin_graphql_api_id, 'Refund') ?? gidOf(json.id, 'Refund')) : undefined);

	const rawOrder = !rawRefund && (str(json.admin_graphql_api_id)?.startsWith('gid://shopify/Order/') || 'cancelled_at' in json);
	const orderId =
		gidOf(order?.admin_graphql_api_id, 'Order') ??
		gidOf(order?.id, 'Order') ??
		gidOf(json.shopifyOrderId, 'Order') ??
		gidOf(json.orderId, 'Order') ??
		gidOf(json.order_id, 'Order') ??
		gidOf(refund?.order_id, 'Order') ??
		gidOf(obj(json.linkage)?.shopifyOrderId, 'Order') ??
		(rawOrder ? (gidOf(json.admin_graphql_api_id, 'Order') ?? gidOf(json.id, 'Order')) : undefined);

	if (!orderId) {
		throw new EventParseError('The input item names no Shopify order: expected an event from the Shopify Order Events Trigger, a Shopify refunds/create or orders/cancelled payload, or a shopifyOrderId field.');
	}
	const resolvedKind = kind ?? (refundId ? 'refund' : rawOrder ? 'cancellation' : undefined);
	if (resolvedKind === 'refund') {
		if (!refundId) throw new EventParseError(`The refund event for order ${orderId} carries no refund id (refund.admin_graphql_api_id or refundId).`);
		return { kind: 'refund', shopifyOrderId: orderGid(orderId), shopifyRefundId: refundId, eventId };
	}
	if (resolvedKind === 'cancellation') return { kind: 'cancellation', shopifyOrderId: orderGid(orderId), eventId };
	throw new EventParseError(`The input item for order ${orderId} is neither a refund nor a cancellation event. Only "refund created" and "order cancelled" events can be checked.`);
}
