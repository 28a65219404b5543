import type { ShopifyClient } from '../transport/shopify/client';
import { TAG_AMAZON } from './model';

export interface LinkedOrderSummary {
	id: string;
	legacyResourceId?: string;
	name: string;
	sourceIdentifier?: string | null;
	tags?: string[];
	cancelledAt?: string | null;
	displayFulfillmentStatus?: string;
	totalPriceSet?: { shopMoney: { amount: string; currencyCode: string }; presentmentMoney?: { amount: string; currencyCode: string } };
}

/**
 * Finds the Shopify order already linked to an Amazon order: the unique metafield (exact, no search
 * index lag), then sourceIdentifier search for orders created before the metafield existed.
 */
export async function findLinkedOrder(client: ShopifyClient, amazonOrderId: string): Promise<LinkedOrderSummary | undefined> {
	const byMetafield = await client.run<{ orderByIdentifier: LinkedOrderSummary | null }>('OrderByAmazonId', { value: amazonOrderId });
	if (byMetafield.orderByIdentifier) return byMetafield.orderByIdentifier;
	const bySource = await client.run<{ orders: { nodes: LinkedOrderSummary[] } }>('FindOrderBySourceIdentifier', {
		query: `source_identifier:"${amazonOrderId}" status:any`,
	});
	return bySource.orders.nodes.find((o) => o.sourceIdentifier === amazonOrderId && (o.tags ?? []).includes(TAG_AMAZON));
}

const definitionEnsured = new Set<string>();

/** Creates the unique amazon.order_id definition once per shop (unique values must be on from the start). */
export async function ensureAmazonOrderIdDefinition(client: ShopifyClient): Promise<void> {
	if (definitionEnsured.has(client.shopKey)) return;
	const existing = await client.run<{ metafieldDefinitions: { nodes: Array<{ id: string }> } }>('AmazonOrderIdDefinition');
	if (existing.metafieldDefinitions.nodes.length === 0) {
		const created = await client.run<{
			metafieldDefinitionCreate: { userErrors: Array<{ code?: string; message: string }> };
		}>('CreateAmazonOrderIdDefinition');
		// TAKEN: another execution created it between our read and our write, which is fine.
		const errors = created.metafieldDefinitionCreate.userErrors.filter((e) => e.code !== 'TAKEN');
		if (errors.length) throw new Error(`Could not create the amazon.order_id metafield definition: ${errors.map((e) => e.message).join('; ')}`);
	}
	definitionEnsured.add(client.shopKey);
}
