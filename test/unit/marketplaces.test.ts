import {
	assertMarketplacesInRegion,
	defaultMarketplaceIdsForRegion,
	findMarketplace,
	isAmazonRegion,
	isKnownMarketplaceId,
	LWA_TOKEN_URL,
	marketplaceById,
	MARKETPLACES,
	marketplacesForRegion,
	regionOf,
	sellerCentralOrderUrl,
	spApiHost,
} from '../../nodes/shared/marketplaces';
import type { AmazonRegion } from '../../nodes/shared/marketplaces';

// amazon.md §1.4 (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids) + currencies.
const EXPECTED: Array<[string, string, AmazonRegion, string]> = [
	['ATVPDKIKX0DER', 'US', 'na', 'USD'],
	['A2EUQ1WTGCTBG2', 'CA', 'na', 'CAD'],
	['A1AM78C64UM0Y8', 'MX', 'na', 'MXN'],
	['A2Q3Y263D00KWC', 'BR', 'na', 'BRL'],
	['A1F83G8C2ARO7P', 'UK', 'eu', 'GBP'],
	['A1PA6795UKMFR9', 'DE', 'eu', 'EUR'],
	['A13V1IB3VIYZZH', 'FR', 'eu', 'EUR'],
	['APJ6JRA9NG5V4', 'IT', 'eu', 'EUR'],
	['A1RKKUPIHCS9HS', 'ES', 'eu', 'EUR'],
	['A1805IZSGTT6HS', 'NL', 'eu', 'EUR'],
	['AMEN7PMS3EDWL', 'BE', 'eu', 'EUR'],
	['A28R8C7NBKEWEA', 'IE', 'eu', 'EUR'],
	['A2NODRKZP88ZB9', 'SE', 'eu', 'SEK'],
	['A1C3SOZRARQ6R3', 'PL', 'eu', 'PLN'],
	['A33AVAJ2PDY3EV', 'TR', 'eu', 'TRY'],
	['A2VIGQ35RCS4UG', 'AE', 'eu', 'AED'],
	['A17E79C6D8DWNP', 'SA', 'eu', 'SAR'],
	['ARBP9OOSHTCHU', 'EG', 'eu', 'EGP'],
	['A21TJRUUN4KGV', 'IN', 'eu', 'INR'],
	['AE08WJ6YKNBMC', 'ZA', 'eu', 'ZAR'],
	['A1VC38T7YXB528', 'JP', 'fe', 'JPY'],
	['A39IBJ37TRP1C6', 'AU', 'fe', 'AUD'],
	['A19VAU5U5O7RUS', 'SG', 'fe', 'SGD'],
];

describe('marketplace table', () => {
	it('has exactly the documented marketplaces', () => {
		expect(MARKETPLACES).toHaveLength(EXPECTED.length);
		expect(new Set(MARKETPLACES.map((m) => m.id)).size).toBe(MARKETPLACES.length);
		expect(new Set(MARKETPLACES.map((m) => m.countryCode)).size).toBe(MARKETPLACES.length);
	});

	it.each(EXPECTED)('%s is %s in %s selling in %s', (id, country, region, currency) => {
		const marketplace = marketplaceById(id);
		expect(marketplace.countryCode).toBe(country);
		expect(marketplace.region).toBe(region);
		expect(marketplace.currency).toBe(currency);
		expect(marketplace.name.length).toBeGreaterThan(0);
		expect(marketplace.sellerCentralHost).toMatch(/^sellercentral(-japan)?\.amazon\.[a-z.]+$/);
	});

	it('uses ISO country codes next to Amazon ones (UK vs GB)', () => {
		expect(marketplaceById('A1F83G8C2ARO7P')).toMatchObject({ countryCode: 'UK', isoCountryCode: 'GB', name: 'United Kingdom' });
		expect(marketplaceById('A1PA6795UKMFR9').isoCountryCode).toBe('DE');
	});

	it.each([
		['ATVPDKIKX0DER', 'sellercentral.amazon.com'],
		['A1F83G8C2ARO7P', 'sellercentral.amazon.co.uk'],
		['A1PA6795UKMFR9', 'sellercentral.amazon.de'],
		['A1VC38T7YXB528', 'sellercentral-japan.amazon.com'],
		['A39IBJ37TRP1C6', 'sellercentral.amazon.com.au'],
		['A2EUQ1WTGCTBG2', 'sellercentral.amazon.ca'],
		['A1AM78C64UM0Y8', 'sellercentral.amazon.com.mx'],
		['AMEN7PMS3EDWL', 'sellercentral.amazon.com.be'],
		['AE08WJ6YKNBMC', 'sellercentral.amazon.co.za'],
	])('%s is managed at %s', (id, host) => {
		expect(marketplaceById(id).sellerCentralHost).toBe(host);
	});

	it('cannot be changed at runtime', () => {
		expect(Object.isFrozen(MARKETPLACES)).toBe(true);
		expect(Object.isFrozen(MARKETPLACES[0])).toBe(true);
	});
});

describe('lookups', () => {
	it('finds by id', () => {
		expect(findMarketplace('ATVPDKIKX0DER')?.countryCode).toBe('US');
		expect(findMarketplace('nope')).toBeUndefined();
		expect(isKnownMarketplaceId('A1VC38T7YXB528')).toBe(true);
		expect(isKnownMarketplaceId('atvpdkikx0der')).toBe(false);
		expect(isKnownMarketplaceId(undefined)).toBe(false);
	});

	it.each(['', 'ATVPDKIKX0DE', 'atvpdkikx0der', ' ATVPDKIKX0DER', 'US'])(
		'throws a clear error for unknown id %j',
		(id) => {
			expect(() => marketplaceById(id)).toThrow(`Unknown Amazon marketplace id ${JSON.stringify(id)}`);
			expect(() => regionOf(id)).toThrow(/Unknown Amazon marketplace id/);
			expect(() => sellerCentralOrderUrl(id, '1')).toThrow(/Unknown Amazon marketplace id/);
		},
	);

	it('gives the region of a marketplace', () => {
		expect(regionOf('ATVPDKIKX0DER')).toBe('na');
		expect(regionOf('A21TJRUUN4KGV')).toBe('eu');
		expect(regionOf('A19VAU5U5O7RUS')).toBe('fe');
	});

	it('lists the marketplaces of a region', () => {
		expect(marketplacesForRegion('na').map((m) => m.countryCode)).toEqual(['US', 'CA', 'MX', 'BR']);
		expect(marketplacesForRegion('eu')).toHaveLength(16);
		expect(marketplacesForRegion('fe').map((m) => m.countryCode)).toEqual(['JP', 'AU', 'SG']);
		expect(() => marketplacesForRegion('us' as AmazonRegion)).toThrow(/Unknown Amazon region "us"/);
	});

	it('preselects US, UK and JP', () => {
		expect(defaultMarketplaceIdsForRegion('na')).toEqual(['ATVPDKIKX0DER']);
		expect(defaultMarketplaceIdsForRegion('eu')).toEqual(['A1F83G8C2ARO7P']);
		expect(defaultMarketplaceIdsForRegion('fe')).toEqual(['A1VC38T7YXB528']);
		const ids = defaultMarketplaceIdsForRegion('na');
		ids.push('X');
		expect(defaultMarketplaceIdsForRegion('na')).toEqual(['ATVPDKIKX0DER']);
	});

	it('recognises regions', () => {
		expect(isAmazonRegion('na')).toBe(true);
		expect(isAmazonRegion('NA')).toBe(false);
		expect(isAmazonRegion(null)).toBe(false);
	});
});

describe('endpoints', () => {
	it.each([
		['na', 'production', 'https://sellingpartnerapi-na.amazon.com'],
		['eu', 'production', 'https://sellingpartnerapi-eu.amazon.com'],
		['fe', 'production', 'https://sellingpartnerapi-fe.amazon.com'],
		['na', 'sandbox', 'https://sandbox.sellingpartnerapi-na.amazon.com'],
		['eu', 'sandbox', 'https://sandbox.sellingpartnerapi-eu.amazon.com'],
		['fe', 'sandbox', 'https://sandbox.sellingpartnerapi-fe.amazon.com'],
	] as const)('%s %s -> %s', (region, environment, url) => {
		expect(spApiHost(region, environment)).toBe(url);
	});

	it('defaults to production and rejects unknown values', () => {
		expect(spApiHost('eu')).toBe('https://sellingpartnerapi-eu.amazon.com');
		expect(() => spApiHost('xx' as AmazonRegion)).toThrow(/Unknown Amazon region "xx"/);
		expect(() => spApiHost('na', 'staging' as 'sandbox')).toThrow(/Unknown SP-API environment "staging"/);
	});

	it('has the LWA token URL', () => {
		expect(LWA_TOKEN_URL).toBe('https://api.amazon.com/auth/o2/token');
	});
});

describe('sellerCentralOrderUrl', () => {
	it('links to the order page of the right Seller Central', () => {
		expect(sellerCentralOrderUrl('ATVPDKIKX0DER', '123-1234567-1234567')).toBe(
			'https://sellercentral.amazon.com/orders-v3/order/123-1234567-1234567',
		);
		expect(sellerCentralOrderUrl('A1VC38T7YXB528', '503-1234567-1234567')).toBe(
			'https://sellercentral-japan.amazon.com/orders-v3/order/503-1234567-1234567',
		);
		expect(sellerCentralOrderUrl('A1F83G8C2ARO7P', '202-1234567-1234567')).toBe(
			'https://sellercentral.amazon.co.uk/orders-v3/order/202-1234567-1234567',
		);
	});

	it('encodes the order id so it cannot change the path', () => {
		expect(sellerCentralOrderUrl('ATVPDKIKX0DER', '../x?y=1#z')).toBe(
			'https://sellercentral.amazon.com/orders-v3/order/..%2Fx%3Fy%3D1%23z',
		);
	});
});

describe('assertMarketplacesInRegion', () => {
	it('accepts marketplaces of the region, and an empty list', () => {
		expect(() => assertMarketplacesInRegion(['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'], 'na')).not.toThrow();
		expect(() => assertMarketplacesInRegion(['A1PA6795UKMFR9', 'A21TJRUUN4KGV'], 'eu')).not.toThrow();
		expect(() => assertMarketplacesInRegion([], 'fe')).not.toThrow();
	});

	it('names the mismatching marketplace, its region and the fix', () => {
		expect(() => assertMarketplacesInRegion(['ATVPDKIKX0DER', 'A1PA6795UKMFR9'], 'na')).toThrow(
			'Marketplace Germany (A1PA6795UKMFR9) belongs to the Europe region ("eu"), but the Amazon credential uses the ' +
				'North America region ("na"). Use a credential whose Region is Europe, or remove this marketplace.',
		);
		expect(() => assertMarketplacesInRegion(['A1VC38T7YXB528'], 'eu')).toThrow(/Japan \(A1VC38T7YXB528\) belongs to the Far East region/);
	});

	it('rejects unknown ids and regions', () => {
		expect(() => assertMarketplacesInRegion(['NOPE'], 'na')).toThrow(/Unknown Amazon marketplace id "NOPE"/);
		expect(() => assertMarketplacesInRegion(['ATVPDKIKX0DER'], 'north' as AmazonRegion)).toThrow(/Unknown Amazon region/);
	});
});
