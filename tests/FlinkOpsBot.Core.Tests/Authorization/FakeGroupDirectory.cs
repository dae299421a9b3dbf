using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Identity;

namespace FlinkOpsBot.Core.Tests.Authorization;

/// <summary>A platform's groups as a table (group id → member ids), counting the lookups; or failing, like a missing scope.</summary>
internal sealed class FakeGroupDirectory(string platform, Dictionary<string, string[]> groups, string? failure = null) : IGroupDirectory
{
    public string Platform => platform;

    public int Lookups { get; private set; }

    public Task<IReadOnlySet<string>> MemberOfAsync(Actor actor, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        Lookups++;
        if (failure is not null) throw new GroupLookupException(failure);
        IReadOnlySet<string> member = groupIds.Where(g => groups.TryGetValue(g, out var ids) && ids.Contains(actor.Id)).ToHashSet();
        return Task.FromResult(member);
    }
}
