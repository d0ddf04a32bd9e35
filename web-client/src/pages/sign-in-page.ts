/**
 * @module sign-in-page
 * The sign-in form, with one-click fills for the demo users `npm start` loads. Errors are shown as
 * the SDK words them ("auth/invalid-credential"), which is what a developer needs to search for.
 */
import type { Session } from "../firebase/session";
import { byId, el } from "../view/element";
import { stateMessage } from "../view/state-message";

const DEMO_USERS = ["alice@acme.test", "bob@acme.test", "carol@globex.test"];
const DEMO_PASSWORD = "demo-password";

/**
 * Wires the sign-in section of index.html to `session`.
 * @example mountSignIn(session);
 */
export function mountSignIn(session: Session): void {
  const form = byId("sign-in-form", HTMLFormElement);
  const message = byId("sign-in-message", HTMLDivElement);
  const email = form.elements.namedItem("email") as HTMLInputElement;
  const password = form.elements.namedItem("password") as HTMLInputElement;

  byId("demo-users", HTMLDivElement).replaceChildren(
    ...DEMO_USERS.map((user) => {
      const fill = el("button", { className: "secondary", text: user });
      fill.type = "button";
      fill.addEventListener("click", () => {
        email.value = user;
        password.value = DEMO_PASSWORD;
      });
      return fill;
    }),
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.replaceChildren(stateMessage("loading", "Signing in…"));
    try {
      await session.signIn(email.value, password.value);
      form.reset();
      message.replaceChildren();
    } catch (error) {
      message.replaceChildren(stateMessage("error", `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  });
}
