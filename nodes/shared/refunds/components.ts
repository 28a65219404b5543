/**
 * Price components of an Amazon order item, as the payment adjustment feed names them
 * (OrderAdjustment.xsd `AdjustmentBuyerPrice` Component Type). Amounts are integer minor units of
 * the order currency, always what the BUYER gets back (positive), never Amazon's seller-side sign.
 */

/** The components this pack reads from Amazon and writes to the feed, in feed order. */
export const COMPONENTS = ['Principal', 'Shipping', 'GiftWrap', 'Tax', 'ShippingTax', 'GiftWrapTax'] as const;

export type Component = (typeof COMPONENTS)[number];

/** Components a shipping refund is made of. */
export const SHIPPING_COMPONENTS: readonly Component[] = ['Shipping', 'ShippingTax'];

/** Components of the product itself (price and its tax). */
export const PRODUCT_COMPONENTS: readonly Component[] = ['Principal', 'Tax'];

/** Gift wrap and its tax. */
export const GIFT_WRAP_COMPONENTS: readonly Component[] = ['GiftWrap', 'GiftWrapTax'];

export type ComponentAmounts = Partial<Record<Component, number>>;

export function isComponent(value: unknown): value is Component {
	return typeof value === 'string' && (COMPONENTS as readonly string[]).includes(value);
}

/** Sum of every component. */
export function totalOf(amounts: ComponentAmounts): number {
	let total = 0;
	for (const component of COMPONENTS) total += amounts[component] ?? 0;
	return total;
}

/** Sum of the given components only. */
export function totalOfComponents(amounts: ComponentAmounts, components: readonly Component[]): number {
	let total = 0;
	for (const component of components) total += amounts[component] ?? 0;
	return total;
}

/** A copy without zero components, in feed order (stable JSON for the ledger and outputs). */
export function compact(amounts: ComponentAmounts): ComponentAmounts {
	const out: ComponentAmounts = {};
	for (const component of COMPONENTS) {
		const value = amounts[component] ?? 0;
		if (value !== 0) out[component] = value;
	}
	return out;
}

export function addAmounts(...list: ComponentAmounts[]): ComponentAmounts {
	const out: ComponentAmounts = {};
	for (const amounts of list) {
		for (const component of COMPONENTS) {
			const value = amounts[component] ?? 0;
			if (value !== 0) out[component] = (out[component] ?? 0) + value;
		}
	}
	return compact(out);
}

/** a - b, component by component (may go negative; callers clamp where that matters). */
export function subtractAmounts(a: ComponentAmounts, b: ComponentAmounts): ComponentAmounts {
	const out: ComponentAmounts = {};
	for (const component of COMPONENTS) out[component] = (a[component] ?? 0) - (b[component] ?? 0);
	return compact(out);
}

/** Component-wise maximum: used to merge two views of "already refunded" without double counting. */
export function maxAmounts(a: ComponentAmounts, b: ComponentAmounts): ComponentAmounts {
	const out: ComponentAmounts = {};
	for (const component of COMPONENTS) out[component] = Math.max(a[component] ?? 0, b[component] ?? 0);
	return compact(out);
}

/** Negative components become 0. */
export function clampAtZero(amounts: ComponentAmounts): ComponentAmounts {
	const out: ComponentAmounts = {};
	for (const component of COMPONENTS) out[component] = Math.max(0, amounts[component] ?? 0);
	return compact(out);
}

export function isZero(amounts: ComponentAmounts): boolean {
	return COMPONENTS.every((component) => (amounts[component] ?? 0) === 0);
}

/** Only the listed components. */
export function pick(amounts: ComponentAmounts, components: readonly Component[]): ComponentAmounts {
	const out: ComponentAmounts = {};
	for (const component of components) out[component] = amounts[component] ?? 0;
	return compact(out);
}

/**
 * Amazon Finances ChargeType -> feed component. Finances spells shipping "ShippingCharge" and gift
 * wrap "Giftwrap"; the feed says "Shipping" and "GiftWrap". Other charge types (Goodwill,
 * RestockingFee, marketplace facilitator taxes withheld, COD, points...) have no counterpart in
 * what this pack sends and are reported separately.
 */
const CHARGE_TYPE_COMPONENTS: Readonly<Record<string, Component>> = {
	Principal: 'Principal',
	Tax: 'Tax',
	ShippingCharge: 'Shipping',
	Shipping: 'Shipping',
	ShippingTax: 'ShippingTax',
	Giftwrap: 'GiftWrap',
	GiftWrap: 'GiftWrap',
	GiftwrapTax: 'GiftWrapTax',
	GiftWrapTax: 'GiftWrapTax',
};

export function componentForChargeType(chargeType: unknown): Component | undefined {
	return typeof chargeType === 'string' ? CHARGE_TYPE_COMPONENTS[chargeType] : undefined;
}
