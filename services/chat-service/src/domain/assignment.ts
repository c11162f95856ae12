/** An online agent and how many OPEN conversations they hold. */
export interface AgentLoad {
  agentId: string;
  open: number;
}

export interface Assignment {
  conversationId: string;
  agentId: string;
}

/**
 * Automatic assignment: queued conversations, oldest first, each to the online agent with the fewest
 * open conversations, while that is below the cap. Ties go to the agent listed first (the caller
 * lists them by their earliest last assignment, so work rotates).
 */
export function planAssignments(
  queue: readonly string[],
  agents: readonly AgentLoad[],
  cap: number,
): Assignment[] {
  const loads = agents.map((agent) => ({ ...agent }));
  const plan: Assignment[] = [];
  for (const conversationId of queue) {
    let best: AgentLoad | undefined;
    for (const agent of loads) if (agent.open < cap && (!best || agent.open < best.open)) best = agent;
    if (!best) break;
    best.open += 1;
    plan.push({ conversationId, agentId: best.agentId });
  }
  return plan;
}

/**
 * The wait of the conversation at `position` (1 = next): agents at their cap free a place every
 * `averageHandleSeconds / (agents × cap)` seconds on average. Null when no agent is online.
 */
export function estimateWaitSeconds(
  position: number,
  onlineAgents: number,
  cap: number,
  averageHandleSeconds: number,
): number | null {
  if (onlineAgents <= 0) return null;
  return Math.ceil((position * averageHandleSeconds) / (onlineAgents * Math.max(1, cap)));
}
