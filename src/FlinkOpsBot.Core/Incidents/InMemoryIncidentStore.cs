using System.Collections.Concurrent;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Incidents;

/// <summary>
/// An in-process <see cref="IIncidentStore"/> for unit tests and local mode. It stores the JSON form and enforces
/// ETags and the one-open-incident-per-channel rule like the table store.
/// </summary>
public sealed class InMemoryIncidentStore : IIncidentStore
{
    private readonly ConcurrentDictionary<IncidentId, (string Json, string ETag)> _incidents = new();
    private readonly ConcurrentDictionary<string, IncidentId> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, int), TimelineEntry> _entries = new();
    private readonly Lock _gate = new();
    private long _version;

    /// <inheritdoc />
    public Task<Versioned<Incident>?> TryOpenAsync(Incident incident, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var channel = ChannelKey(incident.Channel);
            if (_open.TryGetValue(channel, out var openId) && Get(openId) is { Value.IsOpen: true } open) return Task.FromResult<Versioned<Incident>?>(open);
            if (_incidents.ContainsKey(incident.Id)) throw new ConcurrencyConflictException($"Incident {incident.Id} already exists.");
            _incidents[incident.Id] = (CoreJson.Serialize(incident), NextETag());
            _open[channel] = incident.Id;
            return Task.FromResult<Versioned<Incident>?>(null);
        }
    }

    /// <inheritdoc />
    public Task<Versioned<Incident>?> GetAsync(IncidentId id, CancellationToken cancellationToken) => Task.FromResult(Get(id));

    /// <inheritdoc />
    public Task<Versioned<Incident>?> GetOpenAsync(ChannelRef channel, CancellationToken cancellationToken) =>
        Task.FromResult(_open.TryGetValue(ChannelKey(channel), out var id) && Get(id) is { Value.IsOpen: true } open ? open : null);

    /// <inheritdoc />
    public Task<string> ReplaceAsync(Incident incident, string etag, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_incidents.TryGetValue(incident.Id, out var stored) || stored.ETag != etag)
            {
                throw new ConcurrencyConflictException($"Incident {incident.Id} changed since it was read.");
            }
            var next = NextETag();
            _incidents[incident.Id] = (CoreJson.Serialize(incident), next);
            if (!incident.IsOpen) _open.TryRemove(KeyValuePair.Create(ChannelKey(incident.Channel), incident.Id));
            return Task.FromResult(next);
        }
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var e in entries) _entries[(e.Subject, e.Sequence)] = e;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TimelineEntry>> ListEntriesAsync(IncidentId id, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TimelineEntry>>(_entries.Values.Where(e => e.Subject == id.Value).OrderBy(e => e.Sequence).ToList());

    /// <summary>
    /// The key of the channel an incident belongs to: <c>platform:tenant:conversation</c>. Threads share their channel's
    /// incident: Slack threads have the channel's id already, and a Teams channel thread's conversation id
    /// (<c>19:…@thread.tacv2;messageid=1571508491752</c>) counts as its channel's (<c>19:…@thread.tacv2</c>).
    /// </summary>
    public static string ChannelKey(ChannelRef channel)
    {
        var conversation = channel.ConversationId;
        var thread = conversation.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        if (channel.Platform == "teams" && thread > 0) conversation = conversation[..thread];
        return $"{channel.Platform}:{channel.Tenant}:{conversation}";
    }

    private Versioned<Incident>? Get(IncidentId id) =>
        _incidents.TryGetValue(id, out var stored) ? new Versioned<Incident>(CoreJson.DeserializeIncident(stored.Json), stored.ETag) : null;

    private string NextETag() => $"W/\"{Interlocked.Increment(ref _version)}\"";
}
