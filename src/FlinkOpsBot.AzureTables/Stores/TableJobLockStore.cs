using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="IJobLockStore"/> on the <c>{prefix}locks</c> table: PartitionKey = cluster, RowKey = job name (both
/// through <see cref="TableKeys"/>), the lock's JSON beside <c>RunId</c>, <c>RecipeId</c> and <c>AcquiredAt</c>.
/// Taking a free lock is an insert, which only one replica can win; a takeover replaces the holder's row on its
/// ETag; a release deletes it on its ETag. So a lock changes hands only through a row the writer has just read.
/// Explicit locks (<see cref="ExplicitLock"/>) live in the same table and partition with RowKey <c>!</c> + the encoded job
/// name (the holder's identity key and <c>ExpiresAt</c> beside the JSON) and change hands the same way.
/// </summary>
internal sealed class TableJobLockStore(ITableClient table) : IJobLockStore
{
    /// <summary>The RowKey prefix of explicit locks (<c>/flink lock</c>): <c>!</c> followed by the encoded job name.</summary>
    internal const string ExplicitPrefix = "!";

    public async Task<JobLock?> TryAcquireAsync(JobLock candidate, RunId? replacing, CancellationToken cancellationToken)
    {
        var held = await ClaimAsync(ToEntity(candidate), row =>
        {
            var holder = Read(row);
            return holder.RunId == candidate.RunId ? Claim.Ours : replacing == holder.RunId ? Claim.Replace : Claim.Theirs;
        }, cancellationToken);
        return held is null ? null : Read(held);
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

    public async Task<IReadOnlyList<JobLock>> ListAsync(CancellationToken cancellationToken) =>
        await ListRowsAsync(explicitLocks: false, Read, cancellationToken);

    public async Task<ExplicitLock?> TryAcquireExplicitAsync(ExplicitLock candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = await ClaimAsync(ToEntity(candidate), row =>
        {
            var holder = ReadExplicit(row);
            return holder.IsExpiredAt(now) || holder.Holder.IsSamePersonAs(candidate.Holder) ? Claim.Replace : Claim.Theirs;
        }, cancellationToken);
        return held is null ? null : ReadExplicit(held);
    }

    public async Task<ExplicitLock?> GetExplicitAsync(string cluster, string jobName, CancellationToken cancellationToken)
    {
        var entity = await table.GetEntityIfExistsAsync(TableKeys.Encode(cluster), ExplicitRowKey(jobName), cancellationToken);
        return entity is null ? null : ReadExplicit(entity);
    }

    public async Task<bool> ReplaceExplicitAsync(ExplicitLock expected, ExplicitLock? replacement, CancellationToken cancellationToken)
    {
        var current = await table.GetEntityIfExistsAsync(TableKeys.Encode(expected.Cluster), ExplicitRowKey(expected.JobName), cancellationToken);
        if (current is null || !ReadExplicit(current).IsSameLockAs(expected)) return false;
        try
        {
            if (replacement is null) await table.DeleteEntityAsync(current.PartitionKey, current.RowKey, current.ETag!, cancellationToken);
            else await table.UpdateEntityAsync(ToEntity(replacement), current.ETag!, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false; // Changed since it was read: no longer the lock the caller meant.
        }
    }

    public async Task<IReadOnlyList<ExplicitLock>> ListExplicitAsync(CancellationToken cancellationToken) =>
        await ListRowsAsync(explicitLocks: true, ReadExplicit, cancellationToken);

    private enum Claim
    {
        /// <summary>The row already is the candidate's: nothing to write.</summary>
        Ours,
        /// <summary>Someone else holds it: leave it.</summary>
        Theirs,
        /// <summary>The candidate may replace it (a takeover, an expired or the same person's lock).</summary>
        Replace,
    }

    /// <summary>
    /// Inserts <paramref name="entity"/>, which only one writer can win; when the row exists, <paramref name="judge"/>
    /// decides on the row as read, and a replacement is conditional on its ETag. Null when the candidate holds the row
    /// afterwards, otherwise the holder's row. Each pass ends, or finds that another writer changed the row in between
    /// (that writer made progress).
    /// </summary>
    private async Task<TableEntity?> ClaimAsync(TableEntity entity, Func<TableEntity, Claim> judge, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
                return null;
            }
            catch (ConcurrencyConflictException)
            {
                // Held: judge the holder below.
            }

            var current = await table.GetEntityIfExistsAsync(entity.PartitionKey, entity.RowKey, cancellationToken);
            if (current is null) continue;
            switch (judge(current))
            {
                case Claim.Ours:
                    return null;
                case Claim.Theirs:
                    return current;
            }
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

    // Run-lock rows and explicit-lock rows share the table. An explicit lock's RowKey starts with '!' (0x21), which
    // TableKeys.Encode never writes; encoded job names use only [A-Za-z0-9._~-], all at or above '-' (0x2D). So each kind
    // is one RowKey range, and the two never collide.
    private async Task<List<T>> ListRowsAsync<T>(bool explicitLocks, Func<TableEntity, T> read, CancellationToken cancellationToken)
    {
        var filter = explicitLocks
            ? TableFilter.Create($"RowKey ge {ExplicitPrefix} and RowKey lt {"\""}")
            : TableFilter.Create($"RowKey ge {"-"}");
        var rows = new List<T>();
        await foreach (var entity in table.QueryAsync(filter, maxPerPage: null, cancellationToken)) rows.Add(read(entity));
        return rows;
    }

    private static string ExplicitRowKey(string jobName) => ExplicitPrefix + TableKeys.Encode(jobName);

    private static ExplicitLock ReadExplicit(TableEntity entity) => CoreJson.DeserializeExplicitLock(JsonColumns.Read(entity));

    private static TableEntity ToEntity(ExplicitLock value)
    {
        var entity = new TableEntity(TableKeys.Encode(value.Cluster), ExplicitRowKey(value.JobName))
        {
            ["Holder"] = value.Holder.Key,
            [nameof(ExplicitLock.ExpiresAt)] = value.ExpiresAt,
        };
        JsonColumns.Write(entity, CoreJson.Serialize(value));
        return entity;
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
