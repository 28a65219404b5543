/**
 * Amazon Orders v2026-01-01 `Order` -> the clean, flat order JSON that the Amazon Order Trigger
 * emits and Create Shopify Order accepts (docs/amazon-order-json.md describes every field).
 *
 * Rules:
 * - Money is a decimal string in the order currency ("19.99", JPY "1500"), exact: it is parsed to
 *   integer minor units and printed back, never a float. `null` means "Amazon has not priced it yet"
 *   (Pending orders), never zero.
 * - Discounts are positive amounts taken off ("2.00" off), although Amazon reports them as negative
 *   proceeds.
 * - Line amounts are for the whole line (all units), as Amazon reports them; `unitPrice` is the shelf
 *   price of one unit (tax included where the marketplace shows prices with tax).
 * - Personal data (buyer name, e-mail, street, phone, gift message) is only present when Amazon sent
 *   it (the app has the role) and the caller did not ask to leave it out.
 */
import { fromMinor, isSupportedCurrency, toMinor } from '../money';
import { findMarketplace, sellerCentralOrderUrl } from '../marketplaces';
import type { SpAddress, SpBreakdown, SpMoney, SpOrder, SpOrderItem } from '../transport/amazon/types';

/**
 * The datasets every order read asks for: what an import needs, nothing more. PACKAGES (carrier and
 * tracking, merchant-fulfilled orders only) lets an order already shipped on Amazon be imported as
 * fulfilled with its tracking.
 */
export const ORDER_INCLUDED_DATA = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX'];

// ---------------------------------------------------------------------------------------------
// The SP-API model (orders_2026-01-01.json) lives in transport/amazon/types.ts; these are its names here.
// ---------------------------------------------------------------------------------------------

export type RawMoney = SpMoney;
export type RawDateTimeRange = { earliestDateTime?: string; latestDateTime?: string };
export type RawProceedsBreakdown = SpBreakdown;
export type RawOrderItem = SpOrderItem;
export type RawAddress = SpAddress;
export type RawAmazonOrder = SpOrder;

// ---------------------------------------------------------------------------------------------
// The clean JSON.
// ---------------------------------------------------------------------------------------------

export type OrderStatus = 'PENDING_AVAILABILITY' | 'PENDING' | 'UNSHIPPED' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'CANCELLED' | 'UNFULFILLABLE';

export interface AmazonOrderTotals {
	/** What the buyer paid in total: Amazon's `proceeds.grandTotal`. */
	grandTotal: string;
	/** Item prices without tax and before discounts (sum of the lines' `itemPrice`). */
	items: string;
	shipping: string;
	giftWrap: string;
	codFee: string;
	otherCharges: string;
	/** All tax (item + shipping + gift wrap + other). */
	tax: string;
	itemTax: string;
	shippingTax: string;
	giftWrapTax: string;
	otherTax: string;
	/** All promotions, as a positive amount off. */
	discount: string;
	itemDiscount: string;
	shippingDiscount: string;
	giftWrapDiscount: string;
	otherDiscount: string;
	/** Order-level delivery tip (not attributed to an item); its status may still be PENDING. */
	deliveryTip: string;
	deliveryTipStatus: string | null;
}

export interface AmazonOrderItemJson {
	orderItemId: string;
	sku: string | null;
	asin: string | null;
	title: string | null;
	quantity: number;
	quantityShipped: number | null;
	quantityUnshipped: number | null;
	condition: string | null;
	/** Shelf price of one unit, as the buyer saw it. */
	unitPrice: string | null;
	/** Whole line, tax excluded, before discounts. */
	itemPrice: string | null;
	shipping: string | null;
	giftWrap: string | null;
	codFee: string | null;
	otherCharges: string | null;
	itemTax: string | null;
	shippingTax: string | null;
	giftWrapTax: string | null;
	otherTax: string | null;
	itemDiscount: string | null;
	shippingDiscount: string | null;
	giftWrapDiscount: string | null;
	otherDiscount: string | null;
	/** Amazon's proceeds total for the line: charges + tax - discounts. */
	total: string | null;
	/** True when the unit price already contains the item tax (VAT/consumption-tax marketplaces). */
	priceIncludesTax: boolean | null;
	/** Amazon collects and remits the tax of this line (marketplace facilitator). */
	taxCollectedByAmazon: boolean;
	taxResponsibleParty: string | null;
	promotionIds: string[];
	gift: { wrapLevel: string | null; message: string | null } | null;
	programs: string[];
	businessPrice: boolean;
	customizedUrl: string | null;
	serialNumbers: string[];
	cancellation: { requestedBy: string | null; requestReason: string | null; cancelledBy: string | null; cancelReason: string | null } | null;
}

export interface AmazonAddressJson {
	name: string | null;
	companyName: string | null;
	addressLine1: string | null;
	addressLine2: string | null;
	addressLine3: string | null;
	city: string | null;
	districtOrCounty: string | null;
	stateOrRegion: string | null;
	municipality: string | null;
	postalCode: string | null;
	countryCode: string | null;
	phone: string | null;
	addressType: string | null;
}

/** A package the seller confirmed on Amazon (merchant-fulfilled orders; Amazon's PACKAGES dataset). */
export interface AmazonPackageJson {
	packageReferenceId: string;
	carrier: string | null;
	trackingNumber: string | null;
	shippingService: string | null;
	shipTime: string | null;
	/** Amazon's package status (PENDING, IN_TRANSIT, SHIPPED, DELIVERED, CANCELLED, UNDELIVERABLE). */
	status: string | null;
	items: Array<{ orderItemId: string; quantity: number }>;
}

export interface AmazonOrderJson {
	amazonOrderId: string;
	sellerOrderId: string | null;
	marketplaceId: string;
	/** Amazon's country code of the marketplace ("US", "UK", "DE"). */
	marketplace: string;
	marketplaceName: string;
	salesChannel: string;
	status: OrderStatus;
	fulfilledBy: 'MERCHANT' | 'AMAZON';
	fulfillmentChannel: 'MFN' | 'AFN';
	purchaseDate: string;
	lastUpdatedTime: string;
	earliestShipDate: string | null;
	latestShipDate: string | null;
	earliestDeliveryDate: string | null;
	latestDeliveryDate: string | null;
	shipServiceLevel: string | null;
	programs: string[];
	isPrime: boolean;
	isBusiness: boolean;
	isPremium: boolean;
	isPreorder: boolean;
	isReplacement: boolean;
	replacedOrderId: string | null;
	exchangeForOrderId: string | null;
	currency: string;
	/** False while the order is Pending: Amazon sends no prices, taxes or totals yet. */
	pricesAvailable: boolean;
	totals: AmazonOrderTotals | null;
	taxCollectedByAmazon: boolean;
	buyer: { name: string | null; email: string | null; companyName: string | null; purchaseOrderNumber: string | null } | null;
	shippingAddress: AmazonAddressJson | null;
	/** Name, first address line, city, postal code and country are all present. */
	addressComplete: boolean;
	deliveryInstructions: string | null;
	cancellation: { requested: boolean; requestedBy: string | null; reason: string | null; cancelledBy: string | null } | null;
	itemCount: number;
	unitCount: number;
	items: AmazonOrderItemJson[];
	/** Packages confirmed on Amazon (merchant-fulfilled orders), [] when none; absent in older items. */
	packages: AmazonPackageJson[];
	sellerCentralUrl: string | null;
}

export interface ToAmazonOrderJsonOptions {
	/** Leave out buyer name, e-mail, street address, phone and gift messages. */
	omitPersonalData?: boolean;
}

/** Bad or unexpected order data: names the order and the field, so the merchant can look. */
export class AmazonOrderDataError extends Error {
	constructor(
		readonly orderId: string,
		readonly field: string,
		message: string,
	) {
		super(`Amazon order ${orderId || '(no id)'}: ${field}: ${message}`);
		this.name = 'AmazonOrderDataError';
	}
}

const PENDING_STATUSES = new Set(['PENDING', 'PENDING_AVAILABILITY']);

export function isPendingStatus(status: string | undefined | null): boolean {
	return PENDING_STATUSES.has(String(status));
}

function text(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** Sums of one line, in minor units, by component. */
interface LineMinor {
	item: number;
	shipping: number;
	giftWrap: number;
	codFee: number;
	other: number;
	itemTax: number;
	shippingTax: number;
	giftWrapTax: number;
	otherTax: number;
	itemDiscount: number;
	shippingDiscount: number;
	giftWrapDiscount: number;
	otherDiscount: number;
	total: number;
}

const ZERO_LINE: LineMinor = {
	item: 0, shipping: 0, giftWrap: 0, codFee: 0, other: 0,
	itemTax: 0, shippingTax: 0, giftWrapTax: 0, otherTax: 0,
	itemDiscount: 0, shippingDiscount: 0, giftWrapDiscount: 0, otherDiscount: 0, total: 0,
};

class Reader {
	constructor(
		readonly orderId: string,
		readonly currency: string,
	) {}

	minor(value: RawMoney | undefined, field: string): number {
		if (!value || value.amount === undefined || value.amount === null) {
			throw new AmazonOrderDataError(this.orderId, field, 'the amount is missing');
		}
		if (value.currencyCode !== this.currency) {
			throw new AmazonOrderDataError(
				this.orderId,
				field,
				`the amount is in ${String(value.currencyCode)} but the order is in ${this.currency}; one order must use one currency`,
			);
		}
		let problem: string | undefined;
		let minor = 0;
		try {
			minor = toMinor(String(value.amount), this.currency);
		} catch (error) {
			problem = (error as Error).message;
		}
		if (problem !== undefined) throw new AmazonOrderDataError(this.orderId, field, problem);
		return minor;
	}

	format(minor: number): string {
		return fromMinor(minor, this.currency);
	}
}

/** Splits an item's proceeds breakdowns into charges, taxes and discounts (minor units). */
function readLine(reader: Reader, item: RawOrderItem, index: number): LineMinor | null {
	const proceeds = item.proceeds;
	if (!proceeds || (!proceeds.breakdowns && !proceeds.proceedsTotal)) return null;
	const line: LineMinor = { ...ZERO_LINE };
	const at = `orderItems[${index}].proceeds`;
	(proceeds.breakdowns ?? []).forEach((breakdown, b) => {
		const where = `${at}.breakdowns[${b}]`;
		const amount = reader.minor(breakdown.subtotal, `${where}.subtotal`);
		const details = breakdown.detailedBreakdowns ?? [];
		switch (breakdown.type) {
			case 'ITEM':
				line.item += amount;
				break;
			case 'SHIPPING':
				line.shipping += amount;
				break;
			case 'GIFT_WRAP':
				line.giftWrap += amount;
				break;
			case 'COD_FEE':
				line.codFee += amount;
				break;
			case 'OTHER':
				line.other += amount;
				break;
			case 'TAX': {
				if (details.length === 0) {
					line.itemTax += amount;
					break;
				}
				let sum = 0;
				details.forEach((detail, d) => {
					const value = reader.minor(detail.value, `${where}.detailedBreakdowns[${d}].value`);
					sum += value;
					if (detail.subtype === 'SHIPPING') line.shippingTax += value;
					else if (detail.subtype === 'GIFT_WRAP') line.giftWrapTax += value;
					// Tax on a discount (usually negative) belongs to the item it reduces.
					else if (detail.subtype === 'ITEM' || detail.subtype === 'DISCOUNT' || detail.subtype === undefined) line.itemTax += value;
					else line.otherTax += value;
				});
				if (sum !== amount) {
					throw new AmazonOrderDataError(reader.orderId, `${where}.detailedBreakdowns`, `the tax details add up to ${reader.format(sum)} but the TAX subtotal is ${reader.format(amount)}`);
				}
				break;
			}
			case 'DISCOUNT': {
				if (details.length === 0) {
					line.itemDiscount += -amount;
					break;
				}
				let sum = 0;
				details.forEach((detail, d) => {
					const value = reader.minor(detail.value, `${where}.detailedBreakdowns[${d}].value`);
					sum += value;
					if (detail.subtype === 'SHIPPING') line.shippingDiscount += -value;
					else if (detail.subtype === 'GIFT_WRAP') line.giftWrapDiscount += -value;
					else if (detail.subtype === 'ITEM' || detail.subtype === undefined) line.itemDiscount += -value;
					else line.otherDiscount += -value;
				});
				if (sum !== amount) {
					throw new AmazonOrderDataError(reader.orderId, `${where}.detailedBreakdowns`, `the discount details add up to ${reader.format(sum)} but the DISCOUNT subtotal is ${reader.format(amount)}`);
				}
				break;
			}
			default:
				// A category this version does not know yet: keep the money, as an "other" charge.
				line.other += amount;
		}
	});
	const components =
		line.item + line.shipping + line.giftWrap + line.codFee + line.other +
		line.itemTax + line.shippingTax + line.giftWrapTax + line.otherTax -
		line.itemDiscount - line.shippingDiscount - line.giftWrapDiscount - line.otherDiscount;
	line.total = proceeds.proceedsTotal ? reader.minor(proceeds.proceedsTotal, `${at}.proceedsTotal`) : components;
	if (line.total !== components) {
		throw new AmazonOrderDataError(
			reader.orderId,
			`${at}.proceedsTotal`,
			`Amazon says ${reader.format(line.total)} but the breakdowns add up to ${reader.format(components)}`,
		);
	}
	return line;
}

function orderCurrency(raw: RawAmazonOrder): string {
	const fromTotal = raw.proceeds?.grandTotal?.currencyCode;
	if (fromTotal) return fromTotal;
	for (const item of raw.orderItems ?? []) {
		const code = item.proceeds?.proceedsTotal?.currencyCode ?? item.product?.price?.unitPrice?.currencyCode;
		if (code) return code;
	}
	const marketplace = raw.salesChannel?.marketplaceId ? findMarketplace(raw.salesChannel.marketplaceId) : undefined;
	return marketplace?.currency ?? '';
}

function address(raw: RawAddress | undefined, omitPersonalData: boolean): AmazonAddressJson | null {
	if (!raw) return null;
	const personal = (value: unknown) => (omitPersonalData ? null : text(value));
	const result: AmazonAddressJson = {
		name: personal(raw.name),
		companyName: personal(raw.companyName),
		addressLine1: personal(raw.addressLine1),
		addressLine2: personal(raw.addressLine2),
		addressLine3: personal(raw.addressLine3),
		city: text(raw.city),
		districtOrCounty: text(raw.districtOrCounty),
		stateOrRegion: text(raw.stateOrRegion),
		municipality: text(raw.municipality),
		postalCode: text(raw.postalCode),
		countryCode: text(raw.countryCode),
		phone: personal(raw.phone),
		addressType: text(raw.addressType),
	};
	return Object.values(result).some((v) => v !== null) ? result : null;
}

/**
 * Converts an SP-API v2026-01-01 Order into the clean order JSON. Throws AmazonOrderDataError when
 * Amazon's own numbers do not add up, naming the order and the field.
 */
export function toAmazonOrderJson(raw: RawAmazonOrder, options: ToAmazonOrderJsonOptions = {}): AmazonOrderJson {
	const orderId = String(raw?.orderId ?? '').trim();
	if (!orderId) throw new AmazonOrderDataError('', 'orderId', 'the order has no orderId');
	if (!Array.isArray(raw.orderItems)) throw new AmazonOrderDataError(orderId, 'orderItems', 'the order has no item list (orderItems)');
	const omit = options.omitPersonalData === true;
	const marketplaceId = String(raw.salesChannel?.marketplaceId ?? '');
	const marketplace = findMarketplace(marketplaceId);
	const currency = orderCurrency(raw);
	if (!isSupportedCurrency(currency)) {
		throw new AmazonOrderDataError(orderId, 'proceeds.grandTotal.currencyCode', `currency ${JSON.stringify(currency)} is not an ISO 4217 currency this pack supports`);
	}
	const reader = new Reader(orderId, currency);
	const status = (raw.fulfillment?.fulfillmentStatus ?? 'PENDING') as OrderStatus;
	const fulfilledBy = raw.fulfillment?.fulfilledBy === 'AMAZON' ? 'AMAZON' : 'MERCHANT';
	const programs = [...(raw.programs ?? [])];
	const replacement = raw.associatedOrders?.find((a) => a.associationType === 'REPLACEMENT_ORIGINAL_ID');
	const exchange = raw.associatedOrders?.find((a) => a.associationType === 'EXCHANGE_ORIGINAL_ID');

	const lines = raw.orderItems.map((item, i) => readLine(reader, item, i));
	const pricesAvailable = !isPendingStatus(status) && lines.length > 0 && lines.every((l) => l !== null) && Boolean(raw.proceeds?.grandTotal);

	const items: AmazonOrderItemJson[] = raw.orderItems.map((item, i) => {
		const line = lines[i];
		const m = (value: number | undefined) => (line && value !== undefined ? reader.format(value) : null);
		const unit = item.product?.price?.unitPrice;
		const unitMinor = unit && unit.amount !== undefined ? reader.minor(unit, `orderItems[${i}].product.price.unitPrice`) : undefined;
		let priceIncludesTax: boolean | null = null;
		if (line && unitMinor !== undefined) {
			const shelf = unitMinor * item.quantityOrdered;
			if (line.itemTax !== 0 && shelf === line.item + line.itemTax) priceIncludesTax = true;
			else if (shelf === line.item) priceIncludesTax = false;
		}
		const collections = item.tax?.taxCollections ?? [];
		const facilitator = collections.find((c) => c.model === 'MARKETPLACE_FACILITATOR');
		const gift = item.fulfillment?.packing?.giftOption;
		const cancellation = item.cancellation;
		return {
			orderItemId: String(item.orderItemId),
			sku: text(item.product?.sellerSku),
			asin: text(item.product?.asin),
			title: text(item.product?.title),
			quantity: item.quantityOrdered,
			quantityShipped: item.fulfillment?.quantityFulfilled ?? null,
			quantityUnshipped: item.fulfillment?.quantityUnfulfilled ?? null,
			condition: text(item.product?.condition?.conditionType),
			unitPrice: unitMinor === undefined ? null : reader.format(unitMinor),
			itemPrice: m(line?.item),
			shipping: m(line?.shipping),
			giftWrap: m(line?.giftWrap),
			codFee: m(line?.codFee),
			otherCharges: m(line?.other),
			itemTax: m(line?.itemTax),
			shippingTax: m(line?.shippingTax),
			giftWrapTax: m(line?.giftWrapTax),
			otherTax: m(line?.otherTax),
			itemDiscount: m(line?.itemDiscount),
			shippingDiscount: m(line?.shippingDiscount),
			giftWrapDiscount: m(line?.giftWrapDiscount),
			otherDiscount: m(line?.otherDiscount),
			total: m(line?.total),
			priceIncludesTax,
			taxCollectedByAmazon: Boolean(facilitator),
			taxResponsibleParty: text(facilitator?.responsibleParty ?? collections[0]?.responsibleParty),
			promotionIds: (item.promotion?.breakdowns ?? []).map((p) => text(p.promotionId)).filter((p): p is string => p !== null),
			gift: gift
				? { wrapLevel: text(gift.giftWrapLevel), message: omit ? null : text(gift.giftMessage) }
				: null,
			programs: [...(item.programs ?? [])],
			businessPrice: item.product?.price?.priceDesignation === 'BUSINESS_PRICE',
			customizedUrl: text(item.product?.customization?.customizedUrl),
			serialNumbers: [...(item.product?.serialNumbers ?? [])],
			cancellation:
				cancellation && (cancellation.cancellationRequest || cancellation.cancellationExecution)
					? {
							requestedBy: text(cancellation.cancellationRequest?.requester),
							requestReason: text(cancellation.cancellationRequest?.cancelReason),
							cancelledBy: text(cancellation.cancellationExecution?.cancelledBy),
							cancelReason: text(cancellation.cancellationExecution?.cancelReason),
						}
					: null,
		};
	});

	let totals: AmazonOrderTotals | null = null;
	if (pricesAvailable) {
		const sum = (key: keyof LineMinor) => lines.reduce((acc, l) => acc + (l ? l[key] : 0), 0);
		const tips = (raw.proceeds?.breakdowns ?? []).filter((b) => b.type === 'DELIVERY_TIP');
		const tip = tips.reduce((acc, b, i) => acc + reader.minor(b.subtotal, `proceeds.breakdowns[DELIVERY_TIP ${i}].subtotal`), 0);
		const grand = reader.minor(raw.proceeds?.grandTotal, 'proceeds.grandTotal');
		const itemsTotal = sum('total');
		if (grand !== itemsTotal + tip) {
			throw new AmazonOrderDataError(
				orderId,
				'proceeds.grandTotal',
				`Amazon says ${reader.format(grand)} but the items${tip ? ' and the delivery tip' : ''} add up to ${reader.format(itemsTotal + tip)}`,
			);
		}
		const f = (v: number) => reader.format(v);
		totals = {
			grandTotal: f(grand),
			items: f(sum('item')),
			shipping: f(sum('shipping')),
			giftWrap: f(sum('giftWrap')),
			codFee: f(sum('codFee')),
			otherCharges: f(sum('other')),
			tax: f(sum('itemTax') + sum('shippingTax') + sum('giftWrapTax') + sum('otherTax')),
			itemTax: f(sum('itemTax')),
			shippingTax: f(sum('shippingTax')),
			giftWrapTax: f(sum('giftWrapTax')),
			otherTax: f(sum('otherTax')),
			discount: f(sum('itemDiscount') + sum('shippingDiscount') + sum('giftWrapDiscount') + sum('otherDiscount')),
			itemDiscount: f(sum('itemDiscount')),
			shippingDiscount: f(sum('shippingDiscount')),
			giftWrapDiscount: f(sum('giftWrapDiscount')),
			otherDiscount: f(sum('otherDiscount')),
			deliveryTip: f(tip),
			deliveryTipStatus: text(tips[0]?.status),
		};
	}

	const shippingAddress = address(raw.recipient?.deliveryAddress, omit);
	const addressComplete = Boolean(
		shippingAddress?.name && shippingAddress.addressLine1 && shippingAddress.city && shippingAddress.postalCode && shippingAddress.countryCode,
	);
	const buyer = raw.buyer
		? {
				name: omit ? null : text(raw.buyer.buyerName),
				email: omit ? null : text(raw.buyer.buyerEmail),
				companyName: text(raw.buyer.buyerCompanyName),
				purchaseOrderNumber: text(raw.buyer.buyerPurchaseOrderNumber),
			}
		: null;
	const preference = raw.recipient?.deliveryPreference;
	const instructions = omit ? null : [text(preference?.dropOffLocation), text(preference?.addressInstruction)].filter(Boolean).join(' · ') || null;
	const requested = items.filter((i) => i.cancellation?.requestedBy);
	const executed = items.find((i) => i.cancellation?.cancelledBy);

	return {
		amazonOrderId: orderId,
		sellerOrderId: text(raw.orderAliases?.find((a) => a.aliasType === 'SELLER_ORDER_ID')?.aliasId),
		marketplaceId,
		marketplace: marketplace?.countryCode ?? marketplaceId,
		marketplaceName: text(raw.salesChannel?.marketplaceName) ?? marketplace?.name ?? marketplaceId,
		salesChannel: raw.salesChannel?.channelName ?? 'AMAZON',
		status,
		fulfilledBy,
		fulfillmentChannel: fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN',
		purchaseDate: raw.createdTime,
		lastUpdatedTime: raw.lastUpdatedTime,
		earliestShipDate: text(raw.fulfillment?.shipByWindow?.earliestDateTime),
		latestShipDate: text(raw.fulfillment?.shipByWindow?.latestDateTime),
		earliestDeliveryDate: text(raw.fulfillment?.deliverByWindow?.earliestDateTime),
		latestDeliveryDate: text(raw.fulfillment?.deliverByWindow?.latestDateTime),
		shipServiceLevel: text(raw.fulfillment?.fulfillmentServiceLevel),
		programs,
		isPrime: programs.includes('PRIME'),
		isBusiness: programs.includes('AMAZON_BUSINESS'),
		isPremium: programs.includes('PREMIUM'),
		isPreorder: programs.includes('PREORDER'),
		isReplacement: Boolean(replacement),
		replacedOrderId: text(replacement?.orderId),
		exchangeForOrderId: text(exchange?.orderId),
		currency,
		pricesAvailable,
		totals,
		taxCollectedByAmazon: items.some((i) => i.taxCollectedByAmazon),
		buyer,
		shippingAddress,
		addressComplete,
		deliveryInstructions: instructions,
		cancellation:
			requested.length || executed
				? {
						requested: requested.length > 0,
						requestedBy: requested[0]?.cancellation?.requestedBy ?? null,
						reason: requested[0]?.cancellation?.requestReason ?? executed?.cancellation?.cancelReason ?? null,
						cancelledBy: executed?.cancellation?.cancelledBy ?? null,
					}
				: null,
		itemCount: items.length,
		unitCount: items.reduce((acc, i) => acc + i.quantity, 0),
		items,
		packages: (raw.packages ?? []).map((p) => ({
			packageReferenceId: String(p.packageReferenceId),
			carrier: text(p.carrier),
			trackingNumber: text(p.trackingNumber),
			shippingService: text(p.shippingService),
			shipTime: text(p.shipTime),
			status: text(p.packageStatus?.status),
			items: (p.packageItems ?? []).map((i) => ({ orderItemId: String(i.orderItemId), quantity: i.quantity })),
		})),
		sellerCentralUrl: marketplace ? sellerCentralOrderUrl(marketplaceId, orderId) : null,
	};
}

/** True for the raw SP-API shape (orderId + orderItems with product). */
export function isRawAmazonOrder(value: unknown): value is RawAmazonOrder {
	const v = value as Partial<RawAmazonOrder> | null;
	return Boolean(v && typeof v === 'object' && typeof v.orderId === 'string' && Array.isArray(v.orderItems));
}

/** True for the clean order JSON. */
export function isAmazonOrderJson(value: unknown): value is AmazonOrderJson {
	const v = value as Partial<AmazonOrderJson> | null;
	return Boolean(v && typeof v === 'object' && typeof v.amazonOrderId === 'string' && Array.isArray(v.items) && typeof v.currency === 'string');
}
