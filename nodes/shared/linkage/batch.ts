import type { ShopifyClient } from '../transport/shopify/client';
import type { LinkedOrderSummary } from './lookup';
import { TAG_AMAZON } from './model';

/** Amazon order ids per sourceIdentifier search (keeps the search text short). */
const CHUNK = 50;

/** Quotes a value for Shopify's search syntax. */
function quote(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The sourceIdentifier fallback of `findLinkedOrder`, for many Amazon orders in one search per 50:
 * orders created by other tools (or before the unique metafield existed) that carry the Amazon
 * order id as sourceIdentifier and the Amazon tag. Search results are index-backed and may lag a
 * few seconds: the exact check remains the unique `amazon.order_id` metafield (`OrderByAmazonId`).
 */
export async function findOrdersBySourceIdentifiers(
	client: ShopifyClient,
	amazonOrderIds: readonly string[],
): Promise<Map<string, LinkedOrderSummary>> {
	const found = new Map<string, LinkedOrderSummary>();
	const ids = [...new Set(amazonOrderIds.map((id) => id.trim()).filter(Boolean))];
	for (let start = 0; start < ids.length; start += CHUNK) {
		const chunk = ids.slice(start, start + CHUNK);
		const query = `status:any AND (${chunk.map((id) => `source_identifier:${quote(id)}`).join(' OR ')})`;
		const result = await client.run<{ orders: { nodes: LinkedOrderSummary[] } }>('FindOrdersBySourceIdentifiers', {
			query,
			first: Math.min(250, chunk.length * 2),
		});
		for (const order of result.orders.nodes) {
			const id = order.sourceIdentifier ?? '';
			if (chunk.includes(id) && (order.tags ?? []).includes(TAG_AMAZON) && !found.has(id)) found.set(id, order);
		}
	}
	return found;
}
