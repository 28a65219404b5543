import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../../shared/errorItems';
import { findOrdersBySourceIdentifiers, isAmazonOrderId } from '../../shared/linkage';
import { AmazonClient } from '../../shared/transport/amazon/client';
import { getClock } from '../../shared/transport/clock';
import { ShopifyClient } from '../../shared/transport/shopify/client';
import type { RunContext } from './order/create.operation';
import { describeFailure, execute as createOrder } from './order/create.operation';

/** Amazon order IDs of this execution's items, for the batched sourceIdentifier lookup. */
function candidateIds(ctx: IExecuteFunctions, items: INodeExecutionData[]): string[] {
	const ids: string[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const source = ctx.getNodeParameter('source', i) as string;
			const json = items[i].json;
			const id = source === 'orderId' ? ctx.getNodeParameter('amazonOrderId', i) : (json.amazonOrderId ?? json.orderId);
			if (isAmazonOrderId(id)) ids.push(String(id).trim());
		} catch {
			// A bad parameter is reported when the item itself runs.
		}
	}
	return ids;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const out: INodeExecutionData[] = [];
	const shopify = await ShopifyClient.create(this);
	let amazon: Promise<AmazonClient> | undefined;
	const ctx: RunContext = {
		node,
		shopify,
		amazon: async () => await (amazon ??= AmazonClient.create(this)),
		clock: getClock(),
		skuCache: new Map(),
	};
	const ids = candidateIds(this, items);
	if (ids.length > 1) {
		try {
			ctx.prefetched = { ids: new Set(ids), found: await findOrdersBySourceIdentifiers(shopify, ids) };
		} catch (error) {
			// Each item then looks itself up; the import does not depend on this shortcut.
			this.logger.warn(`Create Shopify Order: the batched sourceIdentifier lookup failed (${(error as Error).message}); looking up each order instead`);
		}
	}

	for (let i = 0; i < items.length; i++) {
		try {
			const json = await createOrder.call(this, i, ctx);
			out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			const failure = describeFailure(error);
			const prefix = failure.orderId && !failure.message.includes(failure.orderId) ? `Amazon order ${failure.orderId}: ` : '';
			const message = `${prefix}${failure.message}`;
			if (this.continueOnFail()) {
				// Only `error` and `details`: n8n then sends the item to the error output under
				// "Continue (using error output)", merged with the input item (the Amazon order).
				out.push(errorItem(node, { message, description: failure.description, amazonOrderId: failure.orderId, field: failure.field }, i));
				continue;
			}
			if (error instanceof NodeApiError || error instanceof NodeOperationError) {
				// Same instance (n8n keeps the HTTP context): point it at the item and name the order.
				error.context.itemIndex = i;
				error.message = message;
				throw error instanceof NodeApiError ? new NodeApiError(node, error as unknown as JsonObject) : new NodeOperationError(node, error);
			}
			throw new NodeOperationError(node, message, { itemIndex: i, description: failure.description });
		}
	}
	return [out];
}
