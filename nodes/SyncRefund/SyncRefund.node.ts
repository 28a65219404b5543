import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { description as recordDescription } from './actions/amazonRefund/record.operation';
import { router } from './actions/router';
import { description as sendDescription } from './actions/shopifyRefund/send.operation';
import { description as updatePendingDescription } from './actions/shopifyRefund/updatePending.operation';

export class SyncRefund implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sync Refund',
		name: 'syncRefund',
		icon: { light: 'file:../../icons/amazonShopify.svg', dark: 'file:../../icons/amazonShopify.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["resource"] === "amazonRefund" ? "Record Amazon refunds in Shopify" : $parameter["operation"] === "updatePending" ? "Update pending results" : "Send to Amazon" }}',
		description:
			'Sends Shopify refunds and cancellations to Amazon exactly once (payment adjustment and order acknowledgement feeds), and records refunds made on Amazon in Shopify without moving money',
		defaults: { name: 'Sync Refund' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Done', 'Failed'],
		credentials: [
			{ name: 'amazonSellingPartnerApi', required: true },
			{ name: 'shopifyAdminApi', required: true },
		],
		usableAsTool: true,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Shopify Refund', value: 'shopifyRefund', description: 'A refund or cancellation made in Shopify, to send to Amazon' },
					{ name: 'Amazon Refund', value: 'amazonRefund', description: 'A refund made on Amazon, to record in Shopify' },
				],
				default: 'shopifyRefund',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['shopifyRefund'] } },
				options: [
					{
						name: 'Send to Amazon',
						value: 'sendToAmazon',
						action: 'Send a refund or cancellation to amazon',
						description: 'Shipped: payment adjustment feed. Unshipped: order acknowledgement "Failure" (whole order) or unit cancellation. One feed per feed type and marketplace.',
					},
					{
						name: 'Update Pending Results',
						value: 'updatePending',
						action: 'Update pending refund results',
						description: 'Reads Amazon\'s result for submissions still processing, or whose createFeed answer was lost',
					},
				],
				default: 'sendToAmazon',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['amazonRefund'] } },
				options: [
					{
						name: 'Record in Shopify',
						value: 'recordInShopify',
						action: 'Record amazon refunds in shopify',
						description: 'Creates the Shopify refund of a refund made on Amazon: no money moved, no customer notification, never sent back to Amazon',
					},
				],
				default: 'recordInShopify',
			},
			...sendDescription,
			...updatePendingDescription,
			...recordDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
