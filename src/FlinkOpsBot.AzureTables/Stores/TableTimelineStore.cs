using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="ITimelineStore"/> on the <c>{prefix}timeline</c> table (<see cref="TimelineRows"/>): PartitionKey = run id, RowKey = the
/// sequence number zero-padded to ten digits, so a run's events are one partition in sequence order. Each event's JSON
/// sits beside <c>Kind</c> and <c>At</c>. Writing a key again replaces the event, as the port requires.
/// </summary>
internal sealed class TableTimelineStore(ITableClient table) : ITimelineStore
{
    /// <exception cref="ArgumentOutOfRangeException">An event's sequence number is negative (it would not sort).</exception>
    public Task AppendAsync(IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken) =>
        TimelineRows.WriteAsync(table, events, e => (e.RunId.Value, e.Sequence, e.Kind, e.At, CoreJson.Serialize(e)), cancellationToken);

    public Task<IReadOnlyList<TimelineEvent>> ListAsync(RunId runId, CancellationToken cancellationToken) =>
        TimelineRows.ReadAsync(table, runId.Value, CoreJson.DeserializeTimelineEvent, cancellationToken);
}
