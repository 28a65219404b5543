// @ts-check
'use strict';

/**
 * Deterministic test data for BOTH sandboxes.
 *
 *  - `PRODUCTS`: the Amazon listings (sku, asin, title, price per currency in minor units).
 *  - `catalogue`: the part of it that also exists in the Shopify store, as
 *    `{ sku, title, price, currency }` (USD, decimal string) — what `shopify.control.seedProducts`
 *    takes. About a quarter of the Amazon SKUs are deliberately NOT in it.
 *  - `buildOrder(spec, opts)`: a complete, internally consistent Orders v2026-01-01 `Order` from a
 *    compact spec (see `OrderSpec`). Totals are integers in minor units, formatted at the end.
 *  - `generateOrders(n, opts)`: n realistic orders across US/CA/UK/DE/JP from a seed.
 *  - `generateDataset({ seed, orders })`: `{ orders, catalogue }`.
 *
 * Money rules (what the Amazon sandbox checks on seeding, and what nodes can rely on):
 *  - every item: proceedsTotal = ITEM + SHIPPING + GIFT_WRAP + TAX + DISCOUNT (DISCOUNT <= 0);
 *  - order: grandTotal = sum of item proceedsTotal; order breakdowns = sums over items;
 *  - TAX and DISCOUNT carry detailedBreakdowns (subtypes ITEM / SHIPPING / GIFT_WRAP) that add up;
 *  - US/CA prices exclude tax: ITEM = unitPrice x quantity, TAX is added on top;
 *  - UK/DE/JP prices include VAT/consumption tax: unitPrice is the shelf price and
 *    ITEM + TAX(ITEM) = unitPrice x quantity (ITEM is the net part). Same for shipping and gift wrap;
 *  - JPY has no decimals; replacement orders are free (all amounts 0);
 *  - Pending orders store prices, but the API hides them until the order becomes Unshipped.
 */

const { createRng } = require('./lib/rng');
const { formatMinor, toMinor } = require('./lib/money');
const { MARKETPLACE_BY_KEY, marketplaceById } = require('./amazon/marketplaces');

/**
 * @typedef {{ sku: string, asin: string, title: string, prices: Record<string, number> }} Product
 * @typedef {{ sku: string, title: string, price: string, currency: string }} CatalogueEntry
 * @typedef {{
 *   sku?: string, asin?: string, title?: string, quantity?: number, unitPrice?: string,
 *   shipping?: string, giftWrap?: string, giftMessage?: string,
 *   promotion?: { id?: string, item?: string, shipping?: string },
 *   taxRate?: number, orderItemId?: string, shipped?: number, buyerCancelReason?: string,
 *   programs?: string[]
 * }} ItemSpec
 *   Amounts are decimal strings in the order currency: per unit for unitPrice, per line for the
 *   rest. Omitted unitPrice = the catalogue price for that currency.
 * @typedef {{
 *   orderId?: string, marketplace?: string, marketplaceId?: string,
 *   status?: 'PENDING'|'UNSHIPPED'|'PARTIALLY_SHIPPED'|'SHIPPED'|'CANCELLED',
 *   fulfilledBy?: 'MERCHANT'|'AMAZON', createdTime?: string, lastUpdatedTime?: string,
 *   programs?: string[], replacementOf?: string, sellerOrderId?: string,
 *   buyer?: { name?: string, email?: string, companyName?: string, purchaseOrderNumber?: string },
 *   address?: Record<string, string>, serviceLevel?: string, taxRate?: number,
 *   items: ItemSpec[],
 *   packages?: { packageReferenceId?: string, carrier?: string, trackingNumber?: string, shipTime?: string, items: { orderItemId?: string, index?: number, quantity: number }[] }[],
 *   cancelReason?: string, cancelledBy?: 'BUYER'|'MERCHANT'|'AMAZON',
 *   indexDelayMs?: number,
 * }} OrderSpec
 */

/** @type {Product[]} */
const PRODUCTS = [
	['MUG-CAFE-CREME-4', 'Café Crème Espresso Cups (Set of 4)', 2499],
	['SOCK-ORSTED-WOOL-M', 'Ørsted Merino Wool Socks, Size M', 1599],
	['TEA-MATCHA-WHISK', 'Matcha 抹茶 Bamboo Whisk & Scoop', 1899],
	['LAMP-ANGSTROM-DESK', 'Ångström LED Desk Lamp, Dimmable', 4599],
	['BAG-TOTE-CANVAS', 'Organic Canvas Tote Bag', 1299],
	['KNIFE-CHEF-8IN', 'Chef Knife 8" (Damascus Steel)', 8999],
	['BOTTLE-STEEL-750', 'Insulated Steel Bottle 750 ml', 2199],
	['PEN-FOUNTAIN-NAVY', 'Fountain Pen — Navy, Fine Nib', 3499],
	['JACKET-UEBERGROESSE-XL', 'Übergrößen-Regenjacke XL', 7999],
	['CANDLE-SOY-LAVENDER', 'Soy Candle „Lavendel“ 200 g', 1799],
	['BOARD-CUTTING-OAK', 'Oak Cutting Board 40×25 cm', 3999],
	['HEADPHONES-BT-NC', 'Noise-Cancelling Bluetooth Headphones', 12999],
	['YOGA-MAT-6MM', 'Yoga Mat 6 mm, Non-Slip', 2899],
	['PUZZLE-1000-FJORD', 'Puzzle 1000 pcs — Geirangerfjord', 1999],
	['SPICE-SET-12', 'Spice Set (12 jars) with Rack', 3299],
	['NOTEBOOK-A5-DOT', 'A5 Dotted Notebook, 192 pages', 1499],
	['CHARGER-USBC-65W', 'USB-C Charger 65 W GaN', 3999],
	['SCARF-CASHMERE-GREY', 'Cashmere Scarf, Grey', 8999],
	['TEAPOT-CAST-IRON', 'Cast Iron Teapot 鉄瓶 0.8 L', 5499],
	['BLANKET-THROW-WOOL', 'Wool Throw Blanket 130×170', 6999],
	['GAME-CARD-FAMILY', 'Family Card Game “Zoë’s Zoo”', 1999],
	['SOAP-OLIVE-3PK', 'Olive Oil Soap (3-pack)', 1199],
	['HOOK-WALL-BRASS-2', 'Brass Wall Hooks (2)', 999],
	['PLANT-POT-CERAMIC', 'Ceramic Plant Pot Ø 14 cm', 2399],
].map(([sku, title, usd], i) => {
	const n = /** @type {number} */ (usd);
	const nice = (/** @type {number} */ v, /** @type {number} */ step) => Math.max(step, Math.round(v / step) * step) - (step === 1 ? 0 : 1);
	return {
		sku: /** @type {string} */ (sku),
		asin: `B0${String(7000000 + i * 7919).padStart(8, '0')}`.slice(0, 10),
		title: /** @type {string} */ (title),
		prices: {
			USD: n,
			CAD: nice(n * 1.36, 100),
			GBP: nice(n * 0.84, 100),
			EUR: nice(n * 0.98, 100),
			JPY: Math.round((n * 1.52) / 10) * 10,
		},
	};
});

/** Products that also exist in the Shopify store (every 4th Amazon SKU is missing there). */
const CATALOGUE_SKUS = new Set(PRODUCTS.filter((_, i) => i % 4 !== 3).map((p) => p.sku));

/** @type {CatalogueEntry[]} */
const catalogue = PRODUCTS.filter((p) => CATALOGUE_SKUS.has(p.sku)).map((p) => ({
	sku: p.sku,
	title: p.title,
	price: formatMinor(p.prices.USD, 'USD'),
	currency: 'USD',
}));

/** Per-country data: tax model, order-id prefixes, names, addresses, carriers. */
const COUNTRY = /** @type {Record<string, any>} */ ({
	US: {
		taxIncluded: false,
		prefixes: ['111', '112', '113', '114'],
		emailDomain: 'marketplace.amazon.com',
		names: ['Zoë Ångström', 'José Álvarez', "Mary-Kate O'Connor", 'Li Wei', 'Brontë Smith', 'Renée Dubois'],
		addresses: [
			{ addressLine1: '350 5th Ave', addressLine2: 'Apt 12B', city: 'New York', stateOrRegion: 'NY', postalCode: '10118', tax: 0.08875 },
			{ addressLine1: '1600 Amphitheatre Pkwy', city: 'Mountain View', stateOrRegion: 'CA', postalCode: '94043', tax: 0.0725 },
			{ addressLine1: '500 Congress Ave', city: 'Austin', stateOrRegion: 'TX', postalCode: '78701', tax: 0.0825 },
			{ addressLine1: '742 Evergreen Terrace', city: 'Portland', stateOrRegion: 'OR', postalCode: '97205', tax: 0 },
		],
		carriers: ['USPS', 'UPS', 'FedEx'],
		shipping: [0, 499, 599, 899],
		fulfillmentTax: 'Amazon Services, Inc.',
	},
	CA: {
		taxIncluded: false,
		prefixes: ['701', '702'],
		emailDomain: 'marketplace.amazon.ca',
		names: ['François Lefèvre', 'Amélie Côté', 'Noah Tremblay'],
		addresses: [
			{ addressLine1: '100 Queen St W', city: 'Toronto', stateOrRegion: 'ON', postalCode: 'M5H 2N2', tax: 0.13 },
			{ addressLine1: '1000 Rue De La Gauchetière O', addressLine2: 'Bureau 2400', city: 'Montréal', stateOrRegion: 'QC', postalCode: 'H3B 4W5', tax: 0.14975 },
		],
		carriers: ['Canada Post', 'PUROLATOR', 'UPS'],
		shipping: [0, 699, 999],
	},
	UK: {
		taxIncluded: true,
		vat: 0.2,
		prefixes: ['202', '203', '204', '205', '206'],
		emailDomain: 'marketplace.amazon.co.uk',
		names: ['Siobhán Ní Bhriain', 'Zoë Ångström', "Reginald D'Arcy-Smythe", 'Chloë Brontë'],
		addresses: [
			{ addressLine1: '221B Baker Street', city: 'London', stateOrRegion: 'Greater London', postalCode: 'NW1 6XE' },
			{ addressLine1: '1 Royal Crescent', city: 'Bath', stateOrRegion: 'Somerset', postalCode: 'BA1 2LR' },
		],
		carriers: ['Royal Mail', 'Parcelforce', 'DPD', 'Yodel'],
		shipping: [0, 299, 449],
	},
	DE: {
		taxIncluded: true,
		vat: 0.19,
		prefixes: ['302', '303', '304', '305', '306'],
		emailDomain: 'marketplace.amazon.de',
		names: ['Jürgen Groß', 'Änne Müller-Lüdenscheidt', 'Björn Weiß', 'Zoë Ångström'],
		addresses: [
			{ addressLine1: 'Königstraße 12', city: 'Stuttgart', stateOrRegion: 'Baden-Württemberg', postalCode: '70173' },
			{ addressLine1: 'Straße des 17. Juni 135', city: 'Berlin', stateOrRegion: 'Berlin', postalCode: '10623' },
			{ addressLine1: 'Maximilianstraße 1', addressLine2: '3. OG', city: 'München', stateOrRegion: 'Bayern', postalCode: '80539' },
		],
		carriers: ['DHL', 'Deutsche Post', 'Hermes Logistik Gruppe', 'DPD', 'GLS'],
		shipping: [0, 399, 499],
	},
	JP: {
		taxIncluded: true,
		vat: 0.1,
		prefixes: ['249', '250', '503'],
		emailDomain: 'marketplace.amazon.co.jp',
		names: ['山田 太郎', '佐藤 花子', '鈴木 一郎', 'Zoë Ångström'],
		addresses: [
			{ addressLine1: '神南1-2-3', addressLine2: 'サンプルビル 5F', city: '渋谷区', stateOrRegion: '東京都', postalCode: '150-0041' },
			{ addressLine1: '梅田3-1-1', city: '大阪市北区', stateOrRegion: '大阪府', postalCode: '530-0001' },
		],
		carriers: ['YAMATO', 'SAGAWA', 'Japan Post'],
		shipping: [0, 350, 500],
	},
});

const COUNTRY_CODE = /** @type {Record<string, string>} */ ({ US: 'US', CA: 'CA', UK: 'GB', DE: 'DE', JP: 'JP' });

/** @param {string} marketplaceId */
function countryKey(marketplaceId) {
	for (const [k, m] of Object.entries(MARKETPLACE_BY_KEY)) if (m.id === marketplaceId && k !== 'GB') return k;
	return null;
}

/** @param {string} text @param {string} currency @returns {number} */
function minor(text, currency) {
	const v = toMinor(String(text), currency);
	if (v === null) throw new Error(`amount ${JSON.stringify(text)} is not a valid ${currency} amount`);
	return v;
}

/**
 * Build a complete v2026 Order from a compact spec.
 * @param {OrderSpec} spec
 * @param {{ rng?: import('./lib/rng').Rng, now?: number, usedIds?: Set<string> }} [opts]
 * @returns {any}  Order (+ a `sandbox` block with `indexDelayMs` when given)
 */
function buildOrder(spec, opts = {}) {
	const rng = opts.rng ?? createRng(spec.orderId ?? 'order');
	const now = opts.now ?? Date.now();
	const key = spec.marketplaceId ? countryKey(spec.marketplaceId) : (spec.marketplace ?? 'US').toUpperCase() === 'GB' ? 'UK' : (spec.marketplace ?? 'US').toUpperCase();
	const mp = spec.marketplaceId ? marketplaceById(spec.marketplaceId) : MARKETPLACE_BY_KEY[key ?? ''];
	if (!mp || !key || !COUNTRY[key]) throw new Error(`unsupported marketplace ${JSON.stringify(spec.marketplaceId ?? spec.marketplace)} (use US, CA, UK, DE or JP)`);
	const country = COUNTRY[key];
	const cur = mp.currency;
	const status = spec.status ?? 'UNSHIPPED';
	if (!['PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'].includes(status)) throw new Error(`unsupported status ${status}`);
	const fulfilledBy = spec.fulfilledBy ?? 'MERCHANT';
	if (!Array.isArray(spec.items) || spec.items.length === 0) throw new Error('an order spec needs items: [{ sku, quantity, ... }]');
	const usedIds = opts.usedIds ?? new Set();
	const newId = () => {
		for (;;) {
			const id = `${rng.pick(country.prefixes)}-${rng.digits(7)}-${rng.digits(7)}`;
			if (!usedIds.has(id)) {
				usedIds.add(id);
				return id;
			}
		}
	};
	const orderId = spec.orderId ?? newId();
	usedIds.add(orderId);
	const createdMs = spec.createdTime ? Date.parse(spec.createdTime) : now - rng.int(10 * 60, 3 * 86400) * 1000;
	if (Number.isNaN(createdMs)) throw new Error(`createdTime ${JSON.stringify(spec.createdTime)} is not a date-time`);
	const updatedMs = spec.lastUpdatedTime ? Date.parse(spec.lastUpdatedTime) : Math.min(now - 3 * 60000, createdMs + (status === 'PENDING' ? 0 : rng.int(60, 36 * 3600) * 1000));
	const updatedFinal = Math.max(updatedMs, createdMs);
	const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const programs = [...(spec.programs ?? [])];
	const replacement = Boolean(spec.replacementOf);
	const taxRateDefault = spec.taxRate ?? (country.taxIncluded ? country.vat : undefined);
	/** @type {Record<string, any>} */
	const baseAddress = spec.address ?? rng.pick(country.addresses);
	const taxRate = taxRateDefault ?? (typeof baseAddress.tax === 'number' ? baseAddress.tax : 0);
	const business = programs.includes('AMAZON_BUSINESS');

	const money = (/** @type {number} */ v) => ({ amount: formatMinor(v, cur), currencyCode: cur });
	/** @type {Record<string, number>} */
	const orderSums = {};
	let grand = 0;
	const orderItems = spec.items.map((it, idx) => {
		const product = PRODUCTS.find((p) => p.sku === it.sku) ?? (it.sku ? null : rng.pick(PRODUCTS));
		const sku = it.sku ?? /** @type {Product} */ (product).sku;
		const qty = it.quantity ?? 1;
		if (!(Number.isInteger(qty) && qty > 0)) throw new Error(`items[${idx}].quantity must be a positive integer`);
		const unit = replacement ? 0 : it.unitPrice !== undefined ? minor(it.unitPrice, cur) : product ? product.prices[cur] : (() => {
			throw new Error(`items[${idx}]: unknown sku ${sku} needs a unitPrice`);
		})();
		const z = (/** @type {string|undefined} */ v) => (replacement || v === undefined ? 0 : minor(v, cur));
		const grossItem = unit * qty;
		const shipping = z(it.shipping);
		const giftWrap = z(it.giftWrap);
		const promoItem = z(it.promotion?.item);
		const promoShip = z(it.promotion?.shipping);
		if (promoItem > grossItem || promoShip > shipping) throw new Error(`items[${idx}]: a promotion cannot exceed what it discounts`);
		const rate = it.taxRate ?? taxRate;
		let item, ship, gw, taxItem, taxShip, taxGw;
		if (country.taxIncluded) {
			taxItem = Math.round(((grossItem - promoItem) * rate) / (1 + rate));
			taxShip = Math.round(((shipping - promoShip) * rate) / (1 + rate));
			taxGw = Math.round((giftWrap * rate) / (1 + rate));
			item = grossItem - taxItem;
			ship = shipping - taxShip;
			gw = giftWrap - taxGw;
		} else {
			taxItem = Math.round((grossItem - promoItem) * rate);
			taxShip = Math.round((shipping - promoShip) * rate);
			taxGw = Math.round(giftWrap * rate);
			item = grossItem;
			ship = shipping;
			gw = giftWrap;
		}
		const tax = taxItem + taxShip + taxGw;
		const discount = -(promoItem + promoShip);
		/** @type {any[]} */
		const breakdowns = [{ type: 'ITEM', subtotal: money(item) }];
		if (shipping) breakdowns.push({ type: 'SHIPPING', subtotal: money(ship) });
		if (giftWrap) breakdowns.push({ type: 'GIFT_WRAP', subtotal: money(gw) });
		/** @type {any[]} */
		const taxDetails = [{ subtype: 'ITEM', value: money(taxItem) }];
		if (shipping) taxDetails.push({ subtype: 'SHIPPING', value: money(taxShip) });
		if (giftWrap) taxDetails.push({ subtype: 'GIFT_WRAP', value: money(taxGw) });
		breakdowns.push({ type: 'TAX', subtotal: money(tax), detailedBreakdowns: taxDetails });
		if (promoItem || promoShip) {
			/** @type {any[]} */
			const d = [];
			if (promoItem) d.push({ subtype: 'ITEM', value: money(-promoItem) });
			if (promoShip) d.push({ subtype: 'SHIPPING', value: money(-promoShip) });
			breakdowns.push({ type: 'DISCOUNT', subtotal: money(discount), detailedBreakdowns: d });
		}
		const total = item + ship + gw + tax + discount;
		for (const b of breakdowns) orderSums[b.type] = (orderSums[b.type] ?? 0) + minor(b.subtotal.amount, cur);
		grand += total;
		/** @type {any} */
		const out = {
			orderItemId: it.orderItemId ?? rng.digits(14),
			quantityOrdered: qty,
			programs: it.programs ?? [],
			product: {
				asin: it.asin ?? product?.asin ?? `B0${rng.chars(8)}`,
				title: it.title ?? product?.title ?? sku,
				sellerSku: sku,
				condition: { conditionType: 'NEW', conditionSubtype: 'NEW' },
				price: { unitPrice: money(unit), ...(business ? { priceDesignation: 'BUSINESS_PRICE' } : {}) },
			},
			proceeds: { proceedsTotal: money(total), breakdowns },
		};
		if (it.promotion) out.promotion = { breakdowns: [{ promotionId: it.promotion.id ?? `PROMO-${rng.chars(10)}` }] };
		if (giftWrap || it.giftMessage) {
			out.fulfillment = { packing: { giftOption: { giftWrapLevel: giftWrap ? 'Classic' : 'None', ...(it.giftMessage ? { giftMessage: it.giftMessage } : {}) } } };
		}
		if (key === 'US' && tax > 0) out.tax = { taxCollections: [{ model: 'MARKETPLACE_FACILITATOR', responsibleParty: country.fulfillmentTax }] };
		if (key === 'JP' && rng.bool(0.3) && !replacement) {
			const points = Math.max(1, Math.round(grossItem / 100));
			out.expense = { pointsCost: { pointsGranted: { pointsNumber: points, pointsMonetaryValue: money(points) } } };
		}
		if (it.buyerCancelReason) out.cancellation = { cancellationRequest: { requester: 'BUYER', cancelReason: it.buyerCancelReason } };
		return out;
	});
	const itemIds = new Set();
	for (const it of orderItems) {
		while (itemIds.has(it.orderItemId)) it.orderItemId = rng.digits(14);
		itemIds.add(it.orderItemId);
	}

	// shipped quantities
	/** @type {Record<string, number>} */
	const shipped = {};
	for (const it of orderItems) shipped[it.orderItemId] = 0;
	/** @type {any[]} */
	let packages = [];
	const shipTimeDefault = Math.max(createdMs + 60000, updatedFinal - rng.int(1, 120) * 60000);
	if (status === 'SHIPPED' || status === 'PARTIALLY_SHIPPED') {
		if (spec.packages && fulfilledBy === 'MERCHANT') {
			packages = spec.packages.map((p, j) => ({
				packageReferenceId: p.packageReferenceId ?? String(j + 1),
				createdTime: iso(p.shipTime ? Date.parse(p.shipTime) : shipTimeDefault),
				packageStatus: { status: 'SHIPPED' },
				carrier: p.carrier ?? rng.pick(country.carriers),
				shipTime: p.shipTime ?? iso(shipTimeDefault),
				trackingNumber: p.trackingNumber ?? rng.chars(18),
				packageItems: p.items.map((pi) => {
					const target = pi.orderItemId ?? orderItems[pi.index ?? 0]?.orderItemId;
					if (!itemIds.has(target)) throw new Error(`package item ${JSON.stringify(pi)} does not match an order item`);
					return { orderItemId: target, quantity: pi.quantity };
				}),
			}));
			for (const p of packages) for (const pi of p.packageItems) shipped[pi.orderItemId] += pi.quantity;
		} else {
			spec.items.forEach((it, idx) => {
				const q = orderItems[idx].quantityOrdered;
				let s = it.shipped ?? q;
				if (status === 'PARTIALLY_SHIPPED' && it.shipped === undefined) s = idx === 0 ? Math.max(1, Math.floor(q / 2)) : 0;
				shipped[orderItems[idx].orderItemId] = s;
			});
			if (status === 'PARTIALLY_SHIPPED' && Object.entries(shipped).every(([id, s]) => s >= orderItems.find((o) => o.orderItemId === id).quantityOrdered)) {
				throw new Error('a PARTIALLY_SHIPPED order needs more than one unit (or explicit shipped quantities)');
			}
			if (fulfilledBy === 'MERCHANT') {
				const items = orderItems.filter((it) => shipped[it.orderItemId] > 0).map((it) => ({ orderItemId: it.orderItemId, quantity: shipped[it.orderItemId] }));
				const split = items.length > 1 && rng.bool(0.3);
				const groups = split ? [items.slice(0, 1), items.slice(1)] : [items];
				packages = groups.map((g, j) => ({
					packageReferenceId: String(j + 1),
					createdTime: iso(shipTimeDefault),
					packageStatus: { status: 'SHIPPED' },
					carrier: rng.pick(country.carriers),
					shipTime: iso(shipTimeDefault),
					trackingNumber: rng.chars(18),
					packageItems: g,
				}));
			}
		}
	}
	const cancelled = status === 'CANCELLED';
	for (const it of orderItems) {
		const s = shipped[it.orderItemId];
		if (s > it.quantityOrdered) throw new Error(`item ${it.orderItemId}: shipped ${s} > ordered ${it.quantityOrdered}`);
		it.fulfillment = { ...(it.fulfillment ?? {}), quantityFulfilled: s, quantityUnfulfilled: status === 'CANCELLED' ? 0 : it.quantityOrdered - s };
		if (cancelled) {
			it.cancellation = {
				...(it.cancellation ?? {}),
				cancellationExecution: { cancelledBy: spec.cancelledBy ?? 'BUYER', cancelReason: spec.cancelReason ?? 'BuyerCanceled' },
			};
		}
	}
	/** @type {string} */
	const name = spec.buyer?.name ?? rng.pick(country.names);
	const shipBy = createdMs + rng.int(1, 2) * 86400000;
	const level = spec.serviceLevel ?? (programs.includes('PRIME') ? rng.pick(['SECOND_DAY', 'NEXT_DAY', 'EXPEDITED']) : rng.pick(['STANDARD', 'STANDARD', 'EXPEDITED']));
	const { tax: _t, ...addr } = baseAddress;
	/** @type {any} */
	const order = {
		orderId,
		...(spec.sellerOrderId ? { orderAliases: [{ aliasId: spec.sellerOrderId, aliasType: 'SELLER_ORDER_ID' }] } : {}),
		createdTime: iso(createdMs),
		lastUpdatedTime: iso(updatedFinal),
		programs,
		...(replacement ? { associatedOrders: [{ orderId: spec.replacementOf, associationType: 'REPLACEMENT_ORIGINAL_ID' }] } : {}),
		salesChannel: { channelName: 'AMAZON', marketplaceId: mp.id, marketplaceName: mp.name },
		buyer: {
			buyerName: name,
			buyerEmail: spec.buyer?.email ?? `${rng.chars(14, 'abcdefghijklmnopqrstuvwxyz0123456789')}@${country.emailDomain}`,
			...(business || spec.buyer?.companyName ? { buyerCompanyName: spec.buyer?.companyName ?? `${name.split(' ')[0]} Trading GmbH` } : {}),
			...(spec.buyer?.purchaseOrderNumber || business ? { buyerPurchaseOrderNumber: spec.buyer?.purchaseOrderNumber ?? `PO-${rng.digits(6)}` } : {}),
		},
		recipient: {
			deliveryAddress: {
				name,
				...(business ? { companyName: spec.buyer?.companyName ?? `${name.split(' ')[0]} Trading GmbH` } : {}),
				...addr,
				countryCode: COUNTRY_CODE[key],
				phone: addr.phone ?? `+${{ US: '1 206', CA: '1 416', UK: '44 20', DE: '49 30', JP: '81 3' }[key]} ${rng.digits(4)} ${rng.digits(4)}`,
				addressType: business ? 'COMMERCIAL' : 'RESIDENTIAL',
			},
		},
		proceeds: {
			grandTotal: money(grand),
			breakdowns: ['ITEM', 'SHIPPING', 'GIFT_WRAP', 'TAX', 'DISCOUNT'].filter((t) => orderSums[t] !== undefined).map((t) => ({ type: t, subtotal: money(orderSums[t]) })),
		},
		fulfillment: {
			fulfillmentStatus: status,
			fulfilledBy,
			fulfillmentServiceLevel: level,
			shipByWindow: { earliestDateTime: iso(createdMs), latestDateTime: iso(shipBy) },
			deliverByWindow: { earliestDateTime: iso(shipBy + 86400000), latestDateTime: iso(shipBy + 5 * 86400000) },
		},
		orderItems,
		...(packages.length ? { packages } : {}),
	};
	if (spec.indexDelayMs !== undefined) order.sandbox = { indexDelayMs: spec.indexDelayMs };
	return order;
}

/**
 * n realistic orders. Deterministic for (seed, now).
 * @param {number} n
 * @param {{ seed?: number|string, rng?: import('./lib/rng').Rng, now?: number, usedIds?: Set<string>,
 *   marketplaces?: string[], fulfilledBy?: 'MERCHANT'|'AMAZON', statuses?: string[],
 *   lateIndexProbability?: number, lateIndexMaxMs?: number }} [opts]
 *   lateIndexProbability: share of orders that appear late in the searchOrders index, each by a
 *   random 1 s .. lateIndexMaxMs (default 30 min) of sandbox time.
 * @returns {any[]}
 */
function generateOrders(n, opts = {}) {
	if (!(Number.isInteger(n) && n >= 0 && n <= 100000)) throw new Error(`generateOrders(n): n must be an integer 0..100000, got ${JSON.stringify(n)}`);
	const rng = opts.rng ?? createRng(opts.seed ?? 42);
	const now = opts.now ?? Date.now();
	const usedIds = opts.usedIds ?? new Set();
	const markets = opts.marketplaces ?? null;
	for (const m of markets ?? []) if (!COUNTRY[m === 'GB' ? 'UK' : m]) throw new Error(`unsupported marketplace ${m} (use US, CA, UK, DE, JP)`);
	const statuses = opts.statuses ?? null;
	const lateP = opts.lateIndexProbability ?? 0;
	if (!(typeof lateP === 'number' && lateP >= 0 && lateP <= 1)) throw new Error('lateIndexProbability must be a number in [0, 1]');
	const lateMax = opts.lateIndexMaxMs ?? 30 * 60000;
	if (!(typeof lateMax === 'number' && lateMax >= 1000)) throw new Error('lateIndexMaxMs must be a number >= 1000');
	/** @type {any[]} */
	const orders = [];
	for (let i = 0; i < n; i++) {
		const r = rng.fork();
		const market = markets ? r.pick(markets) : r.weighted([['US', 50], ['CA', 10], ['UK', 15], ['DE', 15], ['JP', 10]]);
		const afn = opts.fulfilledBy ? opts.fulfilledBy === 'AMAZON' : r.bool(0.2);
		const lines = r.weighted([[1, 60], [2, 25], [3, 10], [4, 5]]);
		const products = r.shuffle(PRODUCTS).slice(0, lines);
		let status = statuses
			? /** @type {any} */ (r.pick(statuses))
			: afn
				? r.weighted([['SHIPPED', 70], ['UNSHIPPED', 20], ['CANCELLED', 10]])
				: r.weighted([['PENDING', 8], ['UNSHIPPED', 47], ['PARTIALLY_SHIPPED', 5], ['SHIPPED', 30], ['CANCELLED', 10]]);
		const programs = [];
		if (r.bool(0.3)) programs.push('PRIME');
		if (r.bool(0.1)) programs.push('AMAZON_BUSINESS');
		if (!afn && r.bool(0.03)) programs.push('FBM_SHIP_PLUS');
		if (r.bool(0.02)) programs.push('PREMIUM');
		const replacementOf = orders.length > 3 && r.bool(0.03) ? r.pick(orders).orderId : undefined;
		const cur = MARKETPLACE_BY_KEY[market].currency;
		const items = products.map((p) => {
			const qty = r.weighted([[1, 70], [2, 20], [3, 10]]);
			/** @type {ItemSpec} */
			const it = { sku: p.sku, quantity: qty };
			const shipOpts = COUNTRY[market].shipping;
			const ship = r.pick(shipOpts);
			if (ship) it.shipping = formatMinor(ship, cur);
			if (r.bool(0.2)) {
				const price = p.prices[cur] * qty;
				it.promotion = { id: `PLM-${r.chars(10)}`, item: formatMinor(Math.round(price * 0.1), cur) };
			}
			if (ship && r.bool(0.15)) it.promotion = { ...(it.promotion ?? { id: `FREESHIP-${r.chars(6)}` }), shipping: formatMinor(ship, cur) };
			if (r.bool(0.08)) {
				it.giftWrap = formatMinor(cur === 'JPY' ? 300 : 399, cur);
				it.giftMessage = r.pick(['Happy birthday, Zoë! 🎉', 'Alles Gute zum Geburtstag!', 'お誕生日おめでとう', 'Joyeux Noël — bisous']);
			}
			if (status === 'UNSHIPPED' && !afn && r.bool(0.05)) it.buyerCancelReason = 'Found a better price';
			return it;
		});
		if (status === 'PARTIALLY_SHIPPED' && items.length === 1 && (items[0].quantity ?? 1) < 2) items[0].quantity = 2;
		if (afn && status === 'PENDING') status = 'UNSHIPPED';
		orders.push(
			buildOrder(
				{
					marketplace: market,
					status,
					fulfilledBy: afn ? 'AMAZON' : 'MERCHANT',
					programs,
					replacementOf,
					items,
					createdTime: status === 'PENDING' ? new Date(now - r.int(10, 180) * 60000).toISOString() : undefined,
					indexDelayMs: lateP > 0 && r.bool(lateP) ? r.int(1000, lateMax) : undefined,
				},
				{ rng: r, now, usedIds },
			),
		);
	}
	return orders;
}

/**
 * Everything both sandboxes need.
 * @param {{ seed?: number|string, orders?: number, now?: number }} [opts]
 */
function generateDataset(opts = {}) {
	return { orders: generateOrders(opts.orders ?? 50, { seed: opts.seed ?? 42, now: opts.now }), catalogue: catalogue.map((c) => ({ ...c })) };
}

module.exports = { PRODUCTS, catalogue, CATALOGUE_SKUS, buildOrder, generateOrders, generateDataset };
