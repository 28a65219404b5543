// @ts-check
'use strict';

const { toMinor, formatMinor } = require('../lib/money');
const { marketplaceById } = require('./marketplaces');

/**
 * Order records and their API views.
 *
 * The stored `order` is a complete Orders v2026-01-01 `Order` (every optional block filled in);
 * `projectOrder` cuts it down to what a request's `includedData` and the app's PII role allow.
 *
 * @typedef {'Principal'|'Shipping'|'GiftWrap'|'Tax'|'ShippingTax'|'GiftWrapTax'|'PromoPrincipal'|'PromoShipping'} ChargeKey
 * @typedef {Record<ChargeKey, number>} Charges   integer minor units, all >= 0 (promotions as positive discounts)
 * @typedef {{
 *   order: any,
 *   currency: string,
 *   marketplaceId: string,
 *   visibleAtT: number,
 *   shipped: Record<string, number>,
 *   cancelled: Record<string, number>,
 *   charged: Record<string, Charges>,
 *   refunded: Record<string, Record<string, number>>,
 *   merchantItemIds: Record<string, string>,
 *   sellerOrderId?: string,
 *   nextPackageId: number,
 *   adjustmentSeq: number,
 * }} OrderRecord
 */

const CHARGE_KEYS = /** @type {ChargeKey[]} */ (['Principal', 'Shipping', 'GiftWrap', 'Tax', 'ShippingTax', 'GiftWrapTax', 'PromoPrincipal', 'PromoShipping']);

const STATUS_V0 = /** @type {Record<string, string>} */ ({
	PENDING_AVAILABILITY: 'PendingAvailability',
	PENDING: 'Pending',
	UNSHIPPED: 'Unshipped',
	PARTIALLY_SHIPPED: 'PartiallyShipped',
	SHIPPED: 'Shipped',
	CANCELLED: 'Canceled',
	UNFULFILLABLE: 'Unfulfillable',
});

const INCLUDED_DATA = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'];

const ORDER_ID_RE = /^\d{3}-\d{7}-\d{7}$/;

/** @returns {Charges} */
const zeroCharges = () => /** @type {Charges} */ (Object.fromEntries(CHARGE_KEYS.map((k) => [k, 0])));

/** @param {any} v */
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/**
 * What the buyer is charged for an item in full, by feed component, from the item's proceeds.
 * ITEM -> Principal, SHIPPING -> Shipping, GIFT_WRAP -> GiftWrap, TAX/{ITEM|SHIPPING|GIFT_WRAP} ->
 * Tax/ShippingTax/GiftWrapTax, DISCOUNT/{ITEM|SHIPPING} -> PromoPrincipal/PromoShipping (positive).
 * @param {any} item
 * @param {string} currency
 * @returns {Charges}
 */
function itemFullCharges(item, currency) {
	const c = zeroCharges();
	for (const b of item.proceeds?.breakdowns ?? []) {
		const amount = toMinor(b.subtotal?.amount, currency) ?? 0;
		if (b.type === 'ITEM') c.Principal += amount;
		else if (b.type === 'SHIPPING') c.Shipping += amount;
		else if (b.type === 'GIFT_WRAP') c.GiftWrap += amount;
		else if (b.type === 'TAX' || b.type === 'DISCOUNT') {
			const details = b.detailedBreakdowns ?? [];
			if (details.length === 0) {
				if (b.type === 'TAX') c.Tax += amount;
				else c.PromoPrincipal += Math.abs(amount);
			}
			for (const d of details) {
				const v = toMinor(d.value?.amount, currency) ?? 0;
				if (b.type === 'TAX') {
					if (d.subtype === 'SHIPPING') c.ShippingTax += v;
					else if (d.subtype === 'GIFT_WRAP') c.GiftWrapTax += v;
					else c.Tax += v;
				} else if (d.subtype === 'SHIPPING') c.PromoShipping += Math.abs(v);
				else c.PromoPrincipal += Math.abs(v);
			}
		}
	}
	return c;
}

/**
 * @param {any} order   a complete v2026 Order
 * @param {{ visibleAtT: number }} opts
 * @returns {OrderRecord}
 */
function createRecord(order, { visibleAtT }) {
	const marketplaceId = order.salesChannel?.marketplaceId;
	const mp = marketplaceById(marketplaceId);
	const currency = order.proceeds?.grandTotal?.currencyCode ?? mp?.currency ?? 'USD';
	/** @type {OrderRecord} */
	const rec = {
		order,
		currency,
		marketplaceId,
		visibleAtT,
		shipped: {},
		cancelled: {},
		charged: {},
		refunded: {},
		merchantItemIds: {},
		sellerOrderId: order.orderAliases?.find((/** @type {any} */ a) => a.aliasType === 'SELLER_ORDER_ID')?.aliasId,
		nextPackageId: 1,
		adjustmentSeq: 0,
	};
	for (const item of order.orderItems) {
		rec.shipped[item.orderItemId] = item.fulfillment?.quantityFulfilled ?? 0;
		const open = item.quantityOrdered - rec.shipped[item.orderItemId];
		rec.cancelled[item.orderItemId] =
			order.fulfillment?.fulfillmentStatus === 'CANCELLED'
				? open
				: item.cancellation?.cancellationExecution && typeof item.fulfillment?.quantityUnfulfilled === 'number'
					? Math.max(0, open - item.fulfillment.quantityUnfulfilled)
					: 0;
		rec.charged[item.orderItemId] = chargesForShipped(item, currency, rec.shipped[item.orderItemId]);
		rec.refunded[item.orderItemId] = {};
	}
	for (const p of order.packages ?? []) {
		const n = Number(p.packageReferenceId);
		if (Number.isInteger(n) && n >= rec.nextPackageId) rec.nextPackageId = n + 1;
	}
	return rec;
}

/**
 * Charges earned once `shippedQty` units of the item have shipped (pro rata, exact at full qty).
 * @param {any} item @param {string} currency @param {number} shippedQty
 * @returns {Charges}
 */
function chargesForShipped(item, currency, shippedQty) {
	const full = itemFullCharges(item, currency);
	const out = zeroCharges();
	const q = item.quantityOrdered;
	for (const k of CHARGE_KEYS) out[k] = shippedQty >= q ? full[k] : Math.round((full[k] * shippedQty) / q);
	return out;
}

/** Recompute item fulfillment quantities and the order status from shipped/cancelled units. @param {OrderRecord} rec */
function refreshFulfillment(rec) {
	const o = rec.order;
	let ordered = 0;
	let shipped = 0;
	let cancelled = 0;
	for (const item of o.orderItems) {
		const s = rec.shipped[item.orderItemId] ?? 0;
		const c = rec.cancelled[item.orderItemId] ?? 0;
		// units canceled are no longer "to be fulfilled"
		item.fulfillment = { ...(item.fulfillment ?? {}), quantityFulfilled: s, quantityUnfulfilled: Math.max(0, item.quantityOrdered - s - c) };
		ordered += item.quantityOrdered;
		shipped += s;
		cancelled += c;
	}
	const status = o.fulfillment.fulfillmentStatus;
	if (status === 'PENDING' || status === 'PENDING_AVAILABILITY') return;
	if (cancelled >= ordered) o.fulfillment.fulfillmentStatus = 'CANCELLED';
	else if (shipped === 0) o.fulfillment.fulfillmentStatus = status === 'CANCELLED' ? 'CANCELLED' : 'UNSHIPPED';
	else if (shipped + cancelled >= ordered) o.fulfillment.fulfillmentStatus = 'SHIPPED';
	else o.fulfillment.fulfillmentStatus = 'PARTIALLY_SHIPPED';
}

/**
 * The v2026 view of an order for one request.
 * @param {OrderRecord} rec
 * @param {Set<string>} included      includedData values
 * @param {{ piiRole: boolean }} ctx
 */
function projectOrder(rec, included, ctx) {
	const o = rec.order;
	const status = o.fulfillment?.fulfillmentStatus;
	const pending = status === 'PENDING' || status === 'PENDING_AVAILABILITY';
	const mfn = o.fulfillment?.fulfilledBy === 'MERCHANT';
	const pii = ctx.piiRole;
	/** @type {any} */
	const out = { orderId: o.orderId };
	if (o.orderAliases?.length) out.orderAliases = clone(o.orderAliases);
	out.createdTime = o.createdTime;
	out.lastUpdatedTime = o.lastUpdatedTime;
	if (o.programs?.length) out.programs = clone(o.programs);
	if (o.associatedOrders?.length) out.associatedOrders = clone(o.associatedOrders);
	out.salesChannel = clone(o.salesChannel);
	if (included.has('BUYER') && o.buyer) {
		/** @type {any} */
		const buyer = {};
		if (pii && o.buyer.buyerName) buyer.buyerName = o.buyer.buyerName;
		if (pii && o.buyer.buyerEmail && mfn && ['UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED'].includes(status)) buyer.buyerEmail = o.buyer.buyerEmail;
		if (o.buyer.buyerCompanyName) buyer.buyerCompanyName = o.buyer.buyerCompanyName;
		if (o.buyer.buyerPurchaseOrderNumber) buyer.buyerPurchaseOrderNumber = o.buyer.buyerPurchaseOrderNumber;
		if (Object.keys(buyer).length) out.buyer = buyer;
	}
	if (included.has('RECIPIENT') && o.recipient) {
		const a = o.recipient.deliveryAddress ?? {};
		/** @type {any} */
		let address;
		if (pii && !pending) {
			address = clone(a);
			if (!mfn || (status === 'SHIPPED' && o.fulfillment?.deliverByWindow?.latestDateTime && Date.parse(o.fulfillment.deliverByWindow.latestDateTime) < Date.now())) delete address.phone;
		} else {
			address = {};
			// Without the restricted role Amazon still returns city, state, postal code and country (amazon.md §2).
			for (const k of ['city', 'districtOrCounty', 'stateOrRegion', 'municipality', 'postalCode', 'countryCode', 'addressType']) if (a[k] !== undefined) address[k] = a[k];
		}
		out.recipient = { deliveryAddress: address };
		if (pii && !pending && o.recipient.deliveryPreference) out.recipient.deliveryPreference = clone(o.recipient.deliveryPreference);
	}
	if (included.has('PROCEEDS') && o.proceeds && !pending) out.proceeds = clone(o.proceeds);
	if (included.has('PAYMENT') && o.payment) out.payment = clone(o.payment);
	if (included.has('TAX') && o.tax) out.tax = clone(o.tax);
	if (included.has('FULFILLMENT') && o.fulfillment) out.fulfillment = clone(o.fulfillment);
	out.orderItems = o.orderItems.map((/** @type {any} */ item) => {
		/** @type {any} */
		const it = { orderItemId: item.orderItemId, quantityOrdered: item.quantityOrdered };
		if (item.measurement) it.measurement = clone(item.measurement);
		if (item.associatedOrderItems?.length) it.associatedOrderItems = clone(item.associatedOrderItems);
		if (item.programs?.length) it.programs = clone(item.programs);
		const product = clone(item.product) ?? {};
		if (pending) delete product.price;
		if (!(pii && included.has('BUYER'))) delete product.customization;
		it.product = product;
		if (included.has('PROCEEDS') && item.proceeds && !pending) it.proceeds = clone(item.proceeds);
		if (included.has('EXPENSE') && item.expense) it.expense = clone(item.expense);
		if (included.has('PROMOTION') && item.promotion && !pending) it.promotion = clone(item.promotion);
		if (included.has('CANCELLATION') && item.cancellation) it.cancellation = clone(item.cancellation);
		if (included.has('FULFILLMENT') && item.fulfillment) {
			const f = clone(item.fulfillment);
			const gift = f.packing?.giftOption;
			if (gift && !(pii && included.has('BUYER'))) delete gift.giftMessage;
			if (gift && Object.keys(gift).length === 0) delete f.packing.giftOption;
			if (f.packing && Object.keys(f.packing).length === 0) delete f.packing;
			it.fulfillment = f;
		}
		if (included.has('TAX') && item.tax) it.tax = clone(item.tax);
		return it;
	});
	if (included.has('PACKAGES') && mfn && o.packages?.length) out.packages = clone(o.packages);
	if (included.has('FULFILLMENT_ORDERS') && o.fulfillmentOrders?.length) out.fulfillmentOrders = clone(o.fulfillmentOrders);
	return out;
}

/** @param {any} money @param {string} [currency] */
const v0Money = (money, currency) => (money ? { CurrencyCode: money.currencyCode ?? currency, Amount: money.amount } : undefined);

/**
 * Orders v0 view (getOrders/getOrder). `pii` = an RDT with the data elements was used.
 * @param {OrderRecord} rec
 * @param {{ buyerInfo: boolean, shippingAddress: boolean }} pii
 */
function projectOrderV0(rec, pii) {
	const o = rec.order;
	const status = o.fulfillment.fulfillmentStatus;
	const pending = status === 'PENDING' || status === 'PENDING_AVAILABILITY';
	const programs = o.programs ?? [];
	let shipped = 0;
	let unshipped = 0;
	for (const item of o.orderItems) {
		shipped += rec.shipped[item.orderItemId] ?? 0;
		unshipped += Math.max(0, item.quantityOrdered - (rec.shipped[item.orderItemId] ?? 0) - (rec.cancelled[item.orderItemId] ?? 0));
	}
	/** @type {any} */
	const out = {
		AmazonOrderId: o.orderId,
		PurchaseDate: o.createdTime,
		LastUpdateDate: o.lastUpdatedTime,
		OrderStatus: STATUS_V0[status],
		FulfillmentChannel: o.fulfillment.fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN',
		SalesChannel: o.salesChannel.marketplaceName,
		ShipServiceLevel: o.fulfillment.fulfillmentServiceLevel === 'EXPEDITED' ? 'Expedited' : 'Std Domestic',
		NumberOfItemsShipped: shipped,
		NumberOfItemsUnshipped: unshipped,
		PaymentMethod: 'Other',
		PaymentMethodDetails: ['Standard'],
		MarketplaceId: o.salesChannel.marketplaceId,
		ShipmentServiceLevelCategory: o.fulfillment.fulfillmentServiceLevel === 'EXPEDITED' ? 'Expedited' : 'Standard',
		OrderType: 'StandardOrder',
		EarliestShipDate: o.fulfillment.shipByWindow?.earliestDateTime,
		LatestShipDate: o.fulfillment.shipByWindow?.latestDateTime,
		IsBusinessOrder: programs.includes('AMAZON_BUSINESS'),
		IsPrime: programs.includes('PRIME'),
		IsPremiumOrder: programs.includes('PREMIUM'),
		IsGlobalExpressEnabled: false,
		IsReplacementOrder: (o.associatedOrders ?? []).some((/** @type {any} */ a) => a.associationType === 'REPLACEMENT_ORIGINAL_ID'),
		IsSoldByAB: false,
		IsISPU: false,
		IsAccessPointOrder: false,
		HasRegulatedItems: false,
	};
	if (rec.sellerOrderId) out.SellerOrderId = rec.sellerOrderId;
	if (out.IsReplacementOrder) out.ReplacedOrderId = o.associatedOrders.find((/** @type {any} */ a) => a.associationType === 'REPLACEMENT_ORIGINAL_ID').orderId;
	if (o.fulfillment.fulfilledBy === 'MERCHANT' && o.fulfillment.deliverByWindow) {
		out.EarliestDeliveryDate = o.fulfillment.deliverByWindow.earliestDateTime;
		out.LatestDeliveryDate = o.fulfillment.deliverByWindow.latestDateTime;
	}
	if (!pending && status !== 'CANCELLED' && o.proceeds?.grandTotal) out.OrderTotal = v0Money(o.proceeds.grandTotal);
	if (!pending && o.recipient?.deliveryAddress) {
		const a = o.recipient.deliveryAddress;
		/** @type {any} */
		const addr = { City: a.city, StateOrRegion: a.stateOrRegion, PostalCode: a.postalCode, CountryCode: a.countryCode };
		if (pii.shippingAddress) {
			Object.assign(addr, { Name: a.name, AddressLine1: a.addressLine1, AddressLine2: a.addressLine2, Phone: a.phone });
			if (a.companyName) addr.CompanyName = a.companyName;
			if (a.addressType === 'RESIDENTIAL' || a.addressType === 'COMMERCIAL') addr.AddressType = a.addressType === 'RESIDENTIAL' ? 'Residential' : 'Commercial';
		} else addr.Name = '';
		for (const k of Object.keys(addr)) if (addr[k] === undefined) delete addr[k];
		out.ShippingAddress = addr;
	}
	/** @type {any} */
	const buyer = { BuyerEmail: o.buyer?.buyerEmail ?? '' };
	if (pii.buyerInfo) {
		if (o.buyer?.buyerName) buyer.BuyerName = o.buyer.buyerName;
		if (o.buyer?.buyerPurchaseOrderNumber) buyer.PurchaseOrderNumber = o.buyer.buyerPurchaseOrderNumber;
	}
	if (!pii.buyerInfo || o.fulfillment.fulfilledBy !== 'MERCHANT') buyer.BuyerEmail = '';
	out.BuyerInfo = buyer;
	for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
	return out;
}

/**
 * Orders v0 getOrderItems view.
 * @param {OrderRecord} rec
 * @param {{ buyerInfo: boolean }} pii
 */
function projectItemsV0(rec, pii) {
	const o = rec.order;
	const status = o.fulfillment.fulfillmentStatus;
	const pending = status === 'PENDING' || status === 'PENDING_AVAILABILITY';
	const cur = rec.currency;
	return o.orderItems.map((/** @type {any} */ item) => {
		const full = itemFullCharges(item, cur);
		/** @param {number} minor */
		const m = (minor) => ({ CurrencyCode: cur, Amount: formatMinor(minor, cur) });
		/** @type {any} */
		const out = {
			ASIN: item.product.asin,
			SellerSKU: item.product.sellerSku,
			OrderItemId: item.orderItemId,
			Title: item.product.title,
			QuantityOrdered: item.quantityOrdered,
			QuantityShipped: rec.shipped[item.orderItemId] ?? 0,
			ProductInfo: { NumberOfItems: '1' },
			ConditionId: 'New',
			ConditionSubtypeId: 'New',
			IsGift: item.fulfillment?.packing?.giftOption ? 'true' : 'false',
			IsTransparency: (item.programs ?? []).includes('TRANSPARENCY'),
			SerialNumberRequired: false,
		};
		if (!pending) {
			Object.assign(out, {
				ItemPrice: m(full.Principal),
				ShippingPrice: m(full.Shipping),
				ItemTax: m(full.Tax),
				ShippingTax: m(full.ShippingTax),
				ShippingDiscount: m(full.PromoShipping),
				ShippingDiscountTax: m(0),
				PromotionDiscount: m(full.PromoPrincipal),
				PromotionDiscountTax: m(0),
			});
			const promos = (item.promotion?.breakdowns ?? []).map((/** @type {any} */ b) => b.promotionId).filter(Boolean);
			if (promos.length) out.PromotionIds = promos;
			if ((item.tax?.taxCollections ?? []).some((/** @type {any} */ t) => t.model === 'MARKETPLACE_FACILITATOR') && rec.marketplaceId === 'ATVPDKIKX0DER') {
				out.TaxCollection = { Model: 'MarketplaceFacilitator', ResponsibleParty: 'Amazon Services, Inc.' };
			}
			if (item.fulfillment?.packing?.giftOption) {
				/** @type {any} */
				const bi = { GiftWrapPrice: m(full.GiftWrap), GiftWrapTax: m(full.GiftWrapTax), GiftWrapLevel: item.fulfillment.packing.giftOption.giftWrapLevel };
				if (pii.buyerInfo && item.fulfillment.packing.giftOption.giftMessage) bi.GiftMessageText = item.fulfillment.packing.giftOption.giftMessage;
				out.BuyerInfo = bi;
			}
		}
		if (item.cancellation?.cancellationRequest) {
			out.BuyerRequestedCancel = { IsBuyerRequestedCancel: 'true', BuyerCancelReason: item.cancellation.cancellationRequest.cancelReason ?? '' };
		}
		if (item.programs?.length) out.AmazonPrograms = { Programs: item.programs.filter((/** @type {string} */ p) => p === 'SUBSCRIBE_AND_SAVE') };
		if (o.programs?.includes('FBM_SHIP_PLUS')) out.AmazonPrograms = { Programs: [...(out.AmazonPrograms?.Programs ?? []), 'FBM_SHIP_PLUS'] };
		return out;
	});
}

/**
 * Internal consistency of a complete order (beyond the JSON schema): money to the cent,
 * one currency, known marketplace, quantities.
 * @param {any} o
 * @returns {string[]}
 */
function checkOrderConsistency(o) {
	/** @type {string[]} */
	const errs = [];
	if (!o || typeof o !== 'object') return ['order must be an object'];
	if (typeof o.orderId !== 'string' || !ORDER_ID_RE.test(o.orderId)) errs.push(`orderId ${JSON.stringify(o.orderId)} must look like 123-1234567-1234567`);
	const mp = marketplaceById(o.salesChannel?.marketplaceId);
	if (!mp) errs.push(`salesChannel.marketplaceId ${JSON.stringify(o.salesChannel?.marketplaceId)} is not a known marketplace`);
	const status = o.fulfillment?.fulfillmentStatus;
	if (!o.fulfillment || !status) errs.push('fulfillment.fulfillmentStatus is required (the sandbox stores complete orders)');
	if (!['MERCHANT', 'AMAZON'].includes(o.fulfillment?.fulfilledBy)) errs.push('fulfillment.fulfilledBy must be MERCHANT or AMAZON');
	for (const k of ['createdTime', 'lastUpdatedTime']) {
		if (typeof o[k] !== 'string' || Number.isNaN(Date.parse(o[k]))) errs.push(`${k} must be an ISO 8601 date-time`);
	}
	if (Date.parse(o.lastUpdatedTime) < Date.parse(o.createdTime)) errs.push('lastUpdatedTime is before createdTime');
	if (!Array.isArray(o.orderItems) || o.orderItems.length === 0) {
		errs.push('orderItems must be a non-empty array');
		return errs;
	}
	const currency = o.proceeds?.grandTotal?.currencyCode ?? mp?.currency;
	if (mp && currency !== mp.currency) errs.push(`currency ${currency} does not match marketplace ${mp.country} (${mp.currency})`);
	if (!o.proceeds && status !== 'PENDING' && status !== 'PENDING_AVAILABILITY') errs.push('proceeds are required (only Pending orders may omit them... and even then the sandbox needs them for later)');
	/** @param {any} money @param {string} where @returns {number} */
	const amt = (money, where) => {
		if (!money) {
			errs.push(`${where} is missing`);
			return 0;
		}
		if (money.currencyCode !== currency) errs.push(`${where}.currencyCode ${money.currencyCode} differs from the order currency ${currency}`);
		const v = toMinor(money.amount, String(currency));
		if (v === null) {
			errs.push(`${where}.amount ${JSON.stringify(money.amount)} is not a valid ${currency} amount`);
			return 0;
		}
		return v;
	};
	const ids = new Set();
	/** @type {Record<string, number>} */
	const orderBreakdown = {};
	let itemsTotal = 0;
	o.orderItems.forEach((/** @type {any} */ item, /** @type {number} */ i) => {
		const at = `orderItems[${i}]`;
		if (typeof item.orderItemId !== 'string' || !/^\d{14}$/.test(item.orderItemId)) errs.push(`${at}.orderItemId must be a 14-digit string`);
		if (ids.has(item.orderItemId)) errs.push(`${at}.orderItemId ${item.orderItemId} is duplicated`);
		ids.add(item.orderItemId);
		if (!(Number.isInteger(item.quantityOrdered) && item.quantityOrdered > 0)) errs.push(`${at}.quantityOrdered must be a positive integer`);
		if (!item.product?.sellerSku || !item.product?.asin) errs.push(`${at}.product needs sellerSku and asin`);
		if (item.product?.price?.unitPrice) amt(item.product.price.unitPrice, `${at}.product.price.unitPrice`);
		const f = item.fulfillment;
		if (f && (f.quantityFulfilled ?? 0) > item.quantityOrdered) errs.push(`${at}.fulfillment.quantityFulfilled exceeds quantityOrdered`);
		if (!item.proceeds) {
			if (o.proceeds) errs.push(`${at}.proceeds missing while the order has proceeds`);
			return;
		}
		let sum = 0;
		for (const [j, b] of (item.proceeds.breakdowns ?? []).entries()) {
			const v = amt(b.subtotal, `${at}.proceeds.breakdowns[${j}].subtotal`);
			sum += v;
			orderBreakdown[b.type] = (orderBreakdown[b.type] ?? 0) + v;
			if (b.detailedBreakdowns) {
				const dsum = b.detailedBreakdowns.reduce((/** @type {number} */ s, /** @type {any} */ d, /** @type {number} */ k) => s + amt(d.value, `${at}.proceeds.breakdowns[${j}].detailedBreakdowns[${k}].value`), 0);
				if (dsum !== v) errs.push(`${at}.proceeds ${b.type}: detailedBreakdowns sum to ${formatMinor(dsum, currency)} but subtotal is ${b.subtotal.amount}`);
			}
			if (b.type === 'DISCOUNT' && v > 0) errs.push(`${at}.proceeds DISCOUNT must be negative or zero (proceeds are what the seller receives)`);
		}
		const total = amt(item.proceeds.proceedsTotal, `${at}.proceeds.proceedsTotal`);
		if (total !== sum) errs.push(`${at}.proceeds.proceedsTotal ${item.proceeds.proceedsTotal?.amount} != sum of breakdowns ${formatMinor(sum, currency)}`);
		itemsTotal += total;
	});
	if (o.proceeds) {
		const grand = amt(o.proceeds.grandTotal, 'proceeds.grandTotal');
		let tips = 0;
		for (const [j, b] of (o.proceeds.breakdowns ?? []).entries()) {
			const v = amt(b.subtotal, `proceeds.breakdowns[${j}].subtotal`);
			if (b.type === 'DELIVERY_TIP') tips += v;
			else if ((orderBreakdown[b.type] ?? 0) !== v) errs.push(`proceeds.breakdowns ${b.type} ${b.subtotal.amount} != sum over items ${formatMinor(orderBreakdown[b.type] ?? 0, currency)}`);
		}
		if (grand !== itemsTotal + tips) errs.push(`proceeds.grandTotal ${o.proceeds.grandTotal?.amount} != sum of item proceeds ${formatMinor(itemsTotal + tips, currency)}`);
	}
	for (const [j, p] of (o.packages ?? []).entries()) {
		if (!/^[1-9]\d*$/.test(String(p.packageReferenceId))) errs.push(`packages[${j}].packageReferenceId must be a positive integer string`);
		for (const pi of p.packageItems ?? []) if (!ids.has(pi.orderItemId)) errs.push(`packages[${j}] references unknown orderItemId ${pi.orderItemId}`);
	}
	return errs;
}

module.exports = {
	CHARGE_KEYS,
	STATUS_V0,
	INCLUDED_DATA,
	ORDER_ID_RE,
	zeroCharges,
	clone,
	itemFullCharges,
	chargesForShipped,
	createRecord,
	refreshFulfillment,
	projectOrder,
	projectOrderV0,
	projectItemsV0,
	checkOrderConsistency,
};
