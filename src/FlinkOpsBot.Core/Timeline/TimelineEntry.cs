using FlinkOpsBot.Core.Identity;

namespace FlinkOpsBot.Core.Timeline;

/// <summary>
/// One entry of a run's or an incident's timeline, in the one shape both share: what exports, the hash chain and the
/// merged incident view work on. A run's <see cref="TimelineEvent"/> becomes one with <see cref="From"/>.
/// </summary>
/// <param name="Subject">Whose timeline it belongs to: a run id (<c>R-7Q2K</c>) or an incident id (<c>INC-4F2K</c>).</param>
/// <param name="Sequence">0-based position in the subject's timeline.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Actor">Who caused it (verified), or <see cref="Actor.System"/>.</param>
/// <param name="Kind">What kind of entry.</param>
/// <param name="Text">One line for people.</param>
/// <param name="Evidence">Machine-readable facts, e.g. <c>jobId</c>, <c>savepointPath</c>, <c>runId</c>.</param>
public sealed record TimelineEntry(
    string Subject,
    int Sequence,
    DateTimeOffset At,
    Actor Actor,
    TimelineEventKind Kind,
    string Text,
    IReadOnlyDictionary<string, string> Evidence)
{
    /// <summary>The hash of the subject's previous entry (<see cref="TimelineChain.Genesis"/> for the first); null when unchained.</summary>
    public string? PreviousHash { get; init; }

    /// <summary>SHA-256 (64 lowercase hex digits) of this entry chained to <see cref="PreviousHash"/>; null when unchained.</summary>
    public string? Hash { get; init; }

    /// <summary>A run's timeline event as an entry of subject <see cref="TimelineEvent.RunId"/>.</summary>
    public static TimelineEntry From(TimelineEvent e) =>
        new(e.RunId.Value, e.Sequence, e.At, e.Actor, e.Kind, e.Text, e.Evidence) { PreviousHash = e.PreviousHash, Hash = e.Hash };
}
