/**
 * Typed access to the marketplace sandbox (plain JS under sandbox/) for the TypeScript tests.
 * Only the parts tests use are typed; the sandbox's own JSDoc is the full contract.
 */
import type { SandboxEndpoints } from './pack';

/* eslint-disable @typescript-eslint/no-explicit-any -- the sandbox is untyped JS; tests assert on its JSON state */
export interface FaultSpec {
	operation: string;
	kind: '429' | '500' | '503' | 'slow' | 'reset' | 'malformed' | 'lostResponse';
	probability?: number;
	count?: number;
	delayMs?: number;
}

export interface Faults {
	set(spec: FaultSpec): unknown;
	clear(operation?: string): unknown;
}

export interface AmazonControl {
	seedOrders(orders: unknown[]): any;
	generateOrders(n: number, opts?: Record<string, unknown>): any;
	getOrder(id: string): any;
	listOrders(): any[];
	updateOrder(id: string, patch: Record<string, unknown>): any;
	refundOnAmazon(orderId: string, items?: unknown, options?: { postedDate?: string }): any;
	state(): any;
	stats(): any;
	reset(): any;
	faults: Faults;
	recordedRequests(filter?: unknown): any[];
	expireAccessTokens(): any;
	revokeRefreshToken(): any;
	restoreRefreshToken(): any;
	setPiiRole(enabled: boolean): any;
	advanceTime(ms: number): any;
	[name: string]: any;
}

export interface ShopifyControl {
	seedProducts(products: unknown[]): any;
	state(): any;
	stats(): any;
	reset(): any;
	faults: Faults;
	recordedRequests(filter?: unknown): any[];
	fulfillOrder(orderId: string, input: Record<string, unknown>): any;
	updateTracking(fulfillmentId: string, tracking: Record<string, unknown>): any;
	refundOrder(orderId: string, input: Record<string, unknown>): any;
	cancelOrder(orderId: string, input: Record<string, unknown>): any;
	expireTokens(): any;
	throttle: { status(): any; drain(level?: number): any };
	[name: string]: any;
}

export interface Sandbox extends SandboxEndpoints {
	amazon: SandboxEndpoints['amazon'] & { control: AmazonControl };
	shopify: SandboxEndpoints['shopify'] & { control: ShopifyControl };
	seed(opts?: Record<string, unknown>): Promise<any>;
	stop(): Promise<void>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface SandboxOptions {
	clockScale?: number;
	seed?: number;
	devStore?: boolean;
	amazon?: Record<string, unknown>;
	shopify?: Record<string, unknown>;
}

export async function startTestSandbox(options: SandboxOptions = {}, label = expect.getState().testPath ?? 'unknown'): Promise<Sandbox> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { startSandbox } = require('../../sandbox') as { startSandbox: (o: SandboxOptions) => Promise<Sandbox> };
	const sandbox = await startSandbox(options);
	if (!sandbox.shopify) throw new Error('The Shopify side of the sandbox did not start');
	// Every request the nodes sent goes into the run's contract ledger (test/contract/ledger.js).
	const stop = sandbox.stop.bind(sandbox);
	sandbox.stop = async () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		(require('../contract/ledger') as { recordContract: (s: Sandbox, label: string) => void }).recordContract(sandbox, label);
		await stop();
	};
	return sandbox;
}
