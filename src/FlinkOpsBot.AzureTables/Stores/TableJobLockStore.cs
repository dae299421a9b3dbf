using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="IJobLockStore"/> on the <c>{prefix}locks</c> table: PartitionKey = cluster, RowKey = job name (both
/// through <see cref="TableKeys"/>), the lock's JSON beside <c>RunId</c>, <c>RecipeId</c> and <c>AcquiredAt</c>.
/// Taking a free lock is an insert, which only one replica can win; a takeover replaces the holder's row on its
/// ETag; a release deletes it on its ETag. So a lock changes hands only through a row the writer has just read.
/// </summary>
internal sealed class TableJobLockStore(ITableClient table) : IJobLockStore
{
    public async Task<JobLock?> TryAcquireAsync(JobLock candidate, RunId? replacing, CancellationToken cancellationToken)
    {
        var entity = ToEntity(candidate);
        // Each pass ends, or finds that another writer changed the row in between; that writer made progress.
        while (true)
        {
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
                return null;
            }
            catch (ConcurrencyConflictException)
            {
                // Held: look at the holder below.
            }

            var current = await table.GetEntityIfExistsAsync(entity.PartitionKey, entity.RowKey, cancellationToken);
            if (current is null) continue;
            var holder = Read(current);
            if (holder.RunId == candidate.RunId) return null;
            if (replacing != holder.RunId) return holder;
            try
            {
                await table.UpdateEntityAsync(entity, current.ETag!, cancellationToken);
                return null;
            }
            catch (ConcurrencyConflictException)
            {
                // Released or taken over since it was read: start again.
            }
        }
    }

    public async Task ReleaseAsync(string cluster, string jobName, RunId holder, CancellationToken cancellationToken)
    {
        var current = await table.GetEntityIfExistsAsync(TableKeys.Encode(cluster), TableKeys.Encode(jobName), cancellationToken);
        if (current is null || Read(current).RunId != holder) return;
        try
        {
            await table.DeleteEntityAsync(current.PartitionKey, current.RowKey, current.ETag!, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Taken over since it was read: no longer the holder's to release.
        }
    }

    public async Task<JobLock?> GetAsync(string cluster, string jobName, CancellationToken cancellationToken)
    {
        var entity = await table.GetEntityIfExistsAsync(TableKeys.Encode(cluster), TableKeys.Encode(jobName), cancellationToken);
        return entity is null ? null : Read(entity);
    }

    private static JobLock Read(TableEntity entity) => CoreJson.DeserializeJobLock(JsonColumns.Read(entity));

    private static TableEntity ToEntity(JobLock value)
    {
        var entity = new TableEntity(TableKeys.Encode(value.Cluster), TableKeys.Encode(value.JobName))
        {
            [nameof(JobLock.RunId)] = value.RunId.Value,
            [nameof(JobLock.RecipeId)] = value.RecipeId,
            [nameof(JobLock.AcquiredAt)] = value.AcquiredAt,
        };
        JsonColumns.Write(entity, CoreJson.Serialize(value));
        return entity;
    }
}
