using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Slack.WebApi;

namespace FlinkOpsBot.Slack.Groups;

/// <summary>
/// Slack user groups (<c>S…</c>) for the authorization policy: <c>usergroups.users.list</c> with the bot token (scope
/// <c>usergroups:read</c>), one call per group asked about. The policy caches the answers (<see cref="CachingGroupDirectory"/>).
/// </summary>
internal sealed class SlackGroupDirectory(SlackWebApiClient slack) : IGroupDirectory
{
    /// <inheritdoc />
    public string Platform => SlackChannel.PlatformName;

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> MemberOfAsync(Actor actor, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var member = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groupIds)
        {
            IReadOnlyList<string> users;
            try
            {
                users = await slack.UserGroupUsersAsync(group, cancellationToken);
            }
            catch (SlackApiException e)
            {
                var hint = e.Error switch
                {
                    "missing_scope" => "; add the usergroups:read scope to the Slack app and reinstall it",
                    "no_such_subteam" => "; the policy names a user group this workspace does not have",
                    _ => "",
                };
                throw new GroupLookupException($"Slack {e.Method} for {group} failed: {e.Error}{hint}", e);
            }
            if (users.Contains(actor.Id, StringComparer.Ordinal)) member.Add(group);
        }
        return member;
    }
}
