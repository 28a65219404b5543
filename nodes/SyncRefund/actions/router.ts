import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { AmazonClient } from '../../shared/transport/amazon/client';
import { getClock } from '../../shared/transport/clock';
import { ShopifyClient } from '../../shared/transport/shopify/client';
import { describeRefundError } from '../../shared/refunds/errors';
import { execute as recordInShopify } from './amazonRefund/record.operation';
import type { SyncContext } from './shared';
import { failedItem } from './shared';
import { execute as sendToAmazon } from './shopifyRefund/send.operation';
import { execute as updatePending } from './shopifyRefund/updatePending.operation';

/**
 * Dispatches the operation. Sync Refund works on all items of an execution together (one feed
 * per feed type and marketplace), so operations return both outputs, Done (0) and Failed (1), with
 * pairedItem on every item. A failure of the whole step becomes, with "Continue On Fail", one
 * Failed item per input item, which "Continue (using error output)" sends to the error output
 * (nodes/shared/errorItems.ts).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const resource = this.getNodeParameter('resource', 0, 'shopifyRefund') as string;
	const operation = this.getNodeParameter('operation', 0, 'sendToAmazon') as string;
	const options = (this.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
	const budgetMinutes = typeof options.feedBudgetWaitMinutes === 'number' ? options.feedBudgetWaitMinutes : 10;
	let amazon: Promise<AmazonClient> | undefined;
	let shopify: Promise<ShopifyClient> | undefined;
	const ctx: SyncContext = {
		amazon: async () => await (amazon ??= AmazonClient.create(this, { maxBucketWaitMs: budgetMinutes * 60 * 1000 })),
		shopify: async () => await (shopify ??= ShopifyClient.create(this)),
		clock: getClock(),
	};
	try {
		if (resource === 'amazonRefund' && operation === 'recordInShopify') return await recordInShopify.call(this, ctx);
		if (resource === 'shopifyRefund' && operation === 'updatePending') return await updatePending.call(this, ctx);
		if (resource === 'shopifyRefund' && operation === 'sendToAmazon') {
			const { done, failed } = await sendToAmazon.call(this, ctx);
			return [done, failed];
		}
		throw new NodeOperationError(node, `Unknown operation ${resource}/${operation}`);
	} catch (error) {
		const failure = describeRefundError(error);
		if (!this.continueOnFail()) {
			if (error instanceof NodeApiError) throw new NodeApiError(node, error as unknown as JsonObject);
			throw new NodeOperationError(node, failure.message, { description: failure.description });
		}
		const failed = this.getInputData().map((_item, i) => failedItem(node, failure, i));
		return [[], failed];
	}
}
