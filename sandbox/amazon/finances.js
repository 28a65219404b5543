// @ts-check
'use strict';

const { toMajorNumber } = require('../lib/money');
const { marketplaceById } = require('./marketplaces');

/**
 * Renders the store's financial events as Finances v0 events and Finances 2024-06-19
 * transactions. Amounts are from the seller's point of view: a sale is positive, a refund's
 * charges are negative, fees are negative (fee give-backs on refunds positive).
 *
 * @typedef {import('./store').FinanceEvent} FinanceEvent
 */

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** v0 ShipmentEvent (ShipmentEventList or RefundEventList entry). @param {FinanceEvent} ev */
function toV0Event(ev) {
	const cur = ev.currency;
	/** @param {number} minor */
	const money = (minor) => ({ CurrencyCode: cur, CurrencyAmount: toMajorNumber(minor, cur) });
	const items = ev.items.map((it) => {
		/** @type {any} */
		const out = { SellerSKU: it.sku, OrderItemId: it.orderItemId };
		if (ev.kind === 'refund') out.OrderAdjustmentItemId = it.adjustmentItemId;
		out.QuantityShipped = it.quantity;
		const charges = Object.entries(it.charges).map(([type, v]) => ({ ChargeType: type, ChargeAmount: money(v) }));
		const fees = Object.entries(it.fees).map(([type, v]) => ({ FeeType: type, FeeAmount: money(v) }));
		const promos = it.promotion ? (it.promotionIds.length ? it.promotionIds : ['UnknownPromotion']).map((id, i, all) => ({ PromotionType: 'PromotionMetaDataDefinitionValue', PromotionId: id, PromotionAmount: money(i === 0 ? it.promotion - Math.trunc(it.promotion / all.length) * (all.length - 1) : Math.trunc(it.promotion / all.length)) })) : [];
		const withheld = Object.keys(it.withheld).length
			? [{ TaxCollectionModel: 'MarketplaceFacilitator', TaxesWithheld: Object.entries(it.withheld).map(([type, v]) => ({ ChargeType: type, ChargeAmount: money(v) })) }]
			: [];
		if (ev.kind === 'refund') {
			out.ItemChargeAdjustmentList = charges;
			out.ItemFeeAdjustmentList = fees;
			if (promos.length) out.PromotionAdjustmentList = promos;
		} else {
			out.ItemChargeList = charges;
			out.ItemFeeList = fees;
			if (promos.length) out.PromotionList = promos;
		}
		if (withheld.length) out.ItemTaxWithheldList = withheld;
		return out;
	});
	/** @type {any} */
	const out = {
		AmazonOrderId: ev.orderId,
		MarketplaceName: marketplaceById(ev.marketplaceId)?.name ?? ev.marketplaceId,
		PostedDate: iso(ev.postedWall),
	};
	if (ev.kind === 'refund') out.ShipmentItemAdjustmentList = items;
	else out.ShipmentItemList = items;
	return out;
}

/** Every list Amazon returns (empty when there is nothing). */
const V0_LISTS = [
	'ShipmentEventList', 'ShipmentSettleEventList', 'RefundEventList', 'GuaranteeClaimEventList', 'ChargebackEventList',
	'PayWithAmazonEventList', 'ServiceProviderCreditEventList', 'RetrochargeEventList', 'RentalTransactionEventList',
	'ProductAdsPaymentEventList', 'ServiceFeeEventList', 'SellerDealPaymentEventList', 'DebtRecoveryEventList',
	'LoanServicingEventList', 'AdjustmentEventList', 'SAFETReimbursementEventList', 'SellerReviewEnrollmentPaymentEventList',
	'FBALiquidationEventList', 'CouponPaymentEventList', 'ImagingServicesFeeEventList', 'NetworkComminglingTransactionEventList',
	'AffordabilityExpenseEventList', 'AffordabilityExpenseReversalEventList', 'RemovalShipmentEventList',
	'RemovalShipmentAdjustmentEventList', 'TrialShipmentEventList', 'TDSReimbursementEventList', 'AdhocDisbursementEventList',
	'TaxWithholdingEventList', 'ChargeRefundEventList', 'FailedAdhocDisbursementEventList', 'ValueAddedServiceChargeEventList',
	'CapacityReservationBillingEventList',
];

/** @param {FinanceEvent[]} events */
function toV0FinancialEvents(events) {
	/** @type {Record<string, any[]>} */
	const out = Object.fromEntries(V0_LISTS.map((k) => [k, []]));
	for (const ev of events) (ev.kind === 'refund' ? out.RefundEventList : out.ShipmentEventList).push(toV0Event(ev));
	return out;
}

/** @param {Record<string, number>} obj */
const sum = (obj) => Object.values(obj).reduce((a, b) => a + b, 0);

/**
 * 2024-06-19 Transaction.
 * @param {FinanceEvent} ev @param {string} sellerId
 */
function toTransaction(ev, sellerId) {
	const cur = ev.currency;
	/** @param {number} minor */
	const money = (minor) => ({ currencyCode: cur, currencyAmount: toMajorNumber(minor, cur) });
	const refund = ev.kind === 'refund';
	/** @param {string} type @param {number} amount @param {any[]} [children] */
	const bd = (type, amount, children) => ({ breakdownType: type, breakdownAmount: money(amount), ...(children && children.length ? { breakdowns: children } : {}) });
	/** @param {import('./store').EventItem} it */
	const itemBreakdowns = (it) => {
		const c = it.charges;
		/** leaf name -> ChargeType(s) */
		const leaves = /** @type {[string, string[]][]} */ ([
			['ProductCharges', ['Principal']],
			['Shipping', ['ShippingCharge']],
			['GiftWrap', ['GiftWrap']],
			['Tax', ['Tax']],
			['ShippingTax', ['ShippingTax']],
			['GiftWrapTax', ['GiftWrapTax']],
		]);
		const known = new Set(leaves.flatMap(([, types]) => types));
		/** @type {any[]} */
		const sales = [];
		let salesTotal = 0;
		for (const [name, types] of leaves) {
			const v = types.reduce((a, t) => a + (c[t] ?? 0), 0);
			if (v || name === 'ProductCharges') sales.push(bd(name, v));
			salesTotal += v;
		}
		for (const [type, v] of Object.entries(c)) {
			if (known.has(type) || !v) continue;
			sales.push(bd(type, v));
			salesTotal += v;
		}
		if (it.promotion) {
			sales.push(bd('Promotion', it.promotion));
			salesTotal += it.promotion;
		}
		const fees = sum(it.fees);
		const withheld = sum(it.withheld);
		const top = [bd(refund ? 'Refunds' : 'Sales', salesTotal, sales), bd('Expenses', fees, [bd('AmazonFees', fees)])];
		/** @type {Record<string, number>} */
		const tops = { [refund ? 'Refunds' : 'Sales']: salesTotal, Expenses: fees };
		if (withheld) {
			top.push(bd('Tax', withheld, [bd('MarketplaceFacilitatorTax', withheld)]));
			tops.Tax = withheld;
		}
		return { total: salesTotal + fees + withheld, breakdowns: top, tops };
	};
	const items = ev.items.map((it) => {
		const b = itemBreakdowns(it);
		/** @type {any} */
		const out = { totalAmount: money(b.total), breakdowns: b.breakdowns };
		if (refund && it.adjustmentItemId) out.relatedIdentifiers = [{ itemRelatedIdentifierName: 'ORDER_ADJUSTMENT_ITEM_ID', itemRelatedIdentifierValue: it.adjustmentItemId }];
		out.contexts = [{ contextType: 'ProductContext', sku: it.sku, quantityShipped: it.quantity, fulfillmentNetwork: ev.fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN' }];
		return out;
	});
	const totals = ev.items.map(itemBreakdowns);
	/** @type {Record<string, number>} */
	const agg = {};
	for (const t of totals) for (const [type, minor] of Object.entries(t.tops)) agg[type] = (agg[type] ?? 0) + minor;
	const total = totals.reduce((a, t) => a + t.total, 0);
	const mp = marketplaceById(ev.marketplaceId);
	return {
		sellingPartnerMetadata: { sellingPartnerId: sellerId, accountType: 'Standard Orders', marketplaceId: ev.marketplaceId },
		relatedIdentifiers: [
			{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: ev.orderId },
			...(refund ? [{ relatedIdentifierName: 'REFUND_ID', relatedIdentifierValue: /** @type {string} */ (ev.refundId) }] : [{ relatedIdentifierName: 'SHIPMENT_ID', relatedIdentifierValue: /** @type {string} */ (ev.shipmentId) }]),
			{ relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID', relatedIdentifierValue: ev.groupId },
		],
		transactionType: refund ? 'Refund' : 'Shipment',
		transactionId: ev.id,
		transactionStatus: 'RELEASED',
		description: refund ? 'Refund Order' : 'Order Payment',
		postedDate: iso(ev.postedWall),
		totalAmount: money(total),
		marketplaceDetails: { marketplaceId: ev.marketplaceId, marketplaceName: mp?.name ?? ev.marketplaceId },
		items,
		breakdowns: Object.entries(agg).map(([type, minor]) => bd(type, minor)),
	};
}

module.exports = { toV0FinancialEvents, toTransaction, V0_LISTS };
