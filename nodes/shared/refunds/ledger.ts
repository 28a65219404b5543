/**
 * The refund ledger: JSON in the Shopify order metafield `amazon.refund_ledger`. It is the memory
 * that makes refunds exactly-once in both directions:
 * - `out` entries: a Shopify refund or cancellation we send to Amazon. Written as `pending` (with
 *   the uploaded feedDocumentId and MessageID) BEFORE createFeed, then `submitted` (feedId), then
 *   `succeeded`/`failed` from the processing report. `unknown` = createFeed's answer was lost and
 *   the feed could not be found (yet): never re-sent blindly. `pending` with `deferredUntil` =
 *   createFeed was never called (its budget ran out): claimed again and sent by the next run.
 * - `in` entries: an Amazon refund we recorded in Shopify (refundCreate), keyed by the Amazon
 *   refund's identity, with the Shopify refund it became. Check Refund Eligibility refuses to send
 *   those back to Amazon (no loops).
 * Pure: parsing, querying and updating the JSON; the Shopify writes live in ledgerStore.ts.
 */
import type { ComponentAmounts } from './components';
import { settleSync } from './settle';
import { addAmounts, compact, totalOf } from './components';

export const LEDGER_VERSION = 1;

/** Keep the metafield small: settled entries beyond this many are dropped, oldest first. */
const MAX_SETTLED_ENTRIES = 100;

export type OutPath = 'refund' | 'cancel' | 'partialCancel';
export type OutStatus = 'pending' | 'submitted' | 'unknown' | 'succeeded' | 'failed';
export type InStatus = 'recording' | 'recorded' | 'failed';

export interface LedgerItem {
	orderItemId: string;
	amounts: ComponentAmounts;
	quantityCancelled?: number;
}

export interface OutEntry {
	dir: 'out';
	/** `refund:<Shopify refund gid>`, `cancel:<Shopify order gid>` or `manual:<reference>`. */
	key: string;
	shopifyRefundId?: string;
	path: OutPath;
	feedType: string;
	marketplaceId: string;
	amazonOrderId: string;
	currency: string;
	items: LedgerItem[];
	total: number;
	status: OutStatus;
	feedDocumentId?: string;
	feedId?: string;
	messageId?: number;
	/** Time (ISO) of the claim, just before createFeed: the window getFeeds searches after a lost answer starts here. */
	submittedAt?: string;
	/** When createFeed's answer was found lost: the look-up window ends here. */
	lostAt?: string;
	matchedBy?: 'response' | 'getFeeds';
	resultCode?: string;
	resultMessage?: string;
	/** Amazon refund keys (finances) that were recognised as this submission. */
	amazonRefundKeys?: string[];
	/** AdjustmentReason (payment adjustment) or CancelReason (acknowledgement) that was sent. */
	reason?: string;
	/** AdjustmentReason of canceled units inside a refund (partially shipped orders). */
	cancelUnitsReason?: string;
	/** Messages in the feed document: a feed found after a lost response must have processed this many. */
	messageCount?: number;
	/** createFeed calls made for this entry (a resend after "not found" is the second). */
	attempts?: number;
	/**
	 * Set on a `pending` entry whose createFeed was never called: the usage-plan budget was empty
	 * for longer than "Max Wait for Feed Budget" (ISO time it was expected back). Nothing reached
	 * Amazon; the next run claims the entry again (compare-and-set) and sends it.
	 */
	deferredUntil?: string;
	updatedAt: string;
}

export interface InEntry {
	dir: 'in';
	/** `amazon:<Amazon refund key>`. */
	key: string;
	amazonRefundKey: string;
	amazonOrderId: string;
	idempotencyKey: string;
	shopifyRefundId?: string;
	currency: string;
	items: LedgerItem[];
	total: number;
	postedDate?: string;
	status: InStatus;
	/** How it was recorded: a REFUND transaction on a manual gateway, line items only, or a Shopify cancellation. */
	recordedAs?: 'manualGatewayTransaction' | 'lineItemsOnly' | 'orderCancel';
	message?: string;
	updatedAt: string;
}

export type LedgerEntry = OutEntry | InEntry;

export interface RefundLedger {
	v: number;
	entries: LedgerEntry[];
}

export class LedgerUnreadableError extends Error {
	constructor(detail: string) {
		super(`The amazon.refund_ledger metafield cannot be read (${detail})`);
		this.name = 'LedgerUnreadableError';
	}
}

export function emptyLedger(): RefundLedger {
	return { v: LEDGER_VERSION, entries: [] };
}

/**
 * Parses the metafield value. Missing -> empty ledger. Anything unreadable throws: without the
 * ledger we cannot know what was sent, and guessing could refund a buyer twice.
 */
export function parseLedger(value: string | null | undefined): RefundLedger {
	if (value === undefined || value === null || value.trim() === '') return emptyLedger();
	const read = settleSync(() => JSON.parse(value) as unknown);
	if (!read.ok) throw new LedgerUnreadableError('it is not valid JSON');
	const parsed = read.value;
	if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as RefundLedger).entries)) {
		throw new LedgerUnreadableError('expected {"v":1,"entries":[...]}');
	}
	const ledger = parsed as RefundLedger;
	if (typeof ledger.v === 'number' && ledger.v > LEDGER_VERSION) {
		throw new LedgerUnreadableError(`it was written by a newer version (v${ledger.v}) of this node pack; update the pack`);
	}
	for (const entry of ledger.entries) {
		if (!entry || (entry.dir !== 'out' && entry.dir !== 'in') || typeof entry.key !== 'string') {
			throw new LedgerUnreadableError('an entry has no dir/key');
		}
	}
	return { v: LEDGER_VERSION, entries: ledger.entries };
}

function isSettled(entry: LedgerEntry): boolean {
	return entry.dir === 'out' ? entry.status === 'succeeded' || entry.status === 'failed' : entry.status === 'recorded';
}

export function serializeLedger(ledger: RefundLedger): string {
	let entries = ledger.entries;
	const settled = entries.filter(isSettled);
	if (settled.length > MAX_SETTLED_ENTRIES) {
		// Never drop an open entry or an entry that protects against loops ("in" and succeeded "out" totals
		// still matter): only the oldest failed "out" entries go first, then the oldest settled ones.
		const drop = new Set(
			[...settled]
				.sort((a, b) => Number(a.dir === 'in' || (a.dir === 'out' && a.status === 'succeeded')) - Number(b.dir === 'in' || (b.dir === 'out' && b.status === 'succeeded')) || a.updatedAt.localeCompare(b.updatedAt))
				.slice(0, settled.length - MAX_SETTLED_ENTRIES),
		);
		entries = entries.filter((e) => !drop.has(e));
	}
	return JSON.stringify({ v: LEDGER_VERSION, entries });
}

export function findEntry(ledger: RefundLedger, key: string): LedgerEntry | undefined {
	return ledger.entries.find((entry) => entry.key === key);
}

export function findOut(ledger: RefundLedger, key: string): OutEntry | undefined {
	const entry = findEntry(ledger, key);
	return entry?.dir === 'out' ? entry : undefined;
}

/** The "in" entry whose Shopify refund is this one: a refund we recorded from Amazon. */
export function inEntryForShopifyRefund(ledger: RefundLedger, shopifyRefundId: string): InEntry | undefined {
	return ledger.entries.find((e): e is InEntry => e.dir === 'in' && e.shopifyRefundId === shopifyRefundId);
}

export function inEntryForAmazonRefund(ledger: RefundLedger, amazonRefundKey: string): InEntry | undefined {
	return ledger.entries.find((e): e is InEntry => e.dir === 'in' && e.amazonRefundKey === amazonRefundKey);
}

/** Inserts or replaces the entry with the same key; returns a new ledger. */
export function upsertEntry(ledger: RefundLedger, entry: LedgerEntry): RefundLedger {
	const entries = ledger.entries.filter((e) => e.key !== entry.key);
	entries.push(entry);
	return { v: LEDGER_VERSION, entries };
}

/** Entries that count as money given back (or on its way): used as "already refunded". */
export function countsAsRefunded(entry: LedgerEntry): boolean {
	if (entry.dir === 'in') return entry.status !== 'failed';
	return entry.status !== 'failed';
}

/** What the ledger knows was refunded, per order item (out entries not failed + in entries). */
export function ledgerRefundedByItem(ledger: RefundLedger, options: { excludeKey?: string } = {}): Map<string, ComponentAmounts> {
	const out = new Map<string, ComponentAmounts>();
	for (const entry of ledger.entries) {
		if (entry.key === options.excludeKey || !countsAsRefunded(entry)) continue;
		if (entry.dir === 'out' && entry.path !== 'refund') continue; // cancellations give back nothing that was charged
		for (const item of entry.items) out.set(item.orderItemId, addAmounts(out.get(item.orderItemId) ?? {}, item.amounts));
	}
	return out;
}

/** Units the ledger knows were cancelled, per order item. */
export function ledgerCancelledUnits(ledger: RefundLedger, options: { excludeKey?: string } = {}): Map<string, number> {
	const out = new Map<string, number>();
	for (const entry of ledger.entries) {
		if (entry.dir !== 'out' || entry.key === options.excludeKey || entry.status === 'failed') continue;
		for (const item of entry.items) {
			if (item.quantityCancelled) out.set(item.orderItemId, (out.get(item.orderItemId) ?? 0) + item.quantityCancelled);
		}
	}
	return out;
}

export function ledgerItems(items: Array<{ orderItemId: string; amounts: ComponentAmounts; quantityCancelled?: number }>): LedgerItem[] {
	return items.map((item) => ({
		orderItemId: item.orderItemId,
		amounts: compact(item.amounts),
		...(item.quantityCancelled ? { quantityCancelled: item.quantityCancelled } : {}),
	}));
}

export function itemsTotal(items: readonly LedgerItem[]): number {
	return items.reduce((sum, item) => sum + totalOf(item.amounts), 0);
}

/** Open "out" entries (not settled): what a replay or the resolver must finish, never re-send blindly. */
export function openOutEntries(ledger: RefundLedger): OutEntry[] {
	return ledger.entries.filter((e): e is OutEntry => e.dir === 'out' && (e.status === 'pending' || e.status === 'submitted' || e.status === 'unknown'));
}
