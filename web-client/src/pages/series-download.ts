/**
 * @module series-download
 * The series panel's "Download CSV": the range on screen, read once more as CSV through the page's
 * API client (the session and the page's key, as every read), saved as a file. The CSV is not signed
 * (its ETag names the signed revision it was rendered from), so it is fetched from the API rather
 * than written from the verified points: it is the server's own export, the one a script would get.
 * The button is enabled only while a series is shown, and disabled while a download is under way.
 */
import { describeError, errorState } from "../describe-error";
import type { ApiClient } from "metrics-web-client";
import { byId } from "../view/element";
import { csvFileName, saveTextFile, type SeriesRange } from "../view/save-file";
import { stateMessage } from "../view/state-message";

export interface SeriesDownloadDeps {
  api: Pick<ApiClient, "seriesCsv">;
  /** The series on screen, as the API answered it; null while none is. */
  shown: () => SeriesRange | null;
}

/** Rows of a CSV text without its header (CRLF line ends, one per row, the last one too). */
const dataRows = (text: string) => Math.max(0, text.split("\r\n").filter((line) => line !== "").length - 1);

/**
 * Wires `#series-download`; `refresh()` follows what the panel shows, `forget()` drops the message
 * of a previous download (another series is being shown: "Saved …" would name the wrong one).
 * @example const download = mountSeriesDownload({ api, shown: () => range }); download.refresh();
 */
export function mountSeriesDownload(deps: SeriesDownloadDeps): { refresh: () => void; forget: () => void } {
  const button = byId("series-download", HTMLButtonElement);
  const status = byId("series-download-status", HTMLDivElement);
  let busy = false;
  const refresh = () => {
    button.disabled = busy || deps.shown() === null;
  };

  button.addEventListener("click", async () => {
    const range = deps.shown();
    if (!range || busy) return;
    busy = true;
    refresh();
    status.replaceChildren(stateMessage("loading", "Preparing the CSV…"));
    try {
      const { text } = await deps.api.seriesCsv(range.scope, range.id, { granularity: range.granularity, from: range.from, to: range.to });
      const name = csvFileName(range);
      saveTextFile(text, name, "text/csv");
      status.replaceChildren(stateMessage("ok", `Saved ${name} (${dataRows(text)} rows).`));
    } catch (error) {
      status.replaceChildren(stateMessage(errorState(error), `The CSV could not be downloaded: ${describeError(error)}`));
    } finally {
      busy = false;
      refresh();
    }
  });
  refresh();
  return {
    refresh,
    forget() {
      if (!busy) status.replaceChildren();
    },
  };
}
