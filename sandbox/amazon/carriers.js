// @ts-check
'use strict';

/**
 * Amazon carrier codes accepted by confirmShipment `packageDetail.carrierCode` and by the
 * OrderFulfillment feed `CarrierCode` (CarrierCode enumeration of amzn-base.xsd, amazon.md §3.6).
 *
 * MUST MATCH `AMAZON_CARRIER_CODES` in nodes/shared/carriers.ts (the node maps Shopify tracking
 * companies to these values; a code missing here makes the sandbox reject what the node sends).
 * Matching is exact (case-sensitive), like Amazon's enumeration. `Other` requires `carrierName`.
 */
const AMAZON_CARRIER_CODES = Object.freeze([
	'4PX',
	'A-1',
	'AAA Cooper',
	'ABF',
	'Amazon Shipping',
	'Aramex',
	'Asendia',
	'Australia Post',
	'BRT',
	'Blue Package',
	'Bluedart',
	'Canada Post',
	'Canpar',
	'CDL',
	'CEVA',
	'China Post',
	'Chronopost',
	'City Link',
	'Colissimo',
	'Conway',
	'Correios',
	'Correos',
	'Couriers Please',
	'DHL',
	'DHL eCommerce',
	'DHL Global Mail',
	'DHL-Paket',
	'DPD',
	'DTDC',
	'Delhivery',
	'Deutsche Post',
	'Dicom',
	'Ecom Express',
	'Estes',
	'Fastway',
	'FedEx',
	'FedEx Freight',
	'FedEx SmartPost',
	'First Flight',
	'GLS',
	'GO!',
	'Hermes',
	'Hermes Logistik Gruppe',
	'India Post',
	'JP EXPRESS',
	'Japan Post',
	'La Poste',
	'Lasership',
	'Loomis',
	'Nationex',
	'Newgistics',
	'Ninja Van',
	'Nippon Express',
	'OnTrac',
	'OSM',
	'Overnite Express',
	'Parcelforce',
	'Poste Italiane',
	'PostNL',
	'Purolator',
	'R+L',
	'Royal Mail',
	'SAGAWA',
	'SDA',
	'SEUR',
	'SF Express',
	'Seino',
	'Singapore Post',
	'Smartmail',
	'StarTrack',
	'Streamlite',
	'TNT',
	'Toll',
	'UPS',
	'UPS Freight',
	'UPS Mail Innovations',
	'UPSMI',
	'USPS',
	'YAMATO',
	'Yamato Transport',
	'Yodel',
	'Yun Express',
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
