import {
	AMAZON_CARRIER_CODES,
	carriersAcceptingMissingTracking,
	isTrackingNumberRequired,
	mapCarrier,
	normaliseCarrierName,
	OTHER_CARRIER_CODE,
	SHOPIFY_CARRIER_TO_AMAZON,
} from '../../nodes/shared/carriers';

describe('AMAZON_CARRIER_CODES', () => {
	it('is a frozen list without duplicates, even ignoring case', () => {
		expect(Object.isFrozen(AMAZON_CARRIER_CODES)).toBe(true);
		const keys = AMAZON_CARRIER_CODES.map(normaliseCarrierName);
		expect(new Set(keys).size).toBe(AMAZON_CARRIER_CODES.length);
	});

	it('contains Other and the major carriers in Amazon spelling', () => {
		for (const code of ['Other', 'USPS', 'UPS', 'UPSMI', 'FedEx', 'DHL', 'Royal Mail', 'GO!', 'Hermes Logistik Gruppe', 'PUROLATOR']) {
			expect(AMAZON_CARRIER_CODES).toContain(code);
		}
		expect(OTHER_CARRIER_CODE).toBe('Other');
	});

	it('has no surrounding or repeated whitespace in any code', () => {
		for (const code of AMAZON_CARRIER_CODES) expect(code).toBe(code.trim().replace(/\s+/g, ' '));
	});
});

describe('built-in Shopify table', () => {
	it('only maps to codes in AMAZON_CARRIER_CODES', () => {
		for (const [company, code] of Object.entries(SHOPIFY_CARRIER_TO_AMAZON)) {
			expect([company, AMAZON_CARRIER_CODES.includes(code)]).toEqual([company, true]);
		}
	});

	it('has no two Shopify names that collide once normalised', () => {
		const keys = Object.keys(SHOPIFY_CARRIER_TO_AMAZON).map(normaliseCarrierName);
		expect(new Set(keys).size).toBe(keys.length);
	});
});

describe('mapCarrier', () => {
	it.each([
		['UPS', 'UPS'],
		['USPS', 'USPS'],
		['FedEx', 'FedEx'],
		['DHL Express', 'DHL Express'],
		['DHL eCommerce', 'DHL eCommerce'],
		['DHL eCommerce Asia', 'DHL eCommerce'],
		['DHL', 'DHL'],
		['Amazon', 'Amazon Shipping'],
		['Amazon Logistics UK', 'AMZL_UK'],
		['Royal Mail', 'Royal Mail'],
		['Parcelforce', 'Parcelforce'],
		['Evri', 'Hermes UK'],
		['Hermes', 'Hermes Logistik Gruppe'],
		['Yodel', 'Yodel'],
		['DPD UK', 'DPD'],
		['DPD Local', 'DPD Local'],
		['Canada Post', 'Canada Post'],
		['Canpar', 'Canpar'],
		['Purolator', 'PUROLATOR'],
		['Australia Post', 'Australia Post'],
		['StarTrack', 'StarTrack-ArticleID'],
		['Couriers Please', 'Couriers Please'],
		['Sendle', 'Sendle'],
		['Aramex Australia', 'Aramex'],
		['Toll IPEC', 'Toll Global Express'],
		['Japan Post (EN)', 'Japan Post'],
		['Japan Post (JA)', 'Japan Post'],
		['Yamato (JA)', 'YAMATO'],
		['Sagawa (EN)', 'SAGAWA'],
		['西濃運輸', 'Seino'],
		['Deutsche Post (DE)', 'Deutsche Post'],
		['La Poste Colissimo', 'Colissimo'],
		['Colis Privé', 'Colis Prive'],
		['SEUR', 'Seur'],
		['CTT Express', 'CTTExpress'],
		['BPost International', 'BPOST'],
		['PostNord SE', 'PostNord'],
		['Poste Italiane', 'Poste Italiane'],
		['GLS Italy', 'GLS'],
		['Österreichische Post', 'AT POST'],
		['Swiss Post', 'Swiss post'],
		['India Post', 'India Post'],
		['Bluedart', 'BlueDart'],
		['Professional Couriers', 'The Professional Couriers'],
		['OnTrac', 'OnTrac'],
		['Lasership', 'Lasership'],
		['R+L Carriers', 'R+L'],
		['Singapore Post', 'Singapore Post'],
		['YunExpress', 'Yun Express'],
		['Heppner Internationale Spedition GmbH & Co.', 'Heppner'],
	])('maps Shopify %j to %j', (company, code) => {
		expect(mapCarrier(company)).toEqual({ carrierCode: code, mapped: true });
	});

	it.each([
		['  fedex ', 'FedEx'],
		['FEDEX', 'FedEx'],
		['dhl   express', 'DHL Express'],
		['royal\tmail', 'Royal Mail'],
		['Royal\u00a0Mail', 'Royal Mail'],
		['ＵＰＳ', 'UPS'],
		['japan post (en)', 'Japan Post'],
		['EVRI', 'Hermes UK'],
	])('ignores case, width and spacing: %j -> %j', (company, code) => {
		expect(mapCarrier(company)).toEqual({ carrierCode: code, mapped: true });
	});

	it.each([
		['Hermes UK', 'Hermes UK'],
		['yamato', 'YAMATO'],
		['PUROLATOR', 'PUROLATOR'],
		['ups mi', undefined],
		['upsmi', 'UPSMI'],
		['go!', 'GO!'],
		['hermes logistik gruppe', 'Hermes Logistik Gruppe'],
	])('accepts Amazon codes typed as the company: %j', (company, code) => {
		if (code === undefined) expect(mapCarrier(company).mapped).toBe(false);
		else expect(mapCarrier(company)).toEqual({ carrierCode: code, mapped: true });
	});

	it('falls back to Other with the trimmed original name', () => {
		expect(mapCarrier('  Joe’s Bike Courier  ')).toEqual({
			carrierCode: 'Other',
			carrierName: 'Joe’s Bike Courier',
			mapped: false,
		});
		expect(mapCarrier('Israel Post')).toEqual({ carrierCode: 'Other', carrierName: 'Israel Post', mapped: false });
		expect(mapCarrier('Other')).toEqual({ carrierCode: 'Other', carrierName: 'Other', mapped: false });
	});

	it.each([undefined, null, '', '   ', '\n\t'])('returns Other without a name for an empty company (%j)', (company) => {
		expect(mapCarrier(company)).toEqual({ carrierCode: 'Other', carrierName: undefined, mapped: false });
	});

	describe('merchant table', () => {
		it('wins over the built-in table, with insensitive keys', () => {
			expect(mapCarrier('Evri', { ' EVRI ': 'Hermes' })).toEqual({ carrierCode: 'Hermes', mapped: true });
			expect(mapCarrier('fedex', { FedEx: 'FedEx SmartPost' })).toEqual({ carrierCode: 'FedEx SmartPost', mapped: true });
		});

		it('maps unknown companies', () => {
			expect(mapCarrier('My Local Courier', { 'my  local courier': 'DPD' })).toEqual({ carrierCode: 'DPD', mapped: true });
		});

		it('writes known codes in Amazon spelling and trims values', () => {
			expect(mapCarrier('Acme', { acme: '  ups ' })).toEqual({ carrierCode: 'UPS', mapped: true });
			expect(mapCarrier('Acme', { acme: 'purolator' })).toEqual({ carrierCode: 'PUROLATOR', mapped: true });
		});

		it('keeps the company as carrier name when the merchant maps to Other', () => {
			expect(mapCarrier(' Acme Freight ', { 'acme freight': 'other' })).toEqual({
				carrierCode: 'Other',
				carrierName: 'Acme Freight',
				mapped: true,
			});
		});

		it('ignores empty values and falls through to the built-in table', () => {
			expect(mapCarrier('UPS', { UPS: '  ' })).toEqual({ carrierCode: 'UPS', mapped: true });
			expect(mapCarrier('UPS', {})).toEqual({ carrierCode: 'UPS', mapped: true });
			expect(mapCarrier('Nobody', { Somebody: 'DHL' })).toEqual({
				carrierCode: 'Other',
				carrierName: 'Nobody',
				mapped: false,
			});
		});

		it('does not apply to an empty company', () => {
			expect(mapCarrier('', { '': 'UPS' })).toEqual({ carrierCode: 'Other', carrierName: undefined, mapped: false });
		});
	});
});

describe('missing tracking numbers', () => {
	it('exempts no carrier by default', () => {
		expect(carriersAcceptingMissingTracking).toEqual([]);
		expect(Object.isFrozen(carriersAcceptingMissingTracking)).toBe(true);
		for (const code of AMAZON_CARRIER_CODES) expect(isTrackingNumberRequired(code)).toBe(true);
	});

	it('lets the merchant allow it explicitly', () => {
		expect(isTrackingNumberRequired('Royal Mail', { merchantAllowsMissingTracking: true })).toBe(false);
		expect(isTrackingNumberRequired('Royal Mail', { merchantAllowsMissingTracking: false })).toBe(true);
	});
});
