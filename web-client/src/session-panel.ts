/**
 * @module session-panel
 * The sign-in form and the signed-in line. Sign-in errors are shown as the SDK words them, since the
 * Auth emulator's messages ("auth/invalid-credential") are what a developer needs to see.
 */
import type { Session } from "./firebase-session";
import { byId } from "./view/element";

/**
 * Wires the session section of index.html to `session`.
 * @example mountSessionPanel(startSession(location.hostname));
 */
export function mountSessionPanel(session: Session): void {
  const form = byId("sign-in-form", HTMLFormElement);
  const signedIn = byId("signed-in", HTMLDivElement);
  const who = byId("user-email", HTMLElement);
  const message = byId("session-message", HTMLParagraphElement);

  session.onChange((email) => {
    form.hidden = email !== null;
    signedIn.hidden = email === null;
    who.textContent = email ?? "";
    message.textContent = email === null ? "Not signed in." : "";
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    message.textContent = "Signing in…";
    try {
      await session.signIn(String(fields.get("email") ?? ""), String(fields.get("password") ?? ""));
      form.reset();
    } catch (error) {
      message.textContent = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  });

  byId("sign-out", HTMLButtonElement).addEventListener("click", () => {
    session.signOut().catch((error: unknown) => {
      message.textContent = `Sign-out failed: ${error instanceof Error ? error.message : String(error)}`;
    });
  });
}
