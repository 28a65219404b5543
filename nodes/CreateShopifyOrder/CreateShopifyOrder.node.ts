import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { description as createDescription } from './actions/order/create.operation';
import { router } from './actions/router';

export class CreateShopifyOrder implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Create Shopify Order',
		name: 'createShopifyOrder',
		icon: { light: 'file:../../icons/amazonShopify.svg', dark: 'file:../../icons/amazonShopify.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["source"] === "orderId" ? "Amazon order " + $parameter["amazonOrderId"] : "From Amazon order" }}',
		description: 'Creates the Shopify order of an Amazon order: exactly once, marked as Amazon, totals equal to the cent',
		defaults: { name: 'Create Shopify Order' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'shopifyAdminApi', required: true },
			{ name: 'amazonSellingPartnerApi', required: true, displayOptions: { show: { source: ['orderId'] } } },
		],
		properties: createDescription,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
