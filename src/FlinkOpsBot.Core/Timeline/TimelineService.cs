using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Timeline;

/// <summary>
/// Reads timelines for people and the post-mortem: a run's, or an incident's merged with those of its runs, as a
/// <see cref="TimelineDocument"/>; and recomputes their hash chains (<see cref="TimelineChain.Verify"/>). Only
/// committed entries count: those below the subject's timeline sequence (a lost race's leftovers are hidden).
/// </summary>
public sealed class TimelineService
{
    private readonly IRunStore _runs;
    private readonly ITimelineStore _timeline;
    private readonly IIncidentStore _incidents;

    /// <summary>Creates the service over the stores.</summary>
    public TimelineService(IRunStore runs, ITimelineStore timeline, IIncidentStore incidents)
    {
        _runs = runs;
        _timeline = timeline;
        _incidents = incidents;
    }

    /// <summary>
    /// The timeline of <paramref name="subject"/>, a run id (<c>R-7Q2K</c>) or an incident id (<c>INC-4F2K</c>), any
    /// case; null when it is neither or there is no such run or incident.
    /// </summary>
    public async Task<TimelineDocument?> LoadAsync(string subject, CancellationToken cancellationToken)
    {
        if (RunId.TryParse(subject, out var runId)) return await RunDocumentAsync(runId, cancellationToken);
        if (IncidentId.TryParse(subject, out var incidentId)) return await IncidentDocumentAsync(incidentId, cancellationToken);
        return null;
    }

    /// <summary>A run's timeline, or null if there is no such run.</summary>
    public async Task<TimelineDocument?> RunDocumentAsync(RunId id, CancellationToken cancellationToken)
    {
        if (await _runs.GetAsync(id, cancellationToken) is not { Value: var run }) return null;
        var entries = await RunEntriesAsync(run, cancellationToken);
        return new TimelineDocument(run.Id.Value, $"{run.RecipeId} {run.JobName} on {run.Cluster}", RunFacts(run), entries);
    }

    /// <summary>An incident's own entries merged with those of its runs, by time; or null if there is no such incident.</summary>
    public async Task<TimelineDocument?> IncidentDocumentAsync(IncidentId id, CancellationToken cancellationToken)
    {
        if (await _incidents.GetAsync(id, cancellationToken) is not { Value: var incident }) return null;
        var own = await IncidentEntriesAsync(incident, cancellationToken);
        var merged = new List<TimelineEntry>(own);
        foreach (var runId in incident.Runs)
        {
            if (await _runs.GetAsync(runId, cancellationToken) is { Value: var run }) merged.AddRange(await RunEntriesAsync(run, cancellationToken));
        }
        // Same instant: the runs' entries first (a run is attached to the incident just after it is requested), then by
        // timeline and order.
        var ordered = merged
            .OrderBy(e => e.At)
            .ThenBy(e => e.Subject == incident.Id.Value ? 1 : 0)
            .ThenBy(e => e.Subject, StringComparer.Ordinal)
            .ThenBy(e => e.Sequence)
            .ToList();
        var facts = new Dictionary<string, string>
        {
            ["status"] = incident.IsOpen ? "open" : "closed",
            ["opened"] = $"{incident.OpenedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {incident.OpenedBy.DisplayName} ({incident.OpenedBy.Key})",
            ["channel"] = $"{incident.Channel.Platform} {incident.Channel.ConversationId}",
        };
        if (incident.ClosedAt is { } closedAt) facts["closed"] = $"{closedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {incident.ClosedBy?.DisplayName} ({incident.ClosedBy?.Key})";
        if (incident.Summary is { } summary) facts["summary"] = summary;
        facts["runs"] = incident.Runs.Count == 0 ? "none" : string.Join(", ", incident.Runs);
        return new TimelineDocument(incident.Id.Value, incident.Title, facts, ordered);
    }

    /// <summary>
    /// Recomputes the hash chain of <paramref name="subject"/>'s timeline: one report for a run, or for an incident one
    /// for its own entries and one for each of its runs. Null when there is no such run or incident.
    /// </summary>
    public async Task<IReadOnlyList<ChainReport>?> VerifyAsync(string subject, CancellationToken cancellationToken)
    {
        if (RunId.TryParse(subject, out var runId))
        {
            if (await _runs.GetAsync(runId, cancellationToken) is not { Value: var run }) return null;
            return [await VerifyRunAsync(run, cancellationToken)];
        }
        if (!IncidentId.TryParse(subject, out var incidentId) || await _incidents.GetAsync(incidentId, cancellationToken) is not { Value: var incident }) return null;
        var reports = new List<ChainReport>
        {
            TimelineChain.Verify(incident.Id.Value, await IncidentEntriesAsync(incident, cancellationToken), incident.TimelineHead),
        };
        foreach (var id in incident.Runs)
        {
            if (await _runs.GetAsync(id, cancellationToken) is { Value: var run }) reports.Add(await VerifyRunAsync(run, cancellationToken));
        }
        return reports;
    }

    private async Task<ChainReport> VerifyRunAsync(Run run, CancellationToken cancellationToken) =>
        TimelineChain.Verify(run.Id.Value, await RunEntriesAsync(run, cancellationToken), run.TimelineHead);

    private async Task<List<TimelineEntry>> RunEntriesAsync(Run run, CancellationToken cancellationToken) =>
        (await _timeline.ListAsync(run.Id, cancellationToken)).Where(e => e.Sequence < run.TimelineSequence).Select(TimelineEntry.From).ToList();

    private async Task<List<TimelineEntry>> IncidentEntriesAsync(Incident incident, CancellationToken cancellationToken) =>
        (await _incidents.ListEntriesAsync(incident.Id, cancellationToken)).Where(e => e.Sequence < incident.TimelineSequence).ToList();

    private static Dictionary<string, string> RunFacts(Run run)
    {
        var facts = new Dictionary<string, string>
        {
            ["state"] = run.State.ToString(),
            ["requested"] = $"{run.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {run.Requester.DisplayName} ({run.Requester.Key})",
            ["recipe"] = run.RecipeId,
            ["job"] = run.JobId is null ? run.JobName : $"{run.JobName} ({run.JobId})",
            ["cluster"] = run.Cluster,
        };
        if (run.EndedAt is { } ended) facts["ended"] = $"{ended.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z";
        if (run.Summary is { } summary) facts["summary"] = summary;
        return facts;
    }
}
