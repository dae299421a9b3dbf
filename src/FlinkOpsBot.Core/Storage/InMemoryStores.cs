using System.Collections.Concurrent;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Storage;

/// <summary>
/// An in-process <see cref="IRunStore"/> for unit tests and local mode. It stores the JSON form, so callers never
/// share mutable instances with it, and enforces ETags exactly like the table store.
/// </summary>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly ConcurrentDictionary<RunId, (string Json, string ETag, DateTimeOffset CreatedAt)> _runs = new();
    private long _version;

    /// <inheritdoc />
    public Task<Versioned<Run>?> GetAsync(RunId id, CancellationToken cancellationToken) =>
        Task.FromResult(_runs.TryGetValue(id, out var stored) ? new Versioned<Run>(CoreJson.DeserializeRun(stored.Json), stored.ETag) : null);

    /// <inheritdoc />
    public Task<string> CreateAsync(Run run, CancellationToken cancellationToken)
    {
        var etag = NextETag();
        if (!_runs.TryAdd(run.Id, (CoreJson.Serialize(run), etag, run.CreatedAt)))
        {
            throw new ConcurrencyConflictException($"Run {run.Id} already exists.");
        }
        return Task.FromResult(etag);
    }

    /// <inheritdoc />
    public Task<string> ReplaceAsync(Run run, string etag, CancellationToken cancellationToken)
    {
        if (!_runs.TryGetValue(run.Id, out var stored) || stored.ETag != etag)
        {
            throw new ConcurrencyConflictException($"Run {run.Id} changed since it was read.");
        }
        var next = NextETag();
        if (!_runs.TryUpdate(run.Id, (CoreJson.Serialize(run), next, stored.CreatedAt), stored))
        {
            throw new ConcurrencyConflictException($"Run {run.Id} changed since it was read.");
        }
        return Task.FromResult(next);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Run>>(_runs.Values.Select(s => CoreJson.DeserializeRun(s.Json)).Where(r => !r.State.IsTerminal()).ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<Run>> ListRecentAsync(int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Run>>(_runs.Values.OrderByDescending(s => s.CreatedAt).Take(max).Select(s => CoreJson.DeserializeRun(s.Json)).ToList());

    private string NextETag() => $"W/\"{Interlocked.Increment(ref _version)}\"";
}

/// <summary>An in-process <see cref="ITimelineStore"/> for unit tests and local mode.</summary>
public sealed class InMemoryTimelineStore : ITimelineStore
{
    private readonly ConcurrentDictionary<(RunId, int), TimelineEvent> _events = new();

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events) _events[(e.RunId, e.Sequence)] = e;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TimelineEvent>> ListAsync(RunId runId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TimelineEvent>>(_events.Values.Where(e => e.RunId == runId).OrderBy(e => e.Sequence).ToList());
}

/// <summary>An in-process <see cref="IJobLockStore"/> for unit tests and local mode.</summary>
public sealed class InMemoryJobLockStore : IJobLockStore
{
    private readonly ConcurrentDictionary<(string, string), JobLock> _locks = new();
    private readonly ConcurrentDictionary<(string, string), ExplicitLock> _explicit = new();

    /// <inheritdoc />
    public Task<JobLock?> TryAcquireAsync(JobLock candidate, RunId? replacing, CancellationToken cancellationToken)
    {
        var key = (candidate.Cluster, candidate.JobName);
        if (_locks.TryAdd(key, candidate)) return Task.FromResult<JobLock?>(null);
        if (!_locks.TryGetValue(key, out var current)) return TryAcquireAsync(candidate, replacing, cancellationToken);
        if (replacing is { } stale && current.RunId == stale && _locks.TryUpdate(key, candidate, current))
        {
            return Task.FromResult<JobLock?>(null);
        }
        return Task.FromResult<JobLock?>(current.RunId == candidate.RunId ? null : current);
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string cluster, string jobName, RunId holder, CancellationToken cancellationToken)
    {
        var key = (cluster, jobName);
        if (_locks.TryGetValue(key, out var current) && current.RunId == holder)
        {
            _locks.TryRemove(KeyValuePair.Create(key, current));
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<JobLock?> GetAsync(string cluster, string jobName, CancellationToken cancellationToken) =>
        Task.FromResult(_locks.GetValueOrDefault((cluster, jobName)));

    /// <inheritdoc />
    public Task<IReadOnlyList<JobLock>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JobLock>>(_locks.Values.ToList());

    /// <inheritdoc />
    public Task<ExplicitLock?> TryAcquireExplicitAsync(ExplicitLock candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = (candidate.Cluster, candidate.JobName);
        // Like the table store: insert if free, otherwise replace only the value just read (compare-and-swap).
        while (true)
        {
            if (_explicit.TryAdd(key, candidate)) return Task.FromResult<ExplicitLock?>(null);
            if (!_explicit.TryGetValue(key, out var current)) continue;
            if (!current.IsExpiredAt(now) && !current.Holder.IsSamePersonAs(candidate.Holder)) return Task.FromResult<ExplicitLock?>(current);
            if (_explicit.TryUpdate(key, candidate, current)) return Task.FromResult<ExplicitLock?>(null);
        }
    }

    /// <inheritdoc />
    public Task<ExplicitLock?> GetExplicitAsync(string cluster, string jobName, CancellationToken cancellationToken) =>
        Task.FromResult(_explicit.GetValueOrDefault((cluster, jobName)));

    /// <inheritdoc />
    public Task<bool> ReplaceExplicitAsync(ExplicitLock expected, ExplicitLock? replacement, CancellationToken cancellationToken)
    {
        var key = (expected.Cluster, expected.JobName);
        if (!_explicit.TryGetValue(key, out var current) || !current.IsSameLockAs(expected)) return Task.FromResult(false);
        return Task.FromResult(replacement is null
            ? _explicit.TryRemove(KeyValuePair.Create(key, current))
            : _explicit.TryUpdate(key, replacement, current));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExplicitLock>> ListExplicitAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ExplicitLock>>(_explicit.Values.ToList());
}

/// <summary>An in-process <see cref="IConversationStore"/> for unit tests and local mode.</summary>
public sealed class InMemoryConversationStore : IConversationStore
{
    private readonly ConcurrentDictionary<(RunId, string), CardLocation> _locations = new();

    /// <inheritdoc />
    public Task SaveAsync(CardLocation location, CancellationToken cancellationToken)
    {
        _locations[(location.RunId, location.Platform)] = location;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CardLocation?> GetAsync(RunId runId, string platform, CancellationToken cancellationToken) =>
        Task.FromResult(_locations.GetValueOrDefault((runId, platform)));
}

/// <summary>An in-process <see cref="IDeploymentLedger"/> for unit tests and local mode.</summary>
public sealed class InMemoryDeploymentLedger : IDeploymentLedger
{
    private readonly ConcurrentDictionary<(string, string), DeploymentRecord> _records = new();

    /// <inheritdoc />
    public Task<DeploymentRecord?> GetCurrentAsync(string cluster, string jobName, CancellationToken cancellationToken) =>
        Task.FromResult(_records.GetValueOrDefault((cluster, jobName)));

    /// <inheritdoc />
    public Task RecordAsync(DeploymentRecord record, CancellationToken cancellationToken)
    {
        _records[(record.Cluster, record.JobName)] = record;
        return Task.CompletedTask;
    }
}
