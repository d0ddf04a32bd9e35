/**
 * @module stored-view-check
 * The one check an edge cache makes before it serves a stored view, or renders a series from one:
 * authentic for the scope and id asked for (`isAuthentic`), and not older than a revision this
 * instance has already seen (`RevisionFloor`), and of the layout the contract serves now (a view written
 * before a field was added lacks it: `view.layout-outdated`, rebuilt once, which is how views gain new
 * fields with no migration). A view that fails is logged (`view.signature-invalid` or
 * `view.revision-regressed`) and the caller rebuilds it from source; one that passes raises the floor.
 */
import type { Logger } from "../config/logger";
import { isAuthentic, type Scope } from "../metrics/metrics-view";
import type { Keyring } from "../signing/signing";
import type { StoredView } from "../agent-views/stored-view";
import type { RevisionFloor } from "../cache/revision-floor";
import * as logs from "../config/logs";
import { interactionsBlock, metricsData } from "../contract/schemas/metrics";
import type { MetricsView } from "../metrics/metrics-view";

const VIEW_FIELDS = Object.keys(metricsData.shape).filter((field) => field !== "agentCount");
const INTERACTION_FIELDS = Object.keys(interactionsBlock.shape);

/**
 * Whether a view has every field the contract serves now. Its values need no check (the signature
 * vouches for them); a field added since it was written is what makes it stale, and testing for the
 * fields costs about 1 µs where parsing the whole view costs 30 on every store load.
 */
function hasCurrentLayout(view: MetricsView): boolean {
  const record = view as unknown as Record<string, unknown>;
  const interactions = (view.interactions ?? {}) as unknown as Record<string, unknown>;
  return VIEW_FIELDS.every((field) => field in record) && INTERACTION_FIELDS.every((field) => field in interactions);
}

export interface StoredViewCheck {
  /** True when `stored` may be served as the view of `scope`/`id`; false (and logged) otherwise. */
  servable(scope: Scope, id: string, stored: StoredView | null): stored is StoredView;
  /** Records a view just rebuilt from source (its version), or an agent that no longer exists (null). */
  rebuilt(scope: Scope, id: string, version: number | null): void;
}

export function storedViewCheck({ keyring, log, revisions }: { keyring: Keyring; log: Logger; revisions: RevisionFloor }): StoredViewCheck {
  return {
    servable(scope, id, stored): stored is StoredView {
      if (!stored) return false;
      if (!isAuthentic(stored.sealed, keyring, scope, id)) {
        logs.viewSignatureInvalid(log, { scope, id, keyId: stored.sealed.signature?.keyId ?? null });
        return false;
      }
      const { version } = stored.sealed.data;
      if (!hasCurrentLayout(stored.sealed.data)) {
        logs.viewLayoutOutdated(log, { scope, id, version });
        return false;
      }
      if (!revisions.admits(scope, id, version)) {
        logs.viewRevisionRegressed(log, { scope, id, version, seen: revisions.highest(scope, id) ?? null });
        return false;
      }
      revisions.saw(scope, id, version);
      return true;
    },
    rebuilt: (scope, id, version) => revisions.rebuilt(scope, id, version),
  };
}
