/**
 * @module ingest-key
 * Who calls an ingestion route: the session's user, or, with no session, the owner of an ingest key
 * (permissions exactly `["write:interactions"]`) presented alone. OpenTelemetry exporters and
 * server-side agents send static headers and cannot refresh a Firebase ID token every hour; an ingest
 * key can only add interactions, so it may stand alone there. It acts as its owner: the route still
 * checks that the owner may write the agent now, and the key steps that follow (usage, rate limit,
 * the agent restriction, the store budget) run as for a session request. The key step looks the key
 * up once more, from the key cache, like any other.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { isIngestKey } from "../../api-keys/permissions";
import type { ApiDeps, AppEnv, Caller } from "../app-env";
import { requestAddressHash } from "../client-address";
import { requestHeader } from "../request-headers";
import { usableKey } from "./key-lookup";
import { acceptSession, presentedSession, sessionRequired } from "./session-steps";

/** The owner of the ingest key presented alone; 401 for no key, a bad key, or a key that is not an ingest key. */
async function ingestKeyOwner(c: Context, deps: ApiDeps): Promise<Caller> {
  if (!requestHeader(c, "x-api-key")) throw sessionRequired();
  // No user yet: refused lookups are paid for by the client's address.
  const record = await usableKey(c, deps, { addressHash: requestAddressHash(c, deps) });
  if (!isIngestKey(record.permissions)) throw sessionRequired(" with this API key (only a key whose permissions are exactly write:interactions may be sent alone)");
  return { uid: record.ownerId, operator: false };
}

/** Step of the ingestion routes, in place of `requireSession`: sets `caller` to the session's user, or to an ingest key's owner. */
export function sessionOrIngestKey(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = presentedSession(c);
    if (credential) await acceptSession(c, deps, credential);
    else c.set("caller", await ingestKeyOwner(c, deps));
    await next();
  });
}
