import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { description as findDueToShipDescription } from './actions/order/findDueToShip.operation';
import { router } from './actions/router';
import { description as confirmDescription } from './actions/shipment/confirm.operation';

export class MarkAmazonFulfilled implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mark Amazon Fulfilled',
		name: 'markAmazonFulfilled',
		icon: { light: 'file:../../icons/amazonShopify.svg', dark: 'file:../../icons/amazonShopify.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["resource"] === "order" ? "Find orders due to ship" : "Confirm shipment on Amazon" }}',
		description: 'Confirms Shopify shipments on Amazon with carrier and tracking, and finds Amazon orders close to their ship-by date',
		defaults: { name: 'Mark Amazon Fulfilled' },
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ $parameter["resource"] === "order" ? [{ "type": "main", "displayName": "Orders" }] : [{ "type": "main", "displayName": "Confirmed" }, { "type": "main", "displayName": "Skipped" }] }}`,
		credentials: [
			{ name: 'amazonSellingPartnerApi', required: true },
			{ name: 'shopifyAdminApi', required: false },
		],
		usableAsTool: true,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Shipment', value: 'shipment' },
					{ name: 'Order', value: 'order' },
				],
				default: 'shipment',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['shipment'] } },
				options: [
					{
						name: 'Confirm',
						value: 'confirm',
						action: 'Confirm a shipment on amazon',
						description: 'Send carrier, tracking and ship date of a Shopify fulfillment to Amazon (confirmShipment)',
					},
				],
				default: 'confirm',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['order'] } },
				options: [
					{
						name: 'Find Due to Ship',
						value: 'findDueToShip',
						action: 'Find orders due to ship',
						description: 'Amazon orders still unshipped whose latest ship date is near or past, with their state in Shopify',
					},
				],
				default: 'findDueToShip',
			},
			...confirmDescription,
			...findDueToShipDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
