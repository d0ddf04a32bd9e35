/**
 * @module coalesced-ingest
 * Ingestion requests for one agent that meet on one instance share transactions.
 *
 * Each ingest is a read-modify-write of the agent's view, so two at once contend on that document:
 * production Firestore aborts one and the SDK retries it after a backoff; the emulator keeps the loser
 * waiting for its lock timeout. An instance serves many requests at a time, so a busy agent's ingests
 * would mostly contend with each other. Here, while one transaction for an agent runs, the requests
 * that arrive for it wait, and the next transaction takes all of them (up to `maxItems` interactions):
 * one write of the view per round trip instead of one per request, so an agent's ingestion rate grows
 * with its load instead of collapsing into retries. Requests on different instances still contend.
 */
import { Abandoned, type IngestItem, type TransactOptions } from "./view-transaction";
import type { ViewContext } from "./agent-view-updates";
import type { AgentViewStore } from "./agent-views";

type Ingest = AgentViewStore["ingest"];

interface Waiting {
  items: readonly IngestItem[];
  ctx: ViewContext;
  abandoned?: () => boolean;
  resolve(result: { duplicates: Set<string> }): void;
  reject(error: unknown): void;
}

/** `store` with concurrent ingests of one agent folded into shared transactions of at most `maxItems` interactions. */
export function coalescingIngest(store: AgentViewStore, maxItems: number): AgentViewStore {
  return { ...store, ingest: coalesce(store.ingest.bind(store), maxItems) };
}

function coalesce(ingest: Ingest, maxItems: number): Ingest {
  const queues = new Map<string, Waiting[]>();

  const drain = async (agentId: string, queue: Waiting[]) => {
    while (queue.length > 0) {
      const group = takeGroup(queue, maxItems);
      if (group.length > 0) await runGroup(ingest, agentId, group);
    }
    queues.delete(agentId);
  };

  return (agentId, items, ctx, options?: TransactOptions) =>
    new Promise((resolve, reject) => {
      const waiting: Waiting = { items, ctx, abandoned: options?.abandoned, resolve, reject };
      const queue = queues.get(agentId);
      if (queue) return void queue.push(waiting);
      const fresh = [waiting];
      queues.set(agentId, fresh);
      void drain(agentId, fresh);
    });
}

/**
 * The next requests in arrival order whose interactions fit in `maxItems` together (the first always
 * goes, whatever its size). Requests abandoned while they waited are refused, not written.
 */
function takeGroup(queue: Waiting[], maxItems: number): Waiting[] {
  const group: Waiting[] = [];
  let size = 0;
  while (queue.length > 0) {
    const next = queue[0];
    if (next.abandoned?.()) {
      queue.shift();
      next.reject(new Abandoned());
      continue;
    }
    if (group.length > 0 && size + next.items.length > maxItems) break;
    group.push(next);
    size += next.items.length;
    queue.shift();
  }
  return group;
}

/** One transaction for the group; each request learns which of its own interactions were stored already. */
async function runGroup(ingest: Ingest, agentId: string, group: readonly Waiting[]): Promise<void> {
  // A client retrying while its first attempt still waits sends the same ids twice: the first request
  // to hold an id stores it, and the others count it as a duplicate.
  const claimedBy = new Map<string, Waiting>();
  const items: IngestItem[] = [];
  for (const waiting of group) {
    for (const item of waiting.items) {
      if (claimedBy.has(item.docId)) continue;
      claimedBy.set(item.docId, waiting);
      items.push(item);
    }
  }
  try {
    // Nobody waits for the group only once every request in it has given up.
    const { duplicates } = await ingest(agentId, items, group[0].ctx, { abandoned: () => group.every((w) => w.abandoned?.() ?? false) });
    for (const waiting of group) {
      const own = waiting.items.filter((item) => duplicates.has(item.docId) || claimedBy.get(item.docId) !== waiting);
      waiting.resolve({ duplicates: new Set(own.map((item) => item.docId)) });
    }
  } catch (error) {
    for (const waiting of group) waiting.reject(error);
  }
}
