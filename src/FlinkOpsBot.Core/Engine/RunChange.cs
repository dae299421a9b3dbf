using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Engine;

/// <summary>
/// A change being made to one run: the run as read (with its ETag) and the timeline events the change adds. Events
/// take their sequence numbers from the run, so they are written by the same conditional write that records the change.
/// </summary>
public sealed class RunChange
{
    private readonly List<TimelineEvent> _events = [];

    /// <summary>Starts a change of a run read at <paramref name="etag"/>.</summary>
    public RunChange(Run run, string etag, DateTimeOffset now)
    {
        Run = run;
        ETag = etag;
        Now = now;
    }

    /// <summary>The run being changed.</summary>
    public Run Run { get; }

    /// <summary>The ETag the run was read at.</summary>
    public string ETag { get; }

    /// <summary>The time of the change (UTC).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The events added so far.</summary>
    public IReadOnlyList<TimelineEvent> Events => _events;

    /// <summary>
    /// Adds a timeline event, chained to the run's previous one (<see cref="TimelineChain"/>): it carries the hash of
    /// <see cref="Run.TimelineHead"/> and becomes the new head.
    /// </summary>
    public void Record(Actor actor, TimelineEventKind kind, string text, IReadOnlyDictionary<string, string>? evidence = null)
    {
        var e = TimelineChain.Seal(
            new TimelineEvent(Run.Id, Run.TimelineSequence++, Now, actor, kind, text, evidence ?? new Dictionary<string, string>()),
            Run.TimelineHead ?? TimelineChain.Genesis);
        Run.TimelineHead = e.Hash;
        _events.Add(e);
    }
}
