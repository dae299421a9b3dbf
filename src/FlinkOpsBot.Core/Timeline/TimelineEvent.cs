using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Timeline;

/// <summary>What kind of thing a timeline event records.</summary>
public enum TimelineEventKind
{
    /// <summary>The run was requested.</summary>
    Requested,
    /// <summary>The run moved to another lifecycle state.</summary>
    Transition,
    /// <summary>A precondition or validation check was evaluated.</summary>
    Check,
    /// <summary>A step started, made progress, finished or failed.</summary>
    Step,
    /// <summary>Someone approved, rejected or cancelled.</summary>
    Decision,
    /// <summary>Something was refused (e.g. an approval by someone the gate does not allow).</summary>
    Refusal,
    /// <summary>A free-text note.</summary>
    Note,
    /// <summary>An incident was opened or closed, or a run was attached to it.</summary>
    Incident,
}

/// <summary>
/// One append-only entry of a run's timeline: who, what, when, and the evidence (JobIDs, trigger ids, savepoint
/// paths). <see cref="Sequence"/> orders a run's events; it is allocated from <see cref="Run.TimelineSequence"/>
/// in the same conditional write that records the change, so a lost race rewrites, never duplicates.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Sequence">0-based position in the run's timeline.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Actor">Who caused it (verified), or <see cref="Actor.System"/>.</param>
/// <param name="Kind">What kind of event.</param>
/// <param name="Text">One line for people.</param>
/// <param name="Evidence">Machine-readable facts, e.g. <c>jobId</c>, <c>triggerId</c>, <c>savepointPath</c>.</param>
public sealed record TimelineEvent(
    RunId RunId,
    int Sequence,
    DateTimeOffset At,
    Actor Actor,
    TimelineEventKind Kind,
    string Text,
    IReadOnlyDictionary<string, string> Evidence)
{
    /// <summary>
    /// The <see cref="Hash"/> of the run's previous event, or <see cref="TimelineChain.Genesis"/> for the first chained
    /// one; null on events written before timelines were chained ("unchained"). Set by <see cref="Engine.RunChange.Record"/>.
    /// </summary>
    public string? PreviousHash { get; init; }

    /// <summary>
    /// SHA-256 (64 lowercase hex digits) over this event's canonical form and <see cref="PreviousHash"/>
    /// (<see cref="TimelineChain.ComputeHash"/>); null on unchained events.
    /// </summary>
    public string? Hash { get; init; }
}
