using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="IDeploymentLedger"/> on the <c>{prefix}deployments</c> table: PartitionKey = cluster, RowKey = job
/// name (both through <see cref="TableKeys"/>), the record's JSON beside <c>JarName</c>, <c>JobId</c> and <c>At</c>.
/// Recording again replaces the job's current record.
/// </summary>
internal sealed class TableDeploymentLedger(ITableClient table) : IDeploymentLedger
{
    public async Task<DeploymentRecord?> GetCurrentAsync(string cluster, string jobName, CancellationToken cancellationToken)
    {
        var entity = await table.GetEntityIfExistsAsync(TableKeys.Encode(cluster), TableKeys.Encode(jobName), cancellationToken);
        return entity is null ? null : CoreJson.DeserializeDeploymentRecord(JsonColumns.Read(entity));
    }

    public async Task RecordAsync(DeploymentRecord record, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Encode(record.Cluster), TableKeys.Encode(record.JobName))
        {
            [nameof(DeploymentRecord.JarName)] = record.JarName,
            [nameof(DeploymentRecord.JobId)] = record.JobId,
            [nameof(DeploymentRecord.At)] = record.At,
        };
        JsonColumns.Write(entity, CoreJson.Serialize(record));
        await table.UpsertEntityAsync(entity, cancellationToken);
    }
}
