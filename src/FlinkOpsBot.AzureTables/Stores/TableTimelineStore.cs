using System.Globalization;
using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="ITimelineStore"/> on the <c>{prefix}timeline</c> table: PartitionKey = run id, RowKey = the sequence
/// number zero-padded to ten digits, so a run's events are one partition in sequence order. Each event's JSON sits
/// beside <c>Kind</c> and <c>At</c>. Writing a key again replaces the event, as the port requires.
/// </summary>
internal sealed class TableTimelineStore(ITableClient table) : ITimelineStore
{
    /// <exception cref="ArgumentOutOfRangeException">An event's sequence number is negative (it would not sort).</exception>
    public async Task AppendAsync(IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events) ArgumentOutOfRangeException.ThrowIfNegative(e.Sequence, nameof(events));
        foreach (var e in events)
        {
            var entity = new TableEntity(e.RunId.Value, e.Sequence.ToString("D10", CultureInfo.InvariantCulture))
            {
                [nameof(TimelineEvent.Kind)] = e.Kind.ToString(),
                [nameof(TimelineEvent.At)] = e.At,
            };
            JsonColumns.Write(entity, CoreJson.Serialize(e));
            await table.UpsertEntityAsync(entity, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<TimelineEvent>> ListAsync(RunId runId, CancellationToken cancellationToken) =>
        await table.QueryAsync(TableFilter.Create($"PartitionKey eq {runId.Value}"), maxPerPage: null, cancellationToken)
            .Select(entity => CoreJson.DeserializeTimelineEvent(JsonColumns.Read(entity)))
            .ToListAsync(cancellationToken);
}
