// @ts-check
'use strict';

/**
 * Amazon marketplaces (amazon.md §1.4). `participating` = the sandbox seller sells there
 * (returned by getMarketplaceParticipations and accepted by searchOrders / createFeed).
 *
 * @typedef {{ id: string, country: string, region: 'na'|'eu'|'fe', currency: string, name: string,
 *   domain: string, language: string, participating: boolean }} Marketplace
 */

/** @type {Marketplace[]} */
const MARKETPLACES = [
	{ id: 'ATVPDKIKX0DER', country: 'US', region: 'na', currency: 'USD', name: 'Amazon.com', domain: 'www.amazon.com', language: 'en_US', participating: true },
	{ id: 'A2EUQ1WTGCTBG2', country: 'CA', region: 'na', currency: 'CAD', name: 'Amazon.ca', domain: 'www.amazon.ca', language: 'en_CA', participating: true },
	{ id: 'A1AM78C64UM0Y8', country: 'MX', region: 'na', currency: 'MXN', name: 'Amazon.com.mx', domain: 'www.amazon.com.mx', language: 'es_MX', participating: false },
	{ id: 'A2Q3Y263D00KWC', country: 'BR', region: 'na', currency: 'BRL', name: 'Amazon.com.br', domain: 'www.amazon.com.br', language: 'pt_BR', participating: false },
	{ id: 'A1F83G8C2ARO7P', country: 'GB', region: 'eu', currency: 'GBP', name: 'Amazon.co.uk', domain: 'www.amazon.co.uk', language: 'en_GB', participating: true },
	{ id: 'A1PA6795UKMFR9', country: 'DE', region: 'eu', currency: 'EUR', name: 'Amazon.de', domain: 'www.amazon.de', language: 'de_DE', participating: true },
	{ id: 'A13V1IB3VIYZZH', country: 'FR', region: 'eu', currency: 'EUR', name: 'Amazon.fr', domain: 'www.amazon.fr', language: 'fr_FR', participating: false },
	{ id: 'APJ6JRA9NG5V4', country: 'IT', region: 'eu', currency: 'EUR', name: 'Amazon.it', domain: 'www.amazon.it', language: 'it_IT', participating: false },
	{ id: 'A1RKKUPIHCS9HS', country: 'ES', region: 'eu', currency: 'EUR', name: 'Amazon.es', domain: 'www.amazon.es', language: 'es_ES', participating: false },
	{ id: 'A1805IZSGTT6HS', country: 'NL', region: 'eu', currency: 'EUR', name: 'Amazon.nl', domain: 'www.amazon.nl', language: 'nl_NL', participating: false },
	{ id: 'A2NODRKZP88ZB9', country: 'SE', region: 'eu', currency: 'SEK', name: 'Amazon.se', domain: 'www.amazon.se', language: 'sv_SE', participating: false },
	{ id: 'A1C3SOZRARQ6R3', country: 'PL', region: 'eu', currency: 'PLN', name: 'Amazon.pl', domain: 'www.amazon.pl', language: 'pl_PL', participating: false },
	{ id: 'AMEN7PMS3EDWL', country: 'BE', region: 'eu', currency: 'EUR', name: 'Amazon.com.be', domain: 'www.amazon.com.be', language: 'fr_BE', participating: false },
	{ id: 'A28R8C7NBKEWEA', country: 'IE', region: 'eu', currency: 'EUR', name: 'Amazon.ie', domain: 'www.amazon.ie', language: 'en_IE', participating: false },
	{ id: 'A33AVAJ2PDY3EV', country: 'TR', region: 'eu', currency: 'TRY', name: 'Amazon.com.tr', domain: 'www.amazon.com.tr', language: 'tr_TR', participating: false },
	{ id: 'A21TJRUUN4KGV', country: 'IN', region: 'eu', currency: 'INR', name: 'Amazon.in', domain: 'www.amazon.in', language: 'en_IN', participating: false },
	{ id: 'A2VIGQ35RCS4UG', country: 'AE', region: 'eu', currency: 'AED', name: 'Amazon.ae', domain: 'www.amazon.ae', language: 'en_AE', participating: false },
	{ id: 'A17E79C6D8DWNP', country: 'SA', region: 'eu', currency: 'SAR', name: 'Amazon.sa', domain: 'www.amazon.sa', language: 'ar_AE', participating: false },
	{ id: 'ARBP9OOSHTCHU', country: 'EG', region: 'eu', currency: 'EGP', name: 'Amazon.eg', domain: 'www.amazon.eg', language: 'ar_AE', participating: false },
	{ id: 'AE08WJ6YKNBMC', country: 'ZA', region: 'eu', currency: 'ZAR', name: 'Amazon.co.za', domain: 'www.amazon.co.za', language: 'en_ZA', participating: false },
	{ id: 'A1VC38T7YXB528', country: 'JP', region: 'fe', currency: 'JPY', name: 'Amazon.co.jp', domain: 'www.amazon.co.jp', language: 'ja_JP', participating: true },
	{ id: 'A39IBJ37TRP1C6', country: 'AU', region: 'fe', currency: 'AUD', name: 'Amazon.com.au', domain: 'www.amazon.com.au', language: 'en_AU', participating: false },
	{ id: 'A19VAU5U5O7RUS', country: 'SG', region: 'fe', currency: 'SGD', name: 'Amazon.sg', domain: 'www.amazon.sg', language: 'en_SG', participating: false },
];

/** @type {Map<string, Marketplace>} */
const BY_ID = new Map(MARKETPLACES.map((m) => [m.id, m]));
/** Short keys used by seed.js and compact order specs. */
const BY_KEY = /** @type {Record<string, Marketplace>} */ ({
	US: /** @type {Marketplace} */ (BY_ID.get('ATVPDKIKX0DER')),
	CA: /** @type {Marketplace} */ (BY_ID.get('A2EUQ1WTGCTBG2')),
	UK: /** @type {Marketplace} */ (BY_ID.get('A1F83G8C2ARO7P')),
	GB: /** @type {Marketplace} */ (BY_ID.get('A1F83G8C2ARO7P')),
	DE: /** @type {Marketplace} */ (BY_ID.get('A1PA6795UKMFR9')),
	JP: /** @type {Marketplace} */ (BY_ID.get('A1VC38T7YXB528')),
});

/** @param {string} id */
const marketplaceById = (id) => BY_ID.get(id);

module.exports = { MARKETPLACES, marketplaceById, MARKETPLACE_BY_KEY: BY_KEY };
