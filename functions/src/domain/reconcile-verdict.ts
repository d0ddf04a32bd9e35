/**
 * @module reconcile-verdict
 * What the hourly reconcile concludes about one stored view, given the view recomputed from source.
 * The verdicts are ordered by severity: a view that drifted from source (or was tampered with) is
 * repaired; one whose totals are right but whose windows have rolled on since it was rendered is
 * re-rendered; one signed by a key that is no longer active is re-signed; anything else is left alone.
 */
import { canonicalJson } from "../contract/canonical-json";
import type { ViewContent } from "./metrics-view";

export type Verdict = "repaired" | "rolled" | "resigned" | "unchanged";

export interface VerdictInput {
  /** False when the stored view is missing or its signature does not verify. */
  authentic: boolean;
  /** The stored state rendered now: what the view would say without any repair. */
  storedNow: ViewContent | null;
  /** The content as stored (rendered when it was last written). */
  storedAsWritten: ViewContent | null;
  /** The content recomputed from source now. */
  truth: ViewContent;
  signedWithActiveKey: boolean;
}

const same = (a: ViewContent | null, b: ViewContent) => a !== null && canonicalJson(a) === canonicalJson(b);

export function verdictFor(input: VerdictInput): Verdict {
  if (!input.authentic || !same(input.storedNow, input.truth)) return "repaired";
  if (!same(input.storedAsWritten, input.truth)) return "rolled";
  return input.signedWithActiveKey ? "unchanged" : "resigned";
}
