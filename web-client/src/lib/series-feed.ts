/**
 * @module series-feed
 * Keeps the one time series on screen current without a reload. A series changes with every ingest,
 * and nothing pushes to the page, so the feed polls: every `intervalMs` while the page is visible it
 * sends one `If-None-Match` read, which the server answers with a 304 (an ETag comparison, on its
 * edge cache too) unless a point changed. Each 200 must be the series asked for (scope, id and
 * granularity) and verify as a series against the signing keys before listeners hear of it; any
 * other answer is never shown. Answers are held in memory
 * per series, so switching scope or range back shows the last verified points at once and asks
 * conditionally. 429/503 go through the same Retry-After gate as the metrics reads: while the
 * server says wait, polls are skipped and the last verified points stay on screen.
 */
import { ApiRequestError, type ApiClient, type MetricsScope } from "./api-client";
import type { SeriesGranularity, SeriesResponse } from "metrics-functions/contract";
import { BackoffGate, DEFAULT_BACKOFF } from "./backoff";

export interface SeriesRef {
  scope: MetricsScope;
  id: string;
  granularity: SeriesGranularity;
}

/** What a listener hears: the verified series, and the failure of the latest read if it failed. */
export interface SeriesUpdate {
  ref: SeriesRef;
  response: SeriesResponse | null;
  /** True when `response` replaced points held before (a change arrived), false for the first or a kept answer. */
  replaced: boolean;
  /** Epoch ms of the last answer (200 or 304) that confirmed `response`. */
  confirmedAt: number | null;
  error?: ApiRequestError;
}

export interface SeriesFeedOptions {
  api: Pick<ApiClient, "series">;
  verify: (response: SeriesResponse) => Promise<boolean>;
  intervalMs: number;
  /** Polls only while this is true (the page's `document.visibilityState === "visible"`). */
  isVisible?: () => boolean;
  now?: () => number;
  schedule?: (task: () => void, ms: number) => () => void;
}

interface Held {
  response: SeriesResponse;
  etag: string | null;
  confirmedAt: number;
}

const keyOf = (ref: SeriesRef) => `${ref.scope}:${ref.id}:${ref.granularity}`;
/** True when `response` is the series `ref` names, not another one the server (or a proxy) sent instead. */
const answers = (ref: SeriesRef, response: SeriesResponse) =>
  response?.data?.scope === ref.scope && response.data.id === ref.id && response.data.granularity === ref.granularity && Array.isArray(response.data.points);
const defaultSchedule = (task: () => void, ms: number) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

/**
 * Polls the watched series and tells `listener` of every change or failure.
 * @example
 * const feed = new SeriesFeed({ api, verify, intervalMs: 10_000 });
 * feed.watch({ scope: "user", id: uid, granularity: "hour" }, (update) => draw(update));
 */
export class SeriesFeed {
  private readonly held = new Map<string, Held>();
  private readonly gate: BackoffGate;
  private readonly now: () => number;
  private watched: { ref: SeriesRef; listener: (update: SeriesUpdate) => void } | null = null;
  private cancelTimer: (() => void) | null = null;
  private inFlight: Promise<void> | null = null;
  /** The watched series' last read failed: the next success is told even if nothing changed. */
  private failing = false;

  constructor(private readonly options: SeriesFeedOptions) {
    this.now = options.now ?? Date.now;
    // One attempt per poll: the next poll is the retry, and a long Retry-After keeps the gate shut.
    this.gate = new BackoffGate({ ...DEFAULT_BACKOFF, maxAttempts: 1, now: this.now, sleep: async () => undefined, random: Math.random });
  }

  /** Shows `ref` from now on: its held points at once (if any), then a read, then polls. */
  watch(ref: SeriesRef, listener: (update: SeriesUpdate) => void): Promise<void> {
    this.watched = { ref, listener };
    this.failing = false;
    const held = this.held.get(keyOf(ref));
    if (held) listener({ ref, response: held.response, replaced: false, confirmedAt: held.confirmedAt });
    // A read of the previous series may still be under way: this one follows it.
    return (this.inFlight ?? Promise.resolve()).then(() => this.poll());
  }

  /** Stops polling (on sign-out); what is held is dropped. */
  stop(): void {
    this.watched = null;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.held.clear();
  }

  /** Reads the watched series now (a visibility change, or right after the page made a change). */
  poll(): Promise<void> {
    this.inFlight ??= this.readWatched().finally(() => {
      this.inFlight = null;
      this.scheduleNext();
    });
    return this.inFlight;
  }

  private scheduleNext(): void {
    this.cancelTimer?.();
    if (!this.watched) return;
    this.cancelTimer = (this.options.schedule ?? defaultSchedule)(() => {
      if (this.options.isVisible?.() ?? true) void this.poll();
      else this.scheduleNext();
    }, this.options.intervalMs);
  }

  private async readWatched(): Promise<void> {
    const watched = this.watched;
    if (!watched) return;
    const { ref, listener } = watched;
    const key = keyOf(ref);
    const held = this.held.get(key);
    const tell = (update: Omit<SeriesUpdate, "ref">) => {
      // The user may have picked another series while this one was read.
      if (this.watched !== watched) return;
      this.failing = update.error !== undefined;
      listener({ ref, ...update });
    };
    try {
      const answer = await this.gate.run(() => this.options.api.series(ref.scope, ref.id, { granularity: ref.granularity }, held?.etag));
      if (answer.notModified) {
        if (!held) throw new ApiRequestError(304, "BAD_RESPONSE", "304 without a held series");
        held.confirmedAt = this.now();
        if (this.failing) tell({ response: held.response, replaced: false, confirmedAt: held.confirmedAt });
        return;
      }
      if (!answers(ref, answer.response)) {
        throw new ApiRequestError(200, "BAD_RESPONSE", `The answer for the ${ref.scope} ${ref.id} series was not that series.`);
      }
      if (!(await this.options.verify(answer.response))) {
        throw new ApiRequestError(200, "BAD_SIGNATURE", `The ${ref.scope} ${ref.id} series did not verify against the published signing keys.`);
      }
      const next: Held = { response: answer.response, etag: answer.etag, confirmedAt: this.now() };
      this.held.set(key, next);
      // A 200 to If-None-Match means the points differ from the held ones (the ETag digests them).
      tell({ response: next.response, replaced: held !== undefined, confirmedAt: next.confirmedAt });
    } catch (error) {
      const failure = error instanceof ApiRequestError ? error : new ApiRequestError(0, "BAD_RESPONSE", String(error));
      // Refused outright (key revoked, access withdrawn): what is held may no longer be shown.
      if (failure.status === 401 || failure.status === 403 || failure.status === 404) this.held.delete(key);
      const kept = this.held.get(key);
      tell({ response: kept?.response ?? null, replaced: false, confirmedAt: kept?.confirmedAt ?? null, error: failure });
    }
  }
}
