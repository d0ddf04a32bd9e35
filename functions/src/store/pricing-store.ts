/**
 * @module pricing-store
 * The model prices of `metrics_config/pricing`, read at most once a minute per instance (a price
 * change reaches every view at its next write, and all of them at the hourly reconcile). A missing or
 * malformed document means the shipped defaults; a malformed one is logged.
 */
import type { Firestore } from "firebase-admin/firestore";
import type { Logger } from "../config/logger";
import { pricingConfigSchema, pricingFromConfig, type Pricing } from "../domain/pricing";
import { COLLECTIONS } from "./collections";

export const PRICING_TTL_MS = 60_000;

export interface PricingSource {
  current(): Promise<Pricing>;
}

export function firestorePricingSource(db: Firestore, log: Logger, now: () => number = Date.now): PricingSource {
  let cached: { pricing: Pricing; loadedAt: number } | undefined;
  return {
    async current() {
      if (cached && now() - cached.loadedAt < PRICING_TTL_MS) return cached.pricing;
      const data = (await db.collection(COLLECTIONS.config).doc("pricing").get()).data();
      const parsed = data === undefined ? null : pricingConfigSchema.safeParse(data);
      if (parsed && !parsed.success) log.warn("pricing.invalid", { issues: parsed.error.issues.length });
      cached = { pricing: pricingFromConfig(parsed?.success ? parsed.data : null), loadedAt: now() };
      return cached.pricing;
    },
  };
}
