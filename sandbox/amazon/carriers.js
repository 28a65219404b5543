// @ts-check
'use strict';

/**
 * Amazon carrier codes accepted by confirmShipment `packageDetail.carrierCode` and by the
 * OrderFulfillment feed `CarrierCode` (CarrierCode enumeration of amzn-base.xsd, amazon.md §3.6).
 *
 * MUST MATCH `AMAZON_CARRIER_CODES` in nodes/shared/carriers.ts (copied from there; JS cannot
 * import the TypeScript module without compiling). test/sandbox/amazon-shipment.test.ts fails when
 * the two lists drift apart.
 * Matching is exact (case-sensitive), like Amazon's enumeration. `Other` requires `carrierName`.
 */
const AMAZON_CARRIER_CODES = Object.freeze([
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

const CARRIER_SET = new Set(AMAZON_CARRIER_CODES);

/**
 * @param {string} code
 * @returns {{ ok: true } | { ok: false, message: string }}
 */
function checkCarrierCode(code) {
	if (CARRIER_SET.has(code)) return { ok: true };
	const ci = AMAZON_CARRIER_CODES.find((c) => c.toLowerCase() === String(code).toLowerCase());
	return {
		ok: false,
		message: ci
			? `carrierCode "${code}" is not a valid Amazon carrier code (codes are case-sensitive: did you mean "${ci}"?)`
			: `carrierCode "${code}" is not a valid Amazon carrier code; use one of the CarrierCode values or "Other" with carrierName`,
	};
}

module.exports = { AMAZON_CARRIER_CODES, checkCarrierCode };
