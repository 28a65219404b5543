/**
 * Reading and writing refund ledgers on Shopify orders, safely under concurrency: every write is
 * a compare-and-set (metafieldsSet `compareDigest`, Shopify 2024-07+), so two executions handling
 * the same refund cannot both claim it. Writes are batched (metafieldsSet takes 25 metafields, for
 * different orders, atomically) and a stale write is re-read and re-applied, never blindly retried.
 */
import { AMAZON_NAMESPACE, METAFIELD_REFUND_LEDGER } from '../linkage';
import type { ShopifyClient } from '../transport/shopify/client';
import { ShopifyUnknownOutcome } from '../transport/shopify/errors';
import type { RefundLedger } from './ledger';
import { parseLedger, serializeLedger } from './ledger';
import { settle } from './settle';

export interface StoredLedger {
	orderId: string;
	orderName?: string;
	tags: string[];
	note: string;
	ledger: RefundLedger;
	/** null = the metafield does not exist yet. */
	digest: string | null;
}

interface LedgerNode {
	id?: string;
	name?: string;
	tags?: string[];
	note?: string | null;
	amazonRefundLedger?: { value: string; compareDigest?: string | null } | null;
}

const MAX_NODES = 100;
const MAX_SET = 25;
const MAX_ROUNDS = 4;

function chunks<T>(list: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/** Current ledgers of several orders, in one query per 100 orders. */
export async function readLedgers(shopify: ShopifyClient, orderIds: readonly string[]): Promise<Map<string, StoredLedger>> {
	const out = new Map<string, StoredLedger>();
	for (const ids of chunks([...new Set(orderIds)], MAX_NODES)) {
		const data = await shopify.run<{ nodes: Array<LedgerNode | null> }>('RefundLedgers', { ids });
		for (const node of data.nodes) {
			if (!node?.id) continue;
			out.set(node.id, {
				orderId: node.id,
				orderName: node.name,
				tags: node.tags ?? [],
				note: node.note ?? '',
				ledger: parseLedger(node.amazonRefundLedger?.value),
				digest: node.amazonRefundLedger ? (node.amazonRefundLedger.compareDigest ?? null) : null,
			});
		}
	}
	return out;
}

/**
 * A change to one order's ledger. `apply` gets the CURRENT ledger (re-read after a conflict) and
 * returns the new one, or undefined to write nothing (the change is no longer wanted, e.g. another
 * execution already claimed the refund).
 */
export type LedgerChange = (ledger: RefundLedger) => RefundLedger | undefined;

export interface LedgerWriteResult {
	/** The ledger as written (or as found, when `apply` declined). */
	ledgers: Map<string, StoredLedger>;
	/** Orders whose change `apply` declined on the current ledger. */
	declined: Set<string>;
}

interface SetPayload {
	metafieldsSet: {
		metafields: Array<{ compareDigest?: string | null; owner?: { id?: string } | null }> | null;
		userErrors: Array<{ message: string; code?: string | null; elementIndex?: number | null }>;
	};
}

export class LedgerWriteError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LedgerWriteError';
	}
}

/**
 * Applies changes to several orders' ledgers with compare-and-set. `known` are ledgers already
 * read in this execution (saves a query); anything stale is re-read and re-applied.
 */
export async function writeLedgers(
	shopify: ShopifyClient,
	changes: ReadonlyMap<string, LedgerChange>,
	known: ReadonlyMap<string, StoredLedger> = new Map(),
): Promise<LedgerWriteResult> {
	const current = new Map<string, StoredLedger>();
	const missing = [...changes.keys()].filter((id) => !known.has(id));
	for (const [id, stored] of known) if (changes.has(id)) current.set(id, stored);
	if (missing.length) for (const [id, stored] of await readLedgers(shopify, missing)) current.set(id, stored);

	const declined = new Set<string>();
	let pending = [...changes.keys()];
	for (let round = 0; round < MAX_ROUNDS && pending.length; round++) {
		const stale: string[] = [];
		for (const batch of chunks(pending, MAX_SET)) {
			const writes: Array<{ orderId: string; ledger: RefundLedger }> = [];
			for (const orderId of batch) {
				const stored = current.get(orderId);
				if (!stored) throw new LedgerWriteError(`Shopify order ${orderId} was not found while writing its refund ledger`);
				const next = (changes.get(orderId) as LedgerChange)(stored.ledger);
				if (!next) {
					declined.add(orderId);
					continue;
				}
				declined.delete(orderId);
				writes.push({ orderId, ledger: next });
			}
			if (!writes.length) continue;
			const metafields = writes.map(({ orderId, ledger }) => ({
				ownerId: orderId,
				namespace: AMAZON_NAMESPACE,
				key: METAFIELD_REFUND_LEDGER,
				type: 'json',
				value: serializeLedger(ledger),
				// null = "must not exist yet" (Shopify's create-safely form).
				compareDigest: (current.get(orderId) as StoredLedger).digest,
			}));
			const sent = await settle(async () => await shopify.run<SetPayload>('RefundLedgersSet', { metafields }));
			if (!sent.ok) {
				if (!(sent.error instanceof ShopifyUnknownOutcome)) throw sent.error;
				// Maybe written, maybe not: re-read and re-apply (apply is idempotent on what it finds).
				stale.push(...writes.map((w) => w.orderId));
				continue;
			}
			const payload = sent.value;
			const errors = payload.metafieldsSet.userErrors;
			if (errors.length) {
				const conflicts = errors.filter((e) => e.code === 'STALE_OBJECT' || e.code === 'INVALID_COMPARE_DIGEST');
				if (conflicts.length !== errors.length) {
					throw new LedgerWriteError(`Shopify refused the refund ledger: ${errors.map((e) => e.message).join('; ')}`);
				}
				// The write is atomic: nothing was saved. Re-read the stale ones, retry all.
				stale.push(...writes.map((w) => w.orderId));
				continue;
			}
			writes.forEach(({ orderId, ledger }, i) => {
				const written = payload.metafieldsSet.metafields?.[i];
				const stored = current.get(orderId) as StoredLedger;
				current.set(orderId, { ...stored, ledger, digest: written?.compareDigest ?? null });
			});
		}
		if (stale.length) for (const [id, stored] of await readLedgers(shopify, stale)) current.set(id, stored);
		pending = stale;
	}
	if (pending.length) {
		throw new LedgerWriteError(`The refund ledger of ${pending.length} order(s) kept changing under concurrent updates (${pending.slice(0, 3).join(', ')}); run again`);
	}
	return { ledgers: current, declined };
}

// ---------------------------------------------------------------------------------------------
// In-process locks: executions of one n8n process that claim the same order's ledger take turns
// (re-reading it inside the lock), so they never rely on compare-and-set alone; executions in
// other processes are kept apart by compareDigest.
// ---------------------------------------------------------------------------------------------

const lockChains = new Map<string, Promise<void>>();

async function acquire(id: string): Promise<() => void> {
	const previous = lockChains.get(id) ?? Promise.resolve();
	let release: () => void = () => undefined;
	const current = new Promise<void>((resolve) => {
		release = resolve;
	});
	const chained = previous.then(async () => await current);
	lockChains.set(id, chained);
	await previous;
	return () => {
		release();
		if (lockChains.get(id) === chained) lockChains.delete(id);
	};
}

/** Runs `fn` holding the locks of these orders (taken in a fixed order: no deadlock). */
export async function withOrderLocks<T>(orderIds: readonly string[], fn: () => Promise<T>): Promise<T> {
	const releases: Array<() => void> = [];
	try {
		for (const id of [...new Set(orderIds)].sort()) releases.push(await acquire(id));
		return await fn();
	} finally {
		for (const release of releases.reverse()) release();
	}
}

/** Claims with a fresh read inside the locks: what another execution claimed a moment ago is seen. */
export async function claimLedgers(shopify: ShopifyClient, changes: ReadonlyMap<string, LedgerChange>): Promise<LedgerWriteResult> {
	return await withOrderLocks([...changes.keys()], async () => {
		const fresh = await readLedgers(shopify, [...changes.keys()]);
		return await writeLedgers(shopify, changes, fresh);
	});
}
