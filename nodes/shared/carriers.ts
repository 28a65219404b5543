/**
 * Shopify tracking company -> Amazon `carrierCode` for confirmShipment.
 *
 * Amazon compares carrier codes exactly, case included ("PUROLATOR" is a code, "Purolator" is not:
 * amzn/selling-partner-api-docs#2530). An unknown code files the shipment under "Other", which hurts
 * the seller's Valid Tracking Rate, so we only map to codes found in Amazon's CarrierCode
 * enumeration (amzn-base.xsd, release_4_1, as reproduced by XSD-generated public code) and fall
 * back to "Other" + the carrier's name when unsure.
 */

/** Every Amazon carrier code this module can produce (the sandbox validates against this list). */
export const AMAZON_CARRIER_CODES: readonly string[] = Object.freeze([
	// North America
	'USPS',
	'UPS',
	'UPSMI',
	'FedEx',
	'DHL',
	'DHL eCommerce',
	'DHL Express',
	'OnTrac',
	'Lasership',
	'Canada Post',
	'Canpar',
	'PUROLATOR',
	'Estes',
	'Old Dominion',
	'Pilot Freight',
	'R+L',
	'XPO',
	'Amazon Shipping',
	'AMZL',
	// United Kingdom and Ireland
	'Royal Mail',
	'Parcelforce',
	'Hermes UK',
	'Yodel',
	'DPD Local',
	'AMZL_UK',
	'APC',
	'DX',
	'Whistl',
	'Tuffnells',
	'Fastway',
	// Continental Europe
	'DPD',
	'GLS',
	'GO!',
	'Hermes Logistik Gruppe',
	'Deutsche Post',
	'Heppner',
	'TNT',
	'Chronopost',
	'Colissimo',
	'Colis Prive',
	'La Poste',
	'Mondial Relay',
	'Poste Italiane',
	'SDA',
	'BRT',
	'Correos',
	'Correos Express',
	'Seur',
	'CTTExpress',
	'PostNL',
	'BPOST',
	'PostNord',
	'InPost',
	'Swiss post',
	'AT POST',
	'Asendia',
	'Aras Kargo',
	'PTT Kargo',
	// Latin America
	'Correios',
	// India
	'India Post',
	'Delhivery',
	'BlueDart',
	'DTDC',
	'Ecom Express',
	'Xpressbees',
	'Gati',
	'The Professional Couriers',
	// Japan: the upper-case codes are the ones Amazon JP lists for these carriers.
	'YAMATO',
	'SAGAWA',
	'Japan Post',
	'NITTSU',
	'Seino',
	// Asia-Pacific
	'Australia Post',
	'StarTrack-ArticleID',
	'Couriers Please',
	'Sendle',
	'Toll Global Express',
	'Aramex',
	'Singapore Post',
	'Ninjavan',
	'Qxpress',
	'China Post',
	'SF Express',
	'SFC',
	'Yun Express',
	'4PX',
	'Chukou1',
	'WanbExpress',
	// Anything else: carrierName must then be sent too.
	'Other',
]);

export const OTHER_CARRIER_CODE = 'Other';

/**
 * Shopify `FulfillmentTrackingInfo.company` names (Admin API 2026-10, global and per-country lists)
 * -> Amazon code. Names Shopify lists that Amazon has no code for are left out on purpose: they
 * become "Other" with the name, which is what Amazon asks for.
 */
export const SHOPIFY_CARRIER_TO_AMAZON: Readonly<Record<string, string>> = Object.freeze({
	'4PX': '4PX',
	// Shopify's "Amazon" is Amazon's own delivery network; "Amazon Shipping" is its carrier code.
	Amazon: 'Amazon Shipping',
	'Amazon Logistics UK': 'AMZL_UK',
	Swiship: 'AMZL',
	APC: 'APC',
	'Aramex Australia': 'Aramex',
	'Aras Kargo': 'Aras Kargo',
	'Asendia USA': 'Asendia',
	'Australia Post': 'Australia Post',
	Bluedart: 'BlueDart',
	BPost: 'BPOST',
	'BPost International': 'BPOST',
	BRT: 'BRT',
	'Canada Post': 'Canada Post',
	Canpar: 'Canpar',
	'China Post': 'China Post',
	Chronopost: 'Chronopost',
	Chukou1: 'Chukou1',
	'Colis Privé': 'Colis Prive',
	Colissimo: 'Colissimo',
	'La Poste Colissimo': 'Colissimo',
	Correios: 'Correios',
	Correos: 'Correos',
	'Couriers Please': 'Couriers Please',
	'CTT Express': 'CTTExpress',
	Delhivery: 'Delhivery',
	'Deutsche Post': 'Deutsche Post',
	'Deutsche Post (DE)': 'Deutsche Post',
	'Deutsche Post (EN)': 'Deutsche Post',
	DHL: 'DHL',
	'DHL Parcel': 'DHL',
	'DHL eCommerce': 'DHL eCommerce',
	'DHL eCommerce Asia': 'DHL eCommerce',
	'DHL Express': 'DHL Express',
	DPD: 'DPD',
	'DPD UK': 'DPD',
	'DPD Ireland': 'DPD',
	'DPD Local': 'DPD Local',
	DTDC: 'DTDC',
	DX: 'DX',
	'Ecom Express': 'Ecom Express',
	Estes: 'Estes',
	// Evri is Hermes UK renamed (2022). Amazon's enumeration has "Hermes UK" and no "Evri" value;
	// plain "Hermes" would be ambiguous with Hermes Germany.
	Evri: 'Hermes UK',
	Fastway: 'Fastway',
	FedEx: 'FedEx',
	'Gati KWE': 'Gati',
	GLS: 'GLS',
	'GLS Italy': 'GLS',
	'Heppner Internationale Spedition GmbH & Co.': 'Heppner',
	// Shopify lists "Hermes" for shops in Germany: that is Hermes Germany.
	Hermes: 'Hermes Logistik Gruppe',
	'India Post': 'India Post',
	Inpost: 'InPost',
	'Japan Post (EN)': 'Japan Post',
	'Japan Post (JA)': 'Japan Post',
	Lasership: 'Lasership',
	'Mondial Relay': 'Mondial Relay',
	NinjaVan: 'Ninjavan',
	'Old Dominion': 'Old Dominion',
	OnTrac: 'OnTrac',
	Parcelforce: 'Parcelforce',
	'Pilot Freight': 'Pilot Freight',
	'Portal PostNord': 'PostNord',
	'Poste Italiane': 'Poste Italiane',
	PostNL: 'PostNL',
	'PostNord DK': 'PostNord',
	'PostNord NO': 'PostNord',
	'PostNord SE': 'PostNord',
	'Professional Couriers': 'The Professional Couriers',
	PTT: 'PTT Kargo',
	Purolator: 'PUROLATOR',
	Qxpress: 'Qxpress',
	'R+L Carriers': 'R+L',
	'Royal Mail': 'Royal Mail',
	'Sagawa (EN)': 'SAGAWA',
	'Sagawa (JA)': 'SAGAWA',
	Sendle: 'Sendle',
	SEUR: 'Seur',
	'SF Express': 'SF Express',
	'SFC Fulfillment': 'SFC',
	'Singapore Post': 'Singapore Post',
	// Amazon splits StarTrack by number type; a per-parcel tracking number is an article id.
	StarTrack: 'StarTrack-ArticleID',
	'Swiss Post': 'Swiss post',
	TNT: 'TNT',
	'TNT Australia': 'TNT',
	// Toll IPEC is a Toll Global Express business.
	'Toll IPEC': 'Toll Global Express',
	Tuffnells: 'Tuffnells',
	UPS: 'UPS',
	USPS: 'USPS',
	WanbExpress: 'WanbExpress',
	Whistl: 'Whistl',
	'XPO Logistics': 'XPO',
	XpressBees: 'Xpressbees',
	'Yamato (EN)': 'YAMATO',
	'Yamato (JA)': 'YAMATO',
	Yodel: 'Yodel',
	YunExpress: 'Yun Express',
	'Österreichische Post': 'AT POST',
	西濃運輸: 'Seino',
	日本通運: 'NITTSU',
});

/** Case-, width- and whitespace-insensitive key: " dhl   EXPRESS " and "DHL Express" match. */
export function normaliseCarrierName(name: string): string {
	return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function indexByNormalisedKey(entries: ReadonlyArray<readonly [string, string]>): Map<string, string> {
	const index = new Map<string, string>();
	for (const [key, value] of entries) index.set(normaliseCarrierName(key), value);
	return index;
}

const BUILT_IN = indexByNormalisedKey(Object.entries(SHOPIFY_CARRIER_TO_AMAZON));
// Names that already are Amazon codes ("Hermes UK", "YAMATO") map to themselves.
const AMAZON_CODES_BY_KEY = indexByNormalisedKey(AMAZON_CARRIER_CODES.map((code) => [code, code] as const));

export interface CarrierMapping {
	carrierCode: string;
	/** Only set with carrierCode "Other": Amazon then requires the carrier's name. */
	carrierName?: string;
	/** True when a table (the merchant's or ours) named the code; false when we fell back to "Other". */
	mapped: boolean;
}

function otherCarrier(name: string | undefined): CarrierMapping {
	return { carrierCode: OTHER_CARRIER_CODE, carrierName: name, mapped: false };
}

/**
 * Maps a Shopify tracking company to Amazon's carrier code. Looks in the merchant's table first,
 * then ours, then Amazon's code list, all case- and whitespace-insensitive. A merchant value that
 * matches a known code is written in Amazon's spelling; other merchant values are trusted as-is
 * (Amazon adds codes faster than we do). A merchant mapping to "Other" keeps the company as name.
 * Unknown -> { carrierCode: 'Other', carrierName: company, mapped: false }; an empty company ->
 * 'Other' without a name, so the caller decides whether that is acceptable.
 */
export function mapCarrier(
	shopifyCompany: string | undefined | null,
	userTable?: Readonly<Record<string, string>>,
): CarrierMapping {
	const company = typeof shopifyCompany === 'string' ? shopifyCompany.trim() : '';
	if (company === '') return otherCarrier(undefined);
	const key = normaliseCarrierName(company);

	if (userTable) {
		for (const [userKey, userValue] of Object.entries(userTable)) {
			if (normaliseCarrierName(userKey) !== key || typeof userValue !== 'string') continue;
			const value = userValue.trim();
			if (value === '') continue;
			const carrierCode = AMAZON_CODES_BY_KEY.get(normaliseCarrierName(value)) ?? value;
			return carrierCode === OTHER_CARRIER_CODE
				? { carrierCode, carrierName: company, mapped: true }
				: { carrierCode, mapped: true };
		}
	}

	const carrierCode = BUILT_IN.get(key) ?? AMAZON_CODES_BY_KEY.get(key);
	if (carrierCode === undefined || carrierCode === OTHER_CARRIER_CODE) return otherCarrier(company);
	return { carrierCode, mapped: true };
}

/**
 * Carriers for which we confirm a shipment without a tracking number: none. confirmShipment marks
 * `trackingNumber` as required, and untracked shipments count against the seller's Valid Tracking
 * Rate (>= 95% required), so no carrier is exempt by default. The only way to ship without one is
 * the merchant explicitly allowing it (see `isTrackingNumberRequired`).
 */
export const carriersAcceptingMissingTracking: readonly string[] = Object.freeze([]);

/** Whether a confirmation for `carrierCode` needs a tracking number under the merchant's setting. */
export function isTrackingNumberRequired(
	carrierCode: string,
	options: { merchantAllowsMissingTracking?: boolean } = {},
): boolean {
	if (options.merchantAllowsMissingTracking === true) return false;
	return !carriersAcceptingMissingTracking.includes(carrierCode);
}
