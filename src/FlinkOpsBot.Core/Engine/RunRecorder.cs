using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Engine;

/// <summary>
/// Writes run changes: the timeline events first (keyed by run and sequence, so a lost race is overwritten by the
/// winner), then the run, conditional on its ETag; then publishes the change to chat. Readers of a timeline ignore
/// events at or beyond the run's <see cref="Run.TimelineSequence"/>, which hides a loser's leftovers.
/// </summary>
public sealed class RunRecorder
{
    private readonly IRunStore _runs;
    private readonly ITimelineStore _timeline;
    private readonly IRunPublisher _publisher;
    private readonly TimeProvider _time;

    /// <summary>Creates the recorder.</summary>
    public RunRecorder(IRunStore runs, ITimelineStore timeline, IRunPublisher publisher, TimeProvider time)
    {
        _runs = runs;
        _timeline = timeline;
        _publisher = publisher;
        _time = time;
    }

    /// <summary>Reads a run for a change, or null if there is no such run.</summary>
    public async Task<RunChange?> BeginAsync(RunId id, CancellationToken cancellationToken) =>
        await _runs.GetAsync(id, cancellationToken) is { } stored ? new RunChange(stored.Value, stored.ETag, _time.GetUtcNow()) : null;

    /// <summary>
    /// Stores a new run with its first events. It is not published here: the command's own reply announces it, and
    /// the engine's first tick posts the card, so the chat acknowledgement never waits on a chat API call.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The run id is taken.</exception>
    public async Task CreateAsync(RunChange change, CancellationToken cancellationToken)
    {
        change.Run.UpdatedAt = change.Now;
        await _timeline.AppendAsync(change.Events, cancellationToken);
        await _runs.CreateAsync(change.Run, cancellationToken);
    }

    /// <summary>Stores the change and publishes it.</summary>
    /// <exception cref="ConcurrencyConflictException">The run changed since the change began; re-read and re-decide.</exception>
    public async Task CommitAsync(RunChange change, CancellationToken cancellationToken)
    {
        change.Run.UpdatedAt = change.Now;
        if (change.Events.Count > 0) await _timeline.AppendAsync(change.Events, cancellationToken);
        await _runs.ReplaceAsync(change.Run, change.ETag, cancellationToken);
        await _publisher.PublishAsync(change.Run, change.Events, cancellationToken);
    }

    /// <summary>A run's timeline as committed (leftovers of lost races filtered out).</summary>
    public async Task<IReadOnlyList<TimelineEvent>> TimelineAsync(Run run, CancellationToken cancellationToken) =>
        (await _timeline.ListAsync(run.Id, cancellationToken)).Where(e => e.Sequence < run.TimelineSequence).ToList();
}
