/**
 * @module agent-change
 * One write to a source document of an agent (a context source or an interaction), reduced to what
 * the views need: which agents it touches, what it takes away from each and what it adds. A document
 * whose `agentId` changed is taken from one agent and given to the other by the same change.
 */

/** The kinds of source document an agent view sums. */
export type ChangeKind = "source" | "interaction";

/** A counted document on one side of a change (null when absent, invalid, or already counted). */
export interface ChangeSide<T> {
  agentId: string;
  value: T;
}

export interface AgentChange<T> {
  /** The delivery's event id: redeliveries carry the same one. */
  eventId: string;
  /** When the write was committed; views whose snapshot is at or after it already include it. */
  committedAt: Date;
  /**
   * Set when the commit time is known only coarsely (a delete known by an event time to the second,
   * as the emulator sends it): the commit was at or after `committedAt` and before this.
   */
  committedBefore?: Date;
  before: ChangeSide<T> | null;
  after: ChangeSide<T> | null;
}

/**
 * Whether a view whose snapshot was read at `watermark` already holds the change ("read"), does not
 * ("after"), or cannot tell because the commit time is too coarse ("unsure").
 */
export function seenBy(change: Pick<AgentChange<unknown>, "committedAt" | "committedBefore">, watermark: Date | null): "read" | "after" | "unsure" {
  if (!watermark || change.committedAt > watermark) return "after";
  if (!change.committedBefore || change.committedBefore.getTime() - 1 <= watermark.getTime()) return "read";
  return "unsure";
}

/** The agents whose views the change touches, without repeats. */
export function touchedAgents<T>(change: AgentChange<T>): string[] {
  const ids = [change.before?.agentId, change.after?.agentId].filter((id): id is string => Boolean(id));
  return [...new Set(ids)];
}

/** What the change removes from and adds to one agent's totals. */
export function deltaFor<T>(change: AgentChange<T>, agentId: string): { removed: T | null; added: T | null } {
  return {
    removed: change.before?.agentId === agentId ? change.before.value : null,
    added: change.after?.agentId === agentId ? change.after.value : null,
  };
}
