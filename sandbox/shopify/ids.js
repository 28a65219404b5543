// @ts-check
'use strict';

/**
 * Global IDs (gid://shopify/Type/123) and legacy numeric IDs, allocated per type from fixed bases
 * so they look like Shopify's (13 digits) but stay far below 2^53 (safe in JSON numbers).
 */

const BASES = /** @type {Record<string, number>} */ ({
	Order: 6100000000000,
	LineItem: 14200000000000,
	ShippingLine: 4900000000000,
	OrderTransaction: 7300000000000,
	Fulfillment: 5300000000000,
	FulfillmentLineItem: 11800000000000,
	FulfillmentOrder: 6900000000000,
	FulfillmentOrderLineItem: 14900000000000,
	Refund: 9300000000000,
	RefundLineItem: 5200000000000,
	RefundShippingLine: 2800000000000,
	OrderAdjustment: 3100000000000,
	Product: 8800000000000,
	ProductVariant: 45100000000000,
	InventoryItem: 47200000000000,
	Customer: 7700000000000,
	MailingAddress: 9100000000000,
	Metafield: 28900000000000,
	MetafieldDefinition: 1200000000,
	WebhookSubscription: 1500000000000,
	Location: 79000000000,
	Job: 0,
	OrderCancelJobResult: 0,
	DiscountApplication: 0,
});

/**
 * @returns {{ next: (type: string) => { id: string, legacyResourceId: string, n: number } }}
 */
function createIdAllocator() {
	/** @type {Record<string, number>} */
	const counters = {};
	return {
		next(type) {
			const c = (counters[type] = (counters[type] ?? 0) + 1);
			const n = (BASES[type] ?? 1000000000) + c;
			return { id: `gid://shopify/${type}/${n}`, legacyResourceId: String(n), n };
		},
	};
}

/**
 * Parse a global ID. Returns null when it is not `gid://shopify/<Type>/<id>`.
 * @param {unknown} gid
 * @returns {{ type: string, id: string }|null}
 */
function parseGid(gid) {
	if (typeof gid !== 'string') return null;
	const m = /^gid:\/\/shopify\/([A-Za-z]+)\/([^/?#]+)(\?.*)?$/.exec(gid);
	return m ? { type: m[1], id: m[2] } : null;
}

/**
 * @param {import('../lib/rng').Rng} rng
 */
function uuid(rng) {
	const h = rng.hex(32).split('');
	h[12] = '4';
	h[16] = '89ab'[Math.floor(rng.next() * 4)];
	const s = h.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

module.exports = { createIdAllocator, parseGid, uuid };
