/**
 * Amazon SKU -> Shopify variant, one batched query per order.
 *
 * Matching rule (documented in the README): the Amazon SKU is trimmed, looked up in the mapping
 * table (keys trimmed), and compared with the trimmed Shopify SKUs EXACTLY, case included.
 * Leading/trailing whitespace never matters; letter case does, because Shopify SKUs are
 * case-sensitive and two variants can differ only by case. A variant that differs only by case is
 * reported in a warning ("add a mapping"), never used silently.
 *
 * Shopify's search is tokenised (`sku:"MUG-1"` also finds "mug-1-red"), so results are filtered on
 * the client; zero or several exact matches mean "unknown" / "ambiguous".
 */
import type { ShopifyClient } from '../../../shared/transport/shopify/client';
import type { LineResolution } from '../../../shared/mappers/shopifyOrderInput';

const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/\d+$/;

export interface SkuLookup {
	/** Exact matches by trimmed Shopify SKU. */
	exact: Array<{ id: string; sku: string }>;
	/** Variants whose SKU differs only by letter case. */
	caseOnly: string[];
}

/** Per-execution cache: one Shopify lookup per distinct SKU per execution. */
export type SkuCache = Map<string, SkuLookup>;

export interface SkuResolution {
	lines: LineResolution[];
	unknown: string[];
	warnings: string[];
	queries: number;
	cacheHits: number;
}

function quote(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

async function lookup(client: ShopifyClient, skus: string[], first: number): Promise<Array<{ id: string; sku: string | null }>> {
	const query = skus.map((sku) => `sku:${quote(sku)}`).join(' OR ');
	const result = await client.run<{ productVariants: { nodes: Array<{ id: string; sku: string | null }> } }>('ResolveVariantSkus', { query, first });
	return result.productVariants.nodes;
}

function classify(sku: string, variants: Array<{ id: string; sku: string | null }>): SkuLookup {
	const exact: Array<{ id: string; sku: string }> = [];
	const caseOnly: string[] = [];
	for (const v of variants) {
		const candidate = (v.sku ?? '').trim();
		if (candidate === sku) {
			if (!exact.some((e) => e.id === v.id)) exact.push({ id: v.id, sku: candidate });
		} else if (candidate.toLowerCase() === sku.toLowerCase() && !caseOnly.includes(candidate)) caseOnly.push(candidate);
	}
	return { exact, caseOnly };
}

/** Fills the cache for these SKUs with one query (plus, rarely, one per SKU when results overflow). */
async function fill(client: ShopifyClient, cache: SkuCache, skus: string[]): Promise<number> {
	if (skus.length === 0) return 0;
	const first = Math.min(250, Math.max(10, skus.length * 4));
	const variants = await lookup(client, skus, first);
	let queries = 1;
	for (const sku of skus) cache.set(sku, classify(sku, variants));
	if (variants.length >= first) {
		// The page was full: a tokenised match may have pushed an exact one out. Ask again per SKU.
		for (const sku of skus.filter((s) => (cache.get(s)?.exact.length ?? 0) === 0)) {
			cache.set(sku, classify(sku, await lookup(client, [sku], 50)));
			queries++;
		}
	}
	return queries;
}

export async function resolveSkus(
	client: ShopifyClient,
	cache: SkuCache,
	items: Array<{ sku: string | null; orderItemId: string }>,
	mapping: ReadonlyMap<string, string>,
): Promise<SkuResolution> {
	const warnings: string[] = [];
	const targets = items.map((item) => {
		const amazonSku = (item.sku ?? '').trim();
		const mapped = amazonSku ? mapping.get(amazonSku) : undefined;
		return { amazonSku, target: (mapped ?? amazonSku).trim(), mapped: mapped !== undefined };
	});
	const wanted = [...new Set(targets.map((t) => t.target).filter((t) => t && !VARIANT_GID.test(t)))];
	const missing = wanted.filter((sku) => !cache.has(sku));
	const cacheHits = wanted.length - missing.length;
	const queries = await fill(client, cache, missing);

	const unknown: string[] = [];
	const lines: LineResolution[] = targets.map(({ amazonSku, target, mapped }) => {
		if (!target) return { kind: 'custom', reason: 'noSku' };
		if (VARIANT_GID.test(target)) return { kind: 'variant', variantId: target, shopifySku: target, mappedFrom: amazonSku };
		const found = cache.get(target)!;
		if (found.exact.length === 1) {
			return { kind: 'variant', variantId: found.exact[0].id, shopifySku: target, ...(mapped ? { mappedFrom: amazonSku } : {}) };
		}
		if (!unknown.includes(amazonSku)) unknown.push(amazonSku);
		if (found.exact.length > 1) {
			warnings.push(`SKU "${target}" matches ${found.exact.length} Shopify variants; it was treated as unknown. Make the SKU unique in Shopify, or map it to a variant ID.`);
			return { kind: 'custom', reason: 'ambiguousSku', shopifySku: target };
		}
		if (found.caseOnly.length) {
			warnings.push(`SKU "${target}" is not in Shopify, but ${found.caseOnly.map((s) => `"${s}"`).join(', ')} differs only by letter case. SKUs match exactly (after trimming); add a mapping if they are the same product.`);
		}
		return { kind: 'custom', reason: 'unknownSku', shopifySku: target };
	});
	return { lines, unknown, warnings, queries, cacheHits };
}

/** The mapping table: fixed-collection rows and/or JSON ({"AMZ-SKU": "SHOP-SKU"} or [{amazonSku, shopifySku}]). */
export function parseSkuMapping(rows: Array<{ amazonSku?: string; shopifySku?: string }>, json: unknown): Map<string, string> {
	const mapping = new Map<string, string>();
	const add = (from: unknown, to: unknown) => {
		const key = String(from ?? '').trim();
		const value = String(to ?? '').trim();
		if (key && value) mapping.set(key, value);
	};
	let parsed = json;
	if (typeof json === 'string') {
		const text = json.trim();
		parsed = text ? (JSON.parse(text) as unknown) : undefined;
	}
	if (Array.isArray(parsed)) {
		for (const row of parsed as Array<Record<string, unknown>>) add(row?.amazonSku, row?.shopifySku);
	} else if (parsed && typeof parsed === 'object') {
		for (const [from, to] of Object.entries(parsed as Record<string, unknown>)) add(from, to);
	}
	// Table rows win over JSON for the same Amazon SKU.
	for (const row of rows) add(row.amazonSku, row.shopifySku);
	return mapping;
}
