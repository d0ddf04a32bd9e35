/**
 * @module demo-data
 * The demo world `npm start` loads and browser tests sign in to: two organizations, three users,
 * four agents with context sources and interactions. Deterministic (seeded), so every start shows
 * the same numbers.
 */
export const DEMO_PASSWORD = "demo-password";

export const DEMO_ORGS = [
  { id: "acme", name: "Acme AI" },
  { id: "globex", name: "Globex Research" },
];

export const DEMO_USERS = [
  // Alice also operates the local deployment (the `operator` claim): her demo key may read cache stats.
  { uid: "alice", email: "alice@acme.test", displayName: "Alice (Acme owner)", orgId: "acme", role: "owner", operator: true },
  { uid: "bob", email: "bob@acme.test", displayName: "Bob (Acme member)", orgId: "acme", role: "member" },
  { uid: "carol", email: "carol@globex.test", displayName: "Carol (Globex owner)", orgId: "globex", role: "owner" },
] as const;

export const DEMO_AGENTS = [
  { id: "support-bot", name: "Support bot", ownerId: "alice", orgId: "acme", sources: 12, interactions: 60 },
  { id: "research-assistant", name: "Research assistant", ownerId: "alice", orgId: "acme", sources: 7, interactions: 25 },
  { id: "sales-copilot", name: "Sales copilot", ownerId: "bob", orgId: "acme", sources: 5, interactions: 30 },
  { id: "globex-analyst", name: "Globex analyst", ownerId: "carol", orgId: "globex", sources: 4, interactions: 10 },
];

const TYPES = ["pdf", "docx", "text", "url", "csv", "other"] as const;
const STATUSES = ["ready", "ready", "ready", "processing", "failed"] as const;
const MODELS = ["claude-sonnet-4", "claude-haiku-4", "gpt-4.1-mini", "o4-mini"] as const;
/** Models that think before they answer: part of their output is reasoning. */
const REASONING_MODELS: ReadonlySet<string> = new Set(["o4-mini"]);
const INTERACTION_STATUSES = ["success", "success", "success", "success", "success", "success", "error", "timeout"] as const;

function seeded(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

/** The context sources of one demo agent; times are spread over the last week before `now`. */
export function demoSources(agent: (typeof DEMO_AGENTS)[number], agentIndex: number, now: Date) {
  const rand = seeded(agentIndex + 1);
  return Array.from({ length: agent.sources }, (_, i) => {
    const createdAt = new Date(now.getTime() - Math.floor(rand() * 7 * 86_400_000));
    const sizeBytes = 2_000 + Math.floor(rand() * 4_000_000);
    return {
      id: `${agent.id}-src-${String(i + 1).padStart(2, "0")}`,
      agentId: agent.id,
      type: TYPES[Math.floor(rand() * TYPES.length)],
      sizeBytes,
      tokenCount: Math.floor(sizeBytes / 4.2),
      status: STATUSES[Math.floor(rand() * STATUSES.length)],
      createdAt,
      updatedAt: createdAt,
    };
  });
}

/**
 * What an interaction's provider reports beyond the plain counts, as apps send it: Anthropic models
 * write the agent's context to the prompt cache on some calls (the first of a conversation), reasoning
 * models spend part of their output thinking, and streamed calls (most successful ones) see a first
 * token well before the last. Fields a call does not report are absent, as an app would leave them.
 */
function reportedExtras(rand: () => number, base: { model: string; outputTokens: number; latencyMs: number; status: string }) {
  const writesCache = base.model.startsWith("claude-") && rand() < 0.4;
  const reasons = REASONING_MODELS.has(base.model);
  const streams = base.status === "success" && rand() < 0.7;
  return {
    ...(writesCache && { cacheWriteTokens: 1_000 + Math.floor(rand() * 3_000) }),
    ...(reasons && { reasoningTokens: Math.floor(base.outputTokens * (0.3 + rand() * 0.5)) }),
    // The first token comes after the prompt is read: 8-35 % of the whole call, never above it.
    ...(streams && { timeToFirstTokenMs: Math.max(40, Math.floor(base.latencyMs * (0.08 + rand() * 0.27))) }),
  };
}

/** The interactions of one demo agent over the last week before `now`. */
export function demoInteractions(agent: (typeof DEMO_AGENTS)[number], agentIndex: number, now: Date) {
  const rand = seeded(100 + agentIndex);
  // A generator of its own, so the older fields keep the values they always had.
  const extra = seeded(200 + agentIndex);
  return Array.from({ length: agent.interactions }, (_, i) => {
    const base = {
      id: `int-${String(i + 1).padStart(3, "0")}`,
      agentId: agent.id,
      userId: agent.ownerId,
      model: MODELS[Math.floor(rand() * MODELS.length)],
      inputTokens: 200 + Math.floor(rand() * 6_000),
      outputTokens: 50 + Math.floor(rand() * 1_500),
      cacheReadTokens: Math.floor(rand() * 2_000),
      latencyMs: 150 + Math.floor(rand() * rand() * 6_000),
      status: INTERACTION_STATUSES[Math.floor(rand() * INTERACTION_STATUSES.length)],
      occurredAt: new Date(now.getTime() - Math.floor(rand() * 7 * 86_400_000)),
    };
    return { ...base, ...reportedExtras(extra, base) };
  });
}
