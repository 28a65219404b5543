// @ts-check
'use strict';

const { formatMinor, toMinor } = require('../lib/money');
const { marketplaceById } = require('./marketplaces');
const { checkCarrierCode } = require('./carriers');
const {
	CHARGE_KEYS,
	ORDER_ID_RE,
	clone,
	createRecord,
	chargesForShipped,
	itemFullCharges,
	refreshFulfillment,
	checkOrderConsistency,
	zeroCharges,
} = require('./orders');

/**
 * The Amazon sandbox's state and business rules (orders, packages, refunds, cancellations,
 * financial events). HTTP handlers, the feed processor and the control API all go through it.
 *
 * @typedef {import('./orders').OrderRecord} OrderRecord
 * @typedef {import('./orders').Charges} Charges
 * @typedef {{ code: string, message: string }} BizError
 * @typedef {{ orderItemId: string, quantity: number }} PackageItemInput
 * @typedef {{ packageReferenceId?: string, carrierCode: string, carrierName?: string, shippingMethod?: string,
 *   trackingNumber: string, shipDate: string, orderItems?: PackageItemInput[], transparency?: boolean }} PackageInput
 * @typedef {{ orderItemId: string, sku: string, quantity: number, charges: Record<string, number>,
 *   promotion: number, promotionIds: string[], fees: Record<string, number>, withheld: Record<string, number>,
 *   adjustmentItemId?: string, merchantAdjustmentItemId?: string, reason?: string }} EventItem
 *   signed minor units from the SELLER's point of view (refunded charges negative)
 * @typedef {{ id: string, kind: 'shipment'|'refund', orderId: string, marketplaceId: string, currency: string,
 *   fulfilledBy: string, postedWall: number, visibleAtT: number, items: EventItem[], source: string,
 *   groupId: string, shipmentId?: string, refundId?: string }} FinanceEvent
 * @typedef {{ orderItemId: string, amounts: Partial<Record<string, number>>, promotion?: number,
 *   reason?: string, merchantAdjustmentItemId?: string, quantity?: number }} RefundLine
 *   amounts: feed component Type -> minor units (>= 0) given back to the buyer; promotion: minor units
 *   of promotion discount taken back (reduces the credit)
 */

/** Feed component Type -> Finances v0 ChargeType. */
const CHARGE_TYPE = /** @type {Record<string, string>} */ ({
	Principal: 'Principal',
	Shipping: 'ShippingCharge',
	Tax: 'Tax',
	ShippingTax: 'ShippingTax',
	GiftWrap: 'GiftWrap',
	GiftWrapTax: 'GiftWrapTax',
	RestockingFee: 'RestockingFee',
	RestockingFeeTax: 'RestockingFeeTax',
	ReturnShipping: 'ReturnShipping',
	Goodwill: 'Goodwill',
	ExportCharge: 'ExportCharge',
	COD: 'CODItemCharge',
	CODTax: 'CODItemTaxCharge',
	Surcharge: 'GenericDeduction',
	Other: 'GenericDeduction',
	FreeReplacementReturnShipping: 'FreeReplacementReturnShipping',
});
/** Components that give money back and are capped by what was charged for them. */
const CAPPED = ['Principal', 'Shipping', 'Tax', 'ShippingTax', 'GiftWrap', 'GiftWrapTax'];
/** Components that are deductions from the refund (kept by the seller). */
const DEDUCTIONS = ['RestockingFee', 'RestockingFeeTax'];

/**
 * @param {{ clock: import('../lib/clock').Clock, rng: import('../lib/rng').Rng, sellerId: string,
 *   refundEventDelayMs: number, validateOrder?: (o: any) => string[] | null }} deps
 */
function createStore(deps) {
	const { clock, rng, sellerId } = deps;
	/** @type {Map<string, OrderRecord>} */
	const orders = new Map();
	/** @type {Map<string, string>} seller order id -> order id */
	const aliases = new Map();
	/** @type {FinanceEvent[]} */
	let events = [];
	let seq = 0;

	const nowIso = () => new Date(Math.floor(clock.wallNow() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
	/** @param {OrderRecord} rec @param {number} [wall] */
	const touch = (rec, wall) => {
		const at = wall === undefined ? nowIso() : new Date(Math.floor(wall / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
		rec.order.lastUpdatedTime = Date.parse(at) > Date.parse(rec.order.lastUpdatedTime) ? at : rec.order.lastUpdatedTime;
	};
	/** @param {string} code @param {string} message @returns {{ ok: false, error: BizError }} */
	const fail = (code, message) => ({ ok: false, error: { code, message } });
	const groupId = () => `${rng.chars(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;

	/**
	 * Seed complete orders (v2026 `Order` objects, optionally with a `sandbox: { indexDelayMs | indexedAt }`).
	 * Throws an Error listing every problem (nothing is stored when one order is bad).
	 * @param {any[]} list
	 */
	function seedOrders(list) {
		if (!Array.isArray(list)) throw new Error('seedOrders expects an array of orders');
		/** @type {string[]} */
		const problems = [];
		const ids = new Set();
		const itemIds = new Set();
		for (const rec of orders.values()) for (const it of rec.order.orderItems) itemIds.add(it.orderItemId);
		/** @type {{ order: any, sandbox: any }[]} */
		const prepared = [];
		list.forEach((raw, i) => {
			if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
				problems.push(`orders[${i}]: must be an object`);
				return;
			}
			const { sandbox = {}, ...order } = raw;
			const at = `orders[${i}] (${order.orderId ?? 'no orderId'})`;
			for (const k of Object.keys(sandbox)) if (!['indexDelayMs', 'indexedAt'].includes(k)) problems.push(`${at}: unknown sandbox field "${k}" (allowed: indexDelayMs, indexedAt)`);
			const schemaErrors = deps.validateOrder ? deps.validateOrder(order) : null;
			for (const e of schemaErrors ?? []) problems.push(`${at}: schema: ${e}`);
			for (const e of checkOrderConsistency(order)) problems.push(`${at}: ${e}`);
			if (orders.has(order.orderId) || ids.has(order.orderId)) problems.push(`${at}: orderId already exists`);
			ids.add(order.orderId);
			for (const it of order.orderItems ?? []) {
				if (itemIds.has(it.orderItemId)) problems.push(`${at}: orderItemId ${it.orderItemId} is already used by another order`);
				itemIds.add(it.orderItemId);
			}
			prepared.push({ order, sandbox });
		});
		if (problems.length) throw Object.assign(new Error(`invalid orders:\n- ${problems.join('\n- ')}`), { problems });
		for (const { order, sandbox } of prepared) {
			const rec = createRecord(clone(order), { visibleAtT: indexVisibleAt(sandbox) });
			orders.set(order.orderId, rec);
			if (rec.sellerOrderId) aliases.set(rec.sellerOrderId, order.orderId);
			// what was shipped before seeding has already been charged: post it (visible at once)
			const items = rec.order.orderItems
				.filter((/** @type {any} */ it) => (rec.shipped[it.orderItemId] ?? 0) > 0)
				.map((/** @type {any} */ it) => ({ item: it, quantity: rec.shipped[it.orderItemId], charges: rec.charged[it.orderItemId] }));
			if (items.length) {
				const shipTimes = (rec.order.packages ?? []).map((/** @type {any} */ p) => Date.parse(p.shipTime)).filter((/** @type {number} */ n) => !Number.isNaN(n));
				const posted = shipTimes.length ? Math.max(...shipTimes) : Date.parse(rec.order.lastUpdatedTime);
				postShipmentEvent(rec, items, { postedWall: posted, visibleAtT: clock.t(), source: 'seed' });
			}
		}
		return prepared.map((p) => p.order.orderId);
	}

	/** @param {{ indexDelayMs?: number, indexedAt?: string }} sandbox */
	function indexVisibleAt(sandbox) {
		if (sandbox.indexDelayMs !== undefined) {
			if (!(typeof sandbox.indexDelayMs === 'number' && sandbox.indexDelayMs >= 0)) throw new Error('indexDelayMs must be a non-negative number of sandbox ms');
			return clock.t() + sandbox.indexDelayMs;
		}
		if (sandbox.indexedAt !== undefined) {
			const wall = Date.parse(sandbox.indexedAt);
			if (Number.isNaN(wall)) throw new Error(`indexedAt ${JSON.stringify(sandbox.indexedAt)} is not a date-time`);
			return clock.t() + (wall - clock.wallNow());
		}
		return -Infinity;
	}

	/** @param {string} id */
	const get = (id) => orders.get(id);
	/** @param {string} sellerOrderId */
	const byAlias = (sellerOrderId) => {
		const id = aliases.get(sellerOrderId);
		return id ? orders.get(id) : undefined;
	};

	/**
	 * Post a shipment financial event for newly charged units.
	 * @param {OrderRecord} rec
	 * @param {{ item: any, quantity: number, charges: Charges }[]} lines
	 * @param {{ postedWall: number, visibleAtT: number, source: string }} when
	 */
	function postShipmentEvent(rec, lines, when) {
		const commissionRate = rec.marketplaceId === 'A1VC38T7YXB528' ? 0.1 : 0.15;
		const us = rec.marketplaceId === 'ATVPDKIKX0DER';
		/** @type {EventItem[]} */
		const items = lines.map(({ item, quantity, charges }) => {
			/** @type {Record<string, number>} */
			const ch = {};
			for (const [k, v] of Object.entries({ Principal: charges.Principal, Shipping: charges.Shipping, GiftWrap: charges.GiftWrap, Tax: charges.Tax, ShippingTax: charges.ShippingTax, GiftWrapTax: charges.GiftWrapTax })) {
				if (v || k === 'Principal' || k === 'Tax') ch[k] = v;
			}
			const promotion = -(charges.PromoPrincipal + charges.PromoShipping);
			const base = charges.Principal + charges.Shipping + charges.GiftWrap + promotion;
			/** @type {Record<string, number>} */
			const fees = { Commission: -Math.round(base * commissionRate) };
			if (rec.order.fulfillment.fulfilledBy === 'AMAZON') fees.FBAPerUnitFulfillmentFee = -(quantity * (rec.currency === 'JPY' ? 400 : 399));
			/** @type {Record<string, number>} */
			const withheld = {};
			if (us && (item.tax?.taxCollections ?? []).some((/** @type {any} */ t) => t.model === 'MARKETPLACE_FACILITATOR')) {
				if (charges.Tax) withheld['MarketplaceFacilitatorTax-Principal'] = -charges.Tax;
				if (charges.ShippingTax) withheld['MarketplaceFacilitatorTax-Shipping'] = -charges.ShippingTax;
				if (charges.GiftWrapTax) withheld['MarketplaceFacilitatorTax-Other'] = -charges.GiftWrapTax;
			}
			return {
				orderItemId: item.orderItemId,
				sku: item.product.sellerSku,
				quantity,
				charges: ch,
				promotion,
				promotionIds: (item.promotion?.breakdowns ?? []).map((/** @type {any} */ b) => b.promotionId).filter(Boolean),
				fees,
				withheld,
			};
		});
		/** @type {FinanceEvent} */
		const ev = {
			id: `FE-${++seq}`,
			kind: 'shipment',
			orderId: rec.order.orderId,
			marketplaceId: rec.marketplaceId,
			currency: rec.currency,
			fulfilledBy: rec.order.fulfillment.fulfilledBy,
			postedWall: when.postedWall,
			visibleAtT: when.visibleAtT,
			items,
			source: when.source,
			groupId: groupId(),
			shipmentId: rng.chars(9, 'BCDFGHJKLMNPQRSTVWXYZ0123456789'),
		};
		events.push(ev);
		return ev;
	}

	/** @param {OrderRecord} rec @returns {BizError|null} */
	function shippableError(rec) {
		const o = rec.order;
		const st = o.fulfillment.fulfillmentStatus;
		if (o.fulfillment.fulfilledBy === 'AMAZON') return { code: 'InvalidInput', message: `Order ${o.orderId} is fulfilled by Amazon (AFN); shipment confirmation is only for merchant-fulfilled orders.` };
		if (st === 'CANCELLED') return { code: 'InvalidInput', message: `Order ${o.orderId} is canceled; it cannot be confirmed as shipped.` };
		if (st === 'PENDING' || st === 'PENDING_AVAILABILITY') return { code: 'InvalidInput', message: `Order ${o.orderId} is ${st}; payment is not authorized yet, so it cannot be confirmed as shipped until it is UNSHIPPED.` };
		if ((o.programs ?? []).includes('FBM_SHIP_PLUS')) return { code: 'InvalidInput', message: `Order ${o.orderId} is a Ship+ (FBM_SHIP_PLUS) order; Amazon confirms its shipments, confirmShipment is not allowed.` };
		return null;
	}

	/**
	 * Create or edit (same packageReferenceId) a package. Shared by confirmShipment and the
	 * OrderFulfillment feed.
	 * @param {OrderRecord} rec
	 * @param {PackageInput} pkg
	 * @param {{ wall?: number, allItemsWhenEmpty?: boolean }} [opts]
	 * @returns {{ ok: true, packageReferenceId: string, edited: boolean } | { ok: false, error: BizError }}
	 */
	function applyPackage(rec, pkg, opts = {}) {
		const o = rec.order;
		const notShippable = shippableError(rec);
		if (notShippable) return { ok: false, error: notShippable };
		const carrier = checkCarrierCode(pkg.carrierCode);
		if (!carrier.ok) return fail('InvalidInput', carrier.message);
		if (pkg.carrierCode === 'Other' && !(typeof pkg.carrierName === 'string' && pkg.carrierName.trim())) return fail('InvalidInput', 'carrierName is required when carrierCode is "Other".');
		if (!(typeof pkg.trackingNumber === 'string' && pkg.trackingNumber.trim())) return fail('InvalidInput', 'trackingNumber is required and must not be empty.');
		const shipMs = Date.parse(pkg.shipDate);
		if (typeof pkg.shipDate !== 'string' || Number.isNaN(shipMs) || !/^\d{4}-\d{2}-\d{2}T/.test(pkg.shipDate)) return fail('InvalidInput', `shipDate ${JSON.stringify(pkg.shipDate)} is not an ISO 8601 date-time.`);
		if (shipMs < Date.parse(o.createdTime) - 60000) return fail('InvalidInput', `shipDate ${pkg.shipDate} is before the order was placed (${o.createdTime}).`);
		if (shipMs > clock.wallNow() + 2 * 86400000) return fail('InvalidInput', `shipDate ${pkg.shipDate} is more than 2 days in the future.`);
		const existing = pkg.packageReferenceId !== undefined ? (o.packages ?? []).find((/** @type {any} */ p) => p.packageReferenceId === pkg.packageReferenceId) : undefined;
		if (!existing && o.fulfillment.fulfillmentStatus === 'SHIPPED') {
			return fail('PackageToUpdateNotFound', 'Failed to create package due to not finding a matching package or order already fulfilled');
		}
		let lines = pkg.orderItems ?? [];
		if (lines.length === 0) {
			if (!opts.allItemsWhenEmpty) return fail('InvalidInput', 'packageDetail.orderItems must list at least one order item.');
			lines = o.orderItems
				.map((/** @type {any} */ it) => ({ orderItemId: it.orderItemId, quantity: it.quantityOrdered - (rec.shipped[it.orderItemId] ?? 0) - (rec.cancelled[it.orderItemId] ?? 0) }))
				.filter((/** @type {PackageItemInput} */ l) => l.quantity > 0);
		}
		/** @type {Record<string, number>} */
		const next = { ...rec.shipped };
		if (existing) for (const pi of existing.packageItems ?? []) next[pi.orderItemId] -= pi.quantity;
		const seen = new Set();
		for (const line of lines) {
			const item = o.orderItems.find((/** @type {any} */ it) => it.orderItemId === line.orderItemId);
			if (!item) return fail('InvalidInput', `orderItemId ${line.orderItemId} is not an item of order ${o.orderId}.`);
			if (seen.has(line.orderItemId)) return fail('InvalidInput', `orderItemId ${line.orderItemId} is listed twice in the package.`);
			seen.add(line.orderItemId);
			if (!(Number.isInteger(line.quantity) && line.quantity > 0)) return fail('InvalidInput', `quantity for orderItemId ${line.orderItemId} must be a positive integer.`);
			const room = item.quantityOrdered - (rec.cancelled[item.orderItemId] ?? 0) - next[item.orderItemId];
			if (line.quantity > room) {
				return fail('InvalidInput', `quantity ${line.quantity} for orderItemId ${line.orderItemId} exceeds the quantity not yet shipped (${room}).`);
			}
			next[item.orderItemId] += line.quantity;
		}
		const ref = pkg.packageReferenceId ?? String(rec.nextPackageId);
		const wall = opts.wall ?? clock.wallNow();
		const isoNow = new Date(Math.floor(wall / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
		const shipIso = new Date(shipMs).toISOString().replace(/\.000Z$/, 'Z');
		/** @type {any} */
		const record = {
			packageReferenceId: ref,
			createdTime: existing?.createdTime ?? isoNow,
			packageStatus: { status: 'SHIPPED' },
			carrier: pkg.carrierCode === 'Other' ? /** @type {string} */ (pkg.carrierName) : pkg.carrierCode,
			shipTime: shipIso,
			...(pkg.shippingMethod ? { shippingService: pkg.shippingMethod } : {}),
			trackingNumber: pkg.trackingNumber,
			packageItems: lines.map((l) => ({ orderItemId: l.orderItemId, quantity: l.quantity })),
		};
		o.packages = o.packages ?? [];
		if (existing) o.packages[o.packages.indexOf(existing)] = record;
		else o.packages.push(record);
		const n = Number(ref);
		if (Number.isInteger(n) && n >= rec.nextPackageId) rec.nextPackageId = n + 1;
		// newly shipped units are charged now
		/** @type {{ item: any, quantity: number, charges: Charges }[]} */
		const charged = [];
		for (const item of o.orderItems) {
			const id = item.orderItemId;
			const before = rec.shipped[id] ?? 0;
			rec.shipped[id] = next[id];
			if (next[id] > before) {
				const target = chargesForShipped(item, rec.currency, Math.max(next[id], 0));
				const delta = zeroCharges();
				for (const k of CHARGE_KEYS) delta[k] = Math.max(0, target[k] - rec.charged[id][k]);
				for (const k of CHARGE_KEYS) rec.charged[id][k] += delta[k];
				charged.push({ item, quantity: next[id] - before, charges: delta });
			}
		}
		refreshFulfillment(rec);
		touch(rec, wall);
		if (charged.length) postShipmentEvent(rec, charged, { postedWall: wall, visibleAtT: clock.t() + deps.refundEventDelayMs, source: 'shipment' });
		return { ok: true, packageReferenceId: ref, edited: Boolean(existing) };
	}

	/**
	 * Cancel a whole order (OrderAcknowledgement Failure, or Amazon/buyer cancellation from control).
	 * @param {OrderRecord} rec
	 * @param {{ by: 'MERCHANT'|'BUYER'|'AMAZON', reasons?: Record<string, string>, defaultReason?: string, wall?: number }} opts
	 * @returns {{ ok: true } | { ok: false, error: BizError }}
	 */
	function cancelOrder(rec, opts) {
		const o = rec.order;
		const st = o.fulfillment.fulfillmentStatus;
		if (st === 'CANCELLED') return fail('AlreadyCancelled', `Order ${o.orderId} is already canceled.`);
		if (opts.by === 'MERCHANT' && o.fulfillment.fulfilledBy === 'AMAZON') return fail('NotAllowed', `Order ${o.orderId} is fulfilled by Amazon (AFN); the seller cannot cancel it.`);
		const anyShipped = o.orderItems.some((/** @type {any} */ it) => (rec.shipped[it.orderItemId] ?? 0) > 0);
		if (anyShipped || st === 'SHIPPED' || st === 'PARTIALLY_SHIPPED') {
			return fail('AlreadyShipped', `Order ${o.orderId} has shipped items (${st}); a shipped order cannot be canceled — refund it with an OrderAdjustment instead.`);
		}
		for (const item of o.orderItems) {
			rec.cancelled[item.orderItemId] = item.quantityOrdered;
			const reason = opts.reasons?.[item.orderItemId] ?? opts.defaultReason ?? 'GeneralAdjustment';
			item.cancellation = { ...(item.cancellation ?? {}), cancellationExecution: { cancelledBy: opts.by, cancelReason: reason } };
		}
		o.fulfillment.fulfillmentStatus = 'CANCELLED';
		refreshFulfillment(rec);
		touch(rec, opts.wall);
		return { ok: true };
	}

	/**
	 * Cancel some unshipped units (OrderAdjustment QuantityCancelled).
	 * @param {OrderRecord} rec @param {string} orderItemId @param {number} qty @param {number} [wall] @param {string} [reason]
	 * @returns {{ ok: true } | { ok: false, error: BizError }}
	 */
	function cancelUnits(rec, orderItemId, qty, wall, reason) {
		const item = rec.order.orderItems.find((/** @type {any} */ it) => it.orderItemId === orderItemId);
		if (!item) return fail('ItemNotFound', `orderItemId ${orderItemId} is not an item of order ${rec.order.orderId}.`);
		if (rec.order.fulfillment.fulfilledBy === 'AMAZON') return fail('NotAllowed', `Order ${rec.order.orderId} is fulfilled by Amazon (AFN); units cannot be canceled by the seller.`);
		if (rec.order.fulfillment.fulfillmentStatus === 'CANCELLED') return fail('AlreadyCancelled', `Order ${rec.order.orderId} is already canceled.`);
		const open = item.quantityOrdered - (rec.shipped[orderItemId] ?? 0) - (rec.cancelled[orderItemId] ?? 0);
		if (qty > open) return fail('QuantityExceeded', `QuantityCancelled ${qty} for item ${orderItemId} exceeds the ${open} unshipped, uncanceled unit(s).`);
		rec.cancelled[orderItemId] = (rec.cancelled[orderItemId] ?? 0) + qty;
		item.cancellation = { ...(item.cancellation ?? {}), cancellationExecution: { cancelledBy: 'MERCHANT', cancelReason: reason ?? 'NoInventory' } };
		refreshFulfillment(rec);
		touch(rec, wall);
		return { ok: true };
	}

	/**
	 * What is still refundable for an item, per capped component (minor units).
	 * @param {OrderRecord} rec @param {string} orderItemId
	 */
	function refundable(rec, orderItemId) {
		const charged = rec.charged[orderItemId] ?? zeroCharges();
		const refunded = rec.refunded[orderItemId] ?? {};
		/** @type {Record<string, number>} */
		const out = {};
		for (const k of CAPPED) out[k] = /** @type {any} */ (charged)[k] - (refunded[k] ?? 0);
		out.PromoTakeBack = charged.PromoPrincipal + charged.PromoShipping - (refunded.Promotion ?? 0);
		const paid = charged.Principal + charged.Shipping + charged.GiftWrap + charged.Tax + charged.ShippingTax + charged.GiftWrapTax - charged.PromoPrincipal - charged.PromoShipping;
		out.Total = paid - (refunded.NetCredit ?? 0);
		return out;
	}

	/**
	 * Check refund lines without applying them.
	 * @param {OrderRecord} rec @param {RefundLine[]} lines
	 * @returns {BizError|null}
	 */
	function checkRefund(rec, lines) {
		/** @type {Record<string, Record<string, number>>} */
		const pending = {};
		for (const line of lines) {
			const item = rec.order.orderItems.find((/** @type {any} */ it) => it.orderItemId === line.orderItemId);
			if (!item) return { code: 'ItemNotFound', message: `orderItemId ${line.orderItemId} is not an item of order ${rec.order.orderId}.` };
			if ((rec.shipped[line.orderItemId] ?? 0) === 0) {
				return { code: 'NotShipped', message: `Item ${line.orderItemId} of order ${rec.order.orderId} has not shipped, so nothing was charged; cancel it (OrderAcknowledgement Failure or QuantityCancelled) instead of refunding.` };
			}
			const left = refundable(rec, line.orderItemId);
			const acc = (pending[line.orderItemId] ??= {});
			let credit = 0;
			for (const [type, amount] of Object.entries(line.amounts)) {
				const v = /** @type {number} */ (amount);
				if (v < 0) return { code: 'InvalidAmount', message: `${type} amount for item ${line.orderItemId} must not be negative.` };
				if (CAPPED.includes(type)) {
					acc[type] = (acc[type] ?? 0) + v;
					if (acc[type] > left[type]) {
						return {
							code: 'AmountExceeded',
							message: `${type} refund ${formatMinor(acc[type], rec.currency)} ${rec.currency} for item ${line.orderItemId} exceeds what remains refundable (${formatMinor(Math.max(0, left[type]), rec.currency)} of ${formatMinor(/** @type {any} */ (rec.charged[line.orderItemId])[type], rec.currency)} charged${(rec.refunded[line.orderItemId]?.[type] ?? 0) ? `, ${formatMinor(rec.refunded[line.orderItemId][type], rec.currency)} already refunded` : ''}).`,
						};
					}
				}
				credit += DEDUCTIONS.includes(type) ? -v : v;
			}
			const promo = line.promotion ?? 0;
			acc.Promotion = (acc.Promotion ?? 0) + promo;
			if (acc.Promotion > left.PromoTakeBack) return { code: 'AmountExceeded', message: `Promotion adjustment ${formatMinor(acc.Promotion, rec.currency)} for item ${line.orderItemId} exceeds the promotion discount given (${formatMinor(Math.max(0, left.PromoTakeBack), rec.currency)}).` };
			credit -= promo;
			if (credit <= 0) return { code: 'InvalidAmount', message: `The adjustment for item ${line.orderItemId} is not a credit to the buyer (net ${formatMinor(credit, rec.currency)}); the net of an adjustment must be positive.` };
			acc.NetCredit = (acc.NetCredit ?? 0) + credit;
			if (acc.NetCredit > left.Total) {
				return { code: 'AmountExceeded', message: `Refund ${formatMinor(acc.NetCredit, rec.currency)} for item ${line.orderItemId} exceeds what the buyer paid and was not yet refunded (${formatMinor(Math.max(0, left.Total), rec.currency)}).` };
			}
			if (line.quantity !== undefined && line.quantity > (rec.shipped[line.orderItemId] ?? 0)) {
				return { code: 'QuantityExceeded', message: `Quantity ${line.quantity} for item ${line.orderItemId} exceeds the shipped quantity (${rec.shipped[line.orderItemId] ?? 0}).` };
			}
		}
		return null;
	}

	/**
	 * Apply a refund (feed adjustment or Seller Central): ledger + refund financial event later.
	 * @param {OrderRecord} rec @param {RefundLine[]} lines
	 * @param {{ source: 'feed'|'sellerCentral', wall?: number }} opts
	 * @returns {{ ok: true, event: FinanceEvent } | { ok: false, error: BizError }}
	 */
	function refund(rec, lines, opts) {
		const err = checkRefund(rec, lines);
		if (err) return { ok: false, error: err };
		const us = rec.marketplaceId === 'ATVPDKIKX0DER';
		const commissionRate = rec.marketplaceId === 'A1VC38T7YXB528' ? 0.1 : 0.15;
		/** @type {EventItem[]} */
		const items = lines.map((line) => {
			const item = rec.order.orderItems.find((/** @type {any} */ it) => it.orderItemId === line.orderItemId);
			const ledger = rec.refunded[line.orderItemId];
			/** @type {Record<string, number>} */
			const charges = {};
			let credit = 0;
			for (const [type, amount] of Object.entries(line.amounts)) {
				const v = /** @type {number} */ (amount);
				ledger[type] = (ledger[type] ?? 0) + v;
				const signed = DEDUCTIONS.includes(type) ? v : -v;
				const ct = CHARGE_TYPE[type] ?? 'GenericDeduction';
				charges[ct] = (charges[ct] ?? 0) + signed;
				credit += DEDUCTIONS.includes(type) ? -v : v;
			}
			ledger.Promotion = (ledger.Promotion ?? 0) + (line.promotion ?? 0);
			credit -= line.promotion ?? 0;
			ledger.NetCredit = (ledger.NetCredit ?? 0) + credit;
			const base = (line.amounts.Principal ?? 0) + (line.amounts.Shipping ?? 0) + (line.amounts.GiftWrap ?? 0) - (line.promotion ?? 0);
			const giveBack = Math.round(Math.max(0, base) * commissionRate);
			/** @type {Record<string, number>} */
			const withheld = {};
			if (us && (item.tax?.taxCollections ?? []).some((/** @type {any} */ t) => t.model === 'MARKETPLACE_FACILITATOR')) {
				if (line.amounts.Tax) withheld['MarketplaceFacilitatorTax-Principal'] = line.amounts.Tax;
				if (line.amounts.ShippingTax) withheld['MarketplaceFacilitatorTax-Shipping'] = line.amounts.ShippingTax;
				if (line.amounts.GiftWrapTax) withheld['MarketplaceFacilitatorTax-Other'] = line.amounts.GiftWrapTax;
			}
			rec.adjustmentSeq += 1;
			return {
				orderItemId: line.orderItemId,
				sku: item.product.sellerSku,
				quantity: line.quantity ?? 0,
				charges,
				promotion: line.promotion ?? 0,
				promotionIds: (item.promotion?.breakdowns ?? []).map((/** @type {any} */ b) => b.promotionId).filter(Boolean),
				fees: /** @type {Record<string, number>} */ (giveBack ? { Commission: giveBack, RefundCommission: -Math.round(giveBack * 0.2) } : {}),
				withheld,
				adjustmentItemId: `${rng.digits(14)}`,
				merchantAdjustmentItemId: line.merchantAdjustmentItemId,
				reason: line.reason,
			};
		});
		const wall = opts.wall ?? clock.wallNow();
		/** @type {FinanceEvent} */
		const ev = {
			id: `FE-${++seq}`,
			kind: 'refund',
			orderId: rec.order.orderId,
			marketplaceId: rec.marketplaceId,
			currency: rec.currency,
			fulfilledBy: rec.order.fulfillment.fulfilledBy,
			postedWall: wall,
			visibleAtT: clock.t() + deps.refundEventDelayMs,
			items,
			source: opts.source,
			groupId: groupId(),
			refundId: rng.digits(13),
		};
		events.push(ev);
		return { ok: true, event: ev };
	}

	/**
	 * Turn "amounts by component as decimal strings" into a RefundLine; for refundOnAmazon.
	 * Missing amounts = refund everything still refundable for the item.
	 * @param {OrderRecord} rec
	 * @param {{ orderItemId: string, amounts?: Record<string, string>, quantity?: number, reason?: string }} input
	 * @returns {RefundLine}
	 */
	function refundLineFrom(rec, input) {
		if (!input || typeof input !== 'object') throw new Error('each refund item must be an object { orderItemId, amounts?, quantity? }');
		if (typeof input.orderItemId !== 'string') throw new Error('refund item needs orderItemId (string)');
		const item = rec.order.orderItems.find((/** @type {any} */ it) => it.orderItemId === input.orderItemId);
		if (!item) throw new Error(`orderItemId ${input.orderItemId} is not an item of order ${rec.order.orderId}`);
		if (!input.amounts) {
			const left = refundable(rec, input.orderItemId);
			/** @type {Record<string, number>} */
			const amounts = {};
			for (const k of CAPPED) if (left[k] > 0) amounts[k] = left[k];
			return { orderItemId: input.orderItemId, amounts, promotion: Math.max(0, left.PromoTakeBack), quantity: input.quantity, reason: input.reason ?? 'CustomerReturn' };
		}
		/** @type {Record<string, number>} */
		const amounts = {};
		for (const [k, v] of Object.entries(input.amounts)) {
			if (!CHARGE_TYPE[k]) throw new Error(`unknown amount type "${k}" (use ${Object.keys(CHARGE_TYPE).join(', ')})`);
			const m = toMinor(String(v), rec.currency);
			if (m === null) throw new Error(`amount ${JSON.stringify(v)} for ${k} is not a valid ${rec.currency} amount`);
			amounts[k] = m;
		}
		return { orderItemId: input.orderItemId, amounts, quantity: input.quantity, reason: input.reason ?? 'CustomerReturn' };
	}

	/** Financial events visible now. @param {string} [orderId] */
	const visibleEvents = (orderId) => events.filter((e) => e.visibleAtT <= clock.t() && (orderId === undefined || e.orderId === orderId));

	/** @param {string} id */
	const validOrderId = (id) => ORDER_ID_RE.test(id);

	/**
	 * @param {OrderRecord} rec
	 * @param {Record<string, any>} patch
	 */
	function updateOrder(rec, patch) {
		if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new Error('updateOrder(id, patch): patch must be an object');
		const allowed = ['fulfillmentStatus', 'indexDelayMs', 'indexedAt', 'lastUpdatedTime', 'buyerCancelRequest', 'programs', 'recipient', 'touch', 'cancelReason'];
		for (const k of Object.keys(patch)) if (!allowed.includes(k)) throw new Error(`updateOrder: unknown field "${k}" (allowed: ${allowed.join(', ')})`);
		const o = rec.order;
		let changed = false;
		if (patch.fulfillmentStatus !== undefined && patch.fulfillmentStatus !== o.fulfillment.fulfillmentStatus) {
			const from = o.fulfillment.fulfillmentStatus;
			const to = patch.fulfillmentStatus;
			const ok = (from === 'PENDING_AVAILABILITY' && to === 'PENDING') || (from === 'PENDING' && to === 'UNSHIPPED') || (from === 'PENDING_AVAILABILITY' && to === 'UNSHIPPED') || to === 'CANCELLED';
			if (!ok) throw new Error(`updateOrder: cannot move ${from} -> ${to} (allowed: PENDING_AVAILABILITY -> PENDING -> UNSHIPPED, or -> CANCELLED before shipment; shipping goes through confirmShipment)`);
			if (to === 'CANCELLED') {
				const r = cancelOrder(rec, { by: 'BUYER', defaultReason: patch.cancelReason ?? 'BuyerCanceled' });
				if (!r.ok) throw new Error(`updateOrder: ${r.error.message}`);
			} else o.fulfillment.fulfillmentStatus = to;
			changed = true;
		}
		if (patch.buyerCancelRequest !== undefined) {
			const reason = typeof patch.buyerCancelRequest === 'string' ? patch.buyerCancelRequest : 'Buyer requested cancellation';
			for (const item of o.orderItems) item.cancellation = { ...(item.cancellation ?? {}), cancellationRequest: { requester: 'BUYER', cancelReason: reason } };
			changed = true;
		}
		if (patch.programs !== undefined) {
			if (!Array.isArray(patch.programs) || patch.programs.some((/** @type {unknown} */ p) => typeof p !== 'string')) throw new Error('updateOrder: programs must be an array of strings');
			o.programs = patch.programs.slice();
			changed = true;
		}
		if (patch.recipient !== undefined) {
			if (!patch.recipient || typeof patch.recipient !== 'object') throw new Error('updateOrder: recipient must be an object { deliveryAddress }');
			o.recipient = clone(patch.recipient);
			changed = true;
		}
		if (changed || patch.touch) touch(rec);
		if (patch.lastUpdatedTime !== undefined) {
			const ms = Date.parse(patch.lastUpdatedTime);
			if (typeof patch.lastUpdatedTime !== 'string' || Number.isNaN(ms)) throw new Error('updateOrder: lastUpdatedTime must be an ISO 8601 date-time');
			if (ms < Date.parse(o.createdTime)) throw new Error('updateOrder: lastUpdatedTime cannot be before createdTime');
			o.lastUpdatedTime = new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
		}
		if (patch.indexDelayMs !== undefined || patch.indexedAt !== undefined) rec.visibleAtT = indexVisibleAt({ indexDelayMs: patch.indexDelayMs, indexedAt: patch.indexedAt });
		return rec;
	}

	function reset() {
		orders.clear();
		aliases.clear();
		events = [];
	}

	/** @param {OrderRecord} rec */
	function summary(rec) {
		const o = rec.order;
		return {
			orderId: o.orderId,
			marketplaceId: rec.marketplaceId,
			currency: rec.currency,
			fulfillmentStatus: o.fulfillment.fulfillmentStatus,
			fulfilledBy: o.fulfillment.fulfilledBy,
			createdTime: o.createdTime,
			lastUpdatedTime: o.lastUpdatedTime,
			visibleInSearch: rec.visibleAtT <= clock.t(),
			indexedAt: rec.visibleAtT === -Infinity ? o.lastUpdatedTime : new Date(clock.wallAt(rec.visibleAtT)).toISOString(),
			sellerOrderId: rec.sellerOrderId,
			items: o.orderItems.map((/** @type {any} */ it) => {
				const refunded = rec.refunded[it.orderItemId] ?? {};
				/** @type {Record<string, string>} */
				const ref = {};
				for (const [k, v] of Object.entries(refunded)) if (v) ref[k] = formatMinor(v, rec.currency);
				return {
					orderItemId: it.orderItemId,
					sku: it.product.sellerSku,
					quantityOrdered: it.quantityOrdered,
					quantityShipped: rec.shipped[it.orderItemId] ?? 0,
					quantityCancelled: rec.cancelled[it.orderItemId] ?? 0,
					charged: Object.fromEntries(Object.entries(rec.charged[it.orderItemId] ?? {}).filter(([, v]) => v).map(([k, v]) => [k, formatMinor(v, rec.currency)])),
					refunded: ref,
				};
			}),
			packages: clone(o.packages ?? []),
		};
	}

	return {
		orders,
		get events() {
			return events;
		},
		get,
		byAlias,
		aliasSet: (/** @type {string} */ sellerOrderId, /** @type {string} */ orderId) => aliases.set(sellerOrderId, orderId),
		seedOrders,
		applyPackage,
		cancelOrder,
		cancelUnits,
		refund,
		refundable,
		refundLineFrom,
		checkRefund,
		visibleEvents,
		validOrderId,
		updateOrder,
		touch,
		reset,
		summary,
		sellerId,
		itemFullCharges,
		marketplaceById,
	};
}

module.exports = { createStore, CHARGE_TYPE, CAPPED, DEDUCTIONS };
