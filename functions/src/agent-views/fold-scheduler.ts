/**
 * @module fold-scheduler
 * When an agent's recorded deltas get folded into its view. Every writer asks for a fold after it has
 * recorded a delta; the scheduler turns those requests into at most one fold per agent per slot
 * (one second by default), run at the end of the slot, so the view document is written at most about
 * once a second however many writers there are, and the last write of a burst is folded within one
 * slot plus the fold's own time (the trailing fold a function alone cannot time).
 *
 * In production the slot's fold is a Cloud Tasks task whose id is derived from the agent and the slot:
 * every request of the slot names the same task and the queue keeps one (`agent-views/fold-task-queue`). The
 * in-process scheduler here does the same with a timer, for tests and local tools.
 */
import { createHash } from "node:crypto";

export interface FoldScheduler {
  /** Asks for a fold of `agentId` soon; resolves once the request is taken (not once the fold ran). */
  request(agentId: string): Promise<void>;
}

/** How long a fold slot lasts. */
const FOLD_SLOT_MS = 1_000;
/** How long after its slot ends the slot's fold runs, so writes committed at the slot's very end are in. */
const FOLD_SLOT_MARGIN_MS = 100;

/**
 * The slot a request made at `nowMs` belongs to: the task id every request of that slot shares, and
 * when the slot's fold runs. Ids start with a hash, as Cloud Tasks advises, so they spread over its
 * key space instead of growing in order.
 * @example foldSlot("support-bot", 1_700_000_000_250).runAt // 1_700_000_001_100
 */
export function foldSlot(agentId: string, nowMs: number, slotMs = FOLD_SLOT_MS): { id: string; runAt: number } {
  const slot = Math.floor(nowMs / slotMs);
  const id = createHash("sha256").update(`${agentId}\u0000${slot}`).digest("hex").slice(0, 32);
  return { id: `fold-${id}`, runAt: (slot + 1) * slotMs + FOLD_SLOT_MARGIN_MS };
}

/**
 * A scheduler that folds in this process: one timer per agent and slot, errors reported to `onError`.
 * `slotMs` may be shortened by tests.
 */
export function inProcessFoldScheduler(fold: (agentId: string) => Promise<unknown>, options: { slotMs?: number; onError: (agentId: string, error: unknown) => void; now?: () => number }): FoldScheduler {
  const now = options.now ?? Date.now;
  const armed = new Set<string>();
  return {
    async request(agentId) {
      const { id, runAt } = foldSlot(agentId, now(), options.slotMs);
      if (armed.has(id)) return;
      armed.add(id);
      setTimeout(() => {
        armed.delete(id);
        fold(agentId).catch((error) => options.onError(agentId, error));
      }, Math.max(0, runAt - now()));
    },
  };
}

/**
 * `primary`, with a fold in this process when it cannot take a request (Cloud Tasks unreachable): the
 * write is already stored, so its fold must not be lost with the request.
 */
export function withInProcessFallback(primary: FoldScheduler, fold: (agentId: string) => Promise<unknown>, onError: (agentId: string, error: unknown, stage: "request" | "fold") => void): FoldScheduler {
  return {
    async request(agentId) {
      try {
        await primary.request(agentId);
      } catch (error) {
        onError(agentId, error, "request");
        fold(agentId).catch((foldError) => onError(agentId, foldError, "fold"));
      }
    },
  };
}
