/**
 * Turning money refunded in Shopify into Amazon price components per OrderItemId, exactly, in
 * integer minor units (largest-remainder splits from money.ts, so parts always sum to the whole).
 *
 * - Product money of a line (subtotal + tax, or subtotal alone when Shopify prices include tax)
 *   goes to that Amazon item, split over Principal and Tax in the ratio of what is still
 *   refundable on Amazon; money above that spills into GiftWrap/GiftWrapTax.
 * - Shipping money (Shopify's is per order, Amazon's per item) is spread over the items in
 *   proportion to their refundable shipping, then split Shipping/ShippingTax the same way.
 * - If the money actually refunded (the refund's transactions) is less than the lines and
 *   shipping add up to, every component is scaled down; if it is more, the excess goes to
 *   Principal of the refunded items (then of all items).
 * Pure: no I/O.
 */
import { allocateMinor } from '../money';
import type { Component, ComponentAmounts } from './components';
import { COMPONENTS, GIFT_WRAP_COMPONENTS, PRODUCT_COMPONENTS, SHIPPING_COMPONENTS, compact, totalOf, totalOfComponents } from './components';

export interface AllocationLine {
	orderItemId: string;
	/** Money for the product part of this line, including its tax. */
	money: number;
}

export interface AllocationRequest {
	lines: AllocationLine[];
	shippingMoney: number;
	/** What the buyer gets back in total; undefined = lines + shipping. */
	target?: number;
	/** Refundable left per item (only these items can receive money). */
	remaining: ReadonlyMap<string, ComponentAmounts>;
	/** Rounding slack per split (Shopify and Amazon may round a tax differently by a unit or two). */
	toleranceMinor?: number;
}

export interface AllocationShortfall {
	orderItemId?: string;
	what: 'product' | 'shipping' | 'total';
	requested: number;
	available: number;
}

export interface AllocationResult {
	items: Map<string, ComponentAmounts>;
	total: number;
	/** Money that could not be placed: the request exceeds what is refundable. */
	shortfalls: AllocationShortfall[];
	/** Minor units dropped within the rounding tolerance (request slightly above refundable). */
	capped: number;
}

function split(amount: number, components: readonly Component[], room: ComponentAmounts): ComponentAmounts {
	const weights = components.map((c) => Math.max(0, room[c] ?? 0));
	if (amount === 0) return {};
	const parts = weights.every((w) => w === 0) ? [amount, ...components.slice(1).map(() => 0)] : allocateMinor(amount, weights);
	const out: ComponentAmounts = {};
	components.forEach((c, i) => {
		if (parts[i]) out[c] = parts[i];
	});
	return out;
}

/** Fills `amount` into `groups` in order, each group up to its room, split by its room's ratio. */
function fill(amount: number, groups: ReadonlyArray<readonly Component[]>, room: ComponentAmounts): { placed: ComponentAmounts; left: number } {
	let left = amount;
	const placed: ComponentAmounts = {};
	for (const group of groups) {
		if (left <= 0) break;
		const capacity = totalOfComponents(room, group);
		const take = Math.min(left, capacity);
		if (take <= 0) continue;
		Object.assign(placed, split(take, group, room));
		left -= take;
	}
	return { placed, left };
}

function add(target: Map<string, ComponentAmounts>, id: string, amounts: ComponentAmounts): void {
	const current = target.get(id) ?? {};
	for (const c of COMPONENTS) if (amounts[c]) current[c] = (current[c] ?? 0) + (amounts[c] as number);
	target.set(id, current);
}

function roomLeft(remaining: ComponentAmounts, used: ComponentAmounts | undefined): ComponentAmounts {
	const out: ComponentAmounts = {};
	for (const c of COMPONENTS) out[c] = Math.max(0, (remaining[c] ?? 0) - (used?.[c] ?? 0));
	return out;
}

export function allocateRefund(request: AllocationRequest): AllocationResult {
	const tolerance = request.toleranceMinor ?? 2;
	const items = new Map<string, ComponentAmounts>();
	const shortfalls: AllocationShortfall[] = [];
	let capped = 0;

	// 1. Product money, line by line (several Shopify lines may point at one Amazon item).
	const byItem = new Map<string, number>();
	for (const line of request.lines) byItem.set(line.orderItemId, (byItem.get(line.orderItemId) ?? 0) + line.money);
	for (const [orderItemId, money] of byItem) {
		if (money <= 0) continue;
		const room = request.remaining.get(orderItemId) ?? {};
		const { placed, left } = fill(money, [PRODUCT_COMPONENTS, GIFT_WRAP_COMPONENTS], room);
		add(items, orderItemId, placed);
		if (left > tolerance) shortfalls.push({ orderItemId, what: 'product', requested: money, available: money - left });
		else capped += left;
	}

	// 2. Shipping money over all items, by refundable shipping.
	if (request.shippingMoney > 0) {
		const ids = [...request.remaining.keys()];
		const rooms = ids.map((id) => roomLeft(request.remaining.get(id) ?? {}, items.get(id)));
		const capacities = rooms.map((room) => totalOfComponents(room, SHIPPING_COMPONENTS));
		const capacity = capacities.reduce((a, b) => a + b, 0);
		const placeable = Math.min(request.shippingMoney, capacity);
		const left = request.shippingMoney - placeable;
		if (placeable > 0) {
			const shares = allocateMinor(placeable, capacities);
			ids.forEach((id, i) => {
				if (shares[i] > 0) add(items, id, split(shares[i], SHIPPING_COMPONENTS, rooms[i]));
			});
		}
		if (left > tolerance) shortfalls.push({ what: 'shipping', requested: request.shippingMoney, available: capacity });
		else capped += left;
	}

	// 3. Bring the total to the money actually refunded.
	let total = [...items.values()].reduce((sum, amounts) => sum + totalOf(amounts), 0);
	const target = request.target;
	if (target !== undefined && target !== total && shortfalls.length === 0) {
		if (target < total) {
			const cells: Array<{ id: string; c: Component; v: number }> = [];
			for (const [id, amounts] of items) for (const c of COMPONENTS) if (amounts[c]) cells.push({ id, c, v: amounts[c] as number });
			const parts = target <= 0 ? cells.map(() => 0) : allocateMinor(target, cells.map((cell) => cell.v));
			for (const amounts of items.values()) for (const c of COMPONENTS) delete amounts[c];
			cells.forEach((cell, i) => {
				if (parts[i]) (items.get(cell.id) as ComponentAmounts)[cell.c] = parts[i];
			});
		} else {
			let excess = target - total;
			const preferred = [...byItem.keys()].filter((id) => request.remaining.has(id));
			const all = [...request.remaining.keys()];
			// Principal first (of the refunded items, then of all items), then whatever is left of
			// every component, in proportion: an amount-only refund of everything fits exactly.
			for (const ids of [preferred, all]) {
				if (excess <= 0 || ids.length === 0) continue;
				const capacities = ids.map((id) => roomLeft(request.remaining.get(id) ?? {}, items.get(id)).Principal ?? 0);
				const capacity = capacities.reduce((a, b) => a + b, 0);
				const take = Math.min(excess, capacity);
				if (take <= 0) continue;
				const shares = allocateMinor(take, capacities);
				ids.forEach((id, i) => {
					if (shares[i] > 0) add(items, id, { Principal: shares[i] });
				});
				excess -= take;
			}
			if (excess > 0) {
				const cells: Array<{ id: string; c: Component; room: number }> = [];
				for (const id of all) {
					const room = roomLeft(request.remaining.get(id) ?? {}, items.get(id));
					for (const c of COMPONENTS) if ((room[c] ?? 0) > 0) cells.push({ id, c, room: room[c] as number });
				}
				const capacity = cells.reduce((a, cell) => a + cell.room, 0);
				const take = Math.min(excess, capacity);
				if (take > 0) {
					const shares = allocateMinor(take, cells.map((cell) => cell.room));
					cells.forEach((cell, i) => {
						if (shares[i] > 0) add(items, cell.id, { [cell.c]: shares[i] });
					});
					excess -= take;
				}
			}
			if (excess > tolerance) shortfalls.push({ what: 'total', requested: target, available: target - excess });
			else capped += excess;
		}
		total = [...items.values()].reduce((sum, amounts) => sum + totalOf(amounts), 0);
	}

	const compacted = new Map<string, ComponentAmounts>();
	for (const [id, amounts] of items) {
		const clean = compact(amounts);
		if (totalOf(clean) > 0) compacted.set(id, clean);
	}
	return { items: compacted, total, shortfalls, capped };
}

/**
 * Charges of `units` out of `ordered` units of a line, never above the line: whole line when all
 * units, otherwise rounded down per component (so a partial never exceeds what Amazon charged).
 */
export function chargesForUnits(full: ComponentAmounts, units: number, ordered: number): ComponentAmounts {
	if (ordered <= 0 || units <= 0) return {};
	if (units >= ordered) return compact(full);
	const out: ComponentAmounts = {};
	for (const c of COMPONENTS) out[c] = Math.floor(((full[c] ?? 0) * units) / ordered);
	return compact(out);
}
