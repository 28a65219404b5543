import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../../shared/errorItems';
import { AmazonClient } from '../../shared/transport/amazon/client';
import { getClock } from '../../shared/transport/clock';
import { ShopifyClient } from '../../shared/transport/shopify/client';
import type { RunContext } from './context';
import { execute as findDueToShip } from './order/findDueToShip.operation';
import { ShipmentInputError } from './shipment/packages';
import { ConfirmError, execute as confirm } from './shipment/confirm.operation';

function failureOf(error: unknown): { message: string; description?: string; amazonOrderId?: string; field?: string } {
	if (error instanceof ConfirmError) return { message: error.message, description: error.description, amazonOrderId: error.amazonOrderId, field: error.field };
	if (error instanceof ShipmentInputError) return { message: error.message, description: error.description, amazonOrderId: error.amazonOrderId, field: error.field };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return { message: error.message, description: error.description ?? undefined };
	return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs the selected operation per item. Outputs: Shipment → Confirm has Confirmed (0) and
 * Skipped (1); Order → Find Due to Ship has one output. With "Continue On Fail" a failed item
 * becomes `{ error, details: { amazonOrderId, field, description } }` on the first output, which
 * "Continue (using error output)" routes to the error output.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const resource = this.getNodeParameter('resource', 0, 'shipment') as string;
	let amazon: Promise<AmazonClient> | undefined;
	let shopify: Promise<ShopifyClient> | undefined;
	const ctx: RunContext = {
		node,
		amazon: async () => await (amazon ??= AmazonClient.create(this)),
		shopify: async () =>
			await (shopify ??= ShopifyClient.create(this).catch((error: Error) => {
				throw new NodeOperationError(node, `This step needs the Shopify Admin API credential: ${error.message}`, {
					description: 'Select a Shopify Admin API credential on the node. It is needed for raw Shopify payloads, for events whose linkage could not be read, and for Find Due to Ship.',
				});
			})),
		clock: getClock(),
		orderCache: new Map(),
		linkageCache: new Map(),
	};

	const confirmed: INodeExecutionData[] = [];
	const skipped: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			if (resource === 'order') {
				const found = await findDueToShip.call(this, i, ctx);
				for (const json of found) confirmed.push({ json, pairedItem: { item: i } });
				continue;
			}
			const result = await confirm.call(this, i, ctx);
			(result.output === 'confirmed' ? confirmed : skipped).push({ json: result.json, pairedItem: { item: i } });
		} catch (error) {
			const failure = failureOf(error);
			if (this.continueOnFail()) {
				// Only `error` and `details`: n8n then sends the item to the error output under
				// "Continue (using error output)", merged with the input item (the trigger's event).
				confirmed.push(errorItem(node, failure, i));
				continue;
			}
			if (error instanceof NodeApiError) {
				error.context.itemIndex = i;
				throw new NodeApiError(node, error as unknown as JsonObject, { itemIndex: i });
			}
			throw new NodeOperationError(node, failure.message, { itemIndex: i, description: failure.description });
		}
	}
	return resource === 'order' ? [confirmed] : [confirmed, skipped];
}
