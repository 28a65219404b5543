import { createHash } from 'crypto';
import type {
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AmazonRegion } from '../../marketplaces';
import { assertMarketplacesInRegion } from '../../marketplaces';

import type { Clock } from '../clock';
import { backoffDelayMs, getClock } from '../clock';
import { classifyThrown } from '../failures';
import { amazonEndpoints } from './endpoints';
import type { SpApiErrorEntry } from './errors';
import { AmazonRateLimitWait, AmazonUnknownOutcome, amazonApiError } from './errors';
import { TOKEN_RENEWAL_MARGIN_MS } from './lwa';
import { recordAmazonCall } from './stats';
import { bucketFor } from './tokenBucket';
import type { AmazonOperation } from './usagePlans';

export const AMAZON_CREDENTIAL = 'amazonSellingPartnerApi';
const USER_AGENT = 'n8n-nodes-amazon-shopify/0.1 (Language=TypeScript; Platform=n8n)';

export interface AmazonRequest {
	operation: AmazonOperation;
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Named in errors, so the merchant knows which order failed. */
	orderId?: string;
	/** False for writes that must not be sent twice (createFeed): an unknown outcome is reported, not retried. */
	idempotent: boolean;
}

export interface AmazonClientOptions {
	/** 'wait' sleeps until the usage plan allows the call; 'report' throws AmazonRateLimitWait instead. */
	onEmptyBucket?: 'wait' | 'report';
	/** The longest single wait for the usage plan that 'wait' accepts before reporting. */
	maxBucketWaitMs?: number;
	maxAttempts?: number;
	maxRetryTimeMs?: number;
	timeoutMs?: number;
	clock?: Clock;
}

export interface AmazonResponse<T> {
	body: T;
	headers: Record<string, string>;
	status: number;
}

/** The only way the pack talks to SP-API: usage-plan buckets, retries, token renewal, clear errors. */
export class AmazonClient {
	private constructor(
		private readonly ctx: IAllExecuteFunctions,
		private readonly node: INode,
		readonly credentials: ICredentialDataDecryptedObject,
		readonly baseUrl: string,
		readonly region: AmazonRegion,
		readonly partnerKey: string,
		private readonly options: Required<Omit<AmazonClientOptions, 'clock'>> & { clock: Clock },
	) {}

	static async create(ctx: IAllExecuteFunctions, options: AmazonClientOptions = {}): Promise<AmazonClient> {
		const node = ctx.getNode();
		const credentials = await ctx.getCredentials(AMAZON_CREDENTIAL);
		let baseUrl: string;
		let region: AmazonRegion;
		try {
			const endpoints = amazonEndpoints(credentials);
			baseUrl = endpoints.spApiBaseUrl;
			region = endpoints.region;
			const marketplaceIds = Array.isArray(credentials.marketplaceIds) ? credentials.marketplaceIds.map(String) : [];
			assertMarketplacesInRegion(marketplaceIds, endpoints.region);
		} catch (error) {
			throw new NodeOperationError(node, error as Error, { description: 'Fix the Amazon Selling Partner API credential.' });
		}
		return new AmazonClient(ctx, node, credentials, baseUrl, region, amazonPartnerKey(credentials, baseUrl), {
			onEmptyBucket: options.onEmptyBucket ?? 'wait',
			maxBucketWaitMs: options.maxBucketWaitMs ?? 10 * 60 * 1000,
			maxAttempts: options.maxAttempts ?? 6,
			maxRetryTimeMs: options.maxRetryTimeMs ?? 5 * 60 * 1000,
			timeoutMs: options.timeoutMs ?? 30_000,
			clock: options.clock ?? getClock(),
		});
	}

	get sellerId(): string {
		return String(this.credentials.sellerId ?? '').trim();
	}

	/** XML feeds are addressed to the seller: refunds and cancellations cannot go without it. */
	requireSellerId(itemIndex?: number): string {
		if (this.sellerId) return this.sellerId;
		throw new NodeOperationError(this.node, 'The Amazon credential has no Seller ID, which refund and cancellation feeds are addressed to', {
			itemIndex,
			description: 'Seller Central → Settings → Account Info → Merchant Token. Copy it into the credential field "Seller ID (Merchant Token)".',
		});
	}

	/**
	 * Marketplaces a node parameter names must be known and served by the credential's region:
	 * every node checks its marketplace parameters here, before any call.
	 */
	assertMarketplaces(marketplaceIds: readonly string[], itemIndex?: number): void {
		try {
			assertMarketplacesInRegion(marketplaceIds, this.region);
		} catch (error) {
			// The message names the marketplace, both regions and what to do.
			throw new NodeOperationError(this.node, error as Error, { itemIndex });
		}
	}

	/** The longest wait for a usage plan this client accepts before it reports AmazonRateLimitWait. */
	get maxBucketWaitMs(): number {
		return this.options.onEmptyBucket === 'report' ? 0 : this.options.maxBucketWaitMs;
	}

	get defaultMarketplaceIds(): string[] {
		const ids = this.credentials.marketplaceIds;
		return Array.isArray(ids) ? ids.map(String) : [];
	}

	/** Milliseconds until the usage plan allows one more call of this operation. */
	waitBeforeCall(operation: AmazonOperation): number {
		return bucketFor(this.partnerKey, operation, this.options.clock).waitMs(this.options.clock.now());
	}

	async request<T>(request: AmazonRequest): Promise<AmazonResponse<T>> {
		const { clock } = this.options;
		const started = clock.now();
		let renewToken = false;
		for (let attempt = 0; ; attempt++) {
			await this.takeToken(request.operation);
			const outcome = await this.send(request, renewToken);
			if (!renewToken && rejectedAccessToken(outcome)) {
				// n8n 2.x re-runs the LWA exchange on 401 and 403 (preAuthenticationRetryStatusCode);
				// n8n 1.x only on 401, while SP-API answers an expired or revoked token with 403.
				// Renew it ourselves once, then send the call again.
				renewToken = true;
				continue;
			}
			if (outcome.credentialProblem) {
				// Raised before any request left (the token exchange): the credential needs fixing.
				throw new NodeOperationError(this.node, outcome.credentialProblem, {
					description: 'Open the Amazon Selling Partner API credential and fix it, then run the step again.',
				});
			}
			const retryable = outcome.retry && attempt + 1 < this.options.maxAttempts;
			if (outcome.response && !outcome.retry) return outcome.response as AmazonResponse<T>;
			if (outcome.unknown && !request.idempotent) throw new AmazonUnknownOutcome(request.operation, outcome.unknown);
			const delay = outcome.retryAfterMs ?? backoffDelayMs(attempt, 1000, 60_000);
			if (!retryable || clock.now() + delay - started > this.options.maxRetryTimeMs) {
				throw amazonApiError(this.node, {
					operation: request.operation,
					status: outcome.status ?? 0,
					errors: outcome.errors ?? [{ code: 'NetworkError', message: outcome.unknown ?? 'no response' }],
					orderId: request.orderId,
				});
			}
			recordAmazonCall(request.operation, { retry: true });
			await clock.sleep(delay);
		}
	}

	private async takeToken(operation: AmazonOperation): Promise<void> {
		const { clock } = this.options;
		const bucket = bucketFor(this.partnerKey, operation, clock);
		for (;;) {
			const wait = bucket.waitMs(clock.now());
			if (wait === 0 && bucket.take(clock.now())) return;
			if (this.options.onEmptyBucket === 'report' || wait > this.options.maxBucketWaitMs) {
				throw new AmazonRateLimitWait(operation, wait);
			}
			await clock.sleep(wait);
		}
	}

	private async send(
		request: AmazonRequest,
		renewToken = false,
	): Promise<{
		response?: AmazonResponse<unknown>;
		retry: boolean;
		unknown?: string;
		status?: number;
		errors?: SpApiErrorEntry[];
		retryAfterMs?: number;
		credentialProblem?: string;
	}> {
		const { clock } = this.options;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${this.baseUrl}${request.path}`,
			qs: csvArrays(request.qs),
			body: request.body,
			json: true,
			returnFullResponse: true,
			// 401/403 must throw so n8n re-runs the LWA exchange and retries once.
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403] },
			timeout: this.options.timeoutMs,
			headers: { 'user-agent': USER_AGENT, 'x-amz-date': amzDate(clock.now()) },
		};
		const bucket = bucketFor(this.partnerKey, request.operation, clock);
		let raw: { body: unknown; headers: Record<string, string>; statusCode: number };
		try {
			raw = (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, AMAZON_CREDENTIAL, options, {
				preAuthenticationRetryStatusCode: [401, 403],
				...this.renewalOverride(renewToken),
			})) as typeof raw;
		} catch (error) {
			const failure = classifyThrown(error);
			recordAmazonCall(request.operation, { status: failure.status });
			if (failure.kind === 'response' && failure.status !== undefined) {
				return { retry: false, status: failure.status, errors: spApiErrors(failure.body, failure.message) };
			}
			if (failure.kind === 'other') return { retry: false, credentialProblem: failure.message };
			return { retry: true, unknown: failure.kind === 'timeout' ? 'timed out' : `connection failed (${failure.code ?? 'network'})` };
		}
		const status = raw.statusCode;
		const headers = lowerCaseHeaders(raw.headers);
		recordAmazonCall(request.operation, { status });
		const limit = Number(headers['x-amzn-ratelimit-limit']);
		if (limit > 0) bucket.setRate(limit, clock.now());
		if (status === 429) {
			bucket.drain(clock.now());
			return { retry: true, status, errors: spApiErrors(raw.body, 'QuotaExceeded'), retryAfterMs: Math.max(bucket.waitMs(clock.now()), 1000) };
		}
		if (status >= 500) {
			return { retry: true, status, errors: spApiErrors(raw.body, `HTTP ${status}`), unknown: `HTTP ${status}` };
		}
		if (status >= 400) return { retry: false, status, errors: spApiErrors(raw.body, `HTTP ${status}`) };
		if (status !== 204 && typeof raw.body !== 'object') {
			return { retry: true, status, unknown: 'malformed response body', errors: [{ code: 'MalformedResponse', message: 'Amazon answered with a body that is not JSON' }] };
		}
		return { retry: false, response: { body: raw.body ?? {}, headers, status } };
	}

	/** PUT a feed to its pre-signed upload URL. The URL carries its own signature: no SP-API auth. */
	async uploadDocument(url: string, content: string, contentType: string): Promise<void> {
		const response = (await this.ctx.helpers.httpRequest({
			method: 'PUT',
			url,
			body: content,
			headers: { 'Content-Type': contentType },
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.options.timeoutMs,
		})) as { statusCode: number };
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw amazonApiError(this.node, {
				operation: 'createFeedDocument',
				status: response.statusCode,
				errors: [{ code: 'UploadFailed', message: `The feed upload was refused with HTTP ${response.statusCode}. The upload URL expires after 5 minutes.` }],
			});
		}
	}

	/** GET a pre-signed document URL (feed processing reports) as raw bytes. */
	async downloadDocument(url: string): Promise<Uint8Array> {
		const body = (await this.ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			json: false,
			timeout: this.options.timeoutMs,
		})) as ArrayBuffer | Uint8Array;
		return body instanceof Uint8Array ? body : new Uint8Array(body);
	}

	/** Renew the LWA token before it ends instead of spending a failed call on it (or now, when `force`). */
	private renewalOverride(force = false) {
		const expiresAt = Number(this.credentials.accessTokenExpiresAt ?? 0);
		const now = Date.now();
		if (!force && (!this.credentials.accessToken || expiresAt === 0 || expiresAt - TOKEN_RENEWAL_MARGIN_MS > now)) return {};
		return {
			credentialsDecrypted: {
				id: '',
				name: AMAZON_CREDENTIAL,
				type: AMAZON_CREDENTIAL,
				data: { ...this.credentials, accessToken: '' },
			},
		};
	}
}

/**
 * Who the usage plans count for: one key per SP-API host, region and selling partner (the Seller
 * ID, else a hash of the refresh token). Buckets are shared by every client with the same key.
 */
export function amazonPartnerKey(credentials: ICredentialDataDecryptedObject, baseUrl = amazonEndpoints(credentials).spApiBaseUrl): string {
	const partner = String(credentials.sellerId || '') || hash(String(credentials.refreshToken ?? ''));
	return `${baseUrl}|${String(credentials.region)}|${partner}`;
}

function hash(value: string): string {
	return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** SP-API takes arrays as comma-separated values. */
function csvArrays(qs: IDataObject | undefined): IDataObject | undefined {
	if (!qs) return undefined;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined || value === null || value === '') continue;
		out[key] = Array.isArray(value) ? value.join(',') : value;
	}
	return out;
}

function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = String(value);
	return out;
}

function amzDate(epochMs: number): string {
	return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Amazon refused the access token itself (expired, revoked, malformed), not the call. */
function rejectedAccessToken(outcome: { status?: number; errors?: SpApiErrorEntry[] }): boolean {
	if (outcome.status !== 401 && outcome.status !== 403) return false;
	return (outcome.errors ?? []).some((e) => /access token/i.test(`${e.message ?? ''} ${e.details ?? ''}`) && /expired|revoked|malformed|invalid/i.test(`${e.details ?? ''} ${e.message ?? ''}`));
}

export function spApiErrors(body: unknown, fallback: string): SpApiErrorEntry[] {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = undefined;
		}
	}
	const errors = (parsed as { errors?: unknown })?.errors;
	if (Array.isArray(errors) && errors.length) {
		return errors.map((e: SpApiErrorEntry) => ({ code: e.code, message: e.message, details: e.details }));
	}
	return [{ message: fallback }];
}
