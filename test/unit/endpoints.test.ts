import { normaliseBaseUrl } from '../../nodes/shared/transport/endpoints';
import { normaliseShopDomain, shopifyApiVersion, shopifyGraphqlUrl } from '../../nodes/shared/transport/shopify/endpoints';
import { amazonEndpoints } from '../../nodes/shared/transport/amazon/endpoints';

describe('shop domain normalisation', () => {
	it.each([
		['acme', 'acme.myshopify.com'],
		['ACME', 'acme.myshopify.com'],
		['  acme.myshopify.com ', 'acme.myshopify.com'],
		['https://acme.myshopify.com', 'acme.myshopify.com'],
		['https://acme.myshopify.com/admin/orders?x=1', 'acme.myshopify.com'],
		['http://acme-store-2.myshopify.com/', 'acme-store-2.myshopify.com'],
		['https://admin.shopify.com/store/acme/orders/123', 'acme.myshopify.com'],
		['admin.shopify.com/store/acme', 'acme.myshopify.com'],
	])('accepts %p', (input, expected) => {
		expect(normaliseShopDomain(input)).toBe(expected);
	});

	it.each(['', 'acme shop', 'https://', 'acme.com/shop', '-acme', 'ac_me'])('refuses %p with a hint', (input) => {
		expect(() => normaliseShopDomain(input)).toThrow(/not a Shopify shop domain.*acme\.myshopify\.com/);
	});

	it('builds the GraphQL URL with the configured version, defaulting to 2026-10', () => {
		expect(shopifyGraphqlUrl({ shopDomain: 'acme' })).toBe('https://acme.myshopify.com/admin/api/2026-10/graphql.json');
		expect(shopifyGraphqlUrl({ shopDomain: 'acme', apiVersion: '2026-07' })).toBe('https://acme.myshopify.com/admin/api/2026-07/graphql.json');
		expect(() => shopifyApiVersion({ apiVersion: '2026-13' })).toThrow(/not valid/);
	});

	it('uses the custom admin base URL, with http only on loopback', () => {
		expect(shopifyGraphqlUrl({ shopDomain: 'acme', useCustomEndpoint: true, adminBaseUrl: 'http://127.0.0.1:4000/' })).toBe(
			'http://127.0.0.1:4000/admin/api/2026-10/graphql.json',
		);
		expect(() => shopifyGraphqlUrl({ shopDomain: 'acme', useCustomEndpoint: true, adminBaseUrl: 'http://10.0.0.5:4000' })).toThrow(
			/only for loopback/,
		);
	});
});

describe('Amazon endpoints', () => {
	it('follows region and environment', () => {
		expect(amazonEndpoints({ region: 'eu', environment: 'production' }).spApiBaseUrl).toBe('https://sellingpartnerapi-eu.amazon.com');
		expect(amazonEndpoints({ region: 'fe', environment: 'sandbox' }).spApiBaseUrl).toBe('https://sandbox.sellingpartnerapi-fe.amazon.com');
		expect(amazonEndpoints({ region: 'na' }).lwaTokenUrl).toBe('https://api.amazon.com/auth/o2/token');
	});

	it('refuses an unknown region and remote plain http', () => {
		expect(() => amazonEndpoints({ region: 'us' })).toThrow(/Unknown Amazon region "us"/);
		expect(() =>
			amazonEndpoints({ region: 'na', useCustomEndpoints: true, spApiBaseUrl: 'http://proxy.example.com', lwaTokenUrl: 'https://x' }),
		).toThrow(/only for loopback/);
		expect(normaliseBaseUrl('http://localhost:1234/', 'X')).toBe('http://localhost:1234');
	});
});
