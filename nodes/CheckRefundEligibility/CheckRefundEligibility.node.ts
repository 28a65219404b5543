import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { description as checkDescription } from './actions/refund/check.operation';
import { router } from './actions/router';

export class CheckRefundEligibility implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Check Refund Eligibility',
		name: 'checkRefundEligibility',
		icon: { light: 'file:../../icons/amazonShopify.svg', dark: 'file:../../icons/amazonShopify.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["inputMode"] === "fields" ? "Check a refund" : "Check a Shopify refund or cancellation" }}',
		description:
			'Decides whether a Shopify refund or cancellation can be sent to Amazon, by which path (cancel or refund), and with which amounts per Amazon item and component',
		defaults: { name: 'Check Refund Eligibility' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Eligible', 'Not Eligible'],
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
				options: [{ name: 'Refund', value: 'refund' }],
				default: 'refund',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['refund'] } },
				options: [
					{
						name: 'Check',
						value: 'check',
						action: 'Check whether a refund can be sent to amazon',
						description: 'Refusal reasons: not Amazon, FBA, already refunded or canceled on Amazon, more than refundable, zero amount, cancellation without refund',
					},
				],
				default: 'check',
			},
			...checkDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
