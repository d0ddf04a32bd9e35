/**
 * @module dashboard-key.test
 * The page's own dashboard key: made once (read-only, one day, named for this browser) and reused by
 * every reload and tab, replaced near its expiry, renewed after a 401 only when the key list says it
 * is revoked or expired (not when the session is the problem), one renewal for many refused reads,
 * the tab's chosen key first, and revoked on sign-out.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { DASHBOARD_KEY_NAME, DASHBOARD_PERMISSIONS, DashboardKey } from "../../../web-client/src/dashboard-key";
import { ApiRequestError } from "../../../web-client/src/lib/api-client";
import type { CreateApiKeyRequest, CreatedApiKey, ListedApiKey } from "metrics-functions/contract";
import { FakeClock, QuotaStorage } from "../../support/web-cache-fakes";

const DAY = 86_400_000;

/** The key routes as the page uses them, with keys held in memory. */
class FakeKeyApi {
  readonly keys: ListedApiKey[] = [];
  readonly created: CreateApiKeyRequest[] = [];
  readonly revoked: string[] = [];
  sessionValid = true;
  constructor(private readonly clock: FakeClock) {}

  private session() {
    if (!this.sessionValid) throw new ApiRequestError(401, "UNAUTHENTICATED", "The session is invalid, expired or revoked.");
  }

  createApiKey = async (body: CreateApiKeyRequest): Promise<CreatedApiKey> => {
    this.session();
    this.created.push(body);
    const n = this.created.length;
    const apiKey = {
      id: `id-${n}`,
      prefix: `mk_test_${n}`,
      name: body.name,
      permissions: body.permissions,
      createdAt: new Date(this.clock.ms).toISOString(),
      expiresAt: new Date(this.clock.ms + (body.expiresInDays ?? 0) * DAY).toISOString(),
      rateLimitPerMinute: 60,
    };
    this.keys.push({ ...apiKey, status: "active", revokedAt: null });
    return { key: `${apiKey.prefix}_secret${n}`, apiKey };
  };

  listApiKeys = async (): Promise<ListedApiKey[]> => {
    this.session();
    return structuredClone(this.keys);
  };

  revokeApiKey = async (id: string): Promise<ListedApiKey> => {
    this.session();
    this.revoked.push(id);
    const key = this.keys.find((k) => k.id === id)!;
    key.status = "revoked";
    return key;
  };
}

describe("DashboardKey", () => {
  let clock: FakeClock;
  let api: FakeKeyApi;
  let storage: QuotaStorage;
  let chosen: string | null;

  const keyFor = () =>
    new DashboardKey({ api, uid: "alice", storage, now: clock.now, chosen: { read: () => chosen, forget: () => void (chosen = null) } });

  beforeEach(() => {
    clock = new FakeClock();
    api = new FakeKeyApi(clock);
    storage = new QuotaStorage();
    chosen = null;
  });

  it("makes one read-only, one-day key named for this browser, and every reload or tab reuses it", async () => {
    const key = await keyFor().ensure();
    assert.deepEqual(api.created, [{ name: DASHBOARD_KEY_NAME, permissions: DASHBOARD_PERMISSIONS, expiresInDays: 1 }]);
    assert.ok(DASHBOARD_PERMISSIONS.every((p) => p.startsWith("read:")));
    assert.equal(await keyFor().ensure(), key, "another page of this browser reuses it");
    assert.equal(api.created.length, 1);
  });

  it("replaces the key shortly before it expires, and revokes the old one", async () => {
    const first = await keyFor().ensure();
    clock.advance(DAY - 5 * 60_000);
    const second = await keyFor().ensure();
    assert.notEqual(second, first);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(api.revoked, ["id-1"]);
  });

  it("after a 401, renews a key the list shows revoked, once for many refused reads", async () => {
    const keys = keyFor();
    const first = await keys.ensure();
    await api.revokeApiKey("id-1");
    const answers = await Promise.all([keys.refused(first), keys.refused(first), keys.refused(first)]);
    assert.deepEqual(answers, [true, true, true]);
    assert.equal(api.created.length, 2, "one new key");
    assert.notEqual(keys.current(), first);
  });

  it("after a 401 caused by the session, keeps the key and makes none", async () => {
    const keys = keyFor();
    const first = await keys.ensure();
    api.sessionValid = false;
    assert.equal(await keys.refused(first), false);
    assert.equal(keys.current(), first);
    assert.equal(api.created.length, 1);
  });

  it("after a 401 for a key still listed active, does not replace it", async () => {
    const keys = keyFor();
    const first = await keys.ensure();
    assert.equal(await keys.refused(first), false);
    assert.equal(keys.current(), first);
  });

  it("prefers the key chosen for this tab, and falls back to its own when that one is refused", async () => {
    const keys = keyFor();
    const own = await keys.ensure();
    chosen = "mk_test_picked_by_hand";
    assert.equal(keys.current(), chosen);
    assert.equal(keys.inUse()?.provisioned, false);
    assert.equal(await keys.refused(chosen), true, "a chosen key missing from the list is forgotten");
    assert.equal(chosen, null);
    assert.equal(keys.current(), own);
  });

  it("revokes its key on sign-out and forgets it", async () => {
    const keys = keyFor();
    await keys.ensure();
    await keys.revoke();
    assert.deepEqual(api.revoked, ["id-1"]);
    assert.equal(keys.current(), null);
    assert.deepEqual(storage.keys(), []);
  });

  it("forgets a key revoked on the keys page, so the next visit makes another", async () => {
    const keys = keyFor();
    await keys.ensure();
    assert.equal(keys.isProvisioned("mk_test_1"), true);
    keys.forget("mk_test_1");
    assert.equal(keys.current(), null);
    await keys.ensure();
    assert.equal(api.created.length, 2);
  });

  it("still holds its key when storage refuses it, instead of making one per read", async () => {
    storage = new QuotaStorage(10);
    const keys = keyFor();
    const key = await keys.ensure();
    assert.equal(await keys.ensure(), key);
    assert.equal(api.created.length, 1);
  });
});
