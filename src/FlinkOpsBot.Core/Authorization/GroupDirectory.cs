using System.Collections.Concurrent;
using FlinkOpsBot.Core.Identity;

namespace FlinkOpsBot.Core.Authorization;

/// <summary>
/// Group membership as a chat platform knows it: Slack user groups (<c>usergroups.users.list</c>) or Entra ID groups
/// (Microsoft Graph). Each adapter implements it for its own platform; the policy asks only about actors of that platform.
/// </summary>
public interface IGroupDirectory
{
    /// <summary>The platform whose actors and groups this directory knows: <c>slack</c> or <c>teams</c>.</summary>
    string Platform { get; }

    /// <summary>
    /// The subset of <paramref name="groupIds"/> (Slack <c>S…</c> ids, or Entra group object ids in lower case) that
    /// <paramref name="actor"/> is a member of, transitively where the platform says so.
    /// </summary>
    /// <exception cref="GroupLookupException">The platform did not answer; the caller refuses (fails closed) and says why.</exception>
    Task<IReadOnlySet<string>> MemberOfAsync(Actor actor, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken);
}

/// <summary>A group directory could not answer (network, missing scope or permission); the message is one plain line.</summary>
public sealed class GroupLookupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Caches another directory's answers per person and group for <see cref="Lifetime"/> (default 5 minutes), so a busy
/// channel does not call Slack or Graph on every click, and a person removed from a group loses the right within that
/// time. Failures are not cached.
/// </summary>
public sealed class CachingGroupDirectory : IGroupDirectory
{
    /// <summary>How long an answer is reused by default.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly IGroupDirectory _inner;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Actor, string Group), (bool Member, DateTimeOffset Until)> _cache = new();

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="lifetime"/> defaults to <see cref="DefaultLifetime"/>.</summary>
    public CachingGroupDirectory(IGroupDirectory inner, TimeProvider time, TimeSpan? lifetime = null)
    {
        _inner = inner;
        _time = time;
        Lifetime = lifetime ?? DefaultLifetime;
    }

    /// <summary>How long an answer is reused.</summary>
    public TimeSpan Lifetime { get; }

    /// <inheritdoc />
    public string Platform => _inner.Platform;

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> MemberOfAsync(Actor actor, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var member = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var group in groupIds.Distinct(StringComparer.Ordinal))
        {
            if (_cache.TryGetValue((actor.Key, group), out var cached) && cached.Until > now)
            {
                if (cached.Member) member.Add(group);
            }
            else
            {
                unknown.Add(group);
            }
        }
        if (unknown.Count == 0) return member;
        var fresh = await _inner.MemberOfAsync(actor, unknown, cancellationToken);
        foreach (var group in unknown)
        {
            var isMember = fresh.Contains(group);
            _cache[(actor.Key, group)] = (isMember, now + Lifetime);
            if (isMember) member.Add(group);
        }
        return member;
    }
}
