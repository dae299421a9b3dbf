namespace FlinkOpsBot.Core.Platforms;

/// <summary>
/// How the engine reads and drives one cluster. Implemented per platform (<c>flink-rest</c>: Apache Flink REST v1).
/// Methods throw <see cref="PlatformException"/> for answers the cluster gave that the caller cannot act on
/// (with the remote status and the first line of the remote error) and for transport failures; "not found"
/// answers are values (null, <see cref="SavepointOperationStatus.Unknown"/>), not exceptions.
/// </summary>
public interface IFlinkPlatform
{
    /// <summary>Cluster capacity and version. Flink REST <c>GET /overview</c>.</summary>
    Task<ClusterOverview> GetOverviewAsync(CancellationToken cancellationToken);

    /// <summary>Every job the cluster knows, including recently finished ones. Flink REST <c>GET /jobs/overview</c>.</summary>
    Task<IReadOnlyList<JobSummary>> ListJobsAsync(CancellationToken cancellationToken);

    /// <summary>A job's details, or null if the cluster does not know the JobID. Flink REST <c>GET /jobs/:jobid</c>.</summary>
    Task<JobDetails?> GetJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Checkpoint statistics, or null when checkpointing is not enabled. Flink REST <c>GET /jobs/:jobid/checkpoints</c>.</summary>
    Task<CheckpointStats?> GetCheckpointStatsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Checkpoint configuration, or null when checkpointing is not enabled. Flink REST <c>GET /jobs/:jobid/checkpoints/config</c>.</summary>
    Task<CheckpointConfig?> GetCheckpointConfigAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The newest entries of the job's exception history (at most <paramref name="max"/>); throws with status 404 for an
    /// unknown job. Flink REST <c>GET /jobs/:jobid/exceptions</c>.
    /// </summary>
    Task<IReadOnlyList<JobException>> GetExceptionsAsync(string jobId, int max, CancellationToken cancellationToken);

    /// <summary>
    /// The cluster's default savepoint directory (<c>execution.checkpointing.savepoint-dir</c>, or the older
    /// <c>state.savepoints.dir</c>), or null if none is configured. Flink REST <c>GET /jobmanager/config</c>.
    /// </summary>
    Task<string?> GetDefaultSavepointDirectoryAsync(CancellationToken cancellationToken);

    /// <summary>Jars uploaded to the cluster. Flink REST <c>GET /jars</c>.</summary>
    Task<IReadOnlyList<JarInfo>> ListJarsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Triggers stop-with-savepoint (no drain). Safe to repeat with the same <paramref name="triggerId"/> while the
    /// cluster caches the operation. Flink REST <c>POST /jobs/:jobid/stop</c>.
    /// </summary>
    /// <param name="jobId">The job to stop.</param>
    /// <param name="triggerId">A client-generated idempotency key, 32 hex, persisted before the call.</param>
    /// <param name="targetDirectory">Where to write the savepoint; null for the cluster's default.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task StopWithSavepointAsync(string jobId, string triggerId, string? targetDirectory, CancellationToken cancellationToken);

    /// <summary>Polls a savepoint or stop-with-savepoint operation. Flink REST <c>GET /jobs/:jobid/savepoints/:triggerid</c>.</summary>
    Task<SavepointOperation> GetSavepointOperationAsync(string jobId, string triggerId, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a job; succeeds if it is already cancelled, and throws with status 409 when it already ended FINISHED or
    /// FAILED. Flink REST <c>PATCH /jobs/:jobid?mode=cancel</c>.
    /// </summary>
    Task CancelJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Runs a jar as a new job and returns its JobID. Flink REST <c>POST /jars/:jarid/run</c>.</summary>
    Task<string> RunJarAsync(string jarId, JarRunRequest request, CancellationToken cancellationToken);

    // ---- Added for the whole cookbook (issue 6). A platform that cannot do one of these keeps the default, which
    // ---- throws PlatformUnsupportedException naming the operation; recipes declare the platforms they run on.

    /// <summary>
    /// Triggers a savepoint without stopping the job. Safe to repeat with the same <paramref name="triggerId"/>; poll with
    /// <see cref="GetSavepointOperationAsync"/>. Flink REST <c>POST /jobs/:jobid/savepoints</c> (<c>cancel-job: false</c>);
    /// CMF <c>POST …/applications/{app}/savepoints</c> named after the trigger id.
    /// </summary>
    /// <param name="jobId">The job (32 hex).</param>
    /// <param name="triggerId">A client-generated idempotency key, 32 hex, persisted before the call.</param>
    /// <param name="targetDirectory">Where to write the savepoint; null for the cluster's default.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task TriggerSavepointAsync(string jobId, string triggerId, string? targetDirectory, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("triggering a savepoint");

    /// <summary>
    /// Load per job vertex: backpressure, busy time and (when the source reports it) records lag. Flink REST
    /// <c>GET /jobs/:jobid/vertices/:vertexid/backpressure</c> and <c>…/subtasks/metrics?get=busyTimeMsPerSecond,…</c>.
    /// Empty when the job has no running vertices.
    /// </summary>
    Task<IReadOnlyList<VertexLoad>> GetVertexLoadAsync(string jobId, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("reading vertex backpressure and busy time");

    /// <summary>
    /// How many times the job restarted since it was submitted (Flink's <c>numRestarts</c> job metric), or null when the
    /// cluster does not report it. Flink REST <c>GET /jobs/:jobid/metrics?get=numRestarts</c>.
    /// </summary>
    Task<long?> GetRestartCountAsync(string jobId, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("reading the restart count");

    /// <summary>
    /// The job's execution configuration (restart strategy in Flink's words, user configuration), or null for an unknown
    /// job. Flink REST <c>GET /jobs/:jobid/config</c>.
    /// </summary>
    Task<JobConfiguration?> GetJobConfigurationAsync(string jobId, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("reading the job configuration");

    /// <summary>
    /// The cluster's configuration as key → value (e.g. <c>jobmanager.scheduler</c>, <c>restart-strategy.type</c>).
    /// Flink REST <c>GET /jobmanager/config</c>.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> GetClusterConfigurationAsync(CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("reading the cluster configuration");

    /// <summary>
    /// The job's per-vertex parallelism bounds, or null when the job is unknown or its scheduler does not support them
    /// (only the adaptive scheduler does). Flink REST <c>GET /jobs/:jobid/resource-requirements</c>.
    /// </summary>
    Task<IReadOnlyList<ResourceRequirement>?> GetResourceRequirementsAsync(string jobId, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("reading resource requirements");

    /// <summary>
    /// Rescales the job in place by setting per-vertex parallelism bounds (adaptive scheduler only; the job restarts from
    /// its latest checkpoint with the new parallelism). Idempotent. Flink REST <c>PUT /jobs/:jobid/resource-requirements</c>.
    /// </summary>
    Task SetResourceRequirementsAsync(string jobId, IReadOnlyList<ResourceRequirement> requirements, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("rescaling in place");

    /// <summary>
    /// The job graph a jar would produce (its operators' vertex ids, which key the state a savepoint holds), without
    /// running it. Flink REST <c>POST /jars/:jarid/plan</c>.
    /// </summary>
    Task<JarPlan> GetJarPlanAsync(string jarId, int? parallelism, IReadOnlyList<string>? programArgs, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("reading a jar's job graph");

    /// <summary>
    /// The savepoints the platform itself keeps for a job (CMF's Savepoint resources), newest first; null when the platform
    /// keeps no savepoint catalog (Apache Flink: the bot's own ledger is the record then).
    /// </summary>
    Task<IReadOnlyList<SavepointEntry>?> ListSavepointsAsync(string jobName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SavepointEntry>?>(null);

    /// <summary>
    /// Deletes a savepoint the platform keeps (CMF <c>DELETE …/savepoints/{name}</c>); succeeds when it is already gone.
    /// </summary>
    Task DeleteSavepointAsync(string jobName, string savepointName, CancellationToken cancellationToken) =>
        throw new PlatformUnsupportedException("deleting a savepoint");
}

/// <summary>
/// The platform does not offer an operation (e.g. deleting savepoints on Apache Flink, which keeps no savepoint catalog).
/// Recipes declare their platforms, so this reaches a person only through a recipe run on a platform it was not written for.
/// </summary>
public sealed class PlatformUnsupportedException(string operation)
    : PlatformException($"This platform does not support {operation}.", 501)
{
    /// <summary>What was asked for, e.g. "deleting a savepoint".</summary>
    public string Operation { get; } = operation;
}

/// <summary>
/// A failed call to a cluster: the remote status (0 for transport failures) and a one-line message safe to show
/// in chat (never a Java stack trace). Each platform adapter derives its own exception type from this one.
/// </summary>
public class PlatformException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformException(string message, int statusCode = 0, Exception? innerException = null)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>The HTTP status the cluster answered with, or 0 when no answer arrived.</summary>
    public int StatusCode { get; }

    /// <summary>True when a retry later may succeed: no answer, 408, 429, 502, 503 (leader election), 504. Flink's 500s repeat, so they are not transient.</summary>
    public bool IsTransient => IsTransientStatus(StatusCode);

    /// <summary>The statuses after which a retry may succeed; 0 stands for "no answer".</summary>
    public static bool IsTransientStatus(int statusCode) => statusCode is 0 or 408 or 429 or 502 or 503 or 504;
}
