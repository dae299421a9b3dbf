using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Incidents;

/// <summary>
/// An incident opened in one channel (<c>/flink incident start</c>): runs started in that channel while it is open
/// attach to it, notes go on its timeline, and its timeline merges its own entries with those of its runs. At most
/// one incident is open per channel. Persisted with an ETag, like a run; its entries are chained like a run's.
/// </summary>
public sealed class Incident
{
    /// <summary>The short id people type, e.g. <c>INC-4F2K</c>.</summary>
    public required IncidentId Id { get; init; }

    /// <summary>What the incident is about, as typed at start (one line).</summary>
    public required string Title { get; init; }

    /// <summary>The channel it was opened in; runs started there attach to it while it is open.</summary>
    public required ChannelRef Channel { get; init; }

    /// <summary>Who opened it (verified).</summary>
    public required Actor OpenedBy { get; init; }

    /// <summary>When it was opened (UTC).</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>When it was closed (UTC), or null while open.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Who closed it (verified), or null while open.</summary>
    public Actor? ClosedBy { get; set; }

    /// <summary>The summary given at close, if any.</summary>
    public string? Summary { get; set; }

    /// <summary>The runs attached to it, in the order they started.</summary>
    public List<RunId> Runs { get; set; } = [];

    /// <summary>The number of the incident's own timeline entries so far; the next entry's sequence number.</summary>
    public int TimelineSequence { get; set; }

    /// <summary>The hash of the incident's last own timeline entry (the head of its chain); null before the first.</summary>
    public string? TimelineHead { get; set; }

    /// <summary>True until it is closed.</summary>
    public bool IsOpen => ClosedAt is null;
}
