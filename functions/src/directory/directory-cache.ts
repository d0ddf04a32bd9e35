/**
 * @module directory-cache
 * The directory documents behind every access check (`users`, `agents`, `organizations`), kept per
 * instance under `DIRECTORY_POLICY`: fresh for 5 s, refreshed in the background, never older than
 * 15 s. So an edge hit needs no directory read, and a change of who owns an agent or of a user's
 * organization or role takes effect on every instance within 15 s (docs/SECURITY.md). Lookups issued
 * in the same turn (a batch read's 100 agents and the caller) share one `getAll`.
 */
import type { DocumentData } from "firebase-admin/firestore";
import type { Logger } from "../config/logger";
import { DIRECTORY_POLICY, ENTRY_OVERHEAD_BYTES } from "../cache/cache-policy";
import type { FreshnessPolicy } from "../contract/freshness";
import { COLLECTIONS } from "../documents/collections";
import type { DirectoryDocs, ProfileFacts } from "./directory-store";
import { agentSchema, userProfileSchema, type Agent } from "../documents/source-documents";
import { batchLoader, type LoadMany } from "../cache/batch-loader";
import { EdgeCache } from "../cache/edge-cache";
import type { LayerStats } from "../contract/schemas/service";
import * as logs from "../config/logs";

type Fact = { kind: "profile"; facts: ProfileFacts } | { kind: "agent"; agent: Agent | null } | { kind: "org"; exists: boolean };

const DIRECTORY_MAX_BYTES = 16 * 1024 * 1024;

function factOf(path: string, data: DocumentData | null): Fact {
  const [collection] = path.split("/");
  if (collection === COLLECTIONS.users) {
    const profile = userProfileSchema.safeParse(data ?? {});
    const facts = profile.success ? { orgId: profile.data.orgId ?? null, role: profile.data.role ?? null } : { orgId: null, role: null };
    return { kind: "profile", facts: { exists: data !== null, ...facts } };
  }
  if (collection === COLLECTIONS.agents) {
    const agent = agentSchema.safeParse(data);
    return { kind: "agent", agent: data !== null && agent.success ? agent.data : null };
  }
  return { kind: "org", exists: data !== null };
}

export interface CachedDirectoryDocs extends DirectoryDocs {
  stats(): LayerStats;
}

export function cachedDirectoryDocs(readMany: LoadMany<DocumentData>, options: { log: Logger; now?: () => number; policy?: FreshnessPolicy }): CachedDirectoryDocs {
  const read = batchLoader(readMany);
  const edge = new EdgeCache<Fact>({
    policy: options.policy ?? DIRECTORY_POLICY,
    maxBytes: DIRECTORY_MAX_BYTES,
    sizeOf: (fact) => ENTRY_OVERHEAD_BYTES + JSON.stringify(fact).length,
    now: options.now,
    load: async (path) => factOf(path, await read(path)),
    onLoadError: (path, error) => logs.directoryLoadFailed(options.log, path, error),
  });
  const fact = async (path: string) => (await edge.get(path)).value;
  return {
    async profile(uid) {
      const found = await fact(`${COLLECTIONS.users}/${uid}`);
      return found.kind === "profile" ? found.facts : { exists: false, orgId: null, role: null };
    },
    async agent(agentId) {
      const found = await fact(`${COLLECTIONS.agents}/${agentId}`);
      return found.kind === "agent" ? found.agent : null;
    },
    async orgExists(orgId) {
      const found = await fact(`${COLLECTIONS.organizations}/${orgId}`);
      return found.kind === "org" && found.exists;
    },
    stats: () => edge.stats(),
  };
}
