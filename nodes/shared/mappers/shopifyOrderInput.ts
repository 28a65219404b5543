/**
 * Clean Amazon order JSON -> Shopify `orderCreate` input, with every amount in integer minor units
 * until the last moment, and the totals check: the total Shopify will compute from this input
 * must equal Amazon's grand total to the cent, or nothing is created.
 *
 * How the money maps (docs/amazon-order-json.md, "From Amazon to Shopify"):
 * - line price = the Amazon line's item price / quantity (tax excluded), or, when the marketplace's
 *   prices include tax (UK/EU/JP…), (item price + item tax) / quantity with `taxesIncluded: true`;
 * - item promotions -> one fixed-amount discount code (orderCreate takes only one discount code);
 * - shipping / gift-wrap / COD-fee / other promotions are netted into their own shipping line;
 * - shipping lines: the Amazon shipping, and separate lines for gift wrap, COD fee, other charges
 *   and the delivery tip, so line items stay exactly the Amazon items (the linkage relies on that);
 * - taxes: one tax line per line item / shipping line, amount exactly Amazon's, `channelLiable` when
 *   Amazon collects and remits it (marketplace facilitator);
 * - a SALE transaction through gateway "Amazon" for the total (none when the total is zero).
 */
import { convertMinor, fromMinor, isSupportedCurrency, toMinor } from '../money';
import { findMarketplace } from '../marketplaces';
import {
	ATTRIBUTE_AMAZON_ORDER_ID,
	ATTRIBUTE_AMAZON_PROGRAMS,
	ATTRIBUTE_LATEST_SHIP_DATE,
	TAG_AMAZON,
	lineItemLinkProperties,
	linkageForOrderCreate,
	replacementMetafield,
} from '../linkage';
import type { AmazonOrderItemJson, AmazonOrderJson } from './amazonOrder';

/** Shopify accepts at most 250 elements in any input array. */
export const SHOPIFY_MAX_LINE_ITEMS = 250;

export type TaxesIncludedMode = 'auto' | 'yes' | 'no';
export type ChannelLiableMode = 'auto' | 'always' | 'never';
export type InventoryBehaviour = 'BYPASS' | 'DECREMENT_IGNORING_POLICY' | 'DECREMENT_OBEYING_POLICY';

/** How one Amazon line became a Shopify line. */
export type LineResolution =
	| { kind: 'variant'; variantId: string; shopifySku: string; mappedFrom?: string }
	| { kind: 'custom'; reason: 'unknownSku' | 'ambiguousSku' | 'noSku'; shopifySku?: string };

export interface ShopifyOrderBuildOptions {
	shopCurrency: string;
	/** Order name; `{orderId}`, `{marketplace}` and `{sellerOrderId}` are replaced. */
	namePattern: string;
	extraTags: string[];
	/** Index-aligned with `order.items`. */
	lines: LineResolution[];
	taxesIncluded: TaxesIncludedMode;
	channelLiable: ChannelLiableMode;
	includeShippingAddress: boolean;
	/** Upsert a Shopify customer from the buyer's (anonymised) e-mail. */
	upsertCustomer: boolean;
	/** Units of the shop currency one unit of the order currency is worth ("0.73"); else Shopify converts. */
	exchangeRate?: string;
	inventoryBehaviour: InventoryBehaviour;
	/** The Shopify order of the Amazon order a replacement replaces, when it was found. */
	replacedShopifyOrder?: { id: string; name: string };
	/** Title of tax lines; defaults to the marketplace's usual name (Sales tax, VAT, GST…). */
	taxTitle?: string;
}

export interface TotalsComparison {
	currency: string;
	amazon: string;
	shopify: string;
	difference: string;
	equal: boolean;
	shopCurrency: string;
	/** Shop-currency total when we convert with a given rate; null when Shopify converts. */
	shopTotal: string | null;
}

export interface ShopifyOrderPlan {
	input: Record<string, unknown>;
	options: { inventoryBehaviour: InventoryBehaviour; sendReceipt: false; sendFulfillmentReceipt: false };
	totals: TotalsComparison;
	taxesIncluded: boolean;
	warnings: string[];
}

/** The order cannot be represented in Shopify as it is (bad input): names the order and the field. */
export class OrderMappingError extends Error {
	constructor(
		readonly orderId: string,
		readonly field: string,
		message: string,
		readonly hint: string,
	) {
		super(`Amazon order ${orderId}: ${message}`);
		this.name = 'OrderMappingError';
	}
}

/** Shopify's total would differ from Amazon's: never create the order. */
export class TotalsMismatchError extends Error {
	constructor(
		readonly orderId: string,
		readonly totals: TotalsComparison,
	) {
		super(
			`Amazon order ${orderId}: the Shopify order would total ${totals.currency} ${totals.shopify} but Amazon's total is ${totals.currency} ${totals.amazon} (difference ${totals.currency} ${totals.difference}). The order was not created.`,
		);
		this.name = 'TotalsMismatchError';
	}
}

const TAX_TITLES: Record<string, string> = {
	US: 'Sales tax', CA: 'Sales tax', MX: 'IVA', BR: 'Taxes', JP: 'Consumption tax', IN: 'GST', AU: 'GST', SG: 'GST',
	TR: 'KDV', AE: 'VAT', SA: 'VAT', EG: 'VAT', ZA: 'VAT',
};

function taxTitleFor(marketplace: string): string {
	return TAX_TITLES[marketplace] ?? 'VAT';
}

const SERVICE_LEVELS: Record<string, string> = {
	STANDARD: 'Standard', EXPEDITED: 'Expedited', FREE_ECONOMY: 'Free Economy', NEXT_DAY: 'Next Day', PRIORITY: 'Priority',
	SAME_DAY: 'Same Day', SECOND_DAY: 'Second Day', SCHEDULED: 'Scheduled',
};

/** A decimal rate (tax / base) with up to 5 decimals, exact integer arithmetic. */
function rateOf(tax: number, base: number): string {
	if (base <= 0 || tax === 0) return '0';
	const scaled = (BigInt(Math.abs(tax)) * 100000n * 2n + BigInt(base)) / (BigInt(base) * 2n);
	const digits = scaled.toString().padStart(6, '0');
	const text = `${digits.slice(0, -5)}.${digits.slice(-5)}`.replace(/0+$/, '').replace(/\.$/, '');
	return tax < 0 ? `-${text}` : text;
}

function splitName(name: string | null): { firstName?: string; lastName?: string } {
	if (!name) return {};
	const parts = name.trim().split(/\s+/);
	if (parts.length === 1) return { lastName: parts[0] };
	return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] };
}

function minorOf(order: AmazonOrderJson, value: string | null, field: string): number {
	if (value === null || value === undefined || value === '') return 0;
	let problem: string | undefined;
	let minor = 0;
	try {
		minor = toMinor(value, order.currency);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (problem !== undefined) {
		throw new OrderMappingError(order.amazonOrderId, field, `${field}: ${problem}`, 'The order JSON was changed between the trigger and this node; pass the trigger output unchanged.');
	}
	return minor;
}

interface PlannedTax {
	amount: number;
	rate: string;
	channelLiable: boolean;
}

interface PlannedLine {
	item: AmazonOrderItemJson;
	index: number;
	unit: number;
	tax: PlannedTax | null;
	resolution: LineResolution;
}

interface PlannedShipping {
	title: string;
	code: string;
	price: number;
	tax: PlannedTax | null;
}

/** Checks what Shopify cannot take before any call is made. */
export function assertImportable(order: AmazonOrderJson): void {
	const id = order.amazonOrderId;
	if (!order.pricesAvailable || !order.totals) {
		throw new OrderMappingError(
			id,
			'status',
			`the order is ${order.status === 'PENDING' || order.status === 'PENDING_AVAILABILITY' ? 'Pending' : order.status} and Amazon has not sent its prices yet, so it cannot be imported to the cent`,
			'Amazon prices an order when payment is authorised (status Unshipped). The Amazon Order Trigger holds Pending orders and emits them once they have prices; run this step again then.',
		);
	}
	if (!isSupportedCurrency(order.currency)) {
		throw new OrderMappingError(id, 'currency', `the currency ${JSON.stringify(order.currency)} is not supported`, 'Only active ISO 4217 currencies can be imported.');
	}
	if (order.items.length === 0) {
		throw new OrderMappingError(id, 'items', 'the order has no items', 'Check the order in Seller Central.');
	}
	if (order.items.length > SHOPIFY_MAX_LINE_ITEMS) {
		throw new OrderMappingError(
			id,
			'items',
			`the order has ${order.items.length} items, more than the ${SHOPIFY_MAX_LINE_ITEMS} line items Shopify accepts in one order`,
			'Create this order in Shopify by hand, or split it; the pack never imports part of an order.',
		);
	}
	for (const [i, item] of order.items.entries()) {
		if (!Number.isInteger(item.quantity) || item.quantity < 1) {
			throw new OrderMappingError(id, `items[${i}].quantity`, `item ${item.orderItemId} has quantity ${String(item.quantity)}`, 'Amazon quantities are whole numbers of at least 1.');
		}
	}
}

/** Decides whether line prices include tax for this order. */
function decideTaxesIncluded(order: AmazonOrderJson, mode: TaxesIncludedMode): boolean {
	if (mode === 'yes') return true;
	if (mode === 'no') return false;
	const votes = order.items.map((i) => i.priceIncludesTax).filter((v): v is boolean => v !== null);
	if (votes.length && votes.every((v) => v)) return true;
	if (votes.length && votes.every((v) => !v)) return false;
	// No tax, or no unit prices: follow the marketplace's habit.
	return !['US', 'CA'].includes(order.marketplace);
}

/**
 * Builds the orderCreate input and checks the totals. Throws OrderMappingError for input Shopify
 * cannot take, and TotalsMismatchError when the totals would differ.
 */
export function buildShopifyOrderInput(order: AmazonOrderJson, options: ShopifyOrderBuildOptions): ShopifyOrderPlan {
	assertImportable(order);
	const id = order.amazonOrderId;
	const P = order.currency;
	const S = options.shopCurrency;
	if (!isSupportedCurrency(S)) {
		throw new OrderMappingError(id, 'shopCurrency', `the shop currency ${JSON.stringify(S)} is not supported`, 'Check the Shopify store settings.');
	}
	if (options.lines.length !== order.items.length) {
		throw new OrderMappingError(id, 'items', 'internal error: the SKU resolution does not match the items', 'Report this as a bug.');
	}
	const warnings: string[] = [];
	const taxesIncluded = decideTaxesIncluded(order, options.taxesIncluded);
	const title = options.taxTitle?.trim() || taxTitleFor(order.marketplace);
	const m = (value: string | null, field: string) => minorOf(order, value, field);
	const liable = (item: AmazonOrderItemJson | null): boolean =>
		options.channelLiable === 'always' ? true : options.channelLiable === 'never' ? false : item ? item.taxCollectedByAmazon : order.taxCollectedByAmazon;

	// ---- line items
	let discount = 0;
	let roundingAdjustment = 0;
	const lines: PlannedLine[] = order.items.map((item, index) => {
		const at = `items[${index}]`;
		const itemPrice = m(item.itemPrice, `${at}.itemPrice`);
		const itemTax = m(item.itemTax, `${at}.itemTax`);
		const lineTotal = taxesIncluded ? itemPrice + itemTax : itemPrice;
		if (lineTotal < 0) throw new OrderMappingError(id, `${at}.itemPrice`, `item ${item.orderItemId} has a negative price`, 'Check the order in Seller Central.');
		let unit = Math.floor(lineTotal / item.quantity);
		if (unit * item.quantity !== lineTotal) {
			unit += 1;
			roundingAdjustment += unit * item.quantity - lineTotal;
			warnings.push(`Item ${item.sku ?? item.orderItemId}: ${fromMinor(lineTotal, P)} ${P} for ${item.quantity} units is not a whole number of cents per unit; the unit price was rounded up and the difference added to the discount.`);
		}
		discount += m(item.itemDiscount, `${at}.itemDiscount`);
		const base = (taxesIncluded ? lineTotal - itemTax : lineTotal) - m(item.itemDiscount, `${at}.itemDiscount`);
		const tax = itemTax !== 0 ? { amount: itemTax, rate: rateOf(itemTax, base), channelLiable: liable(item) } : null;
		return { item, index, unit, tax, resolution: options.lines[index] };
	});
	discount += roundingAdjustment;

	// ---- shipping-like lines
	const sumItems = (key: keyof AmazonOrderItemJson) => order.items.reduce((acc, item, i) => acc + m(item[key] as string | null, `items[${i}].${String(key)}`), 0);
	const shippingLines: PlannedShipping[] = [];
	const addCharge = (titleText: string, code: string, charge: number, chargeTax: number, chargeDiscount: number, always: boolean) => {
		let price = (taxesIncluded ? charge + chargeTax : charge) - chargeDiscount;
		if (price < 0) {
			// A promotion larger than the charge: what is left becomes part of the discount code.
			discount += -price;
			price = 0;
		}
		if (price === 0 && chargeTax === 0 && !always) return;
		const base = price - (taxesIncluded ? chargeTax : 0);
		const anyLiable = order.items.some((i) => liable(i));
		shippingLines.push({ title: titleText, code, price, tax: chargeTax !== 0 ? { amount: chargeTax, rate: rateOf(chargeTax, base), channelLiable: anyLiable } : null });
	};
	const level = order.shipServiceLevel ?? 'STANDARD';
	addCharge(`Amazon ${SERVICE_LEVELS[level] ?? level}`, level, sumItems('shipping'), sumItems('shippingTax'), sumItems('shippingDiscount'), true);
	addCharge('Gift wrap', 'GIFT_WRAP', sumItems('giftWrap'), sumItems('giftWrapTax'), sumItems('giftWrapDiscount'), false);
	addCharge('Cash on delivery fee', 'COD_FEE', sumItems('codFee'), 0, 0, false);
	addCharge('Other Amazon charges', 'OTHER', sumItems('otherCharges'), sumItems('otherTax'), sumItems('otherDiscount'), false);
	const tip = m(order.totals!.deliveryTip, 'totals.deliveryTip');
	if (tip > 0) addCharge('Delivery tip', 'DELIVERY_TIP', tip, 0, 0, false);
	else if (tip < 0) discount += -tip;

	// ---- the totals check (presentment = the Amazon currency)
	const taxTotal = [...lines.map((l) => l.tax?.amount ?? 0), ...shippingLines.map((s) => s.tax?.amount ?? 0)].reduce((a, b) => a + b, 0);
	const shopifyTotal =
		lines.reduce((acc, l) => acc + l.unit * l.item.quantity, 0) - discount + shippingLines.reduce((acc, s) => acc + s.price, 0) + (taxesIncluded ? 0 : taxTotal);
	const amazonTotal = m(order.totals!.grandTotal, 'totals.grandTotal');

	// ---- money bags
	const rate = P !== S ? options.exchangeRate?.trim() || undefined : undefined;
	const shop = (minor: number) => (rate ? convertMinor(minor, P, S, rate) : minor);
	const bag = (minor: number) => {
		if (P === S) return { shopMoney: { amount: fromMinor(minor, S), currencyCode: S } };
		const presentmentMoney = { amount: fromMinor(minor, P), currencyCode: P };
		// Without a rate, the amount is given in the order currency and Shopify converts it.
		const shopMoney = rate ? { amount: fromMinor(shop(minor), S), currencyCode: S } : presentmentMoney;
		return { shopMoney, presentmentMoney };
	};
	let shopTotal: number | null = null;
	if (P === S) shopTotal = shopifyTotal;
	else if (rate) {
		shopTotal =
			lines.reduce((acc, l) => acc + shop(l.unit) * l.item.quantity, 0) - shop(discount) + shippingLines.reduce((acc, s) => acc + shop(s.price), 0) +
			(taxesIncluded ? 0 : [...lines.map((l) => shop(l.tax?.amount ?? 0)), ...shippingLines.map((s) => shop(s.tax?.amount ?? 0))].reduce((a, b) => a + b, 0));
	}
	const totals: TotalsComparison = {
		currency: P,
		amazon: fromMinor(amazonTotal, P),
		shopify: fromMinor(shopifyTotal, P),
		difference: fromMinor(shopifyTotal - amazonTotal, P),
		equal: shopifyTotal === amazonTotal,
		shopCurrency: S,
		shopTotal: shopTotal === null ? null : fromMinor(shopTotal, S),
	};
	if (!totals.equal) throw new TotalsMismatchError(id, totals);
	if (discount < 0) throw new OrderMappingError(id, 'totals.discount', 'the promotions add up to a negative amount', 'Check the order in Seller Central.');

	// ---- the input
	const taxLine = (tax: PlannedTax | null) => (tax ? [{ title, rate: tax.rate, priceSet: bag(tax.amount), channelLiable: tax.channelLiable }] : undefined);
	const lineItems = lines.map(({ item, unit, tax, resolution }) => {
		const properties = lineItemLinkProperties(item.orderItemId, item.asin ?? undefined);
		if (resolution.kind === 'variant' && resolution.mappedFrom) properties.push({ name: 'Amazon SKU', value: resolution.mappedFrom });
		if (item.gift?.wrapLevel && item.gift.wrapLevel !== 'None') properties.push({ name: 'Gift wrap', value: item.gift.wrapLevel });
		if (item.gift?.message) properties.push({ name: 'Gift message', value: item.gift.message });
		if (item.customizedUrl) properties.push({ name: 'Customization', value: item.customizedUrl });
		const common = { quantity: item.quantity, priceSet: bag(unit), properties, ...(tax ? { taxLines: taxLine(tax) } : {}) };
		if (resolution.kind === 'variant') return { variantId: resolution.variantId, ...common };
		return {
			title: (item.title ?? item.sku ?? `Amazon item ${item.orderItemId}`).slice(0, 255),
			...(item.sku ? { sku: item.sku } : {}),
			requiresShipping: true,
			taxable: tax !== null,
			...common,
		};
	});

	// Merchant-fulfilled but already shipped on Amazon (a backfill, "Include Already-Shipped Merchant
	// Orders"): imported fulfilled, like FBA, so nobody ships it again and Mark Amazon Fulfilled skips it.
	const shippedOnAmazon = order.fulfillmentChannel === 'MFN' && order.status === 'SHIPPED';
	if (shippedOnAmazon) {
		warnings.push(
			'Already shipped on Amazon: imported as fulfilled (no customer notification) and tagged "Shipped on Amazon", so Mark Amazon Fulfilled does not confirm it again. Stock was taken as for any merchant-fulfilled order (Options → Inventory).',
		);
	}
	const linkage = linkageForOrderCreate({
		amazonOrderId: id,
		marketplaceId: order.marketplaceId,
		fulfillmentChannel: order.fulfillmentChannel,
		isReplacement: order.isReplacement,
		shippedOnAmazon,
	});
	const tags = [...new Set([...linkage.tags, ...options.extraTags.map((t) => t.trim()).filter(Boolean)])];
	const metafields: Array<Record<string, string>> = [...linkage.metafields];
	if (order.isReplacement && order.replacedOrderId) metafields.push(replacementMetafield(order.replacedOrderId));

	const attributes: Array<{ key: string; value: string }> = [];
	const attribute = (key: string, value: string | null | undefined) => {
		if (value !== null && value !== undefined && String(value).trim() !== '') attributes.push({ key, value: String(value) });
	};
	attribute(ATTRIBUTE_AMAZON_ORDER_ID, id);
	attribute('Amazon marketplace', `${order.marketplaceName} (${order.marketplace})`);
	attribute('Amazon fulfillment', order.fulfillmentChannel === 'AFN' ? 'Fulfilled by Amazon (FBA)' : 'Fulfilled by merchant (MFN)');
	attribute(ATTRIBUTE_LATEST_SHIP_DATE, order.latestShipDate);
	attribute('Latest delivery date', order.latestDeliveryDate);
	attribute(ATTRIBUTE_AMAZON_PROGRAMS, order.programs.length ? order.programs.join(', ') : 'none');
	attribute('Ship service level', order.shipServiceLevel);
	attribute('Seller order ID', order.sellerOrderId);
	if (order.isReplacement) {
		attribute('Replaces Amazon order', order.replacedOrderId);
		attribute('Replaces Shopify order', options.replacedShopifyOrder?.name);
	}
	attribute('Delivery instructions', order.deliveryInstructions);

	const name = options.namePattern
		.replace(/\{orderId\}/g, id)
		.replace(/\{marketplace\}/g, order.marketplace)
		.replace(/\{sellerOrderId\}/g, order.sellerOrderId ?? id)
		.trim();

	const input: Record<string, unknown> = {
		name: name || `AMZ-${id}`,
		sourceIdentifier: linkage.sourceIdentifier,
		processedAt: order.purchaseDate,
		presentmentCurrency: P,
		...(P !== S ? { currency: S } : {}),
		taxesIncluded,
		test: false,
		financialStatus: 'PAID',
		lineItems,
		shippingLines: shippingLines.map((s) => ({ title: s.title, code: s.code, source: 'amazon', priceSet: bag(s.price), ...(s.tax ? { taxLines: taxLine(s.tax) } : {}) })),
		tags,
		metafields,
		customAttributes: attributes,
	};
	const marketplace = findMarketplace(order.marketplaceId);
	if (marketplace) input.sourceUrl = order.sellerCentralUrl;
	if (order.buyer?.purchaseOrderNumber) input.poNumber = order.buyer.purchaseOrderNumber;
	if (discount > 0) {
		const promotionIds = [...new Set(order.items.flatMap((i) => i.promotionIds))];
		const code = (promotionIds.length ? `Amazon ${promotionIds.join(', ')}` : roundingAdjustment ? 'Amazon rounding' : 'Amazon promotion').slice(0, 255);
		input.discountCode = { itemFixedDiscountCode: { code, amountSet: bag(discount) } };
	}
	if (shopifyTotal > 0) {
		input.transactions = [{ kind: 'SALE', status: 'SUCCESS', gateway: 'Amazon', processedAt: order.purchaseDate, amountSet: bag(shopifyTotal), test: false }];
	}
	if (order.fulfillmentChannel === 'AFN' || shippedOnAmazon) input.fulfillmentStatus = 'FULFILLED';

	if (options.includeShippingAddress && order.shippingAddress) {
		const a = order.shippingAddress;
		const region = a.stateOrRegion;
		const regionIsCode = Boolean(region && /^[A-Z0-9]{1,3}$/.test(region));
		const mailing: Record<string, string> = {};
		const set = (key: string, value: string | null | undefined) => {
			if (value) mailing[key] = value;
		};
		const names = splitName(a.name);
		set('firstName', names.firstName);
		set('lastName', names.lastName);
		set('company', a.companyName);
		set('address1', a.addressLine1);
		set('address2', [a.addressLine2, a.addressLine3].filter(Boolean).join(', '));
		set('city', a.city ?? a.municipality ?? a.districtOrCounty);
		if (regionIsCode) set('provinceCode', region);
		else set('province', region);
		set('countryCode', a.countryCode);
		set('zip', a.postalCode);
		set('phone', a.phone);
		if (Object.keys(mailing).length) input.shippingAddress = mailing;
	}
	if (options.upsertCustomer) {
		const email = order.buyer?.email;
		if (email) {
			const names = splitName(order.buyer?.name ?? order.shippingAddress?.name ?? null);
			input.customer = { toUpsert: { email, ...names, tags: [TAG_AMAZON] } };
		} else {
			warnings.push('No customer was attached: Amazon did not send the buyer e-mail (it needs the buyer-information role and is only sent for merchant-fulfilled orders).');
		}
	}

	// FBA orders never touch Shopify stock: Amazon ships from its own inventory. A merchant-fulfilled
	// order already shipped on Amazon left the merchant's stock: it keeps the chosen behaviour.
	const inventoryBehaviour: InventoryBehaviour = order.fulfillmentChannel === 'AFN' ? 'BYPASS' : options.inventoryBehaviour;
	return {
		input,
		options: { inventoryBehaviour, sendReceipt: false, sendFulfillmentReceipt: false },
		totals,
		taxesIncluded,
		warnings,
	};
}

