/**
 * @module source-change
 * One write to a `context_sources` document, reduced to what the views need: which agents it
 * touches, what it takes away from each and what it adds. A source whose `agentId` changed is taken
 * from one agent and given to the other by the same change.
 */
import type { SourceContribution } from "./source-metrics";

/** A counted source on one side of a change (null when absent or invalid on that side). */
export interface SourceSide {
  agentId: string;
  source: SourceContribution;
}

export interface SourceChange {
  /** The delivery's event id: redeliveries carry the same one. */
  eventId: string;
  /** When the write was committed; views whose snapshot is at or after it already include it. */
  committedAt: Date;
  before: SourceSide | null;
  after: SourceSide | null;
}

/** The agents whose views the change touches, without repeats. */
export function touchedAgents(change: SourceChange): string[] {
  const ids = [change.before?.agentId, change.after?.agentId].filter((id): id is string => Boolean(id));
  return [...new Set(ids)];
}

/** What the change removes from and adds to one agent's totals. */
export function deltaFor(change: SourceChange, agentId: string): { removed: SourceContribution | null; added: SourceContribution | null } {
  return {
    removed: change.before?.agentId === agentId ? change.before.source : null,
    added: change.after?.agentId === agentId ? change.after.source : null,
  };
}
