/**
 * Amazon -> Shopify: refunds made on Amazon (Seller Central, A-to-z claims, buyer-initiated
 * returns refunded by Amazon) recorded on the linked Shopify order, once, without moving money
 * and without a customer notification (record.ts explains how).
 *
 * Exactly once: the ledger gets an `in` entry ("recording") before refundCreate, which carries a
 * deterministic @idempotent key; a replay after a lost answer repeats the same call (Shopify
 * returns the first result) or finds the refund by its note marker. Refunds this pack sent to
 * Amazon itself are recognised (reconcile.ts) and never come back. A Shopify refund the merchant
 * made by hand for the same amount is linked instead of duplicated.
 */
import type { AmazonClient } from '../transport/amazon/client';
import { listTransactionsPosted } from '../transport/amazon/api';
import type { ShopifyClient } from '../transport/shopify/client';
import { ShopifyUnknownOutcome } from '../transport/shopify/errors';
import { findLinkedOrder } from '../linkage';
import { formatMoney } from '../money';
import type { AmazonOrderFacts } from './amazonOrder';
import type { AmazonRefundRecord } from './amazonRefunds';
import { loadAmazonSide, loadShopifyOrder, OrderNotFoundError } from './context';
import type { FinancesSource } from './context';
import { appendNote, flagRefundFailure, noteLine } from './flags';
import type { InEntry, RefundLedger } from './ledger';
import { inEntryForAmazonRefund, upsertEntry } from './ledger';
import { claimLedgers, writeLedgers } from './ledgerStore';
import type { StoredLedger } from './ledgerStore';
import type { RecordOptions, RecordPlan } from './record';
import { existingRecordedRefund, findMirrorRefund, parentSaleTransaction, planRecord } from './record';
import { reconcile } from './reconcile';
import { settle } from './settle';
import type { ShopifyOrderFacts } from './shopifyOrder';

export type RecordStatus = 'recorded' | 'linked' | 'alreadyRecorded' | 'upToDate' | 'skipped' | 'failed';

export interface RecordOutcome {
	status: RecordStatus;
	message: string;
	amazonOrderId?: string;
	shopifyOrderId?: string;
	shopifyOrderName?: string;
	amazonRefundKey?: string;
	amazonRefundKind?: string;
	postedDate?: string;
	currency?: string;
	total?: number;
	totalFormatted?: string;
	items?: Array<{ orderItemId: string; components: Record<string, number> }>;
	shopifyRefundId?: string;
	recordedAs?: RecordPlan['recordedAs'] | 'matchedExisting' | 'orderCancel';
	idempotencyKey?: string;
	warnings: string[];
}

export interface RecordRunOptions extends RecordOptions {
	financesSource?: FinancesSource;
	/** Also record Amazon refunds of FBA orders (Amazon refunds those itself). */
	includeFba?: boolean;
	/** Tag and note the order when recording fails. */
	flagFailures?: boolean;
	/** Cancel the Shopify order when Amazon canceled the order (default true). */
	cancelOrders?: boolean;
	now: () => number;
}

interface RefundCreatePayload {
	refundCreate: { refund: { id: string } | null; userErrors: Array<{ field?: string[] | null; message: string }> };
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function stored(order: ShopifyOrderFacts, ledger: RefundLedger): StoredLedger {
	return { orderId: order.id, orderName: order.name, tags: order.tags, note: order.note, ledger, digest: order.ledgerDigest };
}

/** Amazon order ids with refund transactions posted in [since, until) (Finances 2024-06-19). */
export async function amazonOrdersWithRecentRefunds(amazon: AmazonClient, since: number, until: number, marketplaceId?: string): Promise<string[]> {
	const transactions = await listTransactionsPosted(amazon, { postedAfter: iso(since), postedBefore: iso(until), marketplaceId });
	const ids = new Set<string>();
	for (const transaction of transactions) {
		const related = Array.isArray(transaction.relatedIdentifiers) ? (transaction.relatedIdentifiers as Array<Record<string, unknown>>) : [];
		const isRefund = related.some((r) => r.relatedIdentifierName === 'REFUND_ID') || /refund/i.test(`${String(transaction.transactionType ?? '')} ${String(transaction.description ?? '')}`);
		const orderId = related.find((r) => r.relatedIdentifierName === 'ORDER_ID')?.relatedIdentifierValue;
		if (isRefund && typeof orderId === 'string') ids.add(orderId);
	}
	return [...ids];
}

export class AmazonRefundRecorder {
	constructor(
		private readonly amazon: AmazonClient,
		private readonly shopify: ShopifyClient,
		private readonly options: RecordRunOptions,
	) {}

	/** Everything Amazon refunded on one order that Shopify does not show yet. */
	async recordOrder(target: { amazonOrderId?: string; shopifyOrderId?: string }): Promise<RecordOutcome[]> {
		let orderId = target.shopifyOrderId;
		if (!orderId && target.amazonOrderId) orderId = (await findLinkedOrder(this.shopify, target.amazonOrderId))?.id;
		if (!orderId) {
			return [{ status: 'skipped', amazonOrderId: target.amazonOrderId, message: `No Shopify order is linked to Amazon order ${target.amazonOrderId ?? '?'}; import the order first (Create Shopify Order).`, warnings: [] }];
		}
		const id = orderId;
		const read = await settle(async () => await loadShopifyOrder(this.shopify, id));
		if (!read.ok) {
			if (read.error instanceof OrderNotFoundError) return [{ status: 'skipped', shopifyOrderId: orderId, amazonOrderId: target.amazonOrderId, message: read.error.message, warnings: [] }];
			throw read.error;
		}
		const loaded: { order: ShopifyOrderFacts; ledger: RefundLedger } = read.value;
		const { order } = loaded;
		const ids = { amazonOrderId: order.linkage?.amazonOrderId ?? target.amazonOrderId, shopifyOrderId: order.id, shopifyOrderName: order.name };
		if (!order.linkage) return [{ status: 'skipped', ...ids, message: `Shopify order ${order.name ?? order.id} is not linked to an Amazon order.`, warnings: [] }];
		if (order.linkage.isFba && !this.options.includeFba) {
			return [{ status: 'skipped', ...ids, message: `Amazon order ${order.linkage.amazonOrderId} is FBA; turn on "Include FBA Orders" to record Amazon's FBA refunds too.`, warnings: [] }];
		}
		const side = await loadAmazonSide(this.amazon, order.linkage.amazonOrderId, this.options.financesSource);
		if (side.amazonNotFound) return [{ status: 'failed', ...ids, message: `Amazon does not know order ${order.linkage.amazonOrderId} (check the credential's region and seller).`, warnings: [] }];
		if (side.financesError) return [{ status: 'failed', ...ids, message: `Amazon finances could not be read: ${side.financesError}`, warnings: [] }];

		const ledger = loaded.ledger;
		const outcomes: RecordOutcome[] = [];
		const known = new Map<string, StoredLedger>([[order.id, stored(order, ledger)]]);
		if (side.amazon?.status === 'CANCELLED' && !order.cancelledAt && this.options.cancelOrders !== false) {
			outcomes.push({ ...ids, ...(await this.recordCancellation(order, side.amazon, known)) });
		}
		const { unknown } = reconcile(side.amazonRefunds, ledger);
		// "recording" entries of an earlier, interrupted run are finished too.
		const interrupted = side.amazonRefunds.filter((r) => inEntryForAmazonRefund(ledger, r.key)?.status === 'recording');
		const todo = [...unknown, ...interrupted].sort((a, b) => (a.postedDate ?? '').localeCompare(b.postedDate ?? ''));
		if (!todo.length) {
			if (outcomes.length) return outcomes;
			return [{ status: 'upToDate', ...ids, message: `Every refund Amazon made on order ${order.linkage.amazonOrderId} is already in Shopify (or was sent from Shopify).`, warnings: [] }];
		}
		let current = order;
		for (const refund of todo) {
			const outcome = await this.recordOne(refund, current, known, side.amazon);
			outcomes.push({ ...ids, ...outcome });
			// Later refunds must see this one (refundable quantities, mirrors).
			if (outcome.shopifyRefundId) current = (await loadShopifyOrder(this.shopify, order.id)).order;
		}
		return outcomes;
	}

	/**
	 * The order was canceled on Amazon (by the buyer, by Amazon, or in Seller Central): the buyer was
	 * never charged, so Shopify's order is canceled too, restocked, with its payment given back on the
	 * manual Amazon gateway (no money moves) and no customer notification. Done once (ledger entry
	 * `amazon:cancel:<Amazon order id>`); a fulfilled Shopify order cannot be canceled and is flagged.
	 */
	private async recordCancellation(order: ShopifyOrderFacts, amazon: AmazonOrderFacts, known: Map<string, StoredLedger>): Promise<RecordOutcome> {
		const now = this.options.now;
		const key = `cancel:${amazon.orderId}`;
		const describe = { amazonRefundKey: key, amazonRefundKind: 'cancellation', currency: amazon.currency, total: 0 };
		const previous = inEntryForAmazonRefund((known.get(order.id) as StoredLedger).ledger, key);
		if (previous?.status === 'recorded') return { status: 'alreadyRecorded', ...describe, message: 'The Amazon cancellation was already recorded in Shopify.', warnings: [] };
		const entry: InEntry = { dir: 'in', key: `amazon:${key}`, amazonRefundKey: key, amazonOrderId: amazon.orderId, idempotencyKey: key, currency: amazon.currency, items: [], total: 0, status: 'recording', recordedAs: 'orderCancel', updatedAt: iso(now()) };
		const claimed = await this.setEntry(known, order.id, (l) => (inEntryForAmazonRefund(l, key)?.status === 'recorded' ? undefined : entry), true);
		if (!claimed) return { status: 'alreadyRecorded', ...describe, message: 'Another run recorded the Amazon cancellation first.', warnings: [] };
		const parent = parentSaleTransaction(order.transactions);
		const manual = parent?.manualPaymentGateway === true;
		const byBuyer = amazon.items.some((i) => i.cancelledBy === 'BUYER' || i.buyerRequestedCancel);
		const who = byBuyer ? 'the buyer' : amazon.items.some((i) => i.cancelledBy === 'AMAZON') ? 'Amazon' : 'Seller Central';
		const staffNote = `Canceled on Amazon by ${who}; recorded by n8n, no money moved.`;
		const warnings: string[] = manual ? [] : ['The order was not paid through a manual gateway: it is canceled without a refund, so no real money can move.'];
		const result = await this.shopify.run<{ orderCancel: { orderCancelUserErrors: Array<{ field?: string[] | null; message: string }> } }>('RefundOrderCancel', {
			orderId: order.id,
			reason: byBuyer ? 'CUSTOMER' : 'OTHER',
			restock: true,
			staffNote,
			...(manual ? { refundMethod: { originalPaymentMethodsRefund: true } } : {}),
		});
		const errors = result.orderCancel.orderCancelUserErrors;
		if (errors.length) {
			const message = errors.map((e) => e.message).join('; ');
			await this.setEntry(known, order.id, (l) => ({ ...(inEntryForAmazonRefund(l, key) ?? entry), status: 'failed', message, updatedAt: iso(now()) }));
			if (this.options.flagFailures !== false) {
				const s = known.get(order.id) as StoredLedger;
				const flagged = await flagRefundFailure(this.shopify, { orderId: order.id, key: `amazon:${key}`, message: `Amazon order ${amazon.orderId} was canceled on Amazon, but Shopify refused to cancel this order: ${message}`, note: s.note, tags: s.tags }, now());
				warnings.push(...flagged.problems);
				known.set(order.id, { ...s, note: flagged.note, tags: flagged.tags });
			}
			return { status: 'failed', ...describe, message: `Amazon canceled the order, but Shopify refused to cancel it: ${message}`, warnings };
		}
		await this.setEntry(known, order.id, (l) => ({ ...(inEntryForAmazonRefund(l, key) ?? entry), status: 'recorded', updatedAt: iso(now()) }));
		return { status: 'recorded', ...describe, recordedAs: 'orderCancel', message: `Canceled in Shopify (restocked, ${manual ? 'payment given back on the manual Amazon gateway' : 'no refund'}; customer not notified) because Amazon canceled the order.`, warnings };
	}

	private describe(refund: AmazonRefundRecord): Pick<RecordOutcome, 'amazonRefundKey' | 'amazonRefundKind' | 'postedDate' | 'currency' | 'total' | 'totalFormatted' | 'items'> {
		return {
			amazonRefundKey: refund.key,
			amazonRefundKind: refund.kind,
			postedDate: refund.postedDate,
			currency: refund.currency,
			total: refund.total,
			totalFormatted: formatMoney({ amount: refund.total, currency: refund.currency }),
			items: refund.items.filter((i) => i.orderItemId).map((i) => ({ orderItemId: i.orderItemId as string, components: i.amounts as Record<string, number> })),
		};
	}

	private async setEntry(known: Map<string, StoredLedger>, orderId: string, build: (ledger: RefundLedger) => InEntry | undefined, claim = false): Promise<boolean> {
		let wrote = false;
		const changes = new Map([[orderId, (ledger: RefundLedger) => {
			const entry = build(ledger);
			wrote = Boolean(entry);
			return entry ? upsertEntry(ledger, entry) : undefined;
		}]]);
		const { ledgers, declined } = claim ? await claimLedgers(this.shopify, changes) : await writeLedgers(this.shopify, changes, known);
		for (const [id, s] of ledgers) known.set(id, s);
		return wrote && !declined.has(orderId);
	}

	private async recordOne(refund: AmazonRefundRecord, order: ShopifyOrderFacts, known: Map<string, StoredLedger>, amazonFacts: Parameters<typeof planRecord>[2]): Promise<RecordOutcome> {
		const now = this.options.now;
		const description = this.describe(refund);
		const ledger = (known.get(order.id) as StoredLedger).ledger;
		const previous = inEntryForAmazonRefund(ledger, refund.key);
		const plan = planRecord(refund, order, amazonFacts, this.options);
		const baseEntry: InEntry = {
			dir: 'in',
			key: `amazon:${refund.key}`,
			amazonRefundKey: refund.key,
			amazonOrderId: refund.amazonOrderId,
			idempotencyKey: plan.idempotencyKey,
			currency: refund.currency,
			items: plan.items,
			total: refund.total,
			postedDate: refund.postedDate,
			status: 'recording',
			recordedAs: plan.recordedAs === 'noteOnly' ? undefined : plan.recordedAs,
			updatedAt: iso(now()),
		};

		// Already created by an interrupted run? Its note marker says so.
		const existing = existingRecordedRefund(order, refund.key);
		if (existing) {
			await this.setEntry(known, order.id, () => ({ ...baseEntry, ...(previous ?? {}), status: 'recorded', shopifyRefundId: existing, updatedAt: iso(now()) }));
			return { status: 'alreadyRecorded', ...description, shopifyRefundId: existing, idempotencyKey: plan.idempotencyKey, message: `Already recorded in Shopify as ${existing}.`, warnings: [] };
		}

		// The merchant already mirrored it by hand: link, do not duplicate.
		if (!previous) {
			const mirror = findMirrorRefund(refund, order, ledger);
			if (mirror) {
				await this.setEntry(known, order.id, (l) => (inEntryForAmazonRefund(l, refund.key) ? undefined : { ...baseEntry, status: 'recorded', shopifyRefundId: mirror, message: 'matched an existing Shopify refund of the same amount' }));
				return { status: 'linked', ...description, shopifyRefundId: mirror, recordedAs: 'matchedExisting', message: `Shopify refund ${mirror} has the same amount and no link yet: it is taken as this Amazon refund, nothing new is created.`, warnings: [] };
			}
		}

		// Claim before writing to Shopify (a concurrent run stops here).
		const claimed = await this.setEntry(
			known,
			order.id,
			(l) => {
				const entry = inEntryForAmazonRefund(l, refund.key);
				if (entry && entry.status !== 'recording') return undefined;
				return entry ?? baseEntry;
			},
			true,
		);
		const after = inEntryForAmazonRefund((known.get(order.id) as StoredLedger).ledger, refund.key);
		if (!claimed && after && after.status !== 'recording') {
			return { status: 'alreadyRecorded', ...description, shopifyRefundId: after.shopifyRefundId, message: 'Another run recorded it first.', warnings: [] };
		}

		if (!plan.input) {
			const note = appendNote(order.note, `amazon:${refund.key}`, noteLine(`amazon:${refund.key}`, `Amazon refunded ${description.totalFormatted} (posted ${refund.postedDate?.slice(0, 10) ?? '?'}); no Shopify line or shipping matches, so it is recorded here only.`, now()));
			if (note !== undefined) await this.shopify.run('OrderUpdate', { input: { id: order.id, note } });
			await this.setEntry(known, order.id, (l) => ({ ...(inEntryForAmazonRefund(l, refund.key) ?? baseEntry), status: 'recorded', message: 'recorded in the order note only', updatedAt: iso(now()) }));
			return { status: 'recorded', ...description, recordedAs: 'noteOnly', idempotencyKey: plan.idempotencyKey, message: 'Recorded in the order note (nothing maps to Shopify lines or shipping).', warnings: plan.warnings };
		}

		let payload: RefundCreatePayload | undefined;
		for (let attempt = 0; attempt < 3 && !payload; attempt++) {
			const sent = await settle(async () => await this.shopify.run<RefundCreatePayload>('RefundCreate', { input: plan.input, idempotencyKey: plan.idempotencyKey }));
			if (sent.ok) payload = sent.value;
			// The same @idempotent key returns the first result: repeating is safe.
			else if (!(sent.error instanceof ShopifyUnknownOutcome) || attempt === 2) throw sent.error;
		}
		const result = (payload as RefundCreatePayload).refundCreate;
		if (result.userErrors.length || !result.refund) {
			const message = result.userErrors.map((e) => `${e.field?.length ? `${e.field.join('.')}: ` : ''}${e.message}`).join('; ') || 'no refund returned';
			await this.setEntry(known, order.id, (l) => ({ ...(inEntryForAmazonRefund(l, refund.key) ?? baseEntry), status: 'failed', message, updatedAt: iso(now()) }));
			const warnings: string[] = [...plan.warnings];
			if (this.options.flagFailures !== false) {
				const s = known.get(order.id) as StoredLedger;
				const flagged = await flagRefundFailure(this.shopify, { orderId: order.id, key: `amazon:${refund.key}`, message: `Recording Amazon refund ${description.totalFormatted} failed: ${message}`, note: s.note, tags: s.tags }, now());
				warnings.push(...flagged.problems);
				known.set(order.id, { ...s, note: flagged.note, tags: flagged.tags });
			}
			return { status: 'failed', ...description, idempotencyKey: plan.idempotencyKey, message: `Shopify refused to record the Amazon refund: ${message}`, warnings };
		}
		const shopifyRefundId = result.refund.id;
		await this.setEntry(known, order.id, (l) => ({ ...(inEntryForAmazonRefund(l, refund.key) ?? baseEntry), status: 'recorded', shopifyRefundId, updatedAt: iso(now()) }));
		return {
			status: 'recorded',
			...description,
			shopifyRefundId,
			recordedAs: plan.recordedAs,
			idempotencyKey: plan.idempotencyKey,
			message: `Recorded in Shopify as ${shopifyRefundId} (${plan.recordedAs === 'manualGatewayTransaction' ? 'refund transaction on the manual Amazon gateway: no money moved' : 'items and shipping only, no transaction'}; customer not notified).`,
			warnings: plan.warnings,
		};
	}
}
