/**
 * Shopify webhook subscriptions (GraphQL) for the trigger's webhook URL: one per selected topic.
 * n8n calls checkExists on activation and create when it returns false; checkExists also answers
 * false when Shopify dropped a subscription (it deletes API-created ones after repeated failed
 * deliveries), so activation re-creates lost subscriptions. Only subscriptions at this trigger's
 * own URL are ever touched.
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ShopifyClient } from '../../shared/transport/shopify/client';
import type { OrderEventName } from '../../shared/orderEvents';
import { ORDER_EVENT_TOPICS } from '../../shared/orderEvents';

export interface SubscriptionState extends IDataObject {
	uri?: string;
	/** Subscription topic (FULFILLMENTS_CREATE …) -> subscription GID. */
	ids?: Record<string, string>;
}

/**
 * Payload trimming: Shopify sends only these top-level fields, so buyer PII (destination address,
 * e-mail, phone, customer) never reaches n8n in the first place. Line items are kept whole
 * because the Amazon OrderItemId is one of their properties.
 */
export const INCLUDE_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
	FULFILLMENTS_CREATE: ['id', 'admin_graphql_api_id', 'order_id', 'name', 'status', 'created_at', 'updated_at', 'tracking_company', 'tracking_number', 'tracking_numbers', 'tracking_url', 'tracking_urls', 'line_items'],
	FULFILLMENTS_UPDATE: ['id', 'admin_graphql_api_id', 'order_id', 'name', 'status', 'created_at', 'updated_at', 'tracking_company', 'tracking_number', 'tracking_numbers', 'tracking_url', 'tracking_urls', 'line_items'],
	REFUNDS_CREATE: ['id', 'admin_graphql_api_id', 'order_id', 'created_at', 'processed_at', 'note', 'restock', 'refund_line_items', 'refund_shipping_lines', 'order_adjustments', 'transactions'],
	ORDERS_CANCELLED: ['id', 'admin_graphql_api_id', 'name', 'cancelled_at', 'cancel_reason', 'updated_at', 'currency', 'presentment_currency', 'refunds'],
});

/** The subscription topics needed for the selected events (created and updated share nothing). */
export function topicsFor(events: readonly OrderEventName[]): string[] {
	return [...new Set(events.map((e) => ORDER_EVENT_TOPICS[e].subscriptionTopic))].sort();
}

interface Subscription {
	id: string;
	topic: string;
	uri: string;
}

export async function listSubscriptions(client: ShopifyClient, uri: string): Promise<Subscription[]> {
	const data = await client.run<{ webhookSubscriptions: { nodes: Subscription[] } }>('WebhookSubscriptions', { uri });
	// Filter again: the uri argument is an exact match in Shopify, but a proxy or an older API could ignore it.
	return data.webhookSubscriptions.nodes.filter((s) => s.uri === uri);
}

/** True when exactly the needed topics are subscribed at `uri`; records their ids. */
export async function subscriptionsExist(client: ShopifyClient, state: SubscriptionState, uri: string, topics: readonly string[]): Promise<boolean> {
	const existing = await listSubscriptions(client, uri);
	const byTopic = new Map(existing.map((s) => [s.topic, s.id]));
	const complete = topics.every((t) => byTopic.has(t)) && existing.every((s) => topics.includes(s.topic));
	if (complete) {
		state.uri = uri;
		state.ids = Object.fromEntries(topics.map((t) => [t, byTopic.get(t) as string]));
	}
	return complete;
}

interface UserError {
	field?: string[] | null;
	message: string;
}

function refused(node: INode, what: string, errors: UserError[]): NodeApiError {
	return new NodeApiError(node, { errors } as unknown as JsonObject, {
		message: `Shopify refused to ${what}: ${errors.map((e) => e.message).join('; ')}`,
		description:
			'Check that the app has the read_orders and read_fulfillments scopes, and that the n8n webhook URL is public HTTPS (Shopify does not deliver to localhost). For an n8n instance the internet cannot reach, use Polling mode.',
	});
}

/** Creates the missing subscriptions, removes ours for topics no longer selected; records ids. */
export async function reconcileSubscriptions(client: ShopifyClient, node: INode, state: SubscriptionState, uri: string, topics: readonly string[]): Promise<void> {
	const existing = await listSubscriptions(client, uri);
	const ids: Record<string, string> = {};
	for (const subscription of existing) {
		if (topics.includes(subscription.topic) && ids[subscription.topic] === undefined) ids[subscription.topic] = subscription.id;
		else await deleteSubscription(client, node, subscription.id);
	}
	for (const topic of topics) {
		if (ids[topic]) continue;
		const created = await client.run<{
			webhookSubscriptionCreate: { webhookSubscription: Subscription | null; userErrors: UserError[] };
		}>('WebhookSubscriptionCreate', { topic, uri, includeFields: INCLUDE_FIELDS[topic] ? [...INCLUDE_FIELDS[topic]] : undefined });
		const { webhookSubscription, userErrors } = created.webhookSubscriptionCreate;
		if (userErrors.length || !webhookSubscription) throw refused(node, `subscribe ${uri} to ${topic}`, userErrors);
		ids[topic] = webhookSubscription.id;
	}
	state.uri = uri;
	state.ids = ids;
}

/** Deletes one subscription. One that is already gone counts as deleted. */
export async function deleteSubscription(client: ShopifyClient, node: INode, id: string): Promise<void> {
	const result = await client.run<{ webhookSubscriptionDelete: { deletedWebhookSubscriptionId: string | null; userErrors: UserError[] } }>(
		'WebhookSubscriptionDelete',
		{ id },
	);
	const errors = result.webhookSubscriptionDelete.userErrors.filter((e) => !/not (be )?found|does not exist/i.test(e.message));
	if (errors.length) throw refused(node, `delete webhook subscription ${id}`, errors);
}

/** Deletes every subscription this trigger made (recorded ids, and any other at its URL). */
export async function removeSubscriptions(client: ShopifyClient, node: INode, state: SubscriptionState, uri: string | undefined): Promise<number> {
	const ids = new Set(Object.values(state.ids ?? {}));
	const at = uri ?? state.uri;
	if (at) for (const s of await listSubscriptions(client, at)) ids.add(s.id);
	for (const id of ids) await deleteSubscription(client, node, id);
	delete state.ids;
	delete state.uri;
	return ids.size;
}
