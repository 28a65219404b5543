// @ts-check
'use strict';

/**
 * Webhook payloads in Shopify's REST shape (snake_case, numeric ids, amounts as strings with the
 * currency's decimals, times in the shop's time zone offset), following the 2026-07 examples in
 * shared/specs/shopify/webhooks-2026-07. Built from the store at the moment of the event.
 */

const money = require('./money');
const { tzParts } = require('./resolvers');

/**
 * @param {ReturnType<typeof import('./store').createStore>} store
 */
function createRest(store) {
	const S = () => store.state.shop.currencyCode;

	/** ISO time in the shop's zone, like Shopify's REST ("2026-11-20T05:00:00-05:00"). @param {string|null} isoTime */
	const t = (isoTime) => {
		if (!isoTime) return null;
		const ms = Date.parse(isoTime);
		const { offset, minutes } = tzParts(store.state.shop.ianaTimezone, ms);
		const local = new Date(ms + minutes * 60000).toISOString().replace(/\.\d{3}Z$/, '');
		return `${local}${offset}`;
	};

	/** @param {any} order @param {{shop:number,pres:number}} a */
	const set = (order, a) => ({
		shop_money: { amount: money.formatRest(a.shop, S()), currency_code: S() },
		presentment_money: { amount: money.formatRest(a.pres, order.presentmentCurrencyCode), currency_code: order.presentmentCurrencyCode },
	});
	/** @param {any} order @param {number} pres */
	const pres = (order, pres) => money.formatRest(pres, order.presentmentCurrencyCode);
	/** @param {string} gid */
	const num = (gid) => Number(String(gid).split('/').pop());

	/** @param {any} a MailingAddress record */
	const address = (a) =>
		a
			? {
					first_name: a.firstName,
					address1: a.address1,
					phone: a.phone,
					city: a.city,
					zip: a.zip,
					province: a.province,
					country: a.country,
					last_name: a.lastName,
					address2: a.address2,
					company: a.company,
					latitude: a.latitude,
					longitude: a.longitude,
					name: a.name,
					country_code: a.countryCodeV2,
					province_code: a.provinceCode,
				}
			: null;

	/** @param {any} order @param {any} tax */
	const taxLine = (order, tax) => ({
		channel_liable: Boolean(tax.channelLiable),
		price: pres(order, tax.amount.pres),
		price_set: set(order, tax.amount),
		rate: Number(tax.rate),
		title: tax.title,
	});

	/** @param {any} order */
	const discountApplications = (order) => {
		const d = order._discount;
		if (!d) return [];
		return [
			{
				target_type: d.kind === 'shipping' ? 'shipping_line' : 'line_item',
				type: 'discount_code',
				value: d.kind === 'percentage' ? String(d.percentage) : d.kind === 'fixed' ? money.formatRest(d.amount.pres, order.presentmentCurrencyCode) : '100.0',
				value_type: d.kind === 'fixed' ? 'fixed_amount' : 'percentage',
				allocation_method: d.kind === 'shipping' ? 'each' : 'across',
				target_selection: 'all',
				code: d.code,
			},
		];
	};

	/** @param {any} order @param {any} l */
	const lineItem = (order, l) => {
		const v = l._variant;
		const unfulfilled = store.unfulfilledQty(l);
		const zero = { shop: 0, pres: 0 };
		return {
			id: num(l.id),
			admin_graphql_api_id: l.id,
			attributed_staffs: [],
			current_quantity: l.quantity - l._refunded,
			fulfillable_quantity: order.cancelledAt ? 0 : unfulfilled,
			fulfillment_service: 'manual',
			fulfillment_status: l._fulfilled === 0 ? null : unfulfilled === 0 ? 'fulfilled' : 'partial',
			gift_card: l.isGiftCard,
			grams: l._weight ? Math.round(l._weight.unit === 'KILOGRAMS' ? l._weight.value * 1000 : l._weight.unit === 'POUNDS' ? l._weight.value * 453.592 : l._weight.unit === 'OUNCES' ? l._weight.value * 28.3495 : l._weight.value) : 0,
			name: l.name,
			price: pres(order, l._unit.pres),
			price_set: set(order, l._unit),
			product_exists: Boolean(v),
			product_id: v ? num(v._productId) : null,
			properties: l.customAttributes.map((/** @type {any} */ a) => ({ name: a.key, value: a.value })),
			quantity: l.quantity,
			requires_shipping: l.requiresShipping,
			sales_line_item_group_id: null,
			sku: l.sku ?? '',
			taxable: l.taxable,
			title: l.title,
			total_discount: pres(order, 0),
			total_discount_set: set(order, zero),
			variant_id: v ? num(v.id) : null,
			variant_inventory_management: v && v._tracked ? 'shopify' : null,
			variant_title: l.variantTitle,
			vendor: l.vendor,
			tax_lines: l._taxes.map((/** @type {any} */ x) => taxLine(order, x)),
			duties: [],
			discount_allocations:
				l._discount.pres || l._discount.shop
					? [{ amount: pres(order, l._discount.pres), amount_set: set(order, l._discount), discount_application_index: 0 }]
					: [],
		};
	};

	/** @param {any} order @param {any} s */
	const shippingLine = (order, s) => {
		const discounted = { shop: s._price.shop - s._discount.shop, pres: s._price.pres - s._discount.pres };
		return {
			id: num(s.id),
			carrier_identifier: null,
			code: s.code,
			current_discounted_price_set: set(order, { shop: discounted.shop - s._refunded.shop, pres: discounted.pres - s._refunded.pres }),
			discounted_price: pres(order, discounted.pres),
			discounted_price_set: set(order, discounted),
			is_removed: false,
			phone: null,
			price: pres(order, s._price.pres),
			price_set: set(order, s._price),
			requested_fulfillment_service_id: null,
			source: s.source,
			title: s.title,
			tax_lines: s._taxes.map((/** @type {any} */ x) => taxLine(order, x)),
			discount_allocations: s._discount.pres ? [{ amount: pres(order, s._discount.pres), amount_set: set(order, s._discount), discount_application_index: 0 }] : [],
		};
	};

	/** @param {any} order @param {any} f */
	const fulfillment = (order, f) => {
		const first = f._tracking[0] || null;
		return {
			id: num(f.id),
			admin_graphql_api_id: f.id,
			created_at: t(f.createdAt),
			location_id: num(f._locationId),
			name: f.name,
			order_id: num(order.id),
			origin_address: f._originAddress
				? { address1: f._originAddress.address1 ?? null, address2: f._originAddress.address2 ?? null, city: f._originAddress.city ?? null, country_code: f._originAddress.countryCode, province_code: f._originAddress.provinceCode ?? null, zip: f._originAddress.zip ?? null }
				: null,
			receipt: {},
			service: 'manual',
			shipment_status: f._shipmentStatus ? String(f._shipmentStatus).toLowerCase() : null,
			status: f.status === 'SUCCESS' ? 'success' : String(f.status).toLowerCase(),
			tracking_company: first ? first.company : null,
			tracking_number: first ? first.number : null,
			tracking_numbers: f._tracking.map((/** @type {any} */ x) => x.number).filter(Boolean),
			tracking_url: first ? first.url : null,
			tracking_urls: f._tracking.map((/** @type {any} */ x) => x.url).filter(Boolean),
			updated_at: t(f.updatedAt),
			line_items: f._lines.map((/** @type {any} */ x) => ({ ...lineItem(order, x._line), quantity: x.quantity })),
		};
	};

	/** @param {any} order @param {any} tx */
	const transaction = (order, tx) => ({
		id: num(tx.id),
		admin_graphql_api_id: tx.id,
		amount: pres(order, tx._amount.pres),
		amount_rounding: null,
		authorization: tx.authorizationCode,
		created_at: t(tx.createdAt),
		currency: order.presentmentCurrencyCode,
		device_id: null,
		error_code: null,
		gateway: tx.gateway,
		kind: String(tx.kind).toLowerCase(),
		location_id: null,
		manual_payment_gateway: !['shopify_payments', 'paypal', 'bogus'].includes(tx.gateway),
		message: null,
		order_id: num(order.id),
		parent_id: tx._parentId ? num(tx._parentId) : null,
		payment_id: `${order.name}.${order._transactions.indexOf(tx) + 1}`,
		processed_at: t(tx.processedAt),
		receipt: {},
		source_name: '1830279',
		status: String(tx.status).toLowerCase(),
		test: tx.test,
		total_unsettled_set: {
			presentment_money: { amount: '0.0', currency: order.presentmentCurrencyCode },
			shop_money: { amount: '0.0', currency: S() },
		},
		user_id: null,
	});

	/** @param {any} order @param {any} r */
	const refund = (order, r) => ({
		id: num(r.id),
		admin_graphql_api_id: r.id,
		order_id: num(order.id),
		created_at: t(r.createdAt),
		note: r.note,
		user_id: r._via && r._via.startsWith('control') ? 548380009 : null,
		processed_at: t(r.processedAt),
		restock: r._lines.some((/** @type {any} */ x) => x.restocked),
		duties: [],
		total_duties_set: set(order, { shop: 0, pres: 0 }),
		return: null,
		refund_shipping_lines: r._shipping
			? [
					{
						id: num(r._shipping.id),
						shipping_line_id: r._shipping._shippingLine ? num(r._shipping._shippingLine.id) : null,
						subtotal_amount_set: set(order, r._shipping.amount),
						tax_amount_set: set(order, r._shipping.tax),
					},
				]
			: [],
		order_adjustments: r._adjustments.map((/** @type {any} */ a) => ({
			id: num(a.id),
			order_id: num(order.id),
			refund_id: num(r.id),
			amount: pres(order, -a._amount.pres),
			amount_set: set(order, { shop: -a._amount.shop, pres: -a._amount.pres }),
			tax_amount: pres(order, 0),
			tax_amount_set: set(order, { shop: 0, pres: 0 }),
			kind: 'refund_discrepancy',
			reason: 'Refund discrepancy',
		})),
		refund_line_items: r._lines.map((/** @type {any} */ x) => ({
			id: num(x.id),
			line_item_id: num(x._line.id),
			location_id: x._locationId ? num(x._locationId) : null,
			quantity: x.quantity,
			restock_type: String(x.restockType).toLowerCase(),
			subtotal: Number(money.formatRest(x._subtotal.pres, order.presentmentCurrencyCode)),
			subtotal_set: set(order, x._subtotal),
			total_tax: Number(money.formatRest(x._tax.pres, order.presentmentCurrencyCode)),
			total_tax_set: set(order, x._tax),
			line_item: lineItem(order, x._line),
		})),
		transactions: r._transactionIds.map((/** @type {string} */ id) => transaction(order, order._transactions.find((/** @type {any} */ x) => x.id === id))),
	});

	/** @param {any} order */
	const customer = (order) => {
		const c = order._customerId ? store.state.customers.find((x) => x.id === order._customerId) : null;
		if (!c) return null;
		const a = c._addresses[0] || null;
		return {
			id: num(c.id),
			email: c.email,
			created_at: t(c.createdAt),
			updated_at: t(c.updatedAt),
			first_name: c.firstName,
			last_name: c.lastName,
			state: String(c.state).toLowerCase(),
			note: c.note,
			verified_email: c.verifiedEmail,
			multipass_identifier: c.multipassIdentifier,
			tax_exempt: c.taxExempt,
			phone: c.phone,
			currency: S(),
			tax_exemptions: [],
			admin_graphql_api_id: c.id,
			default_address: a
				? {
						id: num(a.id),
						customer_id: num(c.id),
						first_name: a.firstName ?? c.firstName,
						last_name: a.lastName ?? c.lastName,
						company: a.company ?? null,
						address1: a.address1 ?? null,
						address2: a.address2 ?? null,
						city: a.city ?? null,
						province: a.province ?? null,
						country: a.country ?? null,
						zip: a.zip ?? null,
						phone: a.phone ?? null,
						name: [a.firstName ?? c.firstName, a.lastName ?? c.lastName].filter(Boolean).join(' '),
						province_code: a.provinceCode ?? null,
						country_code: a.countryCode ?? null,
						country_name: a.country ?? null,
						default: true,
					}
				: null,
		};
	};

	/** @param {any} order */
	const order = (order) => {
		const tot = store.totals(order);
		const P = order.presentmentCurrencyCode;
		const fin = store.financialStatus(order).toLowerCase();
		const ful = store.fulfillmentStatus(order);
		const zero = { shop: 0, pres: 0 };
		return {
			id: num(order.id),
			admin_graphql_api_id: order.id,
			app_id: 1830279,
			browser_ip: null,
			buyer_accepts_marketing: order.buyerAcceptsMarketing,
			cancel_reason: order.cancelReason ? String(order.cancelReason).toLowerCase() : null,
			cancelled_at: t(order.cancelledAt),
			cart_token: null,
			checkout_token: null,
			client_details: null,
			closed_at: t(order.closedAt),
			confirmation_number: null,
			confirmed: true,
			contact_email: order.email,
			created_at: t(order.createdAt),
			currency: S(),
			current_shipping_price_set: set(order, tot.currentShipping),
			current_subtotal_price: pres(order, tot.currentSubtotal.pres),
			current_subtotal_price_set: set(order, tot.currentSubtotal),
			current_total_additional_fees_set: null,
			current_total_discounts: pres(order, tot.currentDiscounts.pres),
			current_total_discounts_set: set(order, tot.currentDiscounts),
			current_total_duties_set: null,
			current_total_price: pres(order, tot.currentTotal.pres),
			current_total_price_set: set(order, tot.currentTotal),
			current_total_tax: pres(order, tot.currentTax.pres),
			current_total_tax_set: set(order, tot.currentTax),
			customer_locale: 'en',
			device_id: null,
			discount_codes: order._discount
				? [{ code: order._discount.code, amount: pres(order, tot.discounts.pres), type: order._discount.kind === 'fixed' ? 'fixed_amount' : order._discount.kind === 'shipping' ? 'shipping' : 'percentage' }]
				: [],
			duties_included: false,
			email: order.email,
			estimated_taxes: false,
			financial_status: fin,
			fulfillment_status: ful === 'FULFILLED' ? 'fulfilled' : ful === 'PARTIALLY_FULFILLED' ? 'partial' : ful === 'RESTOCKED' ? 'restocked' : null,
			landing_site: null,
			landing_site_ref: null,
			location_id: null,
			merchant_business_entity_id: 'MTY4NzE5NDc2NzM2',
			merchant_of_record_app_id: null,
			name: order.name,
			note: order.note,
			note_attributes: order.customAttributes.map((/** @type {any} */ a) => ({ name: a.key, value: a.value })),
			number: order.number - 1000,
			order_number: order.number,
			order_status_url: `https://${store.state.shop.myshopifyDomain}/${order.legacyResourceId}/orders/${Buffer.from(order.id).toString('hex').slice(0, 32)}/authenticate?key=sandbox`,
			original_total_additional_fees_set: null,
			original_total_duties_set: null,
			payment_gateway_names: [...new Set(order._transactions.map((/** @type {any} */ x) => x.gateway))],
			payment_terms: null,
			phone: order.phone,
			po_number: order.poNumber,
			presentment_currency: P,
			processed_at: t(order.processedAt),
			reference: null,
			referring_site: order.referringSite,
			source_identifier: order.sourceIdentifier,
			source_name: order.sourceName,
			source_url: order.sourceUrl,
			subtotal_price: pres(order, tot.subtotal.pres),
			subtotal_price_set: set(order, tot.subtotal),
			tags: order.tags.join(', '),
			tax_exempt: false,
			tax_lines: aggregateTaxes(order).map((x) => taxLine(order, x)),
			taxes_included: order.taxesIncluded,
			test: order.test,
			token: Buffer.from(order.id).toString('hex').slice(-32),
			total_cash_rounding_payment_adjustment_set: set(order, zero),
			total_cash_rounding_refund_adjustment_set: set(order, zero),
			total_discounts: pres(order, tot.discounts.pres),
			total_discounts_set: set(order, tot.discounts),
			total_line_items_price: pres(order, tot.lineItemsOriginal.pres),
			total_line_items_price_set: set(order, tot.lineItemsOriginal),
			total_outstanding: pres(order, tot.outstanding.pres),
			total_price: pres(order, tot.total.pres),
			total_price_set: set(order, tot.total),
			total_shipping_price_set: set(order, tot.shipping),
			total_tax: pres(order, tot.tax.pres),
			total_tax_set: set(order, tot.tax),
			total_tip_received: pres(order, 0),
			total_weight: 0,
			updated_at: t(order.updatedAt),
			user_id: null,
			billing_address: address(order.billingAddress),
			customer: customer(order),
			discount_applications: discountApplications(order),
			fulfillments: order._fulfillments.map((/** @type {any} */ f) => fulfillment(order, f)),
			line_items: order._lines.map((/** @type {any} */ l) => lineItem(order, l)),
			payment_terms_details: undefined,
			refunds: order._refunds.map((/** @type {any} */ r) => refund(order, r)),
			shipping_address: address(order.shippingAddress),
			shipping_lines: order._shippingLines.map((/** @type {any} */ s) => shippingLine(order, s)),
			returns: [],
			line_item_groups: [],
		};
	};

	/** @param {any} o */
	const aggregateTaxes = (o) => {
		/** @type {Map<string, any>} */
		const agg = new Map();
		/** @param {any} x */
		const put = (x) => {
			const k = `${x.title}|${x.rate}|${x.channelLiable}`;
			const cur = agg.get(k) || { ...x, amount: { shop: 0, pres: 0 } };
			cur.amount = { shop: cur.amount.shop + x.amount.shop, pres: cur.amount.pres + x.amount.pres };
			agg.set(k, cur);
		};
		for (const l of o._lines) l._taxes.forEach(put);
		for (const s of o._shippingLines) s._taxes.forEach(put);
		return [...agg.values()];
	};

	/**
	 * The payload for a topic and event.
	 * @param {import('./store').StoreEvent} event
	 */
	function payload(event) {
		const o = store.state.ordersById.get(event.orderId);
		if (!o) throw new Error(`order ${event.orderId} not found for ${event.topic}`);
		switch (event.topic) {
			case 'fulfillments/create':
			case 'fulfillments/update': {
				const f = o._fulfillments.find((/** @type {any} */ x) => x.id === event.fulfillmentId);
				return {
					...fulfillment(o, f),
					email: o.email,
					destination: address(o.shippingAddress),
				};
			}
			case 'refunds/create': {
				const r = o._refunds.find((/** @type {any} */ x) => x.id === event.refundId);
				return refund(o, r);
			}
			default: {
				const out = order(o);
				delete out.payment_terms_details;
				return out;
			}
		}
	}

	return { payload, order, fulfillment, refund, transaction, time: t };
}

module.exports = { createRest };
