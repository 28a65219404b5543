/**
 * What Create Shopify Order needs to know about the shop (currency, development store), cached per
 * n8n process, and the development-store limit: Shopify lets trial and development stores create at
 * most 5 orders a minute with orderCreate.
 */
import type { Clock } from '../../../shared/transport/clock';
import type { ShopifyClient } from '../../../shared/transport/shopify/client';

export interface ShopFacts {
	currencyCode: string;
	myshopifyDomain: string;
	devStore: boolean;
}

const SHOP_TTL_MS = 60 * 60 * 1000;
const shops = new Map<string, { facts: ShopFacts; at: number }>();

export async function shopFacts(client: ShopifyClient, clock: Clock): Promise<ShopFacts> {
	const cached = shops.get(client.shopKey);
	if (cached && clock.now() - cached.at < SHOP_TTL_MS) return cached.facts;
	const { shop } = await client.run<{ shop: { currencyCode: string; myshopifyDomain: string; plan?: { partnerDevelopment?: boolean } | null } }>('ShopInfo');
	const facts = { currencyCode: shop.currencyCode, myshopifyDomain: shop.myshopifyDomain, devStore: shop.plan?.partnerDevelopment === true };
	shops.set(client.shopKey, { facts, at: clock.now() });
	return facts;
}

/** For tests: forget cached shop facts and order times. */
export function resetShopCache(): void {
	shops.clear();
	createdAt.clear();
}

export const DEV_STORE_ORDERS_PER_MINUTE = 5;
const MINUTE = 60_000;
const createdAt = new Map<string, number[]>();

/** How long to wait before one more orderCreate fits in the development-store limit (0 = now). */
export function devStoreWaitMs(shopKey: string, now: number): number {
	const times = (createdAt.get(shopKey) ?? []).filter((t) => now - t < MINUTE && t <= now);
	createdAt.set(shopKey, times);
	if (times.length < DEV_STORE_ORDERS_PER_MINUTE) return 0;
	return times[times.length - DEV_STORE_ORDERS_PER_MINUTE] + MINUTE - now + 250;
}

export function recordOrderCreate(shopKey: string, now: number): void {
	const times = createdAt.get(shopKey) ?? [];
	times.push(now);
	createdAt.set(shopKey, times.slice(-DEV_STORE_ORDERS_PER_MINUTE * 2));
}

/** Shopify's userError when the development-store limit is hit. */
export function isDevStoreLimitError(message: string): boolean {
	return /5 orders per minute|too many orders/i.test(message);
}

/** The Shopify admin page of an order. */
export function adminOrderUrl(myshopifyDomain: string, legacyId: string | undefined): string | null {
	if (!legacyId) return null;
	const handle = myshopifyDomain.replace(/\.myshopify\.com$/i, '');
	return `https://admin.shopify.com/store/${encodeURIComponent(handle)}/orders/${encodeURIComponent(legacyId)}`;
}
