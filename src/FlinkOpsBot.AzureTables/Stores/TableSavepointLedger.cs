using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="ISavepointLedger"/> on the <c>{prefix}savepoints</c> table: PartitionKey = cluster and job name (each
/// through <see cref="TableKeys"/>, joined by <c>~~</c>, which an encoded name never holds), RowKey = the savepoint's
/// name; the record's fields as columns. Recording the same name again replaces the row. A job's savepoints are one
/// partition, read whole and ordered newest first in memory (a job keeps tens, not thousands).
/// </summary>
internal sealed class TableSavepointLedger(ITableClient table) : ISavepointLedger
{
    public async Task RecordAsync(SavepointRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await table.UpsertEntityAsync(ToEntity(record), cancellationToken);
    }

    public async Task<IReadOnlyList<SavepointRecord>> ListAsync(string cluster, string jobName, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var rows = new List<SavepointRecord>();
        var filter = TableFilter.Create($"PartitionKey eq {Partition(cluster, jobName)}");
        await foreach (var entity in table.QueryAsync(filter, maxPerPage: null, cancellationToken)) rows.Add(Read(entity));
        return SavepointLedgerOrder.NewestFirst(rows, max);
    }

    public async Task<bool> MarkDeletedAsync(string cluster, string jobName, string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entity = await table.GetEntityIfExistsAsync(Partition(cluster, jobName), TableKeys.Encode(name), cancellationToken);
            if (entity is null) return false;
            var record = Read(entity);
            if (record.DeletedAt is not null) return true;
            try
            {
                await table.UpdateEntityAsync(ToEntity(record with { DeletedAt = at }), entity.ETag!, cancellationToken);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                // Recorded again (a path arrived) since it was read: read it again and mark that.
            }
        }
    }

    private static string Partition(string cluster, string jobName) => TableKeys.Encode(cluster) + "~~" + TableKeys.Encode(jobName);

    private static TableEntity ToEntity(SavepointRecord record)
    {
        var entity = new TableEntity(Partition(record.Cluster, record.JobName), TableKeys.Encode(record.Name))
        {
            [nameof(SavepointRecord.Cluster)] = record.Cluster,
            [nameof(SavepointRecord.JobName)] = record.JobName,
            [nameof(SavepointRecord.JobId)] = record.JobId,
            [nameof(SavepointRecord.Name)] = record.Name,
            [nameof(SavepointRecord.Kind)] = record.Kind.ToString(),
            [nameof(SavepointRecord.At)] = record.At,
        };
        if (record.Path is not null) entity[nameof(SavepointRecord.Path)] = record.Path;
        if (record.RunId is { } runId) entity[nameof(SavepointRecord.RunId)] = runId.Value;
        if (record.DeletedAt is { } deleted) entity[nameof(SavepointRecord.DeletedAt)] = deleted;
        return entity;
    }

    private static SavepointRecord Read(TableEntity entity) => new(
        entity.GetString(nameof(SavepointRecord.Cluster))!,
        entity.GetString(nameof(SavepointRecord.JobName))!,
        entity.GetString(nameof(SavepointRecord.JobId))!,
        entity.GetString(nameof(SavepointRecord.Name))!,
        entity.GetString(nameof(SavepointRecord.Path)),
        Enum.TryParse<SavepointKind>(entity.GetString(nameof(SavepointRecord.Kind)), out var kind) ? kind : SavepointKind.Savepoint,
        entity.GetString(nameof(SavepointRecord.RunId)) is { } runId && RunId.TryParse(runId, out var id) ? id : null,
        entity.GetDateTimeOffset(nameof(SavepointRecord.At))!.Value,
        entity.GetDateTimeOffset(nameof(SavepointRecord.DeletedAt)));
}
