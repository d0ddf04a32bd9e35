/**
 * @module fold-task-queue
 * The production fold scheduler: one Cloud Tasks task per agent and slot, on the queue of the
 * `foldAgentView` function. Every request of a slot names the same task id (`foldSlot`), so the queue
 * keeps exactly one whichever instance asks first, and the others' requests are answered
 * "already exists"; this instance also remembers the slots it asked for, so a busy agent costs one
 * Cloud Tasks call per instance and second rather than one per write. On the emulator the same calls
 * reach the Cloud Tasks emulator that firebase-tools starts beside the functions.
 */
import type { App } from "firebase-admin/app";
import { getFunctions } from "firebase-admin/functions";
import { foldSlot, type FoldScheduler } from "./fold-scheduler";

/**
 * What a fold task carries: the agent, and when its slot's fold is due. Cloud Tasks dispatches at the
 * schedule time; the Cloud Tasks emulator dispatches at once, so the handler also waits for `runAt`
 * (a fold run before its slot ended could miss the slot's last writes, whose requests name this task).
 */
export interface FoldTask {
  agentId: string;
  runAt: number;
}

/** The task queue function that runs folds (index.ts). */
const FOLD_FUNCTION = "foldAgentView";

/** How many slots this instance remembers having asked for, at most. */
const REMEMBERED = 10_000;

export function taskQueueFoldScheduler(app: App, now: () => number = Date.now): FoldScheduler {
  const queue = getFunctions(app).taskQueue<FoldTask>(FOLD_FUNCTION);
  const asked = new Set<string>();
  return {
    async request(agentId) {
      const { id, runAt } = foldSlot(agentId, now());
      if (asked.has(id)) return;
      try {
        await queue.enqueue({ agentId, runAt }, { id, scheduleTime: new Date(runAt) });
      } catch (error) {
        if ((error as { code?: unknown }).code !== "functions/task-already-exists") throw error;
      }
      if (asked.size >= REMEMBERED) asked.clear();
      asked.add(id);
    },
  };
}
