/**
 * @module priced-views
 * The agent views a change of prices affects: those whose `_models` list holds a model the change
 * re-prices, or says "*" (they priced more names than they list). A change of exact keys only is
 * found with one `array-contains-any` query per 30 names, reading views that hold those names and no
 * other. A changed `prefix*` key can match names no config spells out, and Firestore cannot match a
 * prefix inside an array, so it pages through every view's `_models` (one small projected read per
 * view, for a rare administrative write); either way only views holding a re-priced model are returned.
 */
import { FieldPath, type Firestore, type Query } from "firebase-admin/firestore";
import { COLLECTIONS } from "../documents/collections";
import { ANY_MODEL } from "./view-codec";

/** Firestore's limit on the values of one `array-contains-any`. */
const PER_QUERY = 30;
/** Views read per page of a full scan. */
const PAGE = 500;

/**
 * The ids of the agent views to re-price after a change of the config `keys` (`changedModels`), where
 * `repriced` tells whether a model name now costs differently (`repricedBy`). Sorted.
 */
export async function agentsPricedFor(db: Firestore, keys: readonly string[], repriced: (model: string) => boolean): Promise<string[]> {
  const views = db.collection(COLLECTIONS.agentViews);
  const ids = new Set<string>();
  const keep = (docs: ReadonlyArray<{ id: string; get(field: string): unknown }>) => {
    for (const doc of docs) {
      const models = doc.get("_models");
      if (Array.isArray(models) && models.some((m) => typeof m === "string" && (m === ANY_MODEL || repriced(m)))) ids.add(doc.id);
    }
  };
  if (keys.some((key) => key.endsWith("*"))) {
    let page: Query = views.orderBy(FieldPath.documentId()).select("_models").limit(PAGE);
    for (;;) {
      const { docs } = await page.get();
      keep(docs);
      if (docs.length < PAGE) break;
      page = page.startAfter(docs[docs.length - 1]);
    }
  } else {
    const names = [...keys, ANY_MODEL];
    const pages = [];
    for (let i = 0; i < names.length; i += PER_QUERY) pages.push(views.where("_models", "array-contains-any", names.slice(i, i + PER_QUERY)).select("_models").get());
    for (const page of await Promise.all(pages)) keep(page.docs);
  }
  return [...ids].sort();
}
