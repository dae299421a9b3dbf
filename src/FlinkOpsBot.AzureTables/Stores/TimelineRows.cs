using System.Globalization;
using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// The rows of the <c>{prefix}timeline</c> table, shared by runs' events (<see cref="TableTimelineStore"/>) and
/// incidents' entries (<see cref="TableIncidentStore"/>): PartitionKey = the run or incident id, RowKey = the sequence
/// number zero-padded to ten digits (so a partition reads in sequence order), the entry's JSON beside <c>Kind</c> and <c>At</c>.
/// </summary>
internal static class TimelineRows
{
    /// <summary>Upserts one row per entry (writing a key again replaces it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A sequence number is negative (it would not sort); nothing is written.</exception>
    public static async Task WriteAsync<T>(ITableClient table, IReadOnlyList<T> entries, Func<T, (string Subject, int Sequence, TimelineEventKind Kind, DateTimeOffset At, string Json)> row,
        CancellationToken cancellationToken)
    {
        var rows = entries.Select(row).ToList();
        foreach (var r in rows) ArgumentOutOfRangeException.ThrowIfNegative(r.Sequence, nameof(entries));
        foreach (var r in rows)
        {
            var entity = new TableEntity(r.Subject, r.Sequence.ToString("D10", CultureInfo.InvariantCulture))
            {
                [nameof(TimelineEntry.Kind)] = r.Kind.ToString(),
                [nameof(TimelineEntry.At)] = r.At,
            };
            JsonColumns.Write(entity, r.Json);
            await table.UpsertEntityAsync(entity, cancellationToken);
        }
    }

    /// <summary>A subject's rows in sequence order, each read from its JSON.</summary>
    public static async Task<IReadOnlyList<T>> ReadAsync<T>(ITableClient table, string subject, Func<string, T> read, CancellationToken cancellationToken) =>
        await table.QueryAsync(TableFilter.Create($"PartitionKey eq {subject}"), maxPerPage: null, cancellationToken)
            .Select(entity => read(JsonColumns.Read(entity)))
            .ToListAsync(cancellationToken);
}
