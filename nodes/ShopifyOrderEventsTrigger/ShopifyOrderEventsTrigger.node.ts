import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { OrderEvent, OrderEventName } from '../shared/orderEvents';
import { isOrderEvent } from '../shared/orderEvents';
import { getClock } from '../shared/transport/clock';
import { ShopifyClient } from '../shared/transport/shopify/client';
import { triggerProperties } from './description';
import type { PollSettings, PollState } from './poll/poll';
import { pollEvents, sampleEvents } from './poll/poll';
import { handleWebhook } from './webhook/handle';
import type { SubscriptionState } from './webhook/subscriptions';
import { reconcileSubscriptions, removeSubscriptions, subscriptionsExist, topicsFor } from './webhook/subscriptions';

interface NodeState extends PollState {
	subscriptions?: SubscriptionState;
}

type ParameterReader = (name: string, fallback?: unknown) => unknown;

function settingsOf(read: ParameterReader): PollSettings & { mode: 'webhook' | 'polling' } {
	const options = (read('options', {}) ?? {}) as IDataObject;
	return {
		mode: read('mode', 'webhook') === 'polling' ? 'polling' : 'webhook',
		events: read('events', []) as OrderEventName[],
		onlyAmazonOrders: read('onlyAmazonOrders', true) !== false,
		startFrom: typeof options.startFrom === 'string' && options.startFrom ? options.startFrom : undefined,
	};
}

function asItems(events: OrderEvent[]): INodeExecutionData[] {
	return events.map((event) => ({ json: event as unknown as IDataObject }));
}

export class ShopifyOrderEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Shopify Order Events Trigger',
		name: 'shopifyOrderEventsTrigger',
		icon: { light: 'file:../../icons/shopify.svg', dark: 'file:../../icons/shopify.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["mode"] === "polling" ? "Polling" : "Webhook" }}',
		description:
			'Starts a workflow when a Shopify order is fulfilled, its tracking changes, it is refunded or cancelled, with the order\'s Amazon linkage and without buyer data',
		defaults: { name: 'Shopify Order Events Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shopifyAdminApi', required: true }],
		polling: true,
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// No webhook endpoint in Polling mode: n8n skips a webhook whose path resolves to nothing,
				// so it neither registers a URL nor waits for a test webhook there.
				path: '={{ $parameter["mode"] === "polling" ? undefined : "webhook" }}',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const settings = settingsOf((name, fallback) => this.getNodeParameter(name, fallback));
				if (settings.mode === 'polling') return true;
				const state = this.getWorkflowStaticData('node') as NodeState;
				state.subscriptions ??= {};
				const client = await ShopifyClient.create(this);
				const uri = this.getNodeWebhookUrl('default') as string;
				return await subscriptionsExist(client, state.subscriptions, uri, topicsFor(settings.events));
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const settings = settingsOf((name, fallback) => this.getNodeParameter(name, fallback));
				if (settings.mode === 'polling') return true;
				const state = this.getWorkflowStaticData('node') as NodeState;
				state.subscriptions ??= {};
				const client = await ShopifyClient.create(this);
				if (!client.webhookSecret) {
					throw new NodeOperationError(this.getNode(), 'The Shopify credential has no secret to check webhook signatures with', {
						description:
							'Shopify signs webhooks with the app\'s client secret (Client Credentials) or API secret key (Access Token). Fill it in the Shopify Admin API credential, or use Polling mode.',
					});
				}
				const uri = this.getNodeWebhookUrl('default') as string;
				await reconcileSubscriptions(client, this.getNode(), state.subscriptions, uri, topicsFor(settings.events));
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as NodeState;
				const client = await ShopifyClient.create(this);
				await removeSubscriptions(client, this.getNode(), state.subscriptions ?? {}, this.getNodeWebhookUrl('default'));
				delete state.subscriptions;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = settingsOf((name, fallback) => this.getNodeParameter(name, fallback));
		return await handleWebhook.call(this, { events: settings.events, onlyAmazonOrders: settings.onlyAmazonOrders });
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = settingsOf((name, fallback) => this.getNodeParameter(name, fallback));
		if (settings.mode !== 'polling') return null;
		const client = await ShopifyClient.create(this);
		const now = getClock().now();
		if (this.getMode() === 'manual') {
			const sample = await sampleEvents(client, settings, now);
			return sample.length ? [asItems(sample)] : null;
		}
		const state = this.getWorkflowStaticData('node') as NodeState;
		if (state.subscriptions?.ids && Object.keys(state.subscriptions.ids).length) {
			// Left over from Webhook mode: Shopify would keep posting to a URL that no longer listens.
			try {
				await removeSubscriptions(client, this.getNode(), state.subscriptions, undefined);
				delete state.subscriptions;
			} catch (error) {
				this.logger.warn(`Shopify Order Events Trigger: could not remove the webhook subscriptions of Webhook mode: ${(error as Error).message}`);
			}
		}
		const events = await pollEvents(client, state, settings, now);
		return events.length ? [asItems(events)] : null;
	}

	/**
	 * The trigger's place in a running workflow. Events that came from the webhook or from a poll
	 * pass through unchanged. A manual run in Polling mode ("Fetch Test Event") fetches sample
	 * events instead, because n8n would otherwise route it to poll() and drop webhook test data.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const settings = settingsOf((name, fallback) => this.getNodeParameter(name, 0, fallback));
		const carriesEvents = items.length > 0 && items.every((item) => isOrderEvent(item.json));
		if (!carriesEvents && settings.mode === 'polling' && this.getMode() === 'manual') {
			const client = await ShopifyClient.create(this);
			const sample = await sampleEvents(client, settings, getClock().now());
			return [sample.map((event) => ({ json: event as unknown as IDataObject, pairedItem: { item: 0 } }))];
		}
		return [items.map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
	}
}
