using System.Globalization;
using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="IRunStore"/> on the <c>{prefix}runs</c> table. A run is one entity, PartitionKey = run id, RowKey
/// <c>run</c>: its JSON (<see cref="JsonColumns"/>) beside <c>State</c>, <c>IsActive</c>, <c>RecipeId</c>,
/// <c>Cluster</c>, <c>JobName</c> and <c>CreatedAt</c> for ad-hoc queries. Two index partitions in the same table
/// keep the lists from scanning history:
/// <list type="bullet">
/// <item><c>active</c> / run id: one row per run that is not over. Written before the run (create, and every
/// replace that leaves the run active, which also heals a lost row); removed lazily by
/// <see cref="ListActiveAsync"/> once the run is terminal (terminal is final), or when the run never landed
/// (a create that failed between the two writes) and the row is older than <see cref="OrphanGrace"/>.</item>
/// <item><c>recent</c> / inverted creation ticks + run id: newest first in key order (the "log tail" pattern), so
/// <see cref="ListRecentAsync"/> reads the first rows only. Written before the run at create; a row whose run
/// is missing or has another creation time (a create that lost an id collision) is skipped.</item>
/// </list>
/// Both lists then read each run by id, in parallel, so they return the current version.
/// </summary>
internal sealed class TableRunStore(ITableClient table, TimeProvider time) : IRunStore
{
    /// <summary>How long an active-index row may point at a run that does not exist before it is removed.</summary>
    internal static readonly TimeSpan OrphanGrace = TimeSpan.FromMinutes(10);

    private const string RunRowKey = "run";
    private const string ActivePartition = "active";
    private const string RecentPartition = "recent";
    private const string CreatedAt = nameof(Run.CreatedAt);

    public async Task<Versioned<Run>?> GetAsync(RunId id, CancellationToken cancellationToken)
    {
        var entity = await table.GetEntityIfExistsAsync(id.Value, RunRowKey, cancellationToken);
        return entity is null ? null : new Versioned<Run>(CoreJson.DeserializeRun(JsonColumns.Read(entity)), entity.ETag!);
    }

    public async Task<string> CreateAsync(Run run, CancellationToken cancellationToken)
    {
        var recent = new TableEntity(RecentPartition, RecentRowKey(run));
        await Task.WhenAll(
            table.UpsertEntityAsync(recent, cancellationToken),
            run.State.IsTerminal() ? Task.CompletedTask : table.UpsertEntityAsync(ActiveRow(run), cancellationToken));
        try
        {
            return await table.AddEntityAsync(ToEntity(run), cancellationToken);
        }
        catch (ConcurrencyConflictException e)
        {
            throw new ConcurrencyConflictException($"Run {run.Id} already exists.", e);
        }
    }

    public async Task<string> ReplaceAsync(Run run, string etag, CancellationToken cancellationToken)
    {
        if (!run.State.IsTerminal()) await table.UpsertEntityAsync(ActiveRow(run), cancellationToken);
        try
        {
            return await table.UpdateEntityAsync(ToEntity(run), etag, cancellationToken);
        }
        catch (ConcurrencyConflictException e)
        {
            throw new ConcurrencyConflictException($"Run {run.Id} changed since it was read, or was deleted.", e);
        }
    }

    public async Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {ActivePartition}"), maxPerPage: null, cancellationToken)
            .ToListAsync(cancellationToken);
        var runs = await Task.WhenAll(rows.Select(row => ReadActiveAsync(row, cancellationToken)));
        return runs.OfType<Run>().ToList();
    }

    public async Task<IReadOnlyList<Run>> ListRecentAsync(int max, CancellationToken cancellationToken)
    {
        var runs = new List<Run>();
        if (max <= 0) return runs;
        var rows = table.QueryAsync(TableFilter.Create($"PartitionKey eq {RecentPartition}"), maxPerPage: max, cancellationToken);
        await foreach (var chunk in rows.Chunk(max))
        {
            var found = await Task.WhenAll(chunk.Select(row => ReadRecentAsync(row, cancellationToken)));
            runs.AddRange(found.OfType<Run>().Take(max - runs.Count));
            if (runs.Count == max) break;
        }
        return runs;
    }

    private async Task<Run?> ReadActiveAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var run = (await GetAsync(RunId.Parse(row.RowKey), cancellationToken))?.Value;
        if (run is not null && !run.State.IsTerminal()) return run;
        if (run is not null || time.GetUtcNow() - row.GetDateTimeOffset(CreatedAt) > OrphanGrace)
        {
            await table.DeleteEntityAsync(ActivePartition, row.RowKey, "*", cancellationToken);
        }
        return null;
    }

    private async Task<Run?> ReadRecentAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var separator = row.RowKey.IndexOf('_', StringComparison.Ordinal);
        var createdTicks = DateTimeOffset.MaxValue.UtcTicks - long.Parse(row.RowKey.AsSpan(0, separator), CultureInfo.InvariantCulture);
        var run = (await GetAsync(RunId.Parse(row.RowKey[(separator + 1)..]), cancellationToken))?.Value;
        return run?.CreatedAt.UtcTicks == createdTicks ? run : null;
    }

    private static string RecentRowKey(Run run) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - run.CreatedAt.UtcTicks:D19}_{run.Id}");

    private static TableEntity ActiveRow(Run run) => new(ActivePartition, run.Id.Value) { [CreatedAt] = run.CreatedAt };

    private static TableEntity ToEntity(Run run)
    {
        var entity = new TableEntity(run.Id.Value, RunRowKey)
        {
            [nameof(Run.State)] = run.State.ToString(),
            ["IsActive"] = !run.State.IsTerminal(),
            [nameof(Run.RecipeId)] = run.RecipeId,
            [nameof(Run.Cluster)] = run.Cluster,
            [nameof(Run.JobName)] = run.JobName,
            [CreatedAt] = run.CreatedAt,
        };
        JsonColumns.Write(entity, CoreJson.Serialize(run));
        return entity;
    }
}
