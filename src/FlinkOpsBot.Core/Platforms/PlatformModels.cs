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
/// <param name="StateSizeBytes">
/// The full size of the state it holds in bytes (Flink's <c>state_size</c>; <c>checkpointed_size</c> when that is absent),
/// or null when unknown; the checkpoint-failures diagnosis reads its trend over the last completed checkpoints.
/// </param>
public sealed record CheckpointInfo(long Id, string Status, bool IsSavepoint, DateTimeOffset TriggeredAt, DateTimeOffset? CompletedAt, string? ExternalPath, string? FailureMessage,
    long? StateSizeBytes = null);

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
/// <param name="RootCause">The innermost "Caused by:" line of the stack trace, if there is one (what a restart-loop diagnosis classifies).</param>
public sealed record JobException(string ExceptionName, DateTimeOffset At, string? TaskName, string? RootCause = null);

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
/// <param name="JobName">
/// The job's name: Flink REST passes it as <c>pipeline.name</c> in the request's <c>flinkConfiguration</c> (Flink 1.17+);
/// on CMF it is the application's name. Null keeps the name the program gives itself.
/// </param>
public sealed record JarRunRequest(string JobId, int? Parallelism, string? SavepointPath, bool AllowNonRestoredState, IReadOnlyList<string>? ProgramArgs = null,
    string? JobName = null);

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

/// <summary>Load of one job vertex (an operator chain), the evidence for scaling and for finding the bottleneck.</summary>
/// <param name="VertexId">The vertex id, 32 hex.</param>
/// <param name="Name">The vertex name.</param>
/// <param name="Parallelism">Current parallelism.</param>
/// <param name="BackpressureLevel">Flink's level: <c>ok</c>, <c>low</c> or <c>high</c> (<c>unknown</c> when not sampled).</param>
/// <param name="BackpressuredRatio">The largest subtask ratio of time back-pressured, 0–1, or null.</param>
/// <param name="BusyTimeMsPerSecond">The largest subtask busy time, 0–1000 ms per second, or null.</param>
/// <param name="RecordsLag">Records behind the source's end (FLIP-33 <c>pendingRecords</c> summed over subtasks) when the vertex is a source that reports it; else null.</param>
public sealed record VertexLoad(string VertexId, string Name, int Parallelism, string BackpressureLevel, double? BackpressuredRatio, double? BusyTimeMsPerSecond, long? RecordsLag);

/// <summary>A job's execution configuration (Flink REST <c>GET /jobs/:jobid/config</c>).</summary>
/// <param name="RestartStrategy">The restart strategy as Flink describes it, e.g. "Restart with fixed delay (10 s). #3 restart attempts.", or null.</param>
/// <param name="Settings">The job's user configuration, key → value.</param>
public sealed record JobConfiguration(string? RestartStrategy, IReadOnlyDictionary<string, string> Settings);

/// <summary>Parallelism bounds of one vertex (Flink REST <c>/jobs/:jobid/resource-requirements</c>).</summary>
/// <param name="VertexId">The vertex id, 32 hex.</param>
/// <param name="Lower">Lower bound of the parallelism (at least 1).</param>
/// <param name="Upper">Upper bound; the adaptive scheduler runs the vertex with as many as the slots allow, up to this.</param>
public sealed record ResourceRequirement(string VertexId, int Lower, int Upper);

/// <summary>The job graph a jar would produce (Flink REST <c>POST /jars/:jarid/plan</c>).</summary>
/// <param name="Nodes">The plan's vertices.</param>
public sealed record JarPlan(IReadOnlyList<JarPlanNode> Nodes);

/// <summary>A vertex of a jar's plan.</summary>
/// <param name="Id">The vertex id, 32 hex: state in a savepoint is restored to the vertex with the same id.</param>
/// <param name="Description">The operator chain, e.g. "Source: orders -> Enrich".</param>
/// <param name="Parallelism">Its parallelism in the plan.</param>
public sealed record JarPlanNode(string Id, string Description, int Parallelism);

/// <summary>A savepoint as a platform's catalog (CMF) or the bot's ledger (Apache Flink) records it.</summary>
/// <param name="Name">Its name in the catalog (CMF <c>metadata.name</c>) or the trigger id the bot used.</param>
/// <param name="Uid">The catalog's uid (CMF <c>metadata.uid</c>, what <c>startFromSavepointUid</c> takes), or null.</param>
/// <param name="JobName">The job (application) it belongs to.</param>
/// <param name="Path">Where it was written, once completed.</param>
/// <param name="State">e.g. <c>COMPLETED</c>, <c>IN_PROGRESS</c>, <c>FAILED</c> (CMF's <c>status.state</c> as sent).</param>
/// <param name="CreatedAt">When it was triggered (UTC), if known.</param>
/// <param name="Source">Who made it: <c>bot</c>, <c>MANUAL</c>, <c>UPGRADE</c>, <c>SCHEDULE</c> (CMF's <c>source</c> as sent), or <c>unknown</c>.</param>
public sealed record SavepointEntry(string Name, string? Uid, string JobName, string? Path, string State, DateTimeOffset? CreatedAt, string Source);
