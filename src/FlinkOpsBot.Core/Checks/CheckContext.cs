using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// What a check may read: the run, its cluster and the bot's own records. Cluster reads are cached for the
/// duration of one evaluation, so seven checks cost one <c>GET /jobs/:jobid</c>, not seven.
/// </summary>
public sealed class CheckContext
{
    private readonly Dictionary<string, Task<JobDetails?>> _jobs = [];
    private readonly Dictionary<string, Task<CheckpointStats?>> _checkpoints = [];
    private readonly Dictionary<string, Task<CheckpointConfig?>> _checkpointConfigs = [];
    private Task<IReadOnlyList<JarInfo>>? _jars;
    private Task<ClusterOverview>? _overview;

    /// <summary>Creates a context for one evaluation.</summary>
    public CheckContext(Run run, Recipe recipe, ClusterDefinition cluster, IFlinkPlatform platform, IDeploymentLedger ledger, TimeProvider time)
    {
        Run = run;
        Recipe = recipe;
        Cluster = cluster;
        Platform = platform;
        Ledger = ledger;
        Time = time;
    }

    /// <summary>The run being checked; checks may record what they resolved in <see cref="Run.Vars"/>.</summary>
    public Run Run { get; }

    /// <summary>The run's recipe.</summary>
    public Recipe Recipe { get; }

    /// <summary>The run's cluster.</summary>
    public ClusterDefinition Cluster { get; }

    /// <summary>The cluster's platform client.</summary>
    public IFlinkPlatform Platform { get; }

    /// <summary>The bot's deployment records.</summary>
    public IDeploymentLedger Ledger { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The job locks, for checks about locks (<c>lock-held</c>); null when the caller gave none.</summary>
    public IJobLockStore? Locks { get; init; }

    /// <summary>The bot's savepoint ledger (savepoints it took, per cluster and job name); null when the caller gave none.</summary>
    public ISavepointLedger? Savepoints { get; init; }

    /// <summary>The current time (UTC).</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>
    /// The JobID a check or step parameter <c>job</c> refers to: <c>current</c> (default, the job the run started
    /// from), <c>new</c> (submitted by the procedure) or <c>rollback</c> (submitted by the rollback); null if not known yet.
    /// </summary>
    public string? JobIdFor(string? role) => RunVars.JobIdFor(Run, role);

    /// <summary>The job's details (cached), or null when the cluster does not know it.</summary>
    public Task<JobDetails?> JobAsync(string jobId, CancellationToken cancellationToken) =>
        Cached(_jobs, jobId, () => Platform.GetJobAsync(jobId, cancellationToken));

    /// <summary>The job's checkpoint statistics (cached), or null when checkpointing is off.</summary>
    public Task<CheckpointStats?> CheckpointsAsync(string jobId, CancellationToken cancellationToken) =>
        Cached(_checkpoints, jobId, () => Platform.GetCheckpointStatsAsync(jobId, cancellationToken));

    /// <summary>The job's checkpoint configuration (cached), or null when checkpointing is off.</summary>
    public Task<CheckpointConfig?> CheckpointConfigAsync(string jobId, CancellationToken cancellationToken) =>
        Cached(_checkpointConfigs, jobId, () => Platform.GetCheckpointConfigAsync(jobId, cancellationToken));

    /// <summary>The cluster's jars (cached).</summary>
    public Task<IReadOnlyList<JarInfo>> JarsAsync(CancellationToken cancellationToken) =>
        _jars ??= Platform.ListJarsAsync(cancellationToken);

    /// <summary>The cluster overview (cached).</summary>
    public Task<ClusterOverview> OverviewAsync(CancellationToken cancellationToken) =>
        _overview ??= Platform.GetOverviewAsync(cancellationToken);

    /// <summary>
    /// Finds a jar by id or by file name; when several jars share the file name, the newest upload wins.
    /// Null when there is none.
    /// </summary>
    public async Task<JarInfo?> FindJarAsync(string idOrName, CancellationToken cancellationToken)
    {
        var jars = await JarsAsync(cancellationToken);
        return jars.FirstOrDefault(j => j.Id == idOrName)
            ?? jars.Where(j => j.Name == idOrName).OrderByDescending(j => j.UploadedAt).FirstOrDefault();
    }

    private static Task<T> Cached<T>(Dictionary<string, Task<T>> cache, string key, Func<Task<T>> load)
    {
        if (!cache.TryGetValue(key, out var task))
        {
            task = load();
            cache[key] = task;
        }
        return task;
    }
}

/// <summary>
/// A probe that reads the cluster and returns pass, fail or unknown with evidence. Checks may record what they
/// resolved (a jar id, a savepoint directory) in <see cref="Run.Vars"/>; they never change the cluster.
/// </summary>
public interface ICheck
{
    /// <summary>The id recipes use, e.g. <c>job-running</c>.</summary>
    string Id { get; }

    /// <summary>Evaluates the check. Cluster errors become <see cref="CheckOutcome.Unknown"/> results, not exceptions.</summary>
    Task<CheckResult> EvaluateAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken);
}
