/**
 * Telling the merchant, on the Shopify order itself, that a refund did not reach Amazon: the tag
 * `amazon-refund-failed` (searchable, usable in Shopify Flow) and a line in the order's staff
 * note. Idempotent: a note line carries the refund's ledger key, so a replay adds nothing.
 * Customers are never notified (no customer-facing mutation is used).
 */
import { TAG_REFUND_FAILED } from '../linkage';
import type { ShopifyClient } from '../transport/shopify/client';

/** Marks orders whose submission is still being processed by Amazon (found by "Update Pending Results"). */
export const TAG_REFUND_PENDING = 'amazon-refund-pending';

/** Shopify keeps order notes short; we keep each line well within it. */
const MAX_LINE = 300;
const MAX_NOTE = 5000;

export function noteLine(key: string, message: string, now: number): string {
	const marker = `[amazon-refund ${key}]`;
	const date = new Date(now).toISOString().slice(0, 10);
	const room = MAX_LINE - marker.length - date.length - 4;
	const text = message.length > room ? `${message.slice(0, room - 1)}…` : message;
	return `${date} ${text} ${marker}`;
}

/** The note with the line appended, or undefined when the note already has a line for this key. */
export function appendNote(note: string, key: string, line: string): string | undefined {
	if (note.includes(`[amazon-refund ${key}]`)) return undefined;
	const next = note ? `${note.replace(/\s+$/, '')}\n${line}` : line;
	// Keep the newest lines when the note grows past Shopify's comfort zone.
	return next.length > MAX_NOTE ? next.slice(next.length - MAX_NOTE) : next;
}

export interface FlagRequest {
	orderId: string;
	key: string;
	message: string;
	/** The order's current note and tags, when already read (saves a query). */
	note: string;
	tags: string[];
}

interface UserErrorsPayload {
	userErrors: Array<{ message: string }>;
}

export interface FlagResult {
	/** What could not be done (the refund result stands; flags are a courtesy). */
	problems: string[];
	note: string;
	tags: string[];
}

/** Tags the order and adds a staff note line, once per ledger key. Never throws for userErrors. */
export async function flagRefundFailure(shopify: ShopifyClient, request: FlagRequest, now: number): Promise<FlagResult> {
	const problems: string[] = [];
	let tags = request.tags;
	let note = request.note;
	if (!tags.includes(TAG_REFUND_FAILED)) {
		const added = await shopify.run<{ tagsAdd: UserErrorsPayload }>('TagsAdd', { id: request.orderId, tags: [TAG_REFUND_FAILED] });
		if (added.tagsAdd.userErrors.length) problems.push(`tag: ${added.tagsAdd.userErrors.map((e) => e.message).join('; ')}`);
		else tags = [...tags, TAG_REFUND_FAILED];
	}
	const next = appendNote(note, request.key, noteLine(request.key, request.message, now));
	if (next !== undefined) {
		const updated = await shopify.run<{ orderUpdate: UserErrorsPayload }>('OrderUpdate', { input: { id: request.orderId, note: next } });
		if (updated.orderUpdate.userErrors.length) problems.push(`note: ${updated.orderUpdate.userErrors.map((e) => e.message).join('; ')}`);
		else note = next;
	}
	return { problems, note, tags };
}

export async function setPendingTag(shopify: ShopifyClient, orderId: string, pending: boolean, tags: string[]): Promise<void> {
	const has = tags.includes(TAG_REFUND_PENDING);
	if (pending && !has) await shopify.run('TagsAdd', { id: orderId, tags: [TAG_REFUND_PENDING] });
	if (!pending && has) await shopify.run('TagsRemove', { id: orderId, tags: [TAG_REFUND_PENDING] });
}
