using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Incidents;

/// <summary>
/// Incidents and their own timeline entries. Every write of an incident is conditional on its ETag; the
/// one-open-incident-per-channel rule is kept by the store with a conditional insert, so two replicas cannot both
/// open one in the same channel. Entries are keyed by (incident, sequence): a writer that lost a race on the incident
/// rewrites sequence numbers the winner then owns, and readers ignore entries at or beyond
/// <see cref="Incident.TimelineSequence"/>.
/// </summary>
public interface IIncidentStore
{
    /// <summary>
    /// Stores a new, open incident and makes it its channel's open incident. Returns null when done, or the incident
    /// already open in that channel (nothing is stored then).
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">An incident with that id exists; draw another id.</exception>
    Task<Versioned<Incident>?> TryOpenAsync(Incident incident, CancellationToken cancellationToken);

    /// <summary>The incident with its ETag, or null if there is none with that id.</summary>
    Task<Versioned<Incident>?> GetAsync(IncidentId id, CancellationToken cancellationToken);

    /// <summary>The incident open in <paramref name="channel"/> (same platform, tenant and conversation), or null.</summary>
    Task<Versioned<Incident>?> GetOpenAsync(ChannelRef channel, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the incident if it is still at <paramref name="etag"/> and returns the new ETag; when it is now
    /// closed, its channel no longer has an open incident.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">It changed since it was read.</exception>
    Task<string> ReplaceAsync(Incident incident, string etag, CancellationToken cancellationToken);

    /// <summary>Writes entries of incidents (subject = incident id) keyed by (subject, sequence); writing a key again overwrites it.</summary>
    Task AppendAsync(IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken);

    /// <summary>An incident's own entries in sequence order, as stored (including a lost race's leftovers).</summary>
    Task<IReadOnlyList<TimelineEntry>> ListEntriesAsync(IncidentId id, CancellationToken cancellationToken);
}
