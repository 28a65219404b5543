/**
 * Test-only nodes that call the shared transports directly, so the credentials and clients are
 * exercised inside the real engine before (and independently of) the product nodes.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { AmazonClient } from '../../nodes/shared/transport/amazon/client';
import * as amazon from '../../nodes/shared/transport/amazon/api';
import { ShopifyClient } from '../../nodes/shared/transport/shopify/client';
import type { DocumentName } from '../../nodes/shared/transport/shopify/documents';

function description(name: string, credential: string): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: 'test probe',
		defaults: { name },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: credential, required: true }],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: '' },
			{ displayName: 'Args', name: 'args', type: 'json', default: '{}' },
		],
	};
}

export class AmazonProbe implements INodeType {
	description = description('amazonProbe', 'amazonSellingPartnerApi');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const operation = this.getNodeParameter('operation', i) as string;
			const args = JSON.parse(String(this.getNodeParameter('args', i) || '{}')) as IDataObject;
			const client = await AmazonClient.create(this, { onEmptyBucket: (args.onEmptyBucket as 'wait' | 'report') ?? 'wait' });
			let result: unknown;
			if (operation === 'getMarketplaceParticipations') result = await amazon.getMarketplaceParticipations(client);
			else if (operation === 'getOrder') result = await amazon.getOrder(client, String(args.orderId), (args.includedData as string[]) ?? []);
			else if (operation === 'searchOrders') result = await amazon.searchOrders(client, args as never);
			else if (operation === 'createFeed') result = await amazon.createFeed(client, String(args.feedType), args.marketplaceIds as string[], String(args.feedDocumentId));
			else throw new NodeOperationError(this.getNode(), `unknown probe operation ${operation}`);
			out.push({ json: { result } as IDataObject, pairedItem: { item: i } });
		}
		return [out];
	}
}

export class ShopifyProbe implements INodeType {
	description = description('shopifyProbe', 'shopifyAdminApi');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const operation = this.getNodeParameter('operation', i) as DocumentName;
			const args = JSON.parse(String(this.getNodeParameter('args', i) || '{}')) as Record<string, unknown>;
			const client = await ShopifyClient.create(this);
			const result = await client.run<IDataObject>(operation, args);
			out.push({ json: { result } as IDataObject, pairedItem: { item: i } });
		}
		return [out];
	}
}

/** A two-node workflow: Manual Trigger -> probe. */
export function probeWorkflow(probe: 'amazonProbe' | 'shopifyProbe', operation: string, args: IDataObject = {}, items = 1) {
	const credentialType = probe === 'amazonProbe' ? 'amazonSellingPartnerApi' : 'shopifyAdminApi';
	return {
		id: `probe-${probe}`,
		name: `probe ${probe}`,
		active: false,
		nodes: [
			{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'p',
				name: 'Probe',
				type: `test.${probe}`,
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation, args: JSON.stringify(args) },
				credentials: { [credentialType]: { id: '1', name: 'test' } },
			},
		],
		connections: { Manual: { main: [[{ node: 'Probe', type: NodeConnectionTypes.Main, index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		items,
	};
}
