/**
 * Sandbox behaviours that the node tests rely on: back-dated Seller Central refunds, and
 * create-only metafield writes (an explicit null compareDigest).
 */
import type { Sandbox } from '../harness/sandbox';
import { startTestSandbox } from '../harness/sandbox';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startTestSandbox({ clockScale: 1000, seed: 7 });
});
afterAll(async () => await sb.stop());

async function graphql(query: string, variables: Record<string, unknown>) {
	const response = await fetch(`${sb.shopify.url}/admin/api/2026-10/graphql.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-shopify-access-token': sb.shopify.credentials.accessToken },
		body: JSON.stringify({ query, variables }),
	});
	return (await response.json()) as { data: Record<string, { userErrors: Array<{ code: string }>; metafields: unknown }> };
}

describe('refundOnAmazon', () => {
	it('back-dates a refund, so finance reads with postedBefore <= now - 2 min see it', () => {
		const [order] = sb.amazon.control.generateOrders(1, { statuses: ['SHIPPED'], fulfilledBy: ['MERCHANT'] });
		const postedDate = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d{3}/, '');
		const refund = sb.amazon.control.refundOnAmazon(order.orderId, undefined, { postedDate });
		expect(refund.postedDate).toBe(new Date(postedDate).toISOString());
	});

	it('refuses a posted date in the future or without a time zone', () => {
		const [order] = sb.amazon.control.generateOrders(1, { statuses: ['SHIPPED'], fulfilledBy: ['MERCHANT'] });
		expect(() => sb.amazon.control.refundOnAmazon(order.orderId, undefined, { postedDate: '2999-01-01T00:00:00Z' })).toThrow(/future/);
		expect(() => sb.amazon.control.refundOnAmazon(order.orderId, undefined, { postedDate: '2026-01-01T00:00:00' })).toThrow(/time zone/);
	});
});

describe('metafieldsSet with compareDigest null', () => {
	const MUTATION = `mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
		metafieldsSet(metafields: $metafields) { metafields { key value } userErrors { field message code } }
	}`;

	it('creates a metafield that does not exist, and refuses when it already does', async () => {
		const created = await graphql(
			`mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { message } } }`,
			{ order: { currency: 'USD', lineItems: [{ title: 'X', quantity: 1, priceSet: { shopMoney: { amount: '1.00', currencyCode: 'USD' } } }] } },
		);
		const ownerId = (created.data.orderCreate as unknown as { order: { id: string } }).order.id;
		const input = { ownerId, namespace: 'amazon', key: 'refund_ledger', type: 'json', value: '{"v":1}', compareDigest: null };

		const first = await graphql(MUTATION, { metafields: [input] });
		const second = await graphql(MUTATION, { metafields: [{ ...input, value: '{"v":2}' }] });

		expect(first.data.metafieldsSet.userErrors).toEqual([]);
		expect(second.data.metafieldsSet.userErrors.map((e) => e.code)).toEqual(['STALE_OBJECT']);
	});
});
