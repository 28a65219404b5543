import type { INodeProperties } from 'n8n-workflow';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Trigger Mode',
		name: 'mode',
		type: 'options',
		options: [
			{
				name: 'Webhook',
				value: 'webhook',
				description: 'Shopify sends each event to n8n as it happens. Needs an n8n URL reachable from the internet over HTTPS.',
			},
			{
				name: 'Polling',
				value: 'polling',
				description: 'The trigger asks Shopify for new events on a schedule (Poll Times). For n8n instances the internet cannot reach.',
			},
		],
		default: 'webhook',
	},
	{
		displayName: 'Poll Times only apply in Polling mode. In Webhook mode n8n registers the Shopify webhook subscriptions itself when the workflow is published.',
		name: 'webhookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { mode: ['webhook'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{
				name: 'Fulfillment Created',
				value: 'fulfillmentCreated',
				description: 'A shipment was created in Shopify (confirm it on Amazon with Mark Amazon Fulfilled)',
			},
			{
				name: 'Fulfillment Updated (Tracking Changed)',
				value: 'fulfillmentUpdated',
				description: 'The carrier, tracking numbers or shipped lines of a shipment changed. Carrier scan updates (in transit, delivered) are not emitted.',
			},
			{
				name: 'Order Cancelled',
				value: 'orderCancelled',
				description: 'An order was cancelled in Shopify',
			},
			{
				name: 'Refund Created',
				value: 'refundCreated',
				description: 'A refund was created in Shopify, with or without money moving',
			},
		],
		default: ['fulfillmentCreated', 'fulfillmentUpdated', 'refundCreated', 'orderCancelled'],
	},
	{
		displayName: 'Only Amazon Orders',
		name: 'onlyAmazonOrders',
		type: 'boolean',
		default: true,
		description:
			'Whether to emit events only for orders linked to an Amazon order (imported by Create Shopify Order, or tagged Amazon with the Amazon order ID as source identifier)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { mode: ['polling'] } },
		options: [
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'dateTime',
				default: '',
				description:
					'Emit events that happened after this time on the first poll. Empty: start from the moment the workflow is published, without emitting older events.',
			},
		],
	},
];
