/**
 * Sending refunds and cancellations to Amazon, exactly once (amazon.md §4, §5).
 *
 * For every execution (or every batch of executions, see batcher.ts):
 *   1. Read the ledgers of the orders involved; a refund already accepted is not sent again, and a
 *      refund with an open submission is resumed (step 6), never re-sent blindly.
 *   2. One XML document per feed type per marketplace, one message per refund (MessageID 1..n).
 *   3. Upload it (createFeedDocument + PUT): nothing is sent yet.
 *   4. Claim: write a `pending` ledger entry with the feedDocumentId and MessageID, compare-and-set.
 *      Whoever loses the claim (a concurrent duplicate webhook) drops its message.
 *   5. createFeed, after waiting for the usage plan's budget up to the client's cap (Max Wait for
 *      Feed Budget). Beyond the cap nothing is sent: the claimed entries stay `pending` with
 *      `deferredUntil` (nothing reached Amazon) and the order keeps the pending tag; the next run
 *      or "Update Pending Results" claims them again (compare-and-set, so only one execution
 *      wins) and sends them in a new document, once. If the answer is lost
 *      (AmazonUnknownOutcome), look for the feed with getFeeds before anything else (lost-feed
 *      matching below). Then wait, bounded, for processing and read the report per MessageID.
 *   6. Record the result per refund; tag and note the Shopify order on failure.
 *
 * Lost-feed matching (a createFeed whose response never arrived): Amazon's Feed object does not
 * echo the input document, so a feed is recognised by what it does carry: the same feed type, the
 * same marketplace, created no earlier than 10 s (CLOCK_MARGIN_MS, clock skew) before our claim, not a feed
 * any ledger we read already owns, and, once processed, exactly as many messages processed as our
 * document had. One such feed = ours. None after the look-up time = `unknown`: nothing is re-sent
 * until `resendAfterMs` has passed without the feed appearing (getFeeds lists feeds for 90 days, so
 * a feed still missing then was never created). Several = ambiguous: left for a human, never re-sent.
 */
import type { AmazonClient } from '../transport/amazon/client';
import { createFeed, getFeeds } from '../transport/amazon/api';
import { AmazonRateLimitWait, AmazonUnknownOutcome } from '../transport/amazon/errors';
import { readProcessingReport, uploadFeedContent, waitForFeed } from '../transport/amazon/feeds';
import type { SpFeed } from '../transport/amazon/types';
import type { Clock } from '../transport/clock';
import type { ShopifyClient } from '../transport/shopify/client';
import { parseProcessingReport } from '../xml';
import type { ProcessingReport } from '../xml';
import { totalOf } from './components';
import type { Decision } from './eligibility';
import { FEED_ORDER_ACKNOWLEDGEMENT, FEED_PAYMENT_ADJUSTMENT } from './eligibility';
import { buildCancellationFeed, buildPaymentAdjustmentFeed, FeedBuildError } from './feedXml';
import { flagRefundFailure, setPendingTag } from './flags';
import type { OutEntry, OutStatus, RefundLedger } from './ledger';
import { findOut, upsertEntry } from './ledger';
import type { StoredLedger } from './ledgerStore';
import { claimLedgers, readLedgers, writeLedgers } from './ledgerStore';
import type { AdjustmentReason, CancelReason } from './reasons';
import { shortHash } from './record';
import { settle } from './settle';

export type SubmitStatus = 'succeeded' | 'failed' | 'pending' | 'unknown' | 'duplicate';

export interface SubmitOutcome {
	status: SubmitStatus;
	/** What happened, for a human. */
	message: string;
	ledgerKey: string;
	shopifyOrderId: string;
	shopifyOrderName?: string;
	shopifyRefundId?: string;
	amazonOrderId?: string;
	marketplaceId?: string;
	feedType?: string;
	feedDocumentId?: string;
	feedId?: string;
	messageId?: number;
	/** Amazon's own words from the processing report. */
	amazonResultCode?: string;
	amazonMessageCode?: string;
	amazonMessage?: string;
	/** How the feed was identified: createFeed's answer, or getFeeds after a lost answer. */
	matchedBy?: 'response' | 'getFeeds';
	currency?: string;
	total?: number;
	warnings: string[];
	flagged?: boolean;
}

export interface SubmitOptions {
	clock: Clock;
	/** Longest wait for Amazon to process a feed before reporting "pending". */
	maxWaitMs: number;
	pollEveryMs: number;
	/** How long to keep looking (getFeeds) for a feed whose createFeed answer was lost. */
	lostFeedLookupMs: number;
	/** A submission whose feed cannot be found is sent again only after this long. */
	resendAfterMs: number;
	/** Tag `amazon-refund-failed` and note the order when Amazon refuses. */
	flagFailures: boolean;
}

interface Work {
	index: number;
	decision: Decision;
	key: string;
	orderId: string;
	entry?: OutEntry;
	outcome?: SubmitOutcome;
}

interface FeedJob {
	feedType: string;
	marketplaceId: string;
	works: Work[];
	documentId?: string;
	feedId?: string;
	matchedBy?: 'response' | 'getFeeds';
	submittedAt: string;
	feed?: SpFeed;
	report?: ProcessingReport;
	resend?: boolean;
}

/** Clock difference we allow between n8n and Amazon when matching a feed's createdTime. */
const CLOCK_MARGIN_MS = 10 * 1000;
/** Without a recorded "lost" time, the longest a createFeed call can have lasted (client timeout and retries). */
const MAX_CALL_MS = 5 * 60 * 1000;
const DOCUMENT_LIFETIME_MS = 47 * 3600 * 1000;

/** Feeds this process created or identified: never candidates for someone else's lost answer. */
const KNOWN_FEEDS = new Set<string>();
const MAX_KNOWN_FEEDS = 2000;

function rememberFeed(feedId: string): void {
	KNOWN_FEEDS.add(feedId);
	if (KNOWN_FEEDS.size > MAX_KNOWN_FEEDS) KNOWN_FEEDS.delete(KNOWN_FEEDS.values().next().value as string);
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function pathOf(decision: Decision): OutEntry['path'] {
	if (decision.action === 'fullCancellation') return 'cancel';
	if (decision.action === 'partialCancellation') return 'partialCancel';
	return 'refund';
}

/** MerchantAdjustmentItemID: our id of the adjusted item, kept by Amazon (settlement reports show it). */
export function merchantAdjustmentItemId(key: string, index: number): string {
	const refund = /^refund:gid:\/\/shopify\/Refund\/(\d+)$/.exec(key);
	const base = refund ? `R${refund[1]}` : `M${shortHash(key).slice(0, 12)}`;
	return `${base}-${index + 1}`;
}

/** The feed document for entries of one feed type (the same builder serves resends). */
export function buildFeedContent(sellerId: string, feedType: string, entries: readonly OutEntry[]): string {
	if (feedType === FEED_ORDER_ACKNOWLEDGEMENT) {
		return buildCancellationFeed(
			sellerId,
			entries.map((entry) => ({
				messageId: entry.messageId as number,
				amazonOrderId: entry.amazonOrderId,
				items: entry.items.map((item) => ({ orderItemId: item.orderItemId, cancelReason: (entry.reason ?? 'GeneralAdjustment') as CancelReason })),
			})),
		);
	}
	if (feedType !== FEED_PAYMENT_ADJUSTMENT) throw new FeedBuildError(`Unsupported feed type ${feedType}`);
	return buildPaymentAdjustmentFeed(
		sellerId,
		entries.map((entry) => ({
			messageId: entry.messageId as number,
			amazonOrderId: entry.amazonOrderId,
			currency: entry.currency,
			items: entry.items.map((item, n) => ({
				orderItemId: item.orderItemId,
				merchantAdjustmentItemId: totalOf(item.amounts) > 0 ? merchantAdjustmentItemId(entry.key, n) : undefined,
				reason: (entry.reason ?? 'GeneralAdjustment') as AdjustmentReason,
				components: item.amounts,
				quantityCancelled: item.quantityCancelled,
				cancelReason: (entry.cancelUnitsReason ?? (entry.path === 'partialCancel' ? entry.reason : undefined)) as AdjustmentReason | undefined,
			})),
		})),
	);
}

function entryFor(decision: Decision, now: number): OutEntry {
	const amounts = decision.amounts ?? { total: 0, items: [] };
	return {
		dir: 'out',
		key: decision.ledgerKey,
		shopifyRefundId: decision.shopifyRefundId,
		path: pathOf(decision),
		feedType: decision.feedType as string,
		marketplaceId: decision.marketplaceId as string,
		amazonOrderId: decision.amazonOrderId as string,
		currency: decision.currency as string,
		items: amounts.items.map((item) => ({
			orderItemId: item.orderItemId,
			amounts: item.components,
			...(item.quantityCancelled ? { quantityCancelled: item.quantityCancelled } : {}),
		})),
		total: amounts.total,
		status: 'pending',
		reason: decision.action === 'fullCancellation' ? decision.cancelReason : decision.adjustmentReason,
		...(decision.partialCancelReason ? { cancelUnitsReason: decision.partialCancelReason } : {}),
		attempts: 0,
		updatedAt: iso(now),
	};
}

function outcomeBase(work: Work): SubmitOutcome {
	const d = work.decision;
	const entry = work.entry;
	return {
		status: 'pending',
		message: '',
		ledgerKey: work.key,
		shopifyOrderId: d.shopifyOrderId,
		shopifyOrderName: d.shopifyOrderName,
		shopifyRefundId: d.shopifyRefundId,
		amazonOrderId: entry?.amazonOrderId ?? d.amazonOrderId,
		marketplaceId: entry?.marketplaceId ?? d.marketplaceId,
		feedType: entry?.feedType ?? d.feedType,
		feedDocumentId: entry?.feedDocumentId,
		feedId: entry?.feedId,
		messageId: entry?.messageId,
		matchedBy: entry?.matchedBy,
		currency: entry?.currency ?? d.currency,
		total: entry?.total ?? d.amounts?.total,
		warnings: [...d.warnings],
	};
}

/** Writes one change per order: `update` gets each entry of that order to change. */
async function updateEntries(
	shopify: ShopifyClient,
	works: readonly Work[],
	known: Map<string, StoredLedger>,
	update: (entry: OutEntry, work: Work) => OutEntry | undefined,
): Promise<void> {
	const byOrder = new Map<string, Work[]>();
	for (const work of works) byOrder.set(work.orderId, [...(byOrder.get(work.orderId) ?? []), work]);
	const changes = new Map<string, (ledger: RefundLedger) => RefundLedger | undefined>();
	for (const [orderId, list] of byOrder) {
		changes.set(orderId, (ledger) => {
			let next = ledger;
			let changed = false;
			for (const work of list) {
				const current = findOut(next, work.key) ?? work.entry;
				if (!current) continue;
				const updated = update(current, work);
				if (!updated) continue;
				next = upsertEntry(next, updated);
				work.entry = updated;
				changed = true;
			}
			return changed ? next : undefined;
		});
	}
	const { ledgers } = await writeLedgers(shopify, changes, known);
	for (const [id, stored] of ledgers) known.set(id, stored);
}

async function removeEntries(shopify: ShopifyClient, works: readonly Work[], known: Map<string, StoredLedger>): Promise<void> {
	const byOrder = new Map<string, Set<string>>();
	for (const work of works) byOrder.set(work.orderId, (byOrder.get(work.orderId) ?? new Set()).add(work.key));
	const changes = new Map<string, (ledger: RefundLedger) => RefundLedger | undefined>();
	for (const [orderId, keys] of byOrder) {
		changes.set(orderId, (ledger) => {
			const entries = ledger.entries.filter((e) => !(keys.has(e.key) && e.dir === 'out' && e.status === 'pending' && !e.feedId));
			return entries.length === ledger.entries.length ? undefined : { ...ledger, entries };
		});
	}
	const { ledgers } = await writeLedgers(shopify, changes, known);
	for (const [id, stored] of ledgers) known.set(id, stored);
}

export class RefundSubmitter {
	private readonly known = new Map<string, StoredLedger>();
	private readonly works: Work[];

	constructor(
		private readonly amazon: AmazonClient,
		private readonly shopify: ShopifyClient,
		decisions: readonly Decision[],
		private readonly options: SubmitOptions,
	) {
		this.works = decisions.map((decision, index) => ({ index, decision, key: decision.ledgerKey, orderId: decision.shopifyOrderId }));
	}

	private now(): number {
		return this.options.clock.now();
	}

	async run(): Promise<SubmitOutcome[]> {
		// Feeds are addressed to the seller (MerchantIdentifier): fail before anything is read or uploaded.
		const sellerId = this.amazon.requireSellerId();
		for (const [id, stored] of await readLedgers(this.shopify, this.works.map((w) => w.orderId))) this.known.set(id, stored);

		// 1. One work per ledger key; duplicates in this batch share the primary's outcome.
		const primaries = new Map<string, Work>();
		const duplicates: Work[] = [];
		for (const work of this.works) {
			if (primaries.has(work.key)) duplicates.push(work);
			else primaries.set(work.key, work);
		}
		const fresh: Work[] = [];
		const open: Work[] = [];
		for (const work of primaries.values()) {
			const stored = this.known.get(work.orderId);
			if (!stored) {
				work.outcome = { ...outcomeBase(work), status: 'failed', message: `Shopify order ${work.orderId} was not found.` };
				continue;
			}
			const entry = findOut(stored.ledger, work.key);
			if (entry && entry.status === 'succeeded') {
				work.entry = entry;
				work.outcome = { ...outcomeBase(work), status: 'duplicate', message: `Already accepted by Amazon in feed ${entry.feedId ?? '?'}; not sent again.` };
			} else if (entry && entry.status !== 'failed') {
				work.entry = entry;
				// Claimed but never sent (the createFeed budget ran out): claimed again and sent as new.
				if (isDeferred(entry)) fresh.push(work);
				else open.push(work);
			} else if (work.decision.action === 'resume' || !work.decision.eligible || !work.decision.feedType || !work.decision.amounts) {
				work.outcome = { ...outcomeBase(work), status: 'failed', message: 'Nothing to send: this item is not an eligible decision of Check Refund Eligibility.' };
			} else {
				fresh.push(work);
			}
		}

		const jobs: FeedJob[] = [];
		jobs.push(...(await this.submitFresh(sellerId, fresh)));
		jobs.push(...(await this.resumeOpen(sellerId, open)));
		await this.awaitResults(jobs);
		await this.finish();

		for (const work of duplicates) {
			const primary = primaries.get(work.key) as Work;
			const outcome = primary.outcome as SubmitOutcome;
			work.outcome = {
				...outcome,
				status: outcome.status === 'failed' ? 'failed' : 'duplicate',
				message: `Same refund as another item of this batch (${work.key}); sent once. ${outcome.message}`,
				flagged: false,
			};
		}
		return this.works.map((work) => work.outcome as SubmitOutcome);
	}

	/**
	 * Steps 2-5 for refunds never sent before: new decisions, and deferred entries (claimed earlier,
	 * never sent), which keep what they were claimed with and get a new document and MessageID.
	 */
	private async submitFresh(sellerId: string, fresh: Work[]): Promise<FeedJob[]> {
		const groups = new Map<string, FeedJob>();
		for (const work of fresh) {
			const feedType = work.entry?.feedType ?? (work.decision.feedType as string);
			const marketplaceId = work.entry?.marketplaceId ?? (work.decision.marketplaceId as string);
			const id = `${feedType}|${marketplaceId}`;
			const job = groups.get(id) ?? { feedType, marketplaceId, works: [], submittedAt: '' };
			job.works.push(work);
			groups.set(id, job);
		}
		const jobs = [...groups.values()];
		for (const job of jobs) {
			job.works.forEach((work, i) => {
				work.entry = { ...(work.entry ?? entryFor(work.decision, this.now())), messageId: i + 1 };
			});
			// Upload first: nothing is sent by uploading, and the claim must name the document.
			let content = buildFeedContent(sellerId, job.feedType, job.works.map((w) => w.entry as OutEntry));
			job.documentId = await uploadFeedContent(this.amazon, content);
			const lost = await this.claim(job);
			if (lost.length) {
				job.works = job.works.filter((w) => !lost.includes(w));
				if (!job.works.length) continue;
				content = buildFeedContent(sellerId, job.feedType, job.works.map((w) => w.entry as OutEntry));
				job.documentId = await uploadFeedContent(this.amazon, content);
				const documentId = job.documentId;
				await updateEntries(this.shopify, job.works, this.known, (entry) => ({ ...entry, feedDocumentId: documentId, messageCount: job.works.length, updatedAt: iso(this.now()) }));
			}
			await this.sendFeed(job);
		}
		return jobs.filter((job) => job.works.length);
	}

	/** Step 4: the pending entries, compare-and-set; returns the works another execution claimed first. */
	private async claim(job: FeedJob): Promise<Work[]> {
		const lostKeys = new Set<string>();
		const submittedAt = iso(this.now());
		job.submittedAt = submittedAt;
		const byOrder = new Map<string, Work[]>();
		for (const work of job.works) byOrder.set(work.orderId, [...(byOrder.get(work.orderId) ?? []), work]);
		const changes = new Map<string, (ledger: RefundLedger) => RefundLedger | undefined>();
		for (const [orderId, list] of byOrder) {
			changes.set(orderId, (ledger) => {
				let next = ledger;
				let changed = false;
				for (const work of list) {
					const existing = findOut(next, work.key);
					// Claimable: nothing there, refused before (retry), or claimed but never sent (deferred).
					if (existing && existing.status !== 'failed' && !isDeferred(existing)) {
						lostKeys.add(work.key);
						continue;
					}
					lostKeys.delete(work.key);
					const entry: OutEntry = {
						...(work.entry as OutEntry),
						status: 'pending',
						feedDocumentId: job.documentId,
						messageCount: job.works.length,
						submittedAt,
						attempts: (existing?.attempts ?? 0) + 1,
						updatedAt: submittedAt,
					};
					// A deferred entry is claimed anew: its old times must not bound a new look-up.
					delete entry.deferredUntil;
					delete entry.lostAt;
					work.entry = entry;
					next = upsertEntry(next, entry);
					changed = true;
				}
				return changed ? next : undefined;
			});
		}
		const { ledgers } = await claimLedgers(this.shopify, changes);
		for (const [id, stored] of ledgers) this.known.set(id, stored);
		const lost = job.works.filter((w) => lostKeys.has(w.key));
		for (const work of lost) {
			const existing = findOut((this.known.get(work.orderId) as StoredLedger).ledger, work.key);
			work.entry = existing;
			work.outcome = {
				...outcomeBase(work),
				status: 'duplicate',
				message: `Another execution is already sending this refund (${existing?.status ?? 'claimed'}${existing?.feedId ? `, feed ${existing.feedId}` : ''}); not sent twice.`,
			};
		}
		return lost;
	}

	/** Step 5: createFeed, with lost-answer matching. */
	private async sendFeed(job: FeedJob): Promise<void> {
		// Wait for the usage plan first, so the call goes out now and its time bounds the look-up;
		// but never longer than the client accepts (Max Wait for Feed Budget).
		const wait = this.amazon.waitBeforeCall('createFeed');
		if (wait > this.amazon.maxBucketWaitMs) {
			await this.defer(job, new AmazonRateLimitWait('createFeed', wait));
			return;
		}
		if (wait > 0) await this.options.clock.sleep(wait);
		const sentAt = this.now();
		const sent = await settle(async () => await createFeed(this.amazon, job.feedType, [job.marketplaceId], job.documentId as string));
		if (sent.ok) {
			job.feedId = sent.value;
			job.matchedBy = 'response';
			rememberFeed(sent.value);
		} else if (sent.error instanceof AmazonUnknownOutcome) {
			const lostAt = this.now();
			const found = await this.findLostFeed(job, Math.min(sentAt, Date.parse(job.submittedAt)), lostAt, this.options.lostFeedLookupMs, job.works.length);
			if (!found.feedId) {
				await updateEntries(this.shopify, job.works, this.known, (entry) => ({ ...entry, status: 'unknown', lostAt: iso(lostAt), updatedAt: iso(lostAt) }));
				for (const work of job.works) {
					work.outcome = {
						...outcomeBase(work),
						status: 'unknown',
						message: found.ambiguous
							? `createFeed's answer was lost and ${found.candidates} feeds could be this one; nothing is re-sent. Check the feeds in Seller Central, then run "Update Pending Results".`
							: `createFeed's answer was lost and the feed was not found yet (getFeeds); nothing is re-sent before ${iso(Date.parse(job.submittedAt) + this.options.resendAfterMs)}. Run "Update Pending Results" later.`,
					};
				}
				return;
			}
			job.feedId = found.feedId;
			job.matchedBy = 'getFeeds';
		} else if (sent.error instanceof AmazonRateLimitWait) {
			// The budget was taken by another execution meanwhile: createFeed was never called.
			await this.defer(job, sent.error);
			return;
		} else if (isDefinitelyNotSent(sent.error)) {
			// createFeed was refused: nothing reached Amazon, the claim is released.
			const message = (sent.error as Error).message;
			await removeEntries(this.shopify, job.works, this.known);
			for (const work of job.works) {
				work.entry = undefined;
				work.outcome = { ...outcomeBase(work), status: 'failed', message: `Nothing was sent: ${message}`, amazonMessage: message };
			}
			job.works = [];
			return;
		} else {
			throw sent.error;
		}
		const feedId = job.feedId as string;
		const matchedBy = job.matchedBy;
		await updateEntries(this.shopify, job.works, this.known, (entry) => ({ ...entry, status: 'submitted', feedId, matchedBy, updatedAt: iso(this.now()) }));
	}

	/**
	 * createFeed was not called (its budget is empty for longer than the client waits): the claimed
	 * entries stay `pending`, marked `deferredUntil`, so the order keeps the pending tag and the
	 * next run or "Update Pending Results" claims and sends them, once. Nothing reached Amazon.
	 */
	private async defer(job: FeedJob, wait: AmazonRateLimitWait): Promise<void> {
		const at = this.now();
		const until = iso(at + wait.waitMs);
		await updateEntries(this.shopify, job.works, this.known, (entry) => ({
			...entry,
			status: 'pending',
			deferredUntil: until,
			// The claim counted a createFeed call that was not made.
			attempts: Math.max(0, (entry.attempts ?? 1) - 1),
			updatedAt: iso(at),
		}));
		for (const work of job.works) {
			work.outcome = {
				...outcomeBase(work),
				status: 'pending',
				message: `Not sent yet: Amazon's createFeed budget is empty until about ${until}, longer than "Max Wait for Feed Budget". Nothing reached Amazon; the refund stays claimed (order tagged amazon-refund-pending) and the next run or "Update Pending Results" sends it, once.`,
				amazonMessage: wait.message,
			};
		}
		job.works = [];
	}

	/**
	 * Finds the feed of a lost createFeed answer (see the module comment). Candidates that are
	 * processed must have processed exactly our number of messages.
	 */
	private async findLostFeed(job: FeedJob, from: number, to: number, lookupMs: number, expected: number): Promise<{ feedId?: string; ambiguous?: boolean; candidates: number }> {
		const deadline = this.now() + lookupMs;
		const owned = new Set<string>(KNOWN_FEEDS);
		for (const stored of this.known.values()) for (const entry of stored.ledger.entries) if (entry.dir === 'out' && entry.feedId) owned.add(entry.feedId);
		const earliest = from - CLOCK_MARGIN_MS;
		const latest = to + CLOCK_MARGIN_MS;
		for (;;) {
			const feeds = await getFeeds(this.amazon, { feedTypes: [job.feedType], marketplaceIds: [job.marketplaceId], createdSince: iso(Math.floor(earliest / 1000) * 1000) });
			const candidates = feeds.filter((f) => {
				const created = Date.parse(f.createdTime);
				return !owned.has(f.feedId) && created >= Math.floor(earliest / 1000) * 1000 && created <= latest;
			});
			const verified: string[] = [];
			const unverified: string[] = [];
			for (const candidate of candidates) {
				const feed = await waitForFeed(this.amazon, candidate.feedId, { maxWaitMs: Math.max(0, deadline - this.now()), pollEveryMs: this.options.pollEveryMs, now: () => this.now(), sleep: (ms) => this.options.clock.sleep(ms) });
				if (feed.processingStatus !== 'DONE') {
					unverified.push(candidate.feedId);
					continue;
				}
				const text = await readProcessingReport(this.amazon, feed);
				const report = text ? parseProcessingReport(text) : undefined;
				if (report && report.summary.processed === expected) verified.push(candidate.feedId);
			}
			if (verified.length === 1) {
				rememberFeed(verified[0]);
				return { feedId: verified[0], candidates: candidates.length };
			}
			if (verified.length > 1) return { ambiguous: true, candidates: verified.length };
			if (unverified.length === 1 && candidates.length === 1) {
				rememberFeed(unverified[0]);
				return { feedId: unverified[0], candidates: 1 };
			}
			if (unverified.length > 1) return { ambiguous: true, candidates: unverified.length };
			if (this.now() + this.options.pollEveryMs > deadline) return { candidates: 0 };
			await this.options.clock.sleep(Math.min(this.options.pollEveryMs * 4, Math.max(0, deadline - this.now())));
		}
	}

	/** Open submissions (a replay, or "Update Pending Results"): finish them, never re-send blindly. */
	private async resumeOpen(sellerId: string, open: Work[]): Promise<FeedJob[]> {
		const jobs = new Map<string, FeedJob>();
		for (const work of open) {
			const entry = work.entry as OutEntry;
			const id = entry.feedId ? `feed:${entry.feedId}` : `doc:${entry.feedDocumentId ?? work.key}`;
			const job = jobs.get(id) ?? { feedType: entry.feedType, marketplaceId: entry.marketplaceId, works: [], submittedAt: entry.submittedAt ?? entry.updatedAt, documentId: entry.feedDocumentId, feedId: entry.feedId, matchedBy: entry.matchedBy };
			job.works.push(work);
			jobs.set(id, job);
		}
		const out: FeedJob[] = [];
		for (const job of jobs.values()) {
			if (job.feedId) {
				out.push(job);
				continue;
			}
			const since = Date.parse(job.submittedAt);
			const first = job.works[0].entry as OutEntry;
			const messageCount = first.messageCount ?? job.works.length;
			const until = first.lostAt ? Date.parse(first.lostAt) : since + MAX_CALL_MS;
			const found = await this.findLostFeed(job, since, until, Math.min(this.options.lostFeedLookupMs, this.options.maxWaitMs), messageCount);
			if (found.feedId) {
				job.feedId = found.feedId;
				job.matchedBy = 'getFeeds';
				const feedId = found.feedId;
				await updateEntries(this.shopify, job.works, this.known, (entry) => ({ ...entry, status: 'submitted', feedId, matchedBy: 'getFeeds', updatedAt: iso(this.now()) }));
				out.push(job);
				continue;
			}
			const age = this.now() - since;
			if (!found.ambiguous && age >= this.options.resendAfterMs) {
				// Still no feed long after the claim: it was never created. Send the same messages again.
				const entries = job.works.map((w) => w.entry as OutEntry);
				// The old document may be reused only when every one of its messages is resumed here:
				// otherwise it would also carry refunds whose ledgers this run does not update.
				const wholeDocument = (first.messageCount ?? entries.length) === entries.length;
				if (!job.documentId || !wholeDocument || age >= DOCUMENT_LIFETIME_MS) {
					job.documentId = await uploadFeedContent(this.amazon, buildFeedContent(sellerId, job.feedType, entries));
				}
				const submittedAt = iso(this.now());
				job.submittedAt = submittedAt;
				const documentId = job.documentId;
				await updateEntries(this.shopify, job.works, this.known, (entry) => ({ ...entry, status: 'pending', feedDocumentId: documentId, messageCount: entries.length, submittedAt, attempts: (entry.attempts ?? 1) + 1, updatedAt: submittedAt }));
				job.resend = true;
				await this.sendFeed(job);
				if (job.works.length && job.feedId) out.push(job);
				continue;
			}
			for (const work of job.works) {
				work.outcome = {
					...outcomeBase(work),
					status: 'unknown',
					message: found.ambiguous
						? `An earlier createFeed's answer was lost and ${found.candidates} feeds could be it; nothing is re-sent. Check the feeds in Seller Central.`
						: `An earlier createFeed's answer was lost and no matching feed exists yet; nothing is re-sent before ${iso(since + this.options.resendAfterMs)}.`,
				};
			}
		}
		return out;
	}

	/** Bounded wait, report, per-message results. */
	private async awaitResults(jobs: FeedJob[]): Promise<void> {
		await Promise.all(
			jobs
				.filter((job) => job.feedId && job.works.length)
				.map(async (job) => {
					job.feed = await waitForFeed(this.amazon, job.feedId as string, {
						maxWaitMs: this.options.maxWaitMs,
						pollEveryMs: this.options.pollEveryMs,
						now: () => this.now(),
						sleep: (ms) => this.options.clock.sleep(ms),
					});
					if (['DONE', 'FATAL'].includes(job.feed.processingStatus)) {
						const text = await readProcessingReport(this.amazon, job.feed);
						job.report = text ? parseProcessingReport(text) : undefined;
					}
					this.applyResults(job);
				}),
		);
	}

	private applyResults(job: FeedJob): void {
		const feed = job.feed as SpFeed;
		const report = job.report;
		for (const work of job.works) {
			const base = { ...outcomeBase(work), feedId: job.feedId, matchedBy: job.matchedBy, feedDocumentId: (work.entry as OutEntry).feedDocumentId };
			const messageId = (work.entry as OutEntry).messageId as number;
			if (feed.processingStatus === 'CANCELLED') {
				work.outcome = { ...base, status: 'failed', message: `Amazon cancelled feed ${job.feedId} before processing it.`, amazonMessage: 'Feed cancelled' };
				continue;
			}
			if (feed.processingStatus !== 'DONE' && feed.processingStatus !== 'FATAL') {
				work.outcome = { ...base, status: 'pending', message: `Feed ${job.feedId} is still ${feed.processingStatus} after the wait; run "Update Pending Results" (or this refund again) to read Amazon's result.` };
				continue;
			}
			if (!report) {
				work.outcome = feed.processingStatus === 'FATAL'
					? { ...base, status: 'failed', message: `Amazon rejected feed ${job.feedId} as a whole (FATAL) and gave no processing report.`, amazonResultCode: 'Error', amazonMessage: 'FATAL without a processing report' }
					: { ...base, status: 'pending', message: `Feed ${job.feedId} is done but its processing report is not available yet.` };
				continue;
			}
			const whole = report.results.filter((r) => r.messageId === 0);
			const mine = report.results.filter((r) => r.messageId === messageId);
			let errors = [...mine, ...whole].filter((r) => r.resultCode === 'Error');
			const warnings = mine.filter((r) => r.resultCode === 'Warning');
			// Cancelling an order Amazon already canceled (the buyer, or a replay) is the state we want.
			const path = (work.entry as OutEntry).path;
			if (path === 'cancel' && feed.processingStatus === 'DONE' && errors.length && errors.every((e) => /already (been )?cancel/i.test(e.description))) {
				warnings.push(...errors.map((e) => ({ ...e, resultCode: 'Warning' as const })));
				errors = [];
			}
			if (feed.processingStatus === 'FATAL' || errors.length) {
				const first = errors[0] ?? whole[0];
				work.outcome = {
					...base,
					status: 'failed',
					message: `Amazon refused it: ${first?.description ?? 'the feed failed as a whole'}`,
					amazonResultCode: 'Error',
					amazonMessageCode: first?.resultMessageCode,
					amazonMessage: errors.map((e) => e.description).join(' | ') || first?.description,
				};
				continue;
			}
			work.outcome = {
				...base,
				status: 'succeeded',
				message: work.decision.action === 'fullCancellation' || (work.entry as OutEntry).path === 'cancel'
					? `Amazon accepted the cancellation (feed ${job.feedId}, message ${messageId}).`
					: (work.entry as OutEntry).path === 'partialCancel'
						? `Amazon accepted the unit cancellation (feed ${job.feedId}, message ${messageId}).`
						: `Amazon accepted the refund (feed ${job.feedId}, message ${messageId}).`,
				...(warnings.length ? { amazonResultCode: 'Warning', amazonMessageCode: warnings[0].resultMessageCode, amazonMessage: warnings.map((w) => w.description).join(' | ') } : {}),
			};
		}
	}

	/** Step 6: results into the ledgers, flags and pending tags on the orders. */
	private async finish(): Promise<void> {
		const settled = this.works.filter((w) => w.outcome && w.entry && w.entry.dir === 'out' && w.entry.key === w.key && ['succeeded', 'failed', 'pending'].includes(w.outcome.status) && w.entry.feedId);
		const statusFor: Record<string, OutStatus> = { succeeded: 'succeeded', failed: 'failed', pending: 'submitted' };
		if (settled.length) {
			await updateEntries(this.shopify, settled, this.known, (entry, work) => {
				const outcome = work.outcome as SubmitOutcome;
				const status = statusFor[outcome.status];
				if (entry.status === status && entry.resultMessage === outcome.amazonMessage) return undefined;
				return { ...entry, status, resultCode: outcome.amazonResultCode, resultMessage: outcome.amazonMessage, updatedAt: iso(this.now()) };
			});
		}
		const byOrder = new Map<string, Work[]>();
		for (const work of this.works) if (work.outcome) byOrder.set(work.orderId, [...(byOrder.get(work.orderId) ?? []), work]);
		for (const [orderId, list] of byOrder) {
			const stored = this.known.get(orderId);
			if (!stored) continue;
			const openLeft = stored.ledger.entries.some((e) => e.dir === 'out' && (e.status === 'pending' || e.status === 'submitted' || e.status === 'unknown'));
			await setPendingTag(this.shopify, orderId, openLeft, stored.tags);
			stored.tags = openLeft ? [...new Set([...stored.tags, 'amazon-refund-pending'])] : stored.tags.filter((t) => t !== 'amazon-refund-pending');
			if (!this.options.flagFailures) continue;
			for (const work of list) {
				const outcome = work.outcome as SubmitOutcome;
				if (outcome.status !== 'failed' || outcome.flagged === false) continue;
				const flagged = await flagRefundFailure(
					this.shopify,
					{ orderId, key: work.key, message: `Amazon refund sync failed: ${outcome.message}`, note: stored.note, tags: stored.tags },
					this.now(),
				);
				const problems = flagged.problems;
				stored.tags = flagged.tags;
				stored.note = flagged.note;
				outcome.flagged = true;
				outcome.warnings.push(...problems.map((p) => `Could not flag the Shopify order (${p}).`));
			}
		}
	}
}

/** Claimed, but createFeed was never called (its budget ran out): safe to claim again and send. */
function isDeferred(entry: OutEntry): boolean {
	return entry.status === 'pending' && !entry.feedId && Boolean(entry.deferredUntil);
}

/** 4xx answers of createFeed: Amazon refused the call, so no feed exists. */
function isDefinitelyNotSent(error: unknown): boolean {
	const code = Number((error as { httpCode?: string | null })?.httpCode ?? 0);
	return code >= 400 && code < 500;
}

export async function submitRefunds(amazon: AmazonClient, shopify: ShopifyClient, decisions: readonly Decision[], options: SubmitOptions): Promise<SubmitOutcome[]> {
	return await new RefundSubmitter(amazon, shopify, decisions, options).run();
}
