/**
 * Which Amazon refunds (from finances) do we already know about? An Amazon refund is "ours" when
 * the ledger holds it: an `in` entry recorded it in Shopify, or an `out` entry sent it to Amazon.
 * Out entries are recognised by amounts, because Amazon's finances do not echo anything we send:
 * the refund's per-item totals must equal the entry's (or be within a small tolerance when Amazon
 * restated a tax), and an entry is used once. Everything else was made on Amazon, outside this
 * workflow. Pure: no I/O.
 */
import type { AmazonRefundRecord } from './amazonRefunds';
import { refundItemTotals } from './amazonRefunds';
import { totalOf } from './components';
import type { LedgerEntry, OutEntry, RefundLedger } from './ledger';

export interface ReconciledRefund {
	refund: AmazonRefundRecord;
	entry: LedgerEntry;
	how: 'recorded' | 'sentByUs' | 'sentByUsApproximately';
}

export interface Reconciliation {
	known: ReconciledRefund[];
	/** Refunds made on Amazon that the ledger does not know: not recorded in Shopify yet. */
	unknown: AmazonRefundRecord[];
}

/** Per item, a restated total may differ by this much and still count as the same refund. */
export function approximateTolerance(expected: number): number {
	return Math.max(2, Math.floor(Math.abs(expected) / 100));
}

function entryItemTotals(entry: OutEntry): Map<string, number> {
	const out = new Map<string, number>();
	for (const item of entry.items) out.set(item.orderItemId, (out.get(item.orderItemId) ?? 0) + totalOf(item.amounts));
	return out;
}

function postedAfter(refund: AmazonRefundRecord, entry: OutEntry): boolean {
	if (!refund.postedDate || !entry.submittedAt) return true;
	// A day of slack for clock differences; a refund posted well before we submitted is not ours.
	return Date.parse(refund.postedDate) >= Date.parse(entry.submittedAt) - 24 * 3600 * 1000;
}

/**
 * Tries to consume `refund` from the remaining per-item totals of an out entry. Amazon may post one
 * adjustment message as one refund event or as several (one per item), so a refund matches when
 * each of its items equals what is left of that item in the entry.
 */
function consume(remaining: Map<string, number>, refund: AmazonRefundRecord, approximate: boolean): boolean {
	const totals = refundItemTotals(refund);
	if (totals.size === 0) return false;
	for (const [itemId, total] of totals) {
		const left = remaining.get(itemId);
		if (left === undefined) return false;
		const tolerance = approximate ? approximateTolerance(left) : 0;
		if (Math.abs(left - total) > tolerance) return false;
	}
	for (const itemId of totals.keys()) remaining.delete(itemId);
	return true;
}

export function reconcile(refunds: readonly AmazonRefundRecord[], ledger: RefundLedger): Reconciliation {
	const known: ReconciledRefund[] = [];
	let pending: AmazonRefundRecord[] = [];

	// 1. Recorded in Shopify by us, or already recognised as one of our submissions.
	for (const refund of refunds) {
		const entry = ledger.entries.find(
			(e) => (e.dir === 'in' && e.amazonRefundKey === refund.key) || (e.dir === 'out' && (e.amazonRefundKeys ?? []).includes(refund.key)),
		);
		if (entry) known.push({ refund, entry, how: entry.dir === 'in' ? 'recorded' : 'sentByUs' });
		else pending.push(refund);
	}

	// 2. Our own submissions, by amounts: exact first, then within the tolerance.
	const outEntries = ledger.entries.filter(
		(e): e is OutEntry => e.dir === 'out' && e.path === 'refund' && e.status !== 'failed',
	);
	const remainingByEntry = new Map<OutEntry, Map<string, number>>();
	for (const entry of outEntries) {
		const remaining = entryItemTotals(entry);
		// Refund keys already tied to this entry consumed their part.
		for (const done of known.filter((k) => k.entry === entry)) consume(remaining, done.refund, true);
		remainingByEntry.set(entry, remaining);
	}
	for (const approximate of [false, true]) {
		const next: AmazonRefundRecord[] = [];
		for (const refund of pending) {
			const entry = outEntries
				.filter((e) => postedAfter(refund, e))
				.sort((a, b) => (a.submittedAt ?? a.updatedAt).localeCompare(b.submittedAt ?? b.updatedAt))
				.find((e) => consume(remainingByEntry.get(e) as Map<string, number>, refund, approximate));
			if (entry) known.push({ refund, entry, how: approximate ? 'sentByUsApproximately' : 'sentByUs' });
			else next.push(refund);
		}
		pending = next;
	}
	return { known, unknown: pending };
}
