using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="IIncidentStore"/> on two tables. <c>{prefix}incidents</c>: an incident is one entity, PartitionKey =
/// incident id, RowKey <c>incident</c>, its JSON beside <c>Title</c>, <c>IsOpen</c> and <c>OpenedAt</c>; and the
/// partition <c>open</c> holds one row per channel with an open incident (RowKey = <c>platform:tenant:conversation</c>
/// through <see cref="TableKeys"/>, column <c>IncidentId</c>), written with a conditional insert, so only one incident
/// can be opened per channel even by two replicas at once. <c>{prefix}timeline</c>: the incident's own entries beside
/// the runs' events, PartitionKey = incident id (never a run id: <c>INC-</c> against <c>R-</c>), RowKey = sequence
/// zero-padded to ten digits.
/// </summary>
internal sealed class TableIncidentStore(ITableClient incidents, ITableClient timeline) : IIncidentStore
{
    private const string IncidentRowKey = "incident";
    private const string OpenPartition = "open";
    private const string IncidentIdColumn = "IncidentId";

    public async Task<Versioned<Incident>?> TryOpenAsync(Incident incident, CancellationToken cancellationToken)
    {
        var marker = new TableEntity(OpenPartition, ChannelRowKey(incident.Channel)) { [IncidentIdColumn] = incident.Id.Value };
        // Each pass ends, or finds that the channel's marker changed in between; that writer made progress.
        while (true)
        {
            try
            {
                await incidents.AddEntityAsync(marker, cancellationToken);
                break;
            }
            catch (ConcurrencyConflictException)
            {
                // The channel has a marker: look at its incident below.
            }
            var current = await incidents.GetEntityIfExistsAsync(marker.PartitionKey, marker.RowKey, cancellationToken);
            if (current is null) continue;
            var holderId = current.GetString(IncidentIdColumn);
            var holder = holderId is not null && IncidentId.TryParse(holderId, out var id) ? await GetAsync(id, cancellationToken) : null;
            if (holder is { Value.IsOpen: true }) return holder;
            try
            {
                // Stale: its incident is closed (a close that stopped before removing the marker) or never landed.
                await incidents.UpdateEntityAsync(marker, current.ETag!, cancellationToken);
                break;
            }
            catch (ConcurrencyConflictException)
            {
                // Taken or removed since it was read: start again.
            }
        }
        try
        {
            await incidents.AddEntityAsync(ToEntity(incident), cancellationToken);
            return null;
        }
        catch (ConcurrencyConflictException e)
        {
            await RemoveMarkerAsync(incident, cancellationToken);
            throw new ConcurrencyConflictException($"Incident {incident.Id} already exists.", e);
        }
    }

    public async Task<Versioned<Incident>?> GetAsync(IncidentId id, CancellationToken cancellationToken)
    {
        var entity = await incidents.GetEntityIfExistsAsync(id.Value, IncidentRowKey, cancellationToken);
        return entity is null ? null : new Versioned<Incident>(CoreJson.DeserializeIncident(JsonColumns.Read(entity)), entity.ETag!);
    }

    public async Task<Versioned<Incident>?> GetOpenAsync(ChannelRef channel, CancellationToken cancellationToken)
    {
        var marker = await incidents.GetEntityIfExistsAsync(OpenPartition, ChannelRowKey(channel), cancellationToken);
        if (marker?.GetString(IncidentIdColumn) is not { } text || !IncidentId.TryParse(text, out var id)) return null;
        return await GetAsync(id, cancellationToken) is { Value.IsOpen: true } open ? open : null;
    }

    public async Task<string> ReplaceAsync(Incident incident, string etag, CancellationToken cancellationToken)
    {
        string next;
        try
        {
            next = await incidents.UpdateEntityAsync(ToEntity(incident), etag, cancellationToken);
        }
        catch (ConcurrencyConflictException e)
        {
            throw new ConcurrencyConflictException($"Incident {incident.Id} changed since it was read.", e);
        }
        if (!incident.IsOpen) await RemoveMarkerAsync(incident, cancellationToken);
        return next;
    }

    /// <exception cref="ArgumentOutOfRangeException">An entry's sequence number is negative (it would not sort).</exception>
    public Task AppendAsync(IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken) =>
        TimelineRows.WriteAsync(timeline, entries, e => (e.Subject, e.Sequence, e.Kind, e.At, CoreJson.Serialize(e)), cancellationToken);

    public Task<IReadOnlyList<TimelineEntry>> ListEntriesAsync(IncidentId id, CancellationToken cancellationToken) =>
        TimelineRows.ReadAsync(timeline, id.Value, CoreJson.DeserializeTimelineEntry, cancellationToken);

    private async Task RemoveMarkerAsync(Incident incident, CancellationToken cancellationToken)
    {
        var marker = await incidents.GetEntityIfExistsAsync(OpenPartition, ChannelRowKey(incident.Channel), cancellationToken);
        if (marker is null || marker.GetString(IncidentIdColumn) != incident.Id.Value) return;
        try
        {
            await incidents.DeleteEntityAsync(marker.PartitionKey, marker.RowKey, marker.ETag!, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Another incident took the channel since: not ours to remove.
        }
    }

    private static string ChannelRowKey(ChannelRef channel) => TableKeys.Encode(InMemoryIncidentStore.ChannelKey(channel));

    private static TableEntity ToEntity(Incident incident)
    {
        var entity = new TableEntity(incident.Id.Value, IncidentRowKey)
        {
            [nameof(Incident.Title)] = incident.Title,
            [nameof(Incident.IsOpen)] = incident.IsOpen,
            [nameof(Incident.OpenedAt)] = incident.OpenedAt,
        };
        JsonColumns.Write(entity, CoreJson.Serialize(incident));
        return entity;
    }
}
