/**
 * From a Shopify fulfillment (or explicit fields) to Amazon confirmShipment packages, without any
 * call: line mapping, carrier mapping, packageReferenceId, ship date, and the input checks that
 * must pass before anything is sent to Amazon.
 *
 * packageReferenceId (Amazon: "a string holding a positive integer"; re-posting the same id edits
 * that package) is derived, never stored:
 *
 *     packageReferenceId = shopifyFulfillmentId × 100 + (trackingIndex + 1)
 *
 * - Deterministic: a replay, a retry or a `fulfillments/update` of the same fulfillment yields the
 *   same ids, so Amazon edits the package instead of adding one. The webhook-mode and polling-mode
 *   events of one fulfillment give the same ids.
 * - Several tracking numbers on one fulfillment are several packages: index 0, 1, … (at most 99).
 *   A tracking edit keeps its index, so it edits the same package.
 * - No collisions: a package id only has to be unique within its Amazon order, and all of an
 *   order's packages come from fulfillments of its one linked Shopify order. Shopify fulfillment
 *   ids are unique per shop, and (id, index) -> id × 100 + index + 1 is injective for index < 99.
 *   Ids Amazon assigns itself (packages confirmed in Seller Central) are small integers (1, 2, …),
 *   far below any derived id (Shopify ids have 10+ digits, so derived ids have 12+).
 * - Length: today's 13-digit Shopify ids give 15-digit ids, within the 18 digits (a signed 64-bit
 *   long) Amazon stores.
 *
 * Explicit fields (no Shopify fulfillment): "9" followed by 17 digits of SHA-256(Amazon order id,
 * tracking number). The same tracking number always edits the same package; another tracking
 * number is another package (set Package Reference ID to edit a package's tracking instead). The
 * leading 9 and 18-digit length keep these apart from fulfillment-derived ids.
 */
import { createHash } from 'crypto';

import type { CarrierMapping } from '../../../shared/carriers';
import { isTrackingNumberRequired, mapCarrier } from '../../../shared/carriers';

export const MAX_PACKAGES_PER_FULFILLMENT = 99;
const MAX_REFERENCE_DIGITS = 18;

/** A problem with the input: reported with the order and the field, and nothing is sent to Amazon. */
export class ShipmentInputError extends Error {
	constructor(
		message: string,
		readonly field: string,
		readonly description: string,
		readonly amazonOrderId?: string,
	) {
		super(message);
		this.name = 'ShipmentInputError';
	}
}

export function packageReferenceIdForFulfillment(fulfillmentLegacyId: string, trackingIndex: number): string {
	if (!/^[1-9]\d*$/.test(fulfillmentLegacyId)) {
		throw new ShipmentInputError(
			`Shopify fulfillment id "${fulfillmentLegacyId}" is not a numeric id`,
			'fulfillment.id',
			'Pass the fulfillment as the Shopify Order Events Trigger emits it.',
		);
	}
	if (!Number.isInteger(trackingIndex) || trackingIndex < 0 || trackingIndex >= MAX_PACKAGES_PER_FULFILLMENT) {
		throw new ShipmentInputError(
			`A fulfillment can be sent as at most ${MAX_PACKAGES_PER_FULFILLMENT} packages (one per tracking number)`,
			'fulfillment.trackingNumbers',
			'Split the shipment into several Shopify fulfillments.',
		);
	}
	const id = (BigInt(fulfillmentLegacyId) * 100n + BigInt(trackingIndex + 1)).toString();
	if (id.length > MAX_REFERENCE_DIGITS) {
		throw new ShipmentInputError(
			`Shopify fulfillment id ${fulfillmentLegacyId} is too long to derive an Amazon package id`,
			'fulfillment.id',
			'Set Package Reference ID explicitly.',
		);
	}
	return id;
}

export function packageReferenceIdForTracking(amazonOrderId: string, trackingNumber: string): string {
	const digest = createHash('sha256').update(`${amazonOrderId}\n${trackingNumber.trim().toUpperCase()}`).digest();
	const digits = (BigInt(`0x${digest.subarray(0, 8).toString('hex')}`) % 10n ** 17n).toString().padStart(17, '0');
	return `9${digits}`;
}

export function isValidPackageReferenceId(value: string): boolean {
	return /^[1-9]\d*$/.test(value) && value.length <= MAX_REFERENCE_DIGITS;
}

export interface ShipLine {
	orderItemId: string;
	quantity: number;
}

/**
 * Deals the shipped units to one package per tracking number, deterministically: units in line
 * order, split into contiguous runs as even as possible (earlier packages get the extra unit).
 * Shopify does not record which unit went into which box; Amazon only needs each package's items
 * to add up to what shipped. With fewer units than tracking numbers, the extra numbers get no
 * package (Amazon refuses a package without items); they are returned as `unsent`.
 */
export function allocateToPackages(lines: readonly ShipLine[], trackingCount: number): { packages: ShipLine[][]; unsentIndexes: number[] } {
	if (trackingCount <= 1) return { packages: [lines.map((l) => ({ ...l }))], unsentIndexes: [] };
	const units: string[] = lines.flatMap((l) => Array<string>(l.quantity).fill(l.orderItemId));
	const base = Math.floor(units.length / trackingCount);
	const extra = units.length % trackingCount;
	const packages: ShipLine[][] = [];
	const unsentIndexes: number[] = [];
	let cursor = 0;
	for (let index = 0; index < trackingCount; index++) {
		const size = base + (index < extra ? 1 : 0);
		const slice = units.slice(cursor, cursor + size);
		cursor += size;
		if (slice.length === 0) {
			unsentIndexes.push(index);
			packages.push([]);
			continue;
		}
		const grouped = new Map<string, number>();
		for (const id of slice) grouped.set(id, (grouped.get(id) ?? 0) + 1);
		packages.push(
			[...grouped.entries()].map(([orderItemId, quantity]) => ({
				orderItemId,
				quantity,
			})),
		);
	}
	return { packages, unsentIndexes };
}

export interface PlannedPackage {
	packageReferenceId: string;
	trackingNumber: string;
	carrierCode: string;
	carrierName?: string;
	/** False when the carrier fell back to "Other" + its name. */
	carrierMapped: boolean;
	shippingMethod?: string;
	shipDate: string;
	orderItems: ShipLine[];
}

export interface ShipmentRequest {
	/** For messages: "Amazon order 113-… (Shopify #1001, fulfillment #1001.1)". */
	subject: string;
	amazonOrderId: string;
	/** Shopify fulfillment legacy id (event input) or undefined (explicit fields). */
	fulfillmentLegacyId?: string;
	carrier: string | null;
	trackingNumbers: string[];
	shipDate: string | null;
	shippingMethod?: string;
	/** Shipped lines. `orderItemId` null = a Shopify line with no Amazon link. */
	lines: Array<{ orderItemId: string | null; quantity: number; label: string }>;
	/** Ordered quantity per Amazon OrderItemId, when known (linkage or getOrder). */
	ordered?: ReadonlyMap<string, number>;
	/** Explicit override (explicit fields only). */
	packageReferenceId?: string;
	multipleTrackingNumbers: 'splitItems' | 'firstOnly';
	carrierTable?: Readonly<Record<string, string>>;
}

export interface ShipmentPlan {
	packages: PlannedPackage[];
	carrier: CarrierMapping;
	shipDate: string;
	/** Tracking numbers that could not become packages (more numbers than units). */
	unsentTrackingNumbers: string[];
	/** Total quantity per OrderItemId in this shipment. */
	totals: Map<string, number>;
}

/** The ship date Amazon gets: the fulfillment's own time (so "the same day"), never in the future. */
export function shipDateFor(value: string | null, now: number): string {
	const ms = value ? Date.parse(value) : NaN;
	if (Number.isNaN(ms)) return new Date(now).toISOString();
	return new Date(Math.min(ms, now)).toISOString();
}

export function planShipment(request: ShipmentRequest, now: number): ShipmentPlan {
	const { subject } = request;

	// Lines -> Amazon items.
	const totals = new Map<string, number>();
	for (const line of request.lines) {
		if (!line.orderItemId) {
			throw new ShipmentInputError(
				`${subject}: line ${line.label} has no Amazon order item (line item property _amazon_order_item_id)`,
				'fulfillment.lineItems',
				'Only lines imported from the Amazon order can be confirmed. Remove other lines from the fulfillment, or re-import the order with Create Shopify Order.',
				request.amazonOrderId,
			);
		}
		if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
			throw new ShipmentInputError(
				`${subject}: line ${line.label} has quantity ${line.quantity}`,
				'fulfillment.lineItems',
				'Quantities must be whole numbers above 0.',
				request.amazonOrderId,
			);
		}
		totals.set(line.orderItemId, (totals.get(line.orderItemId) ?? 0) + line.quantity);
	}
	if (totals.size === 0) {
		throw new ShipmentInputError(
			`${subject}: nothing to ship (no line items)`,
			'fulfillment.lineItems',
			'The fulfillment must list at least one Amazon line item.',
			request.amazonOrderId,
		);
	}
	if (request.ordered) {
		for (const [orderItemId, quantity] of totals) {
			const ordered = request.ordered.get(orderItemId);
			if (ordered === undefined) {
				throw new ShipmentInputError(
					`${subject}: order item ${orderItemId} is not an item of this Amazon order`,
					'items.orderItemId',
					`The items of this order are: ${[...request.ordered.keys()].join(', ')}.`,
					request.amazonOrderId,
				);
			}
			if (quantity > ordered) {
				throw new ShipmentInputError(
					`${subject}: ${quantity} × order item ${orderItemId} shipped, but only ${ordered} were ordered`,
					'items.quantity',
					'Fix the quantities in Shopify (or in the Items field). Amazon refuses a package with more units than ordered.',
					request.amazonOrderId,
				);
			}
		}
	}

	const company = request.carrier?.trim() ?? '';
	const carrier = mapCarrier(company, request.carrierTable);

	// Tracking numbers.
	let numbers = request.trackingNumbers.map((n) => n.trim()).filter(Boolean);
	if (numbers.length === 0 && isTrackingNumberRequired(carrier.carrierCode)) {
		throw new ShipmentInputError(
			`${subject}: the shipment has no tracking number`,
			'trackingNumbers',
			'Amazon requires a tracking number for every package (confirmShipment), and untracked shipments lower the Valid Tracking Rate (at least 95 % required). Add the tracking number in Shopify; the tracking update confirms it.',
			request.amazonOrderId,
		);
	}
	// Carrier.
	if (!company) {
		throw new ShipmentInputError(
			`${subject}: the shipment has no carrier (tracking company)`,
			'trackingCompany',
			'Amazon requires a carrier for every package. Set the carrier on the Shopify fulfillment (its tracking update will confirm it), or fill Carrier.',
			request.amazonOrderId,
		);
	}

	let unsentTrackingNumbers: string[] = [];
	if (request.multipleTrackingNumbers === 'firstOnly' && numbers.length > 1) {
		unsentTrackingNumbers = numbers.slice(1);
		numbers = numbers.slice(0, 1);
	}
	if (numbers.length > MAX_PACKAGES_PER_FULFILLMENT) {
		throw new ShipmentInputError(
			`${subject}: ${numbers.length} tracking numbers`,
			'trackingNumbers',
			`At most ${MAX_PACKAGES_PER_FULFILLMENT} packages per fulfillment.`,
			request.amazonOrderId,
		);
	}
	if (request.packageReferenceId !== undefined && (numbers.length > 1 || !isValidPackageReferenceId(request.packageReferenceId))) {
		throw new ShipmentInputError(
			`${subject}: Package Reference ID "${request.packageReferenceId}" ${numbers.length > 1 ? 'applies to one tracking number only' : 'must be a positive whole number of at most 18 digits'}`,
			'packageReferenceId',
			'Leave it empty to derive one per tracking number.',
			request.amazonOrderId,
		);
	}

	const shipDate = shipDateFor(request.shipDate, now);
	const lines = [...totals.entries()].map(([orderItemId, quantity]) => ({
		orderItemId,
		quantity,
	}));
	const { packages: allocation, unsentIndexes } = allocateToPackages(lines, numbers.length);
	unsentTrackingNumbers = [...unsentTrackingNumbers, ...unsentIndexes.map((i) => numbers[i])];
	const packages: PlannedPackage[] = [];
	allocation.forEach((orderItems, index) => {
		if (orderItems.length === 0) return;
		const trackingNumber = numbers[index];
		const packageReferenceId =
			request.packageReferenceId ??
			(request.fulfillmentLegacyId
				? packageReferenceIdForFulfillment(request.fulfillmentLegacyId, index)
				: packageReferenceIdForTracking(request.amazonOrderId, trackingNumber));
		packages.push({
			packageReferenceId,
			trackingNumber,
			carrierCode: carrier.carrierCode,
			...(carrier.carrierName ? { carrierName: carrier.carrierName } : {}),
			carrierMapped: carrier.mapped,
			...(request.shippingMethod ? { shippingMethod: request.shippingMethod } : {}),
			shipDate,
			orderItems,
		});
	});
	return { packages, carrier, shipDate, unsentTrackingNumbers, totals };
}
