/**
 * One Shopify webhook delivery -> at most one event.
 *
 * Order of work, cheapest first, so Shopify gets its answer in well under its 5 s limit:
 *   1. HMAC-SHA256 over the raw body, constant time: invalid -> 401, no execution.
 *   2. Topic: not one of the selected events -> 200, no execution.
 *   3. Delivery id seen before (a retry) -> 200, no execution.
 *   4. Resource version: an older fulfillment version than one already emitted (out-of-order
 *      delivery), a fulfillment update that changes nothing Amazon needs, a refund or cancellation
 *      already emitted -> 200, no execution.
 *   5. 200 is sent NOW, before any outbound call.
 *   6. Enrichment: one GraphQL query for the order's Amazon linkage. If Shopify cannot answer, the
 *      event is still emitted with `linkageError` (consumers then look the linkage up themselves):
 *      an acknowledged delivery is never dropped.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OrderEvent, OrderEventName, EnrichmentResult, EventEnvelope, LinkedOrder, ParsedRefund } from '../../shared/orderEvents';
import { getClock } from '../../shared/transport/clock';
import { ShopifyClient } from '../../shared/transport/shopify/client';
import { concernsAmazon, cancellationEvent, fulfillmentEvent, refundEvent, cancellationFromWebhook, fulfillmentFingerprint, fulfillmentFromWebhook, gid, PayloadError, refundFromWebhook } from '../../shared/orderEvents';
import type { TriggerState } from '../state';
import { EventStore } from '../state';
import { verifyShopifyHmac } from './hmac';

type Json = Record<string, unknown>;

const TOPIC_EVENTS: Readonly<Record<string, OrderEventName>> = {
	'fulfillments/create': 'fulfillmentCreated',
	'fulfillments/update': 'fulfillmentUpdated',
	'refunds/create': 'refundCreated',
	'orders/cancelled': 'orderCancelled',
};

interface RawRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: Buffer;
	body?: unknown;
}

function header(request: RawRequest, name: string): string | null {
	const value = request.headers[name] ?? request.headers[name.toLowerCase()];
	const text = Array.isArray(value) ? value[0] : value;
	return typeof text === 'string' && text.trim() !== '' ? text.trim() : null;
}

export interface WebhookSettings {
	events: OrderEventName[];
	onlyAmazonOrders: boolean;
}

/** What happened to one delivery (also returned to tests through the response body). */
export type DeliveryOutcome = 'emitted' | 'invalidSignature' | 'ignoredTopic' | 'duplicate' | 'stale' | 'unchanged' | 'notAmazon' | 'malformed';

export async function handleWebhook(this: IWebhookFunctions, settings: WebhookSettings): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as RawRequest;
	const response = this.getResponseObject();
	const answer = (status: number, outcome: DeliveryOutcome): IWebhookResponseData => {
		if (!response.headersSent) response.status(status).json({ outcome });
		return { noWebhookResponse: true };
	};

	const client = await ShopifyClient.create(this);
	const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
	// Without the raw bytes the signature cannot be checked: refusing is the only safe answer.
	if (!rawBody || !verifyShopifyHmac(rawBody, header(request, 'x-shopify-hmac-sha256') ?? undefined, [client.webhookSecret])) {
		return answer(401, 'invalidSignature');
	}

	const topic = header(request, 'x-shopify-topic') ?? '';
	const eventName = TOPIC_EVENTS[topic];
	if (!eventName) return answer(200, 'ignoredTopic');

	let payload: Json;
	try {
		payload = JSON.parse(rawBody.toString('utf8')) as Json;
	} catch {
		return answer(400, 'malformed');
	}

	const clock = getClock();
	const store = new EventStore(this.getWorkflowStaticData('node') as TriggerState, clock.now());
	const webhookId = header(request, 'x-shopify-webhook-id');
	if (store.seenDelivery(webhookId)) return answer(200, 'duplicate');

	const triggeredAt = header(request, 'x-shopify-triggered-at');
	const triggeredAtMs = triggeredAt && !Number.isNaN(Date.parse(triggeredAt)) ? Date.parse(triggeredAt) : 0;
	const envelope: EventEnvelope = {
		source: 'webhook',
		webhookId,
		shopifyEventId: header(request, 'x-shopify-event-id'),
		triggeredAt: triggeredAtMs ? new Date(triggeredAtMs).toISOString() : null,
		shop: header(request, 'x-shopify-shop-domain'),
	};
	const raw = rawBody.toString('utf8');

	// Parse and apply the version rules before answering: everything here is local and fast.
	let orderLegacyId: string;
	let build: (enrichment: EnrichmentResult) => OrderEvent;
	try {
		if (eventName === 'fulfillmentCreated' || eventName === 'fulfillmentUpdated') {
			const parsed = fulfillmentFromWebhook(payload, raw);
			const decision = store.decideFulfillment(
				parsed.fulfillment.legacyResourceId,
				Date.parse(parsed.fulfillment.updatedAt),
				triggeredAtMs,
				fulfillmentFingerprint(parsed.fulfillment),
			);
			if (decision === 'stale' || decision === 'unchanged') return answer(200, decision);
			orderLegacyId = parsed.orderLegacyId;
			build = (enrichment) => fulfillmentEvent(eventName, envelope, enrichment, parsed.orderLegacyId, parsed.fulfillment);
		} else if (eventName === 'refundCreated') {
			const parsed: ParsedRefund = refundFromWebhook(payload, raw);
			if (!store.firstRefund(parsed.refundLegacyId)) return answer(200, 'duplicate');
			orderLegacyId = parsed.orderLegacyId;
			build = (enrichment) =>
				refundEvent(envelope, enrichment, parsed.orderLegacyId, parsed.build(enrichment.order?.presentmentCurrencyCode ?? enrichment.order?.currencyCode ?? null));
		} else {
			const parsed = cancellationFromWebhook(payload, raw);
			if (!store.firstCancellation(parsed.orderLegacyId)) return answer(200, 'duplicate');
			orderLegacyId = parsed.orderLegacyId;
			build = (enrichment) => cancellationEvent(envelope, enrichment, parsed.orderLegacyId, parsed.cancellation);
		}
	} catch (error) {
		if (error instanceof PayloadError) return answer(400, 'malformed');
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	if (!settings.events.includes(eventName)) return answer(200, 'ignoredTopic');

	// Acknowledge before the outbound call: Shopify's answer must not wait for enrichment.
	answer(200, 'emitted');

	const enrichment: EnrichmentResult = { order: null };
	try {
		const data = await client.run<{ order: LinkedOrder | null }>('OrderAmazonMapping', { id: gid('Order', orderLegacyId) });
		enrichment.order = data.order;
	} catch (error) {
		enrichment.error = `Could not read the order's Amazon linkage from Shopify: ${(error as Error).message}`;
	}
	const event = build(enrichment);
	if (settings.onlyAmazonOrders && !enrichment.error && !concernsAmazon(event)) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [[{ json: event as unknown as IDataObject }]] };
}
