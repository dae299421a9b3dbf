namespace FlinkOpsBot.Core.Platforms;

/// <summary>Cluster-wide capacity and version (Flink REST <c>GET /overview</c>).</summary>
/// <param name="FlinkVersion">e.g. <c>1.20.1</c>.</param>
/// <param name="TaskManagers">Registered TaskManagers.</param>
/// <param name="SlotsTotal">Task slots in the cluster.</param>
/// <param name="SlotsAvailable">Free task slots.</param>
public sealed record ClusterOverview(string FlinkVersion, int TaskManagers, int SlotsTotal, int SlotsAvailable);

/// <summary>One job in the cluster's job list (Flink REST <c>GET /jobs/overview</c>).</summary>
/// <param name="JobId">32 lowercase hex characters.</param>
/// <param name="Name">The job name.</param>
/// <param name="Status">The job status.</param>
/// <param name="StartTime">When the job started (UTC).</param>
/// <param name="EndTime">When it reached a terminal state, or null.</param>
public sealed record JobSummary(string JobId, string Name, JobStatus Status, DateTimeOffset StartTime, DateTimeOffset? EndTime);

/// <summary>A job vertex (an operator chain) with its parallelism.</summary>
/// <param name="Id">The vertex id, 32 hex.</param>
/// <param name="Name">The vertex name.</param>
/// <param name="Parallelism">Current parallelism.</param>
/// <param name="MaxParallelism">Maximum parallelism (the key-group count).</param>
public sealed record JobVertex(string Id, string Name, int Parallelism, int MaxParallelism);

/// <summary>A job's details (Flink REST <c>GET /jobs/:jobid</c>).</summary>
/// <param name="JobId">32 hex.</param>
/// <param name="Name">The job name.</param>
/// <param name="Status">The job status.</param>
/// <param name="StartTime">When the job started (UTC).</param>
/// <param name="EndTime">When it ended, or null.</param>
/// <param name="Vertices">The job graph's vertices.</param>
/// <param name="StatusTimestamps">When the job last entered each status (only statuses it entered).</param>
public sealed record JobDetails(
    string JobId,
    string Name,
    JobStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    IReadOnlyList<JobVertex> Vertices,
    IReadOnlyDictionary<string, DateTimeOffset> StatusTimestamps)
{
    /// <summary>The job's parallelism as Flink reports it per vertex: the largest vertex parallelism (0 without vertices).</summary>
    public int Parallelism => Vertices.Count == 0 ? 0 : Vertices.Max(v => v.Parallelism);
}

/// <summary>A checkpoint or savepoint in the checkpoint history.</summary>
/// <param name="Id">Checkpoint id.</param>
/// <param name="Status"><c>COMPLETED</c>, <c>FAILED</c> or <c>IN_PROGRESS</c>.</param>
/// <param name="IsSavepoint">True for savepoints.</param>
/// <param name="TriggeredAt">Trigger time (UTC).</param>
/// <param name="CompletedAt">Completion (latest acknowledgement) time, if completed.</param>
/// <param name="ExternalPath">Where it was written, if completed and externalized.</param>
/// <param name="FailureMessage">Why it failed, if it failed.</param>
public sealed record CheckpointInfo(long Id, string Status, bool IsSavepoint, DateTimeOffset TriggeredAt, DateTimeOffset? CompletedAt, string? ExternalPath, string? FailureMessage);

/// <summary>Checkpoint statistics of a job (Flink REST <c>GET /jobs/:jobid/checkpoints</c>).</summary>
/// <param name="Completed">Completed checkpoints since the job started.</param>
/// <param name="Failed">Failed checkpoints since the job started.</param>
/// <param name="Restored">How many times the job restored from a checkpoint or savepoint.</param>
/// <param name="LatestCompleted">The latest completed checkpoint, if any.</param>
/// <param name="LatestFailed">The latest failed checkpoint, if any.</param>
/// <param name="RestoredFrom">The path the job last restored from, if any.</param>
/// <param name="RestoredAt">When that restore happened.</param>
/// <param name="History">Recent attempts, newest first.</param>
public sealed record CheckpointStats(
    long Completed,
    long Failed,
    long Restored,
    CheckpointInfo? LatestCompleted,
    CheckpointInfo? LatestFailed,
    string? RestoredFrom,
    DateTimeOffset? RestoredAt,
    IReadOnlyList<CheckpointInfo> History);

/// <summary>A job's checkpointing configuration (Flink REST <c>GET /jobs/:jobid/checkpoints/config</c>).</summary>
/// <param name="Interval">Checkpoint interval.</param>
/// <param name="Timeout">Checkpoint timeout.</param>
/// <param name="TolerableFailedCheckpoints">Consecutive failures tolerated before the job fails over.</param>
public sealed record CheckpointConfig(TimeSpan Interval, TimeSpan Timeout, int TolerableFailedCheckpoints);

/// <summary>One entry of a job's exception history, newest first (Flink REST <c>GET /jobs/:jobid/exceptions</c>).</summary>
/// <param name="ExceptionName">The exception class and message, e.g. <c>java.lang.NullPointerException: …</c>.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="TaskName">The failing task, if known.</param>
public sealed record JobException(string ExceptionName, DateTimeOffset At, string? TaskName);

/// <summary>A jar uploaded to the cluster (Flink REST <c>GET /jars</c>).</summary>
/// <param name="Id">The jar id, <c>&lt;uuid&gt;_&lt;file name&gt;</c>.</param>
/// <param name="Name">The original file name.</param>
/// <param name="UploadedAt">Upload time (UTC).</param>
public sealed record JarInfo(string Id, string Name, DateTimeOffset UploadedAt);

/// <summary>A request to run a jar as a new job (Flink REST <c>POST /jars/:jarid/run</c>).</summary>
/// <param name="JobId">A client-chosen JobID (32 hex), which makes a retried submission safe: the cluster refuses a duplicate.</param>
/// <param name="Parallelism">Default parallelism, or null for the jar's own default.</param>
/// <param name="SavepointPath">Savepoint or retained checkpoint to restore from, or null to start without state.</param>
/// <param name="AllowNonRestoredState">Skip state that maps to no operator.</param>
/// <param name="ProgramArgs">Program arguments.</param>
public sealed record JarRunRequest(string JobId, int? Parallelism, string? SavepointPath, bool AllowNonRestoredState, IReadOnlyList<string>? ProgramArgs = null);

/// <summary>The state of an asynchronous savepoint or stop-with-savepoint operation.</summary>
public enum SavepointOperationStatus
{
    /// <summary>Still running.</summary>
    InProgress,
    /// <summary>Finished with a savepoint at <see cref="SavepointOperation.Location"/>.</summary>
    Completed,
    /// <summary>Finished with an error in <see cref="SavepointOperation.Failure"/>.</summary>
    Failed,
    /// <summary>The cluster does not know the trigger id (never triggered, or its result expired from the cache).</summary>
    Unknown,
}

/// <summary>The result of polling a savepoint or stop operation (Flink REST <c>GET /jobs/:jobid/savepoints/:triggerid</c>).</summary>
/// <param name="Status">Where the operation is.</param>
/// <param name="Location">The savepoint path when completed.</param>
/// <param name="Failure">The first line of the failure cause when failed.</param>
public sealed record SavepointOperation(SavepointOperationStatus Status, string? Location = null, string? Failure = null);
