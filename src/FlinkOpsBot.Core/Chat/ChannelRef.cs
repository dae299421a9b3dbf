namespace FlinkOpsBot.Core.Chat;

/// <summary>
/// Where a command came from and where its run's card is shown: one conversation on one chat platform.
/// </summary>
/// <param name="Platform">The channel kind: <c>slack</c>, <c>teams</c> or <c>local</c>.</param>
/// <param name="Tenant">Slack team id or Entra tenant id; empty for the local shell.</param>
/// <param name="ConversationId">Slack channel id (<c>C…</c>/<c>G…</c>/<c>D…</c>), Teams conversation id, or <c>shell</c>.</param>
/// <param name="ThreadId">The thread the command was typed in, if any (Slack <c>thread_ts</c>, Teams reply-chain id).</param>
/// <param name="Endpoint">
/// Where the platform serves this conversation, when it says so per request: Teams' verified <c>serviceUrl</c> (e.g.
/// <c>https://smba.trafficmanager.net/amer/</c>), kept with the run so its card can be posted after a restart. Set only
/// by an adapter from a verified request; null for Slack and the shell.
/// </param>
public sealed record ChannelRef(string Platform, string Tenant, string ConversationId, string? ThreadId = null, string? Endpoint = null)
{
    /// <summary>The local shell's single conversation.</summary>
    public static ChannelRef LocalShell { get; } = new("local", "", "shell");
}
