using System.Collections.Concurrent;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Storage;

/// <summary>How a savepoint in the ledger was taken.</summary>
public enum SavepointKind
{
    /// <summary>A savepoint of a job that kept running (Flink REST <c>POST /jobs/:jobid/savepoints</c>).</summary>
    Savepoint,

    /// <summary>The savepoint of a stop-with-savepoint (Flink REST <c>POST /jobs/:jobid/stop</c>); the job ended FINISHED.</summary>
    Stop,
}

/// <summary>
/// A savepoint the bot took, as its savepoint ledger records it: Apache Flink keeps no savepoint catalog, so the ledger
/// is how <c>/flink savepoints &lt;job&gt;</c> and <c>--from last-savepoint</c> find them.
/// </summary>
/// <param name="Cluster">The configured cluster's name.</param>
/// <param name="JobName">The job's name (savepoints outlive JobIDs: a redeploy keeps the name).</param>
/// <param name="JobId">The JobID the savepoint was taken of, 32 hex.</param>
/// <param name="Name">The trigger id the bot used (32 hex), or the savepoint's name on a platform that names them; unique per cluster and job.</param>
/// <param name="Path">Where it was written, e.g. <c>s3://…/savepoint-3f2a1c-…</c>; null while the operation has not completed.</param>
/// <param name="Kind">Savepoint or stop-with-savepoint.</param>
/// <param name="RunId">The run that took it, or null when taken outside a run.</param>
/// <param name="At">When it was triggered (UTC).</param>
/// <param name="DeletedAt">When the bot marked it deleted (the files are disposed of, or must not be used); null while usable.</param>
public sealed record SavepointRecord(
    string Cluster, string JobName, string JobId, string Name, string? Path, SavepointKind Kind, RunId? RunId, DateTimeOffset At,
    DateTimeOffset? DeletedAt = null);

/// <summary>
/// The bot's own record of the savepoints it took, per (cluster, job name). Steps record the intent (trigger id, no
/// path) before triggering and the path once the savepoint completed; recording the same name again replaces the record,
/// so a retried step does not add a second one.
/// </summary>
public interface ISavepointLedger
{
    /// <summary>Stores <paramref name="record"/>, replacing the record of the same cluster, job name and <see cref="SavepointRecord.Name"/>.</summary>
    Task RecordAsync(SavepointRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// The job's savepoints, newest first (by <see cref="SavepointRecord.At"/>), at most <paramref name="max"/>, deleted
    /// ones included (marked with <see cref="SavepointRecord.DeletedAt"/>); empty when the bot took none.
    /// </summary>
    Task<IReadOnlyList<SavepointRecord>> ListAsync(string cluster, string jobName, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the savepoint <paramref name="name"/> deleted at <paramref name="at"/>; false when the ledger has no such
    /// savepoint. Marking again keeps the first time.
    /// </summary>
    Task<bool> MarkDeletedAsync(string cluster, string jobName, string name, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>An <see cref="ISavepointLedger"/> in memory, for tests and local mode.</summary>
public sealed class InMemorySavepointLedger : ISavepointLedger
{
    private readonly ConcurrentDictionary<(string Cluster, string Job, string Name), SavepointRecord> _records = new();

    /// <inheritdoc />
    public Task RecordAsync(SavepointRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records[(record.Cluster, record.JobName, record.Name)] = record;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SavepointRecord>> ListAsync(string cluster, string jobName, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        IReadOnlyList<SavepointRecord> list = SavepointLedgerOrder.NewestFirst(
            _records.Values.Where(r => r.Cluster == cluster && r.JobName == jobName), max);
        return Task.FromResult(list);
    }

    /// <inheritdoc />
    public Task<bool> MarkDeletedAsync(string cluster, string jobName, string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = (cluster, jobName, name);
        while (_records.TryGetValue(key, out var record))
        {
            if (record.DeletedAt is not null || _records.TryUpdate(key, record with { DeletedAt = at }, record)) return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }
}

/// <summary>The order every <see cref="ISavepointLedger"/> lists in.</summary>
public static class SavepointLedgerOrder
{
    /// <summary>Newest first by trigger time, then by name (two savepoints triggered in the same tick stay in a stable order); at most <paramref name="max"/>.</summary>
    public static List<SavepointRecord> NewestFirst(IEnumerable<SavepointRecord> records, int max) =>
        [.. records.OrderByDescending(r => r.At).ThenByDescending(r => r.Name, StringComparer.Ordinal).Take(max)];
}
