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
