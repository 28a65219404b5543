import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { pollAmazonOrders } from './poll';

export class AmazonOrderTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Order Trigger',
		name: 'amazonOrderTrigger',
		icon: { light: 'file:../../icons/amazon.svg', dark: 'file:../../icons/amazon.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ {"newOrders": "New orders", "cancellations": "Cancellations", "anyUpdate": "Any update"}[$parameter["event"]] }}',
		description: 'Starts the workflow for new, canceled or updated Amazon orders (Orders API v2026-01-01), each exactly once',
		defaults: { name: 'Amazon Order Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonSellingPartnerApi', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollAmazonOrders.call(this);
	}
}
