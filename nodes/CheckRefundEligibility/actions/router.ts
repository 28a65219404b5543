import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../../shared/errorItems';
import { AmazonClient } from '../../shared/transport/amazon/client';
import { getClock } from '../../shared/transport/clock';
import { ShopifyClient } from '../../shared/transport/shopify/client';
import { describeRefundError } from '../../shared/refunds/errors';
import type { CheckContext } from './refund/check.operation';
import { execute as check } from './refund/check.operation';

/**
 * Per item: check, and route to Eligible (0) or Not Eligible (1). A failure (Shopify or Amazon
 * unreachable, unreadable input) is an error, not a refusal: with "Continue On Fail" the item is
 * `{ error, details: { description } }` (nodes/shared/errorItems.ts).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	let amazon: Promise<AmazonClient> | undefined;
	let shopify: Promise<ShopifyClient> | undefined;
	const ctx: CheckContext = {
		amazon: async () => await (amazon ??= AmazonClient.create(this)),
		shopify: async () => await (shopify ??= ShopifyClient.create(this)),
		clock: getClock(),
		earlier: new Map(),
	};
	const eligible: INodeExecutionData[] = [];
	const notEligible: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await check.call(this, i, ctx);
			(result.output === 'eligible' ? eligible : notEligible).push({ json: result.json, pairedItem: { item: i } });
		} catch (error) {
			const failure = describeRefundError(error);
			if (this.continueOnFail()) {
				// Only `error` and `details`: under "Continue (using error output)" n8n sends it to the
				// error output, merged with the input item; under "Continue" it stays on Eligible
				// (Sync Refund passes it on to Failed).
				eligible.push(errorItem(node, failure, i));
				continue;
			}
			if (error instanceof NodeApiError) throw new NodeApiError(node, error as unknown as JsonObject, { itemIndex: i });
			throw new NodeOperationError(node, failure.message, { itemIndex: i, description: failure.description });
		}
	}
	return [eligible, notEligible];
}
