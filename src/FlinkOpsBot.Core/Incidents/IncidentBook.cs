using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Incidents;

/// <summary>
/// Writes incidents: open one in a channel, attach a run, add a note, close it. Every change reads the incident, adds
/// its timeline entries (chained to <see cref="Incident.TimelineHead"/>, sequence numbers from the incident), writes
/// the entries and then the incident on its ETag; a lost race re-reads and re-applies, so two notes typed at once are
/// both kept, in some order.
/// </summary>
public sealed class IncidentBook
{
    private const int MaxConflictRetries = 8;
    private readonly IIncidentStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the book over <paramref name="store"/>, dating entries with <paramref name="time"/>.</summary>
    public IncidentBook(IIncidentStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>The store (for reads).</summary>
    public IIncidentStore Store => _store;

    /// <summary>
    /// Opens an incident titled <paramref name="title"/> in <paramref name="channel"/>. Returns it, or (with
    /// <c>Opened</c> null) the incident already open in that channel.
    /// </summary>
    public async Task<(Incident? Opened, Incident? AlreadyOpen)> OpenAsync(string title, Actor actor, ChannelRef channel, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = _time.GetUtcNow();
            var incident = new Incident { Id = IncidentId.New(), Title = title, Channel = channel with { ThreadId = null }, OpenedBy = actor, OpenedAt = now };
            var entry = Next(incident, now, actor, $"{actor.Mention} opened the incident: {title}", new Dictionary<string, string> { ["channel"] = channel.ConversationId });
            // The entry is written first: if the open loses (another incident is open), the leftover entry is never read,
            // as it is at or beyond no stored incident's sequence.
            await _store.AppendAsync([entry], cancellationToken);
            try
            {
                return await _store.TryOpenAsync(incident, cancellationToken) is { } open ? (null, open.Value) : (incident, null);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                // The id was taken: draw another.
            }
        }
    }

    /// <summary>
    /// Attaches <paramref name="run"/> to the incident open in the channel it was started in, with an entry that names
    /// the run; returns the incident, or null when none is open there.
    /// </summary>
    public async Task<Incident?> AttachRunAsync(Run run, CancellationToken cancellationToken)
    {
        if (await _store.GetOpenAsync(run.Origin, cancellationToken) is not { Value: var open }) return null;
        return await ChangeAsync(open.Id, (incident, now) =>
        {
            if (incident.Runs.Contains(run.Id)) return null;
            incident.Runs.Add(run.Id);
            return [(run.Requester, $"{run.Id} ({run.RecipeId} {run.JobName} on {run.Cluster}) started by {run.Requester.Mention} and attached",
                new Dictionary<string, string> { ["runId"] = run.Id.Value, ["recipe"] = run.RecipeId, ["job"] = run.JobName, ["cluster"] = run.Cluster })];
        }, cancellationToken);
    }

    /// <summary>
    /// Records on the incident open in <paramref name="channel"/> that <paramref name="actor"/> was refused
    /// <paramref name="what"/> (e.g. <c>approve R-7Q2K</c>) and why, so the post-mortem shows who tried what; the run or
    /// the lock the attempt was about is not touched. Returns the incident, or null when none is open there.
    /// </summary>
    public async Task<Incident?> RecordRefusalAsync(ChannelRef channel, Actor actor, string what, string reason, CancellationToken cancellationToken)
    {
        if (await _store.GetOpenAsync(channel, cancellationToken) is not { Value: var open }) return null;
        return await ChangeAsync(open.Id, (_, _) => [(actor, $"{actor.Mention} was refused `{what}`: {reason}",
            new Dictionary<string, string> { ["refused"] = what })], cancellationToken, TimelineEventKind.Refusal);
    }

    /// <summary>Adds a note by <paramref name="actor"/> to the incident; null when there is no such incident.</summary>
    public Task<Incident?> AddNoteAsync(IncidentId id, Actor actor, string text, CancellationToken cancellationToken) =>
        ChangeAsync(id, (_, _) => [(actor, text, new Dictionary<string, string>())], cancellationToken, TimelineEventKind.Note);

    /// <summary>
    /// Closes the incident with an optional summary; null when there is no such incident. Closing a closed incident
    /// changes nothing and returns it as it is.
    /// </summary>
    public Task<Incident?> CloseAsync(IncidentId id, Actor actor, string? summary, CancellationToken cancellationToken) =>
        ChangeAsync(id, (incident, now) =>
        {
            if (!incident.IsOpen) return null;
            incident.ClosedAt = now;
            incident.ClosedBy = actor;
            incident.Summary = summary;
            return [(actor, $"{actor.Mention} closed the incident" + (summary is null ? "" : ": " + summary), new Dictionary<string, string>())];
        }, cancellationToken);

    private async Task<Incident?> ChangeAsync(
        IncidentId id,
        Func<Incident, DateTimeOffset, List<(Actor Actor, string Text, Dictionary<string, string> Evidence)>?> change,
        CancellationToken cancellationToken,
        TimelineEventKind kind = TimelineEventKind.Incident)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await _store.GetAsync(id, cancellationToken) is not { } stored) return null;
            var incident = stored.Value;
            var now = _time.GetUtcNow();
            if (change(incident, now) is not { Count: > 0 } added) return incident;
            var entries = added.Select(a => Next(incident, now, a.Actor, a.Text, a.Evidence, kind)).ToList();
            await _store.AppendAsync(entries, cancellationToken);
            try
            {
                await _store.ReplaceAsync(incident, stored.ETag, cancellationToken);
                return incident;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                // Someone else changed it first: re-read and apply again.
            }
        }
    }

    private static TimelineEntry Next(Incident incident, DateTimeOffset now, Actor actor, string text, Dictionary<string, string> evidence, TimelineEventKind kind = TimelineEventKind.Incident)
    {
        var entry = TimelineChain.Seal(new TimelineEntry(incident.Id.Value, incident.TimelineSequence++, now, actor, kind, text, evidence),
            incident.TimelineHead ?? TimelineChain.Genesis);
        incident.TimelineHead = entry.Hash;
        return entry;
    }
}
