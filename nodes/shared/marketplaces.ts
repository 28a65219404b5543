/**
 * Amazon marketplaces: id -> country, currency, SP-API region and Seller Central host.
 * Source: https://developer-docs.amazon.com/sp-api/docs/marketplace-ids and sp-api-endpoints.
 */

export type AmazonRegion = 'na' | 'eu' | 'fe';
export type SpApiEnvironment = 'production' | 'sandbox';

export interface Marketplace {
	id: string;
	/** Amazon's country code: "UK" for the United Kingdom, as in the marketplace-ids table and our tags. */
	countryCode: string;
	/** ISO 3166-1 alpha-2 code, as Shopify addresses use it ("GB" for the United Kingdom). */
	isoCountryCode: string;
	name: string;
	region: AmazonRegion;
	/** Currency the marketplace sells in (ISO 4217). */
	currency: string;
	sellerCentralHost: string;
}

export const REGION_NAMES: Readonly<Record<AmazonRegion, string>> = {
	na: 'North America',
	eu: 'Europe',
	fe: 'Far East',
};

function marketplace(
	id: string,
	countryCode: string,
	name: string,
	region: AmazonRegion,
	currency: string,
	sellerCentralHost: string,
	isoCountryCode = countryCode,
): Readonly<Marketplace> {
	return Object.freeze({ id, countryCode, isoCountryCode, name, region, currency, sellerCentralHost });
}

export const MARKETPLACES: ReadonlyArray<Readonly<Marketplace>> = Object.freeze([
	marketplace('ATVPDKIKX0DER', 'US', 'United States', 'na', 'USD', 'sellercentral.amazon.com'),
	marketplace('A2EUQ1WTGCTBG2', 'CA', 'Canada', 'na', 'CAD', 'sellercentral.amazon.ca'),
	marketplace('A1AM78C64UM0Y8', 'MX', 'Mexico', 'na', 'MXN', 'sellercentral.amazon.com.mx'),
	marketplace('A2Q3Y263D00KWC', 'BR', 'Brazil', 'na', 'BRL', 'sellercentral.amazon.com.br'),
	marketplace('A1F83G8C2ARO7P', 'UK', 'United Kingdom', 'eu', 'GBP', 'sellercentral.amazon.co.uk', 'GB'),
	marketplace('A1PA6795UKMFR9', 'DE', 'Germany', 'eu', 'EUR', 'sellercentral.amazon.de'),
	marketplace('A13V1IB3VIYZZH', 'FR', 'France', 'eu', 'EUR', 'sellercentral.amazon.fr'),
	marketplace('APJ6JRA9NG5V4', 'IT', 'Italy', 'eu', 'EUR', 'sellercentral.amazon.it'),
	marketplace('A1RKKUPIHCS9HS', 'ES', 'Spain', 'eu', 'EUR', 'sellercentral.amazon.es'),
	marketplace('A1805IZSGTT6HS', 'NL', 'Netherlands', 'eu', 'EUR', 'sellercentral.amazon.nl'),
	marketplace('AMEN7PMS3EDWL', 'BE', 'Belgium', 'eu', 'EUR', 'sellercentral.amazon.com.be'),
	marketplace('A28R8C7NBKEWEA', 'IE', 'Ireland', 'eu', 'EUR', 'sellercentral.amazon.ie'),
	marketplace('A2NODRKZP88ZB9', 'SE', 'Sweden', 'eu', 'SEK', 'sellercentral.amazon.se'),
	marketplace('A1C3SOZRARQ6R3', 'PL', 'Poland', 'eu', 'PLN', 'sellercentral.amazon.pl'),
	marketplace('A33AVAJ2PDY3EV', 'TR', 'Turkey', 'eu', 'TRY', 'sellercentral.amazon.com.tr'),
	marketplace('A2VIGQ35RCS4UG', 'AE', 'United Arab Emirates', 'eu', 'AED', 'sellercentral.amazon.ae'),
	marketplace('A17E79C6D8DWNP', 'SA', 'Saudi Arabia', 'eu', 'SAR', 'sellercentral.amazon.sa'),
	marketplace('ARBP9OOSHTCHU', 'EG', 'Egypt', 'eu', 'EGP', 'sellercentral.amazon.eg'),
	marketplace('A21TJRUUN4KGV', 'IN', 'India', 'eu', 'INR', 'sellercentral.amazon.in'),
	marketplace('AE08WJ6YKNBMC', 'ZA', 'South Africa', 'eu', 'ZAR', 'sellercentral.amazon.co.za'),
	marketplace('A1VC38T7YXB528', 'JP', 'Japan', 'fe', 'JPY', 'sellercentral-japan.amazon.com'),
	marketplace('A39IBJ37TRP1C6', 'AU', 'Australia', 'fe', 'AUD', 'sellercentral.amazon.com.au'),
	marketplace('A19VAU5U5O7RUS', 'SG', 'Singapore', 'fe', 'SGD', 'sellercentral.amazon.sg'),
]);

const BY_ID: ReadonlyMap<string, Readonly<Marketplace>> = new Map(MARKETPLACES.map((m) => [m.id, m]));

/** The marketplace a new credential starts with in each region. */
const DEFAULT_MARKETPLACE_IDS: Readonly<Record<AmazonRegion, string>> = {
	na: 'ATVPDKIKX0DER',
	eu: 'A1F83G8C2ARO7P',
	fe: 'A1VC38T7YXB528',
};

/** Login with Amazon token endpoint; the same host serves every region. */
export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

export function isAmazonRegion(value: unknown): value is AmazonRegion {
	return value === 'na' || value === 'eu' || value === 'fe';
}

function assertRegion(region: unknown): asserts region is AmazonRegion {
	if (!isAmazonRegion(region)) {
		throw new Error(
			`Unknown Amazon region ${JSON.stringify(region)}: use "na" (North America), "eu" (Europe) or "fe" (Far East)`,
		);
	}
}

/** The marketplace with this id, or undefined. */
export function findMarketplace(marketplaceId: string): Readonly<Marketplace> | undefined {
	return BY_ID.get(marketplaceId);
}

export function isKnownMarketplaceId(marketplaceId: unknown): marketplaceId is string {
	return typeof marketplaceId === 'string' && BY_ID.has(marketplaceId);
}

/** The marketplace with this exact id; throws a clear error if it is unknown. */
export function marketplaceById(marketplaceId: string): Readonly<Marketplace> {
	const found = typeof marketplaceId === 'string' ? BY_ID.get(marketplaceId) : undefined;
	if (found === undefined) {
		throw new Error(
			`Unknown Amazon marketplace id ${JSON.stringify(marketplaceId)}: expected an id such as ATVPDKIKX0DER (United States) from https://developer-docs.amazon.com/sp-api/docs/marketplace-ids`,
		);
	}
	return found;
}

export function regionOf(marketplaceId: string): AmazonRegion {
	return marketplaceById(marketplaceId).region;
}

export function marketplacesForRegion(region: AmazonRegion): ReadonlyArray<Readonly<Marketplace>> {
	assertRegion(region);
	return MARKETPLACES.filter((m) => m.region === region);
}

/** Marketplace ids preselected for a region: US for na, UK for eu, JP for fe. */
export function defaultMarketplaceIdsForRegion(region: AmazonRegion): string[] {
	assertRegion(region);
	return [DEFAULT_MARKETPLACE_IDS[region]];
}

/** SP-API base URL (no trailing slash) for a region and environment. */
export function spApiHost(region: AmazonRegion, environment: SpApiEnvironment = 'production'): string {
	assertRegion(region);
	if (environment !== 'production' && environment !== 'sandbox') {
		throw new Error(
			`Unknown SP-API environment ${JSON.stringify(environment)}: use "production" or "sandbox"`,
		);
	}
	const prefix = environment === 'sandbox' ? 'sandbox.' : '';
	return `https://${prefix}sellingpartnerapi-${region}.amazon.com`;
}

/** Link to the order page in the marketplace's Seller Central, for messages and Shopify notes. */
export function sellerCentralOrderUrl(marketplaceId: string, orderId: string): string {
	const { sellerCentralHost } = marketplaceById(marketplaceId);
	return `https://${sellerCentralHost}/orders-v3/order/${encodeURIComponent(orderId)}`;
}

/**
 * Throws if any marketplace is not served by the credential's region: SP-API answers such calls
 * with a confusing 400/403, so we name the culprit and the fix instead.
 */
export function assertMarketplacesInRegion(marketplaceIds: readonly string[], region: AmazonRegion): void {
	assertRegion(region);
	for (const id of marketplaceIds) {
		const found = marketplaceById(id);
		if (found.region !== region) {
			throw new Error(
				`Marketplace ${found.name} (${found.id}) belongs to the ${REGION_NAMES[found.region]} region ` +
					`("${found.region}"), but the Amazon credential uses the ${REGION_NAMES[region]} region ("${region}"). ` +
					`Use a credential whose Region is ${REGION_NAMES[found.region]}, or remove this marketplace.`,
			);
		}
	}
}
