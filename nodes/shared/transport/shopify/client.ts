import type { IAllExecuteFunctions, ICredentialDataDecryptedObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Clock } from '../clock';
import { backoffDelayMs, getClock } from '../clock';
import { classifyThrown } from '../failures';
import { TOKEN_RENEWAL_MARGIN_MS } from '../amazon/lwa';
import type { DocumentName } from './documents';
import { DOCUMENTS, isMutation } from './documents';
import { shopifyGraphqlUrl, normaliseShopDomain } from './endpoints';
import { ShopifyUnknownOutcome } from './errors';
import { costBucketFor, recordShopifyCall } from './throttle';

export const SHOPIFY_CREDENTIAL = 'shopifyAdminApi';

interface GraphqlError {
	message: string;
	path?: Array<string | number>;
	extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphqlCost {
	requestedQueryCost?: number;
	actualQueryCost?: number | null;
	throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

interface GraphqlResponse<T> {
	data?: T;
	errors?: GraphqlError[] | string;
	extensions?: { cost?: GraphqlCost };
}

export interface ShopifyClientOptions {
	maxAttempts?: number;
	timeoutMs?: number;
	clock?: Clock;
}

/** The only way the pack talks to Shopify: named GraphQL documents, cost-based throttling, clear errors. */
export class ShopifyClient {
	private constructor(
		private readonly ctx: IAllExecuteFunctions,
		private readonly node: INode,
		readonly credentials: ICredentialDataDecryptedObject,
		readonly url: string,
		readonly shopKey: string,
		private readonly options: Required<Omit<ShopifyClientOptions, 'clock'>> & { clock: Clock },
	) {}

	static async create(ctx: IAllExecuteFunctions, options: ShopifyClientOptions = {}): Promise<ShopifyClient> {
		const node = ctx.getNode();
		const credentials = await ctx.getCredentials(SHOPIFY_CREDENTIAL);
		let url: string;
		let shop: string;
		try {
			shop = normaliseShopDomain(String(credentials.shopDomain ?? ''));
			url = shopifyGraphqlUrl(credentials);
		} catch (error) {
			throw new NodeOperationError(node, error as Error, { description: 'Fix the Shopify Admin API credential.' });
		}
		return new ShopifyClient(ctx, node, credentials, url, `${url}|${shop}`, {
			maxAttempts: options.maxAttempts ?? 6,
			timeoutMs: options.timeoutMs ?? 30_000,
			clock: options.clock ?? getClock(),
		});
	}

	/** The key Shopify signs this app's webhooks with. */
	get webhookSecret(): string {
		return String(
			this.credentials.authentication === 'accessToken' ? this.credentials.apiSecretKey ?? '' : this.credentials.clientSecret ?? '',
		);
	}

	/**
	 * Runs a named document. Throttled calls are retried (Shopify rejects them before executing).
	 * A mutation whose outcome is unknown (timeout, reset, 5xx) throws ShopifyUnknownOutcome: the
	 * caller must look before sending it again.
	 */
	async run<T>(name: DocumentName, variables: Record<string, unknown> = {}): Promise<T> {
		const mutation = isMutation(name);
		const bucket = costBucketFor(this.shopKey);
		const { clock } = this.options;
		for (let attempt = 0; ; attempt++) {
			await bucket.waitFor(name, clock);
			const outcome = await this.send<T>(name, variables);
			if (outcome.cost) bucket.update(name, outcome.cost, clock.now());
			recordShopifyCall(name, { cost: outcome.cost, throttled: outcome.throttled, status: outcome.status });
			const lastAttempt = attempt + 1 >= this.options.maxAttempts;
			if (outcome.throttled) {
				if (lastAttempt) throw this.apiError(name, 'Shopify kept throttling this call (THROTTLED) and the retries ran out.', outcome.status);
				await clock.sleep(bucket.waitAfterThrottle(outcome.cost) + backoffDelayMs(0, 250, 1000));
				continue;
			}
			if (outcome.unknown) {
				if (mutation) throw new ShopifyUnknownOutcome(name, outcome.unknown);
				if (lastAttempt) throw this.apiError(name, `Shopify did not answer (${outcome.unknown}) and the retries ran out.`, outcome.status);
				await clock.sleep(backoffDelayMs(attempt, 500, 30_000));
				continue;
			}
			if (outcome.retryable && !lastAttempt) {
				await clock.sleep(backoffDelayMs(attempt, 1000, 30_000));
				continue;
			}
			if (outcome.error) throw this.apiError(name, outcome.error, outcome.status, outcome.errors);
			return outcome.data as T;
		}
	}

	private async send<T>(name: DocumentName, variables: Record<string, unknown>): Promise<{
		data?: T;
		cost?: GraphqlCost;
		throttled?: boolean;
		unknown?: string;
		retryable?: boolean;
		error?: string;
		errors?: GraphqlError[];
		status?: number;
	}> {
		let raw: { statusCode: number; body: GraphqlResponse<T> | string };
		try {
			raw = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				SHOPIFY_CREDENTIAL,
				{
					method: 'POST',
					url: this.url,
					body: { query: DOCUMENTS[name], variables, operationName: name },
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: { ignore: true, except: [401] },
					timeout: this.options.timeoutMs,
				},
				this.renewalOverride(),
			)) as typeof raw;
		} catch (error) {
			const failure = classifyThrown(error);
			if (failure.kind === 'response') {
				return { error: describeHttpFailure(failure.status ?? 0, failure.message), status: failure.status };
			}
			if (failure.kind === 'other') return { error: failure.message };
			return { unknown: failure.kind === 'timeout' ? 'timed out' : `connection failed (${failure.code ?? 'network'})` };
		}
		const status = raw.statusCode;
		const body = typeof raw.body === 'object' ? raw.body : undefined;
		const cost = body?.extensions?.cost;
		const errors = Array.isArray(body?.errors) ? body.errors : undefined;
		if (errors?.some((e) => e.extensions?.code === 'THROTTLED') || (status === 429 && !body?.data)) {
			return { throttled: true, cost, status };
		}
		if (status >= 500) return { unknown: `HTTP ${status}`, status };
		if (!body) return { unknown: 'malformed response body', status };
		if (status >= 400 || (errors && errors.length)) {
			const text = errors?.map((e) => e.message).join('; ') ?? (typeof body.errors === 'string' ? body.errors : `HTTP ${status}`);
			return { error: describeGraphqlErrors(status, text, errors), errors, status, cost };
		}
		return { data: body.data, cost, status };
	}

	private apiError(name: DocumentName, message: string, status?: number, errors?: GraphqlError[]): NodeApiError {
		return new NodeApiError(this.node, { errors: (errors ?? []) as unknown as JsonObject[] } as unknown as JsonObject, {
			message: `Shopify ${name}: ${message}`,
			description: hintForShopify(message, status),
			httpCode: status ? String(status) : undefined,
		});
	}

	/** Renew a client-credentials token before its 24 h end instead of spending a failed call on it. */
	private renewalOverride() {
		if (this.credentials.authentication === 'accessToken') return undefined;
		const expiresAt = Number(this.credentials.sessionTokenExpiresAt ?? 0);
		if (!this.credentials.sessionToken || expiresAt === 0 || expiresAt - TOKEN_RENEWAL_MARGIN_MS > Date.now()) return undefined;
		return {
			credentialsDecrypted: {
				id: '',
				name: SHOPIFY_CREDENTIAL,
				type: SHOPIFY_CREDENTIAL,
				data: { ...this.credentials, sessionToken: '' },
			},
		};
	}
}

function describeHttpFailure(status: number, message: string): string {
	if (status === 401) return 'Shopify rejected the access token (401).';
	if (status === 402) return 'The shop is frozen or unpaid (402).';
	if (status === 403) return 'Shopify denied access (403).';
	if (status === 404) return 'Shopify answered 404: the shop domain or the API version does not exist.';
	return `HTTP ${status}: ${message}`;
}

function describeGraphqlErrors(status: number, text: string, errors?: GraphqlError[]): string {
	const codes = new Set(errors?.map((e) => e.extensions?.code).filter(Boolean));
	if (codes.has('ACCESS_DENIED')) return `access denied: ${text}`;
	if (codes.has('MAX_COST_EXCEEDED')) return `the query is too expensive: ${text}`;
	return status >= 400 ? `HTTP ${status}: ${text}` : text;
}

/**
 * The Admin API scopes the pack's documents (documents.ts) need: orders and their metafields, tags,
 * refunds and cancellations (read/write_orders); variants by SKU (read_products); stock decrements
 * at import and restocks of refunds and cancellations (read/write_inventory); fulfillment reads and webhooks
 * (read_fulfillments); fulfilled imports and their tracking (write_fulfillments,
 * read/write_merchant_managed_fulfillment_orders); orders older than 60 days (read_all_orders).
 */
const SCOPES_HINT =
	'The app lacks a scope. The pack needs read_orders, write_orders, read_products, read_merchant_managed_fulfillment_orders, write_merchant_managed_fulfillment_orders, read_fulfillments, write_fulfillments, read_inventory and write_inventory (and read_all_orders for orders older than 60 days). Add them to the app, release the version and reinstall it on the shop.';

function hintForShopify(message: string, status?: number): string {
	if (status === 401) return 'Check the Shopify credential: for client credentials, the client ID and secret and that the app is installed; for a legacy app, the shpat_ token.';
	if (status === 404) return 'Check the shop domain and the API version in the Shopify credential (for example 2026-10).';
	if (/access denied/i.test(message)) return SCOPES_HINT;
	if (/THROTTLED/.test(message)) return 'Shopify throttles by query cost. Let fewer executions run at once, or try again in a minute.';
	if (/Field '|doesn't exist on type|Unknown argument/i.test(message)) return 'The API version may not support this field. Use 2026-10 or newer in the credential.';
	return 'See Shopify\'s message above.';
}
