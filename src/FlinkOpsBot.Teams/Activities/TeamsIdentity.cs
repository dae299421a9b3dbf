using System.Collections.Concurrent;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Teams.Connector;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>
/// Who sent a verified activity, as Core's <see cref="Actor"/>: <c>teams:{tenant id}:{Entra object id}</c>, never a
/// display name. The UPN (<see cref="Actor.Upn"/>, for approvers named by UPN) comes only from the Connector's member
/// API, called with the bot's own token, and is cached per person; a failed look-up leaves it null and is retried next time.
/// </summary>
internal sealed class TeamsIdentity(ConnectorClient connector, TimeProvider time, ILogger<TeamsIdentity> logger)
{
    public const string Platform = "teams";

    /// <summary>People whose UPN is remembered at most; beyond, the cache starts over.</summary>
    private const int MaxCachedPeople = 10_000;

    /// <summary>How long a look-up may take: a card click waits for it, and Teams for the click's answer.</summary>
    private static readonly TimeSpan LookupBudget = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, string?> _upns = new(StringComparer.Ordinal);

    /// <summary>The sender's verified identity without the UPN; null when the activity carries no Entra object id or tenant.</summary>
    public static Actor? ActorOf(Activity activity) =>
        activity is { From.AadObjectId: { Length: > 0 } objectId, TenantId: { Length: > 0 } tenant }
            ? new Actor(Platform, tenant, objectId, activity.From.Name is { Length: > 0 } name ? name : objectId)
            : null;

    /// <summary>Where the verified activity happened: the conversation, the message it replies to (if any), and its serviceUrl.</summary>
    public static ChannelRef ChannelOf(Activity activity, Actor actor, Uri verifiedServiceUrl) =>
        new(Platform, actor.Tenant, activity.Conversation?.Id ?? "", string.IsNullOrEmpty(activity.ReplyToId) ? null : activity.ReplyToId,
            verifiedServiceUrl.AbsoluteUri);

    /// <summary>The sender with their UPN when the Connector knows it.</summary>
    public async Task<Actor> WithUpnAsync(Actor actor, Activity activity, Uri serviceUrl, CancellationToken cancellationToken)
    {
        if (_upns.TryGetValue(actor.Key, out var cached)) return actor with { Upn = cached };
        if (activity is not { Conversation.Id: { Length: > 0 } conversationId, From.Id: { Length: > 0 } memberId }) return actor;
        using var budget = new CancellationTokenSource(LookupBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            var member = await connector.GetMemberAsync(serviceUrl, conversationId, memberId, linked.Token);
            // Only a member record about this very person counts.
            var upn = string.Equals(member.AadObjectId, actor.Id, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(member.UserPrincipalName)
                ? member.UserPrincipalName
                : null;
            if (_upns.Count >= MaxCachedPeople) _upns.Clear();
            _upns[actor.Key] = upn;
            return actor with { Upn = upn };
        }
        catch (Exception e) when (e is TeamsApiException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            TeamsLog.UpnLookupFailed(logger, e, actor.Key);
            return actor;
        }
    }
}
