/**
 * The Shopify credential and client, inside the real n8n engine, against the sandbox: client
 * credentials exchange and renewal, legacy tokens, cost-based throttling, unknown outcomes.
 */
import type { IWorkflowBase } from "n8n-workflow";

import {
  resetShopifyBuckets,
  resetShopifyCallStats,
  shopifyCallStats,
} from "../../nodes/shared/transport/shopify/throttle";
import { realClock, useClock } from "../../nodes/shared/transport/clock";
import {
  errorOf,
  outputOf,
  runWorkflow,
  testCredential,
} from "../harness/engine";
import { FakeClock } from "../harness/fakeClock";
import { createEngine, sandboxCredentialStore } from "../harness/pack";
import { probeWorkflow } from "../harness/probes";
import type { Sandbox } from "../harness/sandbox";
import { startTestSandbox } from "../harness/sandbox";

let sb: Sandbox;

beforeAll(async () => {
  sb = await startTestSandbox({ clockScale: 1 });
});
afterAll(async () => await sb.stop());
beforeEach(() => {
  resetShopifyBuckets();
  resetShopifyCallStats();
  sb.shopify.control.faults.clear();
  useClock();
});

const shopInfo = probeWorkflow(
  "shopifyProbe",
  "ShopInfo",
) as unknown as IWorkflowBase;
const tokensIssued = () =>
  Number(sb.shopify.control.state().tokenRequests.succeeded);

describe("Shopify Admin API credential in the engine", () => {
  it("exchanges client credentials once and reuses the 24 h token", async () => {
    const store = sandboxCredentialStore(sb, "clientCredentials");
    const engine = createEngine(store);
    const before = tokensIssued();

    const first = await runWorkflow(shopInfo, engine);
    await runWorkflow(shopInfo, engine);

    expect(outputOf(first.run, "Probe")[0].result).toMatchObject({
      shop: { myshopifyDomain: "sandbox-shop.myshopify.com" },
    });
    expect(tokensIssued() - before).toBe(1);
    const expiresIn =
      Number(store.shopifyAdminApi.sessionTokenExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(86_000_000);
    expect(expiresIn).toBeLessThanOrEqual(86_399_000);
  });

  it("renews the token before it expires, without a rejected call", async () => {
    const store = sandboxCredentialStore(sb, "clientCredentials");
    const engine = createEngine(store);
    await runWorkflow(shopInfo, engine);
    const oldToken = store.shopifyAdminApi.sessionToken;
    store.shopifyAdminApi.sessionTokenExpiresAt = Date.now() + 120_000;
    const before = tokensIssued();

    const { run } = await runWorkflow(shopInfo, engine);

    expect(errorOf(run)).toBeUndefined();
    expect(tokensIssued() - before).toBe(1);
    expect(store.shopifyAdminApi.sessionToken).not.toBe(oldToken);
    expect(engine.credentialsHelper.preAuthCalls.every((c) => !c.expired)).toBe(
      true,
    );
  });

  it("requests a new token after Shopify rejects an expired one", async () => {
    const engine = createEngine(
      sandboxCredentialStore(sb, "clientCredentials"),
    );
    await runWorkflow(shopInfo, engine);
    sb.shopify.control.expireTokens();
    const before = tokensIssued();

    const { run } = await runWorkflow(shopInfo, engine);

    expect(errorOf(run)).toBeUndefined();
    expect(tokensIssued() - before).toBe(1);
    expect(engine.credentialsHelper.preAuthCalls.at(-1)).toEqual({
      type: "shopifyAdminApi",
      expired: true,
    });
  });

  it("uses a legacy shpat_ token as is, with no token request", async () => {
    const engine = createEngine(sandboxCredentialStore(sb, "accessToken"));
    const before = tokensIssued();
    const { run } = await runWorkflow(shopInfo, engine);
    expect(errorOf(run)).toBeUndefined();
    expect(tokensIssued()).toBe(before);
  });

  it("never re-sends a mutation whose response was lost", async () => {
    const engine = createEngine(sandboxCredentialStore(sb, "accessToken"));
    sb.shopify.control.faults.set({
      operation: "TagsAdd",
      kind: "lostResponse",
      count: 1,
    });
    const callsBefore = sb.shopify.control.stats().calls.TagsAdd ?? 0;
    const tagsAdd = probeWorkflow("shopifyProbe", "TagsAdd", {
      id: "gid://shopify/Order/999999",
      tags: ["x"],
    }) as unknown as IWorkflowBase;

    const { run } = await runWorkflow(tagsAdd, engine);

    expect(errorOf(run)?.message).toMatch(/may or may not have been applied/);
    expect((sb.shopify.control.stats().calls.TagsAdd ?? 0) - callsBefore).toBe(
      1,
    );
  });

  it("retries a THROTTLED mutation (never executed), but not one whose response was lost", async () => {
    // Real clock: the sandbox refills 100 points per second, so the wait is a few milliseconds.
    const engine = createEngine(sandboxCredentialStore(sb, "accessToken"));
    sb.shopify.control.throttle.drain(0);
    sb.shopify.control.faults.set({
      operation: "TagsAdd",
      kind: "lostResponse",
      count: 1,
    });
    const tagsAdd = probeWorkflow("shopifyProbe", "TagsAdd", {
      id: "gid://shopify/Order/999999",
      tags: ["x"],
    }) as unknown as IWorkflowBase;

    const injectedBefore = sb.shopify.control.stats().faultsInjected['TagsAdd:lostResponse'] ?? 0;
		const { run } = await runWorkflow(tagsAdd, engine);

    expect(errorOf(run)?.message).toMatch(/may or may not have been applied/);
    expect(shopifyCallStats().TagsAdd).toMatchObject({
      calls: 2,
      throttled: 1,
    });
    expect(sb.shopify.control.stats().faultsInjected['TagsAdd:lostResponse'] - injectedBefore).toBe(1);
  });

  it("retries a query after a connection reset", async () => {
    useClock(new FakeClock());
    const engine = createEngine(sandboxCredentialStore(sb, "accessToken"));
    sb.shopify.control.faults.set({
      operation: "ShopInfo",
      kind: "reset",
      count: 1,
    });
    const { run } = await runWorkflow(shopInfo, engine);
    expect(errorOf(run)).toBeUndefined();
    expect(shopifyCallStats().ShopInfo.calls).toBe(2);
  });

  // Last in this block: it leaves the shop's cost bucket nearly empty.
  it("waits out THROTTLED for (requested - available) / restoreRate and then succeeds", async () => {
    // Real time, recorded: the sandbox's bucket refills while the client waits.
    const sleeps: number[] = [];
    useClock({
      now: realClock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
        await realClock.sleep(ms);
      },
    });
    const engine = createEngine(sandboxCredentialStore(sb, "accessToken"));
    sb.shopify.control.throttle.drain(0);

    const { run } = await runWorkflow(shopInfo, engine);

    expect(errorOf(run)).toBeUndefined();
    expect(shopifyCallStats().ShopInfo.throttled).toBeGreaterThanOrEqual(1);
    expect(sleeps.length).toBeGreaterThanOrEqual(1);
    expect(
      sb.shopify.control.stats().throttled.ShopInfo,
    ).toBeGreaterThanOrEqual(1);
  }, 30_000);
});

describe("Shopify credential test (as n8n runs it)", () => {
  it.each(["clientCredentials", "accessToken"] as const)(
    "passes with %s",
    async (mode) => {
      const result = await testCredential(
        createEngine(sandboxCredentialStore(sb, mode)),
        "shopifyAdminApi",
      );
      expect(result).toEqual({
        status: "OK",
        message: "Connection successful!",
      });
    },
  );

  it("fails with a hint when the client secret is wrong, without echoing it", async () => {
    const store = sandboxCredentialStore(sb, "clientCredentials");
    store.shopifyAdminApi.clientSecret = ["shpss", "wrong", "secret"].join("_");
    const result = await testCredential(createEngine(store), "shopifyAdminApi");
    expect(result.status).toBe("Error");
    expect(result.message).toMatch(/Shopify refused the client credentials/);
    expect(result.message).not.toContain("wrong_secret");
  });

  it("names exactly the scopes the pack needs when Shopify denies access", async () => {
    const narrow = await startTestSandbox({ clockScale: 1, shopify: { scopes: ["read_products"] } });
    try {
      const workflow = probeWorkflow("shopifyProbe", "OrderIdsByQuery", { query: "status:any", first: 1 }) as unknown as IWorkflowBase;
      const { run } = await runWorkflow(workflow, createEngine(sandboxCredentialStore(narrow, "accessToken")));
      const error = errorOf(run) as unknown as { message: string; description?: string };
      expect(error.message).toMatch(/access denied/i);
      const named = new Set(String(error.description).match(/\b(?:read|write)_[a-z_]+/g));
      expect(named).toEqual(
        new Set([
          "read_orders", "write_orders", "read_products",
          "read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders",
          "read_fulfillments", "write_fulfillments", "read_inventory", "write_inventory", "read_all_orders",
        ]),
      );
      expect(error.description).not.toMatch(/order edits/);
    } finally {
      await narrow.stop();
    }
  });

  it("explains a malformed shop domain", async () => {
    const store = sandboxCredentialStore(sb, "accessToken");
    store.shopifyAdminApi.useCustomEndpoint = false;
    store.shopifyAdminApi.shopDomain = "not a shop!";
    const { run } = await runWorkflow(shopInfo, createEngine(store));
    expect(errorOf(run)?.message).toMatch(/is not a Shopify shop domain/);
  });
});
